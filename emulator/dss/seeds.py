"""The DSS part of the seed state (``state["dss"]``): API keys, users, groups, licensed user profiles.

Listed in emulator/README.md ("DSS"). API keys, passwords and user secret values are stored only as
hashes, so the state file holds no secret. The licensed profiles come from ``EMULATOR_DSS_USER_PROFILES`` (comma-separated)
when it is set, else ``DEFAULT_USER_PROFILES``; ``PUT /_emulator/dss/licensing`` changes them at run time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from typing import Any

#: The seeded API keys: key -> login of the user the key acts as (a personal API key).
SEED_KEYS: dict[str, str] = {"dss-admin-key": "admin", "dss-user-key": "analyst"}
ADMIN_KEY = "dss-admin-key"
USER_KEY = "dss-user-key"
#: The seeded users' passwords and the analyst's one secret value (stored as hashes only).
SEED_PASSWORDS: dict[str, str] = {"admin": "admin-password", "analyst": "analyst-password"}
SEED_SECRET_VALUE = "analyst-secret-value"

#: The first is what a user created without a profile gets (dataikuapi's default, DATA_SCIENTIST); then the older
#: licences' profiles and those of current licences (/work/shared/api/dss.md §2.4).
DEFAULT_USER_PROFILES = [
    "DATA_SCIENTIST", "DATA_ANALYST", "READER", "DESIGNER",
    "FULL_DESIGNER", "DATA_DESIGNER", "ADVANCED_ANALYTICS_DESIGNER", "GOVERNANCE_MANAGER",
    "AI_CONSUMER", "AI_ACCESS_USER", "TECHNICAL_ACCOUNT",
]
PROFILES_ENV = "EMULATOR_DSS_USER_PROFILES"

SOURCE_TYPES = ("LOCAL", "LDAP", "LOCAL_NO_AUTH", "SAAS", "PAM", "AZURE_AD", "CUSTOM")

#: The global permission flags of a group definition: DSS 14 plus the ones DSS 15 accepts.
KNOWN_FLAGS = (
    "mayManageUDM",
    "mayCreateProjects",
    "mayCreateProjectsFromMacros",
    "mayCreateProjectsFromTemplates",
    "mayCreateProjectsFromDataikuApps",
    "mayWriteUnsafeCode",
    "mayWriteSafeCode",
    "mayCreateAuthenticatedConnections",
    "mayCreateCodeEnvs",
    "mayCreateClusters",
    "mayCreateCodeStudioTemplates",
    "mayDevelopPlugins",
    "mayEditLibFolders",
    "mayManageCodeEnvs",
    "mayManageClusters",
    "mayManageCodeStudioTemplates",
    "mayViewIndexedHiveConnections",
    "mayCreatePublishedAPIServices",
    "mayCreatePublishedProjects",
    "mayWriteInRootProjectFolder",
    "mayCreateActiveWebContent",
    "mayCreateWorkspaces",
    "mayShareToWorkspaces",
    "mayCreateDataCollections",
    "mayPublishToDataCollections",
    "mayManageFeatureStore",
    "mayManageEnterpriseAssetLibrary",
    "mayCreateEnterpriseAssetCollections",
    "mayCreateMiraInfrastructures",
)
#: A flag no client knows: a client that rebuilds the definition instead of read-modify-write drops it.
FUTURE_FLAG = "mayUseSomeFutureFeature"
GROUP_FLAGS = KNOWN_FLAGS + (FUTURE_FLAG,)
GROUP_NAME_LISTS = ("ldapGroupNames", "ssoGroupNames", "azureADGroupNames", "customGroupNames")

PREFERENCES = {
    "uiLanguage": "en",
    "rememberPositionFlow": True,
    "mentionEmails": True,
    "discussionEmails": True,
    "accessRequestEmails": True,
    "grantedAccessEmails": True,
    "pluginRequestEmails": True,
    "grantedPluginRequestEmails": True,
    "codeEnvCreationRequestEmails": True,
    "grantedCodeEnvCreationRequestEmails": True,
    "profileUpgradeRequestsEmails": True,
    "instanceAccessRequestsEmails": True,
    "dailyDigestsEmails": True,
    "offlineActivityEmails": True,
    "scenarioRunNotifications": True,
    "loginLogoutNotifications": False,
    "otherUsersJobsTasksNotifications": False,
    "requestAccessNotifications": True,
    "anyObjectOnCurrentProjectEditedNotifications": False,
    "objectOnCurrentProjectCreatedDeletedNotifications": True,
    "watchStarOnCurrentProjectNotifications": True,
    "watchedObjectsEditionsNotifications": True,
}


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def password_hash(password: str) -> str:
    """A salted PBKDF2 hash: what the store keeps of a write-only password."""
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), 10_000).hex()
    return f"pbkdf2_sha256${salt}${digest}"


def password_matches(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    _algorithm, salt, digest = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), 10_000).hex()
    return hmac.compare_digest(candidate, digest)


def licensed_profiles() -> list[str]:
    raw = os.environ.get(PROFILES_ENV, "")
    profiles = [item.strip() for item in raw.split(",") if item.strip()]
    return profiles or list(DEFAULT_USER_PROFILES)


def new_group(name: str, description: str | None = None, source_type: str = "LOCAL") -> dict[str, Any]:
    """A group as POST creates it: every flag false, no mappings."""
    group: dict[str, Any] = {
        "name": name,
        "description": description,
        "sourceType": source_type,
        "admin": False,
        "canObtainAPITicketFromCookiesForGroupsRegex": "",
    }
    for key in GROUP_NAME_LISTS:
        group[key] = []
    for flag in GROUP_FLAGS:
        group[flag] = False
    return group


def new_user(login: str, *, now: int | None = None, **fields: Any) -> dict[str, Any]:
    """A stored user with every field of the definition (``passwordHash`` is never rendered)."""
    created = int(time.time() * 1000) if now is None else now
    user: dict[str, Any] = {
        "login": login,
        "sourceType": "LOCAL",
        "displayName": login,
        "email": None,
        "groups": [],
        "userProfile": "DATA_SCIENTIST",
        "enabled": True,
        "creationDate": created,
        "trialStatus": {"exists": False, "expired": False, "valid": False, "expiresOn": 0, "grantedOn": 0},
        "activeWebSocketSesssions": 0,
        "objectImgHash": int(hashlib.sha256(login.encode()).hexdigest()[:7], 16),
        "userProperties": {},
        "adminProperties": {},
        "secrets": [],
        "credentials": {},
        "preferences": dict(PREFERENCES),
        "passwordHash": None,
    }
    user.update(fields)
    return user


HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def seed_activity(now: int) -> dict[str, dict[str, int]]:
    """The seeded activity (ms epoch, 0 = never): ``admin`` active an hour ago, ``analyst`` dormant for ~4 months."""
    return {
        "admin": {"lastSuccessfulLogin": now - HOUR_MS, "lastFailedLogin": 0, "lastSessionActivity": now - HOUR_MS},
        "analyst": {"lastSuccessfulLogin": now - 120 * DAY_MS, "lastFailedLogin": 0, "lastSessionActivity": now - 118 * DAY_MS},
    }


def build_dss_state() -> dict[str, Any]:
    """A fresh copy of the DSS seed state (the seeded users were created 400 days ago: before their activity)."""
    now = int(time.time() * 1000)
    administrators = new_group("administrators", "DSS administrators")
    administrators.update({flag: True for flag in GROUP_FLAGS}, admin=True)
    data_team = new_group("data_team", "Data scientists and engineers")
    data_team.update(
        {
            "mayCreateProjects": True,
            "mayWriteSafeCode": True,
            "mayWriteUnsafeCode": True,
            "mayCreateCodeEnvs": True,
            "mayWriteInRootProjectFolder": True,
            "mayCreateActiveWebContent": True,
            "ldapGroupNames": ["cn=data-team,ou=groups,dc=example,dc=com"],
            FUTURE_FLAG: True,
        }
    )
    readers = new_group("readers", "Read-only access to shared projects")
    readers[FUTURE_FLAG] = True
    users = {
        "admin": new_user(
            "admin",
            now=now - 400 * DAY_MS,
            displayName="DSS Administrator",
            email="admin@example.com",
            groups=["administrators"],
            userProfile="DESIGNER",
            passwordHash=password_hash(SEED_PASSWORDS["admin"]),
        ),
        "analyst": new_user(
            "analyst",
            now=now - 400 * DAY_MS,
            displayName="Ana Lyst",
            email="analyst@example.com",
            groups=["data_team"],
            userProfile="DATA_ANALYST",
            userProperties={"team": "analytics"},
            adminProperties={"costCenter": "cc-42"},
            secrets=[{"name": "warehouse-token", "valueSha256": key_hash(SEED_SECRET_VALUE), "secret": True}],
            passwordHash=password_hash(SEED_PASSWORDS["analyst"]),
        ),
    }
    return {
        "licensing": {"userProfiles": licensed_profiles()},
        "apiKeys": [{"sha256": key_hash(key), "login": login} for key, login in SEED_KEYS.items()],
        "users": users,
        "activity": seed_activity(now),
        "groups": {group["name"]: group for group in (administrators, data_team, readers)},
    }
