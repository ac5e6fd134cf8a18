"""Inputs of single CDF modules: empty id lists (session, login_session), what pg_user's nonce needs, and the hint of
an HTTP 403 from the auth API (login sessions), which is about the organization, not the project."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.client import AuthApiClient
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_session_state import RevokeTask
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import LoginSessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError, RetryPolicy
from ansible_collections.dataops.iam.plugins.modules import login_session as login_session_module
from ansible_collections.dataops.iam.plugins.modules import pg_user as pg_user_module
from ansible_collections.dataops.iam.plugins.modules import pg_user_info as pg_user_info_module
from ansible_collections.dataops.iam.plugins.modules import session as session_module
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module


# -- empty id lists --------------------------------------------------------------------------------------------
class NoCalls:
    def __getattr__(self, name):
        raise AssertionError("called the API: %s" % name)


def session_params(**overrides):
    params = {"state": "absent", "client_credentials": None, "token_exchange": False, "id": None}
    params.update(overrides)
    return params


def test_session_absent_with_an_empty_list_is_valid_and_revokes_nothing_without_a_call():
    assert session_module.input_problems(session_params(id=[])) == []
    assert "state=absent needs id" in session_module.input_problems(session_params())[0]
    module = make_module(session_module.MODULE, {"state": "absent", "id": []}, diff=True)
    result = session_module.MODULE.run(module, NoCalls())
    assert result == {"changed": False, "sessions": [], "revoked_ids": [], "diff": {"before": {}, "after": {}}}


class ListOnly:
    def __init__(self):
        self.calls = []

    def list(self, status=None, page_size=1000):
        self.calls.append(("list", status))
        return [{"id": "a", "status": "ACTIVE"}]

    def revoke(self, ids, done=None):
        self.calls.append(("revoke", list(ids)))
        return done


LOGIN_SESSION_ARGS = {"org": "my-org", "principal": "p1", "auth_url": "https://auth.test"}


def test_login_session_with_an_empty_list_revokes_nothing_without_a_call_and_never_means_all_active():
    api = ListOnly()
    module = make_module(login_session_module.MODULE, dict(LOGIN_SESSION_ARGS, ids=[]))
    result = RevokeTask(module, NoCalls(), api=api).run()
    assert result == {"changed": False, "login_sessions": [], "revoked_ids": []}
    assert api.calls == [], "no list call and no revoke call"
    module = make_module(login_session_module.MODULE, dict(LOGIN_SESSION_ARGS, all_active=True), check_mode=True)
    all_active = RevokeTask(module, NoCalls(), api=api).run()
    assert all_active["changed"] is True and all_active["revoked_ids"] == ["a"]
    assert api.calls == [("list", "ACTIVE")], "check mode: listed, nothing revoked"


def test_login_session_revoke_of_nothing_sends_nothing():
    assert LoginSessions(NoCalls(), "https://auth.test", "my-org", "p1").revoke([]) == []


def test_pg_user_info_refuses_an_empty_username_before_any_call():
    """``usernames: [""]`` (an unset variable in a list) is a mistake, not a name to look up."""
    [problem] = pg_user_info_module.input_problems({"usernames": ["powerbi", " "]})
    assert problem == "usernames[1] must not be empty"
    assert pg_user_info_module.input_problems({"usernames": []}) == []
    assert pg_user_info_module.input_problems({"usernames": None}) == []


# -- pg_user: what nonce needs ---------------------------------------------------------------------------------
def test_pg_user_nonce_alone_names_what_it_needs():
    params = {"state": "present", "username": None, "client_credentials": None, "nonce": "n0nce-value",
              "rotate_credentials": False}
    [problem] = pg_user_module.input_problems(params)
    assert "set username (an existing user) or client_credentials" in problem
    assert "a nonce does not say which user" in problem and "rotate_credentials: true" in problem
    with_client = dict(params, client_credentials={"client_id": "c", "client_secret": "s"})
    assert pg_user_module.input_problems(with_client) == []


def test_login_session_options_count_an_empty_list_as_set():
    params = {"org": "my-org", "principal": "p1", "auth_url": "https://auth.test", "page_size": 1000, "ids": [],
              "all_active": False}
    assert login_session_module.input_problems(params) == []
    assert "set ids" in login_session_module.input_problems(dict(params, ids=None))[0]
    assert "mutually exclusive" in login_session_module.input_problems(dict(params, all_active=True))[0]


# -- 403 on the auth API ---------------------------------------------------------------------------------------
def forbidden(request):
    return httpx.Response(403, json={"code": 403, "message": "not an admin"} if request.url.host == "auth.test"
                          else {"error": {"code": 403, "message": "Resource not found"}})


def test_a_403_of_the_auth_api_speaks_of_the_organization_and_one_of_the_project_of_the_project():
    policy = RetryPolicy(sleep=lambda s: None)
    auth_client = AuthApiClient(auth_url="https://auth.test", token="t0k", retry=policy)
    auth_client._http = httpx.Client(base_url="https://auth.test", transport=httpx.MockTransport(forbidden))
    with pytest.raises(ApiError) as auth:
        LoginSessions(auth_client, "https://auth.test", "my-org", "p1").list()
    text = str(auth.value)
    assert "organization given as org" in text and "check project" not in text
    with pytest.raises(ApiError) as auth_write:
        LoginSessions(auth_client, "https://auth.test", "my-org", "p1").revoke(["a"])
    assert "admins (login sessions) of the organization" in str(auth_write.value)
    client = CdfClient(base_url="https://api.test", project="p", token="t0k", retry=policy)
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(forbidden))
    with pytest.raises(ApiError) as project:
        client.get("groups")
    assert "check project" in str(project.value) and "organization" not in str(project.value)
