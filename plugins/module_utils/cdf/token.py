# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token inspection and capability gaps: what the caller (or a group) can do, and what it lacks; internal to the
collection."""

from __future__ import annotations

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    describe_capabilities,
    missing_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import list_groups

PROJECT_KEYS = ("projectScope", "projectUrlNames")


def covers_project(capability: dict, project: str) -> bool:
    """Whether a token-inspect capability applies to ``project`` (its ``projectScope``; none means all)."""
    scope = capability.get("projectScope")
    if scope is None:
        names = capability.get("projectUrlNames")
        return names is None or project in names
    if not isinstance(scope, dict):
        return False
    if "allProjects" in scope:
        return True
    return project in (scope.get("projects") or [])


def project_capabilities(inspection: dict, project: str) -> list:
    """The token's capabilities that apply to ``project``, without the project keys (the group format)."""
    return [
        {key: value for key, value in capability.items() if key not in PROJECT_KEYS}
        for capability in inspection.get("capabilities") or []
        if isinstance(capability, dict) and covers_project(capability, project)
    ]


def token_view(inspection: dict, project: str) -> dict:
    """The inspection as the modules return it, plus the capabilities that apply to the client's project."""
    return {
        "subject": inspection.get("subject"),
        "projects": inspection.get("projects") or [],
        "capabilities": inspection.get("capabilities") or [],
        "project_capabilities": project_capabilities(inspection, project),
    }


def reaches_project(inspection: dict, project: str) -> bool:
    """Whether the token is in a group of ``project``: inspection's ``projects`` lists the projects the token can
    use (cognite-sdk's CogniteProjectAccessError suggests exactly those, ``projects[].projectUrlName``, after a 401)."""
    return any(isinstance(item, dict) and item.get("projectUrlName") == project for item in inspection.get("projects") or [])


def unreached_project_message(inspection: dict, project: str) -> str:
    """What to tell the user when the token reaches no group of ``project``."""
    names = [item.get("projectUrlName") for item in inspection.get("projects") or [] if isinstance(item, dict)]
    reached = "it reaches %s" % ", ".join(repr(name) for name in names) if names else "it reaches no project"
    return (
        "the token of %r is in no group of project %r (token inspection: %s), so the API of that project will "
        "refuse it. Check the project option (or CDF_PROJECT) and the cluster, or add the identity to a group of "
        "that project" % (inspection.get("subject"), project, reached)
    )


class GroupLookupError(Exception):
    """The named group does not exist, or the name is ambiguous."""


def group_capabilities(client: Any, name: str) -> tuple[list, dict]:
    """The capabilities of the one group called ``name`` and the group; fails on none or several."""
    matches = list_groups(client, name)
    if not matches:
        raise GroupLookupError(
            "no group is named %r in project %r; check the name with dataops.iam.group_info" % (name, client.project)
        )
    if len(matches) > 1:
        ids = ", ".join(str(group["id"]) for group in sorted(matches, key=lambda group: group["id"]))
        raise GroupLookupError(
            "%d groups are named %r (ids %s): this module will not pick one; remove the duplicates with "
            "dataops.iam.group (on_duplicates: consolidate)" % (len(matches), name, ids)
        )
    return matches[0].get("capabilities") or [], matches[0]


def capability_gap(existing: list, desired: list, ignore_allscope_meaning: bool = False) -> dict:
    """What ``desired`` needs and ``existing`` lacks (``missing``), and the reverse (``extra``), flattened."""
    missing = missing_capabilities(existing, desired, ignore_allscope_meaning)
    extra = missing_capabilities(existing=desired, desired=existing, ignore_allscope_meaning=ignore_allscope_meaning)
    return {
        "missing": missing,
        "missing_described": describe_capabilities(missing),
        "extra": extra,
        "extra_described": describe_capabilities(extra),
    }
