#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pg_user_info
short_description: List CDF Postgres-gateway users
version_added: 0.1.0
description:
  - Returns the Postgres-gateway users of a Cognite Data Fusion project - all of them, those named in O(usernames),
    or those whose session was made with the client O(session_client_id).
  - Gateway users carry no name or label; the session behind each user's C(sessionId) (and its client id) is the
    only link to who made it. Set O(include_sessions=true) to return that session with each user.
  - Passwords are never returned (the gateway shows a password only when it creates the user).
  - Needs C(postgresGatewayAcl:READ); C(sessionsAcl:LIST) too with O(include_sessions) or O(session_client_id).
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
  usernames:
    description:
      - Return only the users with these usernames. Usernames that do not exist are left out; an empty one is an error.
    type: list
    elements: str
  session_client_id:
    description:
      - Return only the users whose session was made with this OAuth2 client id (client credentials sessions).
    type: str
  include_sessions:
    description:
      - If V(true), each user comes with its session (RV(pg_users[].session)), read by id.
      - Implied by O(session_client_id).
    type: bool
    default: false
seealso:
  - module: dataops.iam.pg_user
  - module: dataops.iam.session_info
"""

EXAMPLES = r"""
- name: Every gateway user, with the session (and client) behind it
  dataops.iam.pg_user_info:
    include_sessions: true
  register: gateway

- name: Users whose session is no longer usable
  ansible.builtin.debug:
    msg: >-
      {{ gateway.pg_users | rejectattr('session', 'none') | selectattr('session.status', 'in', ['REVOKED', 'EXPIRED'])
         | map(attribute='username') | list }}

- name: The users of the Power BI service principal
  dataops.iam.pg_user_info:
    session_client_id: "{{ powerbi_client_id }}"
  register: powerbi_users
"""

RETURN = r"""
pg_users:
  description: The users, in the API's format (no passwords), in the API's order.
  returned: always
  type: list
  elements: dict
  contains:
    username:
      description: The username.
      type: str
      sample: pgu_0123456789ab
    sessionId:
      description: The id of the session the user acts with.
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
    session:
      description: The user's session (id, type, status, clientId), or null if it cannot be found.
      type: dict
      returned: with O(include_sessions) or O(session_client_id)
      sample:
        id: 4503599627370497
        type: CLIENT_CREDENTIALS
        status: ACTIVE
        clientId: powerbi
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.pg_users import list_users, users_by_names, with_sessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import session_view
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import text_problem


def input_problems(params: dict) -> list:
    """An empty or malformed name in ``usernames`` fails before any call (an empty list asks for no user)."""
    names = params["usernames"] or []
    found = [text_problem("usernames[%d]" % index, name) for index, name in enumerate(names)]
    return [problem for problem in found if problem]


def read_users(client: Any, params: dict) -> list:
    """The users the options ask for, with their sessions when asked."""
    users = users_by_names(client, params["usernames"]) if params["usernames"] is not None else list_users(client)
    client_id = params["session_client_id"]
    if not (params["include_sessions"] or client_id):
        return users
    paired = with_sessions(client, users)
    if client_id:
        paired = [(user, session) for user, session in paired if session and session.get("clientId") == client_id]
    return [dict(user, session=session_view(session) if session else None) for user, session in paired]


def run(module: Any, client: Any) -> dict:
    return dict(changed=False, pg_users=read_users(client, module.params))


MODULE = CdfModule(
    dict(
        usernames=dict(type="list", elements="str"),
        session_client_id=dict(type="str"),
        include_sessions=dict(type="bool", default=False),
    ),
    run,
    doing="Reading Postgres-gateway users",
    problems=input_problems,
    pydantic=True,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
