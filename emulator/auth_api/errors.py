"""The auth API's error: a flat ``{"code", "message"}`` body, as its public reference shows."""

from __future__ import annotations

from typing import Any

from emulator.server.errors import ServiceError


class AuthApiError(ServiceError):
    """An error of the auth API (``/api/v1/orgs/...``): flat ``{"code", "message"}`` body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = {}

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message}
