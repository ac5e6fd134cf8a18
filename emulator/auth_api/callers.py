"""Who calls the auth API, and the organization (and principal) the path names, resolved once per request.

Only auth-API tokens are taken: a token of the project's identity provider is 401 ("accepts only OAuth tokens
issued by https://auth.cognite.com", Principals concept page of the API reference). The guards set
``request.state.caller``, ``.client`` (the request log), ``.org`` and, for a principal's paths, ``.principal``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from emulator.auth_api.errors import AuthApiError
from emulator.server.auth import Caller, bearer_grant
from emulator.server.web import Guard, Handler, endpoint

ISSUER = "auth"
ORG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}[a-z0-9]$")


def resolve_auth_caller(request: Request) -> Caller:
    """The caller of an auth API endpoint: only tokens the auth API issued; 401 (flat body) for any other."""
    grant = bearer_grant(request, AuthApiError)
    if grant.issuer != ISSUER or grant.client_id not in request.app.state.store.state.get("authClients", {}):
        raise AuthApiError(
            401,
            "Unauthorized: the auth API accepts only tokens issued by https://auth.cognite.com; this token was "
            "issued by another identity provider",
        )
    request.state.caller = Caller(client_id=grant.client_id, subject=grant.client_id, idp_groups=())
    request.state.client = grant.client_id
    return request.state.caller


def _org(request: Request, admin: bool) -> dict[str, Any]:
    """The path's organization, for an auth-API caller that belongs to it (``admin``: that administers it)."""
    caller = resolve_auth_caller(request)
    name = request.path_params["org"]
    if not ORG_PATTERN.match(name):
        raise AuthApiError(400, f"Invalid organization id {name!r}")
    org = request.app.state.store.state["orgs"].get(name)
    allowed = (org or {}).get("admins" if admin else "members", [])
    if org is None or caller.subject not in allowed:
        raise AuthApiError(403, f"The caller is not {'an admin' if admin else 'a member'} of organization {name!r}")
    return org


def member_guard(request: Request) -> None:
    """A member of the path's organization: ``request.state.org``."""
    request.state.org = _org(request, admin=False)


def principal_guard(request: Request) -> None:
    """An admin of the path's organization, and the path's USER principal: ``.org`` and ``.principal``."""
    org = request.state.org = _org(request, admin=True)
    org_name, principal_id = request.path_params["org"], request.path_params["principal"]
    principal = org["principals"].get(principal_id)
    if principal is None:
        raise AuthApiError(404, f"Principal {principal_id!r} does not exist in organization {org_name!r}")
    if principal["type"] != "USER":
        raise AuthApiError(403, "The principal is a service account; service accounts have no login sessions")
    request.state.principal = principal


def auth_endpoint(guard: Guard) -> Callable[..., Handler]:
    """``auth_endpoint(guard)(handler, write=...)``: ``server.web.endpoint`` with that guard."""

    def wrap(handler: Handler, *, write: bool = False) -> Handler:
        return endpoint(handler, write=write, guard=guard)

    return wrap
