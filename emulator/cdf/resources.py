"""What the CDF resource APIs with ``id``/``externalId`` identity share (data sets, extraction pipelines).

Identifiers (``{"id": N}`` or ``{"externalId": "x"}``, as cognite-sdk 8.22.0's ``IdentifierSequence.as_dicts()``
sends them to ``/byids``), the ``missing`` / ``duplicated`` error items (cognite-sdk ``CogniteNotFoundError`` reads
``error.missing``, ``CogniteDuplicatedError`` ``error.duplicated``), the metadata limits cognite-sdk documents for
both resources (``data_classes/data_sets.py``, ``extractionpipelines.py``: keys <= 128 bytes, values <= 10240 bytes,
<= 256 pairs, <= 10240 bytes in all) and the scopes of an ACL that let a caller see one resource.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request

from emulator.cdf.callers import require
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import as_int_id, check_keys

Identifier = dict[str, Any]


def optional_text(item: dict[str, Any], name: str, where: str, max_chars: int, *, min_chars: int = 0) -> None:
    """``item[name]``, when present and not null, is a string of ``min_chars..max_chars`` characters."""
    value = item.get(name)
    if value is None:
        return
    if not isinstance(value, str):
        raise bad_request(f"{where}.{name} must be a string")
    if not min_chars <= len(value) <= max_chars:
        raise bad_request(f"{where}.{name} must be {min_chars} to {max_chars} characters long, got {len(value)}")


def check_metadata(value: Any, where: str) -> None:
    """A string -> string map within the documented limits (null or absent is fine)."""
    if value is None:
        return
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise bad_request(f"{where}.metadata must be an object of string values")
    if len(value) > 256:
        raise bad_request(f"{where}.metadata may hold at most 256 pairs, got {len(value)}")
    total = 0
    for key, text in value.items():
        key_bytes, value_bytes = len(key.encode()), len(text.encode())
        if key_bytes > 128 or value_bytes > 10240:
            raise bad_request(f"{where}.metadata: keys are at most 128 bytes and values at most 10240 bytes")
        total += key_bytes + value_bytes
    if total > 10240:
        raise bad_request(f"{where}.metadata is {total} bytes; at most 10240 bytes in all")


def parse_identifiers(items: list[Any]) -> list[Identifier]:
    """``[{"id": N} | {"externalId": "x"}]``: exactly one of the two per item; all must be unique (else 400)."""
    found: list[Identifier] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            raise bad_request(f'{where}: an object {{"id": ...}} or {{"externalId": ...}} is required')
        check_keys(item, ("id", "externalId"), where)
        if len(item) != 1:
            raise bad_request(f"{where}: give exactly one of id and externalId")
        if "id" in item:
            found.append({"id": as_int_id(item["id"], f"{where}.id")})
        else:
            external_id = item["externalId"]
            if not isinstance(external_id, str) or not external_id:
                raise bad_request(f"{where}.externalId must be a non-empty string")
            found.append({"externalId": external_id})
    duplicated = [ident for index, ident in enumerate(found) if ident in found[:index]]
    if duplicated:
        raise ApiError(400, "All ids and externalIds must be unique", duplicated=_unique(duplicated))
    return found


def _unique(idents: list[Identifier]) -> list[Identifier]:
    seen: list[Identifier] = []
    for ident in idents:
        if ident not in seen:
            seen.append(ident)
    return seen


def find(table: dict[str, dict[str, Any]], ident: Identifier) -> dict[str, Any] | None:
    """The resource ``ident`` names in ``table`` (keyed by str(id)), or None."""
    if "id" in ident:
        return table.get(str(ident["id"]))
    return next((r for r in table.values() if r.get("externalId") == ident["externalId"]), None)


def resolve(
    table: dict[str, dict[str, Any]], idents: list[Identifier], *, ignore_unknown: bool, noun: str
) -> list[dict[str, Any]]:
    """The resources ``idents`` name, in request order; unknown ones: 400 ``missing`` (as given) unless ignored."""
    found = [(ident, find(table, ident)) for ident in idents]
    missing = [ident for ident, resource in found if resource is None]
    if missing and not ignore_unknown:
        raise ApiError(400, f"{noun} not found", missing=missing)
    resources: list[dict[str, Any]] = []
    for _ident, resource in found:
        if resource is not None and all(resource["id"] != r["id"] for r in resources):
            resources.append(resource)
    return resources


def existing_external_ids(table: dict[str, dict[str, Any]], external_ids: list[str]) -> list[Identifier]:
    """``[{"externalId"}]`` for each of ``external_ids`` a resource of ``table`` already has."""
    taken = {r.get("externalId") for r in table.values()}
    return [{"externalId": x} for x in dict.fromkeys(external_ids) if x in taken]


def repeated_external_ids(external_ids: list[str]) -> list[Identifier]:
    """``[{"externalId"}]`` for each external id given more than once in one request."""
    repeated = [x for index, x in enumerate(external_ids) if x in external_ids[:index]]
    return [{"externalId": x} for x in dict.fromkeys(repeated)]


class Visibility:
    """The scopes in which the caller holds ``acl:action``; which resources they cover.

    ``all`` covers every resource, ``idScope`` the resources it lists, ``datasetScope`` those whose ``dataSetId``
    it lists. Raises the 403 (naming ``acl:action``) when the caller holds it in none of ``kinds``.
    """

    def __init__(self, request: Request, acl: str, action: str, kinds: tuple[str, ...]) -> None:
        self.acl, self.action = acl, action
        self.scopes = require(request, acl, action, kinds)
        self.project = request.path_params.get("project")

    def covers(self, resource: dict[str, Any]) -> bool:
        for scope in self.scopes:
            if "all" in scope:
                return True
            if resource["id"] in _ids(scope, "idScope"):
                return True
            if resource.get("dataSetId") is not None and resource["dataSetId"] in _ids(scope, "datasetScope"):
                return True
        return False

    def covers_data_set(self, data_set_id: int) -> bool:
        """Whether a ``datasetScope`` (or ``all``) covers resources of data set ``data_set_id``."""
        return any("all" in s or data_set_id in _ids(s, "datasetScope") for s in self.scopes)

    def check(self, resources: list[dict[str, Any]]) -> None:
        """403 when any of ``resources`` lies outside the caller's scopes."""
        outside = [r["id"] for r in resources if not self.covers(r)]
        if outside:
            raise ApiError(
                403,
                f"Forbidden: missing capability {self.acl}:{self.action} for id(s) "
                f"{', '.join(str(i) for i in outside)} in project {self.project!r}",
            )


