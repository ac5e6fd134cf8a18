"""The shared transport: which failures are retried, how long it waits, and what errors say."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient, parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    ApiError,
    RecheckHit,
    RetryPolicy,
    parse_retry_after,
    send,
)


class Script:
    """A transport that answers from a list of responses (or exceptions), recording the requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def error(status, message="boom", headers=None, **extra):
    return httpx.Response(status, json={"error": {"code": status, "message": message, **extra}}, headers=headers or {})


def make(script, **policy):
    sleeps = []
    client = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(script))
    return client, RetryPolicy(sleep=sleeps.append, **policy), sleeps


def call(client, policy, method="GET", **kwargs):
    return send(client, method, "/x", policy=policy, error_parser=parse_cdf_error, **kwargs)


def test_read_is_retried_on_429_honouring_retry_after():
    script = Script(error(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"ok": 1}))
    client, policy, sleeps = make(script)
    assert call(client, policy).json() == {"ok": 1}
    assert sleeps == [7.0]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_read_is_retried_on_gateway_errors_with_bounded_backoff(status):
    script = Script(error(status), error(status), httpx.Response(200, json={}))
    client, policy, sleeps = make(script, backoff_base=1.0, backoff_max=1.5)
    call(client, policy)
    assert len(sleeps) == 2 and all(0 <= s <= 1.5 for s in sleeps)


def test_gives_up_after_max_attempts_and_says_so():
    script = Script(*[error(503, "busy")] * 3)
    client, policy, sleeps = make(script, max_attempts=3)
    with pytest.raises(ApiError) as caught:
        call(client, policy)
    assert caught.value.status == 503 and "gave up after 3 attempts" in str(caught.value)
    assert len(sleeps) == 2


def test_client_errors_are_not_retried_and_carry_the_api_details():
    body_error = error(400, "Groups not found", missing=[{"id": 9}])
    script = Script(httpx.Response(400, json=body_error.json(), headers={"x-request-id": "req-42"}))
    client, policy, sleeps = make(script)
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="POST", write=True)
    err = caught.value
    assert (err.status, err.code, err.missing, err.request_id) == (400, 400, [{"id": 9}], "req-42")
    assert "Groups not found" in str(err) and "req-42" in str(err) and "POST https://api.test/x" in str(err)
    assert sleeps == []


def test_write_is_retried_on_429_because_nothing_happened():
    script = Script(error(429), httpx.Response(201, json={"items": []}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="POST", write=True).status_code == 201
    assert len(script.requests) == 2


def test_write_is_not_blindly_retried_after_a_503():
    script = Script(error(503), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="POST", write=True)
    assert "may or may not have taken effect" in str(caught.value)
    assert len(script.requests) == 1


def test_write_after_a_503_rechecks_and_stops_when_it_took_effect():
    script = Script(error(503))
    client, policy, _sleeps = make(script)
    with pytest.raises(RecheckHit) as hit:
        call(client, policy, method="POST", write=True, recheck=lambda: {"items": [{"id": 1}]})
    assert hit.value.value == {"items": [{"id": 1}]}
    assert len(script.requests) == 1


def test_write_after_a_lost_response_rechecks_then_retries_when_it_did_not_happen():
    lost = httpx.ReadError("connection reset")
    script = Script(lost, httpx.Response(201, json={"items": [{"id": 2}]}))
    client, policy, _sleeps = make(script)
    checks = []
    response = call(client, policy, method="POST", write=True, recheck=lambda: checks.append(1))
    assert response.json() == {"items": [{"id": 2}]} and checks == [1]


def test_write_is_retried_when_the_connection_was_never_made():
    script = Script(httpx.ConnectError("refused"), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="POST", write=True).status_code == 201


def test_auto_retryable_errors_are_retried_even_for_writes():
    script = Script(error(503, isAutoRetryable=True), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="POST", write=True).status_code == 201


def test_unreachable_api_gives_a_readable_error():
    script = Script(*[httpx.ConnectError("Name or service not known")] * 2)
    client, policy, _sleeps = make(script, max_attempts=2)
    with pytest.raises(ApiError) as caught:
        call(client, policy)
    assert "could not reach the API" in str(caught.value) and caught.value.status is None


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


class FakeIdp:
    """Token endpoint plus a paged list endpoint, behind one mock transport."""

    def __init__(self, token_status=200):
        self.token_calls = 0
        self.token_status = token_status
        self.seen = []

    def __call__(self, request):
        self.seen.append(request)
        if request.url.path == "/token":
            self.token_calls += 1
            if self.token_status != 200:
                return httpx.Response(401, json={"error": "invalid_client", "error_description": "bad secret"})
            return httpx.Response(200, json={"access_token": "tok-1", "expires_in": 3600})
        assert request.headers["authorization"] == "Bearer tok-1"
        cursor = request.url.params.get("cursor")
        if cursor is None:
            return httpx.Response(200, json={"items": [{"id": 1}], "nextCursor": "c2"})
        return httpx.Response(200, json={"items": [{"id": 2}]})


def cdf_client(idp):
    client = CdfClient(
        base_url="https://api.test", project="p", token_url="https://idp.test/token",
        client_id="cid", client_secret="s3cret-value",
    )
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(idp))
    return client


def test_paging_follows_cursors_with_one_token_per_run():
    idp = FakeIdp()
    client = cdf_client(idp)
    assert [item["id"] for item in client.iterate("things", {"all": True})] == [1, 2]
    assert list(client.iterate("things")) == [{"id": 1}, {"id": 2}]
    assert idp.token_calls == 1
    first_list = [r for r in idp.seen if r.url.path.endswith("/things")][0]
    assert first_list.url.params["all"] == "true" and first_list.url.path == "/api/v1/projects/p/things"


def test_token_errors_name_the_client_never_the_secret():
    client = cdf_client(FakeIdp(token_status=401))
    with pytest.raises(ApiError) as caught:
        client.get("things")
    text = str(caught.value)
    assert "'cid'" in text and "invalid_client: bad secret" in text and "401" in text
    assert "s3cret-value" not in text
