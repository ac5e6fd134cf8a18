"""A URL option with ``user:password@`` is refused before any request, and its credentials never show: not in the
message, not in the ``invocation`` a failure echoes (module_utils/connection_checks.py, runtime.py, in_worker.py)."""

from __future__ import annotations

import copy
import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import cdf_argument_spec
from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    masked_url_options,
    shown_url,
    url_credentials_problem,
    url_option_problems,
    url_problem,
    url_userinfo,
)
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import dss_argument_spec
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import ModuleExit, WorkerModule
from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module

PASSWORD = "Url-pa55word-unit"


@pytest.mark.parametrize(
    "url, userinfo",
    [
        ("https://svc:%s@api.test" % PASSWORD, "svc:" + PASSWORD),
        ("http://svc:%s@127.0.0.1:4010/path" % PASSWORD, "svc:" + PASSWORD),
        ("https://%s@api.test" % PASSWORD, PASSWORD),  # a token as the user name
        ("https://svc:p@ss:word@api.test", "svc:p@ss:word"),  # the last @ of the authority, as urlsplit reads it
        ("https://svc:pa%40ss@api.test", "svc:pa%40ss"),
        ("svc:%s@api.test" % PASSWORD, "svc:" + PASSWORD),  # no scheme
        ("  https://svc:%s@api.test" % PASSWORD, "svc:" + PASSWORD),
        ("https://:%s@api.test" % PASSWORD, ":" + PASSWORD),
        ("ftp://svc:%s@api.test" % PASSWORD, "svc:" + PASSWORD),
    ],
)
def test_the_credentials_of_a_url_are_found_and_masked(url, userinfo):
    assert url_userinfo(url) == userinfo
    shown = shown_url(url)
    assert "<credentials>@" in shown and userinfo not in shown and PASSWORD not in shown
    message = url_credentials_problem("base_url", url, "CDF_URL")
    assert message.startswith("base_url (or CDF_URL) must not contain credentials (user:password@)")
    assert PASSWORD not in message and userinfo not in message and repr(shown) in message


@pytest.mark.parametrize(
    "url",
    ["https://api.test", "https://api.test/path@v1", "https://api.test/?next=user@example.com", "https://api.test#a@b",
     "https://api.test:8443/public/api", "", None, 4010, ["https://a:b@c"]],
)
def test_a_url_without_credentials_is_not_refused(url):
    assert url_userinfo(url) is None and url_credentials_problem("dss_url", url) is None
    assert shown_url(url) == url


def test_url_problem_refuses_credentials_first_also_from_the_environment():
    message = url_problem("base_url", "https://svc:%s@api.test" % PASSWORD, "https://x.test", env="CDF_URL")
    assert message.startswith("base_url (or CDF_URL) must not contain credentials") and PASSWORD not in message
    assert "https://<credentials>@api.test" in message


def test_every_url_option_is_checked_with_its_environment_variable():
    params = {
        "base_url": "https://svc:%s@api.test" % PASSWORD,
        "token_url": "https://login.test/token",
        "dss_url": "https://%s@dss.test" % PASSWORD,
        "client_secret": "svc:%s@not-a-url-option" % PASSWORD,  # a secret, not a URL: no_log masks it
        "name": "a@b",
    }
    spec = dict(cdf_argument_spec(), **dss_argument_spec())
    problems = url_option_problems(params, spec)
    assert len(problems) == 2
    assert problems[0].startswith("base_url must not contain credentials")  # base_url: no fallback in the spec
    assert problems[1].startswith("dss_url (or DKU_DSS_URL) must not contain credentials")
    assert not any(PASSWORD in problem for problem in problems)
    assert url_option_problems({"auth_token_url": "https://a:%s@auth.test" % PASSWORD})[0].startswith("auth_token_url must")
    assert url_option_problems({"base_url": "https://api.test", "token_url": None}, spec) == []


def test_masked_url_options_changes_only_the_urls_with_credentials():
    params = {"base_url": "https://svc:%s@api.test/x" % PASSWORD, "token_url": "https://login.test/t", "retries": 3}
    masked = masked_url_options(params)
    assert masked == {"base_url": "https://<credentials>@api.test/x", "token_url": "https://login.test/t", "retries": 3}
    assert params["base_url"].count(PASSWORD) == 1, "the task's own parameters are not changed"


def test_a_worker_failure_echoes_the_url_masked():
    module = WorkerModule("dataops.iam.group_info", {"base_url": "https://svc:%s@api.test" % PASSWORD}, set(),
                          check_mode=False, diff=False)
    with pytest.raises(ModuleExit) as done:
        module.fail_json(msg="refused")
    assert done.value.result["invocation"]["module_args"]["base_url"] == "https://<credentials>@api.test"
    assert PASSWORD not in repr(done.value.result)


# -- the module runtime: refused first, before any client, on both paths ----------------------------------------
def _refusing_definition():
    """group_info's own definition, with a client that records being made (it never may be, here)."""
    from ansible_collections.dataops.iam.plugins.modules.group_info import MODULE

    made: list = []
    definition = copy.copy(MODULE)
    definition.client = made.append
    return definition, made


ARGS = {
    "base_url": "https://svc:%s@api.test" % PASSWORD,
    "project": "demo",
    "token_url": "https://login.test/token",
    "client_id": "svc",
    "client_secret": "client-secret-unit",
}


def test_the_worker_path_refuses_before_any_client_and_shows_nothing():
    definition, made = _refusing_definition()
    result = execute(definition, make_module(definition, ARGS))
    assert result["failed"] is True and made == []
    assert result["msg"] == (
        "CDF connection options are incomplete or invalid: base_url must not contain credentials (user:password@): "
        "give them in the module's credential options (client_id and client_secret, token, api_key, "
        "auth_client_secret), which are never shown; got 'https://<credentials>@api.test'"
    )
    assert result["invocation"]["module_args"]["base_url"] == "https://<credentials>@api.test"
    assert PASSWORD not in json.dumps(result) and "client-secret-unit" not in json.dumps(result)


@pytest.mark.parametrize("extra", [{}, {"no_such_option": 1}], ids=["refused", "validation fails first"])
def test_the_module_process_refuses_and_masks_also_when_validation_fails(capsys, extra):
    definition, made = _refusing_definition()
    with patch_module_args(dict(ARGS, **extra)), pytest.raises(SystemExit):
        definition.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and made == []
    assert ("Unsupported parameters" in result["msg"]) == bool(extra)
    assert result["invocation"]["module_args"]["base_url"] == "https://<credentials>@api.test"
    assert PASSWORD not in json.dumps(result)
