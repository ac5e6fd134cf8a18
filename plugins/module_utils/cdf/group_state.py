# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``group`` module does with one task: find, compare, replace create-first, handle duplicates.

``module_kwargs()`` and ``run_module(module)`` are the whole module: ``plugins/modules/group.py`` runs them
in a module process, the action plugin of the same name runs them in Ansible's worker (see
``plugins/plugin_utils/in_worker.py``), so both ways behave the same.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    CapabilityError,
    validate_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import (
    cdf_argument_spec,
    cdf_client,
    worker_cache,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    MEMBERS_GROUP,
    MEMBERS_MAX,
    GroupShapeError,
    create_group,
    delete_groups,
    group_kind,
    group_view,
    list_groups,
    members_to_api,
    metadata_problems,
    normalised_payload,
    same_group,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import caller_group_ids, guard_self_lockout
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import fail_api_error
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import Outcome, reconcile

# How long the items of a loop may go on with the group list the first of them read (see GroupTask.find).
LOOP_LIST_MAX_AGE = 60.0
# How long after a task replaced a group the caller is in the next item's first call may meet a 403 that is only
# the new group's access still applying (CdfClient.expect_access_settling retries it briefly).
ACCESS_SETTLE_WINDOW = 10.0


def argument_spec() -> dict:
    spec = cdf_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        capabilities=dict(type="list", elements="dict"),
        source_id=dict(type="str"),
        members=dict(type="list", elements="str"),
        metadata=dict(type="dict"),
        attributes=dict(type="dict"),
        on_duplicates=dict(type="str", choices=["fail", "consolidate"], default="fail"),
        allow_self_lockout=dict(type="bool", default=False),
    )
    return spec


def module_kwargs() -> dict:
    """The keyword arguments of the module's AnsibleModule (the worker validates the task's arguments with them too)."""
    return dict(
        argument_spec=argument_spec(),
        mutually_exclusive=[("source_id", "members"), ("base_url", "cluster")],
        supports_check_mode=True,
    )


def input_problems(params: dict) -> list:
    """Everything wrong with the task's own options, found before any call."""
    problems = []
    if not params["name"] or not params["name"].strip():
        problems.append("name must not be empty")
    problems.extend(metadata_problems(params.get("metadata")))
    for key, value in (params.get("metadata") or {}).items():
        if not isinstance(value, str):
            problems.append("metadata[%r] must be a string (quote it), got %s" % (key, type(value).__name__))
    members = params.get("members")
    if members is not None:
        if len(members) > MEMBERS_MAX:
            problems.append("members has %d entries; CDF allows at most %d" % (len(members), MEMBERS_MAX))
        if "allUserAccounts" in members and len(set(members)) > 1:
            problems.append("members: allUserAccounts stands alone; remove the other identifiers")
        if any(not member.strip() for member in members):
            problems.append("members must not contain empty identifiers")
    return problems


def run_module(module: Any) -> None:
    """The module's run: check the input, then bring the group to its state; ends with exit_json or fail_json."""
    params = module.params
    problems = input_problems(params)
    if params["capabilities"] is not None:
        try:
            for warning in validate_capabilities(params["capabilities"]):
                module.warn(warning)
        except CapabilityError as exc:
            problems.append(str(exc))
    if problems:
        module.fail_json(msg="Invalid group %r: %s" % (params["name"], "; ".join(problems)))

    client = cdf_client(module)
    task = GroupTask(module, client)
    task.expect_access_settling()
    try:
        result = task.run()
    except ApiError as exc:
        fail_api_error(module, exc, "Managing group %r" % params["name"], **task.partial_result())
    except GroupShapeError as exc:
        module.fail_json(
            msg="Cannot tell whether group %r is a members group or linked to an IdP group: %s. Nothing was changed; "
            "set members or source_id in the task to say which it must be." % (params["name"], exc),
            changed=False,
        )
    finally:
        task.note_access_settling()
        client.close()
    module.exit_json(**result)


