"""Protocol mistakes fail fast, with the hint, and are never retried: http:// to a TLS port, https:// to a plain port
(CDF and DSS), a proxy that answers an HTML page, a redirect to a login page. Real servers on loopback: the
emulator over HTTPS and over plain HTTP, and its fault rules for the proxy page and the redirect."""

from __future__ import annotations

import pytest

from emulator.process import EmulatorProcess
from runner import connection_vars
from tls_certs import make_pki

pytestmark = pytest.mark.both_paths


@pytest.fixture(scope="module")
def https(tmp_path_factory):
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    with EmulatorProcess(tls=(pki.cert, pki.key), ca_path=pki.ca) as emulator:
        yield emulator


SECRET = "{{ lookup('ansible.builtin.env', 'ADMIN_SECRET') }}"  # Ansible prints a failed task's source


def cdf_options(emulator, url):
    return dict(connection_vars(emulator), base_url=url, token_url=url + "/oauth2/token", client_secret=SECRET)


def failed(outcome, name):
    result = outcome.result(name)
    assert result.get("changed") is False and "msg" in result, result
    assert "Traceback" not in outcome.stdout + outcome.stderr
    return result["msg"]


def test_a_scheme_that_does_not_match_the_port_fails_at_once_with_the_fix(run, https, clean_emulator):
    plain_port = clean_emulator.url.rsplit(":", 1)[1]
    tls_as_http = https.url.replace("https://", "http://")
    plain_as_https = "https://127.0.0.1:%s" % plain_port
    tasks = [
        {"name": "cdf http to tls", "ignore_errors": True,
         "dataops.iam.group_info": cdf_options(https, tls_as_http)},
        {"name": "cdf https to plain", "ignore_errors": True,
         "dataops.iam.group_info": cdf_options(clean_emulator, plain_as_https)},
        {"name": "dss http to tls", "ignore_errors": True, "dataops.iam.dss_user_info": {"dss_url": tls_as_http}},
        {"name": "dss https to plain", "ignore_errors": True, "dataops.iam.dss_user_info": {"dss_url": plain_as_https}},
    ]
    clean_emulator.clear_log()
    outcome = run(tasks, env={"ADMIN_SECRET": "admin-secret"})
    assert outcome.recap["failed"] == 0 and outcome.recap["ok"] == 4, "four failures, each ignored"
    for name in ("cdf http to tls", "dss http to tls"):
        message = failed(outcome, name)
        assert "speaks TLS" in message and "use https://" in message and "not retried" in message, message
        assert "gave up after" not in message
    for name in ("cdf https to plain", "dss https to plain"):
        message = failed(outcome, name)
        assert "answered in plain HTTP, not TLS" in message and "use http://" in message, message
        assert "gave up after" not in message
    assert clean_emulator.requests() == [], "the plain server never got an HTTP request"


def test_a_proxy_page_and_a_login_redirect_are_named_and_not_retried(run, clean_emulator):
    groups = "/api/v1/projects/%s/groups" % clean_emulator.project
    clean_emulator.inject(method="GET", path=groups, status=200, contentType="text/html; charset=utf-8",
                          body="<html><head><title>Access denied by proxy</title></head></html>", times=1)
    clean_emulator.inject(method="GET", path="/public/api/admin/users/", status=302,
                          location="https://login.example.com/sso?next=%2Fadmin", body="", times=-1)
    clean_emulator.clear_log()
    outcome = run([
        {"name": "page", "ignore_errors": True, "dataops.iam.group_info": {}},
        {"name": "redirect", "ignore_errors": True, "dataops.iam.dss_user_info": {}},
    ])
    page = failed(outcome, "page")
    assert "an HTML page answered, not the API" in page and "HTTPS_PROXY" in page, page
    redirect = failed(outcome, "redirect")
    assert "redirected (HTTP 302) to https://login.example.com/sso" in redirect and "not retried" in redirect, redirect
    assert "next=" not in redirect, "no query string: it may carry a token"
    users = [e for e in clean_emulator.requests() if e["path"] == "/public/api/admin/users/"]
    assert len(users) == 1, "a redirect is not retried"
