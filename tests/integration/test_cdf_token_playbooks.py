"""dataops.iam.cdf_token: a token fetched once per play and handed to every CDF task through module_defaults."""

from __future__ import annotations

import pytest

from runner import EXECUTION, REPO, connection_vars, run_playbook

pytestmark = pytest.mark.both_paths

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}
TOKEN_FROM_TASK = "{{ cdf_token.token | default(omit) }}"


def defaults(emulator, **extra):
    """module_defaults of the token-once pattern: the client credentials and, once registered, the token."""
    cdf = connection_vars(emulator)
    cdf.update({"token": TOKEN_FROM_TASK, **extra})
    return {"group/dataops.iam.cdf": cdf}


TOKEN_TASK = {"name": "get a token", "dataops.iam.cdf_token": None, "register": "cdf_token", "no_log": True}


def group(name):
    return {"name": f"group {name}", "dataops.iam.group": {"name": name, "capabilities": [GROUPS_LIST]}}


def token_requests(emulator):
    return [entry for entry in emulator.requests() if entry["path"] == "/oauth2/token"]


@pytest.mark.parametrize("in_worker", [True, False], ids=["in-worker", "module-process"])
def test_one_token_request_for_the_whole_play(run, clean_emulator, cdf, tmp_path, in_worker):
    saved = tmp_path / "token.txt"
    tasks = [
        TOKEN_TASK,
        {
            "name": "the registered result holds the token",
            "ansible.builtin.assert": {
                "that": [
                    "cdf_token.token is string and cdf_token.token | length > 20",
                    "cdf_token.expires_in > 0 and cdf_token.expires_at > 0",
                ]
            },
        },
        {"name": "keep it for the test", "ansible.builtin.copy": {"content": "{{ cdf_token.token }}", "dest": str(saved)}, "no_log": True},
        group("engineers"),
        group("analysts"),
        {
            "name": "a loop",
            "dataops.iam.group": {"name": "{{ item }}", "capabilities": [GROUPS_LIST]},
            "loop": ["ops-1", "ops-2", "ops-3"],
        },
        {"name": "read back", "dataops.iam.group_info": {"name": "engineers"}},
    ]
    clean_emulator.clear_log()
    outcome = run(
        tasks,
        module_defaults=defaults(clean_emulator),
        verbosity=3,
        extra_vars={"dataops_iam_in_worker": in_worker},
    ).ok()

    assert len(token_requests(clean_emulator)) == 1, "one token for the play, none per task"
    assert {g["name"] for g in cdf.groups()} >= {"engineers", "analysts", "ops-1", "ops-2", "ops-3"}
    token = saved.read_text()
    assert len(token) > 20
    assert token not in outcome.stdout + outcome.stderr, "the token never shows, even at -vvv"
    token_result = outcome.result("get a token")
    assert "token" not in token_result and "censored" in token_result
    assert outcome.result("read back")["groups"][0]["name"] == "engineers"


def test_without_no_log_on_the_task_the_token_is_still_hidden(run, clean_emulator, tmp_path):
    saved = tmp_path / "token.txt"
    tasks = [
        {"name": "get a token", "dataops.iam.cdf_token": None, "register": "cdf_token"},
        {"name": "keep it", "ansible.builtin.copy": {"content": "{{ cdf_token.token }}", "dest": str(saved)}, "no_log": True},
    ]
    outcome = run(tasks, module_defaults=defaults(clean_emulator), verbosity=3).ok()
    assert saved.read_text() not in outcome.stdout + outcome.stderr
    assert "censored" in outcome.result("get a token")


