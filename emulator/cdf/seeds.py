"""The CDF area's seed state: the identity provider's clients, project ``demo`` and the id counters.
Listed in emulator/README.md. Deterministic except timestamps, relative to the moment of seeding.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from emulator.cdf.catalogue import actions
from emulator.server.store import secret_hash

PROJECT = "demo"
#: The organization project demo belongs to (``GET /projects/demo`` names it).
ORG = "demo-org"

#: OAuth2 clients of the emulator's identity provider: id -> (secret, IdP groups in its tokens).
SEED_CLIENTS: dict[str, tuple[str, list[str]]] = {
    "admin": ("admin-secret", ["cdf-admins"]),
    "reader": ("reader-secret", ["cdf-readers"]),
}

GROUP_ID_START = 1_000_000_001
SECURITY_CATEGORY_ID_START = 2_000_000_001
SESSION_ID_START = 4_503_599_627_370_497

_NS = uuid.UUID("6f1c3d52-9a0e-4d7b-8c55-0d9e7b2a4f10")

#: Human users of project demo (their user profiles), and the admin service principal's own profile.
SEED_PEOPLE: list[dict[str, str]] = [
    {"givenName": "Alice", "surname": "Andersen", "jobTitle": "Data Engineer"},
    {"givenName": "Alex", "surname": "Berg", "jobTitle": "Process Analyst"},
    {"givenName": "Bob", "surname": "Nakamura", "jobTitle": "Platform Engineer"},
    {"givenName": "Carla", "surname": "Rossi", "jobTitle": "Data Scientist"},
    {"givenName": "Dmitri", "surname": "Ivanov", "jobTitle": "Operations Manager"},
    {"givenName": "Eva", "surname": "Lindqvist", "jobTitle": "BI Developer"},
]


def person_id(given: str) -> str:
    """The (Entra-style object id) user identifier of a seeded person."""
    return str(uuid.uuid5(_NS, f"user/{given.lower()}"))


def _capability(acl: str, acl_actions: list[str]) -> dict[str, Any]:
    return {acl: {"actions": acl_actions, "scope": {"all": {}}}}


def _groups() -> dict[str, dict[str, Any]]:
    admin_caps = [
        _capability("groupsAcl", actions("groupsAcl")),
        _capability("securityCategoriesAcl", actions("securityCategoriesAcl")),
        _capability("sessionsAcl", actions("sessionsAcl")),
        _capability("postgresGatewayAcl", actions("postgresGatewayAcl")),
        _capability("projectsAcl", ["READ", "LIST"]),
        _capability("userProfilesAcl", ["READ"]),
    ]
    # projectsAcl:LIST + groupsAcl:LIST: what token inspection needs (API reference, Token: inspect).
    reader_caps = [_capability("groupsAcl", ["LIST"]), _capability("projectsAcl", ["LIST"])]
    groups = {}
    for offset, (name, source, caps) in enumerate(
        [("admins", "cdf-admins", admin_caps), ("readers", "cdf-readers", reader_caps)]
    ):
        gid = GROUP_ID_START + offset
        groups[str(gid)] = {
            "id": gid,
            "name": name,
            "sourceId": source,
            "capabilities": caps,
            "metadata": {"origin": "emulator seed"},
            "isDeleted": False,
            "deletedTime": -1,
        }
    return groups


#: The group the control API's Entra switch adds (POST /_emulator/cdf-groups {"entraResponses": true}): made with
#: members, so an Entra ID cluster returns it with a service-populated sourceId too.
ENTRA_GROUP_NAME = "entra-members"


def entra_members_group(gid: int) -> dict[str, Any]:
    """The seeded members group of the Entra switch (Alice and Bob; assets and events read)."""
    return {
        "id": gid,
        "name": ENTRA_GROUP_NAME,
        "sourceId": "",
        "members": [person_id("Alice"), person_id("Bob")],
        "capabilities": [_capability("assetsAcl", ["READ"]), _capability("eventsAcl", ["READ"])],
        "metadata": {"origin": "emulator seed"},
        "isDeleted": False,
        "deletedTime": -1,
    }


def _profiles(now: int) -> dict[str, dict[str, Any]]:
    profiles: dict[str, dict[str, Any]] = {}
    for index, person in enumerate(SEED_PEOPLE):
        uid = person_id(person["givenName"])
        profiles[uid] = {
            "userIdentifier": uid,
            "givenName": person["givenName"],
            "surname": person["surname"],
            "email": f"{person['givenName']}.{person['surname']}@example.com".lower(),
            "displayName": f"{person['givenName']} {person['surname']}",
            "jobTitle": person["jobTitle"],
            "lastUpdatedTime": now - (index + 1) * 86_400_000,
            "identityType": "USER",
        }
    profiles["admin"] = {
        "userIdentifier": "admin",
        "displayName": "admin",
        "lastUpdatedTime": now - 3_600_000,
        "identityType": "SERVICE_PRINCIPAL",
    }
    return profiles


def seed_secrets() -> list[str]:
    """The OAuth client secrets of the seed."""
    return [secret for secret, _groups in SEED_CLIENTS.values()]


def seed_clients() -> dict[str, Any]:
    """The identity provider's OAuth clients (secrets only as hashes)."""
    clients = SEED_CLIENTS.items()
    return {cid: {"secretSha256": secret_hash(secret), "idpGroups": list(groups)} for cid, (secret, groups) in clients}


def seed_projects() -> dict[str, Any]:
    """Project ``demo``: its groups and profiles; no security categories, sessions or Postgres-gateway users."""
    now = int(time.time() * 1000)
    return {
        PROJECT: {
            "groups": _groups(),
            "securityCategories": {},
            "sessions": {},
            "pgUsers": {},
            "profiles": _profiles(now),
        }
    }


def seed_counters() -> dict[str, int]:
    """The next ids of groups, security categories and sessions."""
    return {"group": GROUP_ID_START + 2, "securityCategory": SECURITY_CATEGORY_ID_START, "session": SESSION_ID_START}
