#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: session
short_description: Create or revoke CDF sessions
version_added: 0.1.0
description:
  - With O(state=present), creates a session of a Cognite Data Fusion project from O(client_credentials)
    or by O(token_exchange), and returns it with its nonce. A consumer (a Postgres-gateway user, a function
    schedule, a transformation) binds the nonce within about a minute, and then acts with the session's
    identity until the session is revoked.
  - Creating a session is B(always a change). CDF cannot find an earlier session by what it was made from, and a
    nonce is returned only once, so every run makes a new session. Create sessions right before the task that
    consumes the nonce, and revoke the ones you no longer need. M(dataops.iam.pg_user) makes its own session
    when it needs one.
  - "The returned RV(session.nonce) is a secret (whoever has it can bind the session). The result of a run that
    created a session is hidden from the output at every verbosity, as C(no_log: true) would hide it (only
    C(changed) and warnings show), and the registered variable holds all of it, nonce included, for the task that
    consumes it. No C(no_log) is needed: every other result - a failure with its message, check mode, a revoke -
    is shown in full. Pass the nonce on only through the registered variable, never through C(debug). The client
    secret of O(client_credentials) is never logged."
  - With O(state=absent), revokes the sessions with the ids O(id). A session that is already revoked, expired
    or cancelled is no change. CDF can take up to an hour to enforce a revocation everywhere.
  - Needs C(sessionsAcl:CREATE) to create; C(sessionsAcl:LIST) and C(sessionsAcl:DELETE) to revoke.
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
    details: In check mode no session is created (so there is no id and no nonce) and none is revoked.
  diff_mode:
    support: full
options:
  state:
    description:
      - V(present) creates a new session; V(absent) revokes the sessions O(id).
    type: str
    choices: [present, absent]
    default: present
  client_credentials:
    description:
      - The OAuth2 client whose identity the session carries, for O(state=present).
      - This can be another client than the one the module authenticates with (the connection options).
      - Mutually exclusive with O(token_exchange).
    type: dict
    suboptions:
      client_id:
        description: The client id.
        type: str
        required: true
      client_secret:
        description: The client secret. Never logged.
        type: str
        required: true
  token_exchange:
    description:
      - If V(true), the session carries the identity of the caller's own token (token exchange), for O(state=present).
      - Mutually exclusive with O(client_credentials).
    type: bool
    default: false
  id:
    description:
      - The id, or a list of ids, of the sessions to revoke, for O(state=absent).
      - An id that is not a session of the project fails the task before anything is revoked.
      - An empty list revokes nothing and is no change, without any call (for example when a filter found no
        sessions to revoke on a second run); RV(sessions) and RV(revoked_ids) are then empty. Leaving O(id) out
        with O(state=absent) fails the task.
    type: list
    elements: int
    aliases: [ids]
seealso:
  - module: dataops.iam.session_info
  - module: dataops.iam.pg_user
"""

EXAMPLES = r"""
- name: Sessions for jobs that act as a service principal
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
    - name: A session for the scheduler's service principal (its result, with the nonce, is hidden from the output)
      dataops.iam.session:
        client_credentials:
          client_id: "{{ scheduler_client_id }}"
          client_secret: "{{ scheduler_client_secret }}"  # from Ansible Vault
      register: scheduler_session

    - name: Show the session id (not the nonce)
      ansible.builtin.debug:
        msg: "session {{ scheduler_session.session.id }} is {{ scheduler_session.session.status }}"

    - name: A session with the caller's own identity
      dataops.iam.session:
        token_exchange: true
      register: own_session

    - name: Revoke sessions that are no longer needed
      dataops.iam.session:
        state: absent
        id:
          - 4503599627370497
          - "{{ scheduler_session.session.id }}"
"""

RETURN = r"""
session:
  description:
    - The session just created, with its nonce. In check mode, the session that would be created, without
      id or nonce.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The session id.
      type: int
      sample: 4503599627370497
    status:
      description: The session's status, V(READY) until a consumer binds the nonce.
      type: str
      sample: READY
    nonce:
      description:
        - The nonce a consumer binds, valid about a minute. A secret - the result that carries it is hidden from the
          output; use it through the registered variable.
      type: str
      sample: "<secret>"
    type:
      description: How the session was made, V(CLIENT_CREDENTIALS) or V(TOKEN_EXCHANGE).
      type: str
      sample: CLIENT_CREDENTIALS
    clientId:
      description: The client id, for a client credentials session.
      type: str
      sample: scheduler
sessions:
  description:
    - The sessions O(id) as they now stand (in check mode, as they would), without nonces.
  returned: when O(state=absent)
  type: list
  elements: dict
  sample:
    - id: 4503599627370497
      type: CLIENT_CREDENTIALS
      status: REVOKED
      clientId: scheduler
revoked_ids:
  description: The ids of the sessions this task revoked (in check mode, would revoke).
  returned: when O(state=absent)
  type: list
  elements: int
  sample: [4503599627370497]
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_validation import ID_RANGE, id_problem
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.session_state import CreateTask, RevokeTask

CLIENT_CREDENTIALS_SPEC = dict(
    client_id=dict(type="str", required=True),
    client_secret=dict(type="str", required=True, no_log=True),
)


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call."""
    problems = []
    if params["state"] == "present":
        if not params["client_credentials"] and not params["token_exchange"]:
            problems.append("state=present needs client_credentials (client_id, client_secret) or token_exchange: true")
        if params["client_credentials"] and params["token_exchange"]:
            problems.append("client_credentials and token_exchange: true are mutually exclusive: set one")
        if params["id"]:
            problems.append("id is for state=absent (the sessions to revoke); CDF gives a new session its id")
        credentials = params["client_credentials"] or {}
        if any(not (credentials.get(key) or "").strip() for key in credentials):
            problems.append("client_credentials.client_id and client_secret must not be empty")
    else:
        if params["id"] is None:  # an empty list is a valid request to revoke nothing
            problems.append("state=absent needs id: the id, or a list of ids, of the sessions to revoke")
        if params["client_credentials"] or params["token_exchange"]:
            problems.append("client_credentials and token_exchange are for state=present")
        # The range of every CDF id; cognite-sdk's sessions.revoke checks it too (IdentifierSequence.load).
        problems.extend("id %d is not a session id (%s)" % (i, ID_RANGE) for i in params["id"] or [] if id_problem(i))
    return problems


def run(module: Any, client: Any) -> dict:
    task = CreateTask if module.params["state"] == "present" else RevokeTask
    return task(module, client).run()


def doing(params: dict) -> str:
    return "Creating a session" if params["state"] == "present" else "Revoking sessions %s" % params["id"]


MODULE = CdfModule(
    dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        client_credentials=dict(type="dict", options=CLIENT_CREDENTIALS_SPEC),
        token_exchange=dict(type="bool", default=False),
        id=dict(type="list", elements="int", aliases=["ids"]),
    ),
    run,
    doing=doing,
    problems=input_problems,
    invalid="Invalid session task",
    pydantic=True,
    secret_result="session.nonce",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
