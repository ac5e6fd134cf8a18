"""Paging of the auth API's lists: a ``limit`` of 1..maximum and an object cursor, ``{"nextCursor": {"cursor"}}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.auth_api.errors import AuthApiError
from emulator.server.errors import ApiError
from emulator.server.web import paginate


def limit_param(request: Request, default: int, maximum: int) -> int:
    """The ``limit`` query parameter of an auth API list (1..``maximum``); 400 with the flat body otherwise."""
    raw = request.query_params.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise AuthApiError(400, f"limit must be a number between 1 and {maximum}")
    return int(raw)


def object_cursor_page(
    request: Request, items: list, sort_key: Callable[[Any], list], kind: str, limit: int
) -> JSONResponse:
    """One page of ``items`` with the auth API's object ``nextCursor`` (absent on the last page)."""
    try:
        page, cursor = paginate(items, sort_key, kind=kind, limit=limit, cursor=request.query_params.get("cursor"))
    except ApiError:
        raise AuthApiError(400, "Invalid cursor") from None
    body: dict[str, Any] = {"items": page}
    if cursor:
        body["nextCursor"] = {"cursor": cursor}
    return JSONResponse(body)
