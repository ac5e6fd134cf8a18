# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``access`` module's options, checks and run: read once, plan (access_plan.py), write in batches
(access_writes.py), return the plan and the objects as they now stand. Internal to the collection."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.access_plan import (
    AccessPlan,
    category_entries,
    plan_access,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.access_writes import AccessWriter
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import Label
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_refs import (
    KINDS,
    References,
    missing_message,
    references,
    replace_category_ids,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_intent import (
    GROUP_EXCLUSIVE,
    GROUP_OPTIONS,
    group_problems,
    group_warnings,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import group_view, list_groups
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import category_view, list_categories
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import ONE_OR_LIST, shown, text_problem
from ansible_collections.dataops.iam.plugins.module_utils.model_file import model_params
from ansible_collections.dataops.iam.plugins.module_utils.plan import CDF_ACTIONS, Protect, counts, duplicate_names
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

ACCESS_OPTIONS: dict = dict(
    src=dict(type="path"),
    groups=dict(type="list", elements="dict", options=GROUP_OPTIONS, mutually_exclusive=GROUP_EXCLUSIVE),
    security_categories=dict(type="list", elements="raw"),
    purge=dict(type="bool", default=False),
    protect=dict(type=ONE_OR_LIST, default=[]),  # a regular expression may hold commas: never split
    on_duplicates=dict(type="str", choices=["fail", "consolidate"], default="fail"),
    allow_self_lockout=dict(type="bool", default=False),
    allow_empty=dict(type="bool", default=False),
)
CATEGORY_KEYS = {"name", "state"}
#: The options a model file (``src``) holds.
MODEL_KEYS = ("groups", "security_categories")
ACCESS_EXCLUSIVE = [("src", key) for key in MODEL_KEYS]


def access_problems(params: dict) -> list:
    """Everything wrong with the model, each naming the object and the option, found before any call."""
    groups, categories = params.get("groups"), params.get("security_categories")
    problems = []
    if groups is None and categories is None and not params.get("src"):
        problems.append("set groups, security_categories or both (or src): the model is empty")
    for index, entry in enumerate(groups or []):
        problems.extend("groups[%d] (%s): %s" % (index, shown(entry.get("name")), p) for p in group_problems(entry))
    problems.extend(
        "groups: %r is declared more than once (each group once: CDF matches groups by name)" % name
        for name in duplicate_names(entry["name"] for entry in groups or [])
    )
    problems.extend(category_problems(categories))
    problems.extend(Protect(params.get("protect")).problems())
    if params.get("purge") and not params.get("allow_empty"):
        for option, value in (("groups", groups), ("security_categories", categories)):
            if value == []:
                problems.append(
                    "purge with an empty %s list would delete every one in the project; set allow_empty: true if "
                    "that is what you mean" % option
                )
    return problems


def category_problems(categories: Optional[list]) -> list:
    problems = []
    names = []
    for index, item in enumerate(categories or []):
        where = "security_categories[%d]" % index
        if isinstance(item, dict):
            extra = sorted(set(map(str, item)) - CATEGORY_KEYS)
            if extra:
                problems.append("%s: unknown keys %s (a category has name and state)" % (where, ", ".join(extra)))
            if item.get("state", "present") not in ("present", "absent"):
                problems.append("%s: state must be present or absent, got %r" % (where, item.get("state")))
            item = item.get("name")
        if not isinstance(item, str) or not item.strip():
            problems.append("%s: a category is a non-empty name, or {name, state}" % where)
            continue
        problem = text_problem("name", item)
        if problem:
            problems.append("%s: %s" % (where, problem))
            continue
        names.append(item)
    problems.extend(
        "security_categories: %r is declared more than once" % name for name in duplicate_names(names)
    )
    return problems


def run(module: Any, client: Any) -> dict:
    params = model_params(module.params, ACCESS_OPTIONS, MODEL_KEYS, access_problems)
    for index, entry in enumerate(params.get("groups") or []):
        for warning in group_warnings(entry):
            module.warn("groups[%d] (%r): %s" % (index, entry["name"], warning))
    groups = list_groups(client) if params.get("groups") is not None else []
    categories = list_categories(client) if params.get("security_categories") is not None else None
    params, found = resolved_model(client, params, categories)
    label = found.label if found is not None else None
    plan = plan_access(params, client, groups, categories, label)
    writer = AccessWriter(client, {group["id"] for group in groups})
    if plan.changes and not module.check_mode:
        try:
            writer.apply(plan, before_groups=lambda: bind_categories(plan, writer, found))
        except ApiError as exc:
            exc.partial = dict(writer.partial(), plan=plan.rows, **exc.partial)
            exc.message += " -- done before the failure: %s; %s" % (
                done_text(writer.partial()) or "nothing", how_to_finish(plan, writer)
            )
            raise
    result = access_result(module, params, plan, writer, groups, categories, label)
    if found is not None and found.placeholders and module.check_mode:
        # a category the run would create has no id yet: the groups that name it show its name
        names = {stand_in: name for name, stand_in in found.placeholders.items()}
        result["groups"] = [dict(g, capabilities=replace_category_ids(g["capabilities"], names)) for g in result["groups"]]
    return result


def resolved_model(client: Any, params: dict, categories: Optional[list]) -> tuple:
    """The params with the names of the groups' capabilities resolved (one lookup per kind for the whole model),
    and the References (None: no names); a TaskError before any write names each entry's unknown names. A category
    the model creates may be named too: it is created before the groups (``bind_categories``)."""
    entries = params.get("groups") or []
    wanted: dict = {}
    for entry in entries:
        for kind, names in references(entry.get("capabilities")).items():
            wanted.setdefault(kind, [])
            wanted[kind].extend(name for name in names if name not in wanted[kind])
    if not wanted:
        return params, None
    existing = {category.get("name") for category in categories or []}
    coming = tuple(
        entry["name"]
        for entry in category_entries(params.get("security_categories")) or []
        if entry["state"] == "present" and entry["name"] not in existing
    )
    found = References()
    missing = set(found.resolve(client, wanted, categories, coming))
    if missing:
        where = []
        for index, entry in enumerate(entries):
            own = [
                "%s %r" % (KINDS[kind], name)
                for kind, names in references(entry.get("capabilities")).items()
                for name in names
                if "%s %r" % (KINDS[kind], name) in missing
            ]
            if own:
                where.append("groups[%d] (%r): %s" % (index, entry["name"], ", ".join(own)))
        raise TaskError(missing_message("The access model", where), changed=False)
    resolved = [dict(entry, capabilities=found.substitute(entry.get("capabilities"))) for entry in entries]
    return dict(params, groups=resolved), found


def bind_categories(plan: AccessPlan, writer: AccessWriter, found: Optional[References]) -> None:
    """After the run created its categories: their real ids in the groups to create, where a stand-in was."""
    ids = found.bind(writer.created_categories) if found is not None and found.placeholders else {}
    for new in plan.group_creates if ids else []:
        new.payload["capabilities"] = replace_category_ids(new.payload["capabilities"], ids)


def how_to_finish(plan: AccessPlan, writer: AccessWriter) -> str:
    """What finishes the job: a replacement whose old group is still there leaves two groups with one name."""
    deleted = set(writer.deleted_group_ids)
    twice = sorted(
        new.name
        for new in plan.group_creates
        if new.name in writer.created_groups and any(old not in deleted for old in new.replaces)
    )
    if not twice:
        return "run the task again to finish"
    return (
        "groups %s now exist twice, the new group and the one it replaces: run the task again with on_duplicates: "
        "consolidate to finish (it keeps the new group, which matches the model, and deletes the old)"
        % ", ".join(repr(name) for name in twice)
    )


def done_text(partial: dict) -> str:
    parts = []
    for key, value in partial.items():
        parts.append("%s: %d" % (key.replace("_", " "), len(value)))
    return ", ".join(parts)


def access_result(
    module: Any,
    params: dict,
    plan: AccessPlan,
    writer: AccessWriter,
    groups: list,
    categories: Optional[list],
    label: Label = None,
) -> dict:
    """The plan, its counts, the declared objects as they now stand (in check mode: as they would be), the diff."""
    new_by_name = {new.name: new for new in plan.group_creates}
    now_groups = []
    for entry in params.get("groups") or []:
        name = entry["name"]
        if entry["state"] == "absent":
            continue
        group = writer.created_groups.get(name) or plan.unchanged.get(name)
        if group is None and name in new_by_name:
            group = new_by_name[name].payload  # check mode: the group as it would be, without an id
        if group is not None:
            now_groups.append(group)
    existing = {category["name"]: category for category in categories or []}
    now_categories = []
    for entry in category_entries(params.get("security_categories")) or []:
        if entry["state"] == "present":
            name = entry["name"]
            now_categories.append(writer.created_categories.get(name) or existing.get(name) or {"name": name})
    result = {
        "changed": plan.changes,
        "plan": plan.rows,
        "counts": counts(plan.rows, CDF_ACTIONS),
        "groups": now_groups,
        "security_categories": now_categories,
        "unmanaged": plan.unmanaged,
        "deleted_ids": writer.deleted_group_ids if not module.check_mode else list(plan.group_deletes),
    }
    if writer.copies:
        result["copies_resolved"] = writer.copies
    if module._diff:
        result["diff"] = access_diff(plan, groups, existing, new_by_name, writer, label)
    return result


def access_diff(
    plan: AccessPlan, groups: list, categories: dict, new_by_name: dict, writer: AccessWriter, label: Label = None
) -> dict:
    """Each changed object before and after, as ``group`` and ``security_category`` show them."""
    by_id = {group["id"]: group for group in groups}
    before: dict = {"groups": {}, "security_categories": {}}
    after: dict = {"groups": {}, "security_categories": {}}
    for entry in plan.rows:
        name, action = entry["name"], entry["action"]
        if action in ("unchanged", "protected"):
            continue
        if entry["kind"] == "security_category":
            if action == "create":
                after["security_categories"][name] = category_view({"name": name})
            else:
                before["security_categories"][name] = category_view(categories.get(name, {"name": name}))
            continue
        old_ids = entry.get("ids") or ([entry["id"]] if "id" in entry else [])  # the groups it is about
        old = next((by_id[group_id] for group_id in old_ids if group_id in by_id), None)
        if old is not None:
            before["groups"][name] = group_view(old, label)
        new = writer.created_groups.get(name) or (new_by_name[name].payload if name in new_by_name else None)
        if new is None and "kept_id" in entry:  # duplicates deleted, the matching one kept
            new = by_id.get(entry["kept_id"])
        if new is not None:
            after["groups"][name] = group_view(new, label)
    return {"before": before, "after": after}
