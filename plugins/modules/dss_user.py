#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_user
short_description: Manage a Dataiku DSS user
version_added: 0.1.0
description:
  - Creates, updates or deletes a user of a Dataiku DSS instance, identified by its O(login).
  - Only the options the task sets are compared and written. Every other field of the user's definition
    (preferences, secrets, credentials, fields newer than this module) is sent back exactly as DSS returned it.
  - Fails before any write when the task names a group that does not exist (create groups with
    M(dataops.iam.dss_group) first), a user profile the licence does not offer, or an invalid login.
  - The password is write-only in DSS, so it cannot be compared. With O(update_password=on_create) it is
    sent only when the user is created, and a re-run reports no change for it. It never appears in the
    result or the diff. When it is sent, the diff shows the key C(password) with the placeholder "(set)" (on creation) or "(changed)".
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.dss
  - dataops.iam.transport
  - dataops.iam.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  action_group:
    membership:
      - dataops.iam.dss
options:
  login:
    description:
      - Login of the user. It identifies the user across runs.
      - Letters, digits and C(. _ - @) only, as DSS allows.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) makes the user exist with the given fields; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  display_name:
    description:
      - Name shown in DSS. A new user without it gets its login as display name.
      - If not set, an existing user keeps its own and it is not compared.
    type: str
  email:
    description:
      - E-mail address of the user. V("") removes it.
      - If not set, an existing user keeps its own and it is not compared.
    type: str
  enabled:
    description:
      - Whether the user can log in. A disabled user keeps its settings and groups.
      - A new user is enabled unless this is V(false) (DSS takes it in a second call after the creation).
      - If not set, an existing user keeps its state and it is not compared.
    type: bool
  groups:
    description:
      - Names of the DSS groups of the user. Each must exist; see O(append_groups).
      - Order and duplicates do not matter.
      - If not set, an existing user keeps its groups and they are not compared; a new user gets none.
    type: list
    elements: str
  append_groups:
    description:
      - V(false) (the default) makes O(groups) the user's exact list of groups. The user is taken out of every group
        that O(groups) does not list.
      - V(true) adds the user to O(groups) and takes it out of no group (its other groups stay).
    type: bool
    default: false
  user_profile:
    description:
      - The user's profile (licence seat), for example V(DESIGNER), V(DATA_SCIENTIST), V(READER) or V(AI_CONSUMER).
      - The values depend on the licence. The task fails before any write when the licence
        (C(/admin/licensing/status)) does not offer this profile.
      - A new user without it gets the licence's first profile, as the DSS user interface does.
      - If not set, an existing user keeps its profile and it is not compared.
    type: str
  source_type:
    description:
      - Where the user authenticates, for a new user. V(LOCAL) (the default for a new user) has a DSS password;
        V(LDAP), V(LOCAL_NO_AUTH) (single sign-on), V(AZURE_AD), V(CUSTOM), V(PAM) and V(SAAS) do not.
      - On an existing user it is compared, and a different value fails the task. This module does not move
        a user to another user source (delete and re-create the user for that).
    type: str
    choices: [LOCAL, LDAP, LOCAL_NO_AUTH, AZURE_AD, CUSTOM, PAM, SAAS]
  password:
    description:
      - Password of a V(LOCAL) user. Required to create a V(LOCAL) user. Never logged, never returned.
      - When it is sent depends on O(update_password).
      - "In a loop, never put the password in the loop items. Ansible prints every item: in the item's status line
        (unless C(loop_control.label) says what to show there), and in the item's printed result, which
        C(loop_control.label) does not change: with C(-v), and for a failed item at any verbosity. Let the item
        carry the login and look the password up by it, for example
        C(password: \"{{ vault_dss_passwords[item.login] }}\") from a vaulted dictionary (as the examples of
        M(dataops.iam.dss_user) do)."
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the user is created. DSS never returns a password, so
        this is the only choice that makes a re-run report no change.
      - V(always) sends O(password) on every run, which therefore always reports a change; use it for a
        rotation, not in a playbook that must be idempotent.
    type: str
    choices: [on_create, always]
    default: on_create
  user_properties:
    description:
      - Properties of the user (visible to the user too). Values are strings.
      - With O(properties_mode=merge) (the default) they are merged key by key into the existing ones (keys not named
        are kept, a key whose value is null, V(~) in YAML, is removed); with O(properties_mode=exact) they become the
        user's only properties (keys not named are removed; V({}) removes them all).
      - If not set, the properties are not compared, whatever O(properties_mode) says.
    type: dict
  admin_properties:
    description:
      - Admin properties of the user (visible to administrators only), merged or replaced as O(user_properties),
        by O(properties_mode).
      - If not set, the admin properties are not compared.
    type: dict
  properties_mode:
    description:
      - How O(user_properties) and O(admin_properties) apply. V(merge) changes only the keys they name; V(exact)
        makes them the user's whole set of properties, removing every key they do not name.
      - Properties are plain strings that DSS shows to the user or to administrators; secrets (C(secrets)) and
        connection credentials are other fields, never changed or shown by this module.
    type: str
    choices: [merge, exact]
    default: merge
  allow_self_deletion:
    description:
      - With O(state=absent), whether the task may delete the user the API key belongs to.
      - V(false) makes the task fail, before any write, when O(login) is the API key's own user.
    type: bool
    default: false
  allow_self_lockout:
    description:
      - Whether the task may take away the access of the API key it runs with, by changing the key's own user.
      - V(false) makes the task fail, before any write, when O(login) is the API key's own user and the task
        would disable it (O(enabled=false)) or change its O(groups) so that none of them is an admin group;
        managing users and groups needs an enabled administrator.
      - Deleting the key's own user is governed by O(allow_self_deletion).
    type: bool
    default: false
