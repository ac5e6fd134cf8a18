"""The seed state: what a fresh (or reset) emulator contains. Listed in emulator/README.md.

Everything here is deterministic except timestamps, which are relative to the moment of seeding.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

from emulator.catalogue import actions

PROJECT = "demo"
ORG = "demo-org"

#: OAuth2 clients of the emulator's identity provider: id -> (secret, IdP groups in its tokens).
SEED_CLIENTS: dict[str, tuple[str, list[str]]] = {
    "admin": ("admin-secret", ["cdf-admins"]),
    "reader": ("reader-secret", ["cdf-readers"]),
}

#: Service accounts of the auth API (https://auth.cognite.com): id -> (secret, organization, admin of it?).
#: Their tokens come from the auth API's own token endpoint and are good for the auth API only.
SEED_AUTH_CLIENTS: dict[str, tuple[str, str, bool]] = {
    "org-admin": ("org-admin-secret", "demo-org", True),
    "org-member": ("org-member-secret", "demo-org", False),
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


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def person_id(given: str) -> str:
    """The (Entra-style object id) user identifier of a seeded person."""
    return str(uuid.uuid5(_NS, f"user/{given.lower()}"))


def principal_id(given: str) -> str:
    """The auth API principal id of a seeded person."""
    return str(uuid.uuid5(_NS, f"principal/{given.lower()}"))


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
    # projectsAcl:LIST + groupsAcl:LIST: what token inspection needs (shared/api/cdf.md "Token inspect").
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


def _orgs(now: int) -> dict[str, Any]:
    many = ["ACTIVE"] * 3 + ["EXPIRED", "LOGGED_OUT"] * 60 + ["REVOKED"] * 2  # 125 sessions: two pages
    statuses = {"Alice": ["ACTIVE", "ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED"], "Bob": ["ACTIVE", "LOGGED_OUT"],
                "Carla": many, "Eva": []}
    principals = {
        principal_id(person["givenName"]): _user(person["givenName"], person["surname"], statuses[person["givenName"]], now)
        for person in SEED_PEOPLE
        if person["givenName"] in statuses
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


def seed_secrets() -> list[str]:
    """Every secret of the seed: OAuth client secrets, DSS API keys, passwords and secret values."""
    from emulator.dss.seeds import SEED_KEYS, SEED_PASSWORDS, SEED_SECRET_VALUE

    auth_secrets = [secret for secret, _org, _admin in SEED_AUTH_CLIENTS.values()]
    return [secret for secret, _groups in SEED_CLIENTS.values()] + auth_secrets + [*SEED_KEYS, *SEED_PASSWORDS.values(), SEED_SECRET_VALUE]


def build_seed_state() -> dict[str, Any]:
    """A fresh copy of the whole seed state (JSON-serialisable)."""
    now = int(time.time() * 1000)
    return {
        "version": 1,
        "clients": {
            cid: {"secretSha256": secret_hash(secret), "idpGroups": list(groups)}
            for cid, (secret, groups) in SEED_CLIENTS.items()
        },
        "authClients": {
            cid: {"secretSha256": secret_hash(secret), "org": org} for cid, (secret, org, _admin) in SEED_AUTH_CLIENTS.items()
        },
        "projects": {
            PROJECT: {
                "groups": _groups(),
                "securityCategories": {},
                "sessions": {},
                "pgUsers": {},
                "profiles": _profiles(now),
            }
        },
        "orgs": _orgs(now),
        "counters": {
            "group": GROUP_ID_START + 2,
            "securityCategory": SECURITY_CATEGORY_ID_START,
            "session": SESSION_ID_START,
        },
    }
