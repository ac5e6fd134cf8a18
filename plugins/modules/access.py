#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: access
short_description: Apply a whole CDF access model (groups and security categories) in one task, with a plan
version_added: 0.1.0
description:
  - Brings the groups and security categories of a Cognite Data Fusion (CDF) project to a declared model in one
    task, with one read of each list and batched writes, and returns a RV(plan) of what it does to each object.
  - "Each group of O(groups) means what it means to M(dataops.iam.group), with the same code behind it: the same
    comparison (only the fields an entry sets; capabilities normalised), the same replacement (CDF has no update
    call: the new group is created before the old is deleted), the same C(members) and C(sourceId) rules and the
    same self-lockout guard."
  - "Writes, in this order: the new security categories, then every new and replacing group in as few
    C(POST /groups) as the API's limits allow (1,000 groups a request), then every delete of groups (replaced,
    declared absent or purged), then the deletes of categories."
  - A batch whose answer is lost is never sent again blindly. The groups (categories) are read again and only
    those not found are sent again. A failure says what was done before it.
  - With O(purge=true), groups and categories the model does not name are deleted, except those O(protect) names,
    the groups the credentials running the task are in, and the project's last groups with C(groupsAcl) write
    rights; these are listed in the plan as C(protected), with the reason.
  - "The plan is made before any write, in check mode as in a real run: the plan of a C(--check) run is what the
    real run then does (unless the project changes in between)."
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.cdf
  - dataops.iam.transport
  - dataops.iam.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  action_group:
    membership:
      - dataops.iam.cdf
