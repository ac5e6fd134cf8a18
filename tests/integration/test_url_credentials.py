"""A URL option with ``user:password@`` is refused before any request, and the password never shows, at -vvvv, on
both paths: not in the message (the URL shows as ``https://<credentials>@host``), not in the ``invocation`` Ansible
prints for a failed task, not when the task's arguments fail validation first, not from the environment variables.

The password reaches each play from the environment (``URL_PASSWORD``): the leak scan (runner.run_playbook) treats a
variable named like that as a secret and fails the run wherever it appears in the output; the tests also count it
themselves, so that they cannot pass on a scan that saw nothing.
"""

from __future__ import annotations

import re

import pytest

from runner import connection_vars

pytestmark = pytest.mark.both_paths

PASSWORD = "Url-pa55word-in-a-url-71"
ENV = {"URL_PASSWORD": PASSWORD, "ADMIN_SECRET": "admin-secret", "ORG_SECRET": "org-admin-secret"}
IN_URL = "svc:{{ lookup('ansible.builtin.env', 'URL_PASSWORD') }}@"


def with_credentials(url: str) -> str:
    """``url`` with ``svc:<password>@`` after its scheme, the password templated from the environment."""
    scheme, rest = url.split("://", 1)
    return "%s://%s%s" % (scheme, IN_URL, rest)


def cdf(emulator, **options):
    base = dict(connection_vars(emulator), client_secret="{{ lookup('ansible.builtin.env', 'ADMIN_SECRET') }}")
    return dict(base, **options)


def auth_api(emulator, **options):
    base = dict(org="demo-org", auth_url=emulator.url, auth_client_id="org-admin",
                auth_client_secret="{{ lookup('ansible.builtin.env', 'ORG_SECRET') }}")
    return dict(base, **options)


def refused(outcome, name: str, option: str) -> str:
    [task] = [task for task in outcome.tasks if task["task"] == name]
    result = task["result"]
    message = result.get("msg", "")
    assert task["status"] == "failed" and result.get("changed") is False, result
    assert re.search(r"\b%s( \(or \w+\))? must not contain credentials \(user:password@\)" % option, message), message
    assert "<credentials>@" in message and PASSWORD not in message
    return message


def test_every_url_option_with_credentials_is_refused_before_any_request_and_never_shown(run, clean_emulator):
    url = clean_emulator.url
    tasks = [
        {"name": "base_url", "dataops.iam.group_info": cdf(clean_emulator, base_url=with_credentials(url))},
        {"name": "token_url", "dataops.iam.group_info": cdf(clean_emulator, token_url=with_credentials(url) + "/oauth2/token")},
        {"name": "dss_url", "dataops.iam.dss_user_info": {"dss_url": with_credentials(url)}},
        {"name": "dss_url without a scheme", "dataops.iam.dss_user_info": {"dss_url": IN_URL + url.partition("://")[2]}},
        {"name": "auth_url", "dataops.iam.principal_info": auth_api(clean_emulator, auth_url=with_credentials(url))},
        {"name": "auth_token_url", "dataops.iam.login_session_info": dict(
            auth_api(clean_emulator, auth_token_url=with_credentials(url) + "/oauth2/token"),
            principal="5a1c7f2e-0b7d-4f7e-9d6a-2f1e3c4b5a69")},
        {"name": "a managing module", "dataops.iam.group": cdf(clean_emulator, base_url=with_credentials(url),
                                                               name="never-made", capabilities=[])},
        {"name": "and a bad option", "dataops.iam.dss_group": {"dss_url": with_credentials(url), "name": "x",
                                                               "no_such_option": True}},
    ]
    for task in tasks:
        task["ignore_errors"] = True
    clean_emulator.clear_log()
    outcome = run(tasks, env=ENV, verbosity=4)  # the leak scan runs inside run(): the password fails it anywhere
    assert outcome.recap["ok"] == len(tasks) and outcome.recap["failed"] == 0, "every task failed, each ignored"
    assert clean_emulator.requests() == [], "refused before any request"
    for name, option in [("base_url", "base_url"), ("token_url", "token_url"), ("dss_url", "dss_url"),
                         ("dss_url without a scheme", "dss_url"), ("auth_url", "auth_url"),
                         ("auth_token_url", "auth_token_url"), ("a managing module", "base_url")]:
        refused(outcome, name, option)
    assert "(or DKU_DSS_URL)" in refused(outcome, "dss_url", "dss_url"), "names the environment variable"
    assert "Unsupported parameters" in outcome.result("and a bad option")["msg"], "validation fails first"
    for task in outcome.tasks:
        echoed = task["result"]["invocation"]["module_args"]
        shown = [value for key, value in echoed.items() if key.endswith("url") and "<credentials>@" in str(value)]
        assert len(shown) == 1, (task["task"], echoed)
    text = outcome.stdout + outcome.stderr
    assert PASSWORD not in text
    assert text.count("<credentials>@") >= 2 * len(tasks), "each failure shows the URL masked: message and invocation"


def test_credentials_in_the_environment_variables_are_refused_too(run, clean_emulator):
    """CDF_URL is read by the collection (base_url has no fallback), IDP_TOKEN_URL and DKU_DSS_URL by the options'
    fallbacks: each is refused, named. The variables go to ansible-playbook's own environment: a task's
    ``environment`` shows on a module process's command line at -vvv."""
    host = clean_emulator.url.partition("://")[2]
    env = dict(ENV, CDF_URL="http://svc:%s@%s" % (PASSWORD, host), DKU_DSS_URL="http://svc:%s@%s" % (PASSWORD, host),
               IDP_TOKEN_URL="http://svc:%s@%s/oauth2/token" % (PASSWORD, host))
    options = cdf(clean_emulator)
    del options["base_url"], options["token_url"]
    tasks = [
        {"name": "CDF_URL", "dataops.iam.token_info": {"token_url": clean_emulator.url + "/oauth2/token"}},
        {"name": "IDP_TOKEN_URL", "dataops.iam.token_info": {}},
        {"name": "DKU_DSS_URL", "dataops.iam.dss_user_info": {}},
    ]
    for task in tasks:
        task["ignore_errors"] = True
    clean_emulator.clear_log()
    outcome = run(tasks, env=env, verbosity=4, module_defaults={
        "group/dataops.iam.cdf": options,
        "group/dataops.iam.dss": {"api_key": "{{ lookup('ansible.builtin.env', 'TEST_DSS_API_KEY') }}"},
    })
    assert outcome.recap["failed"] == 0 and clean_emulator.requests() == []
    assert "base_url (or CDF_URL) must not contain credentials" in refused(outcome, "CDF_URL", "base_url")
    assert "token_url (or IDP_TOKEN_URL) must not" in refused(outcome, "IDP_TOKEN_URL", "token_url")
    assert "dss_url (or DKU_DSS_URL) must not" in refused(outcome, "DKU_DSS_URL", "dss_url")
    assert PASSWORD not in outcome.stdout + outcome.stderr


def test_the_scan_sees_the_password_when_it_is_printed(run, clean_emulator):
    """The counter-proof: the same password, printed by a debug task, is caught by the scan (and never shown)."""
    leaky = [{"name": "oops", "ansible.builtin.debug": {"msg": "url is " + with_credentials(clean_emulator.url)}}]
    with pytest.raises(AssertionError) as caught:
        run(leaky, env=ENV, report_scan=False)
    assert "secrets leaked in the ansible-playbook output" in str(caught.value)
    assert "svc:<secret>@" in str(caught.value) and PASSWORD not in str(caught.value)