class GroupTask:
    """One run of the ``group`` module against one project."""

    def __init__(self, module: Any, client: Any) -> None:
        self.module = module
        self.client = client
        self.params = module.params
        self.name: str = module.params["name"]
        self.created: Optional[dict] = None
        self.deleted_ids: list = []
        # In Ansible's worker, the items of a loop share one list of the project's groups (None: a module process).
        self.loop_lists = worker_cache(module, "group_lists")
        # ... and when a group the caller is in was replaced, until when its access may still be applying.
        self.settling = worker_cache(module, "access_settling")
        token_digest = hashlib.sha256((module.params.get("token") or "").encode()).hexdigest()
        self.loop_key = (client.base_url, client.project, module.params.get("client_id"), token_digest)

    # -- the task's intent -------------------------------------------------------------------
    def task_fields(self) -> dict:
        """The API fields the task sets (and so compares), in the API's names."""
        fields: dict = {}
        params = self.params
        if params["capabilities"] is not None:
            fields["capabilities"] = params["capabilities"]
        if params["source_id"] is not None:
            fields["sourceId"] = params["source_id"]
        if params["members"] is not None:
            fields["members"] = members_to_api(params["members"])
        if params["metadata"] is not None:
            fields["metadata"] = {str(k): v for k, v in params["metadata"].items()}
        if params["attributes"] is not None:
            fields["attributes"] = params["attributes"]
        return fields

    def desired(self, current: Optional[dict]) -> dict:
        """The whole group the task asks for: the task's fields over what the current group has.

        CDF refuses a create with both ``members`` and ``sourceId``: the task's choice wins; without one, the
        group keeps its kind (see groups.group_kind): a members group its members, an IdP group its sourceId.
        """
        fields = self.task_fields()
        base = current or {}
        merged: dict[str, Any] = {
            "capabilities": base.get("capabilities") or [],
            "sourceId": base.get("sourceId") or None,
            "members": base.get("members") or None,
            "metadata": base.get("metadata") or None,
            "attributes": base.get("attributes") or None,
        }
        merged.update(fields)
        if "members" in fields:
            merged["sourceId"] = None
        elif "sourceId" in fields:
            merged["members"] = None
        elif current is not None:
            kind = group_kind(current)
            merged["sourceId" if kind == MEMBERS_GROUP else "members"] = None
        return normalised_payload(
            self.name,
            merged.pop("capabilities"),
            sourceId=merged["sourceId"],
            members=merged["members"],
            metadata=merged["metadata"],
            attributes=merged["attributes"],
        )

    def differs(self, current: dict, desired: dict) -> bool:
        """Only the fields the task sets count; capabilities are the current ones when the task leaves them out."""
        compared = {key: desired.get(key) for key in self.task_fields()}
        compared["capabilities"] = desired["capabilities"]
        return not same_group(current, compared)

    # -- access that is still applying after a replacement -------------------------------------
    def expect_access_settling(self) -> None:
        """If an earlier item of the loop replaced a group the caller is in, tell the client (a brief 403 retry)."""
        until = self.settling.get(self.loop_key, 0.0) if self.settling is not None else 0.0
        if until > time.monotonic():
            self.client.expect_access_settling(until)

    def note_access_settling(self) -> None:
        """After the run: open the window when this task replaced a caller's group, else close a spent one."""
        if self.settling is None:
            return
        if self.replaced_callers_group():
            self.settling[self.loop_key] = time.monotonic() + ACCESS_SETTLE_WINDOW
        elif not self.client.access_settling:
            self.settling.pop(self.loop_key, None)

    def replaced_callers_group(self) -> bool:
        """Whether this run created a group in place of one the caller is in (as the lockout guard's token
        inspection says; without one, e.g. with allow_self_lockout, it is not known and taken as no)."""
        inspection = getattr(self.client, "last_inspection", None)
        if not (self.created and self.deleted_ids and isinstance(inspection, dict)):
            return False
        return bool(caller_group_ids(inspection, self.client.project) & set(self.deleted_ids))

    # -- reads -------------------------------------------------------------------------------
    def find(self) -> list:
        """The groups named like the task's, from a list of every group of the project (CDF cannot filter by name).

        A task of its own reads the list. The items of a loop run in one worker: the first item reads the list
        and the others use it, kept up to date with the loop's own creates and deletes, instead of each reading
        all N groups again (N items x N groups: quadratic). The list is read again when it is older than
        LOOP_LIST_MAX_AGE seconds, and after a write failed (its effect unknown).
        """
        if self.loop_lists is None:
            return list_groups(self.client, self.name)
        entry = self.loop_lists.get(self.loop_key)
        if entry is None or time.monotonic() - entry["read_at"] > LOOP_LIST_MAX_AGE:
            entry = {"read_at": time.monotonic(), "groups": list_groups(self.client)}
            self.loop_lists[self.loop_key] = entry
        return [group for group in entry["groups"] if group.get("name") == self.name]

    def _loop_list(self) -> Optional[list]:
        entry = self.loop_lists.get(self.loop_key) if self.loop_lists is not None else None
        return entry["groups"] if entry else None

    def _forget_loop_list(self) -> None:
        if self.loop_lists is not None:
            self.loop_lists.pop(self.loop_key, None)

    # -- writes ------------------------------------------------------------------------------
    def create(self, payload: dict, known_ids: set) -> dict:
        try:
            self.created = create_group(self.client, payload, known_ids)
        except ApiError:
            self._forget_loop_list()
            raise
        listed = self._loop_list()
        if listed is not None:
            listed.append(self.created)
        return self.created

    def delete(self, ids: list) -> None:
        try:
            delete_groups(self.client, ids)
        except ApiError:
            self._forget_loop_list()
            raise
        self.deleted_ids.extend(ids)
        listed = self._loop_list()
        if listed is not None:
            gone = set(ids)
            listed[:] = [group for group in listed if group.get("id") not in gone]

    def replace(self, current: dict, desired: dict, known_ids: set) -> dict:
        """Create the new group first, then delete the old: never a moment without the group."""
        new = self.create(desired, known_ids)
        try:
            self.delete([current["id"]])
        except ApiError as exc:
            exc.message += (
                " -- the new group %s was created but the old group %s could not be deleted; "
                "both now exist with the name %r. Run the task again (with on_duplicates: consolidate) "
                "or delete group %s by hand." % (new["id"], current["id"], self.name, current["id"])
            )
            raise
        return new

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> dict:
        matches = self.find()
        known_ids = {group["id"] for group in matches}
        if len(matches) > 1:
            return self.run_duplicates(matches, known_ids)
        current = matches[0] if matches else None
        state = self.params["state"]
        desired = self.desired(current) if state == "present" else None
        if current is not None and (desired is None or self.differs(current, desired)):
            guard_self_lockout(self.module, self.client, [current["id"]], desired)
        outcome = reconcile(
            state=state,
            current=current,
            check_mode=self.module.check_mode,
            view=group_view,
            desired=desired,
            differs=self.differs,
            create=lambda desired: self.create(desired, known_ids),
            update=lambda cur, desired: self.replace(cur, desired, known_ids),
            delete=lambda cur: self.delete([cur["id"]]),
        )
        if outcome.changed and current is not None and state == "present":
            outcome.extra["previous_id"] = current["id"]
        return self.finish(outcome, would_delete=[current["id"]] if current else [])

    def run_duplicates(self, matches: list, known_ids: set) -> dict:
        ids = sorted(group["id"] for group in matches)
        if self.params["on_duplicates"] == "fail":
            self.module.fail_json(
                msg="%d groups are named %r (ids %s). CDF allows this, but this module will not pick one silently: "
                "delete the extra groups, or set on_duplicates: consolidate to keep one and delete the others."
                % (len(matches), self.name, ", ".join(map(str, ids))),
                group_ids=ids,
            )
        check_mode = self.module.check_mode
        if self.params["state"] == "absent":
            guard_self_lockout(self.module, self.client, ids)
            if not check_mode:
                self.delete(ids)
            before = group_view(matches[0])
            return self.finish(Outcome(True, before, None, None), would_delete=ids)
        desired = self.desired(matches[0])
        keep = next((group for group in matches if not self.differs(group, desired)), None)
        guard_self_lockout(self.module, self.client, [g["id"] for g in matches if g is not keep], None if keep else desired)
        if keep is None:
            keep = desired if check_mode else self.create(desired, known_ids)
        extras = [group["id"] for group in matches if group is not keep]
        if not check_mode:
            self.delete(extras)
        outcome = Outcome(True, group_view(matches[0]), group_view(keep), keep)
        return self.finish(outcome, would_delete=extras)

    def finish(self, outcome: Outcome, would_delete: list) -> dict:
        """The result; ``deleted_ids`` lists what was deleted (in check mode: what would be)."""
        deleted = self.deleted_ids or (list(would_delete) if self.module.check_mode and outcome.changed else [])
        if deleted:
            outcome.extra["deleted_ids"] = deleted
        return outcome.result("group", with_diff=self.module._diff)

    def partial_result(self) -> dict:
        """What was already written when a call failed, so a failure never hides a half-done change."""
        partial: dict = {"changed": bool(self.created or self.deleted_ids)}
        if self.created:
            partial["group"] = self.created
        if self.deleted_ids:
            partial["deleted_ids"] = self.deleted_ids
        return partial
