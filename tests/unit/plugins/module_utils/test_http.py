"""The shared transport: which failures are retried, how long it waits, and what errors say."""

from __future__ import annotations

import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient, parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    FAIL,
    READ,
    RECHECK,
    RESEND,
    WRITE_POLICIES,
    ApiClient,
    ApiError,
    CheckModeWrite,
    RecheckHit,
    RetryPolicy,
    iterate_pages,
    send,
)
from ansible_collections.dataops.iam.plugins.module_utils.http_retry_policy import parse_retry_after


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
        call(client, policy, method="POST", write_policy=FAIL)
    err = caught.value
    assert (err.status, err.code, err.missing, err.request_id) == (400, 400, [{"id": 9}], "req-42")
    assert "Groups not found" in str(err) and "req-42" in str(err) and "POST https://api.test/x" in str(err)
    assert sleeps == []
    assert err.may_have_written is False, "a definite refusal: nothing was written"


@pytest.mark.parametrize("write_policy", WRITE_POLICIES)
def test_write_is_retried_on_429_under_every_policy_because_nothing_happened(write_policy):
    script = Script(error(429), httpx.Response(201, json={"items": []}))
    client, policy, _sleeps = make(script)
    recheck = (lambda: None) if write_policy == RECHECK else None
    assert call(client, policy, method="POST", write_policy=write_policy, recheck=recheck).status_code == 201
    assert len(script.requests) == 2


def test_a_fail_write_is_not_sent_again_after_a_503():
    script = Script(error(503), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="POST", write_policy=FAIL)
    assert "may or may not have taken effect" in str(caught.value)
    assert caught.value.may_have_written is True
    assert len(script.requests) == 1


def test_a_fail_write_ignores_a_recheck_it_is_given():
    script = Script(httpx.ReadError("connection reset"), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    checks = []
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="POST", write_policy=FAIL, recheck=lambda: checks.append(1))
    assert caught.value.may_have_written is True and checks == [] and len(script.requests) == 1


def test_a_resend_write_is_sent_again_after_a_503_and_a_lost_answer():
    script = Script(error(503), httpx.ReadError("connection reset"), httpx.Response(200, json={"ok": 1}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="PUT", write_policy=RESEND).json() == {"ok": 1}
    assert len(script.requests) == 3


def test_a_resend_write_that_keeps_failing_may_have_written():
    script = Script(*[error(503)] * 3)
    client, policy, _sleeps = make(script, max_attempts=3)
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="PUT", write_policy=RESEND)
    assert caught.value.may_have_written is True and "gave up after 3 attempts" in str(caught.value)


def test_write_after_a_503_rechecks_and_stops_when_it_took_effect():
    script = Script(error(503))
    client, policy, _sleeps = make(script)
    with pytest.raises(RecheckHit) as hit:
        call(client, policy, method="POST", write_policy=RECHECK, recheck=lambda: {"items": [{"id": 1}]})
    assert hit.value.value == {"items": [{"id": 1}]}
    assert len(script.requests) == 1


def test_write_after_a_lost_response_rechecks_then_retries_when_it_did_not_happen():
    lost = httpx.ReadError("connection reset")
    script = Script(lost, httpx.Response(201, json={"items": [{"id": 2}]}))
    client, policy, _sleeps = make(script)
    checks = []
    response = call(client, policy, method="POST", write_policy=RECHECK, recheck=lambda: checks.append(1))
    assert response.json() == {"items": [{"id": 2}]} and checks == [1]


def test_the_recheck_policy_needs_a_recheck():
    script = Script(httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    with pytest.raises(ValueError, match="recheck"):
        call(client, policy, method="POST", write_policy=RECHECK)
    assert script.requests == [], "refused before anything was sent"


@pytest.mark.parametrize("write_policy", [FAIL, RESEND])
def test_write_is_retried_when_the_connection_was_never_made(write_policy):
    script = Script(httpx.ConnectError("refused"), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="POST", write_policy=write_policy).status_code == 201
    assert len(script.requests) == 2


def test_auto_retryable_errors_are_retried_even_for_writes():
    script = Script(error(503, isAutoRetryable=True), httpx.Response(201, json={}))
    client, policy, _sleeps = make(script)
    assert call(client, policy, method="POST", write_policy=FAIL).status_code == 201


def test_a_read_never_may_have_written():
    script = Script(httpx.ReadError("connection reset"), error(503), error(500))
    client, policy, _sleeps = make(script, max_attempts=3)
    with pytest.raises(ApiError) as caught:
        call(client, policy, method="POST", write_policy=READ)
    assert caught.value.may_have_written is False and len(script.requests) == 3


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


# -- ApiClient: the one record of writes, and check mode ----------------------------------------------------------
def api_client(script, *, read_only=False, **policy):
    client = ApiClient(base_url="https://api.test", headers={}, read_only=read_only,
                       retry=RetryPolicy(sleep=lambda _s: None, **policy))
    client._http.close()
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(script))
    return client


