"""Secrets never leak. Every playbook run of the integration suite is scanned
(runner.run_playbook, leakscan.py; ``make integration`` runs at -vvvv); these tests show that the scan sees
every kind of secret the suite uses, that it catches a leak, and what it allows: a created session's nonce and a
created Postgres-gateway user's password, once each, in the result of the task that asked for them, never
when that task is no_log."""

from __future__ import annotations

import pytest

from leakscan import allowed_occurrences, find_leaks
from runner import play, run_playbook

pytestmark = pytest.mark.both_paths

SECRET_ENV = {
    "BI_SECRET": "reader-secret",
    "ADMIN_SECRET": "admin-secret",
    "DSS_PASSWORD": "Leak-scan-pa55word-51",
    "WRONG_CLIENT_SECRET": "a-wrong-client-secret",
    "WRONG_API_KEY": "a-wrong-dss-api-key",
}


def env(name):
    return "{{ lookup('ansible.builtin.env', '%s') }}" % name


BI = {"client_id": "reader", "client_secret": env("BI_SECRET")}
ADMIN = {"client_id": "admin", "client_secret": env("ADMIN_SECRET")}

EVERY_SECRET_PATH = [
    {"name": "session shown", "dataops.iam.session": {"client_credentials": BI}},
    {"name": "session hidden", "dataops.iam.session": {"client_credentials": BI}, "no_log": True, "register": "hidden"},
    {"name": "pg user from the hidden nonce", "dataops.iam.pg_user": {"client_credentials": BI, "nonce": "{{ hidden.session.nonce }}"}},
    {"name": "pg user shown", "dataops.iam.pg_user": {"client_credentials": ADMIN}},
    {"name": "dss user", "dataops.iam.dss_user": {"login": "leak.scan", "password": env("DSS_PASSWORD"), "groups": ["readers"]}},
    {"name": "rotate password", "dataops.iam.dss_user": {"login": "leak.scan", "password": env("DSS_PASSWORD"),
                                                         "update_password": "always"}},
    {"name": "cdf token", "dataops.iam.token_info": {}},
    {"name": "wrong client secret", "dataops.iam.group_info": {"client_secret": env("WRONG_CLIENT_SECRET")}, "ignore_errors": True},
    {"name": "wrong api key", "dataops.iam.dss_user_info": {"api_key": env("WRONG_API_KEY")}, "ignore_errors": True},
    {"name": "bad input with a password", "dataops.iam.dss_user": {"login": "a/b", "password": env("DSS_PASSWORD")},
     "ignore_errors": True},
]


def test_every_kind_of_secret_is_scanned_at_vvvv_and_none_leaks(run, clean_emulator, dss):
    outcome = run(EVERY_SECRET_PATH, env=SECRET_ENV, verbosity=4)  # the scan runs inside run(): a leak fails here
    assert outcome.rc == 0 and outcome.recap["failed"] == 0
    assert dss.password_is("leak.scan", SECRET_ENV["DSS_PASSWORD"])
    known = set(clean_emulator.secrets())
    shown = outcome.result("session shown")["session"]["nonce"]
    hidden_user = outcome.result("pg user from the hidden nonce")["pg_user"]
    issued = {
        "access tokens": [s for s in known if s not in SECRET_ENV.values()],
        "shown nonce": [shown],
        "pg password shown": [outcome.result("pg user shown")["pg_user"]["password"]],
        "pg password of the second user": [hidden_user["password"]],
    }
    for kind, values in issued.items():
        assert values and set(values) <= known, kind
    for value in ("admin-secret", "dss-admin-key", SECRET_ENV["BI_SECRET"], SECRET_ENV["DSS_PASSWORD"],
                  SECRET_ENV["WRONG_CLIENT_SECRET"], SECRET_ENV["WRONG_API_KEY"]):
        assert value in known
    text = outcome.stdout + outcome.stderr
    assert text.count(shown) == 1, "the nonce the user asked for shows once, in its task's result"
    assert text.count(hidden_user["password"]) == 1
    assert "the output has been hidden" in text
    assert hidden_user["sessionId"] != outcome.result("session shown")["session"]["id"], "bound the no_log nonce"


def test_the_scan_catches_a_leak(run, clean_emulator, tmp_path):
    leaky = [
        {"name": "session", "dataops.iam.session": {"client_credentials": BI}, "no_log": True, "register": "made"},
        {"name": "oops", "ansible.builtin.debug": {"msg": "nonce={{ made.session.nonce }}"}},
    ]
    with pytest.raises(AssertionError) as caught:
        run(leaky, env=SECRET_ENV, report_scan=False)
    message = str(caught.value)
    assert "secrets leaked in the ansible-playbook output" in message and "nonce=<secret>" in message
    secrets = clean_emulator.secrets()
    assert not any(secret in message for secret in secrets if len(secret) >= 6), "the report never shows the secret"


def test_a_secret_in_a_task_argument_is_a_leak(clean_emulator, tmp_path):
    playbook = play([{"name": "echo", "ansible.builtin.debug": {"msg": "key is dss-user-key"}}])
    outcome = run_playbook(playbook, tmp_path / "run", secrets=lambda: [])  # scanned with nothing: passes
    leaks = find_leaks(outcome.stdout + outcome.stderr, clean_emulator.secrets(), outcome.tasks)
    assert len(leaks) == 1 and "key is <secret>" in leaks[0]


def test_what_is_allowed():
    result = {"session": {"id": 1, "nonce": "nonce-value-1"}}
    looped = {"results": [{"pg_user": {"password": "pw-value-1"}}, {"pg_user": {"password": "pw-value-2"}}]}
    tasks = [
        {"action": "dataops.iam.session", "result": result},
        {"action": "pg_user", "result": looped},
        {"action": "dataops.iam.session", "no_log": True, "result": {"session": {"nonce": "nonce-value-2"}}},
        {"action": "ansible.builtin.debug", "result": {"session": {"nonce": "nonce-value-3"}}},
        {"action": "dataops.iam.session", "result": {"session": {"password": "not-a-returned-field"}}},
    ]
    allowed = allowed_occurrences(tasks)
    assert allowed == {"nonce-value-1": 1, "pw-value-1": 1, "pw-value-2": 1}
    output = "nonce-value-1 pw-value-1 pw-value-2"
    assert find_leaks(output, ["nonce-value-1", "pw-value-1", "pw-value-2"], tasks) == []
    assert len(find_leaks(output + " nonce-value-1", ["nonce-value-1"], tasks)) == 1, "twice is once too many"
    assert len(find_leaks("nonce-value-2", ["nonce-value-2"], tasks)) == 1, "nothing is allowed for a no_log task"
    assert len(find_leaks("nonce-value-3", ["nonce-value-3"], tasks)) == 1, "only the modules that return secrets"
    assert find_leaks("short", ["short"], []) == [], "strings under 6 characters are not scanned"
