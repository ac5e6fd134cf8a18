# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF groups: API calls, input checks, comparison and the readable view the modules share; internal to the
collection."""

from __future__ import annotations

import re
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    Label,
    capabilities_equal,
    declared_capabilities,
    describe_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import created_item
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError

ALL_USER_ACCOUNTS = "allUserAccounts"
METADATA_MAX_PAIRS = 16
METADATA_MAX_KEY_BYTES = 32
METADATA_MAX_VALUE_BYTES = 512
METADATA_MAX_TOTAL_BYTES = 4096
MEMBERS_MAX = 100
#: CDF's answer once a project holds its maximum of groups, deleted ones included (cognite-sdk's integration
#: tests skip group creation for it: "There can only be 1500 undeleted or deleted groups per project").
SLOT_LIMIT_MESSAGE = re.compile(r"There can only be (\d+) undeleted or deleted groups per project", re.IGNORECASE)

MEMBERS_GROUP, IDP_GROUP, PLAIN_GROUP = "members", "idp", "plain"


class GroupShapeError(ValueError):
    """A group read from the API whose kind (members or IdP-linked) cannot be told."""


def list_groups(client: Any, name: Optional[str] = None) -> list:
    """Every live group of the project (``all=true``: needs groupsAcl:LIST), optionally only those named ``name``.

    A group marked ``isDeleted`` is never one to manage (CDF deletes groups softly). By id: where a run chooses
    among several groups of one name, every run chooses the same (duplicates.py)."""
    items = client.get("groups", {"all": True}).get("items", [])
    found = [
        group
        for group in items
        if not group.get("isDeleted") and (name is None or group.get("name") == name)
    ]
    return sorted(found, key=lambda group: group.get("id") or 0)


def create_group(client: Any, payload: dict, known_ids: set) -> dict:
    """POST one group; after an uncertain failure, look for it before trying again (names are not unique)."""

    def recheck() -> Optional[dict]:
        for group in list_groups(client, payload["name"]):
            if group["id"] not in known_ids and same_group(group, payload):
                return {"items": [group]}
        return None

    try:
        body = client.post("groups", {"items": [payload]}, policy=RECHECK, recheck=recheck)
    except ApiError as exc:
        explain_slot_limit(exc)
        raise
    return created_item(body, "POST groups")


def explain_slot_limit(exc: ApiError) -> None:
    """Add to CDF's 400 "There can only be N undeleted or deleted groups per project" what it means."""
    found = SLOT_LIMIT_MESSAGE.search(exc.message or "") if exc.status == 400 else None
    if found:
        exc.message += (
            " -- the project has used all its %s group slots. CDF counts deleted groups too (deletion is soft), so "
            "deleting groups frees none, and no group can be created in this project, by any tool or the Fusion UI. "
            "CDF has no update call: each change of a group made by this module creates a new group and deletes the "
            "old one, and so spends a slot for good" % found.group(1)
        )


def group_kind(group: dict) -> str:
    """``members`` (membership managed in CDF), ``idp`` (linked to an IdP group by ``sourceId``) or ``plain``.

    On Entra ID clusters the API returns a members group with a service-populated ``sourceId`` too, and refuses a
    create with both ("Fields members, sourceId cannot be set at the same time"): members win, as in
    cognite-toolkit (PR #3106, cognite_toolkit/_cdf_tk/commands/auth.py, verified on an Entra cluster).
    """
    members, source = group.get("members"), group.get("sourceId")
    if source is not None and not isinstance(source, str):
        raise GroupShapeError("its sourceId is %s, not a string" % type(source).__name__)
    if members in (None, "", []):
        return IDP_GROUP if source else PLAIN_GROUP
    if members == ALL_USER_ACCOUNTS or (isinstance(members, list) and all(isinstance(m, str) for m in members)):
        return MEMBERS_GROUP
    raise GroupShapeError('its members are neither "%s" nor a list of user identifiers' % ALL_USER_ACCOUNTS)


def delete_groups(client: Any, ids: list) -> list:
    """Delete the groups ``ids`` (read by this run); see ``delete_read_ids``. Returns those found already gone."""
    return delete_read_ids(client, "groups/delete", ids)


