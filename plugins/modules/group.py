#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: group
short_description: Manage a CDF access group and its capabilities
version_added: 0.1.0
description:
  - Creates, replaces or deletes a group of a Cognite Data Fusion (CDF) project, identified by its O(name).
  - CDF has no update call for groups. A group whose capabilities or other fields must change is replaced
    by a new group with the same name. The new group is created first and the old one deleted after, so there
    is never a moment without the group. The new group has a new id; the result gives both
    (the C(id) in RV(group), and RV(previous_id)).
  - Capabilities are compared after normalisation, so the order of capabilities, actions and ids, duplicates,
    ids written as strings and the spellings of a whole raw database never cause a change.
  - Only the options the task sets are compared. A group whose O(metadata) the task does not set keeps its
    metadata, also when the group is replaced for another reason.
  - CDF allows several groups with one name. This module never picks one silently; see O(on_duplicates).
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
  name:
    description:
      - Name of the group. It identifies the group across runs.
    type: str
    required: true
  state:
    description:
      - V(present) makes the group exist with the given fields; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  capabilities:
    description:
      - "The group's capabilities, in the API's format
        C({<aclName>: {actions: [...], scope: {<scopeName>: {...}}}}), for example
        C({groupsAcl: {actions: [LIST, READ], scope: {all: {}}}})."
      - Each is checked before any call to the API. An ACL or scope name the collection does not know
        (CDF adds ACLs faster than any client) is kept and compared as given, with a warning.
      - What the catalogue knows to be wrong fails the task before any call, naming the capability by position and
        ACL. That is an id outside 1 to 9007199254740991 (2^53 - 1, the range of CDF ids), an ACL name without
        its C(Acl) suffix or in the wrong case (the message gives the right name, for example C(groupsAcl) for
        C(groups)), an action or scope of a known ACL in the wrong case, and a scope the ACL does not take (such as
        C(datasetScope) under C(groupsAcl)).
      - "Objects may be named as toolkit YAML names them: in C(datasetScope) ids a string that is not a number is a
        data set's external id, in C(extractionPipelineScope) ids an extraction pipeline's external id, in
        C(securityCategoriesAcl) C(idscope) ids a security category's name. They are looked up (one request per
        kind), the group is written with their ids, and C(--diff) shows the names; one that does not exist fails
        the task before any write."
      - A new group is written as declared (the order and split of capabilities, actions, ids and tables), so that a
        tool that compares lists as written (cognite-toolkit) sees no change; the comparison is normalised.
      - If not set, a new group gets no capabilities and an existing group keeps its own.
      - Set it to V([]) to manage a group with no capabilities.
    type: list
    elements: dict
  source_id:
    description:
      - Id of the identity provider group (for Entra ID, its object id) whose members get this group's access.
      - Mutually exclusive with O(members).
      - If not set, the existing value is kept and not compared.
    type: str
  members:
    description:
      - User identifiers of the members of the group, for projects whose members are managed in CDF.
        Find identifiers with M(dataops.iam.user_profile_info).
      - The single value V(allUserAccounts) makes every user of the organisation a member.
      - At most 100. Order and duplicates do not matter. Mutually exclusive with O(source_id).
      - If not set, the existing value is kept and not compared.
    type: list
    elements: str
  metadata:
    description:
      - String keys and values stored with the group (at most 16 pairs, keys up to 32 bytes, values up to
        512 bytes, 4096 bytes in all).
      - Compared as a whole when set. If not set, the existing metadata is kept and not compared.
    type: dict
  attributes:
    description:
      - "The group's attributes, for example C({token: {appIds: [...]}}). Passed through as given."
      - Compared as a whole when set. If not set, the existing attributes are kept and not compared.
    type: dict
  on_duplicates:
    description:
      - What to do when several groups have the name O(name).
      - V(fail) stops with the ids of all of them, and changes nothing.
      - V(consolidate) keeps one group (an existing one that already matches, else a new one) and deletes the
        others; with O(state=absent) it deletes all of them. Of several that match, it keeps the one with the
        lowest id.
      - Runs that apply the same group at the same time (two pipelines, say) can each create it, since CDF cannot
        create a group only if its name is free. So after its own create the module reads the groups again, and of
        the groups with the name that are identical copies of the one it created (every field equal), it keeps the
        one with the lowest id and deletes the others, whoever made them. Every such run keeps the same one, and
        the last of them to create leaves one group. A delete of a group another run deleted first counts as done.
        This needs no O(on_duplicates). A group that differs in any field (another model, a change by hand) is
        never deleted this way, and stays for O(on_duplicates) to report.
      - A run that finds several groups with the name, some of them identical to what it asks for, fails with
        V(fail) and says why. If another run is applying the same group at that moment, that run resolves them
        itself, and running the task again finds one group.
      - With C(--diff), a consolidation's diff lists every group with the name (with its id) before, and the one
        kept after.
    type: str
    choices: [fail, consolidate]
    default: fail
  allow_self_lockout:
    description:
      - Whether the task may replace or delete a group that gives the credentials running it the group rights
        this module needs (C(groupsAcl) LIST, CREATE and DELETE), when no other group of theirs gives them too.
      - V(false) makes such a task fail before any write (also in check mode), naming the rights and the group.
        After the change, these credentials could not list, create or delete groups, so not even undo the change.
      - The check reads the token's inspection (C(GET /api/v1/token/inspect)) when the task would replace or delete
        a group, and the project's groups when one of them is the caller's.
      - V(true) also skips the check of the rights a create or delete needs (see the notes), so that the task reads no
        token inspection at all; a check-mode audit with read-only credentials sets it (the writes are never made).
    type: bool
    default: false
