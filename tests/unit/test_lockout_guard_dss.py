"""dss_user's self-lockout guard without a server: which changes of the key's own user it refuses, and that it
asks DSS nothing for a task that cannot lock anyone out."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.dss.lockout import lockout_message, self_lockout_problems

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