def _ids(scope: dict[str, Any], name: str) -> list[int]:
    body = scope.get(name)
    ids = body.get("ids", []) if isinstance(body, dict) else []
    return [int(i) for i in ids if isinstance(i, int) or (isinstance(i, str) and i.isdigit())]


def check_new_external_ids(rows: dict[str, dict[str, Any]], new: list[dict[str, Any]], what: str) -> None:
    """A create's external ids: a repeat within the request is a 400, one that exists a 409, both ``duplicated``."""
    external_ids = [item["externalId"] for item in new if "externalId" in item]
    repeated = repeated_external_ids(external_ids)
    if repeated:
        raise ApiError(400, "Duplicate external ids in the request", duplicated=repeated)
    existing = existing_external_ids(rows, external_ids)
    if existing:
        raise ApiError(409, f"{what} with these external ids already exist", duplicated=existing)


def store_new(request: Request, rows: dict[str, dict[str, Any]], new: list[dict[str, Any]], counter: str, start: int) -> list:
    """Give each new item an id (counter ``counter``, from ``start``) and its times, store it in ``rows``."""
    store: Store = request.app.state.store
    store.state["counters"].setdefault(counter, start + len(rows))
    now = int(time.time() * 1000)
    created = []
    for item in new:
        item = {"id": store.next_id(counter), **item, "createdTime": now, "lastUpdatedTime": now}
        rows[str(item["id"])] = item
        created.append(item)
    return created
