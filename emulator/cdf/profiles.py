"""User profiles: ``/api/v1/projects/{project}/profiles`` (me, list, byids, search).

Seeded for six people and for the ``admin`` service principal; ``reader`` has none, so its
``/profiles/me`` is a 404. Every endpoint needs ``userProfilesAcl:READ``, as the API reference documents, and
"every member automatically gets userProfilesAcl:READ" (API reference, Groups and User profiles): a caller in any group of the
project has it, whatever the group grants; a caller in none gets a 403.
Lists are ordered by name; search is a case-insensitive prefix match on any part of the name.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import caller_groups, project_guard
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import (
    Handler,
    body_flag,
    body_int,
    check_keys,
    endpoint,
    items_of,
    json_body,
    ok,
    page_body,
    paginate,
    query_int,
)

BASE = "/api/v1/projects/{project}/profiles"


def _read_guard(request: Request) -> None:
    """The project's guard, then userProfilesAcl:READ: every member of a group of the project holds it."""
    project_guard(request)
    if not caller_groups(request.state.project, request.state.caller):
        name = request.path_params.get("project")
        raise ApiError(403, f"Forbidden: missing capability userProfilesAcl:READ (scope all) in project {name!r}")


def _endpoint(handler: Handler) -> Handler:
    return endpoint(handler, guard=_read_guard)


def _order(profile: dict[str, Any]) -> list[str]:
    return [str(profile.get("displayName") or "").lower(), profile["userIdentifier"]]


def _matches(profile: dict[str, Any], prefix: str) -> bool:
    names = [profile.get("displayName"), profile.get("givenName"), profile.get("surname")]
    words = [w for n in names if n for w in [n, *n.split()]]
    return any(w.lower().startswith(prefix) for w in words)


async def me(request: Request) -> Response:
    project = request.state.project
    profile = project["profiles"].get(request.state.caller.subject)
    if profile is None:
        raise ApiError(404, "No user profile exists for the principal making this request")
    return ok(profile)


async def list_profiles(request: Request) -> Response:
    project = request.state.project
    page, cursor = paginate(
        project["profiles"].values(),
        _order,
        kind="profiles",
        limit=query_int(request, "limit", 25, 1, 1000),
        cursor=request.query_params.get("cursor"),
    )
    return ok(page_body(page, cursor))


async def profiles_by_ids(request: Request) -> Response:
    project = request.state.project
    body = await json_body(request)
    ids = []
    for index, item in enumerate(items_of(body, extra=("ignoreUnknownIds",))):
        if not isinstance(item, dict):
            raise bad_request(f'items[{index}]: an object {{"userIdentifier": ...}} is required')
        check_keys(item, ("userIdentifier",), f"items[{index}]")
        uid = item.get("userIdentifier")
        if not isinstance(uid, str) or not uid:
            raise bad_request(f"items[{index}].userIdentifier must be a non-empty string")
        ids.append(uid)
    ids = list(dict.fromkeys(ids))
    missing = [{"userIdentifier": uid} for uid in ids if uid not in project["profiles"]]
    if missing and not body_flag(body, "ignoreUnknownIds"):
        raise ApiError(400, "User profiles not found", missing=missing)
    return ok({"items": [project["profiles"][uid] for uid in ids if uid in project["profiles"]]})


async def search_profiles(request: Request) -> Response:
    """``{"search": {"name": "Al"}, "limit": 25}``: no paging."""
    project = request.state.project
    body = await json_body(request)
    check_keys(body, ("search", "limit", "filter"), "the request body")
    search = body.get("search")
    if not isinstance(search, dict):
        raise bad_request('search: an object {"name": ...} is required')
    check_keys(search, ("name",), "search")
    name = search.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("search.name must be a non-empty string")
    if body.get("filter") not in (None, {}):
        raise bad_request("filter: no filters are supported for user profiles")
    limit = body_int(body, "limit", 25, 1, 1000)
    prefix = name.strip().lower()
    found = sorted((p for p in project["profiles"].values() if _matches(p, prefix)), key=_order)
    return ok({"items": found[:limit]})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE + "/me", _endpoint(me), methods=["GET"]),
        Route(BASE, _endpoint(list_profiles), methods=["GET"]),
        Route(BASE + "/byids", _endpoint(profiles_by_ids), methods=["POST"]),
        Route(BASE + "/search", _endpoint(search_profiles), methods=["POST"]),
    ]
