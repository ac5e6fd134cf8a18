#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: login_session_info
short_description: List the login sessions of a user of a Cognite organization
version_added: 0.1.0
description:
  - Returns the login sessions of one principal (a user) of a Cognite organization, from Cognite's auth API
    (C(GET {auth_url}/api/v1/orgs/{org}/principals/{principal}/sessions)), reading every page.
  - Use it to see where someone is signed in, and with M(dataops.iam.login_session) to sign them out everywhere.
  - The caller must be an admin of the organization O(org). Service accounts have no login sessions.
  - The auth API options authenticate the call (doc fragment C(dataops.iam.auth_api)) - a token issued by the auth
    API, or a Cognite service account's client credentials; the project's IdP credentials are refused there.
  - Find the principal id from an email with M(dataops.iam.principal_info).
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
  principal:
    description:
      - The principal id of the user whose login sessions to list.
    type: str
    required: true
  status:
    description:
      - Return only the sessions with this status (the API has no such filter; the module filters what it reads).
    type: str
    choices: [ACTIVE, LOGGED_OUT, EXPIRED, REVOKED]
  page_size:
    description:
      - How many sessions to ask for per request, from 1 to 1000. Every page is read whatever the size.
    type: int
    default: 1000
seealso:
  - module: dataops.iam.principal_info
  - module: dataops.iam.login_session
"""

EXAMPLES = r"""
- name: Where is Alice signed in?
  dataops.iam.login_session_info:
    org: my-company
    principal: 5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69
    status: ACTIVE
  register: alice

- name: Show them
  ansible.builtin.debug:
    msg: "{{ alice.login_sessions | map(attribute='id') | list }}"
"""

RETURN = r"""
login_sessions:
  description: The principal's login sessions (those with O(status) if set), newest first, in the API's format.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The session id.
      type: str
      sample: 0f8e2d6c-3b1a-4c5d-8e9f-a0b1c2d3e4f5
    createdTime:
      description: When the session began, in milliseconds since the epoch.
      type: int
      sample: 1735689600000
    status:
      description: V(ACTIVE), V(LOGGED_OUT), V(EXPIRED) or V(REVOKED).
      type: str
      sample: ACTIVE
    deactivatedTime:
      description: When the session ended, in milliseconds since the epoch.
      type: int
      returned: when the session has ended
      sample: 1735693200000
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import AuthApiModule
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (
    MAX_PAGE_SIZE,
    STATUSES,
    LoginSessions,
    target_problems,
)


def input_problems(params: dict) -> list:
    """What is wrong with the organization, principal and page size, before any call."""
    return target_problems(params["org"], params["principal"], params["page_size"])


def run(module: Any, client: Any) -> dict:
    params = module.params
    api = LoginSessions(client, client.base_url, params["org"], params["principal"])
    return dict(changed=False, login_sessions=api.list(params["status"], params["page_size"]))


MODULE = AuthApiModule(
    dict(
        principal=dict(type="str", required=True),
        status=dict(type="str", choices=list(STATUSES)),
        page_size=dict(type="int", default=MAX_PAGE_SIZE),
    ),
    run,
    doing="Listing the login sessions of {principal!r} in organization {org!r}",
    problems=input_problems,
    invalid="Invalid options",
    pydantic=True,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
