#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: session_info
short_description: Read CDF sessions, by id or as a list
version_added: 0.1.0
description:
  - Returns sessions of a Cognite Data Fusion project - those with the ids O(ids), or the list of the project's
    sessions, optionally only those with one O(status), reading as many pages as it takes.
  - Sessions are returned without nonces (CDF shows a nonce only when it creates the session).
  - Needs C(sessionsAcl:LIST).
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
  ids:
    description:
      - Return the sessions with these ids. Ids that are not sessions of the project are listed in RV(unknown_ids).
      - An empty list returns no sessions, without any call (as M(dataops.iam.session) revokes nothing for an empty
        O(dataops.iam.session#module:id)), for example when a filter of an earlier task found none. Leave O(ids) out
        to list the project's sessions.
      - Mutually exclusive with O(status) and O(limit).
    type: list
    elements: int
  status:
    description:
      - List only the sessions with this status.
    type: str
    choices: [READY, ACTIVE, CANCELLED, EXPIRED, REVOKED, ACCESS_LOST]
  limit:
    description:
      - Return at most this many sessions. If not set, every session (all pages) is returned.
    type: int
seealso:
  - module: dataops.iam.session
"""

EXAMPLES = r"""
- name: Every active session of the project
  dataops.iam.session_info:
    status: ACTIVE
  register: active

- name: Sessions of one client
  ansible.builtin.debug:
    msg: "{{ active.sessions | selectattr('clientId', 'defined') | selectattr('clientId', 'equalto', 'scheduler') | list }}"

- name: Two sessions by id
  dataops.iam.session_info:
    ids: [4503599627370497, 4503599627370498]
  register: two

- name: The 10 oldest sessions
  dataops.iam.session_info:
    limit: 10
"""

RETURN = r"""
sessions:
  description: The sessions, in the API's format (without nonce), in the API's order.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 4503599627370497
      type: CLIENT_CREDENTIALS
      status: ACTIVE
      creationTime: 1735689600000
      expirationTime: 1738281600000
      clientId: scheduler
unknown_ids:
  description: The ids of O(ids) that are not sessions of the project.
  returned: when O(ids) is set
  type: list
  elements: int
  sample: [4503599627370999]
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_validation import ID_RANGE, id_problem
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import STATUSES, list_sessions, sessions_by_ids


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call."""
    problems = []
    if params["limit"] is not None and params["limit"] < 1:
        problems.append("limit must be at least 1 (leave it out to read every session)")
    # The range of every CDF id; cognite-sdk's sessions.retrieve checks it too (IdentifierSequence.load).
    problems.extend("ids: %d is not a session id (%s)" % (i, ID_RANGE) for i in params["ids"] or [] if id_problem(i))
    return problems


def run(module: Any, client: Any) -> dict:
    params = module.params
    result: dict = {"changed": False}
    if params["ids"] is not None:  # an empty list asks for no session: no call
        result["sessions"], result["unknown_ids"] = sessions_by_ids(client, params["ids"]) if params["ids"] else ([], [])
    else:
        result["sessions"] = list_sessions(client, params["status"], params["limit"])
    return result


MODULE = CdfModule(
    dict(
        ids=dict(type="list", elements="int"),
        status=dict(type="str", choices=list(STATUSES)),
        limit=dict(type="int"),
    ),
    run,
    doing="Reading sessions",
    problems=input_problems,
    invalid="Invalid options",
    pydantic=True,
    mutually_exclusive=[("ids", "status"), ("ids", "limit")],
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
