# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The self-lockout guard of ``group``: a task must not take away the group rights of the credentials it runs with.

CDF has no update call for groups: a changed group is replaced (a new group, then the old one deleted), and a
deleted group's rights are gone at once. When the caller's own access to groups comes from the group a task
replaces or deletes, the task can leave the caller unable to list, create or delete groups, that is, unable to
undo the change. The guard refuses such a task before any write (also in check mode, which then predicts the
failure) with a TaskError, unless the task sets ``allow_self_lockout: true``. Internal to the collection.

The rights protected are the ``groupsAcl`` actions the ``group`` module itself uses (``IN_USE_ACTIONS``: LIST to
find groups by name, CREATE and DELETE to replace and delete them), in the scopes the caller holds them now.
How it decides:

1. Token inspection (``GET /api/v1/token/inspect``) says which groups of the project the caller is in, and
   which capabilities it holds there now. If the task removes none of the caller's groups, there is nothing
   to check (a new group only ever adds rights).
2. Otherwise it reads every group of the project and sums the capabilities the caller keeps: those of its
   other groups, and those of the replacing group when the caller stays a member of it (same ``sourceId`` as
   the group it replaces, or the caller's subject among its ``members``; an IdP group of the token cannot be
   seen, so another ``sourceId`` counts as leaving).
