"""``GET /api/v1/token/inspect``: who the token is, its projects and groups, and its capabilities.

Inspection needs ``projectsAcl:LIST`` and ``groupsAcl:LIST`` (API reference, ``/token/inspect``: 200/401/403, and
the tokens concept page). The endpoint is not project-scoped, so a capability counts when the caller holds
it in any project the token reaches, in any scope. Without them: 403 with CDF's error body.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.cdf.callers import caller_endpoint, caller_groups
from emulator.server.errors import ApiError
from emulator.server.store import Store
from emulator.server.web import ok

#: What inspection needs, as (acl, action).
INSPECT_NEEDS = (("projectsAcl", "LIST"), ("groupsAcl", "LIST"))


def _holds(capabilities: list[dict[str, Any]], acl: str, action: str) -> bool:
    return any(isinstance(cap.get(acl), dict) and action in cap[acl].get("actions", []) for cap in capabilities)


def _check_inspection_rights(capabilities: list[dict[str, Any]]) -> None:
    missing = [f"{acl}:{action}" for acl, action in INSPECT_NEEDS if not _holds(capabilities, acl, action)]
    if missing:
        raise ApiError(
            403,
            "Forbidden: token inspection needs projectsAcl:LIST and groupsAcl:LIST; "
            f"missing capability {' and '.join(missing)} in every project this token reaches",
        )


async def inspect(request: Request) -> Response:
    """Every capability carries ``projectScope`` (cognite-sdk requires it on each one)."""
    store: Store = request.app.state.store
    caller = request.state.caller
    projects: list[dict[str, Any]] = []
    capabilities: list[dict[str, Any]] = []
    for name, project in sorted(store.state["projects"].items()):
        groups = caller_groups(project, caller)
        if not groups:
            continue
        projects.append({"projectUrlName": name, "groups": [g["id"] for g in groups]})
        for group in groups:
            for cap in group["capabilities"]:
                capabilities.append({**cap, "projectScope": {"projects": [name]}})
    _check_inspection_rights(capabilities)
    return ok({"subject": caller.subject, "projects": projects, "capabilities": capabilities})


def routes(store: Store) -> list[Route]:
    return [Route("/api/v1/token/inspect", caller_endpoint(inspect), methods=["GET"])]
