#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pg_user
short_description: Manage a CDF Postgres-gateway user
version_added: 0.1.0
description:
  - Creates, re-credentials or deletes a user of the Postgres gateway of a Cognite Data Fusion project, the
    login that BI tools and other Postgres clients use to read and write CDF.
  - A gateway user acts with the identity of a CDF session. The gateway makes up the username and shows the
    password only once, when it creates the user.
  - "Which user the task is about (so that a re-run finds it instead of creating another) - the user named
    O(username), or, without O(username), the one user whose session was created with the client id of
    O(client_credentials) (found through the user's C(sessionId)). Several such users fail the task with their
    usernames; this module never picks one."
  - On create, the module makes a session from O(client_credentials), or binds the session of O(nonce) when it is
    given with O(client_credentials), creates the user and returns it with RV(pg_user.password) and RV(pg_user.host).
    If creating the user fails, the session made for it is revoked.
  - O(nonce) never says which user the task is about, so it does not work alone - it goes with
    O(client_credentials) (the user of that client, created on the nonce's session if there is none; make that
    session with the same client so that a re-run finds the user) or with O(username) and
    O(rotate_credentials=true) (an existing user bound to the nonce's session).
  - "The password is returned B(only) by the run that creates the user. The result of that run is hidden from the
    output at every verbosity, as C(no_log: true) would hide it (only C(changed) and warnings show); the registered
    variable holds all of it, password included. Store the password right away, for example encrypted with
    Ansible Vault (see the examples), in a task with C(no_log: true). It cannot be read again; to get a new one,
    delete the user and create it again. No C(no_log) is needed on this task: every other result - a failure
    with its message, check mode, a user found, rotated or deleted - is shown in full."
  - O(rotate_credentials=true) binds a new session to an existing user (for example when its session was
    revoked or its client secret changed). The username and password stay the same. The previous session's id is
    returned as RV(previous_session_id), and the session is revoked (O(revoke_previous_session)).
  - Needs C(postgresGatewayAcl:READ) and C(WRITE), C(sessionsAcl:CREATE) to make sessions,
    C(sessionsAcl:LIST) to find users by O(client_credentials), and C(sessionsAcl:DELETE) to revoke a deleted or
    rotated user's session (O(revoke_previous_session)).
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
    details:
      - In check mode no session is made or revoked and no user is created, changed or deleted.
      - The result has the keys and types of a real run's; what only the write would make is null (see RV(pg_user)).
  diff_mode:
    support: full
options:
  state:
    description:
      - V(present) makes the user exist; V(absent) deletes it. Deleting a user that does not exist is no change.
    type: str
    choices: [present, absent]
    default: present
  username:
    description:
      - The username of an existing user to manage (the gateway makes usernames up, so a user cannot be created
        with a chosen name).
      - If not set, O(client_credentials) identifies the user.
    type: str
  client_credentials:
    description:
      - The OAuth2 client whose identity the user acts with. A session is made from it when the user is created
        or its credentials rotated, and its client id identifies the user when O(username) is not set.
      - This can be another client than the one the module authenticates with (the connection options).
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
  nonce:
    description:
      - The nonce of a session made beforehand (with M(dataops.iam.session)), bound instead of making a session
        from O(client_credentials). Never logged.
      - Not enough on its own - set O(client_credentials) too (to create the user of that client on the nonce's
        session), or O(username) with O(rotate_credentials=true) (to bind an existing user to it). Without
        O(client_credentials) or O(username) the task fails before any call.
      - It is used only when a user is created or O(rotate_credentials=true); otherwise it is not bound.
      - To be found again by O(client_credentials), the session must have been made with that client.
    type: str
  rotate_credentials:
    description:
      - If V(true), an existing user is bound to a new session (from O(client_credentials) or O(nonce)). Always a
        change. A user that is created is bound to a new session anyway.
    type: bool
    default: false
  revoke_previous_session:
    description:
      - If V(true), deleting a user (O(state=absent)) or rotating its credentials (O(rotate_credentials=true))
        also revokes the session the user acted with, returned as RV(revoked_session_id). A session that is already
        revoked, expired or cancelled is left alone (no call), so a re-run changes nothing.
      - "Why V(true) by default: a session's nonce binds exactly one consumer, so once the user is deleted or bound
        to a new session, nothing can use the old session any more, but it stays active (for weeks) with the
        identity of the client it was made from, and a rotation is usually done because that credential is no
        longer trusted. Revoking it is what removing or re-keying a login means."
      - On a delete the session is revoked first and then the user deleted, so that a failed delete is finished by
        a re-run; a refused revoke (the caller lacks C(sessionsAcl:DELETE)) fails the task before anything is
        deleted. On a rotation the new session is bound first and then the old one revoked; if that revoke fails,
        the message names the session to revoke with M(dataops.iam.session).
      - Set V(false) to keep the session, for example when the caller may not revoke sessions (it lacks
        C(sessionsAcl:DELETE)).
    type: bool
    default: true
seealso:
  - module: dataops.iam.pg_user_info
  - module: dataops.iam.session
"""

EXAMPLES = r"""
- name: Postgres-gateway login for the BI tool
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
    - name: The gateway user of the Power BI service principal (found again by its client id)
      dataops.iam.pg_user:
        client_credentials:
          client_id: "{{ powerbi_client_id }}"
          client_secret: "{{ powerbi_client_secret }}"  # from Ansible Vault
      register: powerbi  # the result of the run that creates the user, with the password, is hidden from the output

    - name: Store the password the one time it is shown, encrypted with Ansible Vault
      ansible.builtin.command:
        argv:
          - ansible-vault
          - encrypt_string
          - --vault-password-file
          - "{{ vault_password_file }}"
          - --stdin-name
          - powerbi_pg_password
          - --output
          - "{{ playbook_dir }}/vars/powerbi_pg.yml"
        stdin: "{{ powerbi.pg_user.password }}"
        stdin_add_newline: false
      when: powerbi.pg_user.password is defined
      changed_when: true
      no_log: true

    - name: Username and host (not secret)
      ansible.builtin.debug:
        msg: "{{ powerbi.pg_user.username }}@{{ powerbi.pg_user.host | default('the gateway host') }}"

    - name: After the client secret was rotated, bind a new session to the same user (the old one is revoked)
      dataops.iam.pg_user:
        username: "{{ powerbi.pg_user.username }}"
        client_credentials:
          client_id: "{{ powerbi_client_id }}"
          client_secret: "{{ powerbi_client_secret }}"
        rotate_credentials: true
      when: rotate | default(false) | bool

    - name: Remove a user, and revoke its session
      dataops.iam.pg_user:
        username: pgu_0123456789ab
        state: absent
"""

RETURN = r"""
pg_user:
  description:
    - The user as it now stands; null after O(state=absent).
    - In check mode, what the user would be, with the same keys and types as a real run. A user that would be
      created has every key a created user has, each null (the gateway makes them); a user whose credentials
      would be rotated has RV(pg_user.sessionId) and RV(pg_user.lastUpdatedTime) null (the new session does not
      exist yet). C(--diff) names these in words.
  returned: always
  type: dict
  contains:
    username:
      description: The username (made up by the gateway).
      type: str
      sample: pgu_0123456789ab
    password:
      description:
        - The password. B(Only) when this run created the user (null in check mode). The result that carries it is
          hidden from the output; store it from the registered variable, in a task with C(no_log).
      type: str
      returned: when the user was created
      sample: "<secret>"
    host:
      description: The host name to connect to. Only when this run created the user (null in check mode).
      type: str
      returned: when the user was created
      sample: westeurope-1.postgresgateway.cogniteapp.com
    sessionId:
      description: The id of the session the user acts with (null in check mode when a new one would be bound).
      type: int
      sample: 4503599627370497
    createdTime:
      description: When the user was created, in milliseconds since the epoch.
      type: int
      sample: 1735689600000
    lastUpdatedTime:
      description: When the user was last changed, in milliseconds since the epoch.
      type: int
      sample: 1735689600000
previous_session_id:
  description: The id of the session the user acted with before its credentials were rotated (in check mode, would be).
  returned: when credentials were rotated
  type: int
  sample: 4503599627370497
revoked_session_id:
  description:
    - The id of the session this task revoked with the deleted or rotated user (O(revoke_previous_session)); in
      check mode, would revoke. Not returned when that session was already revoked, expired or cancelled.
  returned: when a session was revoked
  type: int
  sample: 4503599627370497
deleted_user:
  description:
    - The user that was deleted (in check mode, would be), with its session as it was before the task (with
      O(revoke_previous_session=false), revoke it later with M(dataops.iam.session)).
  returned: when a user was deleted
  type: dict
  sample:
    username: pgu_0123456789ab
    sessionId: 4503599627370497
    sessionStatus: ACTIVE
    sessionClientId: powerbi
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.pg_user_state import PgUserTask, subject

CLIENT_CREDENTIALS_SPEC = dict(
    client_id=dict(type="str", required=True),
    client_secret=dict(type="str", required=True, no_log=True),
)


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call."""
    problems = []
    credentials = params["client_credentials"]
    if params["username"] is not None and not params["username"].strip():
        problems.append("username must not be empty (leave it out to find the user by client_credentials)")
    if not params["username"] and not credentials:
        problems.append(
            "set username (an existing user) or client_credentials (the user of that client); a nonce does not say "
            "which user: give it with client_credentials (to create that client's user on the nonce's session) or "
            "with username and rotate_credentials: true (to bind an existing user to it)"
        )
    if credentials and any(not (credentials.get(key) or "").strip() for key in credentials):
        problems.append("client_credentials.client_id and client_secret must not be empty")
    if params["state"] == "absent":
        if params["nonce"] or params["rotate_credentials"]:
            problems.append("nonce and rotate_credentials are for state=present")
    elif params["rotate_credentials"] and not credentials and not params["nonce"]:
        problems.append("rotate_credentials needs client_credentials (a session is made from them) or a nonce")
    return problems


def run(module: Any, client: Any) -> dict:
    return PgUserTask(module, client).run()


def doing(params: dict) -> str:
    return "Managing Postgres-gateway user %s" % subject(params)


MODULE = CdfModule(
    dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        username=dict(type="str"),
        client_credentials=dict(type="dict", options=CLIENT_CREDENTIALS_SPEC),
        nonce=dict(type="str", no_log=True),
        rotate_credentials=dict(type="bool", default=False, no_log=False),
        revoke_previous_session=dict(type="bool", default=True),
    ),
    run,
    doing=doing,
    problems=input_problems,
    invalid="Invalid pg_user task",
    pydantic=True,
    secret_result="pg_user.password",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
