# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The model options of dataops.iam.dss_access: C(groups) and C(users), whose entries take the options of
    dss_group and dss_user (their descriptions, as those modules document them, less the guards)."""

    DOCUMENTATION = r"""
options:
  groups:
    description:
      - The groups of the model; each entry takes the options of M(dataops.iam.dss_group) (less
        C(allow_self_lockout), see O(allow_self_lockout)). Each name at most once.
      - An entry with O(groups[].state=absent) deletes the group (after the users), unless a user of the model names it.
      - If not set, the model has no groups (O(purge_groups) then needs O(groups), V([]) to purge every group).
    type: list
    elements: dict
    suboptions:
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
            - SSO groups whose members get this group (for V(LOCAL_NO_AUTH) users), as O(groups[].ldap_group_names).
          type: raw
        azure_ad_group_names:
          description:
            - Azure AD (Entra ID) groups whose members get this group, as O(groups[].ldap_group_names).
          type: raw
        custom_group_names:
          description:
            - Groups of a custom user supplier whose members get this group, as O(groups[].ldap_group_names).
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
  users:
    description:
      - The users of the model; each entry takes the options of M(dataops.iam.dss_user) (less C(allow_self_lockout)
        and C(allow_self_deletion), see O(allow_self_lockout) and O(allow_self_deletion)). Each login at most once.
      - An entry may name groups that O(groups) creates in the same task.
    type: list
    elements: dict
    suboptions:
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
            - Names of the DSS groups of the user. Each must exist; see O(users[].append_groups).
            - Order and duplicates do not matter.
            - If not set, an existing user keeps its groups and they are not compared; a new user gets none.
          type: list
          elements: str
        append_groups:
          description:
            - V(false) (the default) makes O(users[].groups) the user's exact list of groups. The user is taken out
              of every group that O(users[].groups) does not list.
            - V(true) adds the user to O(users[].groups) and takes it out of no group (its other groups stay).
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
            - When it is sent depends on O(users[].update_password).
            - "In a loop, never put the password in the loop items. Ansible prints every item: in the item's status
              line (unless C(loop_control.label) says what to show there), and in the item's printed result, which
              C(loop_control.label) does not change: with C(-v), and for a failed item at any verbosity. Let the item
              carry the login and look the password up by it, for example
              C(password: \"{{ vault_dss_passwords[item.login] }}\") from a vaulted dictionary (as the examples of
              M(dataops.iam.dss_user) do)."
          type: str
        update_password:
          description:
            - V(on_create) sends O(users[].password) only when the user is created. DSS never returns a password, so
              this is the only choice that makes a re-run report no change.
            - V(always) sends O(users[].password) on every run, which therefore always reports a change; use it for a
              rotation, not in a playbook that must be idempotent.
          type: str
          choices: [on_create, always]
          default: on_create
        user_properties:
          description:
            - Properties of the user (visible to the user too). Values are strings.
            - With O(users[].properties_mode=merge) (the default) they are merged key by key into the existing ones
              (keys not named are kept, a key whose value is null, V(~) in YAML, is removed); with
              O(users[].properties_mode=exact) they become the user's only properties (keys not named are removed;
              V({}) removes them all).
            - If not set, the properties are not compared, whatever O(users[].properties_mode) says.
          type: dict
        admin_properties:
          description:
            - Admin properties of the user (visible to administrators only), merged or replaced as
              O(users[].user_properties), by O(users[].properties_mode).
            - If not set, the admin properties are not compared.
          type: dict
        properties_mode:
          description:
            - How O(users[].user_properties) and O(users[].admin_properties) apply. V(merge) changes only the keys they
              name; V(exact) makes them the user's whole set of properties, removing every key they do not name.
            - Properties are plain strings that DSS shows to the user or to administrators; secrets (C(secrets)) and
              connection credentials are other fields, never changed or shown by this module.
          type: str
          choices: [merge, exact]
          default: merge
"""