options:
  src:
    description:
      - "Path to a file that holds the model, on the machine the module runs on (the controller, with
        C(connection: local)), as the C(src) option of the C(kubernetes.core.k8s) module holds a manifest. YAML or JSON, a mapping with
        the keys C(groups) and C(security_categories), each as the option of that name takes it; checked the
        same way, before any request."
      - Reading a large model from a file is several times faster than passing it as task options, which Ansible
        parses, templates and copies in every worker (see the Access as code guide). A relative path is relative
        to the directory C(ansible-playbook) runs in; V({{ playbook_dir }}/model.yml) names one beside the playbook.
      - Mutually exclusive with O(groups) and O(security_categories).
    type: path
  groups:
    description:
      - The groups of the model, each what M(dataops.iam.group) takes.
      - If not set, the task does not look at groups (nor purge any). An empty list with O(purge=true) deletes every
        group of the project and needs O(allow_empty=true).
      - Two entries with one name are an error.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the group. It identifies the group across runs.
        type: str
        required: true
      state:
        description: V(present) makes the group exist with the given fields; V(absent) deletes it.
        type: str
        choices: [present, absent]
        default: present
      capabilities:
        description:
          - The group's capabilities, in the API's format, as M(dataops.iam.group) O(dataops.iam.group#module:capabilities)
            takes them. If not set, a new group gets none and an existing group keeps its own.
          - Data sets, extraction pipelines and security categories may be named (external ids, names), as in
            M(dataops.iam.group); the names of the whole model are looked up with one request per kind.
        type: list
        elements: dict
      source_id:
        description:
          - Id of the identity provider group whose members get this group's access. Mutually exclusive with
            O(groups[].members). If not set, the existing value is kept and not compared.
        type: str
      members:
        description:
          - User identifiers of the members (or the single value V(allUserAccounts)); at most 100. Mutually exclusive
            with O(groups[].source_id). If not set, the existing value is kept and not compared.
        type: list
        elements: str
      metadata:
        description:
          - String keys and values stored with the group (at most 16 pairs). Compared as a whole when set.
        type: dict
      attributes:
        description:
          - "The group's attributes, for example C({token: {appIds: [...]}}). Compared as a whole when set."
        type: dict
  security_categories:
    description:
      - The security categories of the model, each a name, or a dict with C(name) and C(state)
        (V(present), the default, or V(absent)).
      - If not set, the task does not look at categories (nor purge any). An empty list with O(purge=true) deletes
        every category of the project and needs O(allow_empty=true).
    type: list
    elements: raw
  purge:
    description:
      - Whether to delete the groups and categories of the project that the model does not name (only of the kinds
        the task sets, O(groups) and O(security_categories)).
      - Each purged object is a C(purge) row of the plan, with the group's capabilities.
      - "Never purged: what O(protect) names, the groups the credentials running the task are in (token inspection),
        and the project's last groups with C(groupsAcl) CREATE or DELETE; these are C(protected) rows."
    type: bool
    default: false
  protect:
    description:
      - Names, or Python regular expressions matched against the whole name, of groups and categories that
        O(purge) never deletes, for example V(admins) or V(team-.*). An entry that is not a valid regular
        expression is an error (escape special characters to name an object literally).
      - One string is one entry, never split on its commas (V(svc-[a-z]{2,8}) is one regular expression); give a
        list for several.
    type: raw
    default: []
  on_duplicates:
    description:
      - What to do when several groups of the project have the name of a declared group, as in M(dataops.iam.group).
      - V(fail) stops before any write, naming every such name and its ids.
      - V(consolidate) keeps one group of each name (one that matches, else a new one) and deletes the others.
      - After its creates the module reads the groups once more and resolves identical copies that runs applying
        the same model at the same time made, as M(dataops.iam.group) does (the lowest id kept, the other copies
        deleted; see RV(copies_resolved)). A group that differs is never deleted this way.
    type: str
    choices: [fail, consolidate]
    default: fail
  allow_self_lockout:
    description:
      - Whether the task may take from the credentials running it the group rights they need (C(groupsAcl) LIST,
        CREATE, DELETE), as in M(dataops.iam.group), and whether O(purge) may delete the groups they are in and the
        project's last groups with C(groupsAcl) write rights.
      - V(false) fails a declared delete or replacement that would lock the caller out before any write (also in
        check mode), and keeps such groups out of the purge.
      - V(true) also skips the check of the rights the plan's writes need (see the notes), so that the run reads no token
        inspection, as a check-mode audit with read-only credentials wants.
    type: bool
    default: false
  allow_empty:
    description:
      - Whether O(purge=true) may run with an empty O(groups) or O(security_categories) list, that is, delete every
        group (category) of the project that O(protect) does not name.
    type: bool
    default: false
seealso:
  - module: dataops.iam.group
  - module: dataops.iam.security_category
  - module: dataops.iam.group_info
notes:
  - "Requests of a run: a token (with client credentials), the group list (C(GET /groups?all=true)), the category
    list (when O(security_categories) is set); the token inspection when the run would write (the rights its writes
    need, and the guards when it would delete a group); then the writes, in batches."
  - The credentials need C(groupsAcl) LIST, CREATE and DELETE, C(securityCategoriesAcl) LIST, CREATE and DELETE when
    O(security_categories) is set, and C(projectsAcl:LIST) for the token inspection of the guards.
  - A plan whose writes the credentials cannot make (token inspection shows no C(groupsAcl:CREATE) or C(DELETE), or
    C(securityCategoriesAcl:CREATE) or C(DELETE), in scope C(all)) fails before any write, also in check mode, naming
    the capabilities. When inspection cannot be read, the writes are sent and the API decides.
    O(allow_self_lockout=true) skips this check.
  - Each replacement of a group spends one of the project's 1,500 group slots (deleted groups count), as with
    M(dataops.iam.group).
"""

EXAMPLES = r"""
- name: The access model of a project
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
    - name: Exactly these groups and categories, nothing else (but the admins)
      dataops.iam.access:
        purge: true
        protect: [admins, "break-glass-.*"]
        security_categories: [legal-confidential]
        groups:
          - name: data-engineers
            source_id: 6f1a2b3c-0000-4000-8000-000000000001
            capabilities:
              - assetsAcl:
                  actions: [READ, WRITE]
                  scope: {all: {}}
          - name: analysts
            members: [3bX9eKkPPOQ0aO2KhN3W4g]
            capabilities:
              - assetsAcl:
                  actions: [READ]
                  scope: {all: {}}
          - name: old-team
            state: absent
      register: access

    - name: What the run did, object by object
      ansible.builtin.debug:
        msg: "{{ access.plan | map(attribute='action') | list }}"
"""

RETURN = r"""
plan:
  description:
    - One row per object the model names (and, with O(purge), per object it does not), in the order categories,
      then groups. In check mode, what a real run would do.
    - C(action) is one of V(create), V(replace), V(delete), V(purge), V(unchanged), V(protected); C(reason) says
      why (the fields or the capabilities that differ, C(+) added and C(-) removed; the protect entry).
    - C(id) / C(ids) are the ids of the current objects the row is about (those replaced, deleted or purged); a
      C(delete) row of several groups with one name (O(on_duplicates=consolidate)) has C(kept_id), the group that
      stays; a C(purge) or C(protected) group row has
      its C(capabilities), one line each; a C(replace) row whose capabilities differ has C(added) and C(removed),
      the capability lines the replacement adds and takes away.
  returned: always
  type: list
  elements: dict
  sample:
    - {kind: security_category, name: legal-confidential, action: unchanged, reason: "", id: 2000000001}
    - kind: group
      name: data-engineers
      action: replace
      reason: "capabilities differ (+assetsAcl: WRITE [all])"
      id: 1000000002
      added: ["assetsAcl: WRITE [all]"]
    - {kind: group, name: analysts, action: create, reason: not in the project}
    - kind: group
      name: ui-made
      action: purge
      reason: not in the model
      ids: [1000000007]
      capabilities: ["eventsAcl: READ [all]"]
counts:
  description: How many rows of each action.
  returned: always
  type: dict
  sample: {create: 1, replace: 1, delete: 0, purge: 1, unchanged: 1, protected: 0}
groups:
  description:
    - The declared groups (not those declared absent) as they now stand, in the API's format, in the model's order.
    - In check mode, a group that would be created or replaced as it would be, without an id.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1000000009
      name: data-engineers
      sourceId: 6f1a2b3c-0000-4000-8000-000000000001
      capabilities:
        - assetsAcl: {actions: [READ, WRITE], scope: {all: {}}}
      isDeleted: false
      deletedTime: -1
security_categories:
  description: The declared categories (not those declared absent) as they now stand, C({id, name}).
  returned: always
  type: list
  elements: dict
  sample: [{id: 2000000001, name: legal-confidential}]
unmanaged:
  description:
    - Without O(purge), the names of the groups and categories of the project that the model does not name
      (of the kinds the task sets).
  returned: always
  type: dict
  sample: {groups: [ui-made], security_categories: []}
deleted_ids:
  description: Ids of the groups this run deleted (in check mode, would delete).
  returned: always
  type: list
  elements: int
  sample: [1000000002, 1000000007]
copies_resolved:
  description:
    - The groups of which runs at the same time made identical copies, one entry each, with the copy kept (the
      lowest id; it is the one in RV(groups)) and the copies this run deleted (also in RV(deleted_ids)).
  returned: when this run deleted copies made by another run
  type: list
  elements: dict
  contains:
    name:
      description: The group's name.
      type: str
    kept_id:
      description: Id of the copy kept.
      type: int
    deleted_ids:
      description: Ids of the other copies, deleted (or found already deleted by another run).
      type: list
      elements: int
  sample: [{name: data-engineers, kept_id: 1000000003, deleted_ids: [1000000004, 1000000005]}]
"""

from ansible_collections.dataops.iam.plugins.module_utils.cdf.access import (
    ACCESS_EXCLUSIVE,
    ACCESS_OPTIONS,
    access_problems,
    run,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule

MODULE = CdfModule(
    ACCESS_OPTIONS,
    run,
    doing="Applying the access model",
    problems=access_problems,
    invalid="Invalid access model",
    mutually_exclusive=ACCESS_EXCLUSIVE,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
