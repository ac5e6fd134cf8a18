# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``session`` module does with one task: create a session, or revoke sessions by id (tasks.py shapes).

Internal to the collection.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import (
    ENDED_STATUSES,
    create_session,
    revoke_sessions,
    session_view,
    sessions_by_ids,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import BatchTask, ObjectTask, TaskError


def planned_session(client_credentials: Optional[dict]) -> dict:
    """What a create would make, for check mode and the diff (no id or nonce: CDF makes those)."""
    if client_credentials:
        return {"type": "CLIENT_CREDENTIALS", "clientId": client_credentials["client_id"]}
    return {"type": "TOKEN_EXCHANGE"}


class CreateTask(ObjectTask):
    """A new session: always a change (CDF cannot find an earlier one, and each create is a new credential)."""

    key = "session"

    def find(self) -> Optional[dict]:
        return None

    def desired(self, current: Optional[dict]) -> dict:
        return planned_session(self.params["client_credentials"])

    def create(self, desired: dict) -> dict:
        return create_session(self.client, self.params["client_credentials"], self.params["token_exchange"])

    def view(self, obj: dict) -> dict:
        return session_view(obj)


class RevokeTask(BatchTask):
    """Revoke the sessions ``id`` that are still usable, in one call; ended sessions are no change."""

    key = "sessions"
    done_key = "revoked_ids"

    def targets(self) -> list:
        """The sessions ``id``, all of which must exist; an empty list is none, without a call."""
        ids = self.params["id"] or []
        if not ids:
            return []
        found, unknown = sessions_by_ids(self.client, ids)
        if unknown:
            raise TaskError(
                "Revoking sessions failed: no session has the id %s in this project; nothing was revoked. Check the "
                "ids with dataops.iam.session_info." % ", ".join(str(i) for i in unknown),
                unknown_ids=unknown,
            )
        return found

    def label(self, obj: dict) -> Any:
        return obj["id"]

    def pending(self, obj: dict) -> bool:
        return obj.get("status") not in ENDED_STATUSES

    def changed(self, obj: dict) -> dict:
        return dict(obj, status="REVOKED")

    def write(self, objs: list) -> dict:
        return {item.get("id"): item for item in revoke_sessions(self.client, [obj["id"] for obj in objs])}

    def view(self, obj: dict) -> dict:
        return session_view(obj)
