"""The CDF connection options every CDF module shares (connection.py) and the option checks made before any call:
URLs that must be absolute http(s) URLs (a token_url without its scheme must never send the client secret to the
API host), the timeout, and CDF_URL / CDF_CLUSTER against the options."""

from __future__ import annotations

import httpx
import pytest
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import auth_api_problems
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import (
    CdfModule,
    cdf_argument_spec,
    cdf_client_for,
    connection_problems,
    token_scopes,
    with_environment,
)
from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    is_absolute_http_url,
    shown_url,
    timeout_problem,
    url_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError, CheckModeWrite, RetryPolicy
from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module

TOKEN_URL_EXAMPLE = "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"


def options(**overrides):
    """Complete, valid connection options as the argument spec gives them (defaults included)."""
    params = {name: None for name in cdf_argument_spec()}
    params.update(
        base_url="https://api.test", project="p", token_url="https://idp.test/oauth2/v2.0/token", client_id="cid",
        client_secret="s3cret", validate_certs=True, timeout=30.0,
    )
    params.update(overrides)
    return params


# -- URLs ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [
    "https://api.test", "http://127.0.0.1:4711", "https://h.test:8443/prefix/", "http://[::1]:4010", "HTTPS://API.TEST",
])
def test_absolute_http_urls_pass(value):
    assert is_absolute_http_url(value)


@pytest.mark.parametrize("value", [
    "login.example.com/t/oauth2/v2.0/token", "127.0.0.1:4711", "localhost:4711", "/oauth2/token", "ftp://h.test",
    "https://", "https://:443/x", "https://h.test:port", "https://h.test/#x", " https://h.test", "https://h .test", "",
    None, 3,
])
def test_anything_else_is_not_an_absolute_http_url(value):
    assert not is_absolute_http_url(value)


def test_a_query_string_only_where_allowed():
    b2c = "https://t.b2clogin.com/t.onmicrosoft.com/oauth2/v2.0/token?p=B2C_1_signin"
    assert not is_absolute_http_url(b2c) and is_absolute_http_url(b2c, allow_query=True)


def test_url_problem_names_the_option_its_variable_and_an_example_and_hides_credentials():
    message = url_problem("token_url", "login.example.com/t/oauth2/v2.0/token", TOKEN_URL_EXAMPLE, env="IDP_TOKEN_URL")
    assert message.startswith("token_url (or IDP_TOKEN_URL) must be an absolute http:// or https:// URL")
    assert TOKEN_URL_EXAMPLE in message and "'login.example.com/t/oauth2/v2.0/token'" in message
    assert url_problem("token_url", None, TOKEN_URL_EXAMPLE) is None and url_problem("token_url", "", "x") is None
    assert "got ''" in url_problem("auth_url", "", "https://auth.cognite.com", required=True)
    assert shown_url("https://user:pw@h.test/x") == "https://<credentials>@h.test/x"
    assert shown_url("user:pw@h.test") == "<credentials>@h.test"
    assert "pw" not in url_problem("base_url", "https://user:pw@h.test:x", "https://api.test")


# -- timeout ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, shown", [(0.0, "0"), (-1.0, "-1"), (-0.5, "-0.5"), (float("nan"), "nan")])
def test_a_timeout_that_is_not_positive_is_refused(value, shown):
    assert timeout_problem(value) == "timeout must be greater than 0 (seconds), got %s" % shown


def test_a_positive_timeout_passes():
    assert timeout_problem(0.1) is None and timeout_problem(30.0) is None and timeout_problem(None) is None


def test_the_dss_connection_makes_the_same_timeout_check():
    from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import connection_problems as dss_problems

    for value, shown in ((0.0, "0"), (-1.0, "-1")):
        problems = dss_problems({"dss_url": "https://dss.test", "api_key": "k", "timeout": value})
        assert problems == ["timeout must be greater than 0 (seconds), got %s" % shown]


# -- the CDF connection options --------------------------------------------------------------------------------
def test_valid_options_have_no_problems():
    assert connection_problems(with_environment(options(), {})) == []
    assert connection_problems(with_environment(options(base_url=None, cluster="westeurope-1"), {})) == []


