"""The ACL catalogue (ACL -> actions, scopes and scope fields) the emulator validates groups against.

``capabilities.json``, beside this module, was introspected from cognite-sdk 8.22.0 (the same catalogue the
collection's capability helper is generated from).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).with_name("capabilities.json")


@cache
def acls() -> dict[str, dict[str, Any]]:
    """``{aclName: {"actions": [...], "scopes": {scopeName: {field: type}}, "legacy"?: true}}``."""
    with CATALOGUE_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["acls"]


def actions(acl: str) -> list[str]:
    return list(acls()[acl]["actions"])


@cache
def scope_fields() -> dict[str, dict[str, str]]:
    """Every scope the catalogue knows, under any ACL: ``{scopeName: {field: type}}`` (a name has one shape)."""
    fields: dict[str, dict[str, str]] = {}
    for acl in acls().values():
        for name, spec in acl["scopes"].items():
            fields.setdefault(name, spec)
    return fields
