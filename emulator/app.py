"""The emulator app: the API areas it serves, in routing order, on the server's plumbing (``emulator.server``).

To add an area, write ``emulator/<area>/`` with ``routes(store) -> list[BaseRoute]`` (it registers its seeds with
``store.register_seed``) and add it below. Areas depend on ``emulator.server`` only, never on each other.
"""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette

from emulator import auth_api, cdf, dss
from emulator.server.app import AreaRoutes, build_app
from emulator.server.store import Store

#: Every API area served, in routing order (after the control API and the token endpoint).
AREAS: list[AreaRoutes] = [cdf.routes, auth_api.routes, dss.routes]


def create_app(
    state_file: str | os.PathLike[str] | None = None,
    *,
    token_ttl: int = 3600,
    nonce_ttl: float = 60.0,
    group_limit: int | None = None,
) -> Starlette:
    """The emulator app; ``state_file`` (optional) is loaded on start and rewritten after each change;
    ``group_limit``: CDF groups per project, deleted ones included (default CDF's 1,500)."""
    app = build_app(AREAS, state_file, token_ttl=token_ttl, nonce_ttl=nonce_ttl)
    if group_limit is not None:
        cdf.group_switches(app.state.store).limit = group_limit
    return app


def build_seed_state() -> dict[str, Any]:
    """The whole seed state of every area, as a state file holds it (tests write variations of it)."""
    store = Store()
    for area in AREAS:
        area(store)
    return store.seed_state()
