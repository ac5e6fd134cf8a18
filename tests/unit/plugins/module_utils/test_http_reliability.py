"""The shared transport under the faults of the reliability suite: 500s, definite DSS answers, and deletes whose
answer was lost (CdfClient sends them again and reads ``missing`` on the resend as done)."""

from __future__ import annotations

import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssClient
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    FAIL,
    READ,
    RECHECK,
    RESEND,
    ApiError,
    CheckModeWrite,
    RetryPolicy,
)

NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"


def cdf_error(status, message="boom", **extra):
    return httpx.Response(status, json={"error": {"code": status, "message": message, **extra}})


def cdf_with(handler):
    client = CdfClient(base_url="https://api.test", project="p", token="tok", retry=RetryPolicy(sleep=lambda _s: None))
    client._http.close()
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(handler))
    return client


def dss_with(handler):
    client = DssClient(url="https://dss.test", api_key="KEY123", retry=RetryPolicy(sleep=lambda _s: None))
    real = client._http
    client._http = httpx.Client(base_url=real.base_url, auth=real.auth, transport=httpx.MockTransport(handler))
    real.close()
    return client


class Answers:
    """Answers requests from a list (responses or exceptions to raise), recording method, path and JSON body."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.seen = []

    def __call__(self, request):
        self.seen.append((request.method, request.url.path, json.loads(request.content) if request.content else None))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_the_default_policy_makes_eleven_attempts_as_cognite_sdk():
    # cognite-sdk: global_config.max_retries = 10 retries after the first attempt (cognite/client/config.py).
    assert RetryPolicy().max_attempts == 11 and RetryPolicy.with_retries(None).max_attempts == 11


def test_a_500_on_a_read_is_retried():
    answers = Answers(cdf_error(500), cdf_error(500), httpx.Response(200, json={"items": [{"id": 1}]}))
    assert cdf_with(answers).get("groups") == {"items": [{"id": 1}]}
    assert len(answers.seen) == 3


def test_a_500_on_a_fail_write_is_not_sent_again():
    answers = Answers(cdf_error(500), httpx.Response(200, json={}))
    client = cdf_with(answers)
    with pytest.raises(ApiError) as caught:
        client.post("sessions", {"items": [{"tokenExchange": True}]}, policy=FAIL)
    assert caught.value.status == 500 and "may or may not have taken effect; not retried" in str(caught.value)
    assert len(answers.seen) == 1 and client.may_have_written is True


def test_a_500_on_a_recheck_write_reads_first():
    answers = Answers(cdf_error(500), httpx.Response(200, json={"items": [{"id": 7}]}))
    checks = []
    client = cdf_with(answers)
    body = client.post("groups", {"items": [{"name": "g"}]}, policy=RECHECK, recheck=lambda: checks.append(1))
    assert body == {"items": [{"id": 7}]} and checks == [1] and len(answers.seen) == 2
    assert client.may_have_written is True


def test_a_500_on_a_resend_write_is_sent_again():
    answers = Answers(cdf_error(500), httpx.Response(200, json={"items": []}))
    assert cdf_with(answers).post("groups/upsert", {"items": []}, policy=RESEND) == {"items": []}
    assert len(answers.seen) == 2


def test_a_post_that_reads_is_retried_as_a_read():
    answers = Answers(httpx.ReadError("reset"), cdf_error(500), httpx.Response(200, json={"items": [{"id": 1}]}))
    client = cdf_with(answers)
    assert client.post("sessions/byids", {"items": [{"id": 1}]}, policy=READ) == {"items": [{"id": 1}]}
    assert len(answers.seen) == 3 and client.may_have_written is False


def test_a_dss_not_found_is_final_whatever_its_status():
    answers = Answers(httpx.Response(500, json={"errorType": NOT_FOUND, "message": "User x does not exist"}))
    assert dss_with(answers).get_user("x") is None
    assert len(answers.seen) == 1, "a definite answer is not retried"


def test_other_dss_500s_are_retried():
    answers = Answers(
        httpx.Response(500, json={"errorType": "java.lang.IllegalStateException", "message": "busy"}),
        httpx.Response(200, json={"login": "x"}),
    )
    assert dss_with(answers).get_user("x") == {"login": "x"}


def test_a_delete_whose_answer_was_lost_is_sent_again_and_missing_then_means_done():
    answers = Answers(
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        cdf_error(400, "Groups not found", missing=[{"id": 5}]),
    )
    client = cdf_with(answers)
    assert client.delete_items("groups/delete", {"items": [5]}) == {}
    assert client.may_have_written is True
    assert [(method, path) for method, path, _body in answers.seen] == [("POST", "/api/v1/projects/p/groups/delete")] * 2


def test_a_resent_delete_sends_again_what_is_not_missing():
    answers = Answers(
        cdf_error(503),
        cdf_error(400, "Groups not found", missing=[{"id": 5}]),
        httpx.Response(200, json={}),
    )
    cdf_with(answers).delete_items("groups/delete", {"items": [5, 6]})
    assert [body for _method, _path, body in answers.seen] == [{"items": [5, 6]}, {"items": [5, 6]}, {"items": [6]}]


def test_a_delete_of_an_unknown_id_on_the_first_attempt_still_fails():
    answers = Answers(cdf_error(400, "Groups not found", missing=[{"id": 5}]))
    with pytest.raises(ApiError) as caught:
        cdf_with(answers).delete_items("groups/delete", {"items": [5]})
    assert caught.value.missing == [{"id": 5}] and len(answers.seen) == 1


def test_a_delete_given_its_own_recheck_keeps_it():
    answers = Answers(cdf_error(503))
    client = cdf_with(answers)
    body = client.post("securitycategories/delete", {"items": [3]}, policy=RECHECK, recheck=lambda: {"deleted": 3})
    assert body == {"deleted": 3} and len(answers.seen) == 1


def test_a_delete_in_check_mode_is_refused_before_it_is_sent():
    answers = Answers(httpx.Response(200, json={}))
    client = cdf_with(answers)
    client.read_only = True
    with pytest.raises(CheckModeWrite):
        client.delete_items("groups/delete", {"items": [5]})
    assert answers.seen == []


def test_a_certificate_that_does_not_verify_is_not_retried_and_names_the_fix():
    import ssl

    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    cause.verify_message = "unable to get local issuer certificate"
    refused = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    refused.__cause__ = cause
    answers = Answers(refused, httpx.Response(200, json={}))
    with pytest.raises(ApiError) as caught:
        cdf_with(answers).get("groups")
    text = str(caught.value)
    assert "unable to get local issuer certificate" in text and "set ca_path" in text and "validate_certs: false" in text
    assert len(answers.seen) == 1 and "base_url" not in text


def test_a_refused_connection_is_tried_three_times_and_names_the_url_options():
    answers = Answers(*[httpx.ConnectError("[Errno 111] Connection refused")] * 5)
    with pytest.raises(ApiError) as caught:
        cdf_with(answers).get("groups")
    text = str(caught.value)
    assert len(answers.seen) == 3 and "gave up after 3 attempts" in text
    assert "could not reach the API" in text and "base_url or cluster, and token_url; dss_url for DSS" in text
