"""Documented error bodies and the OAuth token answer, read by the CDF client's own error handling."""

from __future__ import annotations

import time

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfApiError, CdfClient, parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy
from documented import answering, cdf_client, load, response


@pytest.mark.parametrize(
    "name, status, message",
    [
        ("cdf/error_401", 401, "HTTP 401 Unauthorized"),
        ("cdf/error_403", 403, "Resource not found. This may also be due to insufficient access rights."),
        ("cdf/error_429", 429, "Too many concurrent requests"),
        ("cdf/error_400_group_limit", 400, "There can only be 1500 undeleted or deleted groups per project"),
    ],
)
def test_error_bodies_give_status_code_message_and_request_id(name, status, message):
    error = parse_cdf_error(response(name))
    assert isinstance(error, CdfApiError)
    assert (error.status, error.code, error.message) == (status, status, message)
    assert error.request_id == load(name)["headers"]["x-request-id"]
    assert error.missing == [] and error.duplicated == []


def test_missing_names_the_unknown_ids():
    error = parse_cdf_error(response("cdf/error_400_missing"))
    assert (error.status, error.message, error.missing) == (400, "Groups not found", [{"id": 999999}])
    assert error.request_id == "4f1c2b0e8d4a4f6e"


def test_duplicated_names_the_existing_names():
    error = parse_cdf_error(response("cdf/error_409_duplicated"))
    assert (error.status, error.duplicated) == (409, [{"name": "Guarded by vendor x"}])


def test_429_retry_after_sets_the_wait():
    assert RetryPolicy().delay(1, response("cdf/error_429")) == 2.0


def test_auth_api_flat_error_body():
    error = parse_cdf_error(response("auth/auth_error"))
    assert (error.status, error.code, error.message) == (403, 403, "The caller is not an admin of the organization")


def test_oauth_error_reads_error_and_description():
    error = parse_cdf_error(response("cdf/oauth_error"))
    assert (error.status, error.code) == (401, "invalid_client")
    assert error.message == "invalid_client: Client authentication failed"


def test_oauth_token_answer_gives_the_bearer_token_and_its_expiry():
    seen = []

    def idp(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response("cdf/oauth_token")

    client = CdfClient(base_url="https://api.test", project="p", token_url="https://idp.test/token", client_id="cid",
                       client_secret="s3cret", retry=RetryPolicy(max_attempts=1, sleep=lambda _s: None))
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(idp))
    token, expires_at = client.access_token()
    assert token == "2YotnFZFEjr1zCsicMWpAA"
    assert 3500 < expires_at - time.time() <= 3600
    assert b"grant_type=client_credentials" in seen[0].content


def test_a_documented_error_reaches_the_caller_as_cdf_api_error():
    handler, _seen = answering({"GET groups": "cdf/error_403"})
    with pytest.raises(CdfApiError) as caught:
        cdf_client(handler).get("groups", {"all": True})
    assert caught.value.status == 403 and caught.value.hint()
