"""Groups: ``/api/v1/projects/{project}/groups`` (list, create, delete; CDF has no update).

Create answers 201; names are not unique; ``members`` and ``sourceId`` are exclusive on create;
delete takes bare int ids and fails as a whole (400 ``missing``) on any unknown id.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.auth import caller_groups, check_project, require
from emulator.capability_rules import validate_capabilities
from emulator.errors import ApiError, bad_request
from emulator.store import Store
from emulator.web import as_int_id, check_keys, endpoint, items_of, json_body, ok, query_bool

BASE = "/api/v1/projects/{project}/groups"
GROUP_FIELDS = ("name", "sourceId", "capabilities", "metadata", "members", "attributes")
MAX_MEMBERS = 100
METADATA_MAX_PAIRS, METADATA_MAX_KEY, METADATA_MAX_VALUE, METADATA_MAX_TOTAL = 16, 32, 512, 4096


def _metadata(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise bad_request(f"{where}: an object of string keys and string values is required")
    if len(value) > METADATA_MAX_PAIRS:
        raise bad_request(f"{where}: at most {METADATA_MAX_PAIRS} key-value pairs are allowed, got {len(value)}")
    total = 0
    for key, item in value.items():
        key_bytes, value_bytes = len(key.encode()), len(item.encode())
        if key_bytes > METADATA_MAX_KEY:
            raise bad_request(
                f"{where}: key {key[:40]!r} is {key_bytes} bytes; keys are limited to {METADATA_MAX_KEY} bytes"
            )
        if value_bytes > METADATA_MAX_VALUE:
            raise bad_request(
                f"{where}.{key}: value is {value_bytes} bytes; values are limited to {METADATA_MAX_VALUE} bytes"
            )
        total += key_bytes + value_bytes
    if total > METADATA_MAX_TOTAL:
        raise bad_request(f"{where}: {total} bytes in total; metadata is limited to {METADATA_MAX_TOTAL} bytes")
    return dict(value)


def _members(value: Any, where: str) -> str | list[str]:
    if value == "allUserAccounts":
        return value
    if not isinstance(value, list) or not all(isinstance(m, str) and m for m in value):
        raise bad_request(f'{where}: "allUserAccounts" or a list of user identifiers is required')
    if len(value) > MAX_MEMBERS:
        raise bad_request(f"{where}: at most {MAX_MEMBERS} members are allowed, got {len(value)}")
    return list(dict.fromkeys(value))


def _attributes(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request(f"{where}: an object is required")
    token = value.get("token")
    if token is not None:
        if not isinstance(token, dict):
            raise bad_request(f"{where}.token: an object is required")
        app_ids = token.get("appIds")
        if app_ids is not None and (not isinstance(app_ids, list) or not all(isinstance(a, str) for a in app_ids)):
            raise bad_request(f"{where}.token.appIds: a list of strings is required")
    return value


def validate_group(item: Any, where: str) -> dict[str, Any]:
    """A group to create, in storage form (without id), or a 400 explaining what is wrong."""
    if not isinstance(item, dict):
        raise bad_request(f"{where}: a group object is required")
    check_keys(item, GROUP_FIELDS, where)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request(f"{where}.name must not be blank")
    source_id = item.get("sourceId")
    if source_id is not None and not isinstance(source_id, str):
        raise bad_request(f"{where}.sourceId must be a string")
    if item.get("members") is not None and source_id:
        raise bad_request("Fields members, sourceId cannot be set at the same time")
    group: dict[str, Any] = {
        "name": name,
        "sourceId": source_id or "",
        "capabilities": validate_capabilities(item.get("capabilities"), f"{where}.capabilities"),
        "metadata": _metadata(item.get("metadata"), f"{where}.metadata"),
        "isDeleted": False,
        "deletedTime": -1,
    }
    if item.get("members") is not None:
        group["members"] = _members(item["members"], f"{where}.members")
    if item.get("attributes") is not None:
        group["attributes"] = _attributes(item["attributes"], f"{where}.attributes")
    return group


async def list_groups(request: Request) -> Response:
    """``all=false`` (default): the caller's own groups, no ACL needed; ``all=true`` needs groupsAcl:LIST."""
    project = check_project(request)
    if query_bool(request, "all", False):
        require(request, "groupsAcl", "LIST")
        groups = sorted(project["groups"].values(), key=lambda g: g["id"])
    else:
        groups = caller_groups(project, request.state.caller)
    return ok({"items": groups})


async def create_groups(request: Request) -> Response:
    project = check_project(request)
    require(request, "groupsAcl", "CREATE")
    items = items_of(await json_body(request))
    new = [validate_group(item, f"items[{i}]") for i, item in enumerate(items)]
    store: Store = request.app.state.store
    created = []
    for group in new:
        gid = store.next_id("group")
        stored = {"id": gid, **group}
        project["groups"][str(gid)] = stored
        created.append(stored)
    return ok({"items": created}, status=201)


async def delete_groups(request: Request) -> Response:
    project = check_project(request)
    require(request, "groupsAcl", "DELETE")
    items = items_of(await json_body(request))
    ids = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            raise bad_request(f'items[{index}]: group ids are given as bare integers, e.g. {{"items": [123]}}')
        ids.append(as_int_id(item, f"items[{index}]"))
    missing = [gid for gid in dict.fromkeys(ids) if str(gid) not in project["groups"]]
    if missing:
        raise ApiError(400, "Groups not found", missing=[{"id": gid} for gid in missing])
    for gid in ids:
        project["groups"].pop(str(gid), None)
    return ok({})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, endpoint(list_groups), methods=["GET"]),
        Route(BASE, endpoint(create_groups, write=True), methods=["POST"]),
        Route(BASE + "/delete", endpoint(delete_groups, write=True), methods=["POST"]),
    ]
