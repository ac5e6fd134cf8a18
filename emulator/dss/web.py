"""DSS request plumbing: DSS error bodies, API-key auth, the endpoint wrapper, bodies and query flags.

DSS errors are ``{"errorType": <Java exception class>, "message", "detailedMessage"}``; dataikuapi
raises ``DataikuException("<errorType>: <detailedMessage>")`` from them. The statuses for a bad key
(401), a non-admin key on an admin endpoint (403), a duplicate (409) and invalid input (400) are the
emulator's choices where no source settles them (see emulator/README.md, "DSS").
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.dss.seeds import key_hash
from emulator.server import web
from emulator.server.errors import ApiError

NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"
NOT_AUTHENTICATED = "com.dataiku.dip.exceptions.NotAuthenticatedException"
UNAUTHORIZED = "com.dataiku.dip.exceptions.UnauthorizedException"
ILLEGAL_ARGUMENT = "java.lang.IllegalArgumentException"

Handler = Callable[[Request], Awaitable[Response]]


class DssError(Exception):
    """A DSS API error: HTTP status, Java errorType, message."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message

    def response(self) -> JSONResponse:
        body = {"errorType": self.error_type, "message": self.message, "detailedMessage": self.message}
        return JSONResponse(body, status_code=self.status)


def not_found(kind: str, name: str) -> DssError:
    return DssError(404, NOT_FOUND, f"{kind} {name} does not exist")


def invalid(message: str) -> DssError:
    return DssError(400, ILLEGAL_ARGUMENT, message)


def already_exists(kind: str, name: str) -> DssError:
    return DssError(409, ILLEGAL_ARGUMENT, f"{kind} {name} already exists")


class DssApp:
    """The routes of one base path; any error inside answers with a DSS body (also 404 and 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except DssError as exc:
            await exc.response()(scope, receive, send)
        except HTTPException as exc:
            if exc.status_code == 405:
                error = DssError(405, ILLEGAL_ARGUMENT, f"Method {scope['method']} is not supported on this endpoint")
            else:
                error = DssError(exc.status_code, NOT_FOUND, f"No such API endpoint: {scope['path']}")
            await error.response()(scope, receive, send)


async def not_found_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    raise DssError(404, NOT_FOUND, f"No such API endpoint: {scope['path']}")


# ---- auth ----------------------------------------------------------------------------------------------


def presented_key(request: Request) -> str | None:
    """The API key: HTTP basic username (dataikuapi), basic password with no username, or a Bearer token."""
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise DssError(401, NOT_AUTHENTICATED, "Malformed HTTP basic authentication") from None
    user, _sep, password = decoded.partition(":")
    return user or password or None


def caller_login(request: Request) -> str:
    """The login of the user the presented API key acts as; 401 otherwise."""
    dss = request.app.state.store.state["dss"]
    key = presented_key(request)
    if key is None:
        raise DssError(401, NOT_AUTHENTICATED, "No API key: send it as the HTTP basic username")
    digest = key_hash(key)
    entry = next((item for item in dss["apiKeys"] if item["sha256"] == digest), None)
    if entry is None:
        raise DssError(401, NOT_AUTHENTICATED, "Unknown API Key")
    user = dss["users"].get(entry["login"])
    if user is None or not user["enabled"]:
        raise DssError(401, NOT_AUTHENTICATED, "The user of this API key does not exist or is disabled")
    return entry["login"]


def dss_state(request: Request) -> dict[str, Any]:
    """``state["dss"]`` of the running emulator."""
    return request.app.state.store.state["dss"]


def is_admin(dss: dict[str, Any], login: str) -> bool:
    groups = dss["users"][login]["groups"]
    return any(dss["groups"].get(name, {}).get("admin") for name in groups)


PROXY_HEADER = "x-dku-proxyuser"


def acting_login(request: Request, key_login: str) -> str:
    """The user a request acts as: the key's user, or the one named by ``X-DKU-ProxyUser`` (dataikuapi
    ``DSSUser.get_client_as()``, admin.py L692-717). Only an admin key may impersonate (403 otherwise); an
    unknown proxied user is 404, a disabled one 401 (the emulator's choices)."""
    proxied = request.headers.get(PROXY_HEADER, "").strip()
    if not proxied:
        return key_login
    dss = request.app.state.store.state["dss"]
    if not is_admin(dss, key_login):
        raise DssError(403, UNAUTHORIZED, "Only an administrator's API key may act as another user (X-DKU-ProxyUser)")
    user = dss["users"].get(proxied)
    if user is None:
        raise not_found("User", proxied)
    if not user["enabled"]:
        raise DssError(401, NOT_AUTHENTICATED, f"User {proxied} is disabled: it cannot be impersonated")
    return proxied


def endpoint(handler: Handler, *, write: bool = False, admin: bool = True) -> Handler:
    """Authenticate the API key, resolve impersonation and check admin rights (of the user acted as), inside the
    emulator's ``web.endpoint`` (which marks the request as a write or not for the request log, and saves the
    state after a successful write). The request log names the caller ``dss:<login>``, or ``dss:<key's user> as
    <proxied user>``."""

    async def authenticated(request: Request) -> Response:
        key_login = caller_login(request)
        request.state.client = f"dss:{key_login}"
        login = acting_login(request, key_login)
        if request.headers.get(PROXY_HEADER, "").strip():
            request.state.client = f"dss:{key_login} as {login}"
        request.state.dss_login = login
        if admin and not is_admin(request.app.state.store.state["dss"], login):
            raise DssError(403, UNAUTHORIZED, "Action forbidden: you are not an administrator of this DSS instance")
        return await handler(request)

    authenticated.__name__ = getattr(handler, "__name__", "endpoint")
    authenticated.__doc__ = handler.__doc__
    return web.endpoint(authenticated, write=write)


# ---- requests and responses ----------------------------------------------------------------------------


async def json_value(request: Request) -> Any:
    """The body as JSON (``None`` when empty), whatever the Content-Type (dataikuapi sends none), gzip-decoded
    if need be."""
    try:
        raw = web.decode_body(await request.body(), request.headers.get("content-encoding", ""))
    except ApiError as exc:
        raise DssError(exc.status, ILLEGAL_ARGUMENT, exc.message) from None
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid(f"The request body is not valid JSON: {exc}") from None


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object (see ``json_value``)."""
    body = await json_value(request)
    if body is None:
        raise invalid("The request body is empty; a JSON object is required")
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object")
    return body


def query_flag(request: Request, name: str) -> bool:
    """A boolean query parameter: ``True``/``False`` from requests, ``true``/``false`` from httpx."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return False
    if raw.lower() not in ("true", "false"):
        raise invalid(f"Query parameter {name} must be true or false, got {raw!r}")
    return raw.lower() == "true"


def message(text: str, status: int = 200) -> JSONResponse:
    """DSS's ``{"msg": ...}`` acknowledgement (dataikuapi parses PUT responses as JSON)."""
    return JSONResponse({"msg": text}, status_code=status)
