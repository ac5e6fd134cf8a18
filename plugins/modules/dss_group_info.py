#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_group_info
short_description: Read Dataiku DSS groups, with their members
version_added: 0.1.0
description:
  - Returns one group of a Dataiku DSS instance (O(name)), or all of them, each with the logins of its members.
  - Each group is its definition as DSS returns it (description, C(admin), source type, the LDAP, SSO, Azure AD
    and custom group mappings, every C(may*) permission flag, including flags newer than this collection), with
    the key C(members) added.
  - Membership is DSS's own relation of users to groups, the C(groups) of each user. The members of every group
    come from one read of the user list, whatever the number of groups, never from one call per group.
  - A group mapped to external groups (C(ldapGroupNames), C(ssoGroupNames), C(azureADGroupNames),
    C(customGroupNames)) is returned with its mapping as it is. Its C(members) are the DSS users in the group
    now, not the members of the external group. A person of the directory group who has no DSS user, or whose
    DSS user was not synchronised from the directory since, is not listed.
  - Disabled users are members like any other (M(dataops.iam.dss_user_info) returns their C(enabled)).
  - Groups hold no secrets; nothing this module returns is one.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.dss
  - dataops.iam.transport
  - dataops.iam.attributes
  - dataops.iam.attributes.INFO_MODULE
attributes:
  action_group:
    membership:
      - dataops.iam.dss
options:
  name:
    description:
      - Return only this group. A name no group has gives an empty list (not a failure).
    type: str
  members:
    description:
      - Add to each group the key C(members), the sorted logins of the users in it.
      - V(false) leaves the user list unread (one request fewer).
    type: bool
    default: true
seealso:
  - module: dataops.iam.dss_group
  - module: dataops.iam.dss_user_info
notes:
  - The API key's user must be a DSS administrator.
  - Requests made with O(members=true), the default, are the group (C(GET /admin/groups/{name})) or the group
    list (C(GET /admin/groups/)), and the user list (C(GET /admin/users/)). With O(members=false), or a O(name)
    no group has, only the first.
"""

EXAMPLES = r"""
- name: Read every DSS group with its members
  dataops.iam.dss_group_info:
    dss_url: https://dss.example.com:11200
    api_key: "{{ lookup('ansible.builtin.env', 'DKU_API_KEY') }}"
  register: dss

- name: Who is in an admin group
  ansible.builtin.debug:
    msg: "{{ dss.groups | selectattr('admin') | map(attribute='members') | flatten | unique | sort }}"

- name: Groups nobody is in
  ansible.builtin.debug:
    msg: "{{ dss.groups | rejectattr('members') | map(attribute='name') | list }}"

- name: One group's permissions, without its members
  dataops.iam.dss_group_info:
    name: data_team
    members: false
  register: data_team
"""

RETURN = r"""
groups:
  description:
    - The groups, in the API's format, sorted by name; empty when O(name) names no group.
    - With O(members), each with the key C(members) added.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The group's name.
      type: str
      sample: data_team
    members:
      description: The logins of the users whose C(groups) name this group, sorted.
      type: list
      elements: str
      returned: when O(members) is true
      sample: [analyst, jdoe]
  sample:
    - name: data_team
      description: Data scientists
      sourceType: LOCAL
      admin: false
      ldapGroupNames: ["cn=data-team,ou=groups,dc=example,dc=com"]
      ssoGroupNames: []
      mayCreateProjects: true
      mayWriteUnsafeCode: true
      members: [analyst, jdoe]
"""

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, found before any call."""
    name = params.get("name")
    problem = name_problem("name", name) if name is not None else None
    return [problem] if problem else []


def read_groups(client: Any, name: Optional[str]) -> list:
    """The group named ``name`` (none when there is no such group), or every group."""
    if name is None:
        return client.list_groups()
    group = client.get_group(name)
    return [group] if group is not None else []


def members_by_group(users: list) -> dict:
    """Group name -> sorted logins of the users whose ``groups`` name it.

    The user list's items carry ``login`` and ``groups`` (the DSS public API docs' example of GET /admin/users/).
    An item without a login or a list of groups, or a group that is not a name, adds no member.
    """
    members: dict = {}
    for user in users:
        login = user.get("login") if isinstance(user, dict) else None
        groups = user.get("groups") if isinstance(user, dict) else None
        if not isinstance(login, str) or not isinstance(groups, list):
            continue
        for group in groups:
            if isinstance(group, str):
                members.setdefault(group, set()).add(login)
    return {group: sorted(logins) for group, logins in members.items()}


def run(module: Any, client: Any) -> dict:
    groups = sorted(read_groups(client, module.params["name"]), key=lambda group: group.get("name", ""))
    if groups and module.params["members"]:
        members = members_by_group(client.list_users())
        groups = [dict(group, members=members.get(group.get("name"), [])) for group in groups]
    return dict(changed=False, groups=groups)


MODULE = DssModule(
    dict(name=dict(type="str"), members=dict(type="bool", default=True)),
    run,
    doing="Reading DSS groups",
    problems=input_problems,
    invalid="Invalid DSS group name",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
