#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_group
short_description: Manage a Dataiku DSS group and its global permissions
version_added: 0.1.0
description:
  - Creates, updates or deletes a group of a Dataiku DSS instance, identified by its O(name).
  - Each global permission of the group definition (the API's C(may*) flags) is an option, named in snake
    case (C(mayCreatePublishedAPIServices) is O(may_create_published_api_services)). Flags newer than this
    module are set with O(permissions).
  - Only the options the task sets are compared and written. A flag or field the task does not name is never
    changed; the definition is read, changed in the named fields only, and written back whole.
  - Every flag the task names is checked against the flags this DSS instance returns in a group definition,
    so a typo or a flag this DSS version lacks fails before any write instead of being ignored by DSS.
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
  name:
    description:
      - Name of the group. It identifies the group across runs.
      - Letters, digits and C(. _ - @) only, as DSS allows.
    type: str
    required: true
  state:
    description:
      - V(present) makes the group exist with the given fields; V(absent) deletes it.
      - DSS removes a deleted group from its users' groups.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the group. If not set, an existing group keeps its own and it is not compared.
    type: str
  admin:
    description:
      - Whether the members are DSS administrators.
    type: bool
  source_type:
    description:
      - Where the group comes from. A new group is V(LOCAL) unless this says otherwise.
      - Set on an existing group, it is compared and changed like the other fields (DSS lets a group's source
        type change; M(dataops.iam.dss_user) refuses to change a user's).
    type: str
    choices: [LOCAL, LDAP, LOCAL_NO_AUTH, AZURE_AD, CUSTOM, PAM, SAAS]
  ldap_group_names:
    description:
      - LDAP groups whose members get this group (for LDAP users), as a list of names, usually DNs such as
        V(cn=data-team,ou=groups,dc=example,dc=com). Order and duplicates do not matter.
      - One string is one name, never split on its commas (a DN holds commas); give a list for several.
      - Compared as a whole when set. DSS before 12.6 stores a comma-separated string; the module writes
        the form the instance uses, and refuses a name with a comma there (that form cannot hold it).
    type: raw
  sso_group_names:
    description:
      - SSO groups whose members get this group (for V(LOCAL_NO_AUTH) users), as O(ldap_group_names).
    type: raw
  azure_ad_group_names:
    description:
      - Azure AD (Entra ID) groups whose members get this group, as O(ldap_group_names).
    type: raw
  custom_group_names:
    description:
      - Groups of a custom user supplier whose members get this group, as O(ldap_group_names).
    type: raw
  can_obtain_api_ticket_from_cookies_for_groups_regex:
    description:
      - Members can impersonate users of the groups whose names match this regular expression
        (API field C(canObtainAPITicketFromCookiesForGroupsRegex)). V("") for none.
    type: str
  permissions:
    description:
      - More permission flags, as the API names them (C(mayXxx)), with their values, for flags newer than
        this module, for example V(mayCreateMiraInfrastructures) set to V(true).
      - Each must be a flag this DSS instance has. A flag also set by its option must agree with it.
      - Values are booleans, or strings and numbers Ansible reads as booleans (V("true"), V("yes"), V("on"), V(1), V("false"),
        V("no"), V("off"), V(0), as for an option of type C(bool)).
    type: dict
  allow_self_lockout:
    description:
      - Whether the task may take away the administrator rights of the API key it runs with.
      - V(false) makes the task fail, before any write (also in check mode), when it would delete an admin group
        or set O(admin=false) on it while that group is the only admin group of the API key's own user.
    type: bool
    default: false
  may_manage_udm:
    description:
      - Manage user-defined meanings (API flag C(mayManageUDM)).
    type: bool
  may_create_projects:
    description:
      - Create projects (API flag C(mayCreateProjects)).
    type: bool
  may_create_projects_from_macros:
    description:
      - Create projects with macros (API flag C(mayCreateProjectsFromMacros)).
    type: bool
  may_create_projects_from_templates:
    description:
      - Create projects from templates (API flag C(mayCreateProjectsFromTemplates)).
    type: bool
  may_create_projects_from_dataiku_apps:
    description:
      - Create projects from Dataiku applications (API flag C(mayCreateProjectsFromDataikuApps)).
    type: bool
  may_write_unsafe_code:
    description:
      - Write unisolated code (API flag C(mayWriteUnsafeCode)).
    type: bool
  may_write_safe_code:
    description:
      - Write isolated code (with the user isolation framework only) (API flag C(mayWriteSafeCode)).
    type: bool
  may_create_authenticated_connections:
    description:
      - Create personal connections (API flag C(mayCreateAuthenticatedConnections)).
    type: bool
  may_create_code_envs:
    description:
      - Create code environments (API flag C(mayCreateCodeEnvs)).
    type: bool
  may_create_clusters:
    description:
      - Create clusters (API flag C(mayCreateClusters)).
    type: bool
  may_create_code_studio_templates:
    description:
      - Create Code Studio templates (API flag C(mayCreateCodeStudioTemplates)).
    type: bool
  may_develop_plugins:
    description:
      - Develop plugins (API flag C(mayDevelopPlugins)).
    type: bool
  may_edit_lib_folders:
    description:
      - Edit lib folders (API flag C(mayEditLibFolders)).
    type: bool
  may_manage_code_envs:
    description:
      - Manage all code environments (API flag C(mayManageCodeEnvs)).
    type: bool
  may_manage_clusters:
    description:
      - Manage all clusters (API flag C(mayManageClusters)).
    type: bool
  may_manage_code_studio_templates:
    description:
      - Manage all Code Studio templates (API flag C(mayManageCodeStudioTemplates)).
    type: bool
  may_view_indexed_hive_connections:
    description:
      - View indexed Hive connections (API flag C(mayViewIndexedHiveConnections)).
    type: bool
  may_create_published_api_services:
    description:
      - Create published API services (API Deployer) (API flag C(mayCreatePublishedAPIServices)).
    type: bool
  may_create_published_projects:
    description:
      - Create published projects (Project Deployer) (API flag C(mayCreatePublishedProjects)).
    type: bool
  may_write_in_root_project_folder:
    description:
      - Write in the root project folder (API flag C(mayWriteInRootProjectFolder)).
    type: bool
  may_create_active_web_content:
    description:
      - Create active web content (webapps, reports) (API flag C(mayCreateActiveWebContent)).
    type: bool
  may_create_workspaces:
    description:
      - Create workspaces (API flag C(mayCreateWorkspaces)).
    type: bool
  may_share_to_workspaces:
    description:
      - Share to workspaces (API flag C(mayShareToWorkspaces)).
    type: bool
  may_create_data_collections:
    description:
      - Create data collections (API flag C(mayCreateDataCollections)).
    type: bool
  may_publish_to_data_collections:
    description:
      - Publish to data collections (API flag C(mayPublishToDataCollections)).
    type: bool
  may_manage_feature_store:
    description:
      - Manage the feature store (API flag C(mayManageFeatureStore)).
    type: bool
  may_manage_enterprise_asset_library:
    description:
      - Manage the enterprise asset library (DSS 15) (API flag C(mayManageEnterpriseAssetLibrary)).
    type: bool
  may_create_enterprise_asset_collections:
    description:
      - Create enterprise asset collections (DSS 15) (API flag C(mayCreateEnterpriseAssetCollections)).
    type: bool
seealso:
  - module: dataops.iam.dss_user
notes:
  - The API key's user must be a DSS administrator.
  - Every permission option is unset by default, and an unset permission is neither compared nor changed.
"""

EXAMPLES = r"""
- name: Manage DSS groups
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
    - name: Data scientists create projects and write code; members come from LDAP
      dataops.iam.dss_group:
        name: data_scientists
        description: Data science team
        may_create_projects: true
        may_write_unsafe_code: true
        may_create_code_envs: true
        ldap_group_names:
          - cn=data-science,ou=groups,dc=example,dc=com

    - name: A flag newer than this collection
      dataops.iam.dss_group:
        name: data_scientists
        permissions:
          mayCreateMiraInfrastructures: true

    - name: Remove a group
      dataops.iam.dss_group:
        name: old_team
        state: absent
"""

RETURN = r"""
group:
  description:
    - The group's definition as it now stands, in the API's format (every permission flag of the instance).
      Null after O(state=absent).
    - In check mode, the definition as it would be; for a group that does not exist yet, only the fields the task
      sets (DSS fills in the others when it creates the group).
  returned: always
  type: dict
  sample:
    name: data_scientists
    description: Data science team
    sourceType: LOCAL
    admin: false
    ldapGroupNames: ["cn=data-science,ou=groups,dc=example,dc=com"]
    ssoGroupNames: []
    mayCreateProjects: true
    mayWriteUnsafeCode: true
    mayWriteSafeCode: false
    mayCreateCodeEnvs: true
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule
from ansible_collections.dataops.iam.plugins.module_utils.dss.groups import GROUP_OPTIONS, GroupTask, input_problems


def run(module: Any, client: Any) -> dict:
    return GroupTask(module, client).run()


MODULE = DssModule(
    dict(GROUP_OPTIONS),
    run,
    doing="Managing DSS group {name!r}",
    problems=input_problems,
    invalid="Invalid DSS group {name!r}",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
