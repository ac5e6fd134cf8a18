"""Data sets: ``/api/v1/projects/{project}/datasets`` (create, list, filter, byids).

Wire format as cognite-sdk 8.22.0 sends and reads it (``cognite/client/_api/data_sets.py``,
``data_classes/data_sets.py``, ``_api_client.py``) and the API reference (20230101, Data sets) documents it:
- create ``POST /datasets`` ``{"items": [{externalId?, name?, description?, metadata?, writeProtected?}]}``, 1..10
  items (the reference; the SDK's ``_CREATE_LIMIT = 10``), ``datasetsAcl:WRITE``; **201**
  ``{"items": [{id, externalId?, name?, description?, metadata, writeProtected, createdTime, lastUpdatedTime}]}``.
  An external id that exists: 409 ``duplicated: [{"externalId"}]``, nothing created; one given twice: 400.
- filter ``POST /datasets/list`` ``{"filter"?: {metadata, createdTime, lastUpdatedTime, externalIdPrefix,
  writeProtected}, "limit", "cursor"?}``: what ``client.data_sets.list()`` calls (``method="POST"``); and
  ``GET /datasets?limit=&cursor=`` (issue 15's ask). Ordered by id; ``limit`` 1..1000, default 25;
  ``nextCursor`` absent on the last page. ``datasetsAcl:READ``.
- retrieve ``POST /datasets/byids`` ``{"items": [{"id"} | {"externalId"}], "ignoreUnknownIds"?}`` (1..1000, all
  unique), ``datasetsAcl:READ``; unknown items: 400 ``missing`` naming them as given (the SDK's
  ``CogniteNotFoundError.not_found``; ``retrieve()`` of one unknown item then returns None).

``datasetsAcl`` scopes are ``all`` and ``idScope`` (cdf/capabilities.json). The emulator's choices where no source
settles them: with ``idScope`` the list shows only the listed data sets and ``byids`` of an existing data set
outside the scope is a 403; create needs ``WRITE`` in scope ``all``. ``datasets/update`` is not served.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import project_endpoint, require
from emulator.cdf.resources import (
    Visibility,
    check_metadata,
    check_new_external_ids,
    optional_text,
    parse_identifiers,
    resolve,
    store_new,
)
from emulator.cdf.seeds import DATA_SET_ID_START
from emulator.server.errors import bad_request
from emulator.server.store import Store
from emulator.server.web import body_flag, body_int, check_keys, items_of, json_body, ok, page_body, paginate, query_int

BASE = "/api/v1/projects/{project}/datasets"
CREATE_FIELDS = ("externalId", "name", "description", "metadata", "writeProtected")
FILTER_FIELDS = ("metadata", "createdTime", "lastUpdatedTime", "externalIdPrefix", "writeProtected")
SCOPES = ("all", "idScope")


def table(project: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The project's data sets by str(id) (a state file older than this API gets an empty table)."""
    return project.setdefault("dataSets", {})


def _new_data_set(item: Any, index: int) -> dict[str, Any]:
    where = f"items[{index}]"
    if not isinstance(item, dict):
        raise bad_request(f"{where}: an object is required")
    check_keys(item, CREATE_FIELDS, where)
    optional_text(item, "externalId", where, 255, min_chars=1)
    optional_text(item, "name", where, 50)
    optional_text(item, "description", where, 500)
    check_metadata(item.get("metadata"), where)
    protected = item.get("writeProtected")
    if protected is not None and not isinstance(protected, bool):
        raise bad_request(f"{where}.writeProtected must be a boolean")
    data_set: dict[str, Any] = {k: item[k] for k in ("externalId", "name", "description") if item.get(k) is not None}
    data_set["metadata"] = dict(item.get("metadata") or {})
    data_set["writeProtected"] = bool(protected)
    return data_set


