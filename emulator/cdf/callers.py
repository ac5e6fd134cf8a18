"""CDF callers and what they may do: the guards that resolve the caller (and the path's project) once per request.

A caller's capabilities in a project are the union of the capabilities of that project's groups whose
``sourceId`` is one of the IdP groups in the caller's token, or whose ``members`` list names the caller. Project
endpoints (``/api/v1/projects/{project}/...``) are wrapped with ``project_endpoint``: the handler finds
``request.state.caller`` and ``request.state.project`` (403 before it runs when the project is unknown).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from emulator.cdf.control import group_switches
from emulator.server.auth import Caller, bearer_grant
from emulator.server.errors import ApiError
from emulator.server.web import Handler, endpoint

ISSUER = "idp"


def resolve_caller(request: Request) -> Caller:
    """The caller behind ``Authorization: Bearer <token>``: a token of the project's IdP; 401 otherwise."""
    grant = bearer_grant(request, ApiError)
    if grant.issuer != ISSUER:
        raise ApiError(
            401,
            "Unauthorized: this token was issued by the auth API (auth.cognite.com); CDF project endpoints take "
            "tokens of the project's identity provider",
        )
    client = request.app.state.store.state["clients"].get(grant.client_id)
    if client is None:
        raise ApiError(401, "Unauthorized: the token's client no longer exists")
    return Caller(client_id=grant.client_id, subject=grant.client_id, idp_groups=tuple(client["idpGroups"]))


def caller_guard(request: Request) -> None:
    """Any CDF caller: ``request.state.caller`` (and ``.client`` for the request log)."""
    caller = request.state.caller = resolve_caller(request)
    request.state.client = caller.client_id


def project_guard(request: Request) -> None:
    """A CDF caller and the project named in the path (``request.state.project``); 403 when not served."""
    caller_guard(request)
    name = request.path_params.get("project", "")
    project = request.app.state.store.state["projects"].get(name)
    if project is None:
        raise ApiError(403, f"Project {name!r} is unknown or not accessible with this token")
    request.state.project = project


def caller_endpoint(handler: Handler, *, write: bool = False) -> Handler:
    """A CDF endpoint outside any project (token inspect, the projects list)."""
    return endpoint(handler, write=write, guard=caller_guard)


def project_endpoint(handler: Handler, *, write: bool = False) -> Handler:
    """A CDF endpoint under ``/api/v1/projects/{project}``."""
    return endpoint(handler, write=write, guard=project_guard)


def caller_groups(project: dict[str, Any], caller: Caller) -> list[dict[str, Any]]:
    """The project's groups that apply to ``caller`` (by IdP group, or by explicit membership)."""
    found = []
    for group in project["groups"].values():
        if group.get("isDeleted"):
            continue
        members = group.get("members")
        by_source = bool(group.get("sourceId")) and group["sourceId"] in caller.idp_groups
        by_member = isinstance(members, list) and caller.subject in members
        if by_source or by_member:
            found.append(group)
    return sorted(found, key=lambda g: g["id"])


def caller_capabilities(project: dict[str, Any], caller: Caller) -> list[dict[str, Any]]:
    return [cap for group in caller_groups(project, caller) for cap in group["capabilities"]]


def granted_scopes(request: Request, acl: str, action: str) -> list[dict[str, Any]]:
    """Every scope in which the caller holds ``acl:action`` in the request's project."""
    applied = group_switches(request.app.state.store).applied  # a new group's access may take a moment
    groups = caller_groups(request.state.project, request.state.caller)
    scopes = []
    for cap in [c for g in groups if applied(g) for c in g["capabilities"]]:
        body = cap.get(acl)
        if isinstance(body, dict) and action in body.get("actions", []):
            scopes.append(body.get("scope", {}))
    return scopes


def require(request: Request, acl: str, action: str, scopes: tuple[str, ...] = ("all",)) -> list[dict[str, Any]]:
    """Raise a 403 unless the caller holds ``acl:action`` in one of ``scopes``; return the matching scopes."""
    matching = [s for s in granted_scopes(request, acl, action) if any(k in s for k in scopes)]
    if not matching:
        scope_text = " or ".join(scopes)
        project = request.path_params.get("project")
        raise ApiError(403, f"Forbidden: missing capability {acl}:{action} (scope {scope_text}) in project {project!r}")
    return matching


def has(request: Request, acl: str, action: str) -> bool:
    return any("all" in s for s in granted_scopes(request, acl, action))
