#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: security_category
short_description: Manage a CDF security category
version_added: 0.1.0
description:
  - Creates or deletes a security category of a Cognite Data Fusion (CDF) project, identified by its O(name).
  - A security category has nothing but a name, so it is either present or absent; there is nothing to update.
  - All pages of the project's categories are read to find the name, so projects with many categories work.
  - CDF has deprecated security categories (removal is planned for the end of 2027); prefer data sets and
    spaces for new access models.
  - Needs C(securityCategoriesAcl:LIST) to read, and C(CREATE) or C(DELETE) to change.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.cdf
  - dataops.iam.attributes
attributes:
  action_group:
    membership:
      - dataops.iam.cdf
  check_mode:
    support: full
  diff_mode:
    support: full
options:
  name:
    description:
      - Name of the security category. It identifies the category across runs (CDF keeps names unique).
    type: str
    required: true
  state:
    description:
      - V(present) makes the category exist; V(absent) deletes it. Deleting a category that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  page_size:
    description:
      - How many categories to ask for per request while reading the list, from 1 to 1000.
      - The default reads a whole project (CDF allows at most 1000 categories) in one request; a smaller value
        makes more, smaller requests, following the API's cursors.
    type: int
    default: 1000
seealso:
  - module: dataops.iam.security_category_info
  - module: dataops.iam.group
"""

EXAMPLES = r"""
- name: Security categories of a project
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/dataops.iam.cdf:
      base_url: https://westeurope-1.cognitedata.com
      project: my-project
      token_url: https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token
      client_id: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_ID') }}"
      client_secret: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_SECRET') }}"
  tasks:
    - name: Documents of the legal department are confidential
      dataops.iam.security_category:
        name: legal-confidential
      register: legal

    - name: Show its id (what a group's securityCategoriesAcl idscope takes)
      ansible.builtin.debug:
        msg: "{{ legal.security_category.id }}"

    - name: Retire a category
      dataops.iam.security_category:
        name: old-contracts
        state: absent
"""

RETURN = r"""
security_category:
  description:
    - The category as it now stands, C({id, name}). Null after O(state=absent).
    - In check mode, when the category would be created, C({name}) without an id.
  returned: always
  type: dict
  sample:
    id: 2000000001
    name: legal-confidential
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import cdf_argument_spec, cdf_client
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import (
    PAGE_SIZE,
    category_view,
    create_category,
    delete_category,
    find_category,
    page_size_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import (
    fail_api_error,
    require_libraries,
    run_main,
)
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import reconcile


def main() -> None:
    run_main(_main)


def _main() -> None:
    spec = cdf_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        page_size=dict(type="int", default=PAGE_SIZE),
    )
    module = AnsibleModule(argument_spec=spec, mutually_exclusive=[("base_url", "cluster")], supports_check_mode=True)
    require_libraries(module)
    name = module.params["name"]
    problems = [] if name.strip() else ["name must not be empty"]
    problems += [problem for problem in [page_size_problem(module.params["page_size"])] if problem]
    if problems:
        module.fail_json(msg="Invalid security category %r: %s" % (name, "; ".join(problems)))

    client = cdf_client(module)
    try:
        outcome = reconcile(
            state=module.params["state"],
            current=find_category(client, name, module.params["page_size"]),
            check_mode=module.check_mode,
            view=category_view,
            desired={"name": name},
            differs=lambda current, desired: False,
            create=lambda desired: create_category(client, desired["name"]),
            delete=lambda current: delete_category(client, current["id"]),
        )
    except ApiError as exc:
        fail_api_error(module, exc, "Managing security category %r" % name)
    finally:
        client.close()
    module.exit_json(**outcome.result("security_category", with_diff=module._diff))


if __name__ == "__main__":
    main()
