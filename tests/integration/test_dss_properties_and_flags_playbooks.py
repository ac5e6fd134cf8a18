"""dss_user's properties_mode (merge | exact) and dss_group's permissions given as boolean strings, through dss_user,
dss_group and dss_access, driven by real ansible-playbook runs against the emulator's DSS API."""

from __future__ import annotations

import pytest

from dss_api import dss_writes

pytestmark = pytest.mark.both_paths
SEED_SECRET = "analyst-secret-value"


def user_task(name="manage user", **options):
    return {"name": name, "dataops.iam.dss_user": {"login": "analyst", **options}}


def test_exact_properties_remove_the_keys_not_given_and_leave_the_secrets_alone(run, dss, clean_emulator):
    dss.edit_user("analyst", userProperties={"team": "analytics", "site": "oslo", "desk": "4B"})
    exact = dict(user_properties={"team": "ml"}, admin_properties={}, properties_mode="exact")

    clean_emulator.clear_log()
    checked = run([user_task(**exact)], check=True, diff=True).ok()
    diff = checked.result("manage user")["diff"]
    assert diff["before"]["user_properties"] == {"desk": "4B", "site": "oslo", "team": "analytics"}
    assert diff["after"]["user_properties"] == {"team": "ml"} and diff["after"]["admin_properties"] == {}
    assert clean_emulator.writes() == [], "check mode writes nothing"

    applied = run([user_task(**exact)], diff=True).ok()
    assert applied.result("manage user")["changed"] is True
    stored = dss.user("analyst")
    assert stored["userProperties"] == {"team": "ml"} and stored["adminProperties"] == {}
    assert stored["secrets"] == [{"name": "warehouse-token", "secret": True}], "secrets are another field: kept"
    assert dss_writes(clean_emulator) == [("PUT", "/admin/users/analyst")]
    assert SEED_SECRET not in applied.stdout + applied.stderr + checked.stdout

    clean_emulator.clear_log()
    again = run([user_task(**exact)]).ok()
    assert again.recap["changed"] == 0 and clean_emulator.writes() == []


def test_merge_stays_the_default_and_exact_ignores_an_option_not_set(run, dss, clean_emulator):
    merged = run([user_task(user_properties={"site": "oslo"})]).ok()
    assert merged.result("manage user")["changed"] is True
    assert dss.user("analyst")["userProperties"] == {"team": "analytics", "site": "oslo"}
    only_user = run([user_task(user_properties={"site": "oslo"}, properties_mode="exact")]).ok()
    assert only_user.result("manage user")["changed"] is True
    stored = dss.user("analyst")
    assert stored["userProperties"] == {"site": "oslo"}
    assert stored["adminProperties"] == {"costCenter": "cc-42"}, "admin_properties not set: not compared, not changed"


def test_dss_access_takes_properties_mode_per_user(run, dss, clean_emulator):
    task = {"name": "model", "dataops.iam.dss_access": {"users": [
        {"login": "analyst", "user_properties": {"team": "ml"}, "properties_mode": "exact"},
    ]}}
    checked = run([task], check=True).ok().result("model")
    assert [(row["name"], row["action"], row["reason"]) for row in checked["plan"]] == [
        ("analyst", "update", "differs: user_properties.team"),
    ]
    assert clean_emulator.writes() == []
    run([task]).ok()
    assert dss.user("analyst")["userProperties"] == {"team": "ml"}
    assert run([task]).ok().recap["changed"] == 0


@pytest.mark.parametrize("truth", ["true", "yes", "on", "1", "True"])
def test_permissions_take_boolean_strings_as_ansible_does(run, dss, clean_emulator, truth):
    task = {"name": "group", "dataops.iam.dss_group": {
        "name": "team", "permissions": {"mayCreateProjects": truth, "mayWriteUnsafeCode": "no"},
    }}
    created = run([task]).ok().result("group")
    assert created["changed"] is True
    stored = dss.group("team")
    assert stored["mayCreateProjects"] is True and stored["mayWriteUnsafeCode"] is False
    clean_emulator.clear_log()
    assert run([task]).ok().recap["changed"] == 0 and clean_emulator.writes() == []
    flipped = {"name": "group", "dataops.iam.dss_group": {"name": "team", "permissions": {"mayCreateProjects": "off"}}}
    assert run([flipped], check=True).ok().result("group")["changed"] is True
    assert clean_emulator.writes() == []


def test_a_permission_value_that_is_no_boolean_fails_before_any_call(run, clean_emulator):
    task = {"name": "group", "dataops.iam.dss_group": {"name": "team", "permissions": {"mayCreateProjects": "maybe"}}}
    failed = run([task])
    assert failed.rc != 0
    assert "permissions['mayCreateProjects'] must be true or false" in failed.result("group")["msg"]
    assert clean_emulator.requests() == []
    model = {"name": "model", "dataops.iam.dss_access": {"groups": [{"name": "team", "permissions": {"mayCreateProjects": "sí"}}]}}
    refused = run([model])
    assert refused.rc != 0 and "groups[0]" in refused.result("model")["msg"]
    assert clean_emulator.requests() == []
