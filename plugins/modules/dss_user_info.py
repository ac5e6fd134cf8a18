#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_user_info
short_description: Read Dataiku DSS users, with their groups and profiles
version_added: 0.1.0
description:
  - Returns one user of a Dataiku DSS instance (O(login)), or all of them.
  - With O(login), the user's full definition; without, every user as the user list gives it (login, display
    name, e-mail, groups, profile, source type, enabled).
  - Never returns a password, a secret value or a credential password.
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
  login:
    description:
      - Return only this user. A login no user has gives an empty list (not a failure).
    type: str
seealso:
  - module: dataops.iam.dss_user
notes:
  - The API key's user must be a DSS administrator.
"""

EXAMPLES = r"""
- name: Read every DSS user
  dataops.iam.dss_user_info:
    dss_url: https://dss.example.com:11200
    api_key: "{{ lookup('ansible.builtin.env', 'DKU_API_KEY') }}"
  register: dss

- name: Logins of the disabled users
  ansible.builtin.debug:
    msg: "{{ dss.users | rejectattr('enabled') | map(attribute='login') | list }}"

- name: One user, with its properties
  dataops.iam.dss_user_info:
    login: jdoe
  register: jdoe
"""

RETURN = r"""
users:
  description: The users, in the API's format, sorted by login.
  returned: always
  type: list
  elements: dict
  sample:
    - login: jdoe
      displayName: Jane Doe
      email: jane.doe@example.com
      groups: [data_team, readers]
      userProfile: DATA_SCIENTIST
      sourceType: LOCAL
      enabled: true
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import public_user


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, found before any call."""
    login = params.get("login")
    problem = name_problem("login", login) if login is not None else None
    return [problem] if problem else []


def run(module: Any, client: Any) -> dict:
    login = module.params["login"]
    if login is None:
        users = client.list_users()
    else:
        user = client.get_user(login)
        users = [user] if user is not None else []
    users = sorted((public_user(user) for user in users), key=lambda user: user.get("login", ""))
    return dict(changed=False, users=users)


MODULE = DssModule(
    dict(login=dict(type="str")),
    run,
    doing="Reading DSS users",
    problems=input_problems,
    invalid="Invalid DSS login",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
