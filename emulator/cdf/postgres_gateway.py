"""Postgres-gateway users: ``/api/v1/projects/{project}/postgresgateway`` (create, update, delete,
byids, list).

Create and update bind a session nonce (the session turns ACTIVE); the server makes up the username,
and the password and host are returned by create only (the emulator keeps no password at all).
``postgresGatewayAcl`` READ/WRITE in scope ``all``, or ``usersScope`` for the users it names.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import project_endpoint, require
from emulator.cdf.sessions import bind_nonce
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import body_flag, check_keys, items_of, json_body, ok, page_body, paginate, query_int

BASE = "/api/v1/projects/{project}/postgresgateway"
HOST = "fdw.emulator.local"
PAGE_MAX = 100
IGNORE = ("ignoreUnknownIds", "ignore_unknown_ids")


def _allowed(request: Request, action: str) -> set[str] | None:
    """Usernames the caller may touch with ``action``: None means all of them."""
    scopes = require(request, "postgresGatewayAcl", action, scopes=("all", "usersScope"))
    if any("all" in s for s in scopes):
        return None
    return {name for s in scopes for name in s.get("usersScope", {}).get("usernames", [])}


def _check_user_access(request: Request, action: str, usernames: list[str]) -> None:
    allowed = _allowed(request, action)
    if allowed is not None and any(name not in allowed for name in usernames):
        raise ApiError(403, f"Forbidden: missing capability postgresGatewayAcl:{action} for these users")


def _username(item: Any, where: str) -> str:
    if not isinstance(item, dict):
        raise bad_request(f'{where}: an object {{"username": ...}} is required')
    check_keys(item, ("username",), where)
    name = item.get("username")
    if not isinstance(name, str) or not name:
        raise bad_request(f"{where}.username must be a non-empty string")
    return name


def _nonce_of(credentials: Any, where: str) -> Any:
    if not isinstance(credentials, dict):
        raise bad_request(f'{where}: an object {{"nonce": ...}} is required')
    check_keys(credentials, ("nonce",), where)
    return credentials.get("nonce")


def _new_username(project: dict[str, Any]) -> str:
    while True:
        name = "pgu_" + secrets.token_hex(6)
        if name not in project["pgUsers"]:
            return name


async def create_user(request: Request) -> Response:
    project = request.state.project
    require(request, "postgresGatewayAcl", "WRITE")
    (item,) = items_of(await json_body(request), max_items=1)
    if not isinstance(item, dict):
        raise bad_request('items[0]: an object {"credentials": {"nonce": ...}} is required')
    check_keys(item, ("credentials",), "items[0]")
    nonce = _nonce_of(item.get("credentials"), "items[0].credentials")
    session_id = bind_nonce(request, project, nonce, "items[0].credentials.nonce")
    now = int(time.time() * 1000)
    user = {"username": _new_username(project), "createdTime": now, "lastUpdatedTime": now, "sessionId": session_id}
    project["pgUsers"][user["username"]] = user
    password = secrets.token_urlsafe(24)
    request.app.state.store.secret_log.add(password, "issued")
    return ok({"items": [{**user, "password": password, "host": HOST}]})


async def update_user(request: Request) -> Response:
    """Rebinds the user to the session of a new nonce (that session turns ACTIVE)."""
    project = request.state.project
    (item,) = items_of(await json_body(request), max_items=1)
    if not isinstance(item, dict):
        raise bad_request('items[0]: an object {"username", "update"} is required')
    check_keys(item, ("username", "update"), "items[0]")
    name = _username({"username": item.get("username")}, "items[0]")
    _check_user_access(request, "WRITE", [name])
    update = item.get("update")
    if not isinstance(update, dict) or not update:
        raise bad_request("items[0].update: an object with the fields to change is required")
    check_keys(update, ("credentials",), "items[0].update")
    change = update.get("credentials")
    if not isinstance(change, dict) or set(change) != {"set"}:
        raise bad_request('items[0].update.credentials: {"set": {"nonce": ...}} is required')
    nonce = _nonce_of(change["set"], "items[0].update.credentials.set")
    if name not in project["pgUsers"]:
        raise ApiError(400, "Users not found", missing=[{"username": name}])
    session_id = bind_nonce(request, project, nonce, "items[0].update.credentials.set.nonce")
    user = project["pgUsers"][name]
    user.update(sessionId=session_id, lastUpdatedTime=int(time.time() * 1000))
    return ok({"items": [dict(user)]})


async def delete_users(request: Request) -> Response:
    project = request.state.project
    body = await json_body(request)
    items = items_of(body, max_items=1, extra=IGNORE)
    names = [_username(item, f"items[{i}]") for i, item in enumerate(items)]
    _check_user_access(request, "WRITE", names)
    missing = [{"username": n} for n in names if n not in project["pgUsers"]]
    if missing and not body_flag(body, *IGNORE):
        raise ApiError(400, "Users not found", missing=missing)
    for name in names:
        project["pgUsers"].pop(name, None)
    return ok({})


async def users_by_ids(request: Request) -> Response:
    project = request.state.project
    allowed = _allowed(request, "READ")
    body = await json_body(request)
    names = [_username(item, f"items[{i}]") for i, item in enumerate(items_of(body, max_items=10, extra=IGNORE))]
    visible = {n: u for n, u in project["pgUsers"].items() if allowed is None or n in allowed}
    missing = [{"username": n} for n in dict.fromkeys(names) if n not in visible]
    if missing and not body_flag(body, *IGNORE):
        raise ApiError(400, "Users not found", missing=missing)
    return ok({"items": [dict(visible[n]) for n in dict.fromkeys(names) if n in visible]})


async def list_users(request: Request) -> Response:
    """Ordered by creation; at most 100 users a page whatever the ``limit`` (1..1000)."""
    project = request.state.project
    allowed = _allowed(request, "READ")
    users = [u for n, u in project["pgUsers"].items() if allowed is None or n in allowed]
    page, cursor = paginate(
        users,
        lambda u: [u["createdTime"], u["username"]],
        kind="postgresgateway",
        limit=min(query_int(request, "limit", 25, 1, 1000), PAGE_MAX),
        cursor=request.query_params.get("cursor"),
    )
    return ok(page_body([dict(u) for u in page], cursor))


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_users), methods=["GET"]),
        Route(BASE, project_endpoint(create_user, write=True), methods=["POST"]),
        Route(BASE + "/update", project_endpoint(update_user, write=True), methods=["POST"]),
        Route(BASE + "/delete", project_endpoint(delete_users, write=True), methods=["POST"]),
        Route(BASE + "/byids", project_endpoint(users_by_ids), methods=["POST"]),
    ]
