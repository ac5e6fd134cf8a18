#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dss_user_info
short_description: Read Dataiku DSS users, with their groups, profiles and activity; find dormant accounts
version_added: 0.1.0
description:
  - Returns one user of a Dataiku DSS instance (O(login)), or all of them.
  - With O(login), the user's full definition; without, every user as the user list gives it (login, display
    name, e-mail, groups, profile, source type, enabled).
  - With O(activity) or O(inactive_days), each user also carries its C(activity) (last successful login, last failed
    login, last session activity), read with one call for all users.
  - With O(inactive_days), only the B(dormant) users are returned (the first question of an access review), the enabled
    users whose last activity (the later of the last successful login and the last session activity) is more than
    that many days ago. A user who was never active counts from its creation date, so an account created yesterday
    is not dormant; a failed login is not activity.
  - DSS records logins and browser sessions only, not the calls made with a user's API key, so a service account
    that works through its key looks dormant. RV(api_key_user) names the user of the API key this task runs with;
    C(playbooks/dss_dormant.yml) never disables it.
  - Never returns a password, a secret value or a credential password.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.dss
  - dataops.iam.transport
  - dataops.iam.attributes
  - dataops.iam.attributes.INFO_MODULE
attributes:
  action_group:
    membership:
      - dataops.iam.dss
options:
  login:
    description:
      - Return only this user. A login no user has gives an empty list (not a failure).
    type: str
  activity:
    description:
      - Whether each user carries its C(activity) (see RV(users)). O(inactive_days) implies it.
      - Costs one more call (C(GET /admin/users-activity), or C(/admin/users/{login}/activity) with O(login)).
    type: bool
    default: false
  inactive_days:
    description:
      - Return only the enabled users who have not been active for more than this many days (at least 1).
      - The users are then read with their settings (their full definitions, which carry the creation date).
    type: int
seealso:
  - module: dataops.iam.dss_user
  - module: dataops.iam.dss_group_info
notes:
  - The API key's user must be a DSS administrator.
  - C(playbooks/dss_dormant.yml) reports the dormant users and, with C(-e apply=true), disables them.
"""

EXAMPLES = r"""
- name: Read every DSS user
  dataops.iam.dss_user_info:
    dss_url: https://dss.example.com:11200
    api_key: "{{ lookup('ansible.builtin.env', 'DKU_API_KEY') }}"
  register: dss

- name: Logins of the disabled users
  ansible.builtin.debug:
    msg: "{{ dss.users | rejectattr('enabled') | map(attribute='login') | list }}"

- name: One user, with its properties and its last login
  dataops.iam.dss_user_info:
    login: jdoe
    activity: true
  register: jdoe

- name: The enabled users nobody has seen for 90 days
  dataops.iam.dss_user_info:
    inactive_days: 90
  register: dormant

- name: Who they are, and since when
  ansible.builtin.debug:
    msg: "{{ item.login }}: last active {{ item.activity.lastActiveDate | default('never', true) }}"
  loop: "{{ dormant.users }}"
  loop_control:
    label: "{{ item.login }}"
"""

RETURN = r"""
users:
  description:
    - The users, in the API's format, sorted by login (with O(inactive_days), only the dormant ones).
    - "With O(activity) or O(inactive_days), each also has C(activity): DSS's C(lastSuccessfulLogin),
      C(lastFailedLogin) and C(lastSessionActivity) (milliseconds since the epoch, null for never), C(lastActive)
      (the later of the last login and the last session activity, null for never), C(lastActiveDate) (the same as
      ISO 8601 in UTC) and C(daysInactive) (whole days since C(lastActive), or since the creation date when never
      active; null when neither is known: the user list without settings, read when neither O(login) nor
      O(inactive_days) is set, carries no creation date)."
  returned: always
  type: list
  elements: dict
  sample:
    - login: jdoe
      displayName: Jane Doe
      email: jane.doe@example.com
      groups: [data_team, readers]
      userProfile: DATA_SCIENTIST
      sourceType: LOCAL
      enabled: true
      activity:
        lastSuccessfulLogin: 1764547200000
        lastFailedLogin: null
        lastSessionActivity: 1764633600000
        lastActive: 1764633600000
        lastActiveDate: "2025-12-02T00:00:00Z"
        daysInactive: 365
