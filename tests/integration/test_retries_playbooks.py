"""The ``retries`` option and its environment fallback, in real playbook runs: the emulator's request log counts the
attempts. 503s answer with ``Retry-After: 0`` so that the runs do not wait out the backoff."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_paths


def groups_path(emulator):
    return "/api/v1/projects/%s/groups" % emulator.project


def attempts(emulator, path, method="GET"):
    return len([e for e in emulator.requests() if e["path"] == path and e["method"] == method])


def test_retries_sets_the_attempts_of_a_read_and_the_environment_is_its_fallback(run, clean_emulator):
    path = groups_path(clean_emulator)
    clean_emulator.inject(method="GET", path=path, status=503, retryAfter=0, times=-1)
    clean_emulator.clear_log()
    outcome = run([
        {"name": "no retries", "ignore_errors": True, "dataops.iam.group_info": {"retries": 0}},
    ])
    message = outcome.result("no retries")["msg"]
    assert "HTTP 503" in message and "not retried: retries is 0" in message, message
    assert attempts(clean_emulator, path) == 1

    clean_emulator.clear_log()
    outcome = run([{"name": "from env", "ignore_errors": True, "dataops.iam.group_info": {}}],
                  env={"DATAOPS_IAM_RETRIES": "2"})
    assert "gave up after 3 attempts" in outcome.result("from env")["msg"]
    assert attempts(clean_emulator, path) == 3

    clean_emulator.clear_log()
    outcome = run([{"name": "option wins", "ignore_errors": True, "dataops.iam.group_info": {"retries": 1}}],
                  env={"DATAOPS_IAM_RETRIES": "5"})
    assert "gave up after 2 attempts" in outcome.result("option wins")["msg"]
    assert attempts(clean_emulator, path) == 2


def test_the_default_outlasts_a_short_outage_and_a_500_gets_three_attempts(run, clean_emulator):
    path = groups_path(clean_emulator)
    clean_emulator.inject(method="GET", path=path, status=503, retryAfter=0, times=4)
    clean_emulator.clear_log()
    outcome = run([{"name": "outage", "dataops.iam.group_info": {}}]).ok()
    assert outcome.result("outage")["groups"] is not None
    assert attempts(clean_emulator, path) == 5, "4 failures, then the answer"

    clean_emulator.inject(method="GET", path=path, status=500, retryAfter=0, times=-1)
    clean_emulator.clear_log()
    outcome = run([{"name": "server error", "ignore_errors": True, "dataops.iam.group_info": {"retries": 10}}])
    assert "HTTP 500" in outcome.result("server error")["msg"]
    assert "gave up after 3 attempts" in outcome.result("server error")["msg"]
    assert attempts(clean_emulator, path) == 3


def test_a_500_on_a_create_is_re_read_before_it_is_sent_again(run, cdf, clean_emulator):
    path = groups_path(clean_emulator)
    clean_emulator.inject(method="POST", path=path, status=500, retryAfter=0, times=1)
    clean_emulator.clear_log()
    caps = [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]
    run([{"name": "create", "dataops.iam.group": {"name": "retried-create", "capabilities": caps}}]).ok()
    methods = [e["method"] for e in clean_emulator.requests() if e["path"] == path]
    assert methods.count("POST") == 2, methods
    first_post = methods.index("POST")
    assert "GET" in methods[first_post + 1:methods.index("POST", first_post + 1)], "a re-read between the two creates"
    assert len(cdf.groups("retried-create")) == 1


@pytest.mark.parametrize("value", ["-1", "31", "many"])
def test_a_retries_value_out_of_range_is_refused_before_any_request(run, clean_emulator, value):
    clean_emulator.clear_log()
    outcome = run([{"name": "bad", "ignore_errors": True, "dataops.iam.group_info": {}}],
                  env={"DATAOPS_IAM_RETRIES": value})
    message = outcome.result("bad")["msg"]
    assert "retries" in message or "DATAOPS_IAM_RETRIES" in message, message
    assert clean_emulator.requests() == []
