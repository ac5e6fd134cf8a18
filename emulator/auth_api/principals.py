"""The Principals API of the auth API (https://auth.cognite.com), as it answers:

* ``GET /api/v1/orgs/{org}/principals?limit=1..100&cursor=&types=USER,SERVICE_ACCOUNT``
  -> ``{"items": [principal], "nextCursor": {"cursor": "..."}}`` (an object; absent on the last page). ``types`` is
  comma-separated or repeated. Sources: API reference, "List principals"
  (https://docs.cognite.com/20230101/principals/list-principals); cognite-sdk 8.22 ``_api/org_apis/principals.py``
  and ``data_classes/principals.py`` (what it sends and parses).
* A USER: ``id``, ``type``, ``name``, ``pictureUrl``, ``email``, ``givenName``, ``familyName``; a SERVICE_ACCOUNT:
  ``id``, ``type``, ``name``, ``pictureUrl``, ``externalId``, ``description``, ``createdBy {orgId, userId}``,
  ``createdTime``, ``lastUpdatedTime``.

Only auth-API tokens are taken (``callers.py`` resolves the caller and the organization once). Listing needs the
caller to belong to
the organization (seed: ``org-admin`` and ``org-member`` of ``demo-org``); the login sessions need an admin. Errors
are the flat ``{"code", "message"}``. The default page size when ``limit`` is left out is this emulator's choice (the
reference gives none).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.auth_api.callers import auth_endpoint, member_guard
from emulator.auth_api.errors import AuthApiError
from emulator.auth_api.paging import limit_param, object_cursor_page
from emulator.server.store import Store

DEFAULT_LIMIT, MAX_LIMIT = 25, 100
TYPES = ("USER", "SERVICE_ACCOUNT")


def shown(principal_id: str, principal: dict[str, Any]) -> dict[str, Any]:
    """A principal as the API lists it (its login sessions are not part of it)."""
    return {"id": principal_id, **{key: value for key, value in principal.items() if key != "sessions"}}


def _types(request: Request) -> set[str]:
    wanted = {t.strip().upper() for raw in request.query_params.getlist("types") for t in raw.split(",") if t.strip()}
    unknown = wanted - set(TYPES)
    if unknown:
        raise AuthApiError(400, f"types: unknown principal type {sorted(unknown)[0]!r}; use USER or SERVICE_ACCOUNT")
    return wanted or set(TYPES)


async def list_principals(request: Request) -> Response:
    """Principals in id order, paged with an object cursor."""
    org = request.state.org
    types, limit = _types(request), limit_param(request, DEFAULT_LIMIT, MAX_LIMIT)
    items = [shown(pid, p) for pid, p in org["principals"].items() if p["type"] in types]
    return object_cursor_page(request, items, lambda p: [p["id"]], f"principals/{request.path_params['org']}", limit)


def routes(store: Store) -> list[Route]:
    return [Route("/api/v1/orgs/{org}/principals", auth_endpoint(member_guard)(list_principals), methods=["GET"])]
