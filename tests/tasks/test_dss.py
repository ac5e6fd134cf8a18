"""dss_user and dss_group: created, then deleted, each through check mode first and a re-run with no change; and
dss_user_info."""

from __future__ import annotations

PASSWORD = "Initial-Pa55word-7f3c"
JDOE = {"login": "jdoe", "display_name": "Jane Doe", "email": "jane@example.com", "groups": ["data_team", "readers"],
        "user_profile": "DATA_SCIENTIST", "password": PASSWORD, "user_properties": {"team": "forecasting"}}
ML_TEAM = {"name": "ml_team", "description": "Machine learning", "may_create_projects": True,
           "ldap_group_names": ["cn=ml,ou=groups"]}


def test_dss_user_created_then_deleted(tasks):
    planned, done, again = tasks.converge("dss_user", JDOE)
    assert planned["diff"]["before"] == {}
    assert done["user"]["displayName"] == "Jane Doe" and done["password_sent"] is True
    assert again["password_sent"] is False
    assert PASSWORD not in str([planned, done, again]), "a no_log option"

    _gone, deleted, _again = tasks.converge("dss_user", {"login": "jdoe", "state": "absent"})
    assert deleted["user"] is None
    assert tasks.run("dss_user_info", {"login": "jdoe"})["users"] == []


def test_dss_group_created_then_deleted(tasks):
    planned, done, again = tasks.converge("dss_group", ML_TEAM)
    assert planned["diff"]["before"] == {}
    assert done["group"]["description"] == "Machine learning" and done["group"]["mayCreateProjects"] is True
    assert again["group"] == done["group"]

    _gone, deleted, _again = tasks.converge("dss_group", {"name": "ml_team", "state": "absent"})
    assert deleted["group"] is None


def test_dss_user_info(tasks):
    [admin] = tasks.read("dss_user_info", {"login": "admin"})["users"]
    assert admin["login"] == "admin"
    assert {user["login"] for user in tasks.read("dss_user_info", {})["users"]} >= {"admin", "analyst"}


def test_dss_access_converges_a_new_team_in_one_task(tasks):
    model = {"groups": [ML_TEAM], "users": [dict(JDOE, groups=["ml_team", "readers"])]}
    planned, done, again = tasks.converge("dss_access", model)
    assert [(row["kind"], row["name"], row["action"]) for row in planned["plan"]] == [
        ("group", "ml_team", "create"), ("user", "jdoe", "create"),
    ], "check mode plans the user of a group it would create"
    assert planned["plan"] == done["plan"]
    assert {row["action"] for row in again["plan"]} == {"unchanged"}
    assert PASSWORD not in str([planned, done, again])
