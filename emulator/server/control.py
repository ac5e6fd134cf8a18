"""Control API under ``/_emulator/`` for tests, benchmarks and the demo. No auth; loopback callers only.

* ``GET /_emulator/health`` -> ``{"status": "ok"}``
* ``GET /_emulator/requests[?since=SEQ]`` -> ``{"items": [entry, ...]}`` (see requestlog.py)
* ``DELETE /_emulator/requests`` -> ``{}``: clears the request log
* ``POST /_emulator/reset`` -> ``{}``: restores the seed state, clears the log and the faults,
  rewrites the state file
* ``GET /_emulator/state`` -> the whole current state (as persisted; no secrets in it)
* ``GET /_emulator/faults`` -> ``{"items": [rule, ...]}``; ``POST /_emulator/faults`` ``{"items": [rule]}``
  -> ``{"items": [rule with id]}``; ``DELETE /_emulator/faults`` -> ``{}`` (see faults.py)
* ``POST /_emulator/faults/release`` ``{}`` or ``{"id": N}`` -> ``{"released": n}``: the requests held by
  ``hold`` rules (or by rule N) go on
* ``GET /_emulator/secrets`` -> ``{"items": [{"value", "kind"}, ...]}``: every secret seeded, received or
  issued, for the tests that scan output for leaks (see secretlog.py)

An area adds its own control endpoints under the prefix with ``loopback_only`` (``cdf/control.py``, ``dss/``).
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from emulator.server.errors import ApiError
from emulator.server.store import Store
from emulator.server.web import items_of, json_body, query_int

PREFIX = "/_emulator"


def loopback_only(request: Request) -> None:
    """403 unless the caller is on the loopback interface."""
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host in ("localhost", "testclient")
    if not loopback:
        raise ApiError(403, "The emulator control API answers loopback callers only")


async def health(request: Request) -> Response:
    loopback_only(request)
    return JSONResponse({"status": "ok"})


async def requests_(request: Request) -> Response:
    loopback_only(request)
    log = request.app.state.request_log
    if request.method == "DELETE":
        log.clear()
        return JSONResponse({})
    since = query_int(request, "since", 0, 0, 2**62)
    return JSONResponse({"items": log.entries(since)})


async def reset(request: Request) -> Response:
    loopback_only(request)
    request.app.state.store.reset()
    request.app.state.request_log.clear()
    request.app.state.faults.clear()
    return JSONResponse({})


async def faults(request: Request) -> Response:
    loopback_only(request)
    rules = request.app.state.faults
    if request.method == "DELETE":
        rules.clear()
        return JSONResponse({})
    if request.method == "POST":
        body = await json_body(request)
        return JSONResponse({"items": rules.add(items_of(body, max_items=100))})
    return JSONResponse({"items": rules.all()})


async def release(request: Request) -> Response:
    loopback_only(request)
    raw = await request.body()
    body = await json_body(request) if raw.strip() else {}
    rule_id = body.get("id")
    if set(body) - {"id"} or (rule_id is not None and (isinstance(rule_id, bool) or not isinstance(rule_id, int))):
        raise ApiError(400, 'release takes {} or {"id": <a rule id>}')
    return JSONResponse({"released": request.app.state.faults.release(rule_id)})


async def secrets_(request: Request) -> Response:
    loopback_only(request)
    return JSONResponse({"items": request.app.state.store.secret_log.items()})


async def state(request: Request) -> Response:
    loopback_only(request)
    return JSONResponse(request.app.state.store.snapshot())


def routes(store: Store) -> list[BaseRoute]:
    return [
        Route(PREFIX + "/health", health, methods=["GET"]),
        Route(PREFIX + "/requests", requests_, methods=["GET", "DELETE"]),
        Route(PREFIX + "/reset", reset, methods=["POST"]),
        Route(PREFIX + "/state", state, methods=["GET"]),
        Route(PREFIX + "/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(PREFIX + "/faults/release", release, methods=["POST"]),
        Route(PREFIX + "/secrets", secrets_, methods=["GET"]),
    ]
