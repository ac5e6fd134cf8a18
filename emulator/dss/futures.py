"""DSS futures and the user resync that starts them.

* ``POST /admin/users/{login}/actions/resync`` (dataikuapi ``DSSUser.start_resync_from_supplier``, admin.py
  L624-632) and ``POST /admin/users/actions/resync-multi`` with a JSON list of logins, or no body for every user
  (``DSSClient.start_resync_users_from_supplier`` / ``start_resync_all_users_from_supplier``, dssclient.py
  L790-809), admin only, answer a future;
* ``GET /futures/{jobId}?peek=`` answers its state (``DSSFuture.get_state`` / ``peek_state``, dss/future.py).

A future's state is ``{jobId, hasResult, alive, aborted, unknown, runningTime, progress, result}``: dataikuapi
reads ``jobId``, ``hasResult`` and ``result`` (future.py), webapp.py reads ``alive``; the rest is the emulator's
choice. The start answer has ``hasResult: false`` and ``alive: true``, so ``wait_for_result()`` polls; the job
is done by the first poll (``hasResult: true``, ``alive: false``), whose answer carries ``result`` unless
``peek=true``. Futures live in memory only (a reset or restart forgets them); any future can be polled again
until then, by the user who started it (another user: 404). The emulator has no external user supplier, so a
resync changes nothing. Its result (the emulator's choice) is ``{"users": [{login, sourceType, outcome,
message}]}`` in login order, ``outcome`` being ``NOT_APPLICABLE`` for a LOCAL user (nothing to resync: it has no
supplier), ``UNCHANGED`` for another source type, ``NOT_FOUND`` for a login of resync-multi that does not exist.
The two starts are logged as writes (a resync may change users on DSS).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss.web import dss_state, endpoint, invalid, json_value, not_found, query_flag
from emulator.server.store import Store

MEMORY_KEY = "dss-futures"
_ids = itertools.count(1)


def register(store: Store) -> None:
    """Give the store the futures table (memory only, emptied on reset)."""
    store.register_memory(MEMORY_KEY, lambda _previous: {})


def start(request: Request, result: Any) -> dict[str, Any]:
    """Record a future that ``result`` will complete; its state as the start call answers it."""
    job_id = f"emulator-{next(_ids)}-{int(time.time() * 1000)}"
    request.app.state.store.memory[MEMORY_KEY][job_id] = {
        "owner": request.state.dss_login,
        "startTime": int(time.time() * 1000),
        "result": result,
    }
    return {"jobId": job_id, "hasResult": False, "alive": True, "aborted": False, "unknown": False,
            "runningTime": 0, "progress": {"states": []}}


def resync_outcome(dss: dict[str, Any], login: str) -> dict[str, Any]:
    user = dss["users"].get(login)
    if user is None:
        return {"login": login, "sourceType": None, "outcome": "NOT_FOUND", "message": f"User {login} does not exist"}
    if user["sourceType"] == "LOCAL":
        return {"login": login, "sourceType": "LOCAL", "outcome": "NOT_APPLICABLE",
                "message": "A LOCAL user has no external supplier: nothing to resync"}
    return {"login": login, "sourceType": user["sourceType"], "outcome": "UNCHANGED",
            "message": "The emulator has no external user supplier: nothing changed"}


async def resync_one(request: Request) -> Response:
    dss = dss_state(request)
    login = request.path_params["login"]
    if login not in dss["users"]:
        raise not_found("User", login)
    return JSONResponse(start(request, {"users": [resync_outcome(dss, login)]}))


async def _logins(request: Request, dss: dict[str, Any]) -> list[str]:
    """The body's list of logins; every user when there is no body."""
    body = await json_value(request)
    if body is None:
        return sorted(dss["users"])
    if not isinstance(body, list) or not all(isinstance(item, str) for item in body):
        raise invalid("The request body must be a JSON list of logins")
    return sorted(dict.fromkeys(body))


async def resync_multi(request: Request) -> Response:
    dss = dss_state(request)
    logins = await _logins(request, dss)
    return JSONResponse(start(request, {"users": [resync_outcome(dss, login) for login in logins]}))


async def get_future(request: Request) -> Response:
    job_id = request.path_params["jobId"]
    future = request.app.state.store.memory[MEMORY_KEY].get(job_id)
    if future is None or future["owner"] != request.state.dss_login:
        raise not_found("Future", job_id)
    state = {"jobId": job_id, "hasResult": True, "alive": False, "aborted": False, "unknown": False,
             "runningTime": 0, "startTime": future["startTime"], "progress": {"states": []}}
    if not query_flag(request, "peek"):
        state["result"] = future["result"]
    return JSONResponse(state)


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    return [
        Route("/admin/users/{login}/actions/resync", endpoint(resync_one, write=True), methods=["POST"]),
        Route("/admin/users/actions/resync-multi", endpoint(resync_multi, write=True), methods=["POST"]),
        Route("/futures/{jobId}", endpoint(get_future, admin=False), methods=["GET"]),
    ]