@pytest.mark.parametrize("overrides, expected", [
    ({"token_url": "login.example.com/t/oauth2/v2.0/token"}, ["token_url (or IDP_TOKEN_URL)", TOKEN_URL_EXAMPLE]),
    ({"base_url": "127.0.0.1:4711"}, ["base_url (or CDF_URL)", "https://westeurope-1.cognitedata.com", "'127.0.0.1:4711'"]),
    ({"base_url": "westeurope-1.cognitedata.com"}, ["base_url (or CDF_URL)"]),
    ({"base_url": None, "cluster": "westeurope-1.cognitedata.com/x"}, ["cluster (or CDF_CLUSTER)", "westeurope-1"]),
    ({"timeout": 0.0}, ["timeout must be greater than 0 (seconds), got 0"]),
    ({"timeout": -1.0}, ["timeout must be greater than 0 (seconds), got -1"]),
])
def test_malformed_options_are_named(overrides, expected):
    [problem] = connection_problems(with_environment(options(**overrides), {}))
    assert all(text in problem for text in expected), problem


def test_a_token_url_is_checked_even_next_to_a_ready_token():
    """A rejected token is replaced with the client credentials: the token URL must be right for that too."""
    params = options(token="t0k", token_url="login.example.com/token")
    assert "token_url" in connection_problems(with_environment(params, {}))[0]
    assert connection_problems(with_environment(options(token="t0k", token_url=None, client_secret=None), {})) == []


def listing(module, client):
    return {"changed": False, "groups": client.get("groups")["items"], "read_only": client.read_only}


def cdf_module(**kwargs):
    """A CDF module of one option that lists groups."""
    return CdfModule({"name": dict(type="str")}, listing, doing="Listing groups", **kwargs)


def connection_args(**overrides):
    return {name: value for name, value in options(**overrides).items() if value is not None}


@pytest.fixture
def no_cdf_environment(monkeypatch):
    for variable in ("CDF_URL", "CDF_CLUSTER", "CDF_PROJECT", "CDF_TOKEN", "IDP_TOKEN_URL", "IDP_CLIENT_ID",
                     "IDP_CLIENT_SECRET", "IDP_SCOPES", "IDP_AUDIENCE"):
        monkeypatch.delenv(variable, raising=False)


def test_a_cdf_module_fails_before_building_a_client_on_a_token_url_without_scheme(monkeypatch, no_cdf_environment):
    def no_client(**kwargs):
        raise AssertionError("a client was built")

    monkeypatch.setattr("ansible_collections.dataops.iam.plugins.module_utils.cdf.client.CdfClient", no_client)
    definition = cdf_module()
    result = execute(definition, make_module(definition, connection_args(token_url="login.example.com/t/oauth2/v2.0/token")))
    assert result["failed"] is True
    assert result["msg"].startswith("CDF connection options are incomplete or invalid: token_url (or IDP_TOKEN_URL)")
    assert TOKEN_URL_EXAMPLE in result["msg"]


def test_the_connection_problems_read_the_environment_as_the_client_does(monkeypatch, no_cdf_environment):
    definition = cdf_module()
    params = dict(options(base_url=None))
    assert "set base_url (or CDF_URL)" in definition.connection_problems(params)[0]
    monkeypatch.setenv("CDF_CLUSTER", "westeurope-1")
    assert definition.connection_problems(params) == []
    assert definition.connection_params(params)["cluster"] == "westeurope-1"


def test_a_module_outside_a_project_and_one_that_does_not_use_the_token():
    without_project = options(project=None)
    assert "set project (or CDF_PROJECT)" in cdf_module().connection_problems(without_project)[0]
    assert cdf_module(require_project=False).connection_problems(without_project) == []
    token_only = options(token="t0k", client_id=None, client_secret=None)
    assert cdf_module().connection_problems(token_only) == []
    [problem] = cdf_module(uses_token=False).connection_problems(token_only)
    assert "client credentials: client_id, client_secret" in problem, "cdf_token fetches a token: it needs them"
    assert cdf_module(uses_token=False).connection_params(token_only)["token"] is None


def test_the_cdf_options_and_their_rule_are_the_module_s():
    kwargs = cdf_module(mutually_exclusive=[("name", "project")]).module_kwargs()
    assert set(cdf_argument_spec()) | {"name"} == set(kwargs["argument_spec"])
    assert kwargs["mutually_exclusive"] == [("base_url", "cluster"), ("name", "project")]


def emulated_groups(seen):
    def answer(request):
        seen.append(request)
        if request.url.path == "/oauth2/v2.0/token":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(200, json={"items": [{"id": 1, "name": "g"}]})

    return answer


