# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The model ``dss_access`` takes (its options), and everything wrong with it that shows before any call.

Each entry of ``groups`` and ``users`` is checked by the ``input_problems`` of ``dss_group`` / ``dss_user``
(groups.py, users.py) and named in the message (``users[3] (jdoe): ...``); two entries with one name, a
``purge_users`` that is not off, ``disable`` or ``delete``, and a ``protect`` entry that is not a regular
expression are problems too. All of them fail the task together, before the client is made.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.dss import groups as dss_groups
from ansible_collections.dataops.iam.plugins.module_utils.dss import users as dss_users
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import ONE_OR_LIST
from ansible_collections.dataops.iam.plugins.module_utils.plan import Protect, duplicate_names

#: ``purge_users`` values meaning "no purge" (YAML ``false`` arrives as a boolean, quoted ones as strings).
PURGE_OFF = ("false", "no", "off")
PURGE_MODES = ("disable", "delete")
#: The per-entry guards of the per-object modules, which are options of the whole model here.
GUARD_OPTIONS = ("allow_self_lockout", "allow_self_deletion")


def entry_spec(options: dict) -> dict:
    """The options of one entry: the per-object module's, less the guards (top-level options of ``dss_access``)."""
    return {name: spec for name, spec in options.items() if name not in GUARD_OPTIONS}


def _options() -> dict:
    return dict(
        src=dict(type="path"),
        groups=dict(type="list", elements="dict", options=entry_spec(dss_groups.GROUP_OPTIONS)),
        users=dict(type="list", elements="dict", options=entry_spec(dss_users.USER_OPTIONS)),
        purge_users=dict(type="raw", default=False),
        purge_groups=dict(type="bool", default=False),
        protect=dict(type=ONE_OR_LIST),  # a regular expression may hold commas: never split
        allow_self_lockout=dict(type="bool", default=False),
        allow_self_deletion=dict(type="bool", default=False),
    )


def entry_params(options: dict, values: dict, **guards: Any) -> dict:
    """An entry as the per-object task's params: every option (defaults filled in), the entry's values, the guards."""
    params = {name: spec.get("default") for name, spec in options.items()}
    params.update({name: value for name, value in values.items() if value is not None or name not in params})
    params.update(guards)
    return params


def entry_label(kind: str, index: int, name: Any) -> str:
    return "%s[%d] (%s)" % ("groups" if kind == "group" else "users", index, name)


def purge_mode(value: Any) -> Optional[str]:
    """``purge_users`` as ``None`` (off), ``disable`` or ``delete``; ValueError for anything else."""
    if value is None or value is False:
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in PURGE_OFF:
            return None
        if text in PURGE_MODES:
            return text
    raise ValueError(
        "purge_users must be false (no purge), disable or delete (the users the model does not name), got %r" % (value,)
    )


class Model:
    """The options of ``dss_access``, normalised: the entries, their names, the purges, ``protect``."""

    def __init__(self, params: dict) -> None:
        self.groups: list = list(params.get("groups") or [])
        self.users: list = list(params.get("users") or [])
        self.group_names = [entry["name"] for entry in self.groups]
        self.logins = [entry["login"] for entry in self.users]
        try:
            self.purge_users = purge_mode(params.get("purge_users"))
        except ValueError:
            self.purge_users = None
        self.purge_groups = bool(params.get("purge_groups"))
        self.protect = Protect(params.get("protect"))


def input_problems(params: dict) -> list:
    """Everything wrong with the model that shows without a call, each naming its entry and option."""
    problems = []
    try:
        purge_mode(params.get("purge_users"))
    except ValueError as exc:
        problems.append(str(exc))
    for option, purge in (("users", purge_mode_or_none(params)), ("groups", params.get("purge_groups"))):
        if purge and params.get(option) is None and not params.get("src"):
            problems.append(
                "purge_%s needs %s (the model): without it every %s would be purged; give %s: [] to mean none"
                % (option, option, option[:-1], option)
            )
    problems.extend(Protect(params.get("protect")).problems())
    model = Model(params)
    for kind, entries, names, check in (
        ("group", model.groups, model.group_names, dss_groups.input_problems),
        ("user", model.users, model.logins, dss_users.input_problems),
    ):
        for index, entry in enumerate(entries):
            problems.extend("%s: %s" % (entry_label(kind, index, names[index]), problem) for problem in check(entry))
        for name in duplicate_names(names):
            where = ", ".join(entry_label(kind, index, name) for index, other in enumerate(names) if other == name)
            problems.append("%s %r is in the model more than once: %s" % ("group" if kind == "group" else "login", name, where))
    return problems


def purge_mode_or_none(params: dict) -> Optional[str]:
    try:
        return purge_mode(params.get("purge_users"))
    except ValueError:
        return None


#: The options of ``dss_access``; ``src`` holds ``MODEL_KEYS`` in a file (module_utils/model_file.py).
DSS_ACCESS_OPTIONS = _options()
MODEL_KEYS = ("groups", "users")
DSS_ACCESS_EXCLUSIVE = [("src", key) for key in MODEL_KEYS]