async def create_data_sets(request: Request) -> Response:
    project = request.state.project
    require(request, "datasetsAcl", "WRITE")
    items = items_of(await json_body(request), max_items=10)
    new = [_new_data_set(item, index) for index, item in enumerate(items)]
    check_new_external_ids(table(project), new, "Data sets")
    return ok({"items": store_new(request, table(project), new, "dataSet", DATA_SET_ID_START)}, status=201)


def _time_range(value: Any, where: str) -> tuple[int | None, int | None]:
    if not isinstance(value, dict):
        raise bad_request(f"{where} must be an object {{min?, max?}}")
    check_keys(value, ("min", "max"), where)
    bounds = [value.get("min"), value.get("max")]
    if any(b is not None and (isinstance(b, bool) or not isinstance(b, int)) for b in bounds):
        raise bad_request(f"{where}.min and .max must be integers (epoch milliseconds)")
    return bounds[0], bounds[1]


def _matcher(spec: Any) -> Any:
    """The predicate of a data set filter (exact matches; time ranges inclusive)."""
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise bad_request("filter must be an object")
    check_keys(spec, FILTER_FIELDS, "filter")
    check_metadata(spec.get("metadata"), "filter")
    prefix = spec.get("externalIdPrefix")
    if prefix is not None and not isinstance(prefix, str):
        raise bad_request("filter.externalIdPrefix must be a string")
    protected = spec.get("writeProtected")
    if protected is not None and not isinstance(protected, bool):
        raise bad_request("filter.writeProtected must be a boolean")
    ranges = {
        field: _time_range(spec[field], f"filter.{field}")
        for field in ("createdTime", "lastUpdatedTime")
        if spec.get(field) is not None
    }

    def matches(data_set: dict[str, Any]) -> bool:
        if spec.get("metadata") and any(data_set["metadata"].get(k) != v for k, v in spec["metadata"].items()):
            return False
        if prefix and not str(data_set.get("externalId") or "").startswith(prefix):
            return False
        if protected is not None and data_set["writeProtected"] != protected:
            return False
        for field, (low, high) in ranges.items():
            if (low is not None and data_set[field] < low) or (high is not None and data_set[field] > high):
                return False
        return True

    return matches


def _page(request: Request, matches: Any, limit: int, cursor: Any) -> Response:
    visible = Visibility(request, "datasetsAcl", "READ", SCOPES)
    if cursor is not None and not isinstance(cursor, str):
        raise bad_request("cursor must be a string")
    found = [d for d in table(request.state.project).values() if visible.covers(d) and matches(d)]
    page, next_cursor = paginate(found, lambda d: d["id"], kind="datasets", limit=limit, cursor=cursor)
    return ok(page_body(page, next_cursor))


async def list_data_sets(request: Request) -> Response:
    """``GET /datasets?limit=&cursor=``: every data set the caller may read, by id."""
    limit = query_int(request, "limit", 25, 1, 1000)
    return _page(request, lambda _d: True, limit, request.query_params.get("cursor"))


async def filter_data_sets(request: Request) -> Response:
    """``POST /datasets/list``: what cognite-sdk's ``data_sets.list()`` and iteration call."""
    body = await json_body(request)
    check_keys(body, ("filter", "limit", "cursor"), "the request body")
    limit = body_int(body, "limit", 25, 1, 1000)
    return _page(request, _matcher(body.get("filter")), limit, body.get("cursor"))


async def data_sets_by_ids(request: Request) -> Response:
    visible = Visibility(request, "datasetsAcl", "READ", SCOPES)
    body = await json_body(request)
    idents = parse_identifiers(items_of(body, extra=("ignoreUnknownIds",)))
    found = resolve(
        table(request.state.project), idents, ignore_unknown=body_flag(body, "ignoreUnknownIds"), noun="Data sets"
    )
    visible.check(found)
    return ok({"items": found})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_data_sets), methods=["GET"]),
        Route(BASE, project_endpoint(create_data_sets, write=True), methods=["POST"]),
        Route(BASE + "/list", project_endpoint(filter_data_sets), methods=["POST"]),
        Route(BASE + "/byids", project_endpoint(data_sets_by_ids), methods=["POST"]),
    ]
