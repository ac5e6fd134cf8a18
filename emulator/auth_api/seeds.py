"""The auth API area's seed state: its service accounts (``authClients``) and organization ``demo-org`` with its
principals and their login sessions (``orgs``). Listed in emulator/README.md. Deterministic except timestamps.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from emulator.server.store import secret_hash

ORG = "demo-org"

#: Service accounts of the auth API (https://auth.cognite.com): id -> (secret, organization, admin of it?).
#: Their tokens come from the auth API's own token endpoint and are good for the auth API only.
SEED_AUTH_CLIENTS: dict[str, tuple[str, str, bool]] = {
    "org-admin": ("org-admin-secret", "demo-org", True),
    "org-member": ("org-member-secret", "demo-org", False),
}

#: The namespace of the seeded ids (the same as the CDF seeds': the ids are those of earlier releases).
_NS = uuid.UUID("6f1c3d52-9a0e-4d7b-8c55-0d9e7b2a4f10")

#: The organization's people: (given name, surname, the statuses of their login sessions, newest first).
_MANY = ["ACTIVE"] * 3 + ["EXPIRED", "LOGGED_OUT"] * 60 + ["REVOKED"] * 2  # 125 sessions: two pages
SEED_PEOPLE: list[dict[str, Any]] = [
    {"givenName": "Alice", "surname": "Andersen", "sessions": ["ACTIVE", "ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED"]},
    {"givenName": "Bob", "surname": "Nakamura", "sessions": ["ACTIVE", "LOGGED_OUT"]},
    {"givenName": "Carla", "surname": "Rossi", "sessions": _MANY},
    {"givenName": "Eva", "surname": "Lindqvist", "sessions": []},
]


def principal_id(given: str) -> str:
    """The auth API principal id of a seeded person."""
    return str(uuid.uuid5(_NS, f"principal/{given.lower()}"))


def _login_sessions(given: str, statuses: list[str], now: int) -> list[dict[str, Any]]:
    sessions = []
    for index, status in enumerate(statuses):
        created = now - (index + 1) * 3_600_000
        item: dict[str, Any] = {
            "id": str(uuid.uuid5(_NS, f"login/{given.lower()}/{index}")),
            "createdTime": created,
            "status": status,
        }
        if status != "ACTIVE":
            item["deactivatedTime"] = created + 1_800_000
        sessions.append(item)
    return sessions


def _user(given: str, surname: str, statuses: list[str], now: int) -> dict[str, Any]:
    """A USER principal as the Principals API lists it, with its login sessions (kept apart when listed)."""
    return {
        "type": "USER",
        "name": f"{given} {surname}",
        "email": f"{given}.{surname}@example.com".lower(),
        "givenName": given,
        "familyName": surname,
        "pictureUrl": "",
        "sessions": _login_sessions(given, statuses, now),
    }


def _service_account(name: str, now: int) -> dict[str, Any]:
    return {
        "type": "SERVICE_ACCOUNT",
        "name": name,
        "externalId": name,
        "description": f"emulator seed service account {name}",
        "createdBy": {"orgId": ORG, "userId": principal_id("Bob")},
        "createdTime": now - 86_400_000,
        "lastUpdatedTime": now - 86_400_000,
        "pictureUrl": "",
        "sessions": [],
    }


def seed_orgs() -> dict[str, Any]:
    """Organization ``demo-org``: its admins, members and principals."""
    now = int(time.time() * 1000)
    principals = {
        principal_id(person["givenName"]): _user(person["givenName"], person["surname"], person["sessions"], now)
        for person in SEED_PEOPLE
    }
    principals[str(uuid.uuid5(_NS, "principal/service/admin"))] = _service_account("admin", now)
    for client_id in SEED_AUTH_CLIENTS:
        principals[auth_principal_id(client_id)] = _service_account(client_id, now)
    admins = [cid for cid, (_secret, org, admin) in SEED_AUTH_CLIENTS.items() if org == ORG and admin]
    members = [cid for cid, (_secret, org, _admin) in SEED_AUTH_CLIENTS.items() if org == ORG]
    return {ORG: {"admins": admins, "members": members, "principals": principals}}


def auth_principal_id(client_id: str) -> str:
    """The principal id of a seeded auth API service account."""
    return str(uuid.uuid5(_NS, f"principal/service/{client_id}"))


def seed_auth_clients() -> dict[str, Any]:
    """The auth API's service accounts (secrets only as hashes)."""
    clients = SEED_AUTH_CLIENTS.items()
    return {cid: {"secretSha256": secret_hash(secret), "org": org} for cid, (secret, org, _admin) in clients}


def seed_secrets() -> list[str]:
    """The service accounts' secrets."""
    return [secret for secret, _org, _admin in SEED_AUTH_CLIENTS.values()]
