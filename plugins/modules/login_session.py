#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: login_session
short_description: Revoke the login sessions of a user of a Cognite organization
version_added: 0.1.0
description:
  - Revokes login sessions of one principal (a user) of a Cognite organization on Cognite's auth API - those
    with the ids O(ids), or every active one with O(all_active=true). This is the off-boarding step when someone
    leaves - it signs them out everywhere.
  - Idempotent - a session that is already revoked, logged out or expired is no change. The module reads the
    principal's sessions first, and sends only the active ones, at most 10 per call.
  - In check mode nothing is revoked, and RV(revoked_ids) lists what would be.
  - The caller must be an admin of the organization O(org). Service accounts have no login sessions.
  - The connection options authenticate the call as for every CDF module; O(project) is not used.
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
  state:
    description:
      - V(revoked) - the sessions end up revoked (or already ended).
    type: str
    choices: [revoked]
    default: revoked
  org:
    description:
      - The organization id, for example V(my-company). Checked against C(^[a-z][a-z0-9-]{1,62}[a-z0-9]$) before any call.
    type: str
    required: true
  principal:
    description:
      - The principal id of the user whose sessions to revoke.
    type: str
    required: true
  ids:
    description:
      - The ids of the login sessions to revoke. Ids that are not sessions of the principal fail the task before
        anything is revoked.
      - An empty list revokes nothing and is no change, without any call to the auth API (for example when a filter
        found no sessions to revoke on a second run); RV(revoked_ids) and RV(login_sessions) are then empty.
      - Mutually exclusive with O(all_active); one of them is required (an empty list counts as set).
    type: list
    elements: str
  all_active:
    description:
      - If V(true), revoke every active login session of the principal.
      - Mutually exclusive with O(ids); one of them is required.
    type: bool
    default: false
  auth_url:
    description:
      - Base URL of Cognite's auth API.
    type: str
    default: https://auth.cognite.com
  page_size:
    description:
      - How many sessions to ask for per request while reading them, from 1 to 1000.
    type: int
    default: 1000
notes:
  - Each call of up to 10 sessions is atomic. If a later call fails, the failure lists in RV(revoked_ids) the
    sessions already revoked; run the task again to finish.
seealso:
  - module: dataops.iam.login_session_info
  - module: dataops.iam.group
"""

EXAMPLES = r"""
- name: Off-boarding - sign Alice out everywhere
  dataops.iam.login_session:
    org: my-company
    principal: 5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69
    all_active: true
  register: signed_out

- name: Report
  ansible.builtin.debug:
    msg: "revoked {{ signed_out.revoked_ids | length }} sessions"

- name: Revoke two sessions
  dataops.iam.login_session:
    org: my-company
    principal: 5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69
    ids:
      - 0f8e2d6c-3b1a-4c5d-8e9f-a0b1c2d3e4f5
      - 1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d
"""

RETURN = r"""
revoked_ids:
  description: The ids of the sessions this task revoked (in check mode, would revoke).
  returned: always
  type: list
  elements: str
  sample: [0f8e2d6c-3b1a-4c5d-8e9f-a0b1c2d3e4f5]
login_sessions:
  description:
    - The sessions the task was about (O(ids), or the active ones), with the status they now have (in check mode,
      would have).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0f8e2d6c-3b1a-4c5d-8e9f-a0b1c2d3e4f5
      createdTime: 1735689600000
      status: REVOKED
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import cdf_argument_spec, cdf_client
from ansible_collections.dataops.iam.plugins.module_utils.cdf.login_session_state import RevokeTask, UnknownLoginSessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf.login_sessions import (
    DEFAULT_AUTH_URL,
    MAX_PAGE_SIZE,
    LoginSessions,
    target_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import fail_api_error, require_libraries


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call. An empty ``ids`` list is set: it revokes
    nothing (it must never mean "every active session")."""
    problems = target_problems(params["org"], params["principal"], params["auth_url"], params["page_size"])
    if params["ids"] is not None and params["all_active"]:
        problems.append("ids and all_active: true are mutually exclusive: set one")
    elif params["ids"] is None and not params["all_active"]:
        problems.append("set ids (the sessions to revoke) or all_active: true (every active session)")
    if any(not i.strip() for i in params["ids"] or []):
        problems.append("ids must not contain empty ids")
    return problems


def main() -> None:
    spec = cdf_argument_spec()
    spec.update(
        state=dict(type="str", choices=["revoked"], default="revoked"),
        org=dict(type="str", required=True),
        principal=dict(type="str", required=True),
        ids=dict(type="list", elements="str"),
        all_active=dict(type="bool", default=False),
        auth_url=dict(type="str", default=DEFAULT_AUTH_URL),
        page_size=dict(type="int", default=MAX_PAGE_SIZE),
    )
    module = AnsibleModule(argument_spec=spec, mutually_exclusive=[("base_url", "cluster")], supports_check_mode=True)
    require_libraries(module, pydantic=True)
    params = module.params
    problems = input_problems(params)
    if problems:
        module.fail_json(msg="Invalid options: %s" % "; ".join(problems))

    client = cdf_client(module, require_project=False)
    api = LoginSessions(client, params["auth_url"], params["org"], params["principal"])
    task = RevokeTask(api, module.check_mode, params["page_size"])
    who = "%r in organization %r" % (params["principal"], params["org"])
    try:
        outcome = task.run(params["ids"])
    except UnknownLoginSessions as exc:
        module.fail_json(msg="Revoking login sessions of %s failed: %s; nothing was revoked." % (who, exc),
                         unknown_ids=exc.ids, changed=False, revoked_ids=[])
    except ApiError as exc:
        fail_api_error(module, exc, "Revoking login sessions of %s" % who, **task.partial_result())
    finally:
        client.close()
    module.exit_json(**outcome.result("login_sessions", with_diff=module._diff))


if __name__ == "__main__":
    main()
