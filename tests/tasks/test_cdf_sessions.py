"""session and pg_user: made (check mode first), found again or revoked, and a re-run with no change."""

from __future__ import annotations

from emulator.cdf.seeds import SEED_CLIENTS

ADMIN = {"client_id": "admin", "client_secret": SEED_CLIENTS["admin"][0]}
READER = {"client_id": "reader", "client_secret": SEED_CLIENTS["reader"][0]}


def test_session_created_then_revoked(tasks):
    tasks.emulator.clear_log()
    planned = tasks.run("session", {"client_credentials": ADMIN}, check_mode=True, diff=True)
    assert planned["changed"] is True and tasks.writes() == []
    assert planned["session"] == {"type": "CLIENT_CREDENTIALS", "clientId": "admin"}
    created = tasks.run("session", {"client_credentials": ADMIN})
    assert created["changed"] is True and created["session"]["status"] == "READY" and created["session"]["nonce"]
    assert tasks.writes()

    session_id = created["session"]["id"]
    _planned, revoked, again = tasks.converge("session", {"state": "absent", "id": [session_id]})
    assert revoked["revoked_ids"] == [session_id]
    assert again["revoked_ids"] == []
    [stored] = tasks.run("session_info", {"ids": [session_id]})["sessions"]
    assert stored["status"] == "REVOKED"


def test_session_of_a_token_exchange(tasks):
    tasks.emulator.clear_log()
    assert tasks.run("session", {"token_exchange": True}, check_mode=True)["changed"] is True
    assert tasks.writes() == []
    made = tasks.run("session", {"token_exchange": True})["session"]
    assert made["type"] == "TOKEN_EXCHANGE" and made["nonce"]


def test_pg_user_created_found_again_then_deleted(tasks):
    planned, done, again = tasks.converge("pg_user", {"client_credentials": READER})
    assert planned["pg_user"] == dict.fromkeys(["username", "password", "host", "sessionId", "createdTime", "lastUpdatedTime"])
    user = done["pg_user"]
    assert user["username"] and user["password"] and user["sessionId"]
    assert again["pg_user"]["username"] == user["username"] and "password" not in again["pg_user"]

    gone, deleted, _again = tasks.converge("pg_user", {"state": "absent", "username": user["username"]})
    assert deleted["pg_user"] is None and gone["revoked_session_id"] == deleted["revoked_session_id"] == user["sessionId"]
    [session] = tasks.run("session_info", {"ids": [user["sessionId"]]})["sessions"]
    assert session["status"] == "REVOKED"
    assert tasks.run("pg_user_info", {"usernames": [user["username"]]})["pg_users"] == []


def test_a_session_whose_answer_was_lost_is_not_made_twice_and_the_failure_says_changed(tasks):
    path = "/api/v1/projects/%s/sessions" % tasks.emulator.project
    tasks.emulator.inject(method="POST", path=path, status=500, after=True, times=1)
    tasks.emulator.clear_log()
    lost = tasks.attempt("session", {"token_exchange": True})
    assert lost["failed"] is True and lost["changed"] is True
    assert "may or may not have taken effect; not retried" in lost["msg"]
    assert tasks.writes() == [("POST", path)], "sent once: each call makes a new session"
