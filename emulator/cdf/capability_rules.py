"""Validation and storage form of group capabilities, as the CDF groups API applies them.

What CDF accepts before its clients know it is stored and returned as sent: ACL names the catalogue lacks
(ending in ``Acl``), actions a known ACL is not known to take (toolkit PR #2963: "known ACLs with future or
unknown actions"), and scopes the catalogue lacks (toolkit PR #2834: ``agentExternalIdScope`` on ``agentsAcl``).
A scope the catalogue knows is checked against its fields, under any ACL: a malformed shape is a 400. Ids given
as digit strings become ints; a raw ``tableScope`` database without tables is stored (and returned) as ``{db: {}}``.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.cdf.catalogue import acls, scope_fields
from emulator.server.errors import ApiError, bad_request


def _int_list(value: Any, where: str) -> list[int]:
    if not isinstance(value, list):
        raise bad_request(f"{where}: a list of integer ids is required")
    result = []
    for item in value:
        if isinstance(item, bool):
            raise bad_request(f"{where}: {json.dumps(item)} is not an integer id")
        if isinstance(item, int):
            result.append(item)
        elif isinstance(item, str) and item.strip().isdigit():
            result.append(int(item))
        else:
            raise bad_request(f"{where}: {json.dumps(item)} is not an integer id")
    return result


def _str_list(value: Any, where: str, allowed: list[str] | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request(f"{where}: a list of strings is required")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise bad_request(f"{where}: {bad} not allowed; allowed values: {allowed}")
    return list(value)


def _tables(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request(f"{where}: an object mapping database names to tables is required")
    result: dict[str, Any] = {}
    for db, spec in value.items():
        if isinstance(spec, list):
            tables = _str_list(spec, f"{where}.{db}")
        elif isinstance(spec, dict):
            extra = set(spec) - {"tables"}
            if extra:
                raise bad_request(f"{where}.{db}: unrecognized field(s) {sorted(extra)}")
            tables = _str_list(spec.get("tables", []), f"{where}.{db}.tables")
        else:
            raise bad_request(f'{where}.{db}: a list of tables or {{"tables": [...]}} is required')
        result[db] = {"tables": tables} if tables else {}
    return result


def _scope_fields(fields: dict[str, str], value: dict[str, Any], where: str) -> dict[str, Any]:
    extra = sorted(set(value) - set(fields))
    if extra:
        raise bad_request(f"{where}: unrecognized field(s) {extra}; expected {sorted(fields) or 'none'}")
    result: dict[str, Any] = {}
    for field, kind in fields.items():
        if field not in value:
            raise bad_request(f"{where}.{field} is required")
        item = value[field]
        if kind == "list[int]":
            result[field] = _int_list(item, f"{where}.{field}")
        elif kind == "list[str]":
            result[field] = _str_list(item, f"{where}.{field}")
        elif kind.startswith("list[Literal["):
            allowed = [v.strip(" '\"") for v in kind[len("list[Literal[") : -2].split(",")]
            result[field] = _str_list(item, f"{where}.{field}", allowed)
        elif field == "dbsToTables":
            result[field] = _tables(item, f"{where}.{field}")
        else:
            result[field] = item
    return result


def validate_capability(cap: Any, where: str) -> dict[str, Any]:
    """One capability in storage form, or a 400 that says what is wrong with it."""
    if not isinstance(cap, dict) or len(cap) != 1:
        raise bad_request(f"{where}: each capability must be an object with exactly one ACL key")
    ((acl, body),) = cap.items()
    known = acls().get(acl)
    if known is None and not acl.endswith("Acl"):
        raise bad_request(f"{where}: unknown ACL {acl!r}")
    if not isinstance(body, dict):
        raise bad_request(f"{where}.{acl}: an object with actions and scope is required")
    extra = sorted(set(body) - {"actions", "scope"})
    if extra:
        raise bad_request(f"{where}.{acl}: unrecognized field(s) {extra}")
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) for a in actions):
        raise bad_request(f"{where}.{acl}.actions: a non-empty list of action names is required")
    scope = body.get("scope")
    if not isinstance(scope, dict) or len(scope) != 1:
        raise bad_request(f"{where}.{acl}.scope: exactly one scope is required")
    ((scope_name, scope_value),) = scope.items()
    if not isinstance(scope_value, dict):
        raise bad_request(f"{where}.{acl}.scope.{scope_name}: an object is required")
    if known is None:
        return {acl: {"actions": list(actions), "scope": {scope_name: scope_value}}}
    fields = known["scopes"][scope_name] if scope_name in known["scopes"] else scope_fields().get(scope_name)
    if fields is None:  # a scope newer than the catalogue: kept as sent
        return {acl: {"actions": list(actions), "scope": {scope_name: scope_value}}}
    stored = _scope_fields(fields, scope_value, f"{where}.{acl}.scope.{scope_name}")
    return {acl: {"actions": list(actions), "scope": {scope_name: stored}}}


def validate_capabilities(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ApiError(400, f"{where}: a list of capabilities is required")
    return [validate_capability(cap, f"{where}[{i}]") for i, cap in enumerate(value)]
