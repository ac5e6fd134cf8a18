#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: principal_info
short_description: Find the principals (users and service accounts) of a Cognite organization
version_added: 0.1.0
description:
  - Lists the principals of a Cognite organization from the Principals API of Cognite's auth API
    (C(GET {auth_url}/api/v1/orgs/{org}/principals)), reading every page, and finds one by O(email) or O(name).
  - The principal id it returns is what M(dataops.iam.login_session) and M(dataops.iam.login_session_info) take,
    so that signing someone out everywhere needs only their email. A user profile's C(userIdentifier) is a
    different id.
  - The auth API options authenticate the call (doc fragment C(dataops.iam.auth_api)); the project's IdP
    credentials are refused there.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.auth_api
  - dataops.iam.transport
  - dataops.iam.attributes
  - dataops.iam.attributes.INFO_MODULE
attributes:
  action_group:
    membership:
      - dataops.iam.auth_api
options:
  email:
    description:
      - Return the principals with this email, compared without regard to case and surrounding spaces.
      - Mutually exclusive with O(name).
    type: str
  name:
    description:
      - Return the principals with exactly this name (for a user, the full name; for a service account, its name).
      - Mutually exclusive with O(email).
    type: str
  types:
    description:
      - Return only principals of these types (the API filters).
    type: list
    elements: str
    choices: [USER, SERVICE_ACCOUNT]
  page_size:
    description:
      - How many principals to ask for per request, from 1 to 100. Every page is read whatever the size.
    type: int
    default: 100
notes:
  - The caller must belong to the organization (or be an admin of an ancestor organization), as the API
    reference of C(List principals) says.
  - An email can change; the principal id does not. Use the email to find a person, the id for everything else.
seealso:
  - module: dataops.iam.login_session
  - module: dataops.iam.login_session_info
"""

EXAMPLES = r"""
- name: Off-boarding - sign a leaver out everywhere, from their email
  module_defaults:
    group/dataops.iam.auth_api:
      org: my-company
      auth_client_id: "{{ lookup('ansible.builtin.env', 'COGNITE_AUTH_CLIENT_ID') }}"
      auth_client_secret: "{{ lookup('ansible.builtin.env', 'COGNITE_AUTH_CLIENT_SECRET') }}"
  block:
    - name: Find the principal
      dataops.iam.principal_info:
        email: alice.andersen@example.com
      register: leaver

    - name: Revoke every active login session
      dataops.iam.login_session:
        principal: "{{ leaver.principal.id }}"
        all_active: true
"""

RETURN = r"""
principals:
  description: The principals found (those with O(email) or O(name) when set), in the API's format and order.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69
      type: USER
      name: Alice Andersen
      email: alice.andersen@example.com
      givenName: Alice
      familyName: Andersen
      pictureUrl: ""
principal:
  description:
    - The one principal found, when O(email) or O(name) is set and exactly one principal matches; else V(null)
      (none found, several found, or neither option set).
  returned: always
  type: dict
  sample:
    id: 5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69
    type: USER
    name: Alice Andersen
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import AuthApiModule
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.principals import (
    MAX_PAGE_SIZE,
    TYPES,
    Principals,
    matching,
)


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, before any call."""
    problems = []
    if not 1 <= params["page_size"] <= MAX_PAGE_SIZE:
        problems.append("page_size must be between 1 and %d, got %d" % (MAX_PAGE_SIZE, params["page_size"]))
    for option in ("email", "name"):
        if params[option] is not None and not params[option].strip():
            problems.append("%s must not be empty" % option)
    return problems


def run(module: Any, client: Any) -> dict:
    params = module.params
    everyone = Principals(client, params["org"]).list(params["types"], params["page_size"])
    found = matching(everyone, params["email"], params["name"])
    searched = params["email"] is not None or params["name"] is not None
    return dict(changed=False, principals=found, principal=found[0] if searched and len(found) == 1 else None)


MODULE = AuthApiModule(
    dict(
        email=dict(type="str"),
        name=dict(type="str"),
        types=dict(type="list", elements="str", choices=list(TYPES)),
        page_size=dict(type="int", default=MAX_PAGE_SIZE),
    ),
    run,
    doing="Listing the principals of organization {org!r}",
    problems=input_problems,
    invalid="Invalid options",
    mutually_exclusive=[("email", "name")],
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