@pytest.mark.parametrize("write_policy", WRITE_POLICIES)
def test_a_read_only_client_refuses_every_write_before_sending_it(write_policy):
    script = Script(httpx.Response(201, json={}))
    client = api_client(script, read_only=True)
    with pytest.raises(CheckModeWrite) as refused:
        client.send("POST", "/things?x=1", policy=write_policy, recheck=lambda: None)
    assert "a write (POST https://api.test/things) was asked for in check mode" in str(refused.value)
    assert script.requests == [] and client.may_have_written is False


def test_a_read_only_client_still_reads():
    script = Script(httpx.Response(200, json={"items": []}))
    client = api_client(script, read_only=True)
    assert client.send("GET", "/things").json() == {"items": []}
    assert len(script.requests) == 1 and client.may_have_written is False


def test_may_have_written_after_a_successful_write_only():
    script = Script(httpx.Response(200, json={}), httpx.Response(201, json={}))
    client = api_client(script)
    client.send("GET", "/things")
    assert client.may_have_written is False, "a read writes nothing"
    client.send("POST", "/things", policy=FAIL)
    assert client.may_have_written is True


def test_may_have_written_after_a_lost_answer():
    client = api_client(Script(httpx.ReadError("connection reset")))
    with pytest.raises(ApiError):
        client.send("POST", "/sessions", policy=FAIL)
    assert client.may_have_written is True


def test_not_after_a_definite_refusal_nor_a_connection_never_made():
    client = api_client(Script(error(400, "bad"), *[httpx.ConnectError("refused")] * 3))
    with pytest.raises(ApiError):
        client.send("POST", "/things", policy=FAIL)
    assert client.may_have_written is False
    with pytest.raises(ApiError):
        client.send("POST", "/things", policy=RESEND)
    assert client.may_have_written is False


def test_a_later_refusal_does_not_forget_an_earlier_write():
    client = api_client(Script(httpx.Response(201, json={}), error(409, "conflict")))
    client.send("POST", "/things", policy=RECHECK, recheck=lambda: None)
    with pytest.raises(ApiError):
        client.send("POST", "/things", policy=FAIL)
    assert client.may_have_written is True


def test_a_recheck_that_finds_the_write_done_is_a_write():
    client = api_client(Script(error(503)))
    with pytest.raises(RecheckHit):
        client.send("POST", "/things", policy=RECHECK, recheck=lambda: {"id": 1})
    assert client.may_have_written is True


def test_a_recheck_policy_without_a_recheck_is_a_bug_of_the_caller():
    script = Script(httpx.Response(201, json={}))
    client = api_client(script)
    with pytest.raises(ValueError):
        client.send("POST", "/things", policy=RECHECK)
    assert script.requests == [] and client.may_have_written is False


# -- paging ---------------------------------------------------------------------------------------------------
def pages(*contents):
    """fetch() for iterate_pages over pages of ``contents``, recording the cursors asked for."""
    asked = []

    def fetch(cursor):
        asked.append(cursor)
        index = 0 if cursor is None else int(cursor)
        more = index + 1 < len(contents)
        return {"items": list(contents[index]), "next": str(index + 1) if more else None}

    return fetch, asked


def paged(fetch, limit=None):
    return list(iterate_pages(fetch, lambda body: body["items"], lambda body: body["next"], limit))


def test_iterate_pages_follows_the_cursor_to_the_end():
    fetch, asked = pages([1, 2], [3], [4, 5])
    assert paged(fetch) == [1, 2, 3, 4, 5] and asked == [None, "1", "2"]


def test_iterate_pages_stops_at_the_limit_without_reading_another_page():
    fetch, asked = pages([1, 2], [3, 4], [5])
    assert paged(fetch, limit=3) == [1, 2, 3] and asked == [None, "1"]
    fetch, asked = pages([1, 2], [3, 4])
    assert paged(fetch, limit=2) == [1, 2] and asked == [None], "a limit at a page's end reads no further"
    fetch, asked = pages([1, 2])
    assert paged(fetch, limit=10) == [1, 2] and asked == [None]


def test_iterate_pages_of_an_empty_listing():
    fetch, asked = pages([])
    assert paged(fetch) == [] and asked == [None]


class Listing:
    """A CDF list endpoint over ``count`` items with cursors, recording the query of each request."""

    def __init__(self, count):
        self.items = [{"id": i} for i in range(1, count + 1)]
        self.queries = []

    def __call__(self, request):
        query = dict(request.url.params)
        self.queries.append(query)
        start = int(query.get("cursor", 0))
        end = start + int(query["limit"])
        body = {"items": self.items[start:end]}
        if end < len(self.items):
            body["nextCursor"] = str(end)
        return httpx.Response(200, json=body)


