# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF user profiles: the caller's own, by identifier, a name search, or all (paged)."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

PAGE_SIZE = 1000
SEARCH_MAX = 1000
BYIDS_CHUNK = 1000


def my_profile(client: Any) -> Optional[dict]:
    """The caller's own profile, or None when it has none (CDF answers 404, e.g. for service principals)."""
    try:
        return client.get("profiles/me")
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


def list_profiles(client: Any, limit: Optional[int] = None) -> list:
    """Every profile (all pages), or the first ``limit``."""
    found: list = []
    for profile in client.iterate("profiles", page_size=min(PAGE_SIZE, limit or PAGE_SIZE)):
        found.append(profile)
        if limit is not None and len(found) >= limit:
            break
    return found


def profiles_by_ids(client: Any, identifiers: list) -> tuple[list, list]:
    """The profiles of these user identifiers, and the identifiers CDF does not know."""
    found: list = []
    unknown: list = []
    wanted = list(dict.fromkeys(identifiers))
    for start in range(0, len(wanted), BYIDS_CHUNK):
        chunk = wanted[start : start + BYIDS_CHUNK]
        while chunk:
            try:
                body = client.post("profiles/byids", {"items": [{"userIdentifier": i} for i in chunk]}, write=False)
            except ApiError as exc:
                missing = {item.get("userIdentifier") for item in exc.missing if isinstance(item, dict)}
                if not missing & set(chunk):
                    raise
                unknown.extend(i for i in chunk if i in missing)
                chunk = [i for i in chunk if i not in missing]
                continue
            found.extend(body.get("items", []))
            break
    return found, unknown


def search_profiles(client: Any, name: str, limit: Optional[int] = None) -> list:
    """Profiles whose name starts with ``name`` (the API's prefix search; it does not page)."""
    body = {"search": {"name": name}, "limit": min(limit or SEARCH_MAX, SEARCH_MAX)}
    return client.post("profiles/search", body, write=False).get("items", [])
