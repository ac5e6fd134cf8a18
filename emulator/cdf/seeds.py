"""The CDF area's seed state: the identity provider's clients, project ``demo`` (groups, profiles, data sets, one
extraction pipeline) and the id counters.
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
DATA_SET_ID_START = 4_500_000_001
EXTPIPE_ID_START = 4_700_000_001

#: Data sets of project demo: (externalId, name, description, writeProtected); ids from DATA_SET_ID_START, so
#: landing is 4500000001 and curated 4500000002 (playbooks/vars/audit_access.yml scopes groups to them).
SEED_DATA_SETS: list[tuple[str, str, str, bool]] = [
    ("landing", "Landing", "Raw data as the extractors deliver it", False),
    ("curated", "Curated", "Cleaned and contextualized data", False),
    ("finance-restricted", "Finance (restricted)", "Write-protected finance data", True),
]
#: The seeded extraction pipeline (id EXTPIPE_ID_START), writing to data set landing.
SEED_EXTPIPE_EXTERNAL_ID = "sap-landing"

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
        _capability("datasetsAcl", actions("datasetsAcl")),
        _capability("extractionPipelinesAcl", actions("extractionPipelinesAcl")),
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


def _data_sets(now: int) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for offset, (external_id, name, description, protected) in enumerate(SEED_DATA_SETS):
        did = DATA_SET_ID_START + offset
        created = now - (30 - offset) * 86_400_000
        found[str(did)] = {
            "id": did,
            "externalId": external_id,
            "name": name,
            "description": description,
            "metadata": {"origin": "emulator seed"},
            "writeProtected": protected,
            "createdTime": created,
            "lastUpdatedTime": created,
        }
    return found


def _extpipes(now: int) -> dict[str, dict[str, Any]]:
    created = now - 20 * 86_400_000
    pipeline = {
        "id": EXTPIPE_ID_START,
        "externalId": SEED_EXTPIPE_EXTERNAL_ID,
        "name": "SAP to landing",
        "dataSetId": DATA_SET_ID_START,
        "description": "Extracts SAP plant data into RAW database landing",
        "rawTables": [{"dbName": "landing", "tableName": "sap_assets"}],
        "schedule": "Continuous",
        "createdBy": "emulator seed",
        "createdTime": created,
        "lastUpdatedTime": created,
    }
    return {str(EXTPIPE_ID_START): pipeline}


def seed_secrets() -> list[str]:
    """The OAuth client secrets of the seed."""
    return [secret for secret, _groups in SEED_CLIENTS.values()]


def seed_clients() -> dict[str, Any]:
    """The identity provider's OAuth clients (secrets only as hashes)."""
    clients = SEED_CLIENTS.items()
    return {cid: {"secretSha256": secret_hash(secret), "idpGroups": list(groups)} for cid, (secret, groups) in clients}


def seed_projects() -> dict[str, Any]:
    """Project ``demo``: its groups, profiles, data sets and extraction pipeline; no security categories, sessions
    or Postgres-gateway users."""
    now = int(time.time() * 1000)
    return {
        PROJECT: {
            "groups": _groups(),
            "securityCategories": {},
            "sessions": {},
            "pgUsers": {},
            "profiles": _profiles(now),
            "dataSets": _data_sets(now),
            "extPipes": _extpipes(now),
        }
    }


def seed_counters() -> dict[str, int]:
    """The next ids of groups, security categories, sessions, data sets and extraction pipelines."""
    return {
        "group": GROUP_ID_START + 2,
        "securityCategory": SECURITY_CATEGORY_ID_START,
        "session": SESSION_ID_START,
        "dataSet": DATA_SET_ID_START + len(SEED_DATA_SETS),
        "extPipe": EXTPIPE_ID_START + 1,
    }
