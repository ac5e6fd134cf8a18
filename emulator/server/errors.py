"""Error types of the emulator and the bodies the real services send for them.

* ``ServiceError``: the base every area's error derives from (status, headers, ``body()``); one handler
  answers them all. An area with its own body shape subclasses it (the auth API: ``auth_api/errors.py``).
* CDF project APIs (and the server's own helpers): ``{"error": {"code", "message", "missing"?, "duplicated"?}}``.
* OAuth2 token endpoint: ``{"error", "error_description"}`` (RFC 6749, section 5.2).

Messages never contain secrets: no tokens, client secrets, nonces or passwords.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


class ServiceError(Exception):
    """An error answered as JSON: ``status``, extra ``headers``, and the service's ``body()``."""

    status: int
    headers: dict[str, str]

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class ApiError(ServiceError):
    """A CDF API error: HTTP status, message and optional ``missing`` / ``duplicated`` items."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        missing: list[dict[str, Any]] | None = None,
        duplicated: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.missing = missing
        self.duplicated = duplicated
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.status, "message": self.message}
        if self.missing:
            error["missing"] = self.missing
        if self.duplicated:
            error["duplicated"] = self.duplicated
        return {"error": error}


class OAuthError(ServiceError):
    """An OAuth2 token endpoint error (``invalid_client``, ``unsupported_grant_type``, ...)."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.headers = {"cache-control": "no-store", **(headers or {})}

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def violations(problems: list[str]) -> ApiError:
    """A 400 in the style CDF uses for request validation failures."""
    n = len(problems)
    noun = "violation" if n == 1 else "violations"
    return ApiError(
        400,
        f"Request had {n} constraint {noun}. Please fix the request and try again. [{', '.join(problems)}]",
    )


async def handle_service_error(request: Request, exc: Exception) -> JSONResponse:
    """Any ``ServiceError`` (Starlette finds this handler through the exception's MRO)."""
    assert isinstance(exc, ServiceError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=dict(exc.headers))


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Unknown paths and methods answer in CDF's error shape rather than plain text."""
    status = getattr(exc, "status_code", 500)
    messages = {404: f"Not found: {request.method} {request.url.path}", 405: "Method not allowed"}
    message = messages.get(status, str(getattr(exc, "detail", "")) or "Error")
    headers = dict(getattr(exc, "headers", None) or {})
    return JSONResponse({"error": {"code": status, "message": message}}, status_code=status, headers=headers)


EXCEPTION_HANDLERS: dict[Any, Any] = {ServiceError: handle_service_error}
