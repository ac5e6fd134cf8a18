"""The shared client pieces the auth API (login sessions) needs: absolute URLs, flat error bodies, no project."""

from __future__ import annotations

import httpx

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient, parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import connection_problems
from ansible_collections.dataops.iam.plugins.module_utils.cdf.login_sessions import LoginSessions, next_cursor, target_problems
from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy


def test_a_flat_auth_api_error_keeps_its_message_and_code():
    response = httpx.Response(403, json={"code": 403, "message": "not an admin"}, headers={"x-request-id": "r1"})
    error = parse_cdf_error(response)
    assert (error.status, error.code, error.message, error.request_id) == (403, 403, "not an admin", "r1")


def test_login_sessions_go_to_the_auth_url_with_the_same_token_and_follow_object_cursors():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "cursor" in request.url.params:
            return httpx.Response(200, json={"items": [{"id": "b", "status": "REVOKED"}]})
        return httpx.Response(200, json={"items": [{"id": "a", "status": "ACTIVE"}], "nextCursor": {"cursor": "c2"}})

    client = CdfClient(base_url="https://api.test", project="", token="t0k", retry=RetryPolicy(sleep=lambda s: None))
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(answer))
    sessions = LoginSessions(client, "https://auth.test/", "my-org", "p/1")
    assert [s["id"] for s in sessions.list(page_size=1)] == ["a", "b"]
    assert [s["id"] for s in sessions.list("ACTIVE")] == ["a"]
    first, second = seen[0], seen[1]
    assert str(first.url) == "https://auth.test/api/v1/orgs/my-org/principals/p%2F1/sessions?limit=1"
    assert second.url.params["cursor"] == "c2"
    assert first.headers["authorization"] == "Bearer t0k"


def test_cursor_shapes_and_target_checks():
    assert next_cursor({"cursor": "x"}) == "x" and next_cursor("y") == "y"
    assert next_cursor(None) is None and next_cursor({}) is None
    assert target_problems("my-org", "p", "https://auth.cognite.com", 1000) == []
    for org in ("My-org", "ab", "a-", "1ab", "a" * 65):
        assert "is not an organization id" in target_problems(org, "p", "https://auth.cognite.com", 1000)[0]
    assert target_problems("abc", "p", "https://auth.cognite.com", 1000) == []


def test_the_project_can_be_left_out_for_organization_calls():
    params = {"base_url": "https://api.test", "token": "t"}
    assert any("project" in problem for problem in connection_problems(params))
    assert connection_problems(params, require_project=False) == []
