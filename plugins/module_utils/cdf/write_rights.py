# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Refuse, before any write, a change the caller's own capabilities cannot make (``group``, ``access``,
``security_category``); internal to the collection.

What each write needs is what the API reference states for its endpoint ("Required capabilities"):
``POST /groups`` groupsAcl:CREATE, ``POST /groups/delete`` groupsAcl:DELETE, ``POST /securitycategories``
securityCategoriesAcl:CREATE, ``POST /securitycategories/delete`` securityCategoriesAcl:DELETE. The scope is
``all``, as cognite-toolkit requires before it deploys groups and categories (``GroupLoader`` and
``SecurityCategoryLoader.get_required_capability``, cognite_toolkit/_cdf_tk/loaders/_resource_loaders/auth_loaders.py:
``GroupsAcl([...], GroupsAcl.Scope.All())``); a category delete is also allowed by ``idscope`` naming the category.
Token inspection says what the caller holds in the project (``project_capabilities``), compared with the meaning of
cognite-sdk's ``compare_capabilities`` (capabilities.missing_capabilities).

When inspection cannot be read (a 403: the caller lacks projectsAcl:LIST or groupsAcl:LIST; or any other error), or
while a replaced group's access is still applying (CdfClient.access_settling), nothing is refused here: the write
goes ahead and the API decides, as before.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    describe_capabilities,
    missing_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import InspectionRefused, inspect_for_guard
from ansible_collections.dataops.iam.plugins.module_utils.cdf.token import project_capabilities
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

GROUPS, CATEGORIES = "groupsAcl", "securityCategoriesAcl"
#: How long the items of a loop may go on with the inspection the first of them read.
LOOP_MAX_AGE = 60.0
#: What each write calls, for the message.
ENDPOINTS = {
    (GROUPS, "CREATE"): "POST /groups",
    (GROUPS, "DELETE"): "POST /groups/delete",
    (CATEGORIES, "CREATE"): "POST /securitycategories",
    (CATEGORIES, "DELETE"): "POST /securitycategories/delete",
}


def need(acl: str, action: str, ids: Optional[list] = None) -> dict:
    """The capability a write needs: in scope ``all``, or (a category delete) ``idscope`` of ``ids``."""
    scope: dict = {"idscope": {"ids": sorted(ids)}} if ids else {"all": {}}
    return {acl: {"actions": [action], "scope": scope}}


def group_needs(creates: bool, deletes: bool) -> list:
    """What a change of groups needs: CREATE for a new group (or a replacement), DELETE for the old one."""
    return ([need(GROUPS, "CREATE")] if creates else []) + ([need(GROUPS, "DELETE")] if deletes else [])


def category_needs(creates: bool, delete_ids: Optional[list] = None) -> list:
    """What a change of security categories needs (a delete: ``all``, or ``idscope`` naming each category)."""
    needs = [need(CATEGORIES, "CREATE")] if creates else []
    return needs + [need(CATEGORIES, "DELETE", [category_id]) for category_id in delete_ids or []]


def caller_inspection(client: Any, cache: Optional[dict] = None, key: Any = None) -> Optional[dict]:
    """Token inspection, or None when it cannot be read. Read once per client (shared with the self-lockout guard);
    ``cache`` (a loop's worker cache) lets the items of a loop share one for LOOP_MAX_AGE seconds."""
    if getattr(client, "last_inspection", None) is not None:
        return client.last_inspection
    entry = cache.get(key) if cache is not None else None
    if entry is not None and time.monotonic() - entry["read_at"] <= LOOP_MAX_AGE:
        return entry["inspection"]
    try:
        inspection = inspect_for_guard(client)
    except (InspectionRefused, ApiError):
        return None
    if cache is not None:
        cache[key] = {"read_at": time.monotonic(), "inspection": inspection}
    return inspection


def lacking(client: Any, needs: list, cache: Optional[dict] = None, key: Any = None) -> list:
    """The entries of ``needs`` the caller's token lacks in the client's project; [] when it cannot tell."""
    if not needs or getattr(client, "access_settling", False):
        return []
    inspection = caller_inspection(client, cache, key)
    if not isinstance(inspection, dict):
        return []
    held = project_capabilities(inspection, client.project)
    return missing_capabilities(held, needs)


def refusal_text(client: Any, lost: list, inspection: Optional[dict]) -> str:
    """``the credentials running this task (subject) lack groupsAcl: CREATE [all] in project 'p', which POST /groups
    needs``."""
    calls = sorted({ENDPOINTS.get((acl, body["actions"][0]), acl) for entry in lost for acl, body in entry.items()})
    subject = (inspection or {}).get("subject") or "this token"
    return "the credentials running this task (%s) lack %s in project %r (token inspection), which %s %s" % (
        subject, "; ".join(describe_capabilities(lost)), client.project, " and ".join(calls),
        "needs" if len(calls) == 1 else "need",
    )


def refuse_unwritable(client: Any, doing: str, needs: list, cache: Optional[dict] = None, key: Any = None) -> None:
    """Raise TaskError, before any write (in check mode too), when the caller cannot make the writes of ``needs``;
    ``doing`` names the change (``create group 'x'``)."""
    lost = lacking(client, needs, cache, key)
    if lost:
        inspection = caller_inspection(client, cache, key)
        raise TaskError(
            "Refusing to %s: %s. Nothing was changed: give the credentials' group that capability, or run the task "
            "with other credentials." % (doing, refusal_text(client, lost, inspection)),
            changed=False,
        )
