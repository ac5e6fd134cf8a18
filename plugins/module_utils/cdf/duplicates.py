# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copies of one group made by runs racing each other, and the one rule every run follows for them (``group`` and
``access``). Internal to the collection.

CDF allows several groups with one name and cannot create a group only if its name is free (api/cdf.md: names are
not unique, there is no conditional create): two runs that list the groups at the same moment both find none and
both create one. So after its own creates a run reads the groups again (``settle``): of the groups named like one
it created that are identical copies of it (``is_copy``: every field equal), it keeps the one with the lowest id
and deletes the others, whoever made them.

Every racer applies this rule to what it reads, so they all keep the same copy. The lowest id of all the copies is
never deleted: it is the lowest of every read that shows it. The racer whose create landed last reads after every
other create, so it sees every copy still there and deletes all but the lowest. Two racers deleting the same copy is
expected: a delete answered "missing" counts as done (groups.delete_groups). A group that differs in any field (a
run of another model, a change by hand) is never deleted by this rule: it stays for ``on_duplicates`` to report.
The rule relies on a list read after a create showing that group, as the emulator's does.
"""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import MEMBERS_GROUP, group_kind, same_group


def is_copy(group: dict, payload: dict) -> bool:
    """Whether ``group`` (as read) is an identical copy of the group ``payload`` creates: the same name and every
    field equal, a field the payload leaves out empty in the group too. Beside members, a ``sourceId`` is the
    service's (Entra ID clusters give each members group its own, groups.group_kind) and is not compared."""
    if group.get("name") != payload.get("name"):
        return False
    whole = {
        "capabilities": payload.get("capabilities") or [],
        "members": payload.get("members"),
        "metadata": payload.get("metadata") or {},
        "attributes": payload.get("attributes") or {},
    }
    try:
        members_group = group_kind(payload) == MEMBERS_GROUP
    except ValueError:
        return False
    if not members_group:
        whole["sourceId"] = payload.get("sourceId") or ""
    return same_group(group, whole)


def settle(groups: list, created: dict, payload: dict) -> tuple:
    """After ``created`` was made from ``payload``: the copy every racer keeps (the lowest id among the identical
    copies in ``groups``, a list read after the create) and the ids of the other copies, to delete. When the list
    shows no copy (another run deleted them all meanwhile), ``created`` is the answer and nothing is deleted."""
    copies = sorted((group for group in groups if is_copy(group, payload)), key=lambda group: group["id"])
    if not copies:
        return created, []
    return copies[0], [group["id"] for group in copies[1:]]


def copies_row(name: str, kept: dict, deleted: list) -> dict:
    """What a run did about copies of one group, for its result."""
    return {"name": name, "kept_id": kept.get("id"), "deleted_ids": list(deleted)}


def race_note(matching_ids: list) -> str:
    """For the failure on several groups with one name: when some of them (``matching_ids``, duplicate_report.
    matching_ids) are what the task asks for, they may be a racing run's copies or replacement in progress, which
    that run resolves itself; then the failure is retryable."""
    return " If these are another run's work: " + RACE_NOTE if matching_ids else ""


#: Why groups that match a task may stand beside others for a moment, and what to do.
RACE_NOTE = (
    "when another run is applying the same group at this moment, they are its copies or its replacement in progress, "
    "which it resolves itself (it keeps the identical copy with the lowest id and deletes the other copies and the "
    "group it replaces): run the task again in a moment."
)


def lowest_first(groups: list) -> list:
    """Groups by id: where a run must choose among several, every run chooses the same (the lowest id)."""
    return sorted(groups, key=lambda group: group.get("id") or 0)
