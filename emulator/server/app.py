"""The emulator's Starlette application, built from a list of API areas.

An area is a function ``routes(store) -> list[BaseRoute]``: it registers what it owns with the store (seeds,
client registries, memory-only state) and answers its routes. ``build_app`` adds the server's own routes (the
control API and the token endpoint) first, then every area's, then opens the store (state file or seed).
The list of areas served is ``emulator.app.AREAS``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from emulator.server import auth, control
from emulator.server.errors import EXCEPTION_HANDLERS, handle_http_exception
from emulator.server.faults import TRANSPORT_KEY, FaultMiddleware, FaultRules
from emulator.server.requestlog import RequestLog, RequestLogMiddleware
from emulator.server.secretlog import SecretLog
from emulator.server.store import Store

AreaRoutes = Callable[[Store], list[BaseRoute]]

#: The server's own routes, before any area's: their paths never clash with the APIs.
SERVER_ROUTES: list[AreaRoutes] = [control.routes, auth.routes]


class EmulatorApp(Starlette):
    """Starlette, plus the connection's transport in the scope (uvicorn's ``send`` is a method of the
    request cycle, which holds it): a fault rule with ``reset: true`` aborts the connection through it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None:
            scope[TRANSPORT_KEY] = transport
        await super().__call__(scope, receive, send)


def build_app(
    areas: Sequence[AreaRoutes],
    state_file: str | os.PathLike[str] | None = None,
    *,
    token_ttl: int = 3600,
    nonce_ttl: float = 60.0,
) -> Starlette:
    """The app serving ``areas``; ``state_file`` (optional) is loaded on start and rewritten after each change."""
    secret_log = SecretLog()
    store = Store(state_file, token_ttl=token_ttl, nonce_ttl=nonce_ttl, secret_log=secret_log)
    request_log = RequestLog()
    faults = FaultRules()
    routes: list[BaseRoute] = []
    for area in [*SERVER_ROUTES, *areas]:
        routes.extend(area(store))
    store.open()
    app = EmulatorApp(
        routes=routes,
        middleware=[
            Middleware(RequestLogMiddleware, request_log=request_log, secret_log=secret_log),
            Middleware(FaultMiddleware, rules=faults),
        ],
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: handle_http_exception},
    )
    app.state.store = store
    #: Writes run one at a time (web.endpoint): concurrent requests change the state as if sent one by one.
    app.state.write_lock = asyncio.Lock()
    app.state.request_log = request_log
    app.state.faults = faults
    app.state.secret_log = secret_log
    return app
