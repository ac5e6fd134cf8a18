"""dataops.iam.pg_user and pg_user_info, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_paths

# The BI tool's service principal is the emulator's "reader" client; the module itself runs as "admin".
# Secrets reach the play through the environment, as in real use (extra vars would show at -vvvv).
SECRETS = {"BI_SECRET": "reader-secret"}
BI = {"client_id": "reader", "client_secret": "{{ lookup('ansible.builtin.env', 'BI_SECRET') }}"}


def pg_task(name="pg", **options):
    if "username" not in options:
        options.setdefault("client_credentials", BI)
    return {"name": name, "dataops.iam.pg_user": options, "register": "pg"}


def api_session(cdf, **item):
    item = item or {"tokenExchange": True}
    return cdf.http.post("/sessions", json={"items": [item]}).raise_for_status().json()["items"][0]


def api_user(cdf, session=None):
    session = session or api_session(cdf, clientId="reader", clientSecret="reader-secret")
    body = {"items": [{"credentials": {"nonce": session["nonce"]}}]}
    return cdf.http.post("/postgresgateway", json=body).raise_for_status().json()["items"][0]


def users(cdf):
    return cdf.http.get("/postgresgateway", params={"limit": 100}).raise_for_status().json()["items"]


def session_status(cdf, session_id):
    body = {"items": [{"id": session_id}]}
    return cdf.http.post("/sessions/byids", json=body).raise_for_status().json()["items"][0]["status"]


def writes(emulator):
    return [(entry["method"], entry["path"].split("/demo/", 1)[1]) for entry in emulator.writes()]


def test_create_finds_the_user_again_by_client_id_and_check_mode_writes_nothing(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    checked = run([pg_task()], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True
    assert checked["pg_user"] == {"sessionClientId": "reader"}
    assert checked["diff"]["before"] == {}
    assert checked["diff"]["after"] == {"username": "(made up by the gateway)", "sessionClientId": "reader"}
    assert clean_emulator.writes() == [] and users(cdf) == []

    created = run([pg_task()], env=SECRETS).ok().result("pg")
    assert created["changed"] is True
    user = created["pg_user"]
    assert user["username"] and user["host"] and user["password"] and user["sessionId"]
    assert writes(clean_emulator) == [("POST", "sessions"), ("POST", "postgresgateway")]
    assert session_status(cdf, user["sessionId"]) == "ACTIVE", "the user bound the session's nonce"
    assert [stored["username"] for stored in users(cdf)] == [user["username"]]

    clean_emulator.clear_log()
    again = run([pg_task()], diff=True, env=SECRETS).ok()
    found = again.result("pg")
    assert found["changed"] is False and again.recap["changed"] == 0
    assert found["pg_user"]["username"] == user["username"]
    assert "password" not in found["pg_user"] and "host" not in found["pg_user"]
    assert found["diff"]["before"] == found["diff"]["after"]
    assert found["diff"]["after"]["sessionClientId"] == "reader" and found["diff"]["after"]["sessionStatus"] == "ACTIVE"
    assert run([pg_task()], check=True, env=SECRETS).ok().result("pg")["changed"] is False
    assert clean_emulator.writes() == []
    assert len(users(cdf)) == 1


def test_the_password_stays_out_of_the_output_with_no_log(run, tmp_path):
    store = {
        "name": "store",
        "ansible.builtin.copy": {"content": "{{ pg.pg_user.password }}", "dest": str(tmp_path / "pw"), "mode": "0600"},
        "no_log": True,
    }
    show = {"name": "show", "ansible.builtin.debug": {"msg": "user {{ pg.pg_user.username }}"}}
    outcome = run([dict(pg_task(), no_log=True), store, show], env=SECRETS, verbosity=3).ok()
    password = (tmp_path / "pw").read_text()
    assert len(password) > 10
    assert password not in outcome.stdout + outcome.stderr
    assert "reader-secret" not in outcome.stdout + outcome.stderr
    assert "user pgu_" in outcome.stdout


def test_rotate_credentials_binds_a_new_session_to_the_same_user(run, cdf, clean_emulator):
    user = run([pg_task()], env=SECRETS).ok().result("pg")["pg_user"]
    clean_emulator.clear_log()
    checked = run([pg_task(rotate_credentials=True)], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True and checked["previous_session_id"] == user["sessionId"]
    assert checked["diff"]["after"]["sessionId"] == "(a new session)"
    assert clean_emulator.writes() == []

    rotated = run([pg_task(rotate_credentials=True)], env=SECRETS).ok().result("pg")
    assert rotated["changed"] is True
    assert rotated["pg_user"]["username"] == user["username"]
    assert rotated["pg_user"]["sessionId"] != user["sessionId"]
    assert rotated["previous_session_id"] == user["sessionId"]
    assert "password" not in rotated["pg_user"]
    assert writes(clean_emulator) == [("POST", "sessions"), ("POST", "postgresgateway/update")]
    assert session_status(cdf, rotated["pg_user"]["sessionId"]) == "ACTIVE"
    assert [stored["sessionId"] for stored in users(cdf)] == [rotated["pg_user"]["sessionId"]]
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False, "still found by client id"


def test_a_revoked_session_is_reported_and_rotation_repairs_it(run, cdf):
    user = run([pg_task()], env=SECRETS).ok().result("pg")["pg_user"]
    cdf.http.post("/sessions/revoke", json={"items": [{"id": user["sessionId"]}]}).raise_for_status()
    found = run([pg_task(username=user["username"])]).ok().result("pg")
    assert found["changed"] is False
    assert any("is REVOKED" in warning and "rotate_credentials" in warning for warning in found["warnings"])
    rotated = run([pg_task(username=user["username"], client_credentials=BI, rotate_credentials=True)], env=SECRETS)
    assert rotated.ok().result("pg")["changed"] is True
    assert "warnings" not in run([pg_task(username=user["username"])]).ok().result("pg")


def test_a_given_nonce_is_bound_instead_of_making_a_session(run, cdf, clean_emulator):
    session = api_session(cdf, clientId="reader", clientSecret="reader-secret")
    clean_emulator.clear_log()
    nonce = "{{ lookup('ansible.builtin.env', 'SESSION_NONCE') }}"
    result = run([pg_task(nonce=nonce)], env=dict(SECRETS, SESSION_NONCE=session["nonce"])).ok()
    assert result.result("pg")["pg_user"]["sessionId"] == session["id"]
    assert writes(clean_emulator) == [("POST", "postgresgateway")]
    assert session["nonce"] not in result.stdout
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False


def test_absent_by_client_or_username_is_idempotent(run, cdf, clean_emulator):
    first = api_user(cdf)
    clean_emulator.clear_log()
    checked = run([pg_task(state="absent")], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True and checked["diff"]["after"] == {}
    assert checked["diff"]["before"]["username"] == first["username"]
    assert clean_emulator.writes() == []

    deleted = run([pg_task(state="absent")], env=SECRETS).ok().result("pg")
    assert deleted["changed"] is True and deleted["pg_user"] is None
    assert deleted["deleted_user"] == {
        "username": first["username"], "sessionId": first["sessionId"], "sessionStatus": "ACTIVE", "sessionClientId": "reader",
    }
    assert users(cdf) == []
    assert run([pg_task(state="absent")], env=SECRETS).ok().result("pg")["changed"] is False

    second = api_user(cdf)
    assert run([pg_task(state="absent", username=second["username"])]).ok().result("pg")["changed"] is True
    clean_emulator.clear_log()
    unknown = run([pg_task(state="absent", username="pgu_nobody")]).ok().result("pg")
    assert unknown["changed"] is False and clean_emulator.writes() == []


def test_a_username_that_does_not_exist_cannot_be_created(run, clean_emulator):
    clean_emulator.clear_log()
    outcome = run([pg_task(username="pgu_wanted", client_credentials=BI)], env=SECRETS)
    assert outcome.rc != 0
    message = outcome.result("pg")["msg"]
    assert "no Postgres-gateway user is named 'pgu_wanted'" in message and "leave username out" in message
    assert clean_emulator.writes() == []


def test_two_users_of_one_client_are_never_picked_from(run, cdf, clean_emulator):
    one, two = api_user(cdf), api_user(cdf)
    clean_emulator.clear_log()
    outcome = run([pg_task()], env=SECRETS)
    assert outcome.rc != 0
    message = outcome.result("pg")["msg"]
    assert "2 Postgres-gateway users have sessions made with client id 'reader'" in message
    assert one["username"] in message and two["username"] in message
    assert clean_emulator.writes() == []


def test_a_failed_create_revokes_the_session_it_made(run, cdf, clean_emulator):
    sessions_only = [
        {"sessionsAcl": {"actions": ["CREATE", "LIST", "DELETE"], "scope": {"all": {}}}},
        {"postgresGatewayAcl": {"actions": ["READ"], "scope": {"all": {}}}},
    ]
    cdf.create_group(name="readers-sessions", sourceId="cdf-readers", capabilities=sessions_only)
    outcome = run([pg_task()], client=("reader", "reader-secret"), env=SECRETS)
    assert outcome.rc != 0
    result = outcome.result("pg")
    assert "403" in result["msg"] and "postgresGatewayAcl" in result["msg"]
    assert "was revoked" in result["msg"]
    [made] = [entry for entry in clean_emulator.writes() if entry["path"].endswith("/sessions")]
    revokes = [entry for entry in clean_emulator.writes() if entry["path"].endswith("/sessions/revoke")]
    assert len(revokes) == 1 and made["status"] == 200
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_bad_input_fails_before_any_call(run, clean_emulator):
    cases = [
        ({"name": "t", "dataops.iam.pg_user": {}}, "set username (an existing user) or client_credentials"),
        ({"name": "t", "dataops.iam.pg_user": {"username": "u", "rotate_credentials": True}}, "rotate_credentials needs"),
        ({"name": "t", "dataops.iam.pg_user": {"username": "u", "state": "absent", "nonce": "x"}}, "for state=present"),
        ({"name": "t", "dataops.iam.pg_user": {"username": " "}}, "username must not be empty"),
    ]
    clean_emulator.clear_log()
    outcome = run([dict(task, name=f"case {i}", ignore_errors=True) for i, (task, _expected) in enumerate(cases)])
    for i, (_task, expected) in enumerate(cases):
        [recorded] = [t for t in outcome.tasks if t["task"] == f"case {i}"]
        assert recorded["status"] == "failed" and expected in recorded["result"]["msg"], recorded["result"]["msg"]
    assert clean_emulator.requests() == []
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_pg_user_info_lists_pages_filters_and_sessions(run, cdf, clean_emulator):
    mine = [api_user(cdf) for _index in range(101)]
    theirs = api_user(cdf, api_session(cdf))
    tasks = [
        {"name": "all", "dataops.iam.pg_user_info": {}},
        {"name": "named", "dataops.iam.pg_user_info": {"usernames": [mine[0]["username"], "pgu_nobody", theirs["username"]]}},
        {"name": "client", "dataops.iam.pg_user_info": {"session_client_id": "reader"}},
        {"name": "sessions", "dataops.iam.pg_user_info": {"usernames": [theirs["username"]], "include_sessions": True}},
    ]
    clean_emulator.clear_log()
    outcome = run(tasks, check=True).ok()
    everyone = outcome.result("all")["pg_users"]
    assert len(everyone) == 102 and all("password" not in user for user in everyone)
    pages = [entry for entry in clean_emulator.requests() if entry["path"].endswith("/postgresgateway")]
    assert len(pages) >= 2 * 2 and any("cursor" in entry["query"] for entry in pages)
    assert sorted(user["username"] for user in outcome.result("named")["pg_users"]) == sorted(
        [mine[0]["username"], theirs["username"]]
    )
    client = outcome.result("client")["pg_users"]
    assert len(client) == 101 and {user["session"]["clientId"] for user in client} == {"reader"}
    [with_session] = outcome.result("sessions")["pg_users"]
    assert with_session["session"] == {"id": theirs["sessionId"], "type": "TOKEN_EXCHANGE", "status": "ACTIVE"}
    assert clean_emulator.writes() == []


def test_a_lost_create_answer_finds_the_user_by_its_session_instead_of_making_another(run, cdf, clean_emulator):
    path = f"/api/v1/projects/{clean_emulator.project}/postgresgateway"
    clean_emulator.inject(method="POST", path=path, status=503, after=True, times=1)
    result = run([pg_task()], env=SECRETS).ok().result("pg")
    assert result["changed"] is True
    [stored] = users(cdf)
    assert result["pg_user"]["username"] == stored["username"] and "password" not in result["pg_user"]
    assert any("password is unknown" in warning for warning in result["warnings"])
    assert [entry["status"] for entry in clean_emulator.writes() if entry["path"] == path] == [503]
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False
