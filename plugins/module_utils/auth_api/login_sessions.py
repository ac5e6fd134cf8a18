# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Login sessions of an organization's principals, on the auth API: list (paged) and revoke (10 per call).

Internal to the collection. The auth API takes only tokens it issued (Principals concept page of the API reference,
https://docs.cognite.com/api-reference/concepts/20230101/principals); its listing answers ``nextCursor`` as an
object (``{"cursor": ...}``), and revoke takes at most 10 ids per call, is atomic and answers 204. The user's side:
docs/docsite/rst/authentication.rst.
"""

from __future__ import annotations

import builtins
from typing import Any, Optional
from urllib.parse import quote

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import org_problem
from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.http import RESEND

STATUSES = ("ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED")
MAX_PAGE_SIZE = 1000
REVOKE_BATCH = 10  # the API revokes at most 10 sessions per call


def target_problems(org: str, principal: str, page_size: int) -> list:
    """What is wrong with the organization, principal and page size, before any call (the auth URL is checked with
    the other auth API options, connection.auth_api_problems)."""
    problems = [problem for problem in [org_problem(org)] if problem]
    if not (principal or "").strip():
        problems.append("principal must not be empty: give the principal id of the user")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        problems.append("page_size must be between 1 and %d, got %d" % (MAX_PAGE_SIZE, page_size))
    return problems


class LoginSessions:
    """The login sessions of one principal of one organization, through an AuthApiClient's bearer token."""

    def __init__(self, client: Any, auth_url: str, org: str, principal: str) -> None:
        self.client = client
        self.url = "%s/api/v1/orgs/%s/principals/%s/sessions" % (
            auth_url.rstrip("/"),
            quote(org, safe=""),
            quote(principal, safe=""),
        )

    def list(self, status: Optional[str] = None, page_size: int = MAX_PAGE_SIZE) -> list:
        """Every login session (all pages), newest first as the API orders them; ``status`` filters here."""
        pages = self.client.iterate(
            self.url, page_size=page_size, absolute=True, next_cursor=lambda body: next_cursor(body.get("nextCursor")),
            parse=lambda body: models.parse_items(models.LoginSession, body, "GET login sessions"),
        )
        return [item for item in pages if status is None or item["status"] == status]

    # builtins.list: inside the class body, ``list`` is the method above
    def revoke(self, ids: builtins.list, done: Optional[builtins.list] = None) -> builtins.list:
        """Revoke ``ids``, at most 10 per call; each call is atomic. Ids revoked so far are appended to ``done``.

        Revoking is idempotent on the server, so a call whose answer was lost is safely sent again.
        """
        done = [] if done is None else done
        for start in range(0, len(ids), REVOKE_BATCH):
            batch = ids[start:start + REVOKE_BATCH]
            self.client.request("POST", self.url + "/revoke", json={"items": [{"id": i} for i in batch]}, policy=RESEND)
            done.extend(batch)
        return done


def next_cursor(value: Any) -> Optional[str]:
    """The auth API's ``nextCursor`` is an object ``{"cursor": "..."}``; a plain string is accepted too."""
    if isinstance(value, dict):
        value = value.get("cursor")
    return value or None


def login_session_view(session: dict) -> dict:
    """A login session for --diff: its status and times."""
    return {key: session[key] for key in ("status", "createdTime", "deactivatedTime") if key in session}