def test_check_mode_gets_a_token_and_the_audit_writes_nothing(run, clean_emulator, cdf):
    run([group("engineers")], module_defaults=defaults(clean_emulator)).ok()
    clean_emulator.clear_log()
    changed = {"name": "engineers", "capabilities": [GROUPS_LIST, {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]}
    audit = run(
        [TOKEN_TASK, {"name": "audit", "dataops.iam.group": changed}],
        module_defaults=defaults(clean_emulator),
        check=True,
        diff=True,
    ).ok()
    assert audit.result("audit")["changed"] is True
    assert clean_emulator.writes() == []
    calls = [(entry["method"], entry["path"].rsplit("/", 1)[-1]) for entry in clean_emulator.requests()]
    assert calls[0] == ("POST", "token") and calls.count(("POST", "token")) == 1, calls
    assert ("GET", "groups") in calls


def test_a_rejected_token_is_replaced_with_the_client_credentials(run, clean_emulator, cdf):
    clean_emulator.clear_log()
    outcome = run([group("engineers")], module_defaults=defaults(clean_emulator, token="an-expired-token")).ok()
    assert outcome.result("group engineers")["changed"] is True
    calls = [(entry["method"], entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in clean_emulator.requests()]
    # the rejected token is replaced once; then the token inspection of the rights check, the create, and the
    # re-read after it that resolves copies made by a racing run
    assert calls == [("GET", "groups", 401), ("POST", "token", 200), ("GET", "groups", 200), ("GET", "inspect", 200),
                     ("POST", "groups", 201), ("GET", "groups", 200)]


def test_a_rejected_token_without_client_credentials_fails_with_a_clear_401(run, clean_emulator):
    settings = {"base_url": clean_emulator.url, "project": clean_emulator.project, "token": "an-expired-token"}
    outcome = run([group("engineers")], module_defaults={"group/dataops.iam.cdf": settings})
    assert outcome.rc != 0
    message = outcome.result("group engineers")["msg"]
    assert "401" in message and "an-expired-token" not in outcome.stdout


def test_a_token_in_module_defaults_is_not_reused_by_cdf_token(run, clean_emulator):
    tasks = [
        TOKEN_TASK,
        {"name": "again", "dataops.iam.cdf_token": None, "register": "again", "no_log": True},
        {"name": "check", "ansible.builtin.assert": {"that": ["again.token != cdf_token.token", "again.expires_in > 0"]}},
    ]
    clean_emulator.clear_log()
    run(tasks, module_defaults=defaults(clean_emulator)).ok()
    assert len(token_requests(clean_emulator)) == 2, "the second run renews the token it was given"


def test_wrong_credentials_fail_with_a_message_and_without_the_secret(run, clean_emulator):
    settings = connection_vars(clean_emulator, "admin", "not-the-secret")
    outcome = run([{"name": "get a token", "dataops.iam.cdf_token": None}], module_defaults={"group/dataops.iam.cdf": settings})
    assert outcome.rc != 0
    result = outcome.result("get a token")
    assert "censored" not in result, "a failure is shown"
    assert "Getting a token failed" in result["msg"] and "401" in result["msg"] and "'admin'" in result["msg"]
    assert "not-the-secret" not in outcome.stdout + outcome.stderr


def test_without_credentials_or_token_it_says_what_to_set(run, clean_emulator):
    settings = {"base_url": clean_emulator.url, "client_id": "admin", "token": "a-token"}
    outcome = run([{"name": "get a token", "dataops.iam.cdf_token": settings}], module_defaults={"group/dataops.iam.cdf": {}})
    assert outcome.rc != 0
    message = outcome.result("get a token")["msg"]
    assert "token_url" in message and "client_secret" in message


def test_the_example_playbook_makes_one_token_request_and_reruns_cleanly(clean_emulator, tmp_path):
    env = {
        "CDF_URL": clean_emulator.url,
        "CDF_PROJECT": clean_emulator.project,
        "IDP_CLIENT_ID": "admin",
        "IDP_CLIENT_SECRET": "admin-secret",
    }
    example = REPO / "playbooks" / "examples" / "cdf_token.yml"
    clean_emulator.clear_log()
    first = run_playbook(example, tmp_path / "first", env=env).ok()
    assert first.recap["changed"] == 1
    assert len(token_requests(clean_emulator)) == 1
    clean_emulator.clear_log()
    again = run_playbook(example, tmp_path / "again", env=env).ok()
    assert again.recap["changed"] == 0
    calls = [(entry["method"], entry["path"].rsplit("/", 1)[-1]) for entry in clean_emulator.requests()]
    # The loop's items share one group list in the worker; as module processes each reads it (the one documented
    # difference of the two paths, plugins/plugin_utils/in_worker.py).
    loop_lists = 1 if EXECUTION == "worker" else 3
    assert calls == [("POST", "token")] + [("GET", "groups")] * (loop_lists + 1), "a token, the loop's list(s), group_info's"
