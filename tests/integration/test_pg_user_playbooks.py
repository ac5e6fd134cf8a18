"""dataops.iam.pg_user and pg_user_info, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

import pytest

from registered import keep_task, kept

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


def created(run, tmp_path, **options):
    """Run one pg_user task that creates the user; its registered result (the printed one is hidden: password)."""
    outcome = run([pg_task(**options), keep_task(tmp_path / "pg.json", ["pg"])], env=SECRETS).ok()
    assert outcome.result("pg")["changed"] is True and "censored" in outcome.result("pg")
    return kept(tmp_path / "pg.json")["pg"]


def test_create_finds_the_user_again_by_client_id_and_check_mode_writes_nothing(run, cdf, clean_emulator, tmp_path):
    clean_emulator.clear_log()
    checked = run([pg_task()], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True
    # The keys and types of a real create's result: what only the gateway makes is null.
    assert checked["pg_user"] == dict.fromkeys(["username", "password", "host", "sessionId", "createdTime", "lastUpdatedTime"])
    assert checked["diff"]["before"] == {}
    assert checked["diff"]["after"] == {
        "username": "(made up by the gateway)", "sessionClientId": "reader", "sessionId": "(a new session)"}
    assert clean_emulator.writes() == [] and users(cdf) == []

    result = created(run, tmp_path)
    assert result["changed"] is True
    user = result["pg_user"]
    assert user["username"] and user["host"] and user["password"] and user["sessionId"]
    assert set(user) == set(checked["pg_user"]), "check mode returns the same keys"
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


def test_without_no_log_the_password_stays_out_of_the_output_and_a_later_task_stores_it(run, tmp_path):
    store = {
        "name": "store",
        "ansible.builtin.copy": {"content": "{{ pg.pg_user.password }}", "dest": str(tmp_path / "pw"), "mode": "0600"},
        "no_log": True,
    }
    show = {"name": "show", "ansible.builtin.debug": {"msg": "user {{ pg.pg_user.username }}"}}
    outcome = run([pg_task(), store, show], env=SECRETS, verbosity=4).ok()
    password = (tmp_path / "pw").read_text()
    assert len(password) > 10
    assert password not in outcome.stdout + outcome.stderr
    assert "reader-secret" not in outcome.stdout + outcome.stderr
    assert "user pgu_" in outcome.stdout
    assert "censored" in outcome.result("pg") and outcome.result("pg")["changed"] is True


def test_failures_show_in_full_without_no_log(run, cdf):
    """What no_log used to hide: the failure's message (here the wrong client secret of the session to make)."""
    wrong = {"client_id": "reader", "client_secret": "{{ lookup('ansible.builtin.env', 'WRONG_SECRET') }}"}
    outcome = run([pg_task(client_credentials=wrong)], env={"WRONG_SECRET": "a-wrong-reader-secret"}, verbosity=4)
    assert outcome.rc != 0
    result = outcome.result("pg")
    assert "censored" not in result and "Could not authenticate client 'reader'" in result["msg"]
    assert "Could not authenticate client" in outcome.stdout
    assert "a-wrong-reader-secret" not in outcome.stdout + outcome.stderr
    assert users(cdf) == []


