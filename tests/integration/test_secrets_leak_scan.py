"""Secrets never leak. Every playbook run of the integration suite is scanned
(runner.run_playbook, leakscan.py; ``make integration`` runs at -vvvv); these tests show that the scan sees
every kind of secret the suite uses, that it catches a leak, and the rule: no secret anywhere in the output, not
even a created session's nonce or a created Postgres-gateway user's password in the result of the task that asked
for them (the collection hides those results as no_log would, with no no_log on the task; the registered variable
holds them for the tasks that follow)."""

from __future__ import annotations

import json

import pytest

from leakscan import find_leaks
from registered import keep_task, kept
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
    {"name": "session without no_log", "dataops.iam.session": {"client_credentials": BI}, "register": "shown"},
    {"name": "session hidden", "dataops.iam.session": {"client_credentials": BI}, "no_log": True, "register": "hidden"},
    {"name": "pg user from the hidden nonce", "dataops.iam.pg_user": {"client_credentials": BI, "nonce": "{{ hidden.session.nonce }}"},
     "register": "second"},
    {"name": "pg user without no_log", "dataops.iam.pg_user": {"client_credentials": ADMIN}, "register": "first"},
    {"name": "dss user", "dataops.iam.dss_user": {"login": "leak.scan", "password": env("DSS_PASSWORD"), "groups": ["readers"]}},
    {"name": "rotate password", "dataops.iam.dss_user": {"login": "leak.scan", "password": env("DSS_PASSWORD"),
                                                         "update_password": "always"}},
    {"name": "cdf token", "dataops.iam.token_info": {}},
    {"name": "wrong client secret", "dataops.iam.group_info": {"client_secret": env("WRONG_CLIENT_SECRET")}, "ignore_errors": True},
    {"name": "wrong api key", "dataops.iam.dss_user_info": {"api_key": env("WRONG_API_KEY")}, "ignore_errors": True},
    {"name": "bad input with a password", "dataops.iam.dss_user": {"login": "a/b", "password": env("DSS_PASSWORD")},
     "ignore_errors": True},
]


def test_every_kind_of_secret_is_scanned_at_vvvv_and_none_leaks(run, clean_emulator, dss, tmp_path):
    kept_file = tmp_path / "registered.json"
    tasks = EVERY_SECRET_PATH + [keep_task(kept_file, ["shown", "first", "second"])]
    outcome = run(tasks, env=SECRET_ENV, verbosity=4)  # the scan runs inside run(): a leak fails here
    assert outcome.rc == 0 and outcome.recap["failed"] == 0
    assert dss.password_is("leak.scan", SECRET_ENV["DSS_PASSWORD"])
    known = set(clean_emulator.secrets())
    registered = kept(kept_file)
    nonce = registered["shown"]["session"]["nonce"]
    passwords = [registered["first"]["pg_user"]["password"], registered["second"]["pg_user"]["password"]]
    issued = {
        "access tokens": [s for s in known if s not in SECRET_ENV.values()],
        "nonce of the session without no_log": [nonce],
        "pg passwords": passwords,
    }
    for kind, values in issued.items():
        assert values and set(values) <= known, kind
    for value in ("admin-secret", "dss-admin-key", SECRET_ENV["BI_SECRET"], SECRET_ENV["DSS_PASSWORD"],
                  SECRET_ENV["WRONG_CLIENT_SECRET"], SECRET_ENV["WRONG_API_KEY"]):
        assert value in known
    text = outcome.stdout + outcome.stderr
    assert nonce not in text and not any(password in text for password in passwords), "none, without no_log too"
    for name in ("session without no_log", "pg user without no_log"):
        result = outcome.result(name)
        assert result["changed"] is True and "censored" in result, name
    assert registered["second"]["pg_user"]["sessionId"] != registered["shown"]["session"]["id"], "bound the hidden nonce"


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
    leaks = find_leaks(outcome.stdout + outcome.stderr, clean_emulator.secrets())
    assert len(leaks) == 1 and "key is <secret>" in leaks[0]


def test_the_rule_is_no_secret_anywhere():
    result = json.dumps({"session": {"id": 1, "nonce": "nonce-value-1"}})
    assert len(find_leaks(result, ["nonce-value-1"])) == 1, "a returned nonce in the output is a leak too"
    assert "1 time(s)" in find_leaks(result, ["nonce-value-1"])[0]
    assert "2 time(s)" in find_leaks(result + result, ["nonce-value-1"])[0]
    assert find_leaks(result, ["pw-value-1"]) == []
    assert find_leaks("short", ["short"]) == [], "strings under 6 characters are not scanned"
