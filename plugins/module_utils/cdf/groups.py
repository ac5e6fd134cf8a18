# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF groups: API calls, input checks, comparison and the readable view the modules share."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    capabilities_equal,
    describe_capabilities,
    normalise_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import created_item

ALL_USER_ACCOUNTS = "allUserAccounts"
METADATA_MAX_PAIRS = 16
METADATA_MAX_KEY_BYTES = 32
METADATA_MAX_VALUE_BYTES = 512
METADATA_MAX_TOTAL_BYTES = 4096
MEMBERS_MAX = 100


def list_groups(client: Any, name: Optional[str] = None) -> list:
    """Every group of the project (``all=true``: needs groupsAcl:LIST), optionally only those named ``name``."""
    items = client.get("groups", {"all": True}).get("items", [])
    return [group for group in items if name is None or group.get("name") == name]


def create_group(client: Any, payload: dict, known_ids: set) -> dict:
    """POST one group; after an uncertain failure, look for it before trying again (names are not unique)."""

    def recheck() -> Optional[dict]:
        for group in list_groups(client, payload["name"]):
            if group["id"] not in known_ids and same_group(group, payload):
                return {"items": [group]}
        return None

    return created_item(client.post("groups", {"items": [payload]}, recheck=recheck), "POST groups")


def delete_groups(client: Any, ids: list) -> None:
    client.post("groups/delete", {"items": list(ids)})


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
    """The option's list to the API's form: ``"allUserAccounts"`` stands alone, else a list of identifiers."""
    if members is None:
        return None
    if ALL_USER_ACCOUNTS in members:
        return ALL_USER_ACCOUNTS
    return sorted(set(members))


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


def group_view(group: dict) -> dict:
    """A stable, readable rendering for --diff: no ids (they change on every replacement), capabilities one line each."""
    view = {"name": group.get("name")}
    if group.get("sourceId"):
        view["source_id"] = group["sourceId"]
    members = members_key(group.get("members"))
    if members:
        view["members"] = members if isinstance(members, str) else list(members)
    if group.get("metadata"):
        view["metadata"] = dict(sorted(group["metadata"].items()))
    if group.get("attributes"):
        view["attributes"] = group["attributes"]
    view["capabilities"] = describe_capabilities(group.get("capabilities") or [])
    return view


def normalised_payload(name: str, capabilities: list, **fields: Any) -> dict:
    """A create body with canonical capabilities and only the fields that are set."""
    payload = {"name": name, "capabilities": normalise_capabilities(capabilities)}
    for key, value in fields.items():
        if value not in (None, "", [], {}):
            payload[key] = value
    return payload
