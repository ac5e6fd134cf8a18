"""Error types of the emulator and the bodies the real services send for them.

* CDF project APIs: ``{"error": {"code", "message", "missing"?, "duplicated"?}}``.
* OAuth2 token endpoint: ``{"error", "error_description"}`` (RFC 6749, section 5.2).
* Auth API (login sessions): a flat ``{"code", "message"}``, as its public reference shows.

Messages never contain secrets: no tokens, client secrets, nonces or passwords.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


class ApiError(Exception):
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


class OAuthError(Exception):
    """An OAuth2 token endpoint error (``invalid_client``, ``unsupported_grant_type``, ...)."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description}


class AuthApiError(Exception):
    """An error of the auth API (``/api/v1/orgs/...``): flat ``{"code", "message"}`` body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message}


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


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError | OAuthError | AuthApiError)
    headers = dict(getattr(exc, "headers", {}) or {})
    if isinstance(exc, OAuthError):
        headers.setdefault("cache-control", "no-store")
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Unknown paths and methods answer in CDF's error shape rather than plain text."""
    status = getattr(exc, "status_code", 500)
    messages = {404: f"Not found: {request.method} {request.url.path}", 405: "Method not allowed"}
    message = messages.get(status, str(getattr(exc, "detail", "")) or "Error")
    headers = dict(getattr(exc, "headers", None) or {})
    return JSONResponse({"error": {"code": status, "message": message}}, status_code=status, headers=headers)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: handle_api_error,
    OAuthError: handle_api_error,
    AuthApiError: handle_api_error,
}
