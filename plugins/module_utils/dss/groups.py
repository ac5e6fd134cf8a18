# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``dss_group`` module does with one task: permission flags as options, read-modify-write.

The group definition carries one boolean per global permission (``may*``); DSS adds flags in most
releases. A flag the task does not name is never changed: the PUT sends back every field exactly as the
GET returned it, with only the named fields changed. Flags newer than this module are set through the
``permissions`` dict, and every flag the task names is checked against the flags the instance itself
returns, so a typo or a flag this DSS does not have fails before any write instead of being dropped.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Optional

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import SOURCE_TYPES, name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.lockout import refuse_group_lockout
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import ONE_OR_LIST, shown, text_problem
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError

#: The global permission flags this module has options for (DSS 14, plus two DSS 15 added).
KNOWN_FLAGS = (
    "mayManageUDM",
    "mayCreateProjects",
    "mayCreateProjectsFromMacros",
    "mayCreateProjectsFromTemplates",
    "mayCreateProjectsFromDataikuApps",
    "mayWriteUnsafeCode",
    "mayWriteSafeCode",
    "mayCreateAuthenticatedConnections",
    "mayCreateCodeEnvs",
    "mayCreateClusters",
    "mayCreateCodeStudioTemplates",
    "mayDevelopPlugins",
    "mayEditLibFolders",
    "mayManageCodeEnvs",
    "mayManageClusters",
    "mayManageCodeStudioTemplates",
    "mayViewIndexedHiveConnections",
    "mayCreatePublishedAPIServices",
    "mayCreatePublishedProjects",
    "mayWriteInRootProjectFolder",
    "mayCreateActiveWebContent",
    "mayCreateWorkspaces",
    "mayShareToWorkspaces",
    "mayCreateDataCollections",
    "mayPublishToDataCollections",
    "mayManageFeatureStore",
    "mayManageEnterpriseAssetLibrary",
    "mayCreateEnterpriseAssetCollections",
)
NAME_LISTS = {
    "ldap_group_names": "ldapGroupNames",
    "sso_group_names": "ssoGroupNames",
    "azure_ad_group_names": "azureADGroupNames",
    "custom_group_names": "customGroupNames",
}
SCALARS = {
    "description": "description",
    "admin": "admin",
    "source_type": "sourceType",
    "can_obtain_api_ticket_from_cookies_for_groups_regex": "canObtainAPITicketFromCookiesForGroupsRegex",
}
CREATE_FIELDS = ("name", "description", "sourceType")
PERMISSION_NAME = re.compile(r"^may[A-Z][A-Za-z0-9]*$")
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(api_name: str) -> str:
    """``mayCreatePublishedAPIServices`` -> ``may_create_published_api_services`` (acronyms stay one word)."""
    return _WORD_BREAK.sub("_", api_name).lower()


FLAG_OPTIONS = {snake_case(flag): flag for flag in KNOWN_FLAGS}


def flag_argument_spec() -> dict:
    return {option: dict(type="bool") for option in FLAG_OPTIONS}


#: The options of ``dss_group`` (one group); ``dss_access`` takes them, less ``allow_self_lockout``, per group.
GROUP_OPTIONS = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    description=dict(type="str"),
    admin=dict(type="bool"),
    source_type=dict(type="str", choices=SOURCE_TYPES),
    # One string is one name, a list is taken as it is: an LDAP DN holds commas, which type=list would split on.
    ldap_group_names=dict(type=ONE_OR_LIST),
    sso_group_names=dict(type=ONE_OR_LIST),
    azure_ad_group_names=dict(type=ONE_OR_LIST),
    custom_group_names=dict(type=ONE_OR_LIST),
    can_obtain_api_ticket_from_cookies_for_groups_regex=dict(type="str"),
    permissions=dict(type="dict"),
    allow_self_lockout=dict(type="bool", default=False),
    **flag_argument_spec(),
)


def flag_value(value: Any) -> Optional[bool]:
    """A ``permissions`` value as a boolean, read as Ansible reads a ``type: bool`` option (``true``, ``"yes"``,
    ``"on"``, ``1``, ``"false"``, ``"no"``, ...); None when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return boolean(value, strict=True)
        except TypeError:
            return None
    return None


def wanted_flags(params: dict) -> dict:
    """API flag name -> value, for every flag the task names (options first, then ``permissions``)."""
    flags = {api: params[option] for option, api in FLAG_OPTIONS.items() if params.get(option) is not None}
    flags.update({key: flag_value(value) for key, value in (params.get("permissions") or {}).items()})
    return flags


def input_problems(params: dict) -> list:
    """Everything wrong with the task's own options, found before any call."""
    problems = []
    problem = name_problem("name", params["name"])
    if problem:
        problems.append(problem)
    by_api = {api: option for option, api in FLAG_OPTIONS.items()}
    for key, value in (params.get("permissions") or {}).items():
        if not PERMISSION_NAME.match(str(key)):
            hint = " (write it %s)" % FLAG_OPTIONS[key] if key in FLAG_OPTIONS else ""
            problems.append("permissions: %r is not a DSS permission flag name (mayXxx, as the API spells it)%s" % (key, hint))
        elif flag_value(value) is None:
            problems.append(
                "permissions[%r] must be true or false (or a boolean string as Ansible takes one: yes/no, on/off, 1/0), "
                "got %r" % (key, value)
            )
        elif key in by_api and params.get(by_api[key]) is not None and params[by_api[key]] != flag_value(value):
            problems.append("permissions[%r] contradicts option %s" % (key, by_api[key]))
    for option in NAME_LISTS:
        names = params.get(option) or []
        if any(not str(item).strip() for item in names):
            problems.append("%s must not contain empty names" % option)
        problems.extend(
            problem for index, item in enumerate(names)
            for problem in [text_problem("%s[%d]" % (option, index), item, empty=True)] if problem
        )
    regex = params.get("can_obtain_api_ticket_from_cookies_for_groups_regex")
    if regex:
        try:
            re.compile(regex)
        except re.error as exc:
            problems.append("can_obtain_api_ticket_from_cookies_for_groups_regex is not a regular expression: %s" % exc)
    return problems


