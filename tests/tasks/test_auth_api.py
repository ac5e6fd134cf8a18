"""login_session (revoke every active login session of a principal), login_session_info and principal_info."""

from __future__ import annotations

from emulator.auth_api.seeds import ORG, principal_id

ALICE = principal_id("Alice")


def active_sessions(tasks):
    return [s["id"] for s in tasks.emulator.state()["orgs"][ORG]["principals"][ALICE]["sessions"] if s["status"] == "ACTIVE"]


def test_login_sessions_revoked(tasks):
    active = active_sessions(tasks)
    assert active
    planned, done, again = tasks.converge("login_session", {"principal": ALICE, "all_active": True})
    assert sorted(planned["revoked_ids"]) == sorted(active) == sorted(done["revoked_ids"])
    assert {planned["diff"]["before"][i]["status"] for i in active} == {"ACTIVE"}
    assert again["revoked_ids"] == [] and active_sessions(tasks) == []


def test_login_session_info(tasks):
    sessions = tasks.read("login_session_info", {"principal": ALICE})["login_sessions"]
    assert [s["status"] for s in sessions] == ["ACTIVE", "ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED"]
    active = tasks.read("login_session_info", {"principal": ALICE, "status": "ACTIVE"})["login_sessions"]
    assert [s["id"] for s in active] == [s["id"] for s in sessions[:2]]


def test_principal_info(tasks):
    found = tasks.read("principal_info", {"email": "Alice.Andersen@example.com"})
    assert found["principal"]["id"] == ALICE
