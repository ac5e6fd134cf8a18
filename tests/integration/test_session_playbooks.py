"""dataops.iam.session and session_info, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

import json

from registered import keep_task, kept

# Secrets reach the play through the environment, as in real use (extra vars would show at -vvvv).
SECRETS = {"SCHEDULER_SECRET": "admin-secret"}
CLIENT_CREDENTIALS = {"client_id": "admin", "client_secret": "{{ lookup('ansible.builtin.env', 'SCHEDULER_SECRET') }}"}


def create_task(name="create", **options):
    if not options.get("token_exchange"):
        options.setdefault("client_credentials", CLIENT_CREDENTIALS)
    return {"name": name, "dataops.iam.session": options, "register": "made"}


def revoke_task(ids, name="revoke"):
    return {"name": name, "dataops.iam.session": {"state": "absent", "id": ids}}


def api_session(cdf, **item):
    item = item or {"tokenExchange": True}
    return cdf.http.post("/sessions", json={"items": [item]}).raise_for_status().json()["items"][0]


def api_sessions(cdf, *ids):
    body = {"items": [{"id": i} for i in ids]}
    return cdf.http.post("/sessions/byids", json=body).raise_for_status().json()["items"]


def test_create_returns_the_session_and_is_always_a_change(run, cdf, tmp_path):
    tasks = [create_task(), dict(create_task(name="again"), register="again"), keep_task(tmp_path / "r", ["made", "again"])]
    outcome = run(tasks, env=SECRETS).ok()
    assert outcome.result("create")["changed"] is True and outcome.result("again")["changed"] is True
    registered = kept(tmp_path / "r")
    session = registered["made"]["session"]
    assert set(session) >= {"id", "status", "nonce", "type", "clientId"}
    assert session["status"] == "READY" and session["type"] == "CLIENT_CREDENTIALS" and session["clientId"] == "admin"
    second = registered["again"]["session"]
    assert second["id"] != session["id"] and second["nonce"] != session["nonce"]
    [stored] = api_sessions(cdf, session["id"])
    assert stored["status"] == "READY" and "nonce" not in stored


def test_without_no_log_the_nonce_stays_out_of_the_output_and_later_tasks_use_it(run, cdf, tmp_path):
    """The result that carries the nonce is hidden as no_log would hide it, with no no_log on the task; the
    registered variable holds it, and a later task binds it."""
    bind = {
        "name": "bind",
        "dataops.iam.pg_user": {"client_credentials": CLIENT_CREDENTIALS, "nonce": "{{ made.session.nonce }}"},
        "register": "bound",
    }
    show = {"name": "show", "ansible.builtin.debug": {"msg": "session {{ made.session.id }} is {{ made.session.status }}"}}
    tasks = [create_task(), bind, show, keep_task(tmp_path / "r", ["made", "bound"])]
    outcome = run(tasks, env=SECRETS, verbosity=4).ok()
    registered = kept(tmp_path / "r")
    nonce = registered["made"]["session"]["nonce"]
    assert len(nonce) > 20
    text = outcome.stdout + outcome.stderr
    assert nonce not in text and "admin-secret" not in text
    result = outcome.result("create")
    assert result["changed"] is True and "censored" in result and "session" not in result
    assert "is READY" in outcome.stdout
    assert registered["bound"]["pg_user"]["sessionId"] == registered["made"]["session"]["id"], "the nonce was used"
    assert api_sessions(cdf, registered["made"]["session"]["id"])[0]["status"] == "ACTIVE"


def test_no_log_still_hides_everything(run, tmp_path):
    keep = {
        "name": "keep the nonce for the consumer",
        "ansible.builtin.copy": {"content": "{{ made.session.nonce }}", "dest": str(tmp_path / "nonce"), "mode": "0600"},
        "no_log": True,
    }
    outcome = run([dict(create_task(), no_log=True), keep], env=SECRETS, verbosity=3).ok()
    nonce = (tmp_path / "nonce").read_text()
    assert len(nonce) > 20 and nonce not in outcome.stdout + outcome.stderr
    assert "censored" in str(outcome.result("create"))


def test_the_client_secret_is_masked_even_without_no_log(run):
    outcome = run([create_task()], env=SECRETS, verbosity=3).ok()
    assert "admin-secret" not in outcome.stdout + outcome.stderr
    # Nowhere in the result either (ansible-core < 2.21 returns the module's arguments in "invocation").
    assert "admin-secret" not in json.dumps(outcome.result("create"))


def test_token_exchange_session(run, tmp_path):
    run([create_task(token_exchange=True), keep_task(tmp_path / "r", ["made"])]).ok()
    session = kept(tmp_path / "r")["made"]["session"]
    assert session["type"] == "TOKEN_EXCHANGE" and session["status"] == "READY" and session["nonce"]
    assert "clientId" not in session


def test_check_mode_creates_nothing_and_the_diff_shows_what_would_be(run, clean_emulator):
    clean_emulator.clear_log()
    result = run([create_task()], check=True, diff=True, env=SECRETS).ok().result("create")
    assert result["changed"] is True
    assert result["session"] == {"type": "CLIENT_CREDENTIALS", "clientId": "admin"}
    assert result["diff"] == {"before": {}, "after": {"type": "CLIENT_CREDENTIALS", "clientId": "admin"}}
    assert clean_emulator.writes() == []


def test_wrong_client_credentials_fail_clearly_without_the_secret(run):
    bad = {"client_id": "admin", "client_secret": "{{ lookup('ansible.builtin.env', 'WRONG_SECRET') }}"}
    outcome = run([create_task(client_credentials=bad)], env={"WRONG_SECRET": "not-the-secret"}, verbosity=4)
    assert outcome.rc != 0
    result = outcome.result("create")
    message = result["msg"]
    assert message.startswith("Creating a session failed: HTTP 400") and "admin" in message
    assert "censored" not in result and "Creating a session failed" in outcome.stdout, "a failure shows, no no_log"
    assert "not-the-secret" not in outcome.stdout + outcome.stderr


def test_revoke_check_mode_then_revoke_then_rerun_is_unchanged(run, cdf, clean_emulator):
    one, two = api_session(cdf), api_session(cdf)
    clean_emulator.clear_log()
    checked = run([revoke_task([one["id"], two["id"]])], check=True, diff=True).ok().result("revoke")
    assert checked["changed"] is True
    assert checked["revoked_ids"] == [one["id"], two["id"]]
    assert checked["diff"]["before"][str(one["id"])]["status"] == "READY"
    assert checked["diff"]["after"][str(one["id"])]["status"] == "REVOKED"
    assert clean_emulator.writes() == []
    assert {s["status"] for s in api_sessions(cdf, one["id"], two["id"])} == {"READY"}

    revoked = run([revoke_task(one["id"])]).ok().result("revoke")
    assert revoked["changed"] is True and revoked["revoked_ids"] == [one["id"]]
    assert revoked["sessions"][0]["status"] == "REVOKED" and "nonce" not in revoked["sessions"][0]
    assert [s["status"] for s in api_sessions(cdf, one["id"], two["id"])] == ["REVOKED", "READY"]

    clean_emulator.clear_log()
    again = run([revoke_task([one["id"], two["id"]])]).ok().result("revoke")
    assert again["changed"] is True and again["revoked_ids"] == [two["id"]], "only the one still usable"
    writes = clean_emulator.writes()
    assert [entry["body"]["items"] for entry in writes] == [[{"id": two["id"]}]]

    clean_emulator.clear_log()
    idempotent = run([revoke_task([one["id"], two["id"]])]).ok()
    assert idempotent.result("revoke")["changed"] is False and idempotent.result("revoke")["revoked_ids"] == []
    assert clean_emulator.writes() == []


def test_an_empty_id_list_revokes_nothing_and_is_no_change(run, cdf, clean_emulator):
    """A filter that finds nothing on the second run gives id: [], which is no change (leaving id out still fails)."""
    kept = api_session(cdf)
    clean_emulator.clear_log()
    tasks = [
        {"name": "list", "dataops.iam.session_info": {"ids": [kept["id"]]}, "register": "listed"},
        revoke_task("{{ listed.sessions | selectattr('status', 'equalto', 'REVOKED') | map(attribute='id') | list }}",
                    name="revoke none found"),
        revoke_task([], name="revoke empty"),
    ]
    outcome = run(tasks, diff=True).ok()
    for name in ("revoke none found", "revoke empty"):
        result = outcome.result(name)
        assert result["changed"] is False and result["sessions"] == [] and result["revoked_ids"] == [], result
        assert result["diff"] == {"before": {}, "after": {}}
    assert outcome.recap["changed"] == 0
    assert clean_emulator.writes() == []
    assert [entry["path"] for entry in clean_emulator.requests() if "/sessions" in entry["path"]] == [
        f"/api/v1/projects/{clean_emulator.project}/sessions/byids"], "only session_info read; the revokes called nothing"
    assert api_sessions(cdf, kept["id"])[0]["status"] == "READY"


def test_session_info_with_an_empty_id_list_returns_none_without_a_call(run, cdf, clean_emulator):
    """As session treats id: [] as nothing to revoke, session_info treats ids: [] as no session to read."""
    kept_session = api_session(cdf)
    clean_emulator.clear_log()
    tasks = [
        {"name": "none revoked", "dataops.iam.session_info": {"ids": [kept_session["id"]]}, "register": "listed"},
        {"name": "read none found", "dataops.iam.session_info": {
            "ids": "{{ listed.sessions | selectattr('status', 'equalto', 'REVOKED') | map(attribute='id') | list }}"}},
        {"name": "read empty", "dataops.iam.session_info": {"ids": []}},
    ]
    outcome = run(tasks, check=True).ok()
    for name in ("read none found", "read empty"):
        result = outcome.result(name)
        assert result["changed"] is False and result["sessions"] == [] and result["unknown_ids"] == [], result
    assert [entry["path"] for entry in clean_emulator.requests() if "/sessions" in entry["path"]] == [
        f"/api/v1/projects/{clean_emulator.project}/sessions/byids"], "only the first task read"


def test_cdf_cluster_in_the_environment_does_not_clash_with_base_url_in_the_task(run, cdf):
    """The environment fills in only what no option sets: CDF_CLUSTER (and CDF_URL) are not read when base_url is set
    (here in module_defaults), in a module process (session_info) and in the worker (cdf_token)."""
    session = api_session(cdf)
    env = {"CDF_CLUSTER": "westeurope-1", "CDF_URL": "http://127.0.0.1:9"}
    tasks = [
        {"name": "info", "dataops.iam.session_info": {"ids": [session["id"]]}},
        {"name": "token", "dataops.iam.cdf_token": {}, "no_log": True},
        {"name": "info with base_url in the task", "dataops.iam.session_info": {"ids": [session["id"]], "base_url": cdf.emulator.url}},
    ]
    outcome = run(tasks, env=env).ok()
    assert outcome.result("info")["sessions"][0]["id"] == session["id"]
    assert outcome.result("info with base_url in the task")["sessions"][0]["status"] == "READY"
    assert outcome.recap["failed"] == 0 and "mutually exclusive" not in outcome.stdout


def test_unknown_ids_fail_and_nothing_is_revoked(run, cdf, clean_emulator):
    known = api_session(cdf)
    clean_emulator.clear_log()
    outcome = run([revoke_task([known["id"], 42])])
    assert outcome.rc != 0
    result = outcome.result("revoke")
    assert "no session has the id 42" in result["msg"] and "nothing was revoked" in result["msg"]
    assert result["unknown_ids"] == [42]
    assert clean_emulator.writes() == []
    assert api_sessions(cdf, known["id"])[0]["status"] == "READY"


def test_statuses_move_ready_active_revoked(run, cdf):
    session = api_session(cdf)
    info = {"name": "info", "dataops.iam.session_info": {"ids": [session["id"]]}}
    assert run([info]).ok().result("info")["sessions"][0]["status"] == "READY"
    cdf.http.post("/postgresgateway", json={"items": [{"credentials": {"nonce": session["nonce"]}}]}).raise_for_status()
    assert run([info]).ok().result("info")["sessions"][0]["status"] == "ACTIVE"
    run([revoke_task(session["id"])]).ok()
    assert run([info]).ok().result("info")["sessions"][0]["status"] == "REVOKED"


def test_bad_input_fails_before_any_call(run, clean_emulator):
    cases = [
        ({"name": "t", "dataops.iam.session": {}}, "needs client_credentials"),
        ({"name": "t", "dataops.iam.session": {"state": "absent"}}, "state=absent needs id"),
        ({"name": "t", "dataops.iam.session": {"token_exchange": True, "client_credentials": CLIENT_CREDENTIALS}},
         "mutually exclusive"),
        ({"name": "t", "dataops.iam.session": {"token_exchange": True, "id": [5]}}, "id is for state=absent"),
        ({"name": "t", "dataops.iam.session_info": {"limit": 0}}, "limit must be at least 1"),
        ({"name": "t", "dataops.iam.session_info": {"ids": [1], "status": "ACTIVE"}}, "mutually exclusive"),
        ({"name": "t", "dataops.iam.session_info": {"ids": [0]}}, "ids: 0 is not a session id"),
    ]
    clean_emulator.clear_log()
    outcome = run([dict(task, name=f"case {i}", ignore_errors=True) for i, (task, _expected) in enumerate(cases)], env=SECRETS)
    for i, (_task, expected) in enumerate(cases):
        [recorded] = [t for t in outcome.tasks if t["task"] == f"case {i}"]
        assert recorded["status"] == "failed" and expected in recorded["result"]["msg"], recorded["result"]["msg"]
    assert [entry for entry in clean_emulator.requests() if "/sessions" in entry["path"]] == []
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_session_info_by_ids_status_filter_limit_and_paging(run, cdf, clean_emulator):
    made = [api_session(cdf) for _index in range(1003)]
    cdf.http.post("/sessions/revoke", json={"items": [{"id": made[0]["id"]}, {"id": made[1]["id"]}]}).raise_for_status()
    clean_emulator.clear_log()
    tasks = [
        {"name": "all", "dataops.iam.session_info": {}},
        {"name": "revoked", "dataops.iam.session_info": {"status": "REVOKED"}},
        {"name": "ready", "dataops.iam.session_info": {"status": "READY", "limit": 1001}},
        {"name": "five", "dataops.iam.session_info": {"limit": 5}},
        {"name": "byids", "dataops.iam.session_info": {"ids": [made[2]["id"], 42, made[0]["id"]]}},
    ]
    outcome = run(tasks, check=True).ok()
    everything = outcome.result("all")["sessions"]
    assert len(everything) == 1003 and len({s["id"] for s in everything}) == 1003
    assert all("nonce" not in s for s in everything)
    assert [s["id"] for s in outcome.result("revoked")["sessions"]] == [made[0]["id"], made[1]["id"]]
    ready = outcome.result("ready")["sessions"]
    assert len(ready) == 1001 and {s["status"] for s in ready} == {"READY"}
    assert len(outcome.result("five")["sessions"]) == 5
    byids = outcome.result("byids")
    assert [s["id"] for s in byids["sessions"]] == [made[2]["id"], made[0]["id"]]
    assert byids["unknown_ids"] == [42]
    lists = [entry["query"] for entry in clean_emulator.requests() if entry["path"].endswith("/sessions")]
    assert lists[0] == {"limit": "1000"} and lists[1]["limit"] == "1000" and "cursor" in lists[1]
    assert {"limit": "5"} in lists
    assert clean_emulator.writes() == []


def test_a_lost_create_answer_is_not_retried_and_says_so(run, clean_emulator):
    path = f"/api/v1/projects/{clean_emulator.project}/sessions"
    clean_emulator.inject(method="POST", path=path, status=503, after=True, times=1)
    outcome = run([create_task()], env=SECRETS)
    assert outcome.rc != 0
    assert "may or may not have taken effect" in outcome.result("create")["msg"]
    assert [entry["status"] for entry in clean_emulator.writes() if entry["path"] == path] == [503]


def test_a_lost_revoke_answer_is_sent_again_safely(run, cdf, clean_emulator):
    session = api_session(cdf)
    path = f"/api/v1/projects/{clean_emulator.project}/sessions/revoke"
    clean_emulator.inject(method="POST", path=path, status=503, after=True, times=1)
    result = run([revoke_task(session["id"])]).ok().result("revoke")
    assert result["changed"] is True and result["revoked_ids"] == [session["id"]]
    assert [entry["status"] for entry in clean_emulator.writes() if entry["path"] == path] == [503, 200]
    assert api_sessions(cdf, session["id"])[0]["status"] == "REVOKED"
