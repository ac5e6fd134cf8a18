# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``group`` module's task: find a group by name, compare, replace create-first, handle duplicates.

Internal to the collection. ``GroupTask`` is an ``ObjectTask`` (tasks.py): the flow, check mode and the result are
the base's; here are what a group is (``desired``, ``differs``), how CDF changes one (no update call: ``update``
replaces it), the self-lockout guard (``before_change``, lockout.py), several groups with the task's name
(``apply_duplicates``), and what the items of a loop in Ansible's worker share (``worker_cache``): the project's
group list, and the brief wait for the access of a group the caller is in after it was replaced.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import duplicate_report
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_refs import References
from ansible_collections.dataops.iam.plugins.module_utils.cdf.duplicates import (
    copies_row,
    lowest_first,
    race_note,
    settle,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_intent import GroupIntent
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    create_group,
    delete_groups,
    group_view,
    list_groups,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import (
    caller_group_ids,
    grants_group_writes,
    guard_self_lockout,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.write_rights import group_needs, refuse_unwritable
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.runtime import worker_cache
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError

# How long the items of a loop may go on with the group list the first of them read (see GroupTask.matching).
LOOP_LIST_MAX_AGE = 60.0
# How long after a task replaced a group the caller is in the next item's first call may meet a 403 that is only
# the new group's access still applying (CdfClient.expect_access_settling retries it briefly).
ACCESS_SETTLE_WINDOW = 10.0


class GroupTask(ObjectTask):
    """One run of the ``group`` module against one project."""

    key = "group"

    def __init__(self, module: Any, client: Any, references: Optional[References] = None) -> None:
        super().__init__(module, client)
        self.name: str = self.params["name"]
        #: The names of the task's capabilities, resolved (None: it has none).
        self.references = references
        label = references.label if references else None
        capabilities = references.substitute(self.params["capabilities"]) if references else None
        self.intent = GroupIntent(self.params, capabilities, label)
        #: The groups named like the task's (read by ``apply``), and the ids the run may not take for its own.
        self.matches: list = []
        self.known_ids: set = set()
        self.created: Optional[dict] = None
        self.deleted_ids: list = []
        #: What the change deletes (in check mode: would delete), for ``deleted_ids``.
        self.to_delete: list = []
        # In Ansible's worker, the items of a loop share one list of the project's groups (None: a module process).
        self.loop_lists = worker_cache(module, "group_lists")
        # ... and when a group the caller is in was replaced, until when its access may still be applying.
        self.settling = worker_cache(module, "access_settling")
        # ... and the caller's token inspection, for the check of the rights a change needs (write_rights.py).
        self.inspections = worker_cache(module, "caller_inspections")
        token_digest = hashlib.sha256((self.params.get("token") or "").encode()).hexdigest()
        self.loop_key = (client.base_url, client.project, self.params.get("client_id"), token_digest)

    # -- the task's intent (group_intent.py, shared with ``access``) ---------------------------
    def desired(self, current: Optional[dict]) -> dict:
        return self.intent.desired(current)

    def differs(self, current: dict, desired: dict) -> bool:
        return self.intent.differs(current, desired)

    def view(self, obj: dict) -> dict:
        return group_view(obj, self.intent.label)

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
    def matching(self) -> list:
        """The groups named like the task's, from a list of every group of the project (CDF cannot filter by name).

        A task of its own reads the list. The items of a loop run in one worker: the first item reads the list
        and the others use it, kept up to date with the loop's own creates and deletes, instead of each reading
        all N groups again (N items x N groups: quadratic). The list is read again when it is older than
        LOOP_LIST_MAX_AGE seconds, after a write failed (its effect unknown), and when it shows several groups with
        the task's name (another run may have resolved them since: duplicates.py). Lowest id first.
        """
        if self.loop_lists is None:
            return list_groups(self.client, self.name)
        entry: Optional[dict] = self.loop_lists.get(self.loop_key)
        read = entry is None or time.monotonic() - entry["read_at"] > LOOP_LIST_MAX_AGE
        if entry is None or read:
            entry = self._read_loop_list()
        found = lowest_first([group for group in entry["groups"] if group.get("name") == self.name])
        if len(found) > 1 and not read:
            entry = self._read_loop_list()
            found = [group for group in entry["groups"] if group.get("name") == self.name]
        return found

    def _read_loop_list(self, groups: Optional[list] = None) -> dict:
        """The loop's list of the project's groups, read now (or ``groups``, just read)."""
        entry = {"read_at": time.monotonic(), "groups": list_groups(self.client) if groups is None else groups}
        if self.loop_lists is not None:
            self.loop_lists[self.loop_key] = entry
        return entry

    def find(self) -> Optional[dict]:
        """The one group with the task's name (``apply`` read them; several go to ``apply_duplicates``)."""
        return self.matches[0] if self.matches else None

    def _loop_list(self) -> Optional[list]:
        entry = self.loop_lists.get(self.loop_key) if self.loop_lists is not None else None
        return entry["groups"] if entry else None

    def _forget_loop_list(self) -> None:
        if self.loop_lists is not None:
            self.loop_lists.pop(self.loop_key, None)

    # -- writes ------------------------------------------------------------------------------
    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """The self-lockout guard, when the change deletes the current group (replaced or absent); then the rights
        the change needs (a create, a delete), as token inspection shows the caller's."""
        if current is None:
            self.check_rights("create group %r" % self.name, desired, deletes=False)
            return
        self.to_delete = [current["id"]]
        if desired is not None:
            self.extra["previous_id"] = current["id"]
        self.guard(self.to_delete, desired)
        doing = "%s group %r" % ("replace" if desired is not None else "delete", self.name)
        self.check_rights(doing, desired, deletes=True)

    def check_rights(self, doing: str, created: Optional[dict], deletes: bool) -> None:
        """Refuse (TaskError, in check mode too) a change whose writes the caller's capabilities do not allow:
        groupsAcl CREATE for ``created``, DELETE when ``deletes`` (write_rights.py). The items of a loop share one
        inspection, read again after a change that may alter the caller's rights (a delete, a group granting them).
        ``allow_self_lockout`` skips it with the other checks made from token inspection."""
        if self.params.get("allow_self_lockout"):
            return
        refuse_unwritable(
            self.client, doing, group_needs(created is not None, deletes), self.inspections, self.loop_key
        )
        if self.inspections is not None and (deletes or (created is not None and grants_group_writes(created))):
            self.inspections.pop(self.loop_key, None)

    def guard(self, removed_ids: list, replacement: Optional[dict]) -> None:
        guard_self_lockout(
            self.client, self.name, removed_ids, replacement, allowed=bool(self.params.get("allow_self_lockout"))
        )

    def create(self, desired: dict) -> dict:
        try:
            created = create_group(self.client, desired, self.known_ids)
        except ApiError:
            self._forget_loop_list()
            raise
        self.created = created
        return self.settle_copies(created, desired)

    def settle_copies(self, created: dict, desired: dict) -> dict:
        """After the create: the groups read again, and identical copies that runs racing this one made resolved
        as every racer resolves them (duplicates.py); returns the copy kept (the lowest id, maybe another run's)."""
        try:
            groups = list_groups(self.client)
            kept, extra = settle(groups, created, desired)
            self._read_loop_list(groups)
            if extra:
                self.delete_ids(extra)
                self.extra["copies_resolved"] = copies_row(self.name, kept, extra)
        except ApiError as exc:
            exc.message += (
                " -- group %r was created (id %s), but the check for identical copies made by another run at the same "
                "time failed: run the task again to finish it" % (self.name, created.get("id"))
            )
            raise
        return kept

    def update(self, current: dict, desired: dict) -> dict:
        """CDF has no update call: create the new group first, then delete the old, never a moment without it."""
        new = self.create(desired)
        try:
            self.delete_ids([current["id"]])
        except ApiError as exc:
            exc.message += duplicate_report.delete_failed(self.name, new["id"], current["id"], exc.may_have_written)
            raise
        return new

    def delete(self, current: dict) -> None:
        self.delete_ids([current["id"]])

    def delete_ids(self, ids: list) -> None:
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

    # -- the run -----------------------------------------------------------------------------
    def apply(self) -> dict:
        self.matches = self.matching()
        self.known_ids = {group["id"] for group in self.matches}
        if len(self.matches) > 1:
            return self.apply_duplicates()
        return super().apply()

    def apply_duplicates(self) -> dict:
        """Several groups with the task's name: fail, or (``on_duplicates: consolidate``) keep one and delete the
        others, a group that matches the task if there is one, else a new one created first."""
        matches = self.matches
        if self.params["on_duplicates"] == "fail":
            raise self.duplicates_refusal()
        desired = self.desired(matches[0]) if self.state == "present" else None
        keep = None if desired is None else next((g for g in matches if not self.differs(g, desired)), None)
        self.to_delete = [group["id"] for group in matches if group is not keep]
        self.guard(self.to_delete, desired if keep is None else None)
        self.check_rights("consolidate the groups named %r" % self.name, desired if keep is None else None, True)
        kept = keep if keep is not None or desired is None else desired
        if not self.check_mode:
            if keep is None and desired is not None:
                kept = self.create(desired)
            self.delete_ids(self.to_delete)
        before, after = self.duplicates_diff(kept)
        return self.result(True, before, after, kept)

    def duplicates_diff(self, kept: Optional[dict]) -> tuple:
        """``--diff`` of a consolidation: before, every group with the task's name, by id (lowest first); after, the
        one kept (with its id once it has one), nothing with ``state: absent``. Ids are shown here because the groups
        may read the same without them."""

        def shown(group: dict) -> dict:
            return dict({"id": group["id"]} if group.get("id") is not None else {}, **self.view(group))

        before = {"groups": [shown(group) for group in sorted(self.matches, key=lambda group: group["id"])]}
        return before, ({"groups": [shown(kept)]} if kept else None)

    def duplicates_refusal(self) -> TaskError:
        """The failure of ``on_duplicates: fail``: which of the groups match the task (the new group of an interrupted
        replacement does), and what ``on_duplicates: consolidate`` would keep and delete (duplicate_report.py)."""
        matches = self.matches
        ids = sorted(group["id"] for group in matches)
        if self.state != "present":
            return TaskError(
                "%d groups are named %r (ids %s). CDF allows this, but this module will not pick one silently: "
                "delete them by hand, or set on_duplicates: consolidate to delete them all."
                % (len(matches), self.name, ", ".join(map(str, ids))),
                group_ids=ids,
            )
        desired = self.desired(matches[0])

        def matches_task(group: dict) -> bool:
            return not self.differs(group, desired)

        matching = duplicate_report.matching_ids(matches, matches_task)
        keep = duplicate_report.first_match(matches, matches_task)
        refusal = (
            "%s. CDF allows several groups with one name, but this module will not pick one silently: set "
            "on_duplicates: consolidate to finish (%s), or delete the extra groups by hand."
            % (duplicate_report.describe(self.name, matches, matching), duplicate_report.consolidate_outcome(matches, keep))
        )
        return TaskError(refusal + race_note(matching), group_ids=ids)

    def result(self, changed: bool, before: Any, after: Any, obj: Any) -> dict:
        """The base's result; ``deleted_ids`` lists what was deleted (in check mode: what would be)."""
        deleted = self.deleted_ids or (list(self.to_delete) if self.check_mode and changed else [])
        if deleted:
            self.extra["deleted_ids"] = deleted
        return super().result(changed, before, after, obj)

    def partial(self) -> dict:
        """What was already written when a call failed, so a failure never hides a half-done change."""
        partial: dict = {}
        if self.created:
            partial["group"] = self.created
        if self.deleted_ids:
            partial["deleted_ids"] = self.deleted_ids
        return partial
