# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of the ``access`` module: what the model asks of each group and security category, from one read of
each list, before any write. Internal to the collection.

Each declared group is judged as the ``group`` module judges it (group_intent.py: the same desired group, the same
comparison, the same members/sourceId rules); several groups with one name as ``on_duplicates`` says. With
``purge``, what the model does not name is purged, unless ``protect`` names it. The guards (``guard``) run on the
whole plan, before any write and in check mode too, so that a ``--check`` plan never shows what the run refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import duplicate_report
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    Label,
    capability_changes,
    describe_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.duplicates import race_note
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_intent import GroupIntent
from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import (
    InspectionRefused,
    callers_groups,
    grants_group_writes,
    self_lockout_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.write_rights import (
    category_needs,
    group_needs,
    refuse_unwritable,
)
from ansible_collections.dataops.iam.plugins.module_utils.plan import Protect, row
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

GROUP, CATEGORY = "group", "security_category"


@dataclass
class NewGroup:
    """A group the run creates: declared new, or in the place of the groups ``replaces``."""

    name: str
    payload: dict
    replaces: list = field(default_factory=list)


@dataclass
class AccessPlan:
    """The rows, and the writes that carry them out, in the order they are made."""

    rows: list = field(default_factory=list)
    category_creates: list = field(default_factory=list)  # names
    group_creates: list = field(default_factory=list)  # NewGroup
    group_deletes: list = field(default_factory=list)  # ids
    category_deletes: list = field(default_factory=list)  # ids
    #: Declared groups that stay as they are (name -> group), for the result.
    unchanged: dict = field(default_factory=dict)
    #: What the project holds that the model does not name (without ``purge``), for the audit.
    unmanaged: dict = field(default_factory=lambda: {"groups": [], "security_categories": []})

    @property
    def changes(self) -> bool:
        return bool(self.category_creates or self.group_creates or self.group_deletes or self.category_deletes)


def category_entries(value: Optional[list]) -> Optional[list]:
    """``security_categories`` as ``{name, state}`` dicts (an entry may be a bare name)."""
    if value is None:
        return None
    return [
        {"name": item, "state": "present"} if isinstance(item, str) else {"state": "present", **item} for item in value
    ]


class Planner:
    """Builds an AccessPlan from the task's params and the project's groups and categories."""

    def __init__(self, params: dict, groups: list, categories: Optional[list], label: Label = None) -> None:
        self.params = params
        self.label = label
        self.groups = groups
        self.categories = categories
        self.protect = Protect(params.get("protect"))
        self.plan = AccessPlan()

    # -- groups ----------------------------------------------------------------------------
    def plan_groups(self) -> None:
        declared = self.params.get("groups")
        if declared is None:
            return
        by_name: dict = {}
        for group in self.groups:
            by_name.setdefault(group.get("name"), []).append(group)
        problems: list = []
        racing: list = []  # ids that match the model: maybe a racing run's work in progress (duplicates.py)
        for entry in declared:
            intent = GroupIntent(entry, label=self.label)
            matches = by_name.get(intent.name, [])
            if len(matches) > 1 and self.params["on_duplicates"] == "fail":
                text, interrupted, matching = self.duplicates_problem(intent, matches)
                problems.append((text, interrupted))
                racing += matching
                continue
            self.plan_group(intent, matches)
        if problems:
            texts = [text for text, _interrupted in problems]
            cause = (
                ". A group that matches next to one that does not is %s" % duplicate_report.INTERRUPTED
                if any(flag for _text, flag in problems)
                else ""
            )
            refusal = (
                "CDF allows several groups with one name, but this module will not pick one silently: %s%s. Nothing "
                "was changed: set on_duplicates: consolidate to finish (it keeps the group that matches the model, or "
                "makes one when none does, and deletes the others), or delete the extra groups by hand."
                % ("; ".join(texts), cause)
            )
            raise TaskError(refusal + race_note(racing), changed=False)
        named = {entry["name"] for entry in declared}
        for name, matches in by_name.items():
            if name not in named:
                self.plan_unmanaged_group(name, matches)

    def duplicates_problem(self, intent: GroupIntent, matches: list) -> tuple:
        """One name's part of the ``on_duplicates: fail`` refusal, whether it looks like an interrupted replacement
        (duplicate_report.py), and the ids of the groups that match the model."""
        if intent.state == "absent":
            ids = sorted(group["id"] for group in matches)
            return "%d groups are named %r (ids %s), declared absent" % (len(ids), intent.name, ", ".join(map(str, ids))), False, []
        desired = intent.desired(matches[0])

        def matches_model(group: dict) -> bool:
            return not intent.differs(group, desired)

        matching = duplicate_report.matching_ids(matches, matches_model)
        text = duplicate_report.describe(intent.name, matches, matching, "the model", explain=False)
        return text, duplicate_report.interrupted(matches, matching), matching

    def plan_group(self, intent: GroupIntent, matches: list) -> None:
        plan, name = self.plan, intent.name
        ids = sorted(group["id"] for group in matches)
        if intent.state == "absent":
            if matches:
                plan.group_deletes.extend(ids)
                plan.rows.append(row(GROUP, name, "delete", "declared absent", ids=ids))
            else:
                plan.rows.append(row(GROUP, name, "unchanged", "absent, as declared"))
            return
        if not matches:
            payload = intent.desired(None)
            plan.group_creates.append(NewGroup(name, payload))
            plan.rows.append(row(GROUP, name, "create", "not in the project"))
            return
        desired = intent.desired(matches[0])
        if len(matches) == 1:
            current = matches[0]
            if not intent.differs(current, desired):
                plan.unchanged[name] = current
                plan.rows.append(row(GROUP, name, "unchanged", "", id=current["id"]))
                return
            plan.group_creates.append(NewGroup(name, desired, [current["id"]]))
            plan.group_deletes.append(current["id"])
            reason = "; ".join(intent.differences(current, desired))
            added, removed = capability_changes(
                current.get("capabilities") or [], desired["capabilities"], self.label
            )
            plan.rows.append(
                row(GROUP, name, "replace", reason, id=current["id"], added=added or None, removed=removed or None)
            )
            return
        keep = next((group for group in matches if not intent.differs(group, desired)), None)
        extras = [group_id for group_id in ids if keep is None or group_id != keep["id"]]
        plan.group_deletes.extend(extras)
        if keep is not None:
            plan.unchanged[name] = keep
            reason = "%d groups have this name: keeps id %s, which matches, deletes the others" % (len(ids), keep["id"])
            plan.rows.append(row(GROUP, name, "delete", reason, kept_id=keep["id"], ids=extras))
        else:
            plan.group_creates.append(NewGroup(name, desired, extras))
            reason = "%d groups have this name, none matches: one new group replaces them" % len(ids)
            plan.rows.append(row(GROUP, name, "replace", reason, ids=extras))

    def plan_unmanaged_group(self, name: str, matches: list) -> None:
        ids = sorted(group["id"] for group in matches)
        if not self.params["purge"]:
            self.plan.unmanaged["groups"].append(name)
            return
        capabilities = describe_capabilities(
            [cap for group in matches for cap in group.get("capabilities") or []], self.label
        )
        entry = self.protect.match(name)
        if entry is not None:
            reason = "not in the model; protected by %r" % entry
            self.plan.rows.append(row(GROUP, name, "protected", reason, ids=ids, capabilities=capabilities))
            return
        self.plan.group_deletes.extend(ids)
        self.plan.rows.append(row(GROUP, name, "purge", "not in the model", ids=ids, capabilities=capabilities))

    # -- security categories ---------------------------------------------------------------
    def plan_categories(self) -> None:
        declared = category_entries(self.params.get("security_categories"))
        if declared is None or self.categories is None:
            return
        existing = {category["name"]: category for category in self.categories}
        for entry in declared:
            name, current = entry["name"], existing.get(entry["name"])
            if entry["state"] == "absent":
                if current is not None:
                    self.plan.category_deletes.append(current["id"])
                    self.plan.rows.append(row(CATEGORY, name, "delete", "declared absent", id=current["id"]))
                else:
                    self.plan.rows.append(row(CATEGORY, name, "unchanged", "absent, as declared"))
            elif current is None:
                self.plan.category_creates.append(name)
                self.plan.rows.append(row(CATEGORY, name, "create", "not in the project"))
            else:
                self.plan.rows.append(row(CATEGORY, name, "unchanged", "", id=current["id"]))
        named = {entry["name"] for entry in declared}
        for name, category in existing.items():
            if name in named:
                continue
            if not self.params["purge"]:
                self.plan.unmanaged["security_categories"].append(name)
                continue
            entry_ = self.protect.match(name)
            if entry_ is not None:
                reason = "not in the model; protected by %r" % entry_
                self.plan.rows.append(row(CATEGORY, name, "protected", reason, id=category["id"]))
            else:
                self.plan.category_deletes.append(category["id"])
                self.plan.rows.append(row(CATEGORY, name, "purge", "not in the model", id=category["id"]))

    def build(self) -> AccessPlan:
        self.plan_categories()
        self.plan_groups()
        return self.plan


# -- the guards ------------------------------------------------------------------------------
def guard(plan: AccessPlan, client: Any, groups: list, allow_self_lockout: bool) -> None:
    """The purge safety and the self-lockout guard, on the whole plan, before any write.

    Purge never takes a group the caller is in (token inspection) nor the project's last groups with groupsAcl
    CREATE or DELETE: such rows become ``protected``. A declared delete or replacement that takes group rights
    from the caller fails the task, as in ``group``. ``allow_self_lockout`` skips both.
    """
    if allow_self_lockout or not plan.group_deletes:
        return
    try:
        mine = callers_groups(client)
    except InspectionRefused as exc:
        raise TaskError(
            "Cannot change the groups safely: %s. Give the credentials these capabilities, or set allow_self_lockout: "
            "true to skip the self-lockout guard and the purge safety (nothing was changed)." % exc,
            changed=False,
        ) from None
    for entry in purge_rows(plan):
        if mine & set(entry["ids"]):
            spare(plan, entry, "not in the model, but the credentials running this task are in it (token inspection); "
                  "allow_self_lockout: true purges it")
    spare_last_group_writers(plan, groups)
    purged = {group_id for entry in purge_rows(plan) for group_id in entry["ids"]}
    removed = [group_id for group_id in plan.group_deletes if group_id not in purged]
    replacements = {old: new.payload for new in plan.group_creates for old in new.replaces}
    problem = self_lockout_problem(client, removed, replacements=replacements, groups=groups)
    if problem:
        raise TaskError(
            "Refusing to apply the access model: %s. Run the task with other credentials, or set allow_self_lockout: "
            "true if this is intended (nothing was changed)." % problem,
            changed=False,
        )


def purge_rows(plan: AccessPlan) -> list:
    return [entry for entry in plan.rows if entry["kind"] == GROUP and entry["action"] == "purge"]


def spare(plan: AccessPlan, entry: dict, reason: str) -> None:
    """Turn a purge row into a protected one: its groups are not deleted."""
    entry.update(action="protected", reason=reason)
    kept = set(entry["ids"])
    plan.group_deletes[:] = [group_id for group_id in plan.group_deletes if group_id not in kept]


def spare_last_group_writers(plan: AccessPlan, groups: list) -> None:
    """When the plan would leave no group with groupsAcl CREATE or DELETE, its purges of such groups are spared."""
    writers = {group["id"] for group in groups if grants_group_writes(group)}
    if not writers:
        return
    removed = set(plan.group_deletes)
    if writers - removed or any(grants_group_writes(new.payload) for new in plan.group_creates):
        return
    for entry in purge_rows(plan):
        if writers & set(entry["ids"]):
            spare(plan, entry, "not in the model, but among the project's last groups with groupsAcl write rights "
                  "(CREATE, DELETE); allow_self_lockout: true purges it")


def plan_access(
    params: dict, client: Any, groups: list, categories: Optional[list], label: Label = None
) -> AccessPlan:
    """The whole plan, guarded (see ``guard``); ``label`` names the data sets and the like of the capabilities."""
    plan = Planner(params, groups, categories, label).build()
    guard(plan, client, groups, bool(params.get("allow_self_lockout")))
    if not params.get("allow_self_lockout"):  # skipped with the other checks made from token inspection
        refuse_unwritable(client, "apply the access model (%s)" % writes_summary(plan), plan_needs(plan))
    return plan


def plan_needs(plan: AccessPlan) -> list:
    """The capabilities the plan's writes need (write_rights.py): refused before any write when the caller lacks one."""
    return group_needs(bool(plan.group_creates), bool(plan.group_deletes)) + category_needs(
        bool(plan.category_creates), plan.category_deletes
    )


def writes_summary(plan: AccessPlan) -> str:
    """``2 group creates, 1 group delete``: the writes of the plan, for a refusal."""
    counts = [
        (len(plan.group_creates), "group create"),
        (len(plan.group_deletes), "group delete"),
        (len(plan.category_creates), "security category create"),
        (len(plan.category_deletes), "security category delete"),
    ]
    return ", ".join("%d %s%s" % (count, what, "" if count == 1 else "s") for count, what in counts if count)