3. ``missing_capabilities(kept, in use)`` (same meaning as cognite-sdk's ``compare_capabilities``) gives what
   the caller would lose; anything lost is a refusal that names the rights and the groups they come from.

Token inspection needs ``projectsAcl:LIST`` and ``groupsAcl:LIST`` (API reference: the tokens concept page, and
the OpenAPI entry for ``/token/inspect``, which answers 200, 401 or 403). A 403 there fails the task before any write with a message that names what the
credentials lack (read from their own groups, ``GET /groups?all=false``, which needs no ACL) and that
``allow_self_lockout: true`` skips the guard. Capabilities read from the API are never refused (capabilities.py).
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    describe_capabilities,
    missing_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import list_groups, members_key
from ansible_collections.dataops.iam.plugins.module_utils.cdf.token import project_capabilities
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

GROUPS_ACL = "groupsAcl"
IN_USE_ACTIONS = ("LIST", "CREATE", "DELETE")
#: What ``GET /api/v1/token/inspect`` needs, as (acl, action).
INSPECT_NEEDS = (("projectsAcl", "LIST"), ("groupsAcl", "LIST"))


class InspectionRefused(Exception):
    """Token inspection answered 403: the guard cannot tell what the change would take from the caller."""


def rights_in_use(capabilities: list) -> list:
    """The ``groupsAcl`` entries of ``capabilities`` whose actions the group module uses, one action each."""
    found = []
    for capability in capabilities:
        body = capability.get(GROUPS_ACL) if isinstance(capability, dict) else None
        if not isinstance(body, dict):
            continue
        for action in body.get("actions") or []:
            if action in IN_USE_ACTIONS:
                found.append({GROUPS_ACL: {"actions": [action], "scope": body.get("scope") or {"all": {}}}})
    return found


def stays_member(new_group: dict, old_group: dict, subject: Optional[str]) -> bool:
    """Whether a caller that is in ``old_group`` is in ``new_group`` too (the group that replaces it)."""
    source = old_group.get("sourceId") or ""
    # Beside members, a sourceId is the service's (Entra ID clusters): membership then comes from members only.
    if source and not members_key(old_group.get("members")) and (new_group.get("sourceId") or "") == source:
        return True
    members = new_group.get("members")
    return bool(subject) and isinstance(members, list) and subject in members


def caller_group_ids(inspection: dict, project: str) -> set:
    return {
        group_id
        for entry in inspection.get("projects") or []
        if isinstance(entry, dict) and entry.get("projectUrlName") == project
        for group_id in entry.get("groups") or []
    }


def self_lockout_problem(
    client: Any,
    removed_ids: list,
    replacement: Optional[dict] = None,
    *,
    replacements: Optional[dict] = None,
    groups: Optional[list] = None,
) -> Optional[str]:
    """Why deleting the groups ``removed_ids`` would take groupsAcl rights in use from the caller; None when it would
    not. ``replacement`` is the group that takes the place of all of them (``group``); ``replacements`` maps a
    removed id to the group that takes its place (``access``, where each replaced group has its own); ``groups``: the
    project's groups when the caller has just read them (else they are read here, when needed)."""
    if not removed_ids:
        return None
    inspection = inspect_for_guard(client)
    mine = caller_group_ids(inspection, client.project)
    affected = mine & set(removed_ids)
    if not affected:
        return None
    in_use = rights_in_use(project_capabilities(inspection, client.project))
    if not in_use:
        return None
    by_id = {group["id"]: group for group in (list_groups(client) if groups is None else groups)}
    kept: list = []
    for group_id in mine - affected:
        kept.extend(by_id.get(group_id, {}).get("capabilities") or [])
    subject = inspection.get("subject")
    taking_place = dict(replacements or {})
    if replacement is not None:
        taking_place.update({group_id: replacement for group_id in affected})
    for group_id in sorted(affected):
        new = taking_place.get(group_id)
        if new is not None and group_id in by_id and stays_member(new, by_id[group_id], subject):
            kept.extend(new.get("capabilities") or [])
    lost = missing_capabilities(kept, in_use)
    if not lost:
        return None
    named = ", ".join(
        "%r (id %s)" % (by_id.get(group_id, {}).get("name", "?"), group_id) for group_id in sorted(affected)
    )
    return (
        "this change would take from the credentials running it (%s) the group rights %s, which they hold through "
        "group %s and need to manage groups (to undo this change, too)"
        % (inspection.get("subject") or "this token", "; ".join(describe_capabilities(lost)), named)
    )


def callers_groups(client: Any) -> set:
    """The ids of the project's groups the caller is in (token inspection; a 403 raises InspectionRefused)."""
    return caller_group_ids(inspect_for_guard(client), client.project)


def grants_group_writes(group: dict) -> bool:
    """Whether a group holds groupsAcl CREATE or DELETE, in any scope: the rights to change groups."""
    return any(
        action in ("CREATE", "DELETE")
        for capability in rights_in_use(group.get("capabilities") or [])
        for action in capability[GROUPS_ACL]["actions"]
    )


def inspect_for_guard(client: Any) -> dict:
    """The token inspection (read once per client); a 403 becomes InspectionRefused, naming what the credentials
    lack."""
    if getattr(client, "last_inspection", None) is not None:
        return client.last_inspection
    try:
        return client.inspect_token()
    except ApiError as exc:
        if exc.status != 403:
            raise
        raise InspectionRefused(inspection_refused_text(client)) from None


def inspection_refused_text(client: Any) -> str:
    """Why inspection was refused: which of ``INSPECT_NEEDS`` the caller's own groups lack, when they can be read."""
    needed = " and ".join("%s:%s" % pair for pair in INSPECT_NEEDS)
    try:
        own = client.get("groups", {"all": False}).get("items", [])
    except ApiError:
        own = None
    lacking = None
    if isinstance(own, list):
        held = [cap for group in own if isinstance(group, dict) for cap in group.get("capabilities") or []]
        lacking = [
            "%s:%s" % (acl, action) for acl, action in INSPECT_NEEDS if not _holds_action(held, acl, action)
        ]
    lacks = (
        "the credentials lack %s in project %r" % (" and ".join(lacking), client.project)
        if lacking
        else "the credentials lack at least one of them"
    )
    return (
        "token inspection (GET /api/v1/token/inspect), which the self-lockout guard needs, was refused (HTTP 403): "
        "it needs %s, and %s" % (needed, lacks)
    )


def _holds_action(capabilities: list, acl: str, action: str) -> bool:
    """Whether any capability grants ``acl:action``, in any scope."""
    for capability in capabilities:
        body = capability.get(acl) if isinstance(capability, dict) else None
        if isinstance(body, dict) and isinstance(body.get("actions"), list) and action in body["actions"]:
            return True
    return False


def guard_self_lockout(
    client: Any, name: str, removed_ids: list, replacement: Optional[dict] = None, *, allowed: bool = False
) -> None:
    """Raise TaskError (before any write) when the change to group ``name`` would lock the caller out, unless the
    task allows it (``allowed``: its ``allow_self_lockout``)."""
    if allowed:
        return
    try:
        problem = self_lockout_problem(client, removed_ids, replacement)
    except InspectionRefused as exc:
        raise TaskError(
            "Cannot change group %r safely: %s. Give the credentials these capabilities, or set "
            "allow_self_lockout: true to skip the self-lockout guard (nothing was changed)." % (name, exc),
            changed=False,
        ) from None
    if problem:
        raise TaskError(
            "Refusing to change group %r: %s. Run the task with other credentials, or set "
            "allow_self_lockout: true if this is intended." % (name, problem),
            changed=False,
        )
