"""Fault injection: make chosen requests fail, slow down, or lose their connection.

Rules are set through the control API (``POST /_emulator/faults``), kept in memory, and cleared by
``DELETE /_emulator/faults`` and by a reset. A rule::

    {"method": "POST", "path": "/api/v1/projects/demo/groups",   # or "pathPrefix"; both optional
     "status": 503, "retryAfter": 2, "autoRetryable": false,      # the error answer
     "message": "...", "body": {...},                             # optional: replace the error body
     "delayMs": 250,                                              # latency before the answer
     "hold": false,                                               # wait before the handler until released
     "drop": false,                                               # headers, then the connection closes
     "reset": false,                                              # no answer: the connection is reset (RST)
     "after": false,                                              # let the request take effect first
     "skip": 0, "times": 1,                                       # pass `skip` matches, then hit `times` (-1: all)
     "probability": 0.3, "seed": 7,                               # fire on 30% of the matches, reproducibly
     "contentType": "text/html", "location": "https://sso/..."}   # answer as a proxy page or a login redirect

The first matching rule with hits left fires. ``after: true`` runs the real handler (a create really
creates) and then answers with the fault instead: the case where a client must not blindly retry.

``probability`` makes a matching rule fire only on that share of its matches, drawn from the rule's own
random generator seeded with ``seed`` (default: the rule's id): the same requests in the same order meet
the same faults on every run. A rule that matches but does not fire lets the next rule try, so rules with
conditional probabilities make a mix (``FaultRules`` counts ``seen``, the draws, and ``hits``).

``hold: true`` parks a matching request before its handler until it is released (``POST
/_emulator/faults/release``, a ``DELETE /_emulator/faults``, a reset, or ``HOLD_MAX_SECONDS``): then it goes on
as the rule says (the handler runs, or the rule's answer is sent). A held request whose client goes away (the
client process killed) is dropped without running: nothing it asked for happens, and its log entry has status 0.
A rule counts ``held``, the requests it holds now: a test waits for the request it means to interrupt with it
(the request log lists a request only once it is answered).
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import struct
import threading
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.server.errors import bad_request

RULE_FIELDS = {
    "method",
    "path",
    "pathPrefix",
    "status",
    "retryAfter",
    "autoRetryable",
    "message",
    "body",
    "delayMs",
    "drop",
    "reset",
    "after",
    "skip",
    "times",
    "probability",
    "seed",
    "contentType",
    "location",
    "hold",
}
#: Where ``EmulatorApp`` puts the connection's asyncio transport, so a fault can reset the connection.
TRANSPORT_KEY = "emulator.transport"
CONTROL_PREFIX = "/_emulator/"
#: The longest a ``hold`` rule keeps a request before letting it go on by itself (a forgotten hold never hangs).
HOLD_MAX_SECONDS = 600.0


def _check_int(rule: dict[str, Any], name: str, low: int, high: int) -> None:
    value = rule.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
        raise bad_request(f"fault.{name} must be an integer between {low} and {high}")


def validate_rule(rule: Any) -> dict[str, Any]:
    """A rule in stored form (with defaults), or a 400 saying what is wrong."""
    if not isinstance(rule, dict):
        raise bad_request("each fault must be an object")
    unknown = sorted(set(rule) - RULE_FIELDS)
    if unknown:
        raise bad_request(f"unknown fault field(s): {unknown}")
    for name in ("method", "path", "pathPrefix", "message", "contentType", "location"):
        if rule.get(name) is not None and not isinstance(rule[name], str):
            raise bad_request(f"fault.{name} must be a string")
    for name in ("autoRetryable", "drop", "reset", "after", "hold"):
        if rule.get(name) is not None and not isinstance(rule[name], bool):
            raise bad_request(f"fault.{name} must be a boolean")
    # What stands between a client and the API answers too: a proxy's HTML page (contentType, any status from
    # 200) or a redirect to a login page (location, a 3xx status).
    _check_int(rule, "status", 300 if rule.get("location") else 200 if rule.get("contentType") else 400, 599)
    if rule.get("location") and not 300 <= (rule.get("status") or 0) <= 399:
        raise bad_request("fault.location needs a 3xx status")
    if rule.get("contentType") and not isinstance(rule.get("body"), str):
        raise bad_request("fault.contentType needs a body given as a string")
    _check_int(rule, "retryAfter", 0, 3600)
    _check_int(rule, "delayMs", 0, 60_000)
    _check_int(rule, "skip", 0, 1_000_000)
    _check_int(rule, "times", -1, 1_000_000)
    _check_int(rule, "seed", 0, 2**63 - 1)
    if rule.get("times") == 0:
        raise bad_request("fault.times must be -1 (every match) or at least 1")
    probability = rule.get("probability")
    if probability is not None and (
        isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 < probability <= 1
    ):
        raise bad_request("fault.probability must be a number greater than 0 and at most 1")
    if not (rule.get("status") or rule.get("drop") or rule.get("reset") or rule.get("delayMs") or rule.get("hold")):
        raise bad_request("a fault needs a status, drop: true, reset: true, delayMs, or hold: true")
    if rule.get("reset") and (rule.get("status") or rule.get("drop")):
        raise bad_request("fault.reset sends no answer: it excludes status and drop")
    if rule.get("after") and not (rule.get("status") or rule.get("drop") or rule.get("reset")):
        raise bad_request("fault.after needs a status, drop: true or reset: true")
    if rule.get("retryAfter") is not None and not rule.get("status"):
        raise bad_request("fault.retryAfter needs a status")
    stored = {"skip": 0, "times": 1, **rule}
    if stored.get("method"):
        stored["method"] = stored["method"].upper()
    return stored


class FaultRules:
    """The active rules; ``take`` finds the rule a request triggers and counts the hit."""

    def __init__(self) -> None:
        self._rules: list[dict[str, Any]] = []
        self._random: dict[int, random.Random] = {}
        self._next_id = 1
        self._lock = threading.Lock()
        #: The requests ``hold`` rules hold now: rule id -> the events that release them.
        self._holds: dict[int, list[asyncio.Event]] = {}

    def add(self, rules: list[Any]) -> list[dict[str, Any]]:
        stored = [validate_rule(rule) for rule in rules]
        with self._lock:
            for rule in stored:
                rule["id"] = self._next_id
                rule["hits"] = 0
                rule["seen"] = 0
                self._next_id += 1
                self._rules.append(rule)
                if rule.get("probability") is not None:
                    self._random[rule["id"]] = random.Random(rule.get("seed", rule["id"]))
        return [dict(rule) for rule in stored]

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(rule, held=len(self._holds.get(rule["id"], []))) for rule in self._rules]

    def clear(self) -> None:
        """Remove every rule; the requests held are released (they go on as their rule says)."""
        self.release()
        with self._lock:
            self._rules.clear()
            self._random.clear()

    # ---- held requests (``hold: true``) ------------------------------------------------------

    def hold(self, rule_id: int) -> asyncio.Event:
        """Register a request held by rule ``rule_id``; the event is set when it is released."""
        event = asyncio.Event()
        with self._lock:
            self._holds.setdefault(rule_id, []).append(event)
        return event

    def unhold(self, rule_id: int, event: asyncio.Event) -> None:
        with self._lock:
            held = self._holds.get(rule_id, [])
            if event in held:
                held.remove(event)
            if not held:
                self._holds.pop(rule_id, None)

    def release(self, rule_id: int | None = None) -> int:
        """Let the requests held by rule ``rule_id`` (None: by every rule) go on; how many there were."""
        with self._lock:
            events = [event for key, held in self._holds.items() if rule_id in (None, key) for event in held]
        for event in events:
            event.set()
        return len(events)

    def take(self, method: str, path: str) -> dict[str, Any] | None:
        with self._lock:
            for rule in self._rules:
                if rule.get("method") and rule["method"] != method:
                    continue
                if rule.get("path") and rule["path"] != path:
                    continue
                if rule.get("pathPrefix") and not path.startswith(rule["pathPrefix"]):
                    continue
                if rule["skip"] > 0:
                    rule["skip"] -= 1
                    continue
                if rule["times"] == 0:
                    continue
                if rule.get("probability") is not None:
                    rule["seen"] += 1
                    if self._random[rule["id"]].random() >= rule["probability"]:
                        continue
                if rule["times"] > 0:
                    rule["times"] -= 1
                rule["hits"] += 1
                return dict(rule)
        return None


def _route_writes(scope: Scope) -> bool:
    """Whether the route a request goes to is a write endpoint (``web.endpoint(..., write=True)``)."""
    app = scope.get("app")
    for route in getattr(app, "routes", []):
        match, _child = route.matches(scope)
        if match == Match.FULL:
            return bool(getattr(getattr(route, "endpoint", None), "write", False))
    return False


class FaultMiddleware:
    """Applies the first matching rule; control paths are never affected."""

    def __init__(self, app: ASGIApp, rules: FaultRules) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        rule = self.rules.take(scope["method"], scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["fault"] = rule["id"]
        if rule.get("hold"):
            held = await self._hold(rule["id"], receive)
            if held is None:  # the client went away while held: the request never runs and gets no answer
                state.setdefault("write", _route_writes(scope))
                state["reset"] = True
                return
            receive = held
        if rule.get("delayMs"):
            await asyncio.sleep(rule["delayMs"] / 1000)
        if not (rule.get("status") or rule.get("drop") or rule.get("reset")):
            await self.app(scope, receive, send)
            return
        if rule.get("after"):
            await self.app(scope, receive, _swallow)
        else:
            state.setdefault("write", _route_writes(scope))
        if rule.get("reset") and await _reset_connection(scope):
            state["reset"] = True
            return
        await _answer(rule, send)

    async def _hold(self, rule_id: int, receive: Receive) -> Receive | None:
        """Wait until the request is released; None when its client disconnected first. Returns the ``receive``
        the app is to use (the body, read here to see a disconnect, is handed on first)."""
        first = await receive()
        if first["type"] == "http.disconnect":
            return None
        event = self.rules.hold(rule_id)
        gone = asyncio.ensure_future(receive())
        released = asyncio.ensure_future(event.wait())
        try:
            await asyncio.wait({gone, released}, timeout=HOLD_MAX_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.rules.unhold(rule_id, event)
            released.cancel()
        if gone.done() and gone.result()["type"] == "http.disconnect":
            return None
        later: list[Message] = [gone.result()] if gone.done() else []
        if not gone.done():
            gone.cancel()
        pending = [first, *later]

        async def replay() -> Message:
            return pending.pop(0) if pending else await receive()

        return replay


async def _swallow(message: Message) -> None:
    """Discards the real response of a request whose answer a fault replaces."""


async def _reset_connection(scope: Scope) -> bool:
    """Abort the connection with a TCP reset (SO_LINGER 0): the client gets no answer at all.

    Without the transport (an ASGI server other than uvicorn, or a test client) the rule falls back to
    ``drop``'s broken answer."""
    transport = scope.get(TRANSPORT_KEY)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()
    # Let the server see the connection as lost before the app returns, so it answers nothing.
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    return True


async def _answer(rule: dict[str, Any], send: Send) -> None:
    status = rule.get("status") or 200
    if rule.get("drop") or rule.get("reset"):
        # Status line and headers go out, then the connection closes without the promised body.
        headers = [(b"content-type", b"application/json"), (b"content-length", b"1024")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        return
    if rule.get("contentType") or rule.get("location"):
        text = (rule.get("body") or "").encode()
        headers = [(b"content-type", (rule.get("contentType") or "text/html").encode()), (b"content-length", str(len(text)).encode())]
        if rule.get("location"):
            headers.append((b"location", rule["location"].encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": text})
        return
    if "body" in rule:
        body = rule["body"]
    else:
        error: dict[str, Any] = {"code": status, "message": rule.get("message") or f"Injected fault: HTTP {status}"}
        if rule.get("autoRetryable"):
            error["isAutoRetryable"] = True
        body = {"error": error}
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if rule.get("retryAfter") is not None:
        headers.append((b"retry-after", str(rule["retryAfter"]).encode()))
    if rule.get("autoRetryable"):
        headers.append((b"cdf-is-auto-retryable", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
