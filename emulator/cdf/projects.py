"""Projects: ``GET /api/v1/projects`` and ``GET /api/v1/projects/{project}`` (cognite-toolkit's auth checks call them).

Shapes, from independent sources:

* ``GET /api/v1/projects[?withDataModelingStatus=true]`` -> ``{"items": [{"urlName", "dataModelingStatus"?}]}``:
  cognite-toolkit ``client/api/project.py`` (``ProjectAPI.status``) and ``resource_classes/legacy/project.py``
  (``ProjectStatus``: ``url_name``, ``data_modeling_status`` HYBRID | DATA_MODELING_ONLY). It lists "the projects
  you have access to", that is where the caller holds at least ``projectsAcl:READ`` (cognite-sdk docs,
  ``CogniteClient.projects.list``); a token with none gets an empty list.
* ``GET /api/v1/projects/{project}`` -> ``{"name", "urlName", "organization", "userProfilesConfiguration":
  {"enabled"}}``: cognite-sdk ``data_classes/projects.py`` (``Project``: ``name``, ``urlName``,
  ``userProfilesConfiguration``) and the SDK's and toolkit's organization look-up, which reads ``organization``
  from this answer. It needs ``projectsAcl:READ`` in that project (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import caller_capabilities, caller_endpoint, project_endpoint, require
from emulator.cdf.seeds import ORG
from emulator.server.store import Store
from emulator.server.web import ok, query_bool

DATA_MODELING_STATUS = "HYBRID"


def _holds_read(project: dict[str, Any], caller: Any) -> bool:
    for cap in caller_capabilities(project, caller):
        body = cap.get("projectsAcl")
        if isinstance(body, dict) and "READ" in body.get("actions", []):
            return True
    return False


async def list_projects(request: Request) -> Response:
    """The projects where the caller holds ``projectsAcl:READ``."""
    store: Store = request.app.state.store
    with_status = query_bool(request, "withDataModelingStatus", False)
    items = []
    for name, project in sorted(store.state["projects"].items()):
        if not _holds_read(project, request.state.caller):
            continue
        item: dict[str, Any] = {"urlName": name}
        if with_status:
            item["dataModelingStatus"] = DATA_MODELING_STATUS
        items.append(item)
    return ok({"items": items})


async def retrieve_project(request: Request) -> Response:
    require(request, "projectsAcl", "READ")
    name = request.path_params["project"]
    return ok(
        {
            "name": name,
            "urlName": name,
            "organization": ORG,
            "userProfilesConfiguration": {"enabled": True},
        }
    )


def routes(store: Store) -> list[Route]:
    return [
        Route("/api/v1/projects", caller_endpoint(list_projects), methods=["GET"]),
        Route("/api/v1/projects/{project}", project_endpoint(retrieve_project), methods=["GET"]),
    ]
