# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CDF security categories: list (paged), find by name, create (safely retried), delete.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import created_item
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError

PAGE_SIZE = 1000  # the API's maximum; a project holds at most 1000 categories


def page_size_problem(page_size: int) -> Optional[str]:
    """A message when ``page_size`` is outside what the API accepts."""
    if not 1 <= page_size <= PAGE_SIZE:
        return "page_size must be between 1 and %d, got %d" % (PAGE_SIZE, page_size)
    return None


def list_categories(client: Any, name: Optional[str] = None, page_size: int = PAGE_SIZE) -> list:
    """Every security category of the project (all pages), optionally only the one named ``name``."""
    items = client.iterate("securitycategories", {"sort": "ASC"}, page_size=page_size)
    return [category for category in items if name is None or category.get("name") == name]


def find_category(client: Any, name: str, page_size: int = PAGE_SIZE) -> Optional[dict]:
    """The category named ``name``, or None (CDF keeps names unique)."""
    found = list_categories(client, name, page_size)
    return found[0] if found else None


def create_category(client: Any, name: str) -> dict:
    """Create one category. After an uncertain failure, or a 409 from a concurrent create, re-read by name."""

    def recheck() -> Optional[dict]:
        found = find_category(client, name)
        return {"items": [found]} if found else None

    try:
        body = client.post("securitycategories", {"items": [{"name": name}]}, policy=RECHECK, recheck=recheck)
        return created_item(body, "POST securitycategories")
    except ApiError as exc:
        if exc.status == 409:
            found = find_category(client, name)
            if found:
                return found
        raise


def delete_category(client: Any, category_id: int) -> None:
    """Delete one category. After an uncertain failure, re-read: gone means done. 'missing' also means done."""

    def recheck() -> Optional[dict]:
        gone = all(category.get("id") != category_id for category in list_categories(client))
        return {"deleted": category_id} if gone else None

    try:
        client.post("securitycategories/delete", {"items": [category_id]}, policy=RECHECK, recheck=recheck)
    except ApiError as exc:
        if exc.missing and exc.status in (400, 404):
            return
        raise


def category_view(category: dict) -> dict:
    """The category for --diff: its name (the id is CDF's)."""
    return {"name": category.get("name")}
