# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The self-lockout guards of ``dss_user`` and ``dss_group``: a task must not take away the access of the API key it
runs with.

An API key acts as its user, and managing users and groups needs that user to be an enabled DSS administrator
(a member of a group with ``admin: true``). Disabling the key's own user, or changing its groups so that none of
them is an admin group, would make every later call with the key fail (401 or 403), with no way back through
the API. Deleting the own user is guarded by ``allow_self_deletion`` in ``users.py`` (DSS has its own flag).

The same holds for the groups: deleting an admin group, or setting ``admin: false`` on it, takes the key's user
out of the administrators when that group is the only admin group it belongs to.

``refuse_user_lockout`` and ``refuse_group_lockout`` raise the refusal as a TaskError (the runtime fails the task
once). The guards cost nothing on a task that does not disable a user, change its groups or take an admin group away;
otherwise they ask DSS who the key is (``GET /auth/info``), and read further only when it matters.

Internal to the collection: not a public API.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError


def _groups(definition: Optional[dict]) -> set:
    return set((definition or {}).get("groups") or [])


def self_lockout_problems(client: Any, login: str, current: Optional[dict], desired: Optional[dict]) -> list:
    """What the change from ``current`` to ``desired`` (user definitions) would take away from the API key's own
    user; empty when nothing, or when ``login`` is not that user."""
    if current is None or desired is None:
        return []
    disables = current.get("enabled", True) is not False and desired.get("enabled") is False
    regroups = _groups(current) != _groups(desired)
    if not (disables or regroups) or client.auth_identifier() != login:
        return []
    problems = []
    if disables:
        problems.append(
            "enabled: false would disable user %r, the user of the API key this task runs with: DSS would refuse "
            "every later call made with that key" % login
        )
    if regroups:
        admin_groups = {group.get("name") for group in client.list_groups() if group.get("admin") is True}
        kept = sorted(admin_groups & _groups(desired))
        lost = sorted(admin_groups & _groups(current))
        if lost and not kept:
            problems.append(
                "the new groups %s would take user %r, the user of the API key this task runs with, out of its "
                "admin group(s) %s: the key would lose the administrator rights that managing users and groups needs"
                % (sorted(_groups(desired)), login, ", ".join(lost))
            )
    return problems


def group_lockout_problems(client: Any, name: str, current: Optional[dict], desired: Optional[dict]) -> list:
    """What deleting the admin group ``name`` (``desired`` None) or setting ``admin: false`` on it would take away
    from the API key's own user; empty when it keeps an administrator through another group."""
    if current is None or current.get("admin") is not True:
        return []
    if desired is not None and desired.get("admin") is not False:
        return []
    login = client.auth_identifier()
    user = client.get_user(login) if login else None
    if user is None or name not in _groups(user):
        return []
    other_admin_groups = {group.get("name") for group in client.list_groups() if group.get("admin") is True} - {name}
    if other_admin_groups & _groups(user):
        return []
    change = "deleting" if desired is None else "admin: false on"
    return [
        "%s group %r would take user %r, the user of the API key this task runs with, out of its only admin group: "
        "the key would lose the administrator rights that managing users and groups needs" % (change, name, login)
    ]


def group_lockout_message(name: str, problems: list) -> str:
    return (
        "Refusing to change DSS group %r: %s. Give the key's user another admin group first, run the task with "
        "another administrator's API key, or set allow_self_lockout: true if this is intended." % (name, "; ".join(problems))
    )


def lockout_message(login: str, problems: list) -> str:
    return (
        "Refusing to change DSS user %r: %s. Run the task with another administrator's API key, or set "
        "allow_self_lockout: true if this is intended." % (login, "; ".join(problems))
    )


def refuse_user_lockout(client: Any, login: str, current: Optional[dict], desired: Optional[dict]) -> None:
    """Raise TaskError when the change of user ``login`` would lock the API key's own user out."""
    problems = self_lockout_problems(client, login, current, desired)
    if problems:
        raise TaskError(lockout_message(login, problems))


def refuse_group_lockout(client: Any, name: str, current: Optional[dict], desired: Optional[dict]) -> None:
    """Raise TaskError when the change of group ``name`` would take the API key's user out of its only admin group."""
    problems = group_lockout_problems(client, name, current, desired)
    if problems:
        raise TaskError(group_lockout_message(name, problems))
