"""Groups: ``/api/v1/projects/{project}/groups`` (list, create, delete; CDF has no update).

Create answers 201; names are not unique; ``members`` and ``sourceId`` are exclusive on create;
delete takes bare int ids and fails as a whole (400 ``missing``) on any unknown id.

Deletion is soft, as in CDF: a deleted group keeps ``isDeleted: true`` and its ``deletedTime`` in the state and
counts towards the project's group limit (``--group-limit``, CDF's 1,500, deleted groups included), past which
every create is a 400. Lists leave deleted groups out: cognite-sdk and cognite-toolkit treat every listed group
as live (the toolkit deletes the listed groups of a name it replaces; it could not if deleted ones were listed).

Switches of the control API (``control.py``: ``entra_responses``, ``apply_delay``): answers as an Entra ID
cluster gives them (a members group carries a service-populated ``sourceId``, each capability the
``projectUrlNames`` of the API reference's examples), and access that takes a moment to apply after a create.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import caller_groups, project_endpoint, require
from emulator.cdf.capability_rules import validate_capabilities
from emulator.cdf.control import group_switches
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import as_int_id, check_keys, items_of, json_body, ok, query_bool

BASE = "/api/v1/projects/{project}/groups"
GROUP_FIELDS = ("name", "sourceId", "capabilities", "metadata", "members", "attributes")
MAX_MEMBERS = 100
#: Namespace of the sourceIds an Entra ID cluster gives members groups (deterministic per group id).
ENTRA_SOURCE_NS = uuid.UUID("0b5e3c1e-4a8f-4d2e-9f61-3c7a2b9d8e15")
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


def as_returned(group: dict[str, Any], project_name: str, store: Store) -> dict[str, Any]:
    """A stored group as the API answers it (with the Entra switch: as an Entra ID cluster answers it)."""
    if not group_switches(store).entra_responses:
        return group
    answer = dict(group)
    if answer.get("members") and not answer.get("sourceId"):
        answer["sourceId"] = str(uuid.uuid5(ENTRA_SOURCE_NS, str(group["id"])))
    answer["capabilities"] = [{**cap, "projectUrlNames": {"urlNames": [project_name]}} for cap in group["capabilities"]]
    return answer


def _answer(request: Request, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    store: Store = request.app.state.store
    name = request.path_params.get("project", "")
    return [as_returned(group, name, store) for group in groups]


def _live(project: dict[str, Any]) -> list[dict[str, Any]]:
    return [group for group in project["groups"].values() if not group.get("isDeleted")]


async def list_groups(request: Request) -> Response:
    """``all=false`` (default): the caller's own groups, no ACL needed; ``all=true`` needs groupsAcl:LIST."""
    project = request.state.project
    if query_bool(request, "all", False):
        require(request, "groupsAcl", "LIST")
        groups = sorted(_live(project), key=lambda g: g["id"])
    else:
        groups = caller_groups(project, request.state.caller)
    return ok({"items": _answer(request, groups)})


def _check_limit(project: dict[str, Any], store: Store, adding: int) -> None:
    """CDF's 400 once the project's groups, deleted ones included, would pass the limit."""
    limit = group_switches(store).limit
    if len(project["groups"]) + adding > limit:
        raise bad_request(f"There can only be {limit} undeleted or deleted groups per project")


async def create_groups(request: Request) -> Response:
    project = request.state.project
    require(request, "groupsAcl", "CREATE")
    items = items_of(await json_body(request))
    new = [validate_group(item, f"items[{i}]") for i, item in enumerate(items)]
    store: Store = request.app.state.store
    _check_limit(project, store, len(new))
    created = []
    for group in new:
        gid = store.next_id("group")
        stored = {"id": gid, **group}
        project["groups"][str(gid)] = stored
        switches = group_switches(store)
        if switches.apply_delay > 0:
            switches.applies_at[gid] = time.time() + switches.apply_delay
        created.append(stored)
    return ok({"items": _answer(request, created)}, status=201)


async def delete_groups(request: Request) -> Response:
    """Soft delete: the group stays (``isDeleted``, ``deletedTime``), still counted towards the limit."""
    project = request.state.project
    require(request, "groupsAcl", "DELETE")
    items = items_of(await json_body(request))
    ids = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            raise bad_request(f'items[{index}]: group ids are given as bare integers, e.g. {{"items": [123]}}')
        ids.append(as_int_id(item, f"items[{index}]"))
    live = {str(group["id"]) for group in _live(project)}
    missing = [gid for gid in dict.fromkeys(ids) if str(gid) not in live]
    if missing:
        raise ApiError(400, "Groups not found", missing=[{"id": gid} for gid in missing])
    now = int(time.time() * 1000)
    for gid in ids:
        project["groups"][str(gid)].update(isDeleted=True, deletedTime=now)
    return ok({})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_groups), methods=["GET"]),
        Route(BASE, project_endpoint(create_groups, write=True), methods=["POST"]),
        Route(BASE + "/delete", project_endpoint(delete_groups, write=True), methods=["POST"]),
    ]
