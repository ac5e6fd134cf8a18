# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF user profiles: the caller's own, by identifier, a name search, or all (paged).

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.http import READ, ApiError

PAGE_SIZE = 1000
SEARCH_MAX = 1000
BYIDS_CHUNK = 1000


def my_profile(client: Any) -> Optional[dict]:
    """The caller's own profile, or None when it has none (CDF answers 404, e.g. for service principals)."""
    try:
        body = client.get("profiles/me")
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise
    return models.parse_one(models.UserProfile, body, "GET profiles/me")


def list_profiles(client: Any, limit: Optional[int] = None) -> list:
    """Every profile (all pages), or the first ``limit``."""
    return list(client.iterate("profiles", page_size=PAGE_SIZE, parse=lambda body: _profiles(body, "GET profiles"), limit=limit))


def profiles_by_ids(client: Any, identifiers: list) -> tuple[list, list]:
    """The profiles of these user identifiers, and the identifiers CDF does not know."""
    return client.by_ids(
        "profiles/byids", identifiers, key="userIdentifier", chunk=BYIDS_CHUNK,
        parse=lambda body: _profiles(body, "POST profiles/byids"),
    )


def search_profiles(client: Any, name: str, limit: Optional[int] = None) -> list:
    """Profiles whose name starts with ``name`` (the API's prefix search; it does not page)."""
    body = {"search": {"name": name}, "limit": min(limit or SEARCH_MAX, SEARCH_MAX)}
    return _profiles(client.post("profiles/search", body, policy=READ), "POST profiles/search")


def _profiles(body: Any, call: str) -> list:
    """The profiles of an answer to ``call``, as sent; models.UnexpectedResponse when its shape is wrong."""
    return models.parse_items(models.UserProfile, body, call)
