"""Sessions: ``/api/v1/projects/{project}/sessions`` (create, list, byids, revoke).

A session is READY when created, ACTIVE once a consumer binds its nonce (a Postgres-gateway user
create or update), REVOKED after revoke; READY or ACTIVE sessions past ``expirationTime`` read as
EXPIRED. The nonce is random, single-use and valid for 60 s; it lives in memory only.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import has, project_endpoint, require
from emulator.server.auth import authenticate_client
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import (
    as_int_id,
    body_flag,
    check_keys,
    items_of,
    json_body,
    ok,
    page_body,
    paginate,
    query_int,
)

BASE = "/api/v1/projects/{project}/sessions"
STATUSES = ("READY", "ACTIVE", "CANCELLED", "EXPIRED", "REVOKED", "ACCESS_LOST")
SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000
PUBLIC_FIELDS = ("id", "type", "status", "creationTime", "expirationTime", "clientId")


def public(session: dict[str, Any]) -> dict[str, Any]:
    """The session as the API shows it (internal fields dropped, expiry applied)."""
    shown = {k: session[k] for k in PUBLIC_FIELDS if k in session}
    if shown["status"] in ("READY", "ACTIVE") and shown["expirationTime"] <= int(time.time() * 1000):
        shown["status"] = "EXPIRED"
    return shown


def bind_nonce(request: Request, project: dict[str, Any], nonce: Any, where: str) -> int:
    """Spend ``nonce`` for a consumer: its session becomes ACTIVE; returns the session id (400 if unusable)."""
    if not isinstance(nonce, str) or not nonce:
        raise bad_request(f"{where}: a session nonce is required")
    store: Store = request.app.state.store
    session_id = store.consume_nonce(nonce, request.path_params["project"])
    session = project["sessions"].get(str(session_id)) if session_id is not None else None
    if session is None or public(session)["status"] != "READY":
        raise bad_request(f"{where}: the nonce is invalid, already used, expired, or its session was revoked")
    session["status"] = "ACTIVE"
    return int(session["id"])


def _new_session(request: Request, item: Any) -> dict[str, Any]:
    """Validate the one create item; returns the session to store (without its id)."""
    store: Store = request.app.state.store
    if not isinstance(item, dict):
        raise bad_request("items[0]: an object is required")
    check_keys(item, ("clientId", "clientSecret", "tokenExchange", "oneshotTokenExchange"), "items[0]")
    modes = [k for k in ("clientId", "tokenExchange", "oneshotTokenExchange") if item.get(k) not in (None, False)]
    if len(modes) != 1:
        raise bad_request(
            "items[0]: give exactly one of clientId+clientSecret, tokenExchange: true, oneshotTokenExchange: true"
        )
    now = int(time.time() * 1000)
    session: dict[str, Any] = {"creationTime": now, "expirationTime": now + SESSION_LIFETIME_MS, "status": "READY"}
    if modes == ["clientId"]:
        client_id, client_secret = item.get("clientId"), item.get("clientSecret")
        if not isinstance(client_id, str) or not isinstance(client_secret, str) or not client_secret:
            raise bad_request("items[0]: clientId and clientSecret must both be non-empty strings")
        if not authenticate_client(store, client_id, client_secret):
            raise bad_request(
                f"Could not authenticate client {client_id!r} with the identity provider: unknown client or wrong secret"
            )
        session.update(type="CLIENT_CREDENTIALS", clientId=client_id)
    else:
        flag = modes[0]
        if item[flag] is not True:
            raise bad_request(f"items[0].{flag} must be true")
        session["type"] = "TOKEN_EXCHANGE" if flag == "tokenExchange" else "ONESHOT_TOKEN_EXCHANGE"
    session["_subject"] = request.state.caller.subject
    return session


async def create_session(request: Request) -> Response:
    """Exactly one item; answers 200 with the id, type, status READY, nonce (and clientId)."""
    project = request.state.project
    require(request, "sessionsAcl", "CREATE")
    (item,) = items_of(await json_body(request), max_items=1)
    session = _new_session(request, item)
    store: Store = request.app.state.store
    session["id"] = store.next_id("session")
    project["sessions"][str(session["id"])] = session
    nonce = secrets.token_urlsafe(32)
    store.issue_nonce(nonce, request.path_params["project"], session["id"])
    created = {"id": session["id"], "type": session["type"], "status": "READY", "nonce": nonce}
    if "clientId" in session:
        created["clientId"] = session["clientId"]
    return ok({"items": [created]})


async def list_sessions(request: Request) -> Response:
    project = request.state.project
    require(request, "sessionsAcl", "LIST")
    status = request.query_params.get("status")
    if status is not None and status.upper() not in STATUSES:
        raise bad_request(f"Query parameter status must be one of {', '.join(STATUSES)}, got {status!r}")
    sessions = [public(s) for s in project["sessions"].values()]
    if status is not None:
        sessions = [s for s in sessions if s["status"] == status.upper()]
    page, cursor = paginate(
        sessions,
        lambda s: s["id"],
        kind=f"sessions/{(status or '').upper()}",
        limit=query_int(request, "limit", 25, 1, 1000),
        cursor=request.query_params.get("cursor"),
    )
    return ok(page_body(page, cursor))


def _ids(body: dict[str, Any], *, extra: tuple[str, ...] = ()) -> list[int]:
    ids = []
    for index, item in enumerate(items_of(body, extra=extra)):
        if not isinstance(item, dict):
            raise bad_request(f'items[{index}]: an object {{"id": ...}} is required')
        check_keys(item, ("id",), f"items[{index}]")
        ids.append(as_int_id(item.get("id"), f"items[{index}].id"))
    return ids


def _missing(project: dict[str, Any], ids: list[int]) -> list[dict[str, int]]:
    return [{"id": sid} for sid in dict.fromkeys(ids) if str(sid) not in project["sessions"]]


async def sessions_by_ids(request: Request) -> Response:
    project = request.state.project
    require(request, "sessionsAcl", "LIST")
    body = await json_body(request)
    ids = _ids(body, extra=("ignoreUnknownIds",))
    missing = _missing(project, ids)
    if missing and not body_flag(body, "ignoreUnknownIds"):
        raise ApiError(400, "Sessions not found", missing=missing)
    found = [project["sessions"][str(sid)] for sid in dict.fromkeys(ids) if str(sid) in project["sessions"]]
    return ok({"items": [public(s) for s in found]})


async def revoke_sessions(request: Request) -> Response:
    """Idempotent; answers full sessions, or only ids when the caller lacks ``sessionsAcl:LIST``."""
    project = request.state.project
    require(request, "sessionsAcl", "DELETE")
    ids = _ids(await json_body(request))
    missing = _missing(project, ids)
    if missing:
        raise ApiError(400, "Sessions not found", missing=missing)
    can_list = has(request, "sessionsAcl", "LIST")
    revoked = []
    for sid in dict.fromkeys(ids):
        session = project["sessions"][str(sid)]
        session["status"] = "REVOKED"
        revoked.append(public(session) if can_list else {"id": sid})
    return ok({"items": revoked})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_sessions), methods=["GET"]),
        Route(BASE, project_endpoint(create_session, write=True), methods=["POST"]),
        Route(BASE + "/byids", project_endpoint(sessions_by_ids), methods=["POST"]),
        Route(BASE + "/revoke", project_endpoint(revoke_sessions, write=True), methods=["POST"]),
    ]
