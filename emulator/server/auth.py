"""Authentication plumbing: the OAuth2 token endpoint, client secrets, bearer tokens, the ``Caller``.

Each API area registers the client registry it owns (``store.register_clients(registry, issuer)``): the CDF area the
project's identity provider (``clients``, issuer ``idp``), the auth API its service accounts (``authClients``,
issuer ``auth``). ``POST /oauth2/token`` finds the client in its registry and issues a token of that issuer; each
area's guard then takes only the tokens of its own issuer (``bearer_grant`` and a check of ``grant.issuer``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from emulator.server.errors import OAuthError, ServiceError
from emulator.server.store import Store, TokenGrant, secret_hash


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
    registry, issuer = store.issuer_of(client_id)
    if not authenticate_client(store, client_id, client_secret, registry):
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


# ---- bearer tokens ------------------------------------------------------------------------------


def bearer_grant(request: Request, error: Callable[[int, str], ServiceError]) -> TokenGrant:
    """The grant behind ``Authorization: Bearer <token>``; ``error(401, ...)`` when missing, unknown or expired."""
    store: Store = request.app.state.store
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise error(401, "Unauthorized: a bearer token is required (Authorization: Bearer <token>)")
    grant = store.token(token.strip())
    if grant is None:
        raise error(401, "Unauthorized: the bearer token is invalid or has expired")
    return grant


def routes(store: Store) -> list[BaseRoute]:
    return [Route("/oauth2/token", token_endpoint, methods=["POST"])]