seealso:
  - module: dataops.iam.group_info
  - module: dataops.iam.user_profile_info
notes:
  - "The credentials need C(groupsAcl:LIST) (to find groups by name), C(groupsAcl:CREATE) and C(groupsAcl:DELETE)
    (a change is a create and a delete), and, for the self-lockout guard (see O(allow_self_lockout)),
    C(projectsAcl:LIST) and C(groupsAcl:LIST), which token inspection needs. Without them inspection answers 403:
    the task fails before any write, naming what is missing; O(allow_self_lockout=true) skips the guard."
  - "Before a create or a delete, the task reads the token's inspection and fails before any write, also in check
    mode, when the credentials lack C(groupsAcl:CREATE) (for a new or replacing group) or C(groupsAcl:DELETE) (for a
    replaced or deleted group) in scope C(all) in the project, naming the capability. When inspection cannot be read,
    the write is sent and the API decides. The items of a loop share one inspection for up to 60 seconds.
    O(allow_self_lockout=true) skips this check too."
  - Capabilities that name data sets or extraction pipelines need C(datasetsAcl:READ) and
    C(extractionPipelinesAcl:READ) for the lookups, and C(securityCategoriesAcl:LIST) for category names.
  - An action, ACL or scope the collection does not know is kept and compared as given, with one warning per distinct
    name (CDF adds actions to known ACLs before any client knows them); capabilities read from CDF are never refused.
  - A replaced group's members can lose the group's access for a short while after the change (CDF can take a
    moment to apply a new group), so avoid replacing the group that grants the credentials in use.
  - When an item of a loop replaced a group the credentials are in, a 403 on the first call of a later item, within
    10 seconds, is sent again up to 3 times over 3.5 seconds, while the new group's access applies. Any other 403
    fails at once. Separate tasks do not share this; put such changes in one loop or run them last.
  - "On Entra ID clusters CDF returns a group made with O(members) with a C(sourceId) too, but refuses to create a
    group with both. A group with members stays a members group when it is replaced: it keeps its members and the
    service's C(sourceId) is left out, unless the task sets O(source_id). A group with a C(sourceId) and no members
    stays linked to its IdP group. A group whose members cannot be read is not replaced: the task fails before any
    write and asks for O(members) or O(source_id)."
  - "Each change of a group spends one of the project's group slots for good. CDF allows 1,500 groups per project,
    deleted groups included (deletion is soft), and past it refuses every new group of the project, the Fusion UI's
    too, with C(There can only be 1500 undeleted or deleted groups per project); the task then fails with that
    message and what it means. A task that changes nothing creates nothing."
"""

EXAMPLES = r"""
- name: Manage CDF groups
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
    - name: Data engineers can read and write assets in two data sets
      dataops.iam.group:
        name: data-engineers
        source_id: 6f1a2b3c-0000-4000-8000-000000000001
        metadata:
          owner: platform-team
        capabilities:
          - assetsAcl:
              actions: [READ, WRITE]
              scope:
                datasetScope:
                  ids: [1234567890, 2345678901]
          - rawAcl:
              actions: [READ]
              scope:
                tableScope:
                  dbsToTables:
                    landing: {tables: []}

    - name: A group of named users
      dataops.iam.group:
        name: analysts
        members:
          - 3bX9eKkPPOQ0aO2KhN3W4g
        capabilities:
          - assetsAcl:
              actions: [READ]
              scope: {all: {}}

    - name: Remove a group
      dataops.iam.group:
        name: old-team
        state: absent
"""

RETURN = r"""
group:
  description:
    - The group as it now stands, in the API's format. Null after O(state=absent).
    - In check mode, the group as it would be (without an id when it would be created or replaced).
  returned: always
  type: dict
  sample:
    id: 1000000003
    name: data-engineers
    sourceId: 6f1a2b3c-0000-4000-8000-000000000001
    capabilities:
      - assetsAcl:
          actions: [READ, WRITE]
          scope:
            datasetScope:
              ids: [1234567890, 2345678901]
    metadata:
      owner: platform-team
    isDeleted: false
    deletedTime: -1
previous_id:
  description: Id of the group that was replaced (or, in check mode, would be), when the task replaced one.
  returned: when the group was replaced
  type: int
  sample: 1000000002
deleted_ids:
  description: Ids of the groups deleted by this task.
  returned: when groups were deleted
  type: list
  elements: int
  sample: [1000000002]
copies_resolved:
  description:
    - When runs at the same time made identical copies of the group (see O(on_duplicates)), the copy kept (the
      lowest id, maybe another run's; it is the one in RV(group)) and the copies this run deleted (also in
      RV(deleted_ids)).
  returned: when this run deleted copies made by another run
  type: dict
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
  sample: {name: data-engineers, kept_id: 1000000003, deleted_ids: [1000000004]}
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_refs import resolved_references
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_intent import (
    GROUP_EXCLUSIVE,
    GROUP_OPTIONS,
    group_problems,
    group_warnings,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_state import GroupTask


def run(module: Any, client: Any) -> dict:
    for warning in group_warnings(module.params):
        module.warn(warning)
    task = GroupTask(module, client, resolved_references(client, module.params["capabilities"], module.params["name"]))
    task.expect_access_settling()
    try:
        return task.run()
    finally:
        task.note_access_settling()


MODULE = CdfModule(
    dict(
        GROUP_OPTIONS,
        on_duplicates=dict(type="str", choices=["fail", "consolidate"], default="fail"),
        allow_self_lockout=dict(type="bool", default=False),
    ),
    run,
    doing="Managing group {name!r}",
    problems=group_problems,
    invalid="Invalid group {name!r}",
    mutually_exclusive=GROUP_EXCLUSIVE,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
