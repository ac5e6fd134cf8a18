#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: security_category_info
short_description: List CDF security categories
version_added: 0.1.0
description:
  - Returns the security categories of a Cognite Data Fusion project, all of them or the one with a given name.
  - Reads every page of the list, however many categories the project has.
  - Needs C(securityCategoriesAcl:LIST).
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
      - Return only the category with this name (an empty list when there is none).
    type: str
  page_size:
    description:
      - How many categories to ask for per request while reading the list, from 1 to 1000.
      - The default reads a whole project (CDF allows at most 1000 categories) in one request; a smaller value
        makes more, smaller requests, following the API's cursors.
    type: int
    default: 1000
seealso:
  - module: dataops.iam.security_category
"""

EXAMPLES = r"""
- name: Read every security category
  dataops.iam.security_category_info:
    base_url: https://westeurope-1.cognitedata.com
    project: my-project
    token_url: https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token
    client_id: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_ID') }}"
    client_secret: "{{ lookup('ansible.builtin.env', 'IDP_CLIENT_SECRET') }}"
  register: categories

- name: Map names to ids
  ansible.builtin.set_fact:
    category_ids: "{{ categories.security_categories | items2dict(key_name='name', value_name='id') }}"

- name: Find one category by name
  dataops.iam.security_category_info:
    name: legal-confidential
  register: legal
"""

RETURN = r"""
security_categories:
  description: The categories, C({id, name}) each, sorted by name.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2000000002
      name: hr-restricted
    - id: 2000000001
      name: legal-confidential
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import (
    PAGE_SIZE,
    list_categories,
    page_size_problem,
)


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call."""
    return [problem for problem in [page_size_problem(params["page_size"])] if problem]


def run(module: Any, client: Any) -> dict:
    categories = list_categories(client, module.params["name"], module.params["page_size"])
    categories.sort(key=lambda category: (category.get("name", ""), category.get("id", 0)))
    return dict(changed=False, security_categories=categories)


MODULE = CdfModule(
    dict(name=dict(type="str"), page_size=dict(type="int", default=PAGE_SIZE)),
    run,
    doing="Listing security categories",
    problems=input_problems,
    invalid="Invalid options",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
