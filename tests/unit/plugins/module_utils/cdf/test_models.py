"""The pydantic models of API answers (plugins/module_utils/cdf/models.py): emulator-shaped answers pass unchanged,
malformed ones fail with an ApiError that names the field and never a secret value, and the group path stays
free of pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import LoginSessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf import models
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import create_group, list_groups
from ansible_collections.dataops.iam.plugins.module_utils.cdf.pg_users import create_user, list_users, users_by_names
from ansible_collections.dataops.iam.plugins.module_utils.cdf.profiles import list_profiles, my_profile
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import create_category
from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import (
    create_session,
    list_sessions,
    revoke_sessions,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError, RetryPolicy
from ansible_collections.dataops.iam.plugins.module_utils.module_support import library_problem

NONCE = "n0nce-S3CRET-value"
PASSWORD = "pa55-S3CRET-word"
CLIENT_SECRET = "cl1ent-S3CRET"

# Answers as the emulator (and CDF) sends them, with a field no model declares.
GOOD = {
    "Session": {"id": 7, "type": "CLIENT_CREDENTIALS", "status": "ACTIVE", "creationTime": 1, "expirationTime": 2,
                "clientId": "app"},
    "NewSession": {"id": 8, "type": "TOKEN_EXCHANGE", "status": "READY", "nonce": NONCE, "futureField": [1]},
    "RevokedSession": {"id": 9},
    "PostgresGatewayUser": {"username": "u-1", "sessionId": 8, "createdTime": 3, "password": PASSWORD,
                            "host": "pg.test"},
    "LoginSession": {"id": "5b0e-uuid", "createdTime": 10, "status": "REVOKED", "deactivatedTime": 11},
    "UserProfile": {"userIdentifier": "abc", "givenName": "Ada", "surname": None, "displayName": "Ada",
                    "lastUpdatedTime": 12, "identityType": "USER"},
}
INSPECTION = {
    "subject": "admin",
    "projects": [{"projectUrlName": "demo", "groups": [1, 2]}],
    "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "projectScope": {"allProjects": {}}}],
}
# A required field of each model, to leave out.
REQUIRED = {"Session": "id", "NewSession": "nonce", "RevokedSession": "id", "PostgresGatewayUser": "username",
            "LoginSession": "status", "UserProfile": "userIdentifier"}


def model(name):
    return getattr(models, name)


def failure(call, *args, **kwargs) -> models.UnexpectedResponse:
    with pytest.raises(models.UnexpectedResponse) as caught:
        call(*args, **kwargs)
    return caught.value


def assert_no_secret(error: Exception) -> None:
    text = str(error) + repr(error.to_result())
    for secret in (NONCE, PASSWORD, CLIENT_SECRET):
        assert secret not in text


@pytest.mark.parametrize("name", sorted(GOOD))
def test_an_answer_of_the_known_shape_comes_back_as_sent(name):
    body = {"items": [json.loads(json.dumps(GOOD[name]))], "nextCursor": "c"}
    items = models.parse_items(model(name), body, "GET x")
    assert items is body["items"]
    assert json.dumps(items) == json.dumps([GOOD[name]])  # same keys, same order, extra fields kept


def test_the_token_inspection_and_a_profile_come_back_as_sent():
    assert models.parse_one(models.TokenInspection, INSPECTION, models.TOKEN_INSPECT) is INSPECTION
    assert models.parse_one(models.UserProfile, GOOD["UserProfile"], "GET profiles/me") is GOOD["UserProfile"]


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_an_item_without_a_required_field_names_it(name):
    item = {key: value for key, value in GOOD[name].items() if key != REQUIRED[name]}
    item.update({"clientSecret": CLIENT_SECRET, "password": PASSWORD}, **({} if name == "NewSession" else {"nonce": NONCE}))
    error = failure(models.parse_items, model(name), {"items": [GOOD[name], item]}, "POST x")
    assert isinstance(error, ApiError)
    assert "items[1].%s: missing" % REQUIRED[name] in str(error)
    assert "unexpected response to POST x" in str(error) and "proxy" in str(error)
    assert (error.status, error.code, error.retryable) == (None, "unexpected_response", False)
    assert_no_secret(error)


@pytest.mark.parametrize(
    "body, named",
    [
        ({"items": {"id": 1, "nonce": NONCE}}, "items: is an object"),
        ({"item": [{"id": 1}]}, "items: missing"),
        ({"items": ["id=1 nonce=" + NONCE]}, "items[0]: is a string, not an object"),
        ({"items": [None]}, "items[0]: is null"),
        ("<html><body>Sign in (" + NONCE + ")</body></html>", "the answer: is a string"),
        ([{"id": 1, "status": "READY", "nonce": NONCE}], "the answer: is a list"),
        ({"items": [{"id": "7", "status": "READY", "nonce": NONCE}]}, "items[0].id: int_type"),
        ({"items": [{"id": True, "status": 1, "nonce": 5}]}, "items[0].status: string_type"),
        ({"items": []}, "items: is empty"),
    ],
)
def test_a_malformed_answer_is_a_clear_error_without_the_values(body, named):
    error = failure(models.parse_items, models.NewSession, body, "POST sessions", at_least=1)
    assert named in str(error)
    assert "expected an object with an 'items' list of NewSession objects" in str(error)
    assert_no_secret(error)


def test_a_malformed_inspection_or_profile_names_the_field():
    error = failure(models.parse_one, models.TokenInspection, dict(INSPECTION, capabilities=["groupsAcl"]), "GET i")
    assert "capabilities[0]: dict_type" in str(error)
    error = failure(models.parse_one, models.TokenInspection, {"subject": None, "projects": [], "capabilities": []}, "i")
    assert "subject: string_type" in str(error)
    error = failure(models.parse_one, models.UserProfile, "<html>login</html>", "GET profiles/me")
    assert "the answer: is a string, not an object" in str(error)


def test_a_message_names_at_most_three_problems():
    error = failure(models.parse_items, models.Session, {"items": [{}] * 5}, "GET sessions")
    assert str(error).count("missing (field required)") == 3 and "; ..." in str(error)


# -- through the real client ------------------------------------------------------------------------------


def cdf_answering(answers: dict) -> CdfClient:
    """A CdfClient whose requests get ``answers[(method, path suffix)]`` (a JSON body, or an httpx.Response)."""

    def handler(request: httpx.Request) -> httpx.Response:
        for (method, suffix), answer in answers.items():
            if request.method == method and request.url.path.endswith(suffix):
                return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)
        return httpx.Response(404, json={"error": {"code": 404, "message": "no route"}})

    client = CdfClient(base_url="https://api.test", project="p", token="tok", retry=RetryPolicy(sleep=lambda _s: None))
    client._http.close()
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(handler))
    return client


def test_create_session_turns_an_answer_without_id_into_the_clear_error():
    client = cdf_answering({("POST", "/sessions"): {"items": [{"status": "READY", "nonce": NONCE}]}})
    error = failure(create_session, client, {"client_id": "app", "client_secret": CLIENT_SECRET})
    assert str(error).startswith("unexpected response to POST sessions: expected an object with an 'items' list")
    assert "items[0].id: missing" in str(error) and "base_url" in str(error)
    assert_no_secret(error)


def test_create_session_still_returns_the_answer_as_sent():
    created = dict(GOOD["NewSession"])
    client = cdf_answering({("POST", "/sessions"): {"items": [created]}})
    assert create_session(client, token_exchange=True) == created


def test_an_html_page_from_a_proxy_is_not_json_and_says_so():
    page = httpx.Response(200, text="<html>Sign in</html>", headers={"content-type": "text/html"})
    with pytest.raises(ApiError, match="expected a JSON response, got text/html"):
        create_session(cdf_answering({("POST", "/sessions"): page}), token_exchange=True)


def test_pg_user_answers_are_checked_on_create_list_and_byids():
    client = cdf_answering({("POST", "/postgresgateway"): {"items": [{"password": PASSWORD, "host": "h"}]}})
    error = failure(create_user, client, NONCE)
    assert "items[0].username: missing" in str(error) and "POST postgresgateway" in str(error)
    assert_no_secret(error)
    client = cdf_answering({("GET", "/postgresgateway"): {"items": [{"username": "u", "sessionId": "8"}]}})
    assert "items[0].sessionId: int_type" in str(failure(list_users, client))
    client = cdf_answering({("POST", "/postgresgateway/byids"): {"items": "none"}})
    assert "items: is a string" in str(failure(users_by_names, client, ["u"]))
    user = dict(GOOD["PostgresGatewayUser"])
    assert list_users(cdf_answering({("GET", "/postgresgateway"): {"items": [user]}})) == [user]


def test_session_list_revoke_profiles_and_login_sessions_are_checked():
    client = cdf_answering({("GET", "/sessions"): {"items": [{"id": 1}]}})
    assert "items[0].status: missing" in str(failure(list_sessions, client))
    assert revoke_sessions(cdf_answering({("POST", "/sessions/revoke"): {}}), [1]) == []
    client = cdf_answering({("POST", "/sessions/revoke"): {"items": [{"status": "REVOKED"}]}})
    assert "items[0].id: missing" in str(failure(revoke_sessions, client, [1]))
    client = cdf_answering({("GET", "/profiles"): {"items": [{"email": "a@b"}]}})
    assert "items[0].userIdentifier: missing" in str(failure(list_profiles, client))
    client = cdf_answering({("GET", "/profiles/me"): {"user": "x"}})
    assert "userIdentifier: missing" in str(failure(my_profile, client))
    client = cdf_answering({("GET", "/sessions"): {"items": [{"id": 5, "status": "ACTIVE"}]}})
    sessions = LoginSessions(client, "https://api.test", "org", "me")
    assert "items[0].id: string_type" in str(failure(sessions.list))


def test_the_group_path_checks_answers_without_pydantic():
    """groups.py and security_categories.py read answers with client.py's checks, not the models."""
    client = cdf_answering({("GET", "/groups"): [{"id": 1, "name": "g"}]})
    error = failure(list_groups, client)
    assert "expected a JSON object, got a list" in str(error) and "GET /api/v1/projects/p/groups" in str(error)
    assert error.retryable is False and "base_url" in str(error)
    client = cdf_answering({("POST", "/groups"): {"items": []}})
    assert "unexpected response to POST groups" in str(failure(create_group, client, {"name": "g"}, set()))
    client = cdf_answering({("POST", "/securitycategories"): {"data": [{"id": 1}]}})
    error = failure(create_category, client, "c")
    assert "POST securitycategories: expected an object with the created item in 'items'" in str(error)
    created = {"id": 3, "name": "c", "futureField": 1}
    assert create_category(cdf_answering({("POST", "/securitycategories"): {"items": [created]}}), "c") == created


