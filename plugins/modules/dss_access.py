#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_access
short_description: Manage the groups and users of a Dataiku DSS instance as one model
version_added: 0.1.0
description:
  - Brings the DSS groups and users of a model to the state it declares, in one task. Each entry of O(groups) takes
    the options of M(dataops.iam.dss_group), each entry of O(users) those of M(dataops.iam.dss_user), with the same
    meaning, the same comparison (only the options an entry sets are compared and written) and the same checks.
  - The whole plan is made before the first write, in check mode exactly as in a real run. The groups the model creates
    or updates are written first, then its users (who may name those groups, so a check-mode run of a new team shows
    the whole plan instead of failing on groups that do not exist yet), then the users the model does not name
    (O(purge_users)), then the groups the model deletes and, with O(purge_groups), those it does not name (a group goes
    after its users stop naming it).
  - The result's RV(plan) has one row per object with its action and the reason. The rows of a C(--check) run are
    exactly the writes the real run then makes, in that order.
  - Fails before any call when an entry is invalid (all problems at once, each starting with its entry, such as C(users[3]) and its login, and
    naming the option) or when two entries have one name; fails before any write
    when an entry asks for a change that M(dataops.iam.dss_group) or M(dataops.iam.dss_user) refuses (a group that does
    not exist, a profile the licence lacks, disabling the API key's own user, ...), naming each refused entry.
  - A type or choice error in an entry (for example an unknown O(users[].source_type)) is reported by Ansible's
    own option validation, before any call, as C(... found in users).
  - The instance is read with one listing of groups and one of users (with their settings); a re-run that changes
    nothing makes those two reads (and asks DSS who the API key is only when a guard needs it).
  - Passwords are write-only, as in M(dataops.iam.dss_user). They never appear in the result; the diff shows
    C(password) as "(set)" (a new user) or "(changed)".
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.dss
  - dataops.iam.transport
  - dataops.iam.dss_access
  - dataops.iam.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff has C(groups) and C(users), each changed object by name, rendered as the per-object modules render it.
  action_group:
    membership:
      - dataops.iam.dss
options:
  src:
    description:
      - "Path to a YAML or JSON file that holds the model, a mapping with the keys C(groups) and C(users), each as the
        option of that name takes it, on the machine the module runs on (the controller, with C(connection: local)).
        The module reads it itself and checks it as it checks the options, before any request; a large model is
        faster this way than as task options, which Ansible parses, templates and copies to its worker."
      - A relative path is relative to the directory C(ansible-playbook) runs in. Mutually exclusive with
        O(groups) and O(users).
    type: path
  purge_users:
    description:
      - What to do with the users of the instance that O(users) does not name.
      - V(false) (also V("false") or V("no")) leaves them alone; V(disable) disables them (a user already disabled is an
        C(unchanged) row); V(delete) deletes them.
      - The API key's own user is never purged (its row is C(protected), with the reason), unless
        O(allow_self_lockout=true) (for V(disable)) or O(allow_self_deletion=true) (for V(delete)). Nor is a user
        O(protect) names.
      - Needs O(users) to be set (V([]) means every user is not in the model).
    type: raw
    default: false
  purge_groups:
    description:
      - Whether to delete the groups of the instance that O(groups) does not name (after the users).
      - These are never deleted, and get a C(protected) row with the reason; the only admin group of the API key's own
        user (unless O(allow_self_lockout=true)), a group that a user of the model is in, and a group O(protect) names.
      - Needs O(groups) to be set.
    type: bool
    default: false
  protect:
    description:
      - Users and groups that a purge never touches, by login or name. An entry protects the object whose name it is,
        or whose whole name it matches as a Python regular expression (V(svc-.*) protects every name that starts
        with C(svc-)).
      - It applies to both purges (users and groups), not to the entries of the model.
      - One string is one entry, never split on its commas (V(svc-[a-z]{2,8}) is one regular expression); give a
        list for several.
    type: raw
  allow_self_lockout:
    description:
      - Whether the task may take away the administrator rights of the API key it runs with (C(allow_self_lockout) of
        M(dataops.iam.dss_user) and M(dataops.iam.dss_group), for every entry and every purge).
      - V(false) makes the task fail, before any write, when an entry would disable the key's own user, take it out of
        its last admin group, or delete or demote that group; a purge that would do it is a C(protected) row instead.
    type: bool
    default: false
  allow_self_deletion:
    description:
      - Whether the task may delete the API key's own user (an entry with O(users[].state=absent), or
        O(purge_users=delete)).
      - V(false) makes such an entry fail the task before any write, and such a purge a C(protected) row.
    type: bool
    default: false
seealso:
  - module: dataops.iam.dss_group
  - module: dataops.iam.dss_user
  - module: dataops.iam.dss_user_info
