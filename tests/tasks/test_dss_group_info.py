"""dss_group_info: the seeded groups with their members, one group, without members, and the requests each costs."""

from __future__ import annotations

GROUPS = "/public/api/admin/groups/"
USERS = "/public/api/admin/users/"


def calls(tasks) -> list:
    """(method, path) of the requests since the log was last cleared."""
    return [(entry["method"], entry["path"]) for entry in tasks.emulator.requests()]


def test_every_group_with_its_members_in_two_requests(tasks):
    result = tasks.read("dss_group_info", {})
    assert calls(tasks) == [("GET", GROUPS), ("GET", USERS)], "one group list and one user list"
    members = {group["name"]: group["members"] for group in result["groups"]}
    assert members == {"administrators": ["admin"], "data_team": ["analyst"], "readers": []}
    administrators = result["groups"][0]
    assert administrators["admin"] is True and administrators["mayUseSomeFutureFeature"] is True, "as DSS returns it"


def test_one_group_and_a_group_nobody_has(tasks):
    [data_team] = tasks.read("dss_group_info", {"name": "data_team"})["groups"]
    assert calls(tasks) == [("GET", GROUPS + "data_team"), ("GET", USERS)]
    assert data_team["members"] == ["analyst"] and data_team["ldapGroupNames"]
    assert tasks.read("dss_group_info", {"name": "nobody_has_this"})["groups"] == []
    assert calls(tasks) == [("GET", GROUPS + "nobody_has_this")], "no user list for no group"


def test_without_members_the_users_are_not_read(tasks):
    result = tasks.read("dss_group_info", {"members": False})
    assert calls(tasks) == [("GET", GROUPS)]
    assert [group["name"] for group in result["groups"]] == ["administrators", "data_team", "readers"]
    assert not [group for group in result["groups"] if "members" in group]


def test_check_mode_reads_the_same_and_writes_nothing(tasks):
    tasks.emulator.clear_log()
    checked = tasks.run("dss_group_info", {}, check_mode=True)
    assert checked == tasks.run("dss_group_info", {})
    assert tasks.writes() == []


def test_an_invalid_name_fails_before_any_request(tasks):
    tasks.emulator.clear_log()
    result = tasks.attempt("dss_group_info", {"name": "a/b"})
    assert result["failed"] and "Invalid DSS group name: name 'a/b' contains '/'" in result["msg"], result
    assert tasks.emulator.requests() == []
