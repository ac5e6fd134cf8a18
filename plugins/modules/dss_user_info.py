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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import dss_argument_spec, dss_client
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import public_user
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import (
    fail_api_error,
    require_libraries,
    run_main,
)


def main() -> None:
    run_main(_main)


def _main() -> None:
    spec = dss_argument_spec()
    spec.update(login=dict(type="str"))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    require_libraries(module)
    login = module.params["login"]
    if login is not None:
        problem = name_problem("login", login)
        if problem:
            module.fail_json(msg="Invalid DSS login: %s" % problem)
    client = dss_client(module)
    try:
        if login is None:
            users = client.list_users()
        else:
            user = client.get_user(login)
            users = [user] if user is not None else []
    except ApiError as exc:
        fail_api_error(module, exc, "Reading DSS users")
    finally:
        client.close()
    users = sorted((public_user(user) for user in users), key=lambda user: user.get("login", ""))
    module.exit_json(changed=False, users=users)


if __name__ == "__main__":
    main()
