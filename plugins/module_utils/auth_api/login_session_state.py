# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``login_session`` module does with one task: revoke given, or all active, login sessions.

Internal to the collection.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (
    LoginSessions,
    login_session_view,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import BatchTask, TaskError


def revoking(params: dict) -> str:
    """What the task does, for the message of a failure."""
    return "Revoking login sessions of %r in organization %r" % (params["principal"], params["org"])


class UnknownLoginSessions(TaskError):
    """Some of the ids are not login sessions of the principal: the task fails before anything is revoked."""

    def __init__(self, doing: str, ids: list) -> None:
        super().__init__(
            "%s failed: the principal has no login session with the id %s; nothing was revoked." % (doing, ", ".join(ids)),
            unknown_ids=ids,
            changed=False,
            revoked_ids=[],
        )
        self.ids = ids


class RevokeTask(BatchTask):
    """Revoke the ACTIVE login sessions among ``ids`` (or every ACTIVE one with ``all_active``); the rest are no
    change. ``api``: the principal's LoginSessions (by default, through the task's client)."""

    key = "login_sessions"
    done_key = "revoked_ids"

    def __init__(self, module: Any, client: Any, api: Optional[LoginSessions] = None) -> None:
        super().__init__(module, client)
        self.api = api if api is not None else LoginSessions(
            client, client.base_url, self.params["org"], self.params["principal"]
        )
        #: The ids revoked so far (each call of up to 10 is atomic).
        self.revoked: list = []

    def targets(self) -> list:
        """The sessions the task is about: those with ``ids`` (all must exist), or every ACTIVE one when ``ids`` is
        None. An empty list is none, without a call (it must never mean "all active")."""
        ids = self.params["ids"]
        if ids is not None and not ids:
            return []
        sessions = self.api.list("ACTIVE" if ids is None else None, self.params["page_size"])
        if ids is None:
            return sessions
        by_id = {session.get("id"): session for session in sessions}
        unknown = [i for i in dict.fromkeys(ids) if i not in by_id]
        if unknown:
            raise UnknownLoginSessions(revoking(self.params), unknown)
        return [by_id[i] for i in dict.fromkeys(ids)]

    def label(self, obj: dict) -> Any:
        return obj["id"]

    def pending(self, obj: dict) -> bool:
        return obj.get("status") == "ACTIVE"

    def changed(self, obj: dict) -> dict:
        return dict(obj, status="REVOKED")

    def write(self, objs: list) -> dict:
        """Revoke ``objs``, 10 per call; revoke answers nothing (204), so nothing is answered by label."""
        self.api.revoke([obj["id"] for obj in objs], self.revoked)
        return {}

    def view(self, obj: dict) -> dict:
        return login_session_view(obj)

    def returned(self, obj: dict) -> dict:
        """The result lists each session as the API sends it (a login session carries no secret)."""
        return obj

    def partial(self) -> dict:
        """What was revoked before a call failed."""
        return {"revoked_ids": list(self.revoked)}
