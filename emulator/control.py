"""Control API under ``/_emulator/`` for tests, benchmarks and the demo. No auth; loopback callers only.

* ``GET /_emulator/health`` -> ``{"status": "ok"}``
* ``GET /_emulator/requests[?since=SEQ]`` -> ``{"items": [entry, ...]}`` (see requestlog.py)
* ``DELETE /_emulator/requests`` -> ``{}``: clears the request log
* ``POST /_emulator/reset`` -> ``{}``: restores the seed state, clears the log, rewrites the state file
* ``GET /_emulator/state`` -> the whole current state (as persisted; no secrets in it)
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.errors import ApiError
from emulator.store import Store
from emulator.web import query_int

PREFIX = "/_emulator"


def _loopback_only(request: Request) -> None:
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host in ("localhost", "testclient")
    if not loopback:
        raise ApiError(403, "The emulator control API answers loopback callers only")


async def health(request: Request) -> Response:
    _loopback_only(request)
    return JSONResponse({"status": "ok"})


async def requests_(request: Request) -> Response:
    _loopback_only(request)
    log = request.app.state.request_log
    if request.method == "DELETE":
        log.clear()
        return JSONResponse({})
    since = query_int(request, "since", 0, 0, 2**62)
    return JSONResponse({"items": log.entries(since)})


async def reset(request: Request) -> Response:
    _loopback_only(request)
    request.app.state.store.reset()
    request.app.state.request_log.clear()
    return JSONResponse({})


async def state(request: Request) -> Response:
    _loopback_only(request)
    return JSONResponse(request.app.state.store.snapshot())


def routes(store: Store) -> list[Route]:
    return [
        Route(PREFIX + "/health", health, methods=["GET"]),
        Route(PREFIX + "/requests", requests_, methods=["GET", "DELETE"]),
        Route(PREFIX + "/reset", reset, methods=["POST"]),
        Route(PREFIX + "/state", state, methods=["GET"]),
    ]
