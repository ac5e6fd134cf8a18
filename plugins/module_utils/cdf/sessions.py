# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF sessions: create (client credentials or token exchange), read by id, list, revoke.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.http import FAIL, RESEND

STATUSES = ("READY", "ACTIVE", "CANCELLED", "EXPIRED", "REVOKED", "ACCESS_LOST")
#: Sessions that can no longer be used: revoking them again changes nothing.
ENDED_STATUSES = frozenset({"REVOKED", "EXPIRED", "CANCELLED"})
PAGE_SIZE = 1000
BYIDS_CHUNK = 1000


def create_session(client: Any, client_credentials: Optional[dict] = None, token_exchange: bool = False) -> dict:
    """Create one session; the result carries the nonce. Never retried blindly (each create is a new session)."""
    if client_credentials:
        item: dict = {"clientId": client_credentials["client_id"], "clientSecret": client_credentials["client_secret"]}
    elif token_exchange:
        item = {"tokenExchange": True}
    else:
        raise ValueError("a session needs client credentials or token exchange")
    body = client.post("sessions", {"items": [item]}, policy=FAIL)
    return models.parse_items(models.NewSession, body, "POST sessions", at_least=1)[0]


def sessions_by_ids(client: Any, ids: list) -> tuple[list, list]:
    """The sessions with these ids, and the ids CDF does not know (the API fails a whole request on one)."""
    wanted = [int(session_id) for session_id in ids]
    return client.by_ids(
        "sessions/byids", wanted, key="id", chunk=BYIDS_CHUNK,
        parse=lambda body: models.parse_items(models.Session, body, "POST sessions/byids"),
    )


def list_sessions(client: Any, status: Optional[str] = None, limit: Optional[int] = None) -> list:
    """Sessions of the project (all pages, or the first ``limit``), optionally of one status."""
    params: dict = {"status": status} if status else {}
    return list(client.iterate("sessions", params, page_size=PAGE_SIZE, parse=_listed_sessions, limit=limit))


def _listed_sessions(body: Any) -> list:
    return models.parse_items(models.Session, body, "GET sessions")


def revoke_sessions(client: Any, ids: list) -> list:
    """Revoke sessions. Revoking is idempotent, so a lost response is safely sent again. An empty answer: []."""
    if not ids:
        return []
    body = client.post("sessions/revoke", {"items": [{"id": i} for i in ids]}, policy=RESEND)
    return models.parse_items(models.RevokedSession, body, "POST sessions/revoke") if body else []


def session_view(session: dict) -> dict:
    """A session without its nonce, for --diff and for results that must not carry secrets."""
    return {key: session[key] for key in ("id", "type", "status", "clientId") if key in session}