def test_the_client_is_read_only_in_check_mode_and_shares_the_worker_s_tokens(monkeypatch, no_cdf_environment):
    seen = []
    real = httpx.Client

    def mocked(**kwargs):
        kwargs.pop("verify", None)
        return real(transport=httpx.MockTransport(emulated_groups(seen)), **kwargs)

    monkeypatch.setattr(httpx, "Client", mocked)
    definition = cdf_module()
    cache: dict = {}
    for check_mode in (True, False):
        result = execute(definition, make_module(definition, connection_args(), check_mode=check_mode,
                                                 worker_cache=cache))
        assert result["groups"] == [{"id": 1, "name": "g"}] and result["read_only"] is check_mode
    assert [request.url.path for request in seen] == ["/oauth2/v2.0/token", "/api/v1/projects/p/groups",
                                                      "/api/v1/projects/p/groups"], "one token for both runs"
    assert list(cache) == ["tokens"]


def test_a_validate_certs_false_warns():
    definition = cdf_module()
    module = make_module(definition, connection_args(validate_certs=False))
    client = definition.client(module)
    client.close()
    assert module._warnings == ["validate_certs is false: the TLS certificate of the CDF API is not checked"]


def test_cdf_client_for_the_options():
    params = with_environment(options(base_url="https://api.test/", token="t0k"), {})
    client = cdf_client_for(params, read_only=True, token_cache={})
    seen = []
    client._http.close()
    client._http = httpx.Client(base_url="https://api.test",
                                transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)))
    try:
        assert (client.base_url, client.project, client.read_only) == ("https://api.test", "p", True)
        with pytest.raises(CheckModeWrite):
            client.post("groups", {"items": []}, policy=RECHECK, recheck=lambda: None)
        assert seen == []
    finally:
        client.close()
    client = cdf_client_for(with_environment(options(base_url=None, cluster="westeurope-1"), {}))
    assert client.base_url == "https://westeurope-1.cognitedata.com" and client.read_only is False
    client.close()


def test_the_client_never_sends_the_secret_to_a_relative_token_url():
    """Defence in depth for callers of CdfClient other than cdf_client: httpx would resolve the URL under base_url."""
    seen = []
    client = CdfClient(base_url="https://api.test", project="p", token_url="login.example.com/token", client_id="cid",
                       client_secret="s3cret", retry=RetryPolicy(sleep=lambda s: None))
    client._http = httpx.Client(base_url="https://api.test",
                                transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)))
    with pytest.raises(ApiError) as failed:
        client.get("groups")
    assert seen == [] and "token_url must be an absolute" in str(failed.value) and "no token was requested" in str(failed.value)


def test_the_token_request_goes_to_the_token_url_as_given():
    seen = []

    def answer(request):
        seen.append(str(request.url))
        if request.url.host == "idp.test":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(200, json={"items": []})

    client = CdfClient(base_url="https://api.test/prefix", project="p", token_url="https://idp.test/t/token?p=flow",
                       client_id="cid", client_secret="s3cret")
    client._http = httpx.Client(base_url="https://api.test/prefix", transport=httpx.MockTransport(answer))
    client.get("groups")
    assert seen == ["https://idp.test/t/token?p=flow", "https://api.test/prefix/api/v1/projects/p/groups"]


# -- CDF_URL / CDF_CLUSTER -------------------------------------------------------------------------------------
def test_base_url_and_cluster_have_no_fallback_in_the_spec():
    spec = cdf_argument_spec()
    assert "fallback" not in spec["base_url"] and "fallback" not in spec["cluster"]
    assert spec["project"]["fallback"][1] == ["CDF_PROJECT"], "the other options keep theirs"


@pytest.mark.parametrize("set_option, environ, expected", [
    ({"base_url": "https://api.test"}, {"CDF_CLUSTER": "westeurope-1"}, ("https://api.test", None)),
    ({"base_url": None, "cluster": "westeurope-1"}, {"CDF_URL": "http://127.0.0.1:9"}, (None, "westeurope-1")),
    ({"base_url": None}, {"CDF_URL": "http://127.0.0.1:4010"}, ("http://127.0.0.1:4010", None)),
    ({"base_url": None}, {"CDF_CLUSTER": "westeurope-1"}, (None, "westeurope-1")),
    ({"base_url": None}, {"CDF_URL": "https://westeurope-1.cognitedata.com/", "CDF_CLUSTER": "westeurope-1"},
     ("https://westeurope-1.cognitedata.com/", None)),
])
def test_an_option_wins_and_the_environment_fills_in_only_what_no_option_sets(set_option, environ, expected):
    resolved = with_environment(options(**set_option), environ)
    assert (resolved["base_url"], resolved["cluster"]) == expected
    assert connection_problems(resolved) == []


