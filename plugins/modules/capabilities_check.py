#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: capabilities_check
short_description: Check that the caller, or a CDF group, has the capabilities a job needs
version_added: 0.1.0
description:
  - Compares a list of required O(capabilities) with what the caller's own token grants in O(project)
    (token inspection), or with the capabilities of the group named O(group), and reports what is missing.
  - It is the pre-flight step of a pipeline - run it before provisioning, with O(fail_on_missing=true),
    and the play stops with the full list of gaps instead of failing halfway with a 403.
  - The comparison has the meaning of cognite-sdk's C(IAMAPI.compare_capabilities) - a capability with scope
    C(all) covers every narrower scope of the same ACL and action, a whole raw database covers its tables,
    and C(dataModelInstancesAcl) WRITE covers WRITE_PROPERTIES in the same space. Set
    O(ignore_allscope_meaning=true) for an exact comparison instead.
  - Never changes anything.
  - Reading a group needs C(groupsAcl:LIST); checking the caller's own token needs no capability.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.cdf
  - dataops.iam.transport
  - dataops.iam.attributes
  - dataops.iam.attributes.INFO_MODULE
attributes:
  action_group:
    membership:
      - dataops.iam.cdf
options:
  capabilities:
    description:
      - "The required capabilities, in the format of a group's capabilities,
        for example C({groupsAcl: {actions: [LIST, READ], scope: {all: {}}}})."
      - Checked before any call; an ACL, a scope, or an action of a known ACL that the collection does not know is
        compared as given, with one warning per distinct unknown name (CDF adds them before any client knows them).
      - What the catalogue knows to be wrong fails the task, as in M(dataops.iam.group). That is an id outside 1 to
        9007199254740991, an ACL name without its C(Acl) suffix or in the wrong case, an action or scope in the wrong
        case, and a scope the ACL does not take.
      - The capabilities read from CDF (the caller's or the group's) are never refused, whatever their shape.
    type: list
    elements: dict
    required: true
  group:
    description:
      - Name of a group of O(project) whose capabilities to check instead of the caller's.
      - Fails if no group, or more than one, has this name.
    type: str
  ignore_allscope_meaning:
    description:
      - If V(true), nothing covers anything else - a capability with scope C(all) does not cover the same
        capability with a narrower scope. The comparison becomes a plain difference of the flattened sets.
    type: bool
    default: false
  fail_on_missing:
    description:
      - If V(true), the task fails when anything is missing, and its message lists every missing capability.
      - If V(false), the task succeeds and RV(missing) says what is missing.
    type: bool
    default: false
seealso:
  - module: dataops.iam.token_info
  - module: dataops.iam.group
"""

EXAMPLES = r"""
- name: Pre-flight - may this pipeline provision groups and Postgres-gateway users?
  dataops.iam.capabilities_check:
    capabilities:
      - groupsAcl: {actions: [LIST, READ, CREATE, DELETE], scope: {all: {}}}
      - sessionsAcl: {actions: [CREATE, LIST], scope: {all: {}}}
      - postgresGatewayAcl: {actions: [READ, WRITE], scope: {all: {}}}
    fail_on_missing: true

- name: Does the analysts group read the curated data set?
  dataops.iam.capabilities_check:
    group: analysts
    capabilities:
      - assetsAcl: {actions: [READ], scope: {datasetScope: {ids: [4500000002]}}}
  register: analysts

- name: Report the gap
  ansible.builtin.debug:
    msg: "{{ analysts.missing_described }}"
  when: analysts.missing | length > 0
"""

RETURN = r"""
missing:
  description:
    - "The required capabilities that are not granted, flattened - one action and one scope element each
      (a whole raw database as C({db: {tables: []}})), sorted. Empty when everything is granted."
  returned: always
  type: list
  elements: dict
  sample:
    - sessionsAcl:
        actions: [CREATE]
        scope: {all: {}}
missing_described:
  description: RV(missing) as readable lines, one per ACL and scope.
  returned: always
  type: list
  elements: str
  sample: ["sessionsAcl: CREATE [all]"]
extra:
  description:
    - What the caller (or the group) has beyond the required capabilities, flattened the same way, with the
      same meaning of coverage. For a group, with O(ignore_allscope_meaning=true), RV(missing) and RV(extra)
      both empty means the group has exactly these capabilities.
  returned: always
  type: list
  elements: dict
  sample:
    - eventsAcl:
        actions: [READ]
        scope: {all: {}}
extra_described:
  description: RV(extra) as readable lines, one per ACL and scope.
  returned: always
  type: list
  elements: str
  sample: ["eventsAcl: READ [all]"]
complete:
  description: Whether every required capability is granted (RV(missing) is empty).
  returned: always
  type: bool
  sample: false
checked:
  description: Whose capabilities were checked - the caller's token subject, or the group's name and id.
  returned: always
  type: dict
  sample:
    subject: 7c6a0d1e-4d2b-4f6c-9a51-0e3f9d1b2c09
"""

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    CapabilityError,
    validate_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.token import (
    GroupLookupError,
    capability_gap,
    group_capabilities,
    project_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError


def capabilities_problem(params: dict) -> Optional[str]:
    try:
        validate_capabilities(params["capabilities"])
    except CapabilityError as exc:
        return str(exc)
    return None


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, found before any call."""
    problem = capabilities_problem(params)
    if problem:  # its own prefix (``invalid``)
        return [problem]
    if params["group"] is not None and not params["group"].strip():
        return ["group must not be empty (leave it out to check the caller's own token)"]
    return []


def invalid(params: dict) -> str:
    return "Invalid capabilities" if capabilities_problem(params) else "Invalid options"


def run(module: Any, client: Any) -> dict:
    params = module.params
    for warning in validate_capabilities(params["capabilities"]):
        module.warn(warning)
    if params["group"] is not None:
        try:
            existing, group = group_capabilities(client, params["group"])
        except GroupLookupError as exc:
            raise TaskError("Checking capabilities failed: %s" % exc) from None
        checked = {"group": group["name"], "group_id": group["id"]}
        whom = "Group %r (id %s)" % (group["name"], group["id"])
    else:
        inspection = models.parse_one(models.TokenInspection, client.inspect_token(), models.TOKEN_INSPECT)
        existing = project_capabilities(inspection, params["project"])
        checked = {"subject": inspection.get("subject")}
        whom = "The caller %r" % inspection.get("subject")

    # Never refused: what the API returns is compared as given (an unreadable capability is one opaque entry).
    gap = capability_gap(existing, params["capabilities"], params["ignore_allscope_meaning"])
    result = dict(changed=False, complete=not gap["missing"], checked=checked, **gap)
    if gap["missing"] and params["fail_on_missing"]:
        lines = "\n".join("  - " + line for line in gap["missing_described"])
        raise TaskError(
            "%s lacks %d of the required capabilities in project %r (flattened: one action and scope each):\n%s"
            % (whom, len(gap["missing"]), params["project"], lines),
            **result,
        )
    return result


MODULE = CdfModule(
    dict(
        capabilities=dict(type="list", elements="dict", required=True),
        group=dict(type="str"),
        ignore_allscope_meaning=dict(type="bool", default=False),
        fail_on_missing=dict(type="bool", default=False),
    ),
    run,
    doing="Reading the capabilities to check",
    problems=input_problems,
    invalid=invalid,
    pydantic=True,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