seealso:
  - module: dataops.iam.dss_group
  - module: dataops.iam.dss_user_info
notes:
  - The API key's user must be a DSS administrator.
"""

EXAMPLES = r"""
- name: Manage DSS users
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    # The team as a list without secrets: Ansible prints loop items (with -v, and for a failed item always)
    readers:
      - {login: ana.lopez, name: Ana Lopez}
      - {login: tom.berg, name: Tom Berg}
  module_defaults:
    group/dataops.iam.dss:
      dss_url: https://dss.example.com:11200
      api_key: "{{ lookup('ansible.builtin.env', 'DKU_API_KEY') }}"
  tasks:
    - name: A data scientist, in exactly two groups
      dataops.iam.dss_user:
        login: jdoe
        display_name: Jane Doe
        email: jane.doe@example.com
        user_profile: DATA_SCIENTIST
        groups: [data_team, readers]
        password: "{{ vault_jdoe_initial_password }}"
        user_properties:
          team: forecasting

    - name: One user per item; the password is looked up by login in a vaulted dict, never carried by the item
      dataops.iam.dss_user:
        login: "{{ item.login }}"
        display_name: "{{ item.name }}"
        groups: [readers]
        password: "{{ vault_dss_passwords[item.login] }}"
      loop: "{{ readers }}"
      loop_control:
        label: "{{ item.login }}"

    - name: Add a group without removing the others
      dataops.iam.dss_user:
        login: jdoe
        groups: [project_x]
        append_groups: true

    - name: An LDAP user, disabled; remove one admin property
      dataops.iam.dss_user:
        login: old.contractor
        source_type: LDAP
        enabled: false
        admin_properties:
          contract_end: ~

    - name: Remove a user
      dataops.iam.dss_user:
        login: leaver
        state: absent
"""

RETURN = r"""
user:
  description:
    - The user's definition as it now stands, in the API's format. Null after O(state=absent).
    - In check mode, the definition as it would be.
    - Never contains the password, secret values or credential passwords.
  returned: always
  type: dict
  sample:
    login: jdoe
    displayName: Jane Doe
    email: jane.doe@example.com
    sourceType: LOCAL
    userProfile: DATA_SCIENTIST
    enabled: true
    groups: [data_team, readers]
    userProperties:
      team: forecasting
    adminProperties: {}
    secrets: []
    credentials: {}
    creationDate: 1767225600000
password_sent:
  description: Whether the task sent the password (in check mode, would send it).
  returned: always
  type: bool
  sample: false
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import USER_OPTIONS, UserTask, input_problems


def run(module: Any, client: Any) -> dict:
    return UserTask(module, client).run()


MODULE = DssModule(
    dict(USER_OPTIONS),
    run,
    doing="Managing DSS user {login!r}",
    problems=input_problems,
    invalid="Invalid DSS user {login!r}",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
