"""Small request/response helpers shared by every API area of the emulator.

``endpoint`` wraps a handler with the area's guard (authentication, and what the path names resolved once), the
request log's ``write`` flag and persistence; the other helpers read JSON bodies (gzip or not), query parameters
and cursors.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import gzip
import json
import zlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.server.errors import ApiError, bad_request

Handler = Callable[[Request], Awaitable[Response]]
#: Runs before a handler: authenticates the caller and resolves what the path names (an area's choice), setting
#: ``request.state`` (``client`` for the request log, and e.g. ``caller``, ``project``); raises to refuse.
Guard = Callable[[Request], None]

#: Decompressed request bodies above this size fail like the real API's "failed to buffer request body".
MAX_BODY_BYTES = 16 * 1024 * 1024


def endpoint(handler: Handler, *, write: bool = False, guard: Guard | None = None) -> Handler:
    """Wrap ``handler``: mark the request as a write (or not), run the area's ``guard`` once, then the handler.

    Writes run one at a time (the app's ``write_lock``, see ``serialised``): a write's checks and its change are
    one step even when a handler awaits in between, as a real API's transaction is. After a successful write the
    store is saved (when the emulator has a state file).
    """

    async def run(request: Request) -> Response:
        if guard is not None:
            guard(request)
        response = await handler(request)
        if write and response.status_code < 400:
            request.app.state.store.save()
        return response

    async def wrapped(request: Request) -> Response:
        request.state.write = write
        if not write:
            return await run(request)
        async with serialised(request):
            return await run(request)

    wrapped.__name__ = getattr(handler, "__name__", "endpoint")
    wrapped.__doc__ = handler.__doc__
    wrapped.write = write  # type: ignore[attr-defined]  # read by the fault middleware
    return wrapped


def serialised(request: Request) -> asyncio.Lock | contextlib.nullcontext[None]:
    """The lock that writes of the request's app take (``app.state.write_lock``, made by ``build_app``); none when
    the app has no such lock."""
    lock = getattr(request.app.state, "write_lock", None)
    return lock if isinstance(lock, asyncio.Lock) else contextlib.nullcontext()


def ok(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def decode_body(raw: bytes, content_encoding: str) -> bytes:
    """Undo ``Content-Encoding: gzip`` (or deflate); raise a 400 on a corrupt or oversized body."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        data = raw
    elif encoding in ("gzip", "x-gzip"):
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = decompressor.decompress(raw, MAX_BODY_BYTES + 1)
            if not decompressor.eof and len(data) <= MAX_BODY_BYTES:
                raise EOFError("the gzip stream is truncated")
        except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
            raise bad_request(f"Could not decompress the gzip request body: {exc}") from None
    elif encoding == "deflate":
        try:
            data = zlib.decompressobj().decompress(raw, MAX_BODY_BYTES + 1)
        except zlib.error as exc:
            raise bad_request(f"Could not decompress the deflate request body: {exc}") from None
    else:
        raise ApiError(415, f"Unsupported Content-Encoding: {encoding}")
    if len(data) > MAX_BODY_BYTES:
        raise bad_request("failed to buffer request body: the body is too large")
    return data


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body, whatever its Content-Type, gzip-decoded if need be."""
    data = decode_body(await request.body(), request.headers.get("content-encoding", ""))
    if not data.strip():
        raise bad_request("The request body is empty; a JSON object is required")
    try:
        body = json.loads(data)
    except UnicodeDecodeError:
        raise bad_request("The request body is not UTF-8 encoded JSON") from None
    except json.JSONDecodeError as exc:
        raise bad_request(
            f"Invalid JSON in the request body: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def check_keys(obj: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    """Reject fields the API does not know, as CDF does ("Unrecognized field")."""
    allowed = set(allowed)
    unknown = sorted(k for k in obj if k not in allowed)
    if unknown:
        raise bad_request(f"Unrecognized field(s) {', '.join(repr(k) for k in unknown)} in {where}")


def items_of(
    body: dict[str, Any], *, max_items: int = 1000, min_items: int = 1, extra: Iterable[str] = ()
) -> list[Any]:
    """``body["items"]`` as a list of ``min_items..max_items`` elements; other top-level keys rejected."""
    check_keys(body, {"items", *extra}, "the request body")
    items = body.get("items")
    if not isinstance(items, list):
        raise bad_request("items: a list is required")
    if not min_items <= len(items) <= max_items:
        if min_items == max_items:
            raise bad_request(f"items: exactly {min_items} item(s) required, got {len(items)}")
        raise bad_request(f"items: size must be between {min_items} and {max_items}, got {len(items)}")
    return items


def body_flag(body: dict[str, Any], *names: str) -> bool:
    """A boolean body field accepted under several spellings (``ignoreUnknownIds``/``ignore_unknown_ids``)."""
    for name in names:
        if name in body and body[name] is not None:
            if not isinstance(body[name], bool):
                raise bad_request(f"{name} must be a boolean")
            return body[name]
    return False


def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Query parameter {name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise bad_request(f"Query parameter {name} must be between {low} and {high}, got {value}")
    return value


def query_bool(request: Request, name: str, default: bool) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise bad_request(f"Query parameter {name} must be true or false, got {raw!r}")


def body_int(body: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{name} must be an integer")
    if not low <= value <= high:
        raise bad_request(f"{name} must be between {low} and {high}, got {value}")
    return value


def as_int_id(value: Any, where: str) -> int:
    """An int64 id; digit strings are accepted as the int they spell (as the API does)."""
    if isinstance(value, bool):
        raise bad_request(f"{where}: an integer id is required")
    if isinstance(value, int):
        result = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        result = int(value)
    else:
        raise bad_request(f"{where}: an integer id is required, got {json.dumps(value)}")
    if not 1 <= result <= 2**63 - 1:
        raise bad_request(f"{where}: id must be between 1 and 9223372036854775807")
    return result


# ---- cursors -----------------------------------------------------------------------------------------


def encode_cursor(kind: str, after: Any) -> str:
    raw = json.dumps({"k": kind, "a": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict) or data.get("k") != kind or "a" not in data:
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request("Invalid cursor") from None
    return data["a"]


def paginate(
    items: Iterable[Any],
    key: Callable[[Any], Any],
    *,
    kind: str,
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """One page of ``items`` ordered by ``key``, and the opaque cursor of the next page (or None)."""

    def norm(item: Any) -> Any:
        return json.loads(json.dumps(key(item)))

    ordered = sorted(items, key=key, reverse=descending)
    if cursor:
        after = decode_cursor(kind, cursor)
        try:
            if descending:
                ordered = [item for item in ordered if norm(item) < after]
            else:
                ordered = [item for item in ordered if norm(item) > after]
        except TypeError:
            raise bad_request("Invalid cursor") from None
    page = ordered[:limit]
    next_cursor = encode_cursor(kind, norm(page[-1])) if len(ordered) > limit else None
    return page, next_cursor


def page_body(page: list[Any], next_cursor: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"items": page}
    if next_cursor:
        body["nextCursor"] = next_cursor
    return body
