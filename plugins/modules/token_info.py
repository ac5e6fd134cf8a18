#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: token_info
short_description: Inspect the CDF token of the caller
version_added: 0.1.0
description:
  - Calls CDF's token inspection with the module's credentials and returns who the caller is, the projects
    it can reach with the groups that grant it access, and its capabilities.
  - Useful to see which identity a pipeline runs as, and what it may do, before it changes anything.
    To compare the capabilities with a list of required ones, use M(dataops.iam.capabilities_check).
  - When the token is in no group of the module's O(project) (the project is not among RV(token.projects)), the
    task warns, naming the projects it does reach, and returns RV(project_reached=false); it does not fail, so
    that the inspection (which identity, which projects) is there to see what to fix. To stop a play there, use
    C(failed_when) on RV(project_reached) or M(dataops.iam.capabilities_check) with C(fail_on_missing).
  - Needs no capability, any valid token can inspect itself.
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
options: {}
seealso:
  - module: dataops.iam.capabilities_check
  - module: dataops.iam.group_info
"""

EXAMPLES = r"""
- name: Who am I on CDF?
  dataops.iam.token_info:
    base_url: https://westeurope-1.cognitedata.com
    project: my-project
    token_url: https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token
    client_id: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_ID') }}"
    client_secret: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_SECRET') }}"
  register: me

- name: Show the subject and the projects it reaches
  ansible.builtin.debug:
    msg: "{{ me.token.subject }} reaches {{ me.token.projects | map(attribute='projectUrlName') | list }}"
"""

RETURN = r"""
project_reached:
  description:
    - Whether the token is in a group of the module's O(project) (the project is among RV(token.projects)). If
      not, the task warns and RV(token.project_capabilities) is usually empty.
  returned: always
  type: bool
  sample: true
token:
  description: What CDF's token inspection says about the caller.
  returned: always
  type: dict
  contains:
    subject:
      description: The caller's identity (for a service principal, usually its object id or client id).
      type: str
      sample: 7c6a0d1e-4d2b-4f6c-9a51-0e3f9d1b2c09
    projects:
      description: The projects the caller reaches, each with the ids of the groups that grant it access there.
      type: list
      elements: dict
      sample:
        - projectUrlName: my-project
          groups: [1000000001]
    capabilities:
      description:
        - "Every capability of the caller, as the API returns it, each with the C(projectScope) it applies to
          (C({allProjects: {}}) or C({projects: [...]}))."
      type: list
      elements: dict
      sample:
        - groupsAcl:
            actions: [LIST, READ]
            scope: {all: {}}
          projectScope:
            projects: [my-project]
    project_capabilities:
      description:
        - The capabilities that apply to the module's O(project), without C(projectScope), in the format of a
          group's capabilities.
      type: list
      elements: dict
      sample:
        - groupsAcl:
            actions: [LIST, READ]
            scope: {all: {}}
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.token import (
    reaches_project,
    token_view,
    unreached_project_message,
)


def run(module: Any, client: Any) -> dict:
    inspection = models.parse_one(models.TokenInspection, client.inspect_token(), models.TOKEN_INSPECT)
    project = module.params["project"]
    reached = reaches_project(inspection, project)
    if not reached:
        module.warn(unreached_project_message(inspection, project))
    return dict(changed=False, project_reached=reached, token=token_view(inspection, project))


MODULE = CdfModule({}, run, doing="Inspecting the token", pydantic=True)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
