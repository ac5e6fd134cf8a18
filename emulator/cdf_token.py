"""``GET /api/v1/token/inspect``: who the token is, its projects and groups, and its capabilities."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.auth import caller_groups
from emulator.store import Store
from emulator.web import endpoint, ok


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
    return ok({"subject": caller.subject, "projects": projects, "capabilities": capabilities})


def routes(store: Store) -> list[Route]:
    return [Route("/api/v1/token/inspect", endpoint(inspect, project=False), methods=["GET"])]
