"""The auth API client: its own token endpoint and options, flat error bodies with hints that name them, no project;
the login_session task through the module's one flow (check mode, batches of 10, partial failures, unknown ids)."""

from __future__ import annotations

import json

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
from ansible_collections.dataops.iam.plugins.modules import login_session as login_session_module
from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module

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
    assert target_problems("my-org", "p", 1000) == []
    for org in ("My-org", "ab", "a-", "1ab", "a" * 65):
        assert "is not an organization id" in target_problems(org, "p", 1000)[0]


# -- the login_session task, through the module's one flow (runtime.py) ----------------------------------------
SESSIONS_PATH = "/api/v1/orgs/my-org/principals/p1/sessions"
TASK_ARGS = {"org": "my-org", "principal": "p1", "auth_url": "https://auth.test", "auth_token": "t0k"}


class FakeAuthApi:
    """The principal's login sessions behind a mock transport; ``refuse_call`` makes that revoke call (1-based) a 400."""

    def __init__(self, statuses: list, refuse_call: int = 0) -> None:
        self.sessions = [{"id": "s%02d" % i, "status": status, "createdTime": 1000 + i} for i, status in enumerate(statuses)]
        self.refuse_call = refuse_call
        self.requests: list = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "GET" and request.url.path == SESSIONS_PATH:
            return httpx.Response(200, json={"items": self.sessions})
        if request.method == "POST" and request.url.path == SESSIONS_PATH + "/revoke":
            if len(self.revokes()) == self.refuse_call:
                return httpx.Response(400, json={"code": 400, "message": "refused"})
            ids = {item["id"] for item in json.loads(request.content)["items"]}
            for session in self.sessions:
                if session["id"] in ids:
                    session["status"] = "REVOKED"
            return httpx.Response(204)
        return httpx.Response(404, json={"code": 404, "message": "no such path"})

    def revokes(self) -> list:
        return [json.loads(r.content)["items"] for r in self.requests if r.method == "POST"]


def run_login_session(monkeypatch, api: FakeAuthApi, *, check_mode: bool = False, diff: bool = False, **args) -> dict:
    """The result of a login_session task whose client talks to ``api`` (read-only in check mode, as the
    runtime makes it)."""
    from ansible_collections.dataops.iam.plugins.modules import login_session

    monkeypatch.setattr(login_session.MODULE, "client", lambda module: mocked(api, token="t0k", read_only=module.check_mode))
    module = make_module(login_session.MODULE, dict(TASK_ARGS, **args), check_mode=check_mode, diff=diff)
    return execute(login_session.MODULE, module)


def test_revoke_sends_only_active_sessions_ten_per_call_and_lists_them_as_the_api_sends_them(monkeypatch):
    api = FakeAuthApi(["ACTIVE"] * 23 + ["LOGGED_OUT", "EXPIRED"])
    result = run_login_session(monkeypatch, api, all_active=True, diff=True)
    assert result["changed"] is True and result["revoked_ids"] == ["s%02d" % i for i in range(23)]
    assert [len(call) for call in api.revokes()] == [10, 10, 3]
    assert result["login_sessions"][0] == {"id": "s00", "status": "REVOKED", "createdTime": 1000}
    assert result["diff"]["before"]["s00"] == {"status": "ACTIVE", "createdTime": 1000}
    assert result["diff"]["after"]["s00"] == {"status": "REVOKED", "createdTime": 1000}
    again = run_login_session(monkeypatch, api, all_active=True)
    assert again["changed"] is False and again["revoked_ids"] == [] and len(api.revokes()) == 3


def test_in_check_mode_nothing_is_sent_and_the_result_says_what_would_be_revoked(monkeypatch):
    api = FakeAuthApi(["ACTIVE", "REVOKED", "ACTIVE"])
    result = run_login_session(monkeypatch, api, check_mode=True, ids=["s00", "s01", "s02"])
    assert result["changed"] is True and result["revoked_ids"] == ["s00", "s02"]
    assert [s["status"] for s in result["login_sessions"]] == ["REVOKED", "REVOKED", "REVOKED"]
    assert api.revokes() == [] and {s["status"] for s in api.sessions} == {"ACTIVE", "REVOKED"}