def test_an_option_set_to_an_empty_string_is_set():
    resolved = with_environment(options(base_url=""), {"CDF_URL": "https://api.test"})
    assert resolved["base_url"] == "" and "set base_url (or CDF_URL)" in connection_problems(resolved)[0]


def test_with_both_in_the_environment_cdf_url_wins_as_in_the_toolkit():
    """Issue 12: toolkit users set CDF_CLUSTER and CDF_URL (EnvironmentVariables.cdf_url: CDF_URL first)."""
    resolved = with_environment(options(base_url=None), {"CDF_URL": "https://a.test", "CDF_CLUSTER": "westeurope-1"})
    assert (resolved["base_url"], resolved["cluster"]) == ("https://a.test", None)
    assert connection_problems(resolved) == []
    explicit = with_environment(options(base_url=None, cluster="api"), {"CDF_URL": "https://a.test", "CDF_CLUSTER": "x"})
    assert (explicit["base_url"], explicit["cluster"]) == (None, "api"), "an explicit option wins over both"


# -- scopes ------------------------------------------------------------------------------------------------------
def token_form(scopes):
    """The form CdfClient posts to the token endpoint for ``scopes`` as the task gives them."""
    seen = []

    def answer(request):
        if request.url.host == "idp.test":
            seen.append(dict(httpx.QueryParams(request.content.decode())))
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(200, json={"items": []})

    client = CdfClient(base_url="https://api.test", project="p", token_url="https://idp.test/token", client_id="cid",
                       client_secret="s3cret", scopes=token_scopes(scopes))
    client._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(answer))
    client.get("groups")
    return seen[0]


@pytest.mark.parametrize("scopes, expected", [
    (None, "https://api.test/.default"),
    ([""], "https://api.test/.default"),
    (["IDENTITY", " user_impersonation "], "IDENTITY user_impersonation"),
    (["", "IDENTITY"], "IDENTITY"),
])
def test_the_scope_sent(scopes, expected):
    assert token_form(scopes)["scope"] == expected


def test_an_empty_scope_list_sends_no_scope_parameter_as_cognite_sdk_does():
    """cognite-sdk's OAuthClientCredentials drops the empty scope field (credentials.py, _prepare_token_request)."""
    form = token_form([])
    assert "scope" not in form and form["grant_type"] == "client_credentials"


def test_an_empty_idp_scopes_is_unset_as_in_the_toolkit(monkeypatch):
    monkeypatch.setenv("IDP_SCOPES", "")
    validator = ModuleArgumentSpecValidator(cdf_argument_spec(), [("base_url", "cluster")])
    scopes = validator.validate({"base_url": "https://api.test", "project": "p", "token": "t"}).validated_parameters["scopes"]
    assert token_scopes(scopes) is None


def test_both_options_set_stay_mutually_exclusive():
    resolved = with_environment(options(cluster="westeurope-1"), {})
    assert connection_problems(resolved) == ["base_url and cluster are mutually exclusive: set one"]


def test_argument_validation_with_cdf_cluster_in_the_environment_and_base_url_in_the_task(monkeypatch):
    """What AnsibleModule (and the in-worker action plugins) check: no 'mutually exclusive' from the environment."""
    monkeypatch.setenv("CDF_CLUSTER", "westeurope-1")
    monkeypatch.setenv("CDF_URL", "http://127.0.0.1:9")
    validator = ModuleArgumentSpecValidator(cdf_argument_spec(), [("base_url", "cluster")])
    result = validator.validate({"base_url": "https://api.test", "project": "p", "token": "t"})
    assert not result.errors.errors, result.errors.msg
    assert result.validated_parameters["cluster"] is None
    result = validator.validate({"cluster": "westeurope-1", "project": "p", "token": "t"})
    assert not result.errors.errors and result.validated_parameters["base_url"] is None
    result = validator.validate({"base_url": "https://api.test", "cluster": "westeurope-1"})
    assert "mutually exclusive: base_url|cluster" in result.errors.msg


def test_the_auth_url_check_is_the_shared_one():
    options = {"org": "my-org", "auth_token": "t", "timeout": 30.0}
    [problem] = auth_api_problems({**options, "auth_url": "auth.cognite.com"})
    assert problem.startswith("auth_url (or COGNITE_AUTH_URL) must be an absolute http:// or https:// URL") and "https://auth.cognite.com" in problem
    assert auth_api_problems({**options, "auth_url": ""}) == [], "an empty auth_url (COGNITE_AUTH_URL=\"\") is the default"
    assert "auth_url" in auth_api_problems({**options, "auth_url": "https://auth.test/?x=1"})[0]