def delete_read_ids(client: Any, path: str, ids: list) -> list:
    """A ``.../delete`` of objects this run read: those CDF answers are ``missing`` are already deleted (another run
    racing this one, or a person, since the run read them): done, and the rest is sent again. Returns those."""
    left = list(dict.fromkeys(ids))
    gone: list = []
    while left:
        try:
            client.delete_items(path, {"items": left})
            break
        except ApiError as exc:
            named = {entry.get("id") for entry in exc.missing if isinstance(entry, dict)} if exc.status == 400 else set()
            missing = [object_id for object_id in left if object_id in named]
            if not missing:
                raise
            gone.extend(missing)
            left = [object_id for object_id in left if object_id not in named]
    return gone


def metadata_problems(metadata: Optional[dict]) -> list:
    """Where ``metadata`` breaks the API's limits, as messages naming the key and the limit."""
    if not metadata:
        return []
    problems = []
    if len(metadata) > METADATA_MAX_PAIRS:
        problems.append("metadata has %d keys; CDF allows at most %d" % (len(metadata), METADATA_MAX_PAIRS))
    total = 0
    for key, value in metadata.items():
        key_bytes, value_bytes = len(str(key).encode()), len(str(value).encode())
        total += key_bytes + value_bytes
        if key_bytes > METADATA_MAX_KEY_BYTES:
            problems.append("metadata key %r is %d bytes; at most %d" % (key, key_bytes, METADATA_MAX_KEY_BYTES))
        if value_bytes > METADATA_MAX_VALUE_BYTES:
            problems.append("metadata[%r] is %d bytes; at most %d" % (key, value_bytes, METADATA_MAX_VALUE_BYTES))
    if total > METADATA_MAX_TOTAL_BYTES:
        problems.append("metadata is %d bytes in all; at most %d" % (total, METADATA_MAX_TOTAL_BYTES))
    return problems


def members_to_api(members: Optional[list]) -> Any:
    """The option's list to the API's form: ``"allUserAccounts"`` stands alone, else the identifiers in the task's
    order, without repeats (written as declared, compared as a set: ``members_key``)."""
    if members is None:
        return None
    if ALL_USER_ACCOUNTS in members:
        return ALL_USER_ACCOUNTS
    return list(dict.fromkeys(members))


def members_key(members: Any) -> Any:
    """Members in a comparable form (order and duplicates do not matter)."""
    if members in (None, ""):
        return ()
    if members == ALL_USER_ACCOUNTS:
        return ALL_USER_ACCOUNTS
    return tuple(sorted(set(members)))


def same_group(group: dict, payload: dict) -> bool:
    """Whether ``group`` (as read) matches every field ``payload`` sets."""
    if not capabilities_equal(group.get("capabilities") or [], payload.get("capabilities") or []):
        return False
    if "sourceId" in payload and (group.get("sourceId") or "") != (payload["sourceId"] or ""):
        return False
    if "members" in payload and members_key(group.get("members")) != members_key(payload["members"]):
        return False
    if "metadata" in payload and (group.get("metadata") or {}) != (payload["metadata"] or {}):
        return False
    if "attributes" in payload and (group.get("attributes") or {}) != (payload["attributes"] or {}):
        return False
    return True


def group_view(group: dict, label: Label = None) -> dict:
    """A stable, readable rendering for --diff: no ids (they change on every replacement), capabilities one line each
    (data sets and the like by name where ``label`` knows it)."""
    view = {"name": group.get("name")}
    members = members_key(group.get("members"))
    if group.get("sourceId") and not members:  # beside members it is the service's (see group_kind)
        view["source_id"] = group["sourceId"]
    if members:
        view["members"] = members if isinstance(members, str) else list(members)
    if group.get("metadata"):
        view["metadata"] = dict(sorted(group["metadata"].items()))
    if group.get("attributes"):
        view["attributes"] = group["attributes"]
    view["capabilities"] = describe_capabilities(group.get("capabilities") or [], label)
    return view


def group_payload(name: str, capabilities: list, **fields: Any) -> dict:
    """A create body: the capabilities as declared (capabilities.declared_capabilities), only the fields that are
    set."""
    payload = {"name": name, "capabilities": declared_capabilities(capabilities)}
    for key, value in fields.items():
        if value not in (None, "", [], {}):
            payload[key] = value
    return payload
