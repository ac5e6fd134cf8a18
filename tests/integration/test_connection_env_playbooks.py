"""Issue 12 "Also": the OAuth scope can be left out, and CDF_URL wins over CDF_CLUSTER, in real playbook runs.

The emulator's request log keeps the token endpoint's ``grant_type``, ``scope`` and ``audience`` (never the
client id or secret), so the tests see what the collection asked its IdP for.
"""

from __future__ import annotations

import pytest

from runner import connection_vars

pytestmark = pytest.mark.both_paths

TOKEN_INFO = {"name": "me", "dataops.iam.token_info": {}}


def token_forms(emulator) -> list:
    return [entry["body"] for entry in emulator.requests() if entry["path"] == "/oauth2/token"]


def run_with(run, emulator, **defaults):
    cdf = connection_vars(emulator)
    cdf.update(defaults)
    return run([TOKEN_INFO], module_defaults={"group/dataops.iam.cdf": {k: v for k, v in cdf.items() if v is not None}})


def test_no_scope_parameter_with_an_empty_scope_list(run, clean_emulator):
    clean_emulator.clear_log()
    assert run_with(run, clean_emulator, scopes=[]).ok().result("me")["token"]["subject"] == "admin"
    assert token_forms(clean_emulator) == [{"grant_type": "client_credentials"}]


def test_the_default_scope_and_an_explicit_one(run, clean_emulator):
    clean_emulator.clear_log()
    run_with(run, clean_emulator).ok()
    run_with(run, clean_emulator, scopes=["IDENTITY", "user_impersonation"]).ok()
    assert [form.get("scope") for form in token_forms(clean_emulator)] == [
        f"{clean_emulator.url}/.default",
        "IDENTITY user_impersonation",
    ]


def test_an_empty_idp_scopes_counts_as_unset(run, clean_emulator):
    clean_emulator.clear_log()
    cdf = connection_vars(clean_emulator)
    outcome = run([{**TOKEN_INFO, "environment": {"IDP_SCOPES": ""}}], module_defaults={"group/dataops.iam.cdf": cdf})
    outcome.ok()
    assert [form.get("scope") for form in token_forms(clean_emulator)] == [f"{clean_emulator.url}/.default"]


def test_cdf_url_wins_over_a_different_cdf_cluster(run, clean_emulator):
    cdf = connection_vars(clean_emulator)
    del cdf["base_url"]
    env = {"CDF_URL": clean_emulator.url, "CDF_CLUSTER": "westeurope-1"}
    outcome = run([{**TOKEN_INFO, "environment": env}], module_defaults={"group/dataops.iam.cdf": cdf}).ok()
    assert outcome.result("me")["token"]["subject"] == "admin"
    explicit = run(
        [{**TOKEN_INFO, "dataops.iam.token_info": {"cluster": "no-such-cluster-here"}, "environment": env}],
        module_defaults={"group/dataops.iam.cdf": cdf},
    )
    assert explicit.rc != 0, "an explicit cluster option wins over both variables"
    assert "no-such-cluster-here.cognitedata.com" in explicit.result("me")["msg"]
    assert "Traceback" not in explicit.stdout + explicit.stderr
