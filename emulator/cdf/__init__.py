"""The CDF area: the project's identity provider (OAuth clients), project ``demo`` and its endpoints (groups,
security categories, sessions, Postgres-gateway users, user profiles, projects, token inspect, data sets and
extraction pipelines), the capability
catalogue the groups are validated against, and the group switches of the control API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from emulator.cdf import (
    control,
    datasets,
    extraction_pipelines,
    groups,
    postgres_gateway,
    profiles,
    projects,
    security_categories,
    seeds,
    sessions,
    token,
)
from emulator.cdf.callers import ISSUER
from emulator.cdf.control import group_switches
from emulator.server.store import Store

__all__ = ["group_switches", "routes"]

#: The CDF endpoints, in routing order.
ENDPOINTS = [
    token,
    groups,
    security_categories,
    sessions,
    postgres_gateway,
    profiles,
    projects,
    datasets,
    extraction_pipelines,
]


def routes(store: Store) -> list[BaseRoute]:
    """Registers the IdP clients, ``projects`` and ``counters`` with the store; every CDF route."""
    store.register_clients("clients", ISSUER)
    store.register_seed("clients", seeds.seed_clients, secrets=seeds.seed_secrets())
    store.register_seed("projects", seeds.seed_projects, required=True)
    store.register_seed("counters", seeds.seed_counters)
    found: list[BaseRoute] = [*control.routes(store)]
    for module in ENDPOINTS:
        found.extend(module.routes(store))
    return found