# -- libraries ---------------------------------------------------------------------------------------------


def test_library_problem_names_pydantic_only_for_the_modules_that_use_it(monkeypatch):
    assert library_problem(pydantic=True) is None  # installed here
    monkeypatch.setitem(sys.modules, "pydantic", None)
    assert library_problem() is None
    problem = library_problem(pydantic=True)
    assert problem is not None
    message, trace = problem
    assert "pydantic" in message and "pip install" in message and "Traceback" not in message
    assert "ImportError" in trace or "ModuleNotFoundError" in trace, "the traceback goes apart, for -vvv"


def test_library_problem_names_httpx_first(monkeypatch):
    from ansible_collections.dataops.iam.plugins.module_utils import module_support

    monkeypatch.setattr(module_support, "HAS_HTTPX", False)
    monkeypatch.setattr(module_support, "HTTPX_IMPORT_ERROR", "Traceback: no httpx")
    message, trace = library_problem(pydantic=True)
    assert "httpx" in message and "pip install" in message and trace == "Traceback: no httpx"


def run_without_pydantic(code: str) -> list:
    """Run ``code`` with pydantic unimportable; it prints a JSON value."""
    root = Path(models.__file__).parents[6]  # the folder holding ansible_collections/
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                            check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_pydantic_the_models_module_imports_and_defines_no_models():
    flags = run_without_pydantic("""
        import json, sys
        sys.modules["pydantic"] = None
        from ansible_collections.dataops.iam.plugins.module_utils.cdf import models, sessions, pg_users, profiles
        print(json.dumps([models.HAS_PYDANTIC, hasattr(models, "Session"), "pydantic" in models.PYDANTIC_IMPORT_ERROR]))
        """)
    assert flags == [False, False, True]


def test_the_group_path_imports_no_pydantic():
    """Issue 8: the group task's start-up cost; models.py is for the modules that read sessions, users, profiles."""
    imported = run_without_pydantic("""
        import json, sys
        import ansible_collections.dataops.iam.plugins.action.group
        import ansible_collections.dataops.iam.plugins.module_utils.cdf.group_state
        for name in ("group", "group_info", "security_category", "security_category_info"):
            __import__("ansible_collections.dataops.iam.plugins.modules." + name)
        ours = "ansible_collections.dataops.iam.plugins.module_utils.cdf.models"
        print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] == "pydantic" or name == ours)))
        """)
    assert imported == []
