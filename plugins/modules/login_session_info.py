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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import (
    auth_api_argument_spec,
    auth_api_client,
    with_option_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (
    MAX_PAGE_SIZE,
    STATUSES,
    LoginSessions,
    target_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import (
    fail_api_error,
    require_libraries,
    run_main,
)


def main() -> None:
    run_main(_main)


def _main() -> None:
    spec = auth_api_argument_spec()
    spec.update(
        principal=dict(type="str", required=True),
        status=dict(type="str", choices=list(STATUSES)),
        page_size=dict(type="int", default=MAX_PAGE_SIZE),
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    require_libraries(module, pydantic=True)
    params = module.params
    own = target_problems(params["org"], params["principal"], params["auth_url"], params["page_size"])
    problems = with_option_problems(own, params)
    if problems:
        module.fail_json(msg="Invalid options: %s" % "; ".join(problems))
    client = auth_api_client(module)
    try:
        api = LoginSessions(client, client.base_url, params["org"], params["principal"])
        sessions = api.list(params["status"], params["page_size"])
    except ApiError as exc:
        fail_api_error(module, exc, "Listing the login sessions of %r in organization %r" % (params["principal"], params["org"]))
    finally:
        client.close()
    module.exit_json(changed=False, login_sessions=sessions)


if __name__ == "__main__":
    main()
