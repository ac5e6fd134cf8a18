"""Authentication and authorisation: the OAuth2 token endpoint, bearer tokens, callers' capabilities.

Two issuers share the token endpoint ``POST /oauth2/token`` (the auth API's token endpoint is
``https://auth.cognite.com/oauth2/token``, client credentials, no scope: cognitedata/toolkit,
``cognite_toolkit/_cdf_tk/utils/auth.py``, provider ``cdf``): a client of the auth API (``authClients``, the
organizations' service accounts) gets an auth-API token; any other client a token of the project's IdP. The auth
API (``/api/v1/orgs/...``) takes only its own tokens, as the real one ("accepts only OAuth tokens issued by
https://auth.cognite.com", Principals concept page of the API reference); the project endpoints take only IdP ones.

A caller's capabilities in a project are the union of the capabilities of that project's groups whose
``sourceId`` is one of the IdP groups in the caller's token, or whose ``members`` list names the caller.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.errors import ApiError, AuthApiError, OAuthError
from emulator.seeds import secret_hash
from emulator.store import Store


@dataclass(frozen=True)
class Caller:
    """Who is calling: the OAuth client, its subject (user identifier) and its token's IdP groups."""

    client_id: str
    subject: str
    idp_groups: tuple[str, ...]


# ---- token endpoint --------------------------------------------------------------------------------


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError(401, "invalid_client", "Malformed HTTP Basic client authentication") from None
    client_id, sep, client_secret = decoded.partition(":")
    if not sep:
        raise OAuthError(401, "invalid_client", "Malformed HTTP Basic client authentication")
    return unquote_plus(client_id), unquote_plus(client_secret)


def authenticate_client(store: Store, client_id: str, client_secret: str, registry: str = "clients") -> bool:
    """True when ``client_id`` is a known client of ``registry`` and ``client_secret`` is its secret."""
    client = store.state.get(registry, {}).get(client_id)
    expected = client["secretSha256"] if client else secret_hash(secrets.token_hex(16))
    return hmac.compare_digest(expected, secret_hash(client_secret)) and client is not None


async def token_endpoint(request: Request) -> Response:
    """``POST /oauth2/token``: the client credentials grant, form-encoded, secret in body or Basic auth."""
    store: Store = request.app.state.store
    request.state.write = False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError(400, "invalid_request", "The token request must be application/x-www-form-urlencoded")
    try:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise OAuthError(400, "invalid_request", "The token request body is not UTF-8") from None
    grant_type = form.get("grant_type")
    if not grant_type:
        raise OAuthError(400, "invalid_request", "Missing required parameter: grant_type")
    if grant_type != "client_credentials":
        raise OAuthError(
            400, "unsupported_grant_type", f"Grant type {grant_type!r} is not supported; use client_credentials"
        )
    basic = _basic_credentials(request)
    if basic and form.get("client_id") and form["client_id"] != basic[0]:
        raise OAuthError(400, "invalid_request", "client_id in the body differs from the HTTP Basic client")
    client_id, client_secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
    if not client_id:
        raise OAuthError(401, "invalid_client", "Client authentication failed: no client_id")
    issuer = "auth" if client_id in store.state.get("authClients", {}) else "idp"
    if not authenticate_client(store, client_id, client_secret, "authClients" if issuer == "auth" else "clients"):
        headers = {"www-authenticate": 'Basic realm="emulator"'} if basic else {}
        raise OAuthError(
            401,
            "invalid_client",
            f"Client authentication failed for client {client_id!r}: unknown client or wrong secret",
            headers,
        )
    request.state.client = client_id
    token = secrets.token_urlsafe(32)
    scope = form.get("scope", "")
    store.issue_token(token, client_id, scope, issuer)
    body: dict[str, Any] = {"access_token": token, "token_type": "Bearer", "expires_in": store.token_ttl}
    if scope:
        body["scope"] = scope
    return JSONResponse(body, headers={"cache-control": "no-store", "pragma": "no-cache"})


# ---- callers -------------------------------------------------------------------------------------


def resolve_caller(request: Request) -> Caller:
    """The caller behind ``Authorization: Bearer <token>``; 401 when missing, unknown or expired."""
    store: Store = request.app.state.store
    header = request.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Unauthorized: a bearer token is required (Authorization: Bearer <token>)")
    grant = store.token(token.strip())
    if grant is None:
        raise ApiError(401, "Unauthorized: the bearer token is invalid or has expired")
    if grant.issuer != "idp":
        raise ApiError(
            401,
            "Unauthorized: this token was issued by the auth API (auth.cognite.com); CDF project endpoints take "
            "tokens of the project's identity provider",
        )
    client = store.state["clients"].get(grant.client_id)
    if client is None:
        raise ApiError(401, "Unauthorized: the token's client no longer exists")
    return Caller(client_id=grant.client_id, subject=grant.client_id, idp_groups=tuple(client["idpGroups"]))


def resolve_auth_caller(request: Request) -> Caller:
    """The caller of an auth API endpoint: only tokens the auth API issued; 401 (flat body) for any other."""
    store: Store = request.app.state.store
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthApiError(401, "Unauthorized: a bearer token is required (Authorization: Bearer <token>)")
    grant = store.token(token.strip())
    if grant is None:
        raise AuthApiError(401, "Unauthorized: the bearer token is invalid or has expired")
    if grant.issuer != "auth" or grant.client_id not in store.state.get("authClients", {}):
        raise AuthApiError(
            401,
            "Unauthorized: the auth API accepts only tokens issued by https://auth.cognite.com; this token was "
            "issued by another identity provider",
        )
    request.state.caller = Caller(client_id=grant.client_id, subject=grant.client_id, idp_groups=())
    request.state.client = grant.client_id
    return request.state.caller


def check_project(request: Request) -> dict[str, Any]:
    """The project named in the path; 403 when the emulator does not serve it."""
    name = request.path_params.get("project", "")
    project = request.app.state.store.project(name)
    if project is None:
        raise ApiError(403, f"Project {name!r} is unknown or not accessible with this token")
    return project


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
    project = check_project(request)
    applied = request.app.state.store.group_applied  # a new group's access may take a moment (cdf_groups.py)
    scopes = []
    for cap in [c for g in caller_groups(project, request.state.caller) if applied(g) for c in g["capabilities"]]:
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


def routes(store: Store) -> list[Route]:
    return [Route("/oauth2/token", token_endpoint, methods=["POST"])]
