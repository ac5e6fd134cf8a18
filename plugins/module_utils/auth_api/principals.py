# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Principals API of the auth API: list an organization's principals (paged), find them by email or name.

Internal to the collection. ``GET {auth_url}/api/v1/orgs/{org}/principals?limit=1..100&cursor=&types=USER,...``
-> ``{"items": [principal], "nextCursor": {"cursor": "..."}}`` (API reference, "List principals",
https://docs.cognite.com/20230101/principals/list-principals). A USER carries ``id``, ``type``, ``name``,
``pictureUrl``, ``email``, ``givenName``, ``middleName``, ``familyName``; a SERVICE_ACCOUNT ``externalId``,
``description``, ``createdBy``, ``createdTime``, ``lastUpdatedTime`` (cognite-sdk 8.22
``data_classes/principals.py``; cognitedata/toolkit ``client/resource_classes/principal.py``). The email "can be
changed": it finds a person, the ``id`` is what other calls take.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import next_cursor
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import UnexpectedResponse, json_kind

MAX_PAGE_SIZE = 100
TYPES = ("USER", "SERVICE_ACCOUNT")


def page_items(body: Any) -> list:
    """The principals of one page; each must be an object with a string ``id`` and ``type``."""
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise UnexpectedResponse("unexpected response to GET principals: expected an object with an 'items' list, "
                                 "got %s" % json_kind(items if isinstance(body, dict) else body))
    for index, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("type"), str)):
            raise UnexpectedResponse("unexpected response to GET principals: items[%d] is not a principal "
                                     "(an object with a string id and type)" % index)
    return items


class Principals:
    """The principals of one organization, through an AuthApiClient."""

    def __init__(self, client: Any, org: str) -> None:
        self.client = client
        self.path = client.org_path(org, "principals")

    def list(self, types: Optional[list] = None, page_size: int = MAX_PAGE_SIZE) -> list:
        """Every principal (all pages), of ``types`` when given (the API filters)."""
        params = {"types": ",".join(types)} if types else {}
        return list(self.client.iterate(
            self.path, params, page_size=page_size, absolute=True, parse=page_items,
            next_cursor=lambda body: next_cursor(body.get("nextCursor")),
        ))


def matching(principals: list, email: Optional[str] = None, name: Optional[str] = None) -> list:
    """The principals with ``email`` (case-insensitive, trimmed) or exactly ``name``; all when neither is given."""
    if email is not None:
        wanted = email.strip().lower()
        return [p for p in principals if isinstance(p.get("email"), str) and p["email"].strip().lower() == wanted]
    if name is not None:
        return [p for p in principals if p.get("name") == name]
    return list(principals)