notes:
  - The API key's user must be a DSS administrator.
  - C(playbooks/dss_audit.yml) runs this module in check mode with the purges on, as an audit of an instance against a
    model file (drift and the users and groups the model does not name).
"""

EXAMPLES = r"""
- name: The analytics team on DSS, as code
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/dataops.iam.dss:
      dss_url: https://dss.example.com:11200
      api_key: "{{ lookup('ansible.builtin.env', 'DKU_API_KEY') }}"
  tasks:
    # One task for the whole model: no loop items for Ansible to print, and each password is masked as an option
    - name: Groups and users; users the model does not name are disabled, except the service accounts
      dataops.iam.dss_access:
        groups:
          - name: data_scientists
            description: Projects, Python and R code
            may_create_projects: true
            may_write_unsafe_code: true
          - name: analysts
            permissions:
              mayCreateWorkspaces: true
        users:
          - login: maria.rossi
            display_name: Maria Rossi
            email: maria.rossi@example.com
            user_profile: DESIGNER
            groups: [data_scientists]
            password: "{{ vault_initial_password }}"
          - login: ana.lopez
            groups: [analysts]
            password: "{{ vault_initial_password }}"
        purge_users: disable
        protect: [admin, "svc-.*"]
      register: team

    - name: What changed, and why
      ansible.builtin.debug:
        msg: "{{ team.plan | rejectattr('action', 'equalto', 'unchanged') | list }}"

    - name: An audit in check mode (drift, and the users and groups the model does not name)
      dataops.iam.dss_access:
        groups: "{{ dss_model.groups }}"
        users: "{{ dss_model.users }}"
        purge_users: delete
        purge_groups: true
      check_mode: true
      register: audit
"""

RETURN = r"""
plan:
  description:
    - One row per object, in the order of the writes. C(kind) is V(group) or V(user); C(action) is V(create),
      V(update), V(delete) (an entry with O(users[].state=absent) or O(groups[].state=absent)), V(purge) (not in the
      model), V(unchanged) or V(protected) (a purge that does not happen).
    - 'C(reason) says why: for V(update), the fields that differ (C(differs: display_name, permissions.mayCreateProjects));
      for V(purge), C(not in the model: disable) or C(not in the model: delete); for V(protected), the O(protect) entry
      or the guard that refuses the purge.'
    - Users and groups not in the model have rows only when a purge is on.
    - Also returned when the task fails before any write because an entry is refused (the rows planned).
  returned: always
  type: list
  elements: dict
  sample:
    - {kind: group, name: data_scientists, action: create, reason: not in DSS}
    - {kind: user, name: maria.rossi, action: update, reason: "differs: groups"}
    - {kind: user, name: admin, action: protected, reason: "protect: 'admin'"}
    - {kind: user, name: old.contractor, action: purge, reason: "not in the model: disable"}
counts:
  description: How many rows of each action (every action named, 0 when none; V(replace) is always 0 on DSS).
  returned: always
  type: dict
  sample: {create: 1, update: 1, delete: 0, purge: 1, unchanged: 3, protected: 1}
groups:
  description:
    - Every group of the instance as it now stands, in the API's format (in check mode, as it would be; a group the
      plan creates has only the fields its entry sets).
  returned: success
  type: list
  elements: dict
  sample:
    - name: data_scientists
      description: Projects, Python and R code
      sourceType: LOCAL
      admin: false
      ldapGroupNames: []
      mayCreateProjects: true
      mayWriteUnsafeCode: true
users:
  description:
    - Every user of the instance as it now stands, in the API's format (in check mode, as it would be).
    - Never contains a password, secret values or credential passwords.
  returned: success
  type: list
  elements: dict
  sample:
    - login: maria.rossi
      displayName: Maria Rossi
      email: maria.rossi@example.com
      sourceType: LOCAL
      userProfile: DESIGNER
      enabled: true
      groups: [data_scientists]
      userProperties: {}
      adminProperties: {}
done:
  description: When a call failed midway, the rows of the plan already carried out.
  returned: failure
  type: list
  elements: dict
  sample:
    - {kind: group, name: data_scientists, action: create, reason: not in DSS}
failed_row:
  description: When a call failed midway, the row being carried out.
  returned: failure
  type: dict
  sample: {kind: user, name: maria.rossi, action: create, reason: not in DSS}
"""


from ansible_collections.dataops.iam.plugins.module_utils.dss.access import run
from ansible_collections.dataops.iam.plugins.module_utils.dss.access_model import (
    DSS_ACCESS_EXCLUSIVE,
    DSS_ACCESS_OPTIONS,
    input_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule

MODULE = DssModule(
    DSS_ACCESS_OPTIONS,
    run,
    doing="Managing the DSS access model",
    problems=input_problems,
    invalid="Invalid DSS access model",
    mutually_exclusive=DSS_ACCESS_EXCLUSIVE,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
