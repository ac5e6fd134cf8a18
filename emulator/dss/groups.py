"""DSS groups: ``/admin/groups/`` (list, create), ``/admin/groups/{name}`` (get, update, delete), the
non-admin ``/groups``, and ``/admin/licensing/status``.

POST reads only ``name``, ``description`` and ``sourceType`` (the permissions need a second call, a PUT,
as Dataiku's own Ansible modules note). PUT takes the whole definition and replaces it: a flag the body
leaves out becomes false, so a client that drops ``mayUseSomeFutureFeature`` turns it off. Fields the
emulator does not know are ignored, as DSS's JSON binding ignores them.
"""

from __future__ import annotations

import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss.seeds import GROUP_FLAGS, GROUP_NAME_LISTS, SOURCE_TYPES, new_group
from emulator.dss.users import NAME, dss_state
from emulator.dss.web import already_exists, endpoint, invalid, json_object, message, not_found


def find(dss: dict[str, Any], name: str) -> dict[str, Any]:
    group = dss["groups"].get(name)
    if group is None:
        raise not_found("Group", name)
    return group


def _source_type(value: Any) -> str:
    if value is None:
        return "LOCAL"
    if value not in SOURCE_TYPES:
        raise invalid(f"Invalid sourceType {value!r}: one of {', '.join(SOURCE_TYPES)}")
    return value


def _optional_text(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise invalid(f"{where} must be a string")
    return value


def definition_from(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The stored group a PUT body describes (defaults for what it leaves out)."""
    group = new_group(name, _optional_text(body.get("description"), "description"), _source_type(body.get("sourceType")))
    regex = body.get("canObtainAPITicketFromCookiesForGroupsRegex")
    group["canObtainAPITicketFromCookiesForGroupsRegex"] = _optional_text(regex, "canObtainAPITicketFromCookiesForGroupsRegex") or ""
    for key in ("admin", *GROUP_FLAGS):
        value = body.get(key, False)
        if value is None:
            value = False
        if not isinstance(value, bool):
            raise invalid(f"{key} must be true or false, got {value!r}")
        group[key] = value
    for key in GROUP_NAME_LISTS:
        value = body.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise invalid(f"{key} must be a list of strings")
        group[key] = list(value)
    return group


async def list_groups(request: Request) -> Response:
    dss = dss_state(request)
    return JSONResponse([dss["groups"][name] for name in sorted(dss["groups"])])


async def create_group(request: Request) -> Response:
    dss = dss_state(request)
    body = await json_object(request)
    name = body.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise invalid(f"Invalid group name {name!r}: use letters, digits and . _ - @ only")
    if name in dss["groups"]:
        raise already_exists("Group", name)
    description = _optional_text(body.get("description"), "description")
    dss["groups"][name] = new_group(name, description, _source_type(body.get("sourceType")))
    return message(f"Created group {name}", 201)


async def get_group(request: Request) -> Response:
    return JSONResponse(find(dss_state(request), request.path_params["name"]))


async def update_group(request: Request) -> Response:
    dss = dss_state(request)
    name = request.path_params["name"]
    find(dss, name)
    body = await json_object(request)
    if body.get("name") not in (None, name):
        raise invalid("The name of a group can't be modified")
    dss["groups"][name] = definition_from(body, name)
    return message(f"Edited group {name}")


async def delete_group(request: Request) -> Response:
    dss = dss_state(request)
    name = request.path_params["name"]
    find(dss, name)
    del dss["groups"][name]
    for user in dss["users"].values():
        if name in user["groups"]:
            user["groups"] = [group for group in user["groups"] if group != name]
    return Response(status_code=204)


async def groups_info(request: Request) -> Response:
    dss = dss_state(request)
    return JSONResponse(
        [{"name": g["name"], "description": g["description"], "sourceType": g["sourceType"]} for _name, g in sorted(dss["groups"].items())]
    )


async def licensing_status(request: Request) -> Response:
    dss = dss_state(request)
    profiles = dss["licensing"]["userProfiles"]
    used = {profile: 0 for profile in profiles}
    for user in dss["users"].values():
        if user["enabled"] and user["userProfile"] in used:
            used[user["userProfile"]] += 1
    return JSONResponse(
        {
            "base": {"userProfiles": list(profiles), "valid": True, "expired": False, "licenseKind": "EMULATOR"},
            "profileLimits": {profile: {"licensed": 1000, "used": used[profile]} for profile in profiles},
        }
    )


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    write = functools.partial(endpoint, write=True)
    return [
        Route("/admin/groups/", endpoint(list_groups), methods=["GET"]),
        Route("/admin/groups", endpoint(list_groups), methods=["GET"]),
        Route("/admin/groups/", write(create_group), methods=["POST"]),
        Route("/admin/groups", write(create_group), methods=["POST"]),
        Route("/admin/groups/{name}", endpoint(get_group), methods=["GET"]),
        Route("/admin/groups/{name}", write(update_group), methods=["PUT"]),
        Route("/admin/groups/{name}", write(delete_group), methods=["DELETE"]),
        Route("/groups", endpoint(groups_info, admin=False), methods=["GET"]),
        Route("/admin/licensing/status", endpoint(licensing_status), methods=["GET"]),
    ]
