"""Login sessions of an organization's principals, as the auth API serves them:

* ``GET /api/v1/orgs/{org}/principals/{principal}/sessions?limit=1..1000&cursor=``
  -> ``{"items": [...], "nextCursor": {"cursor": "..."}}`` (an object; absent on the last page)
* ``POST .../sessions/revoke`` ``{"items": [{"id"}]}`` (1..10) -> 204; all-or-nothing.

The caller must be an admin of that very organization (seed: the auth API service account ``org-admin`` of
``demo-org``), with a token of the auth API's own token endpoint: a project (IdP) token is 401. Errors are the
auth API's flat ``{"code", "message"}``: 400 bad parameters, 401 no valid auth-API token, 403 not an admin (or
an unknown organization) or a service-account principal, 404 unknown principal.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.auth_api.callers import auth_endpoint, principal_guard
from emulator.auth_api.errors import AuthApiError
from emulator.auth_api.paging import limit_param, object_cursor_page
from emulator.server.errors import ApiError
from emulator.server.store import Store
from emulator.server.web import json_body

BASE = "/api/v1/orgs/{org}/principals/{principal}/sessions"
DEFAULT_LIMIT, MAX_LIMIT, MAX_REVOKE = 100, 1000, 10


async def list_login_sessions(request: Request) -> Response:
    """Newest first."""
    principal = request.state.principal
    limit = limit_param(request, DEFAULT_LIMIT, MAX_LIMIT)
    return object_cursor_page(
        request, principal["sessions"], lambda s: [-s["createdTime"], s["id"]],
        f"login/{request.path_params['principal']}", limit,
    )


async def revoke_login_sessions(request: Request) -> Response:
    """REVOKED keeps an earlier ``deactivatedTime``; an ACTIVE session gets now."""
    principal = request.state.principal
    try:
        body = await json_body(request)
    except ApiError as exc:
        raise AuthApiError(400, exc.message) from None
    items = body.get("items")
    if set(body) - {"items"} or not isinstance(items, list) or not 1 <= len(items) <= MAX_REVOKE:
        raise AuthApiError(400, f'items: a list of 1 to {MAX_REVOKE} objects {{"id": "<session id>"}} is required')
    if not all(isinstance(i, dict) and set(i) == {"id"} and isinstance(i["id"], str) for i in items):
        raise AuthApiError(400, 'items: each item must be {"id": "<session id>"}')
    by_id = {s["id"]: s for s in principal["sessions"]}
    unknown = [i["id"] for i in items if i["id"] not in by_id]
    if unknown:
        raise AuthApiError(400, f"Login sessions not found for this principal: {', '.join(dict.fromkeys(unknown))}")
    now = int(time.time() * 1000)
    for item in items:
        session = by_id[item["id"]]
        session.setdefault("deactivatedTime", now)
        session["status"] = "REVOKED"
    return Response(status_code=204)


def routes(store: Store) -> list[Route]:
    endpoint = auth_endpoint(principal_guard)
    return [
        Route(BASE, endpoint(list_login_sessions), methods=["GET"]),
        Route(BASE + "/revoke", endpoint(revoke_login_sessions, write=True), methods=["POST"]),
    ]
