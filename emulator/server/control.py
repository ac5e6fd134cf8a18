"""Control API under ``/_emulator/`` for tests, benchmarks and the demo. No auth; loopback callers only.

* ``GET /_emulator/health`` -> ``{"status": "ok"}``
* ``GET /_emulator/requests[?since=SEQ]`` -> ``{"items": [entry, ...]}`` (see requestlog.py)
* ``DELETE /_emulator/requests`` -> ``{}``: clears the request log
* ``POST /_emulator/reset`` -> ``{}``: restores the seed state, clears the log and the faults,
  rewrites the state file
* ``GET /_emulator/state`` -> the whole current state (as persisted; no secrets in it)
* ``GET /_emulator/faults`` -> ``{"items": [rule, ...]}``; ``POST /_emulator/faults`` ``{"items": [rule]}``
  -> ``{"items": [rule with id]}``; ``DELETE /_emulator/faults`` -> ``{}`` (see faults.py)
* ``GET /_emulator/cdf-groups`` -> the group switches; ``POST /_emulator/cdf-groups``
  ``{"entraResponses": bool?, "applyDelaySeconds": number?}`` sets them and answers the same: answers as an
  Entra ID cluster gives them (switching it on adds the seeded members group ``entra-members`` when absent),
  and seconds before a new group's access applies (see cdf_groups.py); ``limit`` is ``--group-limit``
* ``GET /_emulator/secrets`` -> ``{"items": [{"value", "kind"}, ...]}``: every secret seeded, received or
  issued, for the tests that scan output for leaks (see secretlog.py)
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.errors import ApiError, bad_request
from emulator.seeds import ENTRA_GROUP_NAME, PROJECT, entra_members_group
from emulator.store import Store
from emulator.web import items_of, json_body, query_int

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
    request.app.state.faults.clear()
    return JSONResponse({})


async def faults(request: Request) -> Response:
    _loopback_only(request)
    rules = request.app.state.faults
    if request.method == "DELETE":
        rules.clear()
        return JSONResponse({})
    if request.method == "POST":
        body = await json_body(request)
        return JSONResponse({"items": rules.add(items_of(body, max_items=100))})
    return JSONResponse({"items": rules.all()})


def _group_switches(store: Store) -> dict:
    return {
        "entraResponses": store.entra_responses,
        "applyDelaySeconds": store.group_apply_delay,
        "limit": store.group_limit,
    }


def _seed_entra_group(store: Store) -> None:
    groups = store.state["projects"][PROJECT]["groups"]
    if not any(g["name"] == ENTRA_GROUP_NAME and not g.get("isDeleted") for g in groups.values()):
        gid = store.next_id("group")
        groups[str(gid)] = entra_members_group(gid)
        store.save()


async def cdf_groups(request: Request) -> Response:
    _loopback_only(request)
    store: Store = request.app.state.store
    if request.method == "POST":
        body = await json_body(request)
        if not isinstance(body, dict):
            raise bad_request("the group switches are a JSON object")
        entra, delay = body.get("entraResponses"), body.get("applyDelaySeconds")
        if entra is not None and not isinstance(entra, bool):
            raise bad_request("entraResponses must be a boolean")
        if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= 60):
            raise bad_request("applyDelaySeconds must be a number of seconds between 0 and 60")
        if entra is not None:
            store.entra_responses = entra
            if entra:
                _seed_entra_group(store)
        if delay is not None:
            store.group_apply_delay = float(delay)
    return JSONResponse(_group_switches(store))


async def secrets_(request: Request) -> Response:
    _loopback_only(request)
    return JSONResponse({"items": request.app.state.store.secret_log.items()})


async def state(request: Request) -> Response:
    _loopback_only(request)
    return JSONResponse(request.app.state.store.snapshot())


def routes(store: Store) -> list[Route]:
    return [
        Route(PREFIX + "/health", health, methods=["GET"]),
        Route(PREFIX + "/requests", requests_, methods=["GET", "DELETE"]),
        Route(PREFIX + "/reset", reset, methods=["POST"]),
        Route(PREFIX + "/state", state, methods=["GET"]),
        Route(PREFIX + "/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(PREFIX + "/secrets", secrets_, methods=["GET"]),
        Route(PREFIX + "/cdf-groups", cdf_groups, methods=["GET", "POST"]),
    ]
