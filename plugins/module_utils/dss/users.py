# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``dss_user`` module does with one task: read, check, compare the named fields, read-modify-write.

Only the fields the task sets are compared and written; every other field of the definition goes back to
DSS exactly as DSS returned it. The password is write-only: it is sent on creation, and on an existing user
only with ``update_password: always``; it never appears in a result or a diff (the diff says
``password: (set)`` / ``(changed)`` when one is sent).

Internal to the collection: not a public API.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import SOURCE_TYPES, name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.lockout import refuse_user_lockout
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import shown as shown_value
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import text_problem
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError

#: Module option -> API field, for the plain fields a task may set.
SCALAR_FIELDS = {
    "display_name": "displayName",
    "email": "email",
    "enabled": "enabled",
    "user_profile": "userProfile",
    "source_type": "sourceType",
}
PROPERTY_FIELDS = {"user_properties": "userProperties", "admin_properties": "adminProperties"}
#: The fields the diff shows and the comparison may look at (API name -> name in the diff).
VIEW_FIELDS = {
    "login": "login",
    "displayName": "display_name",
    "email": "email",
    "enabled": "enabled",
    "sourceType": "source_type",
    "userProfile": "user_profile",
    "groups": "groups",
    "userProperties": "user_properties",
    "adminProperties": "admin_properties",
}
#: The options of ``dss_user`` (one user); ``dss_access`` takes them, less the ``allow_self_*`` guards, per user.
USER_OPTIONS = dict(
    login=dict(type="str", required=True, aliases=["name"]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    display_name=dict(type="str"),
    email=dict(type="str"),
    enabled=dict(type="bool"),
    groups=dict(type="list", elements="str"),
    append_groups=dict(type="bool", default=False),
    user_profile=dict(type="str"),
    source_type=dict(type="str", choices=SOURCE_TYPES),
    password=dict(type="str", no_log=True),
    update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
    user_properties=dict(type="dict"),
    admin_properties=dict(type="dict"),
    properties_mode=dict(type="str", choices=["merge", "exact"], default="merge"),
    allow_self_deletion=dict(type="bool", default=False),
    allow_self_lockout=dict(type="bool", default=False),
)
#: Fields POST /admin/users/ reads; anything else needs a PUT after the creation.
CREATE_FIELDS = ("login", "displayName", "sourceType", "groups", "userProfile", "email")
#: Secret values of a definition: ``secrets[].value``, and these keys of each ``credentials`` entry.
CREDENTIAL_SECRET_KEYS = frozenset({"password", "refreshToken", "accessToken", "value"})


def input_problems(params: dict) -> list:
    """Everything wrong with the task's own options, found before any call."""
    problems = []
    login_problem = name_problem("login", params["login"])
    if login_problem:
        problems.append(login_problem)
    for group in params.get("groups") or []:
        problem = name_problem("group", group)
        if problem:
            problems.append("groups: " + problem)
    for option in ("display_name", "email"):
        problem = text_problem(option, params.get(option), empty=True) if params.get(option) is not None else None
        if problem:
            problems.append(problem)
    email = params.get("email")
    if email and ("@" not in email or email.strip() != email):
        problems.append("email %s is not an e-mail address" % shown_value(email))
    if params.get("password") is not None:
        if params["password"] == "":
            problems.append("password must not be empty")
        if params.get("source_type") not in (None, "LOCAL"):
            problems.append("password applies to LOCAL users only; a %s user's password lives in its user source" % params["source_type"])
    if params.get("user_profile") is not None and not params["user_profile"].strip():
        problems.append("user_profile must not be empty")
    for option in PROPERTY_FIELDS:
        for key, value in (params.get(option) or {}).items():
            if not str(key).strip():
                problems.append("%s: keys must not be empty" % option)
            elif value is not None and not isinstance(value, str):
                problems.append("%s[%r] must be a string (quote it) or null (to remove the key), got %s" % (option, key, type(value).__name__))
    return problems


def properties(current: Any, given: dict, *, exact: bool) -> dict:
    """The user or admin properties a task asks for: ``given`` merged key by key into ``current`` (a null value
    removes its key), or with ``exact`` the keys of ``given`` that are not null, and no other."""
    wanted = {} if exact else dict(current or {})
    for key, value in given.items():
        if value is None:
            wanted.pop(key, None)
        else:
            wanted[key] = value
    return wanted


def group_key(groups: Any) -> tuple:
    return tuple(sorted(set(groups or [])))


def comparable(field: str, value: Any) -> Any:
    """A field's value in a form where equal meanings compare equal."""
    if field == "groups":
        return group_key(value)
    if field == "email":
        return value or ""
    if field in ("userProperties", "adminProperties"):
        return dict(value or {})
    return value


def user_view(user: Optional[dict]) -> dict:
    """The readable rendering --diff shows: the managed fields, sorted, never a secret."""
    if not user:
        return {}
    view = {}
    for field, shown in VIEW_FIELDS.items():
        if field in user:
            value = comparable(field, user[field])
            view[shown] = list(value) if field == "groups" else (dict(sorted(value.items())) if isinstance(value, dict) else value)
    return view


def public_user(user: Optional[dict]) -> Optional[dict]:
    """A copy of a definition fit for the module result: no password, no secret or credential values.

    Only the places DSS keeps secrets are cleaned (``secrets[].value``, the ``credentials`` entries); a user
    or admin property that happens to be called ``password`` is the user's data and is returned as it is.
    """
    if user is None:
        return None
    public = {key: value for key, value in user.items() if key != "password"}
    if isinstance(public.get("secrets"), list):
        public["secrets"] = [_without(item, frozenset({"value"})) for item in public["secrets"]]
    if isinstance(public.get("credentials"), dict):
        public["credentials"] = {name: _without(entry, CREDENTIAL_SECRET_KEYS) for name, entry in public["credentials"].items()}
    return public


def _without(value: Any, keys: frozenset) -> Any:
    return {key: item for key, item in value.items() if key not in keys} if isinstance(value, dict) else value


class UserTask(ObjectTask):
    """One run of the ``dss_user`` module: the user ``login`` brought to ``state``.

    The checks against the instance (groups that exist, the licence's profiles, the source type, the self-deletion
    and self-lockout guards) read only, and run before any write, in check mode too.
    """

    key = "user"

    def __init__(self, module: Any, client: Any) -> None:
        super().__init__(module, client)
        self.login: str = self.params["login"]
        #: Whether the task sends the password (decided in ``desired``).
        self.send_password = False
        #: Why the licence does not offer the task's ``user_profile`` (found in ``desired``), or None.
        self.profile_problem: Optional[str] = None

    # -- the task's intent -------------------------------------------------------------------
    def task_fields(self) -> list:
        """The API fields the task names (and so compares and writes)."""
        fields = [api for option, api in SCALAR_FIELDS.items() if self.params.get(option) is not None]
        if self.params.get("groups") is not None:
            fields.append("groups")
        fields.extend(api for option, api in PROPERTY_FIELDS.items() if self.params.get(option) is not None)
        return fields

    def find(self) -> Optional[dict]:
        return self.client.get_user(self.login)

    def desired(self, current: Optional[dict]) -> dict:
        """The definition the task asks for; reads the licence when the profile matters (see ``profile``)."""
        self.send_password = self.params.get("password") is not None and (
            current is None or self.params["update_password"] == "always"
        )
        self.profile_problem, default_profile = self.profile(current)
        return self.definition(current, default_profile)

    def definition(self, current: Optional[dict], default_profile: Optional[str]) -> dict:
        """The whole definition the task asks for: the current one with the named fields changed."""
        params = self.params
        if current is None:
            base: dict = {
                "login": self.login,
                "displayName": self.login,
                "email": None,
                "sourceType": "LOCAL",
                "groups": [],
                "enabled": True,
                "userProperties": {},
                "adminProperties": {},
            }
            if default_profile:
                base["userProfile"] = default_profile
        else:
            base = copy.deepcopy(current)
        for option, api in SCALAR_FIELDS.items():
            if params.get(option) is not None:
                base[api] = params[option]
        if params.get("groups") is not None:
            wanted = list(dict.fromkeys(params["groups"]))
            if params["append_groups"]:
                have = list(base.get("groups") or [])
                wanted = have + [group for group in wanted if group not in have]
            base["groups"] = wanted
        for option, api in PROPERTY_FIELDS.items():
            if params.get(option) is not None:
                base[api] = properties(base.get(api), params[option], exact=params["properties_mode"] == "exact")
        return base

    def differs(self, current: dict, desired: dict) -> bool:
        if self.send_password:
            return True
        return any(comparable(field, current.get(field)) != comparable(field, desired.get(field)) for field in self.task_fields())

    def view(self, obj: dict) -> dict:
        return user_view(obj)

    # -- checks against the instance (reads only, before any write) ---------------------------
    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """Refuse, before any write, a change the instance would reject or that locks the API key out.

        Each problem ``server_problems`` finds, and a profile the licence does not offer, means a change (a field
        the task names differs, or the user is new), so no task that would change nothing fails on them.
        """
        if desired is None:
            if not self.params["allow_self_deletion"] and self.client.auth_identifier() == self.login:
                raise TaskError(
                    "Refusing to delete user %r: it is the user of the API key this task uses. "
                    "Use another admin's key, or set allow_self_deletion: true." % self.login
                )
            return
        problems = self.server_problems(current) + ([self.profile_problem] if self.profile_problem else [])
        if problems:
            raise TaskError("Cannot manage DSS user %r: %s" % (self.login, "; ".join(problems)))
        if not self.params["allow_self_lockout"]:
            refuse_user_lockout(self.client, self.login, current, desired)

    def server_problems(self, current: Optional[dict]) -> list:
        params = self.params
        problems = []
        # Groups the user is already in exist; only the others are looked up (no call on a re-run).
        unchecked = [group for group in dict.fromkeys(params.get("groups") or []) if group not in (current or {}).get("groups", [])]
        if unchecked:
            known = {group.get("name") for group in self.client.list_groups()}
            missing = [group for group in unchecked if group not in known]
            if missing:
                problems.append(
                    "groups %s do not exist in DSS; create them first (dataops.iam.dss_group) or fix the names" % ", ".join(missing)
                )
        if current is not None:
            source = current.get("sourceType")
            if params.get("source_type") not in (None, source):
                problems.append(
                    "user %r is a %s user; this module does not change the source type of an existing user "
                    "(delete and re-create it to move it to %s)" % (self.login, source, params["source_type"])
                )
            if self.send_password and source != "LOCAL":
                problems.append("user %r is a %s user: its password lives in its user source, not in DSS" % (self.login, source))
        elif params.get("source_type", "LOCAL") in (None, "LOCAL") and params.get("password") is None:
            problems.append("creating the LOCAL user %r needs a password (or set source_type for an LDAP/SSO user)" % self.login)
        return problems

    def profile(self, current: Optional[dict]) -> tuple:
        """Why the licence does not offer the task's profile (or None), and the default profile for a new user; the
        licence is read only when needed."""
        wanted = self.params.get("user_profile")
        if current is not None and wanted in (None, current.get("userProfile")):
            return None, None  # nothing to change: no need to read the licence
        licensed = self.client.licensed_profiles()
        problem = None
        if wanted is not None and licensed and wanted not in licensed:
            problem = "user_profile %r is not one this DSS licence offers: %s" % (wanted, ", ".join(licensed))
        return problem, (licensed[0] if licensed else None)

    # -- writes ------------------------------------------------------------------------------
    def create(self, desired: dict) -> dict:
        body = {field: desired[field] for field in CREATE_FIELDS if field in desired}
        if self.params.get("password") is not None and desired.get("sourceType") == "LOCAL":
            body["password"] = self.params["password"]
        self.client.create_user(body)
        created = self.client.get_user(self.login)
        if created is None:
            return desired
        rest = [
            field
            for field in ("enabled", "userProperties", "adminProperties")
            if comparable(field, created.get(field)) != comparable(field, desired.get(field))
        ]
        if rest:
            for field in rest:
                created[field] = desired[field]
            self.client.update_user(self.login, created)
        return created

    def update(self, current: dict, desired: dict) -> dict:
        body = copy.deepcopy(current)
        for field in self.task_fields():
            body[field] = desired[field]
        if self.send_password:
            body["password"] = self.params["password"]
        self.client.update_user(self.login, body)
        body.pop("password", None)
        return body

    def delete(self, current: dict) -> None:
        self.client.delete_user(self.login, allow_self_deletion=self.params["allow_self_deletion"])

    # -- the result --------------------------------------------------------------------------
    def result(self, changed: bool, before: Any, after: Any, obj: Any) -> dict:
        """The user without its secrets; ``password_sent``; the diff's placeholder for a password sent."""
        sent = bool(changed and self.send_password)
        if sent and after is not None:
            after = dict(after, password="(set)" if before is None else "(changed)")
        self.extra["password_sent"] = sent
        return super().result(changed, before, after, public_user(obj))
