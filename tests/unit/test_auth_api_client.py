"""The auth API client: its own token endpoint and options, flat error bodies with hints that name them, no project."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.client import AuthApiClient, parse_auth_api_error
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import auth_api_problems
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (
    LoginSessions,
    next_cursor,
    target_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.principals import Principals, matching
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError, RetryPolicy

OPTIONS = {"auth_url": "https://auth.cognite.com", "org": "my-org", "auth_client_id": "sa", "auth_client_secret": "s3",
           "timeout": 30.0}


def mocked(answer, **kwargs) -> AuthApiClient:
    client = AuthApiClient(auth_url="https://auth.test", retry=RetryPolicy(sleep=lambda s: None), **kwargs)
    client._http = httpx.Client(base_url="https://auth.test", transport=httpx.MockTransport(answer))
    return client


def test_a_flat_auth_api_error_keeps_its_message_and_code():
    response = httpx.Response(403, json={"code": 403, "message": "not an admin"}, headers={"x-request-id": "r1"})
    error = parse_cdf_error(response)
    assert (error.status, error.code, error.message, error.request_id) == (403, 403, "not an admin", "r1")


def test_client_credentials_go_to_the_auth_apis_own_token_endpoint_without_a_scope():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "auth-t0k", "token_type": "Bearer", "expires_in": 3600})
        return httpx.Response(200, json={"items": [{"id": "u1", "type": "USER", "email": "A@x.io"}]})

    client = mocked(answer, client_id="sa", client_secret="s3")
    assert Principals(client, "my-org").list(["USER"], 50)[0]["id"] == "u1"
    token_call, listing = seen
    assert str(token_call.url) == "https://auth.test/oauth2/token"
    form = dict(httpx.QueryParams(token_call.content.decode()))
    assert form == {"grant_type": "client_credentials", "client_id": "sa", "client_secret": "s3"}, "no scope"
    assert listing.url.path == "/api/v1/orgs/my-org/principals" and listing.headers["authorization"] == "Bearer auth-t0k"
    assert dict(listing.url.params) == {"limit": "50", "types": "USER"}


def test_a_401_names_the_auth_apis_own_credentials_not_the_project_idp():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"code": 401, "message": "Unauthorized"})

    client = mocked(answer, token="idp-token")
    with pytest.raises(ApiError) as refused:
        Principals(client, "my-org").list()
    text = str(refused.value)
    assert "accepts only tokens issued by the auth API" in text and "not by the project's identity provider" in text
    assert "COGNITE_AUTH_TOKEN" in text and "COGNITE_AUTH_CLIENT_ID" in text and "idp-token" not in text
    assert "IDP_CLIENT_SECRET" not in text, "the hint does not blame the project's client secret"
    assert parse_auth_api_error(httpx.Response(403, json={"code": 403, "message": "x"})).hint().count("org") >= 1


def test_login_sessions_and_principals_follow_object_cursors():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "cursor" in request.url.params:
            return httpx.Response(200, json={"items": [{"id": "b", "status": "REVOKED", "type": "USER"}]})
        return httpx.Response(200, json={"items": [{"id": "a", "status": "ACTIVE", "type": "USER"}],
                                         "nextCursor": {"cursor": "c2"}})

    client = mocked(answer, token="t0k")
    sessions = LoginSessions(client, client.base_url, "my-org", "p/1")
    assert [s["id"] for s in sessions.list(page_size=1)] == ["a", "b"]
    assert str(seen[0].url) == "https://auth.test/api/v1/orgs/my-org/principals/p%2F1/sessions?limit=1"
    assert seen[1].url.params["cursor"] == "c2"
    assert [p["id"] for p in Principals(client, "my-org").list(page_size=1)] == ["a", "b"]


def test_matching_by_email_ignores_case_and_by_name_is_exact():
    people = [{"id": "1", "email": " Alice@Example.com", "name": "Alice A"}, {"id": "2", "name": "alice a"}, {"id": "3"}]
    assert [p["id"] for p in matching(people, email="alice@example.COM")] == ["1"]
    assert [p["id"] for p in matching(people, name="Alice A")] == ["1"]
    assert matching(people, email="bob@example.com") == [] and len(matching(people)) == 3


def test_options_need_no_project_and_name_their_environment_variables():
    assert auth_api_problems(OPTIONS) == []
    assert auth_api_problems({**OPTIONS, "auth_client_id": None, "auth_client_secret": None, "auth_token": "t"}) == []
    [problem] = auth_api_problems({**OPTIONS, "auth_client_secret": None})
    assert "auth_client_secret" in problem and "COGNITE_AUTH_CLIENT_SECRET" in problem and "not the project's" in problem
    [problem] = auth_api_problems({**OPTIONS, "org": None})
    assert "COGNITE_ORG" in problem
    [problem] = auth_api_problems({**OPTIONS, "auth_token_url": "oauth2/token"})
    assert "auth_token_url (or COGNITE_AUTH_TOKEN_URL)" in problem
    assert "auth_url" in auth_api_problems({**OPTIONS, "auth_url": "auth.cognite.com"})[0]


def test_cursor_shapes_and_target_checks():
    assert next_cursor({"cursor": "x"}) == "x" and next_cursor("y") == "y"
    assert next_cursor(None) is None and next_cursor({}) is None
    assert target_problems("my-org", "p", "https://auth.cognite.com", 1000) == []
    for org in ("My-org", "ab", "a-", "1ab", "a" * 65):
        assert "is not an organization id" in target_problems(org, "p", "https://auth.cognite.com", 1000)[0]
