"""The auth API area (https://auth.cognite.com): its service accounts' tokens (issued by the server's token
endpoint from the ``authClients`` registry), the organizations' principals and their login sessions."""

from __future__ import annotations

from starlette.routing import BaseRoute

from emulator.auth_api import login_sessions, principals, seeds
from emulator.auth_api.callers import ISSUER
from emulator.server.store import Store


def routes(store: Store) -> list[BaseRoute]:
    """Registers ``authClients`` and ``orgs`` with the store; the principals and login-session routes."""
    store.register_clients("authClients", ISSUER)
    store.register_seed("authClients", seeds.seed_auth_clients, secrets=seeds.seed_secrets())
    store.register_seed("orgs", seeds.seed_orgs)
    return [*principals.routes(store), *login_sessions.routes(store)]
