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
  - A create or delete that the token's inspection shows the credentials cannot make (no C(securityCategoriesAcl:CREATE)
    in scope C(all), or no C(DELETE) in scope C(all) or in an C(idscope) naming the category) fails before any write,
    also in check mode, naming the capability. When inspection cannot be read, the write is sent and the API decides.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.cdf
  - dataops.iam.transport
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

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import (
    PAGE_SIZE,
    category_view,
    create_category,
    delete_category,
    find_category,
    page_size_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.write_rights import category_needs, refuse_unwritable
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import text_problem
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, found before any call."""
    return [problem for problem in [text_problem("name", params["name"]), page_size_problem(params["page_size"])] if problem]


class CategoryTask(ObjectTask):
    """A security category by name: created or deleted (a category has nothing else to change)."""

    key = "security_category"

    def find(self) -> Optional[dict]:
        return find_category(self.client, self.params["name"], self.params["page_size"])

    def desired(self, current: Optional[dict]) -> dict:
        return {"name": self.params["name"]}

    def create(self, desired: dict) -> dict:
        return create_category(self.client, desired["name"])

    def delete(self, current: dict) -> None:
        delete_category(self.client, current["id"])

    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """Refuse, before any write (in check mode too), a create or delete the caller's capabilities do not allow, as
        token inspection shows them (write_rights.py)."""
        name = self.params["name"]
        if current is None:
            refuse_unwritable(self.client, "create security category %r" % name, category_needs(True))
        else:
            refuse_unwritable(self.client, "delete security category %r" % name, category_needs(False, [current["id"]]))

    def view(self, obj: dict) -> dict:
        return category_view(obj)


def run(module: Any, client: Any) -> dict:
    return CategoryTask(module, client).run()


MODULE = CdfModule(
    dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        page_size=dict(type="int", default=PAGE_SIZE),
    ),
    run,
    doing="Managing security category {name!r}",
    problems=input_problems,
    invalid="Invalid security category {name!r}",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
