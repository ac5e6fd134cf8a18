"""Builds the emulator's Starlette application.

Each API area is a module with ``routes(store) -> list[Route]``; ``create_app`` concatenates them.
To add an area (e.g. DSS under ``/public/api/``), write ``emulator/<area>/...`` with such a function,
let it call ``store.register_seed(key, seeder)`` for its state, and add it to ``AREAS`` below.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from emulator import (
    auth,
    auth_login_sessions,
    auth_principals,
    cdf_groups,
    cdf_postgres_gateway,
    cdf_profiles,
    cdf_projects,
    cdf_security_categories,
    cdf_sessions,
    cdf_token,
    control,
    dss,
)
from emulator.errors import EXCEPTION_HANDLERS, handle_http_exception
from emulator.faults import TRANSPORT_KEY, FaultMiddleware, FaultRules
from emulator.requestlog import RequestLog, RequestLogMiddleware
from emulator.secretlog import SecretLog
from emulator.store import Store

AreaRoutes = Callable[[Store], list[BaseRoute]]

#: Every API area served, in routing order. ``control`` first: its paths never clash with the APIs.
AREAS: list[AreaRoutes] = [
    control.routes,
    auth.routes,
    cdf_token.routes,
    cdf_groups.routes,
    cdf_security_categories.routes,
    cdf_sessions.routes,
    cdf_postgres_gateway.routes,
    cdf_profiles.routes,
    cdf_projects.routes,
    auth_principals.routes,
    auth_login_sessions.routes,
    dss.routes,
]


class EmulatorApp(Starlette):
    """Starlette, plus the connection's transport in the scope (uvicorn's ``send`` is a method of the
    request cycle, which holds it): a fault rule with ``reset: true`` aborts the connection through it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None:
            scope[TRANSPORT_KEY] = transport
        await super().__call__(scope, receive, send)


def create_app(
    state_file: str | os.PathLike[str] | None = None, *, token_ttl: int = 3600, nonce_ttl: float = 60.0
) -> Starlette:
    """The emulator app; ``state_file`` (optional) is loaded on start and rewritten after each change."""
    secret_log = SecretLog()
    store = Store(state_file, token_ttl=token_ttl, nonce_ttl=nonce_ttl, secret_log=secret_log)
    request_log = RequestLog()
    faults = FaultRules()
    routes: list[BaseRoute] = []
    for area in AREAS:
        routes.extend(area(store))
    app = EmulatorApp(
        routes=routes,
        middleware=[
            Middleware(RequestLogMiddleware, request_log=request_log, secret_log=secret_log),
            Middleware(FaultMiddleware, rules=faults),
        ],
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: handle_http_exception},
    )
    app.state.store = store
    app.state.request_log = request_log
    app.state.faults = faults
    app.state.secret_log = secret_log
    return app