def test_a_failed_revoke_call_reports_what_was_revoked_before_it(monkeypatch):
    api = FakeAuthApi(["ACTIVE"] * 15, refuse_call=2)
    result = run_login_session(monkeypatch, api, all_active=True)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("Revoking login sessions of 'p1' in organization 'my-org' failed: HTTP 400")
    assert result["revoked_ids"] == ["s%02d" % i for i in range(10)] and result["status"] == 400
    first_refused = run_login_session(monkeypatch, FakeAuthApi(["ACTIVE"], refuse_call=1), all_active=True)
    assert first_refused["changed"] is False and first_refused["revoked_ids"] == [], "a 400 wrote nothing"


def test_unknown_ids_fail_before_anything_is_revoked(monkeypatch):
    api = FakeAuthApi(["ACTIVE"])
    result = run_login_session(monkeypatch, api, ids=["s00", "nope", "nope"])
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == ("Revoking login sessions of 'p1' in organization 'my-org' failed: the principal has no "
                             "login session with the id nope; nothing was revoked.")
    assert result["unknown_ids"] == ["nope"] and result["revoked_ids"] == [] and api.revokes() == []


def test_an_empty_id_list_makes_no_call_and_never_means_all_active(monkeypatch):
    api = FakeAuthApi(["ACTIVE"])
    result = run_login_session(monkeypatch, api, ids=[], diff=True)
    assert result == {"changed": False, "login_sessions": [], "revoked_ids": [], "diff": {"before": {}, "after": {}},
                      "invocation": result["invocation"]}
    assert api.requests == []


def test_own_and_auth_api_option_problems_fail_together_before_any_call(monkeypatch):
    from ansible_collections.dataops.iam.plugins.modules import principal_info

    monkeypatch.setattr(principal_info.MODULE, "client", lambda module: pytest.fail("no client before the checks"))
    module = make_module(principal_info.MODULE, {"page_size": 0, "auth_url": "https://auth.test", "client_id": "x"})
    result = execute(principal_info.MODULE, module)
    assert result["failed"] is True and result["msg"].startswith("Invalid options: page_size must be between 1 and 100")
    assert "client_id: the project's identity-provider credentials are not accepted" in result["msg"]
    assert "set org (or COGNITE_ORG)" in result["msg"]


def test_empty_environment_variables_read_as_unset(monkeypatch):
    """AWX injects an empty string for a credential field left empty; a shell may export one too."""
    assert auth_api_problems({**OPTIONS, "auth_url": ""}) == []
    for name, value in {"COGNITE_AUTH_URL": "", "COGNITE_AUTH_SCOPES": "", "COGNITE_AUTH_TOKEN": "",
                        "COGNITE_ORG": "my-org", "COGNITE_AUTH_CLIENT_ID": "sa", "COGNITE_AUTH_CLIENT_SECRET": "s3"}.items():
        monkeypatch.setenv(name, value)
    module = make_module(login_session_module.MODULE, {"principal": "p1", "all_active": True})
    client = login_session_module.MODULE.client(module)
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "auth-t0k", "token_type": "Bearer", "expires_in": 3600})
        return httpx.Response(200, json={"items": []})

    client._http = httpx.Client(base_url=client.base_url, transport=httpx.MockTransport(answer))
    Principals(client, "my-org").list(["USER"], 50)
    form = dict(httpx.QueryParams(seen[0].content.decode()))
    assert str(seen[0].url) == "https://auth.cognite.com/oauth2/token", "an empty COGNITE_AUTH_URL is the default"
    assert "scope" not in form, "an empty COGNITE_AUTH_SCOPES is no scope"
    assert seen[1].headers["authorization"] == "Bearer auth-t0k", "an empty COGNITE_AUTH_TOKEN is no token"
