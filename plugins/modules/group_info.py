#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: group_info
short_description: List CDF access groups
version_added: 0.1.0
description:
  - Returns the groups of a Cognite Data Fusion project, all of them or those with one name.
  - Needs C(groupsAcl:LIST) with scope C(all).
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
  name:
    description:
      - Return only the groups with this name (CDF allows several).
    type: str
seealso:
  - module: dataops.iam.group
"""

EXAMPLES = r"""
- name: Read the groups of a project
  dataops.iam.group_info:
    base_url: https://westeurope-1.cognitedata.com
    project: my-project
    token_url: https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token
    client_id: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_ID') }}"
    client_secret: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_SECRET') }}"
  register: all_groups

- name: Find one group by name
  dataops.iam.group_info:
    name: data-engineers
  register: found

- name: Show its id
  ansible.builtin.debug:
    msg: "{{ found.groups | map(attribute='id') | list }}"
"""

RETURN = r"""
groups:
  description: The groups, in the API's format, sorted by name and then id.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1000000001
      name: admins
      sourceId: cdf-admins
      capabilities:
        - groupsAcl:
            actions: [CREATE, DELETE, LIST, READ, UPDATE]
            scope: {all: {}}
      isDeleted: false
      deletedTime: -1
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import list_groups


def run(module: Any, client: Any) -> dict:
    groups = list_groups(client, module.params["name"])
    groups.sort(key=lambda group: (group.get("name", ""), group.get("id", 0)))
    return dict(changed=False, groups=groups)


MODULE = CdfModule(dict(name=dict(type="str")), run, doing="Listing groups")


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
