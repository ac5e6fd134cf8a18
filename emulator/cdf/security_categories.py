"""Security categories: ``/api/v1/projects/{project}/securitycategories`` (list, create, delete).

Create answers 201 and is all-or-nothing: if any name exists the request fails with 409 ``duplicated``
(duplicate names within one request are created once). Delete fails as a whole on any unknown id.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import project_endpoint, require
from emulator.server.errors import ApiError, bad_request
from emulator.server.store import Store
from emulator.server.web import as_int_id, check_keys, items_of, json_body, ok, page_body, paginate, query_int

BASE = "/api/v1/projects/{project}/securitycategories"
MAX_PER_PROJECT = 1000


async def list_categories(request: Request) -> Response:
    """Sorted by id (``sort=ASC`` or ``DESC``); ``limit`` 1..1000, default 25; opaque ``cursor``."""
    project = request.state.project
    require(request, "securityCategoriesAcl", "LIST")
    sort = request.query_params.get("sort", "ASC").upper()
    if sort not in ("ASC", "DESC"):
        raise bad_request(f"Query parameter sort must be ASC or DESC, got {sort!r}")
    limit = query_int(request, "limit", 25, 1, 1000)
    page, cursor = paginate(
        project["securityCategories"].values(),
        lambda c: c["id"],
        kind=f"securitycategories/{sort}",
        limit=limit,
        cursor=request.query_params.get("cursor"),
        descending=sort == "DESC",
    )
    return ok(page_body(page, cursor))


async def create_categories(request: Request) -> Response:
    project = request.state.project
    require(request, "securityCategoriesAcl", "CREATE")
    items = items_of(await json_body(request))
    names: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise bad_request(f"items[{index}]: an object with a name is required")
        check_keys(item, ("name",), f"items[{index}]")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request(f"items[{index}].name must not be blank")
        names.append(name)
    names = list(dict.fromkeys(names))
    existing = {c["name"] for c in project["securityCategories"].values()}
    duplicated = [name for name in names if name in existing]
    if duplicated:
        raise ApiError(
            409, "Security categories with these names already exist", duplicated=[{"name": n} for n in duplicated]
        )
    total = len(project["securityCategories"]) + len(names)
    if total > MAX_PER_PROJECT:
        raise bad_request(
            f"A project can have at most {MAX_PER_PROJECT} security categories; this request would make {total}"
        )
    store: Store = request.app.state.store
    created = []
    for name in names:
        cid = store.next_id("securityCategory")
        category = {"id": cid, "name": name}
        project["securityCategories"][str(cid)] = category
        created.append(category)
    return ok({"items": created}, status=201)


async def delete_categories(request: Request) -> Response:
    project = request.state.project
    require(request, "securityCategoriesAcl", "DELETE")
    items = items_of(await json_body(request))
    ids = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            raise bad_request(f'items[{index}]: ids are given as bare integers, e.g. {{"items": [123]}}')
        ids.append(as_int_id(item, f"items[{index}]"))
    missing = [cid for cid in dict.fromkeys(ids) if str(cid) not in project["securityCategories"]]
    if missing:
        raise ApiError(400, "Security categories not found", missing=[{"id": cid} for cid in missing])
    for cid in ids:
        project["securityCategories"].pop(str(cid), None)
    return ok({})


def routes(store: Store) -> list[Route]:
    return [
        Route(BASE, project_endpoint(list_categories), methods=["GET"]),
        Route(BASE, project_endpoint(create_categories, write=True), methods=["POST"]),
        Route(BASE + "/delete", project_endpoint(delete_categories, write=True), methods=["POST"]),
    ]
