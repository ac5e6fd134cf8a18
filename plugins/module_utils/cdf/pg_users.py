# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Postgres-gateway users: list, read by username, create, rebind credentials, delete, find by session client.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import sessions_by_ids
from ansible_collections.dataops.iam.plugins.module_utils.http import FAIL, RECHECK, RESEND

PATH = "postgresgateway"
PAGE_SIZE = 100  # the API's page size for users
BYIDS_CHUNK = 10


def list_users(client: Any) -> list:
    """Every Postgres-gateway user of the project (all pages)."""
    return list(client.iterate(PATH, page_size=PAGE_SIZE, parse=lambda body: _users(body, "GET " + PATH)))


def users_by_names(client: Any, usernames: list) -> list:
    """The users with these usernames; unknown names are left out."""
    found, _unknown = client.by_ids(
        PATH + "/byids", usernames, key="username", chunk=BYIDS_CHUNK, ignore_unknown=True,
        parse=lambda body: _users(body, "POST %s/byids" % PATH),
    )
    return found


def find_user(client: Any, username: str) -> Optional[dict]:
    """The user named ``username``, or None."""
    found = users_by_names(client, [username])
    return found[0] if found else None


def with_sessions(client: Any, users: list) -> list:
    """``(user, session or None)`` pairs: the session behind each user's ``sessionId`` (needs sessionsAcl:LIST)."""
    ids = [user["sessionId"] for user in users if user.get("sessionId") is not None]
    sessions, _unknown = sessions_by_ids(client, ids) if ids else ([], [])
    by_id = {session["id"]: session for session in sessions}
    return [(user, by_id.get(user.get("sessionId"))) for user in users]


def users_of_client(client: Any, client_id: str) -> list:
    """``(user, session)`` pairs of the users whose session was created with the client ``client_id``."""
    return [(user, session) for user, session in with_sessions(client, list_users(client))
            if session is not None and session.get("clientId") == client_id]


def create_user(client: Any, nonce: str, session_id: Optional[int] = None) -> dict:
    """Create a user bound to the session of ``nonce``; the answer carries the password and host (only here).

    After an uncertain failure, and when the session id is known, look for a user bound to that session
    instead of sending again (the nonce is single-use anyway); such a user comes back without password.
    """

    def recheck() -> Optional[dict]:
        found = [user for user in list_users(client) if user.get("sessionId") == session_id]
        return {"items": found[:1]} if found else None

    body = {"items": [{"credentials": {"nonce": nonce}}]}
    answer = client.post(PATH, body, **_lost_answer_policy(recheck, session_id))
    return _users(answer, "POST " + PATH, at_least=1)[0]


def rebind_user(client: Any, username: str, nonce: str, session_id: Optional[int] = None) -> dict:
    """Bind the user to the session of ``nonce`` (the update endpoint)."""

    def recheck() -> Optional[dict]:
        user = find_user(client, username)
        return {"items": [user]} if user and user.get("sessionId") == session_id else None

    body = {"items": [{"username": username, "update": {"credentials": {"set": {"nonce": nonce}}}}]}
    answer = client.post(PATH + "/update", body, **_lost_answer_policy(recheck, session_id))
    return _users(answer, "POST %s/update" % PATH, at_least=1)[0]


def _lost_answer_policy(recheck: Any, session_id: Optional[int]) -> dict:
    """A nonce is single-use: with the session id known, a lost answer is rechecked; without, never resent."""
    return {"policy": RECHECK, "recheck": recheck} if session_id is not None else {"policy": FAIL}


def _users(body: Any, call: str, at_least: int = 0) -> list:
    """The users of an answer to ``call``, as sent; models.UnexpectedResponse when its shape is wrong."""
    return models.parse_items(models.PostgresGatewayUser, body, call, at_least=at_least)


def delete_user(client: Any, username: str) -> None:
    """Delete one user; unknown usernames are ignored, so sending again after a lost answer is safe."""
    client.post(PATH + "/delete", {"items": [{"username": username}], "ignoreUnknownIds": True}, policy=RESEND)


def pg_user_view(user: dict, session: Optional[dict] = None) -> dict:
    """The user for --diff and for results that must not carry secrets (no password, no nonce)."""
    view = {key: user[key] for key in ("username", "sessionId", "sessionClientId") if user.get(key) is not None}
    if session is not None:
        view["sessionStatus"] = session.get("status")
        if session.get("clientId"):
            view["sessionClientId"] = session["clientId"]
    return view
