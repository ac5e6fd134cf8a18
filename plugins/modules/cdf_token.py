#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cdf_token
short_description: Get a CDF access token once, for the tasks that follow
version_added: 0.1.0
description:
  - Requests one access token from the identity provider with the OAuth2 client credentials (O(token_url),
    O(client_id), O(client_secret), O(scopes), O(audience)) and returns it, so that a play fetches a token once
    instead of once per task.
  - Pass the token to the other CDF tasks through C(module_defaults), next to the client credentials, as
    O(token) set to V({{ cdf_token.token | default(omit\) }}), where C(cdf_token) is what this task registered
    (see the examples). Tasks before this one (the variable is undefined) fetch their own token; the tasks after
    it send the given token, and fetch a new one with the client credentials only if the API rejects it (for
    example once it has expired).
  - A new token is always requested; O(token) is not used (it is there for C(module_defaults), where it holds the
    token of an earlier run of this task), so the task can be run again to renew the token in a long play.
  - O(project) is not needed. Without O(scopes), the scope is V(<base_url>/.default), as for every CDF module.
  - The token is a secret. A successful result is always hidden from the output and from callbacks, as with
    C(no_log) set on the task (the examples set it too, for readers of the playbook); the registered variable
    holds the token all the same. A failure shows its message.
  - Only reads, so it runs in check mode too (the nightly C(--check --diff) audit needs the token as much as
    the real run).
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
options: {}
seealso:
  - module: dataops.iam.token_info
"""

EXAMPLES = r"""
- name: Manage CDF groups with one token request for the whole play
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
      token: "{{ cdf_token.token | default(omit) }}"
  tasks:
    - name: Get a token once
      dataops.iam.cdf_token:
      register: cdf_token
      no_log: true

    - name: Every task after this one sends that token, and requests none
      dataops.iam.group:
        name: "{{ item }}"
        capabilities:
          - assetsAcl:
              actions: [READ]
              scope: {all: {}}
      loop: [analysts, engineers, operators]
"""

RETURN = r"""
token:
  description:
    - The access token, to pass as O(dataops.iam.group#module:token) (through C(module_defaults)) to the tasks that
      follow.
    - A secret. Set C(no_log) on the task.
  returned: success
  type: str
  sample: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl
expires_in:
  description:
    - Seconds until the token expires, as the identity provider said when it issued it (an hour when it did not
      say).
  returned: success
  type: int
  sample: 3599
expires_at:
  description:
    - When the token expires, in seconds since the epoch (UTC).
  returned: success
  type: int
  sample: 1767229199
"""

import time
from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule

CREDENTIALS = ("token_url", "client_id", "client_secret")


def input_problems(params: dict) -> list:
    """The client credentials the token request needs (a ``token`` option, e.g. an earlier one in module_defaults,
    is not used)."""
    missing = [name for name in CREDENTIALS if not params.get(name)]
    if not missing:
        return []
    return ["set %s (or the environment variables IDP_TOKEN_URL, IDP_CLIENT_ID, IDP_CLIENT_SECRET)" % ", ".join(missing)]


def run(module: Any, client: Any) -> dict:
    """One token request with the client credentials (a read: it runs in check mode too)."""
    token, expires_at = client.access_token()
    return dict(changed=False, token=token, expires_at=int(expires_at), expires_in=max(0, int(expires_at - time.time())))


MODULE = CdfModule(
    {},
    run,
    doing="Getting a token",
    problems=input_problems,
    invalid="cdf_token gets a token with client credentials",
    require_project=False,
    uses_token=False,
    secret_result="token",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
