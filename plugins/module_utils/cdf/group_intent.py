# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task asks of one CDF group, written once for ``group`` and ``access``: the options, their checks, the
whole group the task wants (``desired``), whether a current group must be replaced (``differs``) and why
(``differences``). Reads and writes nothing; internal to the collection."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    CapabilityError,
    Label,
    capability_changes,
    validate_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_refs import with_placeholders
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    MEMBERS_GROUP,
    MEMBERS_MAX,
    GroupShapeError,
    group_kind,
    group_payload,
    members_to_api,
    metadata_problems,
    same_group,
)
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import text_problem
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

#: The options that say what one group is (``group``'s own, and each entry of ``access``'s ``groups``).
GROUP_OPTIONS: dict = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    capabilities=dict(type="list", elements="dict"),
    source_id=dict(type="str"),
    members=dict(type="list", elements="str"),
    metadata=dict(type="dict"),
    attributes=dict(type="dict"),
)
GROUP_EXCLUSIVE = [("source_id", "members")]
#: The API field of each option the comparison looks at, and how a reason names it.
FIELD_NAMES = {"sourceId": "source_id", "members": "members", "metadata": "metadata", "attributes": "attributes"}


def group_problems(params: dict) -> list:
    """Everything wrong with one group's options, found before any call."""
    problems = [problem for problem in (
        text_problem("name", params["name"]),
        text_problem("source_id", params.get("source_id"), empty=True) if params.get("source_id") is not None else None,
    ) if problem]
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
        problems.extend(
            problem for index, member in enumerate(members)
            for problem in [text_problem("members[%d]" % index, member, empty=True)] if problem
        )
    if params.get("capabilities") is not None:
        try:
            validate_capabilities(with_placeholders(params["capabilities"]))
        except CapabilityError as exc:
            problems.append(str(exc))
    return problems


def group_warnings(params: dict) -> list:
    """What the capability catalogue does not know in the group's capabilities (kept and compared as given)."""
    return validate_capabilities(with_placeholders(params.get("capabilities") or []))


class GroupIntent:
    """One group as a task's options describe it (``params``: ``GROUP_OPTIONS``, validated); ``capabilities``: the
    task's capabilities with the names resolved (capability_refs.py), when they had any; ``label`` names ids again
    for the reasons."""

    def __init__(self, params: dict, capabilities: Optional[list] = None, label: Label = None) -> None:
        self.params = params
        self.name: str = params["name"]
        self.capabilities = params.get("capabilities") if capabilities is None else capabilities
        self.label = label

    @property
    def state(self) -> str:
        return str(self.params.get("state") or "present")

    def task_fields(self) -> dict:
        """The API fields the task sets (and so compares), in the API's names."""
        fields: dict = {}
        params = self.params
        if self.capabilities is not None:
            fields["capabilities"] = self.capabilities
        if params.get("source_id") is not None:
            fields["sourceId"] = params["source_id"]
        if params.get("members") is not None:
            fields["members"] = members_to_api(params["members"])
        if params.get("metadata") is not None:
            fields["metadata"] = {str(k): v for k, v in params["metadata"].items()}
        if params.get("attributes") is not None:
            fields["attributes"] = params["attributes"]
        return fields

    def desired(self, current: Optional[dict]) -> dict:
        """The whole group the task asks for: the task's fields over what the current group has.

        CDF refuses a create with both ``members`` and ``sourceId``: the task's choice wins; without one, the
        group keeps its kind (see groups.group_kind): a members group its members, an IdP group its sourceId.
        A current group whose kind cannot be told fails the task before any write.
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
            try:
                kind = group_kind(current)
            except GroupShapeError as exc:
                raise TaskError(
                    "Cannot tell whether group %r is a members group or linked to an IdP group: %s. Nothing was "
                    "changed; set members or source_id in the task to say which it must be." % (self.name, exc),
                    changed=False,
                ) from None
            merged["sourceId" if kind == MEMBERS_GROUP else "members"] = None
        return group_payload(
            self.name,
            merged.pop("capabilities"),
            sourceId=merged["sourceId"],
            members=merged["members"],
            metadata=merged["metadata"],
            attributes=merged["attributes"],
        )

    def compared(self, desired: dict) -> dict:
        """The fields of ``desired`` the comparison looks at: those the task sets, and always the capabilities."""
        compared = {key: desired.get(key) for key in self.task_fields()}
        compared["capabilities"] = desired["capabilities"]
        return compared

    def differs(self, current: dict, desired: dict) -> bool:
        """Only the fields the task sets count; capabilities are the current ones when the task leaves them out."""
        return not same_group(current, self.compared(desired))

    def differences(self, current: dict, desired: dict) -> list:
        """Why ``current`` must be replaced, one phrase per field that differs (for a plan's reason)."""
        compared = self.compared(desired)
        reasons = []
        added, removed = capability_changes(
            current.get("capabilities") or [], compared["capabilities"] or [], self.label
        )
        if added or removed:
            parts = ["+" + line for line in added] + ["-" + line for line in removed]
            reasons.append("capabilities differ (%s)" % "; ".join(parts))
        for field, option in FIELD_NAMES.items():
            if field in compared and not same_group(
                dict(current, capabilities=compared["capabilities"]),
                {"capabilities": compared["capabilities"], field: compared[field]},
            ):
                reasons.append("%s differs" % option)
        return reasons