def names_of(value: Any) -> tuple:
    """A ``*GroupNames`` mapping as a sorted tuple: a list (DSS >= 12.6) or a comma-separated string (older)."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(sorted({item.strip() for item in value or [] if item and item.strip()}))


def comparable(field: str, value: Any) -> Any:
    if field in NAME_LISTS.values():
        return names_of(value)
    if field in ("description", "canObtainAPITicketFromCookiesForGroupsRegex"):
        return value or ""
    return value


def group_view(group: Optional[dict]) -> dict:
    """The readable rendering --diff shows: fields, then every permission flag the definition carries."""
    if not group:
        return {}
    view: dict = {"name": group.get("name")}
    for option, api in SCALARS.items():
        if api in group:
            view[option] = comparable(api, group[api])
    for option, api in NAME_LISTS.items():
        if api in group:
            view[option] = list(names_of(group[api]))
    view["permissions"] = {key: group[key] for key in sorted(group) if PERMISSION_NAME.match(key)}
    return view


class GroupTask(ObjectTask):
    """One run of the ``dss_group`` module: the group ``name`` brought to ``state``."""

    key = "group"

    def __init__(self, module: Any, client: Any) -> None:
        super().__init__(module, client)
        self.name: str = self.params["name"]

    def task_values(self, current: Optional[dict]) -> dict:
        """API field -> value for every field the task names, in the form to write."""
        params = self.params
        values = {api: params[option] for option, api in SCALARS.items() if params.get(option) is not None}
        for option, api in NAME_LISTS.items():
            if params.get(option) is not None:
                names = list(dict.fromkeys(params[option]))
                legacy = current is not None and isinstance(current.get(api), str)
                if legacy and any("," in name for name in names):
                    raise TaskError(
                        "Cannot set %s of DSS group %r: this DSS (before 12.6) keeps it as one comma-separated "
                        "string, which cannot hold a name with a comma (%s). Upgrade DSS to 12.6 or later, which "
                        "keeps a list" % (option, self.name, shown(next(n for n in names if "," in n)))
                    )
                values[api] = ",".join(names) if legacy else names
        values.update(wanted_flags(params))
        return values

    def find(self) -> Optional[dict]:
        return self.client.get_group(self.name)

    def desired(self, current: Optional[dict]) -> dict:
        base = copy.deepcopy(current) if current is not None else {"name": self.name, "description": None, "sourceType": "LOCAL"}
        base.update(self.task_values(current))
        return base

    def differs(self, current: dict, desired: dict) -> bool:
        return any(comparable(field, current.get(field)) != comparable(field, desired.get(field)) for field in self.task_values(current))

    def view(self, obj: dict) -> dict:
        return group_view(obj)

    # -- checks against the instance (reads only, before any write) ---------------------------
    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """Refuse, before any write, a flag this DSS does not have, or a change that locks the API key out.

        A flag the instance does not have is never in the current definition, so naming one is always a change.
        """
        if desired is not None:
            problems = self.flag_problems(current)
            if problems:
                raise TaskError("Cannot manage DSS group %r: %s" % (self.name, "; ".join(problems)))
        if not self.params.get("allow_self_lockout"):
            refuse_group_lockout(self.client, self.name, current, desired)

    def flag_problems(self, current: Optional[dict]) -> list:
        """Flags the task names that this DSS does not have (judged from a definition it returned)."""
        wanted = wanted_flags(self.params)
        if not wanted:
            return []
        reference = current if current is not None else self.reference_definition()
        if reference is None:
            return []
        known = {key for key in reference if PERMISSION_NAME.match(key)}
        unknown = sorted(set(wanted) - known)
        if not unknown:
            return []
        return ["this DSS has no permission flag %s (its flags: %s)" % (", ".join(unknown), ", ".join(sorted(known)))]

    def reference_definition(self) -> Optional[dict]:
        """A full definition of some existing group, to learn the instance's flags before creating one."""
        groups = self.client.list_groups()
        for group in groups:
            if any(PERMISSION_NAME.match(key) for key in group):
                return group
        return self.client.get_group(groups[0]["name"]) if groups else None

    # -- writes ------------------------------------------------------------------------------
    def create(self, desired: dict) -> dict:
        self.client.create_group({field: desired.get(field) for field in CREATE_FIELDS})
        created = self.client.get_group(self.name)
        if created is None:
            return desired
        values = {field: value for field, value in self.task_values(created).items() if field not in CREATE_FIELDS}
        if any(comparable(field, created.get(field)) != comparable(field, value) for field, value in values.items()):
            created.update(values)
            self.client.update_group(self.name, created)
        return created

    def update(self, current: dict, desired: dict) -> dict:
        body = copy.deepcopy(current)
        body.update(self.task_values(current))
        self.client.update_group(self.name, body)
        return body

    def delete(self, current: dict) -> None:
        self.client.delete_group(self.name)
