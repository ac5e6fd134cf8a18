# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``login_session`` module does with one task: revoke given, or all active, login sessions."""

from __future__ import annotations

from typing import Optional

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (
    LoginSessions,
    login_session_view,
)
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import Outcome, combine, reconcile


class UnknownLoginSessions(Exception):
    """Some of the ids are not login sessions of the principal."""

    def __init__(self, ids: list) -> None:
        super().__init__("the principal has no login session with the id %s" % ", ".join(ids))
        self.ids = ids


class RevokeTask:
    """Revoke the ACTIVE login sessions among ``ids`` (or all of them); the rest are no change."""

    def __init__(self, api: LoginSessions, check_mode: bool, page_size: int) -> None:
        self.api = api
        self.check_mode = check_mode
        self.page_size = page_size
        self.revoked: list = []

    def targets(self, ids: Optional[list]) -> list:
        """The sessions the task is about: those with ``ids`` (all must exist), or every ACTIVE one when ``ids`` is
        None. An empty list is none, without a call (it must never mean "all active")."""
        if ids is not None and not ids:
            return []
        sessions = self.api.list("ACTIVE" if ids is None else None, self.page_size)
        if ids is None:
            return sessions
        by_id = {session.get("id"): session for session in sessions}
        unknown = [i for i in dict.fromkeys(ids) if i not in by_id]
        if unknown:
            raise UnknownLoginSessions(unknown)
        return [by_id[i] for i in dict.fromkeys(ids)]

    def run(self, ids: Optional[list]) -> Outcome:
        """Revoke what is still ACTIVE (none in check mode); the others are no change."""
        queued: list = []

        def queue(current: dict, desired: dict) -> dict:
            queued.append(current["id"])
            return desired

        outcomes = {}
        for session in self.targets(ids):
            active = session.get("status") == "ACTIVE"
            outcomes[session["id"]] = reconcile(
                state="present",
                current=session,
                check_mode=self.check_mode,
                view=login_session_view,
                desired=dict(session, status="REVOKED") if active else session,
                differs=lambda current, desired: current.get("status") != desired.get("status"),
                create=lambda desired: desired,
                update=queue,
                delete=lambda current: None,
            )
        self.api.revoke(queued, self.revoked)
        result = combine(outcomes, [outcome.obj for outcome in outcomes.values()])
        result.extra["revoked_ids"] = [label for label, outcome in outcomes.items() if outcome.changed]
        return result

    def partial_result(self) -> dict:
        """What was revoked before a call failed (each call of 10 is atomic)."""
        return {"changed": bool(self.revoked), "revoked_ids": list(self.revoked)}