def test_rotate_credentials_binds_a_new_session_and_revokes_the_previous_one(run, cdf, clean_emulator, tmp_path):
    user = created(run, tmp_path)["pg_user"]
    clean_emulator.clear_log()
    checked = run([pg_task(rotate_credentials=True)], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True and checked["previous_session_id"] == user["sessionId"]
    assert checked["revoked_session_id"] == user["sessionId"], "check mode reports the revoke"
    assert checked["pg_user"]["sessionId"] is None and checked["pg_user"]["lastUpdatedTime"] is None
    assert checked["pg_user"]["username"] == user["username"]
    assert set(checked["pg_user"]) == {"username", "sessionId", "createdTime", "lastUpdatedTime"}
    assert checked["diff"]["after"]["sessionId"] == "(a new session)"
    assert clean_emulator.writes() == []
    assert session_status(cdf, user["sessionId"]) == "ACTIVE"

    rotated = run([pg_task(rotate_credentials=True)], env=SECRETS).ok().result("pg")
    assert rotated["changed"] is True
    assert rotated["pg_user"]["username"] == user["username"]
    assert rotated["pg_user"]["sessionId"] != user["sessionId"]
    assert set(rotated["pg_user"]) == set(checked["pg_user"]), "check mode returns the same keys"
    assert rotated["previous_session_id"] == rotated["revoked_session_id"] == user["sessionId"]
    assert "password" not in rotated["pg_user"]
    assert writes(clean_emulator) == [("POST", "sessions"), ("POST", "postgresgateway/update"), ("POST", "sessions/revoke")]
    assert session_status(cdf, rotated["pg_user"]["sessionId"]) == "ACTIVE"
    assert session_status(cdf, user["sessionId"]) == "REVOKED"
    assert [stored["sessionId"] for stored in users(cdf)] == [rotated["pg_user"]["sessionId"]]
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False, "still found by client id"


def test_rotation_can_keep_the_previous_session(run, cdf, clean_emulator, tmp_path):
    user = created(run, tmp_path)["pg_user"]
    clean_emulator.clear_log()
    rotated = run([pg_task(rotate_credentials=True, revoke_previous_session=False)], env=SECRETS).ok().result("pg")
    assert rotated["previous_session_id"] == user["sessionId"] and "revoked_session_id" not in rotated
    assert writes(clean_emulator) == [("POST", "sessions"), ("POST", "postgresgateway/update")]
    assert session_status(cdf, user["sessionId"]) == "ACTIVE"


def test_a_rotation_whose_revoke_is_refused_names_the_session_still_active(run, cdf, clean_emulator, tmp_path):
    user = created(run, tmp_path)["pg_user"]
    may_not_revoke = [
        {"sessionsAcl": {"actions": ["CREATE", "LIST"], "scope": {"all": {}}}},
        {"postgresGatewayAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}},
    ]
    cdf.create_group(name="readers-gateway", sourceId="cdf-readers", capabilities=may_not_revoke)
    outcome = run([pg_task(rotate_credentials=True)], client=("reader", "reader-secret"), env=SECRETS)
    assert outcome.rc != 0
    result = outcome.result("pg")
    [stored] = users(cdf)
    assert stored["sessionId"] != user["sessionId"], "the new session is bound"
    assert result["changed"] is True and "403" in result["msg"]
    assert "the user now acts with its new session %s" % stored["sessionId"] in result["msg"]
    assert "the previous session %s is still active" % user["sessionId"] in result["msg"]
    assert "dataops.iam.session, state: absent, id: %s" % user["sessionId"] in result["msg"]
    assert session_status(cdf, user["sessionId"]) == "ACTIVE"


def test_a_revoked_session_is_reported_and_rotation_repairs_it(run, cdf, clean_emulator, tmp_path):
    user = created(run, tmp_path)["pg_user"]
    cdf.http.post("/sessions/revoke", json={"items": [{"id": user["sessionId"]}]}).raise_for_status()
    found = run([pg_task(username=user["username"])]).ok().result("pg")
    assert found["changed"] is False
    assert any("is REVOKED" in warning and "rotate_credentials" in warning for warning in found["warnings"])
    clean_emulator.clear_log()
    rotated = run([pg_task(username=user["username"], client_credentials=BI, rotate_credentials=True)], env=SECRETS)
    result = rotated.ok().result("pg")
    assert result["changed"] is True and result["previous_session_id"] == user["sessionId"]
    assert "revoked_session_id" not in result, "an ended session is not revoked again"
    assert ("POST", "sessions/revoke") not in writes(clean_emulator)
    assert "warnings" not in run([pg_task(username=user["username"])]).ok().result("pg")


def test_a_given_nonce_is_bound_instead_of_making_a_session(run, cdf, clean_emulator, tmp_path):
    session = api_session(cdf, clientId="reader", clientSecret="reader-secret")
    clean_emulator.clear_log()
    nonce = "{{ lookup('ansible.builtin.env', 'SESSION_NONCE') }}"
    checked = run([pg_task(nonce=nonce)], check=True, diff=True, env=dict(SECRETS, SESSION_NONCE=session["nonce"]))
    assert checked.ok().result("pg")["diff"]["after"]["sessionId"] == "(the session of the nonce)"
    tasks = [pg_task(nonce=nonce), keep_task(tmp_path / "pg.json", ["pg"])]
    result = run(tasks, env=dict(SECRETS, SESSION_NONCE=session["nonce"])).ok()
    assert kept(tmp_path / "pg.json")["pg"]["pg_user"]["sessionId"] == session["id"]
    assert writes(clean_emulator) == [("POST", "postgresgateway")]
    assert session["nonce"] not in result.stdout
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False


def test_absent_revokes_the_users_session_and_is_idempotent(run, cdf, clean_emulator):
    first = api_user(cdf)
    clean_emulator.clear_log()
    checked = run([pg_task(state="absent")], check=True, diff=True, env=SECRETS).ok().result("pg")
    assert checked["changed"] is True and checked["diff"]["after"] == {} and checked["pg_user"] is None
    assert checked["diff"]["before"]["username"] == first["username"]
    assert checked["revoked_session_id"] == first["sessionId"], "check mode reports the revoke"
    assert clean_emulator.writes() == []
    assert session_status(cdf, first["sessionId"]) == "ACTIVE"

    deleted = run([pg_task(state="absent")], env=SECRETS).ok().result("pg")
    assert deleted["changed"] is True and deleted["pg_user"] is None
    assert deleted["deleted_user"] == {
        "username": first["username"], "sessionId": first["sessionId"], "sessionStatus": "ACTIVE", "sessionClientId": "reader",
    }
    assert deleted["revoked_session_id"] == first["sessionId"]
    assert writes(clean_emulator) == [("POST", "sessions/revoke"), ("POST", "postgresgateway/delete")], "revoke first"
    assert users(cdf) == [] and session_status(cdf, first["sessionId"]) == "REVOKED"
    clean_emulator.clear_log()
    assert run([pg_task(state="absent")], env=SECRETS).ok().result("pg")["changed"] is False
    assert clean_emulator.writes() == []

    second = api_user(cdf)
    assert run([pg_task(state="absent", username=second["username"])]).ok().result("pg")["changed"] is True
    assert session_status(cdf, second["sessionId"]) == "REVOKED"
    clean_emulator.clear_log()
    unknown = run([pg_task(state="absent", username="pgu_nobody")]).ok().result("pg")
    assert unknown["changed"] is False and clean_emulator.writes() == []


def test_absent_of_a_user_whose_session_is_revoked_only_deletes(run, cdf, clean_emulator):
    user = api_user(cdf)
    cdf.http.post("/sessions/revoke", json={"items": [{"id": user["sessionId"]}]}).raise_for_status()
    clean_emulator.clear_log()
    deleted = run([pg_task(state="absent", username=user["username"])]).ok().result("pg")
    assert deleted["changed"] is True and "revoked_session_id" not in deleted
    assert writes(clean_emulator) == [("POST", "postgresgateway/delete")]


def test_absent_can_keep_the_session(run, cdf, clean_emulator):
    user = api_user(cdf)
    clean_emulator.clear_log()
    deleted = run([pg_task(state="absent", username=user["username"], revoke_previous_session=False)]).ok().result("pg")
    assert deleted["changed"] is True and "revoked_session_id" not in deleted
    assert deleted["deleted_user"]["sessionId"] == user["sessionId"]
    assert writes(clean_emulator) == [("POST", "postgresgateway/delete")]
    assert session_status(cdf, user["sessionId"]) == "ACTIVE"


def test_a_caller_that_may_not_revoke_fails_before_deleting_and_the_message_names_the_option(run, cdf, clean_emulator):
    """The reader may manage gateway users and list sessions, not revoke them: nothing is deleted."""
    may_not_revoke = [
        {"sessionsAcl": {"actions": ["LIST"], "scope": {"all": {}}}},
        {"postgresGatewayAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}},
    ]
    cdf.create_group(name="readers-gateway", sourceId="cdf-readers", capabilities=may_not_revoke)
    user = api_user(cdf)
    clean_emulator.clear_log()
    outcome = run([pg_task(state="absent", username=user["username"])], client=("reader", "reader-secret"))
    assert outcome.rc != 0
    result = outcome.result("pg")
    assert "403" in result["msg"] and "sessionsAcl:DELETE" in result["msg"]
    assert "revoke_previous_session: false" in result["msg"] and "nothing was deleted" in result["msg"]
    assert "the caller needs sessionsAcl:DELETE for it" in result["msg"]
    assert result["changed"] is False
    assert [stored["username"] for stored in users(cdf)] == [user["username"]]
    assert [entry["path"].rsplit("/", 2)[-2:] for entry in clean_emulator.writes()] == [["sessions", "revoke"]]
    kept_session = run([pg_task(state="absent", username=user["username"], revoke_previous_session=False)],
                       client=("reader", "reader-secret")).ok().result("pg")
    assert kept_session["changed"] is True and users(cdf) == []
    assert session_status(cdf, user["sessionId"]) == "ACTIVE"


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
    assert result["changed"] is True and "censored" not in result, "no password, so the result shows"
    [stored] = users(cdf)
    assert result["pg_user"]["username"] == stored["username"] and "password" not in result["pg_user"]
    assert any("password is unknown" in warning for warning in result["warnings"])
    assert [entry["status"] for entry in clean_emulator.writes() if entry["path"] == path] == [503]
    assert run([pg_task()], env=SECRETS).ok().result("pg")["changed"] is False
