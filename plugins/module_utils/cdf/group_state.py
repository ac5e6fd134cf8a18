# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``group`` module does with one task: find, compare, replace create-first, handle duplicates."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    create_group,
    delete_groups,
    group_view,
    list_groups,
    members_to_api,
    normalised_payload,
    same_group,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import Outcome, reconcile


class GroupTask:
    """One run of the ``group`` module against one project."""

    def __init__(self, module: Any, client: Any) -> None:
        self.module = module
        self.client = client
        self.params = module.params
        self.name: str = module.params["name"]
        self.created: Optional[dict] = None
        self.deleted_ids: list = []

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
        """The whole group the task asks for: the task's fields over what the current group has."""
        fields = self.task_fields()
        base = current or {}
        merged = {
            "capabilities": base.get("capabilities") or [],
            "sourceId": base.get("sourceId") or None,
            "members": base.get("members") or None,
            "metadata": base.get("metadata") or None,
            "attributes": base.get("attributes") or None,
        }
        merged.update(fields)
        if "members" in fields:
            merged["sourceId"] = None
        elif "sourceId" in fields or merged["sourceId"]:
            # CDF rejects both on create; responses on Entra ID clusters may carry both.
            merged["members"] = None
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

    # -- writes ------------------------------------------------------------------------------
    def create(self, payload: dict, known_ids: set) -> dict:
        self.created = create_group(self.client, payload, known_ids)
        return self.created

    def delete(self, ids: list) -> None:
        delete_groups(self.client, ids)
        self.deleted_ids.extend(ids)

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
        matches = list_groups(self.client, self.name)
        known_ids = {group["id"] for group in matches}
        if len(matches) > 1:
            return self.run_duplicates(matches, known_ids)
        current = matches[0] if matches else None
        state = self.params["state"]
        outcome = reconcile(
            state=state,
            current=current,
            check_mode=self.module.check_mode,
            view=group_view,
            desired=self.desired(current) if state == "present" else None,
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
            if not check_mode:
                self.delete(ids)
            before = group_view(matches[0])
            return self.finish(Outcome(True, before, None, None), would_delete=ids)
        desired = self.desired(matches[0])
        keep = next((group for group in matches if not self.differs(group, desired)), None)
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