api_key_user:
  description: The login of the user of the API key the task runs with (C(authIdentifier) of C(/auth/info)).
  returned: when O(inactive_days) is set
  type: str
  sample: admin
as_of:
  description: The time the inactivity was computed against (the controller's clock, ISO 8601 in UTC).
  returned: when O(activity) or O(inactive_days) is set
  type: str
  sample: "2026-12-02T09:30:00Z"
"""

import time
from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.dss.activity import (
    ACTIVE_FIELDS,
    is_dormant,
    iso,
    moment,
    summary,
)
from ansible_collections.dataops.iam.plugins.module_utils.dss.client import name_problem
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import DssModule
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import public_user

#: The most days ``inactive_days`` takes (100 years): more is a typo, not a review period.
MAX_INACTIVE_DAYS = 36_500


def input_problems(params: dict) -> list:
    """What is wrong with the task's own options, found before any call."""
    problems = []
    login = params.get("login")
    problem = name_problem("login", login) if login is not None else None
    if problem:
        problems.append(problem)
    days = params.get("inactive_days")
    if days is not None and not 1 <= days <= MAX_INACTIVE_DAYS:
        problems.append("inactive_days must be a number of days from 1 to %d, got %d" % (MAX_INACTIVE_DAYS, days))
    return problems


def read_users(client: Any, login: Any, with_settings: bool) -> list:
    """The user ``login`` (or none), or every user; with ``with_settings``, as full definitions."""
    if login is None:
        return client.list_users(include_settings=with_settings)
    user = client.get_user(login)
    return [user] if user is not None else []


def read_activity(client: Any, login: Any, enabled_only: bool) -> dict:
    """login -> DSS activity object, for ``login`` or for every (enabled) user, in one call."""
    if login is not None:
        one = client.user_activity(login)
        return {login: one} if one else {}
    return {item.get("login"): item for item in client.users_activity(enabled_only=enabled_only) if isinstance(item, dict)}


def with_creation_dates(client: Any, users: list, activity: dict) -> None:
    """Give a never-active user whose list item lacks its creation date (DSS before 14.2 ignores ``includeSettings``)
    the date from its own definition, so that a new account is not taken for a dormant one."""
    for user in users:
        seen = activity.get(user.get("login")) or {}
        never = all(moment(seen.get(field)) is None for field in ACTIVE_FIELDS)
        if never and user.get("enabled") is not False and "creationDate" not in user:
            definition = client.get_user(user["login"])
            if definition is not None and "creationDate" in definition:
                user["creationDate"] = definition["creationDate"]


def run(module: Any, client: Any) -> dict:
    params = module.params
    login, days = params["login"], params["inactive_days"]
    wants_activity = params["activity"] or days is not None
    users = read_users(client, login, with_settings=days is not None)
    result: dict = dict(changed=False)
    if wants_activity and users:
        now_ms = int(time.time() * 1000)
        activity = read_activity(client, login, enabled_only=days is not None and not params["activity"])
        if days is not None:
            with_creation_dates(client, users, activity)
        for user in users:
            user["activity"] = summary(activity.get(user.get("login")), user.get("creationDate"), now_ms)
        if days is not None:
            users = [user for user in users if is_dormant(user, user["activity"], days, now_ms)]
        result["as_of"] = iso(now_ms)
    elif wants_activity:
        result["as_of"] = iso(int(time.time() * 1000))
    if days is not None:
        result["api_key_user"] = client.auth_identifier()
    result["users"] = sorted((public_user(user) for user in users), key=lambda user: user.get("login", ""))
    return result


MODULE = DssModule(
    dict(login=dict(type="str"), activity=dict(type="bool", default=False), inactive_days=dict(type="int")),
    run,
    doing="Reading DSS users",
    problems=input_problems,
    invalid="Invalid dss_user_info options",
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