def cdf_over(handler):
    client = CdfClient(base_url="https://api.test", project="p", token="tok", retry=RetryPolicy(sleep=lambda _s: None))
    client._http.close()
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(handler))
    return client


def test_cdf_iterate_with_a_limit_asks_for_no_more_than_it_needs():
    listing = Listing(10)
    assert [item["id"] for item in cdf_over(listing).iterate("things", limit=3, page_size=2)] == [1, 2, 3]
    assert [query["limit"] for query in listing.queries] == ["2", "2"]
    listing = Listing(10)
    assert [item["id"] for item in cdf_over(listing).iterate("things", limit=4)] == [1, 2, 3, 4]
    assert listing.queries == [{"limit": "4"}], "one page of the limit's size"


def test_cdf_iterate_without_a_limit_reads_every_page():
    listing = Listing(5)
    assert len(list(cdf_over(listing).iterate("things", {"all": True}, page_size=2))) == 5
    assert [query.get("cursor") for query in listing.queries] == [None, "2", "4"]
    assert all(query["all"] == "true" for query in listing.queries)


def test_cdf_iterate_with_its_own_parser():
    parsed = list(cdf_over(Listing(2)).iterate("things", parse=lambda body: [i["id"] for i in body["items"]]))
    assert parsed == [1, 2]


class ByIds:
    """A CDF ``byids`` endpoint knowing ``known``: unknown ids fail the request (named in ``missing``) unless
    ``ignoreUnknownIds``. Records each request's ids and flag."""

    def __init__(self, *known):
        self.known = set(known)
        self.asked = []

    def __call__(self, request):
        body = json.loads(request.content)
        ids = [item["id"] for item in body["items"]]
        self.asked.append((ids, body.get("ignoreUnknownIds", False)))
        unknown = [i for i in ids if i not in self.known]
        if unknown and not body.get("ignoreUnknownIds"):
            return error(400, "Not found", missing=[{"id": i} for i in unknown])
        return httpx.Response(200, json={"items": [{"id": i, "name": "n%d" % i} for i in ids if i in self.known]})


def items_of(body):
    return body["items"]


def test_by_ids_in_chunks_without_duplicates():
    server = ByIds(1, 2, 3, 4, 5)
    found, unknown = cdf_over(server).by_ids("things/byids", [1, 2, 2, 3, 4, 5, 1], key="id", parse=items_of, chunk=2)
    assert [item["id"] for item in found] == [1, 2, 3, 4, 5] and unknown == []
    assert server.asked == [([1, 2], False), ([3, 4], False), ([5], False)]


def test_by_ids_names_the_unknown_and_asks_again_for_the_rest():
    server = ByIds(1, 3)
    found, unknown = cdf_over(server).by_ids("things/byids", [1, 2, 3, 4], key="id", parse=items_of, chunk=10)
    assert [item["id"] for item in found] == [1, 3] and unknown == [2, 4]
    assert server.asked == [([1, 2, 3, 4], False), ([1, 3], False)]


def test_by_ids_of_only_unknown_ids_sends_nothing_more():
    server = ByIds()
    assert cdf_over(server).by_ids("things/byids", [7, 8], key="id", parse=items_of, chunk=10) == ([], [7, 8])
    assert len(server.asked) == 1


def test_by_ids_ignoring_unknown_ids_asks_cdf_to_leave_them_out():
    server = ByIds(1)
    found, unknown = cdf_over(server).by_ids("things/byids", [1, 2], key="id", parse=items_of, chunk=10,
                                             ignore_unknown=True)
    assert [item["id"] for item in found] == [1] and unknown == []
    assert server.asked == [([1, 2], True)]


def test_by_ids_keeps_other_errors():
    def refused(request):
        return error(403, "forbidden")

    with pytest.raises(ApiError) as caught:
        cdf_over(refused).by_ids("things/byids", [1], key="id", parse=items_of, chunk=10)
    assert caught.value.status == 403

    def other_missing(request):  # ``missing`` names none of the batch (e.g. a referenced object): not a lookup answer
        return error(400, "Dataset not found", missing=[{"externalId": "a"}])

    with pytest.raises(ApiError) as caught:
        cdf_over(other_missing).by_ids("things/byids", ["a"], key="username", parse=items_of, chunk=10)
    assert caught.value.missing == [{"externalId": "a"}]


def test_by_ids_is_a_read_a_read_only_client_may_do():
    server = ByIds(1)
    client = cdf_over(server)
    client.read_only = True
    assert client.by_ids("things/byids", [1], key="id", parse=items_of, chunk=10)[0] == [{"id": 1, "name": "n1"}]
    assert client.may_have_written is False
