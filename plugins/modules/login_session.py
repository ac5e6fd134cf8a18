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
  - The auth API options authenticate the call (doc fragment C(dataops.iam.auth_api)) - a token issued by the auth
    API, or a Cognite service account's client credentials; the project's IdP credentials are refused there.
  - Find the principal id from an email with M(dataops.iam.principal_info).
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.auth_api
  - dataops.iam.transport
  - dataops.iam.attributes
attributes:
  action_group:
    membership:
      - dataops.iam.auth_api
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
  page_size:
    description:
      - How many sessions to ask for per request while reading them, from 1 to 1000.
    type: int
    default: 1000
notes:
  - Each call of up to 10 sessions is atomic. If a later call fails, the failure lists in RV(revoked_ids) the
    sessions already revoked; run the task again to finish.
seealso:
  - module: dataops.iam.principal_info
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

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import AuthApiModule
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_session_state import RevokeTask, revoking
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import MAX_PAGE_SIZE, target_problems


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call. An empty ``ids`` list is set: it revokes
    nothing (it must never mean "every active session")."""
    problems = target_problems(params["org"], params["principal"], params["page_size"])
    if params["ids"] is not None and params["all_active"]:
        problems.append("ids and all_active: true are mutually exclusive: set one")
    elif params["ids"] is None and not params["all_active"]:
        problems.append("set ids (the sessions to revoke) or all_active: true (every active session)")
    if any(not i.strip() for i in params["ids"] or []):
        problems.append("ids must not contain empty ids")
    return problems


def run(module: Any, client: Any) -> dict:
    return RevokeTask(module, client).run()


MODULE = AuthApiModule(
    dict(
        state=dict(type="str", choices=["revoked"], default="revoked"),
        principal=dict(type="str", required=True),
        ids=dict(type="list", elements="str"),
        all_active=dict(type="bool", default=False),
        page_size=dict(type="int", default=MAX_PAGE_SIZE),
    ),
    run,
    doing=revoking,
    problems=input_problems,
    invalid="Invalid options",
    pydantic=True,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
