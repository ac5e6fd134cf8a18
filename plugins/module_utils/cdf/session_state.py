# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``session`` module does with one task: create a session, or revoke sessions by id."""

from __future__ import annotations

from typing import Any, Optional, cast

from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import (
    ENDED_STATUSES,
    create_session,
    revoke_sessions,
    session_view,
    sessions_by_ids,
)
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import Outcome, combine, reconcile


class UnknownSessions(Exception):
    """Some of the ids to revoke are not sessions of the project."""

    def __init__(self, ids: list) -> None:
        super().__init__("no session has the id %s in this project" % ", ".join(str(i) for i in ids))
        self.ids = ids


def planned_session(client_credentials: Optional[dict]) -> dict:
    """What a create would make, for check mode and the diff (no id or nonce: CDF makes those)."""
    if client_credentials:
        return {"type": "CLIENT_CREDENTIALS", "clientId": client_credentials["client_id"]}
    return {"type": "TOKEN_EXCHANGE"}


def create(client: Any, check_mode: bool, client_credentials: Optional[dict], token_exchange: bool) -> Outcome:
    """A new session: always a change (each create is a new credential); none is made in check mode."""
    return reconcile(
        state="present",
        current=None,
        check_mode=check_mode,
        view=session_view,
        desired=planned_session(client_credentials),
        differs=lambda current, desired: True,
        create=lambda desired: create_session(client, client_credentials, token_exchange),
        delete=lambda current: None,
    )


def revoke(client: Any, check_mode: bool, ids: list) -> Outcome:
    """Revoke the sessions with ``ids`` that are still usable, in one call; ended sessions are no change."""
    found, unknown = sessions_by_ids(client, ids)
    if unknown:
        raise UnknownSessions(unknown)
    queued: list = []

    def queue(current: dict, desired: dict) -> dict:
        queued.append(current["id"])
        return desired

    outcomes = {}
    for session in found:
        usable = session.get("status") not in ENDED_STATUSES
        outcomes[str(session["id"])] = reconcile(
            state="present",
            current=session,
            check_mode=check_mode,
            view=session_view,
            desired=dict(session, status="REVOKED") if usable else session,
            differs=lambda current, desired: current.get("status") != desired.get("status"),
            create=lambda desired: desired,
            update=queue,
            delete=lambda current: None,
        )
    answered = {item.get("id"): item for item in revoke_sessions(client, queued)} if queued else {}
    found_now = [cast(dict, outcome.obj) for outcome in outcomes.values()]  # state=present: never None
    sessions = [dict(session, **answered.get(session["id"], {})) for session in found_now]
    result = combine(outcomes, [session_view(session) for session in sessions])
    result.extra["revoked_ids"] = [int(label) for label, outcome in outcomes.items() if outcome.changed]
    return result
