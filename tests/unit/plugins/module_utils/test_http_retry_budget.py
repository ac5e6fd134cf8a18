"""The ``retries`` option and the budgets inside it: what the docs' retry table says, call by call."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import retries_problem
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    RECHECK,
    RESEND,
    ApiError,
    RetryPolicy,
    send,
)
from ansible_collections.dataops.iam.plugins.module_utils.http_urls import display_url


def error(status, headers=None):
    return httpx.Response(status, json={"error": {"code": status, "message": "boom"}}, headers=headers or {})


class Answers:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.seen = 0

    def __call__(self, request):
        self.seen += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def call(answers, policy, method="GET", base_url="https://api.test", **kwargs):
    client = httpx.Client(base_url=base_url, transport=httpx.MockTransport(answers))
    return send(client, method, "/x", policy=policy, error_parser=parse_cdf_error, **kwargs)


def quiet(**fields):
    return RetryPolicy(sleep=lambda _seconds: None, **fields)


@pytest.mark.parametrize("retries, attempts", [(0, 1), (1, 2), (4, 5), (10, 11)])
def test_retries_counts_the_attempts_after_the_first(retries, attempts):
    answers = Answers(error(503))
    policy = RetryPolicy.with_retries(retries)
    policy.sleep = lambda _seconds: None
    with pytest.raises(ApiError) as caught:
        call(answers, policy)
    assert answers.seen == attempts
    assert ("gave up after %d attempts" % attempts in str(caught.value)) is (attempts > 1)


def test_a_500_is_tried_three_times_in_all_however_many_retries():
    answers = Answers(error(500))
    with pytest.raises(ApiError) as caught:
        call(answers, quiet(max_attempts=11))
    assert answers.seen == 3 and "gave up after 3 attempts" in str(caught.value)


def test_a_500_marked_auto_retryable_by_cdf_uses_the_whole_budget():
    answers = Answers(error(500, {"cdf-is-auto-retryable": "true"}))
    with pytest.raises(ApiError):
        call(answers, quiet(max_attempts=6))
    assert answers.seen == 6


def test_other_faults_between_500s_do_not_reset_the_500_budget_nor_use_it():
    answers = Answers(error(500), error(503), error(503), error(500), httpx.Response(200, json={}))
    assert call(answers, quiet(max_attempts=11)).status_code == 200
    assert answers.seen == 5


def test_retries_zero_makes_a_500_one_attempt():
    answers = Answers(error(500))
    with pytest.raises(ApiError):
        call(answers, quiet(max_attempts=1))
    assert answers.seen == 1


def test_a_500_on_a_create_is_rechecked_before_each_resend():
    answers = Answers(error(500))
    rechecks = []
    with pytest.raises(ApiError) as caught:
        call(answers, quiet(max_attempts=11), method="POST", write_policy=RECHECK, recheck=lambda: rechecks.append(1))
    assert answers.seen == 3 and len(rechecks) == 3 and caught.value.may_have_written


def test_a_500_on_a_resend_write_is_sent_at_most_three_times():
    answers = Answers(error(500))
    with pytest.raises(ApiError) as caught:
        call(answers, quiet(max_attempts=11), method="PUT", write_policy=RESEND)
    assert answers.seen == 3 and caught.value.may_have_written


@pytest.mark.parametrize("value, ok", [(None, True), (0, True), (10, True), (30, True), (-1, False), (31, False)])
def test_retries_option_is_bounded(value, ok):
    problem = retries_problem(value)
    assert (problem is None) is ok
    if not ok:
        assert "retries (or DATAOPS_IAM_RETRIES) must be between 0 and 30" in problem


def test_an_error_names_the_url_under_a_base_url_with_a_path():
    answers = Answers(error(404))
    with pytest.raises(ApiError) as caught:
        call(answers, quiet(), base_url="https://proxy.example.com/cdf/")
    assert caught.value.url == "https://proxy.example.com/cdf/x"


def test_the_display_url_drops_credentials_and_query_and_keeps_the_base_path():
    client = httpx.Client(base_url="https://user:pw@proxy.example.com/cdf")
    assert display_url(client, "/api/v1/projects/p/groups?all=true") == "https://proxy.example.com/cdf/api/v1/projects/p/groups"
    assert display_url(client, "https://other.example.com/t?x=1") == "https://other.example.com/t"
