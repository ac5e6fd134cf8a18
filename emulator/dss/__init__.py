"""The Dataiku DSS part of the emulator: admin users and groups (with activity, bulk calls, resync futures,
impersonation) and a few instance reads, served under both base paths DSS
answers on (``/public/api`` as documented, ``/dip/publicapi`` as dataiku-api-client calls it).

``routes(store)`` is the area function ``emulator.app.AREAS`` lists; it registers ``state["dss"]`` (and its secrets) with
the store (seeded, reset and persisted with the rest), and adds four control endpoints:

* ``PUT /_emulator/dss/licensing`` ``{"userProfiles": [...]}``: the licensed user profiles;
* ``POST /_emulator/dss/check-password`` ``{"login", "password"}`` -> ``{"valid": bool}``: whether a
  user's (write-only) password is the given one, for tests;
* ``PUT /_emulator/dss/activity`` ``{"login", "lastSuccessfulLogin"?, ...}``: a user's activity (emulator/dss/activity.py);
* ``PUT /_emulator/dss/trial`` ``{"login", "expired"?, ...}``: a user's ``trialStatus`` (emulator/dss/instance.py).

Memory only (``store.memory``): the secret values users were given (emulator/dss/vault.py) and the futures
(emulator/dss/futures.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from emulator.dss import activity, bulk, futures, groups, instance, users, vault
from emulator.dss.seeds import SEED_KEYS, SEED_PASSWORDS, SEED_SECRET_VALUE, build_dss_state, password_matches
from emulator.dss.web import DssApp, not_found_endpoint
from emulator.server.control import loopback_only
from emulator.server.store import Store

BASE_PATHS = ("/public/api", "/dip/publicapi")
STATE_KEY = "dss"


async def _body(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


async def set_licensing(request: Request) -> Response:
    loopback_only(request)
    body = await _body(request)
    profiles = body.get("userProfiles")
    if not isinstance(profiles, list) or not profiles or not all(isinstance(p, str) and p for p in profiles):
        return JSONResponse({"error": "userProfiles: a non-empty list of profile names is required"}, status_code=400)
    store: Store = request.app.state.store
    store.state[STATE_KEY]["licensing"]["userProfiles"] = list(profiles)
    store.save()
    return JSONResponse({"userProfiles": profiles})


async def check_password(request: Request) -> Response:
    loopback_only(request)
    body = await _body(request)
    user = request.app.state.store.state[STATE_KEY]["users"].get(body.get("login"))
    valid = bool(user) and password_matches(user.get("passwordHash"), str(body.get("password", "")))
    return JSONResponse({"valid": valid})


def routes(store: Store) -> list[BaseRoute]:
    """The DSS area: both base paths, and its control endpoints."""
    seeded = [*SEED_KEYS, *SEED_PASSWORDS.values(), SEED_SECRET_VALUE]
    store.register_seed(STATE_KEY, build_dss_state, secrets=seeded)
    vault.register(store)
    futures.register(store)
    api = users.routes() + activity.routes() + bulk.routes() + futures.routes() + groups.routes() + instance.routes()
    mounts: list[BaseRoute] = [Mount(base, app=DssApp(Router(api, default=not_found_endpoint))) for base in BASE_PATHS]
    return [
        Route("/_emulator/dss/licensing", set_licensing, methods=["PUT"]),
        Route("/_emulator/dss/check-password", check_password, methods=["POST"]),
        *activity.control_routes(),
        *instance.control_routes(),
        *mounts,
    ]
