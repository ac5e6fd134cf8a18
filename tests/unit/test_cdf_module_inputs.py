"""Inputs of single CDF modules: empty id lists (session, login_session)."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.cdf.login_session_state import RevokeTask
from ansible_collections.dataops.iam.plugins.module_utils.cdf.login_sessions import LoginSessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf.session_state import revoke
from ansible_collections.dataops.iam.plugins.modules import login_session as login_session_module
from ansible_collections.dataops.iam.plugins.modules import session as session_module


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
    result = revoke(NoCalls(), False, []).result("sessions", with_diff=True)
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


def test_login_session_with_an_empty_list_revokes_nothing_without_a_call_and_never_means_all_active():
    api = ListOnly()
    result = RevokeTask(api, False, 1000).run([]).result("login_sessions", with_diff=False)
    assert result == {"changed": False, "login_sessions": [], "revoked_ids": []}
    assert api.calls == [("revoke", [])], "no list call; revoke of nothing sends nothing (LoginSessions.revoke)"
    all_active = RevokeTask(api, True, 1000).run(None).result("login_sessions", with_diff=False)
    assert all_active["revoked_ids"] == ["a"] and ("list", "ACTIVE") in api.calls


def test_login_session_revoke_of_nothing_sends_nothing():
    assert LoginSessions(NoCalls(), "https://auth.test", "my-org", "p1").revoke([]) == []


def test_login_session_options_count_an_empty_list_as_set():
    params = {"org": "my-org", "principal": "p1", "auth_url": "https://auth.test", "page_size": 1000, "ids": [],
              "all_active": False}
    assert login_session_module.input_problems(params) == []
    assert "set ids" in login_session_module.input_problems(dict(params, ids=None))[0]
    assert "mutually exclusive" in login_session_module.input_problems(dict(params, all_active=True))[0]
