# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``dss_access`` does: the DSS groups and users of a model, planned whole, then written in a safe order.

Each entry of the model is one ``GroupTask`` or ``UserTask`` (groups.py, users.py: the comparison, the checks
against the instance and the guards of ``dss_group`` / ``dss_user``, unchanged), given an ``EntryModule`` (the
entry's validated options) and one ``SnapshotClient`` (snapshot.py: the instance read once). The whole plan is
made before the first write, in the order the writes then happen, every task seeing the instance as the earlier
rows leave it:

1. the groups of the model that are created or updated;
2. the users of the model (created, updated, deleted), who may name the groups of step 1;
3. the users the model does not name, with ``purge_users`` (``disable`` or ``delete``);
4. the groups of the model with ``state: absent``, then, with ``purge_groups``, the groups it does not name (a
   group goes after the users stop naming it).

A refusal of an entry (what ``dss_group`` / ``dss_user`` would refuse) fails the task before any write, naming
each refused entry. A purge the guards refuse (the API key's own user, its last admin group) and a purge that
``protect`` names become ``protected`` rows, not failures. Check mode stops after the plan; a real run carries
out its rows in order through the same tasks' ``create`` / ``update`` / ``delete``.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from ansible_collections.dataops.iam.plugins.module_utils.dss.access_model import (
    DSS_ACCESS_OPTIONS,
    MODEL_KEYS,
    Model,
    entry_label,
    entry_params,
    input_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.dss.groups import GROUP_OPTIONS, GroupTask
from ansible_collections.dataops.iam.plugins.module_utils.dss.snapshot import SnapshotClient
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import USER_OPTIONS, UserTask, public_user
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.model_file import model_params
from ansible_collections.dataops.iam.plugins.module_utils.plan import DSS_ACTIONS, changes, counts, row
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError

PASSWORD_SHOWN = {True: "(set)", False: "(changed)"}


class EntryModule:
    """The module object a per-object task gets for one entry of the model: its options, check mode, diff on."""

    def __init__(self, parent: Any, params: dict) -> None:
        self.params = params
        self.check_mode = bool(parent.check_mode)
        self._diff = True
        self._parent = parent

    def warn(self, warning: str) -> None:
        self._parent.warn(warning)


class Step:
    """One row of the plan and how to carry it out: the task, the operation, the definitions before and after."""

    def __init__(self, row: dict, task: Optional[ObjectTask] = None, op: Optional[str] = None,
                 current: Optional[dict] = None, desired: Optional[dict] = None) -> None:
        self.row = row
        self.task = task
        self.op = op  # create, update, delete; None: nothing to write
        self.current = current
        self.desired = desired

    def run(self) -> None:
        task = self.task
        if task is None:
            return
        if self.op == "create":
            task.create(self.desired or {})
        elif self.op == "update":
            task.update(self.current or {}, self.desired or {})
        elif self.op == "delete":
            task.delete(self.current or {})

    def views(self) -> tuple:
        """The object before and after, as ``dss_group`` / ``dss_user`` show them in a diff."""
        if self.task is None:
            return {}, {}
        before = self.task.view(self.current) if self.current is not None else {}
        after = self.task.view(self.desired) if self.desired is not None else {}
        if after and getattr(self.task, "send_password", False):
            after = dict(after, password=PASSWORD_SHOWN[self.current is None])
        return before, after


def differing(before: dict, after: dict) -> list:
    """The fields whose values differ between two views (``permissions.mayX`` for one flag of a dict field)."""
    fields: list = []
    for key in list(after) + [key for key in before if key not in after]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            fields.extend("%s.%s" % (key, sub) for sub in list(new) + [s for s in old if s not in new] if old.get(sub) != new.get(sub))
        else:
            fields.append(key)
    return fields


class DssAccess:
    """One run of ``dss_access``: load, plan, carry out (not in check mode), the result."""

    def __init__(self, module: Any, client: Any) -> None:
        self.module = module
        self.params: dict = model_params(module.params, DSS_ACCESS_OPTIONS, MODEL_KEYS, input_problems)
        self.model = Model(self.params)
        self.snapshot = SnapshotClient(client)
        self.steps: list = []
        self.refusals: list = []

    # -- the tasks ---------------------------------------------------------------------------
    def group_task(self, values: dict) -> GroupTask:
        params = entry_params(GROUP_OPTIONS, values, allow_self_lockout=self.params["allow_self_lockout"])
        return GroupTask(EntryModule(self.module, params), self.snapshot)

    def user_task(self, values: dict) -> UserTask:
        params = entry_params(
            USER_OPTIONS, values,
            allow_self_lockout=self.params["allow_self_lockout"], allow_self_deletion=self.params["allow_self_deletion"],
        )
        return UserTask(EntryModule(self.module, params), self.snapshot)

    # -- the plan ----------------------------------------------------------------------------
    def plan(self) -> list:
        """Every step, in the order of the writes, each planned on the instance as the earlier ones leave it."""
        groups = list(enumerate(self.model.groups))
        for index, entry in groups:
            if entry["state"] == "present":
                self.plan_entry("group", index, self.group_task(entry))
        for index, entry in enumerate(self.model.users):
            self.plan_entry("user", index, self.user_task(entry))
        if self.model.purge_users:
            for login in [login for login in self.snapshot.users if login not in self.model.logins]:
                self.plan_user_purge(login)
        for index, entry in groups:
            if entry["state"] == "absent":
                self.plan_entry("group", index, self.group_task(entry))
        if self.model.purge_groups:
            for name in [name for name in self.snapshot.groups if name not in self.model.group_names]:
                self.plan_group_purge(name)
        if self.refusals:
            raise TaskError(
                "The DSS access model asks for changes that dss_group / dss_user refuse; nothing was changed: %s"
                % "; ".join(self.refusals),
                plan=[step.row for step in self.steps],
            )
        return self.steps

    def plan_entry(self, kind: str, index: int, task: Union[GroupTask, UserTask]) -> None:
        """One entry of the model, as ``ObjectTask.apply`` decides it (and with its guards), without writing."""
        name = task.name if isinstance(task, GroupTask) else task.login
        label = entry_label(kind, index, name)
        try:
            current = task.find()
            if task.state == "absent":
                if current is None:
                    return self.add(Step(row(kind, name, "unchanged", "absent, as the model says")))
                self.model_absent_problem(kind, name)
                task.before_change(current, None)
                return self.add(Step(row(kind, name, "delete", "state: absent"), task, "delete", current))
            desired = task.desired(current)
            if current is None:
                task.before_change(None, desired)
                return self.add(Step(row(kind, name, "create", "not in DSS"), task, "create", None, desired))
            if not task.differs(current, desired):
                return self.add(Step(row(kind, name, "unchanged"), task, None, current, current))
            task.before_change(current, desired)
            step = Step(row(kind, name, "update"), task, "update", current, desired)
            step.row["reason"] = self.update_reason(step)
            return self.add(step)
        except TaskError as exc:
            self.refusals.append("%s: %s" % (label, exc.msg))

    def update_reason(self, step: Step) -> str:
        fields = differing(*step.views())
        if getattr(step.task, "send_password", False):
            fields = [field for field in fields if field != "password"] + ["password (update_password: always)"]
        return "differs: " + ", ".join(fields)

    def model_absent_problem(self, kind: str, name: str) -> None:
        """A group the model deletes must not be one its users name (DSS would take it from them)."""
        if kind != "group":
            return
        naming = [entry["login"] for entry in self.model.users if entry["state"] == "present" and name in (entry.get("groups") or [])]
        if naming:
            raise TaskError("state: absent, but users of the model name the group: %s" % ", ".join(naming))

    def plan_user_purge(self, login: str) -> None:
        mode = str(self.model.purge_users)
        protected = self.model.protect.match(login)
        if protected is not None:
            return self.add(Step(row("user", login, "protected", "protect: %r" % protected)))
        current = self.snapshot.get_user(login)
        if current is None:
            return
        if mode == "disable" and current.get("enabled") is False:
            return self.add(Step(row("user", login, "unchanged", "not in the model; already disabled")))
        values = {"login": login, "state": "absent"} if mode == "delete" else {"login": login, "enabled": False}
        task = self.user_task(values)
        desired = None if mode == "delete" else task.desired(current)
        try:
            task.before_change(current, desired)
        except TaskError as exc:
            return self.add(Step(row("user", login, "protected", exc.msg)))
        reason = "not in the model: " + mode
        self.add(Step(row("user", login, "purge", reason), task, "delete" if mode == "delete" else "update", current, desired))

    def plan_group_purge(self, name: str) -> None:
        protected = self.model.protect.match(name)
        if protected is not None:
            return self.add(Step(row("group", name, "protected", "protect: %r" % protected)))
        naming = sorted(login for login in self.model.logins if name in ((self.snapshot.users.get(login) or {}).get("groups") or []))
        if naming:
            return self.add(Step(row("group", name, "protected", "not in the model, but users of the model are in it: %s" % ", ".join(naming))))
        current = self.snapshot.get_group(name)
        if current is None:
            return
        task = self.group_task({"name": name, "state": "absent"})
        try:
            task.before_change(current, None)
        except TaskError as exc:
            return self.add(Step(row("group", name, "protected", exc.msg)))
        self.add(Step(row("group", name, "purge", "not in the model: delete"), task, "delete", current))

    def add(self, step: Step) -> None:
        """The step joins the plan; the snapshot changes as the step will change DSS."""
        self.steps.append(step)
        if step.op is None:
            return
        kind, name = step.row["kind"], step.row["name"]
        if step.op == "delete":
            self.snapshot.plan_drop(kind, name)
        else:
            self.snapshot.plan_store(kind, name, step.desired or {})

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> dict:
        self.snapshot.load()
        before = self.snapshot.mark()
        steps = self.plan()
        if not self.module.check_mode:
            self.snapshot.restore(before)
            self.carry_out(steps)
        return self.result(steps)

    def carry_out(self, steps: list) -> None:
        """The steps' writes, in the plan's order; a failed call leaves with what was done (``partial``)."""
        done: list = []
        for step in steps:
            if step.op is None:
                continue
            try:
                step.run()
            except ApiError as exc:
                exc.partial = dict(exc.partial, plan=[item.row for item in steps], done=done, failed_row=step.row)
                raise
            done.append(step.row)

    def result(self, steps: list) -> dict:
        rows = [step.row for step in steps]
        result: dict = {
            "changed": changes(rows),
            "plan": rows,
            "counts": counts(rows, DSS_ACTIONS),
            "groups": [dict(group) for group in self.snapshot.groups.values()],
            "users": [public_user(user) for user in self.snapshot.users.values()],
        }
        if self.module._diff:
            before: dict = {"groups": {}, "users": {}}
            after: dict = {"groups": {}, "users": {}}
            for step in steps:
                if step.op is None:
                    continue
                old, new = step.views()
                key = step.row["kind"] + "s"
                if old:
                    before[key][step.row["name"]] = old
                if new:
                    after[key][step.row["name"]] = new
            result["diff"] = {"before": before, "after": after}
        return result


def run(module: Any, client: Any) -> dict:
    """The module's ``run``."""
    return DssAccess(module, client).run()
