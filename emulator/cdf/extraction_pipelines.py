"""Extraction pipelines: ``/api/v1/projects/{project}/extpipes`` (create, list, byids): the minimum to resolve
``extractionPipelineScope`` ids.

Wire format as cognite-sdk 8.22.0 sends and reads it (``cognite/client/_api/extractionpipelines/__init__.py``,
``data_classes/extractionpipelines.py``) and the API reference (20230101, Extraction Pipelines) documents it:
- create ``POST /extpipes`` ``{"items": [{externalId, name, dataSetId, description?, rawTables?, schedule?,
  contacts?, metadata?, source?, documentation?, notificationConfig?, createdBy?}]}``, 1..1000 items; needs
  ``extractionPipelinesAcl:WRITE`` and ``datasetsAcl:READ`` (the reference); **201** (as the emulator's other
  creates) with ``id``, ``createdTime``, ``lastUpdatedTime`` added. An external id that exists: 409
  ``duplicated: [{"externalId"}]``; a ``dataSetId`` that names no data set: 400; nothing created on any error.
- list ``GET /extpipes?limit=&cursor=`` (``client.extraction_pipelines.list()`` uses ``method="GET"``); by id;
  ``limit`` 1..1000, default 100 (the emulator's choice: the SDK always sends one); ``extractionPipelinesAcl:READ``.
- retrieve ``POST /extpipes/byids`` ``{"items": [{"id"} | {"externalId"}], "ignoreUnknownIds"?}``; unknown: 400
  ``missing`` as given; ``extractionPipelinesAcl:READ``.

``extractionPipelinesAcl`` scopes are ``all``, ``idScope`` and ``datasetScope`` (cdf/capabilities.json): reads show
what they cover (``byids`` of an existing pipeline outside them: 403); create needs ``WRITE`` in ``all`` or in a
``datasetScope`` naming the new pipeline's data set (the emulator's choices).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf import datasets
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
from emulator.cdf.seeds import EXTPIPE_ID_START
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import (
    as_int_id,
    body_flag,
    check_keys,
    items_of,
    json_body,
    ok,
    page_body,
    paginate,
    query_int,
)

BASE = "/api/v1/projects/{project}/extpipes"
TEXT_FIELDS = {"description": 500, "schedule": 1000, "source": 255, "documentation": 10000, "createdBy": 255}
LIST_FIELDS = ("rawTables", "contacts")
FIELDS = ("externalId", "name", "dataSetId", "metadata", "notificationConfig", *TEXT_FIELDS, *LIST_FIELDS)
READ_SCOPES = ("all", "idScope", "datasetScope")


def table(project: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The project's extraction pipelines by str(id) (a state file older than this API gets an empty table)."""
    return project.setdefault("extPipes", {})


def _new_pipeline(item: Any, index: int) -> dict[str, Any]:
    where = f"items[{index}]"
    if not isinstance(item, dict):
        raise bad_request(f"{where}: an object is required")
    check_keys(item, FIELDS, where)
    for required in ("externalId", "name", "dataSetId"):
        if item.get(required) is None:
            raise bad_request(f"{where}.{required} is required")
    optional_text(item, "externalId", where, 255, min_chars=1)
    optional_text(item, "name", where, 140, min_chars=1)
    for name, max_chars in TEXT_FIELDS.items():
        optional_text(item, name, where, max_chars)
    check_metadata(item.get("metadata"), where)
    for name in LIST_FIELDS:
        value = item.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            raise bad_request(f"{where}.{name} must be a list of objects")
    config = item.get("notificationConfig")
    if config is not None and not isinstance(config, dict):
        raise bad_request(f"{where}.notificationConfig must be an object")
    pipeline = {k: v for k, v in item.items() if v is not None}
    pipeline["dataSetId"] = as_int_id(item["dataSetId"], f"{where}.dataSetId")
    return pipeline


async def create_pipelines(request: Request) -> Response:
    project = request.state.project
    writable = Visibility(request, "extractionPipelinesAcl", "WRITE", ("all", "datasetScope"))
    require(request, "datasetsAcl", "READ", datasets.SCOPES)
    new = [_new_pipeline(item, index) for index, item in enumerate(items_of(await json_body(request)))]
    outside = sorted({p["dataSetId"] for p in new if not writable.covers_data_set(p["dataSetId"])})
    if outside:
        raise ApiError(403, f"Forbidden: missing capability extractionPipelinesAcl:WRITE for data set(s) {outside}")
    unknown = sorted({p["dataSetId"] for p in new if str(p["dataSetId"]) not in datasets.table(project)})
    if unknown:
        raise bad_request(f"Data set(s) not found: {', '.join(str(i) for i in unknown)}")
    check_new_external_ids(table(project), new, "Extraction pipelines")
    return ok({"items": store_new(request, table(project), new, "extPipe", EXTPIPE_ID_START)}, status=201)


async def list_pipelines(request: Request) -> Response:
    visible = Visibility(request, "extractionPipelinesAcl", "READ", READ_SCOPES)
    found = [p for p in table(request.state.project).values() if visible.covers(p)]
    page, cursor = paginate(
        found,
        lambda p: p["id"],
        kind="extpipes",
        limit=query_int(request, "limit", 100, 1, 1000),
        cursor=request.query_params.get("cursor"),
    )
    return ok(page_body(page, cursor))


async def pipelines_by_ids(request: Request) -> Response:
    visible = Visibility(request, "extractionPipelinesAcl", "READ", READ_SCOPES)
    body = await json_body(request)
    idents = parse_identifiers(items_of(body, extra=("ignoreUnknownIds",)))
    found = resolve(
        table(request.state.project),
        idents,
        ignore_unknown=body_flag(body, "ignoreUnknownIds"),
        noun="Extraction pipelines",
    )
    visible.check(found)
    return ok({"items": found})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_pipelines), methods=["GET"]),
        Route(BASE, project_endpoint(create_pipelines, write=True), methods=["POST"]),
        Route(BASE + "/byids", project_endpoint(pipelines_by_ids), methods=["POST"]),
    ]
