"""The self-lockout guards of dss_user and dss_group without a server: which changes of the key's own user or its
admin group they refuse (as a TaskError), and that they ask DSS nothing for a task that cannot lock anyone out."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.dss.lockout import (
    group_lockout_message,
    group_lockout_problems,
    lockout_message,
    refuse_group_lockout,
    refuse_user_lockout,
    self_lockout_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

ADMIN = {"login": "admin", "enabled": True, "groups": ["administrators", "data_team"]}


class FakeDss:
    def __init__(self, me="admin"):
        self.me = me
        self.calls = []

    def auth_identifier(self):
        self.calls.append("auth/info")
        return self.me

    def list_groups(self):
        self.calls.append("groups")
        return [{"name": "administrators", "admin": True}, {"name": "ops", "admin": True}, {"name": "data_team", "admin": False}]


def test_nothing_is_asked_when_the_task_neither_disables_nor_regroups():
    client = FakeDss()
    assert self_lockout_problems(client, "admin", ADMIN, dict(ADMIN, displayName="New")) == []
    assert self_lockout_problems(client, "admin", None, dict(ADMIN, enabled=False)) == []
    assert client.calls == []


def test_disabling_the_own_user_is_refused_another_user_is_not():
    problems = self_lockout_problems(FakeDss(), "admin", ADMIN, dict(ADMIN, enabled=False))
    assert len(problems) == 1 and "enabled: false would disable user 'admin'" in problems[0]
    other = FakeDss(me="someone-else")
    assert self_lockout_problems(other, "admin", ADMIN, dict(ADMIN, enabled=False)) == []
    assert other.calls == ["auth/info"]


def test_leaving_every_admin_group_is_refused_keeping_one_is_not():
    problems = self_lockout_problems(FakeDss(), "admin", ADMIN, dict(ADMIN, groups=["data_team"]))
    assert len(problems) == 1 and "admin group(s) administrators" in problems[0]
    assert self_lockout_problems(FakeDss(), "admin", ADMIN, dict(ADMIN, groups=["ops", "data_team"])) == []
    assert self_lockout_problems(FakeDss(), "admin", ADMIN, dict(ADMIN, groups=["administrators"])) == []


def test_an_already_disabled_user_is_no_lockout_and_the_message_names_the_fix():
    disabled = dict(ADMIN, enabled=False)
    assert self_lockout_problems(FakeDss(), "admin", disabled, dict(disabled)) == []
    text = lockout_message("admin", ["x"])
    assert "another administrator's API key" in text and "allow_self_lockout: true" in text


# -- dss_group: an admin group the key's own user depends on -----------------------------------------------------
ADMINS = {"name": "administrators", "admin": True, "mayCreateProjects": True}


class FakeDssWithUsers(FakeDss):
    def __init__(self, me="admin", groups=("administrators", "data_team")):
        super().__init__(me)
        self.user_groups = list(groups)

    def get_user(self, login):
        self.calls.append("user " + login)
        return {"login": login, "groups": self.user_groups}


def test_group_guard_asks_nothing_unless_an_admin_group_is_taken_away():
    client = FakeDssWithUsers()
    assert group_lockout_problems(client, "administrators", ADMINS, dict(ADMINS, description="x")) == []
    assert group_lockout_problems(client, "data_team", {"name": "data_team", "admin": False}, None) == []
    assert group_lockout_problems(client, "administrators", None, dict(ADMINS, admin=False)) == []
    assert client.calls == []


def test_deleting_or_demoting_the_keys_only_admin_group_is_refused():
    for desired, words in ((None, "deleting group 'administrators'"), (dict(ADMINS, admin=False), "admin: false on group")):
        problems = group_lockout_problems(FakeDssWithUsers(), "administrators", ADMINS, desired)
        assert len(problems) == 1 and words in problems[0] and "only admin group" in problems[0]
    text = group_lockout_message("administrators", ["x"])
    assert "another admin group first" in text and "allow_self_lockout: true" in text


def test_another_admin_group_or_another_users_group_is_not_guarded():
    keeps_ops = FakeDssWithUsers(groups=("administrators", "ops"))
    assert group_lockout_problems(keeps_ops, "administrators", ADMINS, None) == []
    not_a_member = FakeDssWithUsers(groups=("data_team",))
    assert group_lockout_problems(not_a_member, "administrators", ADMINS, None) == []
    assert not_a_member.calls == ["auth/info", "user admin"], "the groups are read only for a member"


def test_the_refusals_are_task_errors_with_the_message_and_nothing_when_allowed():
    with pytest.raises(TaskError) as caught:
        refuse_user_lockout(FakeDss(), "admin", ADMIN, dict(ADMIN, enabled=False))
    assert caught.value.msg.startswith("Refusing to change DSS user 'admin': enabled: false would disable user 'admin'")
    assert caught.value.result == {}, "changed comes from the client's record of writes (runtime.py)"
    with pytest.raises(TaskError, match="^Refusing to change DSS group 'administrators': deleting group 'administrators'"):
        refuse_group_lockout(FakeDssWithUsers(), "administrators", ADMINS, None)
    assert refuse_user_lockout(FakeDss(), "admin", ADMIN, dict(ADMIN, groups=["ops"])) is None
    assert refuse_group_lockout(FakeDssWithUsers(groups=("administrators", "ops")), "administrators", ADMINS, None) is None
