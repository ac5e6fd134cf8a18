"""The request log: one entry per request (except ``/_emulator/*``), read by tests and benchmarks.

Entry: ``{"seq", "time", "method", "path", "query", "status", "write", "client", "body", "requestId",
"durationMs", "fault"}`` (``fault``: the id of the injected fault that hit the request, or null).
``write`` is true for every request to an endpoint that changes state (create, delete, update,
revoke), whether or not it succeeded (``status`` says whether it did). ``body`` is the parsed
JSON request body with secret fields masked; of the token endpoint's form only ``grant_type``, ``scope``
and ``audience`` (so tests see which scope a client asked for); other form bodies and Authorization
headers are never logged.

The ASGI middleware here also gives every response an ``x-request-id`` header, and turns an unhandled
exception into a CDF-style 500 that carries one too.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.server.errors import ApiError
from emulator.server.secretlog import SecretLog, secret_fields
from emulator.server.web import decode_body

log = logging.getLogger("emulator")

SECRET_KEYS = frozenset(
    {
        "clientsecret",
        "client_secret",
        "nonce",
        "password",
        "apikey",
        "api_key",
        "secret",
        "access_token",
        "refresh_token",
    }
)
MASK = "***"
UNLOGGED_PREFIX = "/_emulator/"


def redact(value: Any, in_secrets: bool = False) -> Any:
    """A copy of ``value`` with every secret-looking field masked (and every ``value`` under ``secrets``)."""
    if isinstance(value, dict):
        masked = {}
        for key, item in value.items():
            name = key.lower() if isinstance(key, str) else ""
            if name in SECRET_KEYS or (in_secrets and name == "value"):
                masked[key] = MASK
            else:
                masked[key] = redact(item, in_secrets or name == "secrets")
        return masked
    if isinstance(value, list):
        return [redact(item, in_secrets) for item in value]
    return value


class RequestLog:
    """A bounded, thread-safe list of entries with increasing ``seq`` numbers."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max_entries)
        self._seq = 0
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, **entry}
            self._entries.append(entry)
        return entry

    def entries(self, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self._entries if e["seq"] > since]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


#: The token endpoint's form fields the log keeps (an allow-list: never the client id or secret).
TOKEN_FORM_LOGGED = ("grant_type", "scope", "audience")


def _loggable_body(raw: bytes, headers: dict[str, str], path: str) -> Any:
    if not raw:
        return None
    if path == "/oauth2/token":
        try:
            form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return None
        return {key: form[key] for key in TOKEN_FORM_LOGGED if key in form}
    if headers.get("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return None
    try:
        return redact(json.loads(decode_body(raw, headers.get("content-encoding", ""))))
    except (ApiError, ValueError):
        return None


def _received_secrets(raw: bytes, headers: dict[str, str]) -> list[str]:
    """The secrets a request carries: its Authorization credentials and the secret fields of its body."""
    found: list[str] = []
    scheme, _sep, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _colon, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
            found += [user, password]
        except (ValueError, UnicodeDecodeError):
            pass
    elif value.strip():
        found.append(value.strip())
    if not raw:
        return found
    if headers.get("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        try:
            form = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return found
        return found + [item for key, item in form if key.lower() in SECRET_KEYS]
    try:
        return found + secret_fields(json.loads(decode_body(raw, headers.get("content-encoding", ""))), SECRET_KEYS)
    except (ApiError, ValueError):
        return found


class RequestLogMiddleware:
    """Reads the whole body first (so it can be logged even when a handler never reads it)."""

    def __init__(self, app: ASGIApp, request_log: RequestLog, secret_log: SecretLog | None = None) -> None:
        self.app = app
        self.request_log = request_log
        self.secret_log = secret_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        if self.secret_log is not None and not scope["path"].startswith(UNLOGGED_PREFIX):
            raw_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            self.secret_log.add_all(_received_secrets(raw, raw_headers))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, replay, send_with_id)
        except Exception:
            log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if not response_started:
                body = json.dumps({"error": {"code": 500, "message": "Internal server error"}}).encode()
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
        finally:
            path = scope["path"]
            if not path.startswith(UNLOGGED_PREFIX):
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
                query = scope.get("query_string", b"").decode("latin-1")
                self.request_log.add(
                    {
                        "time": int(time.time() * 1000),
                        "method": scope["method"],
                        "path": path,
                        "query": dict(parse_qsl(query, keep_blank_values=True)),
                        "status": 0 if state.get("reset") else status,
                        "write": bool(state.get("write", False)),
                        "client": state.get("client"),
                        "body": _loggable_body(raw, headers, path),
                        "requestId": request_id,
                        "durationMs": round((time.perf_counter() - started) * 1000, 3),
                        "fault": state.get("fault"),
                    }
                )
