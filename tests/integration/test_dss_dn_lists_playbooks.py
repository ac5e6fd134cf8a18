"""LDAP DNs (and other external group names with commas) in dss_group and dss_access, through real ansible-playbook
runs: one string is one name, never split on its commas; a list is taken as it is. Each converges, re-runs with
changed=false, and a check-mode run writes nothing (the emulator's request log)."""

from __future__ import annotations

import pytest

from dss_api import dss_writes

#: The option type (input_checks.ONE_OR_LIST) is applied by the worker's validator or by AnsibleModule: both paths.
pytestmark = pytest.mark.both_paths

DATA_TEAM = "cn=data-team,ou=groups,dc=example,dc=com"
OPS = "cn=ops,ou=groups,dc=example,dc=com"
#: An Entra ID group's display name may hold commas too.
AZURE = "Analytics, Europe (readers)"


def group_task(**options):
    return {"name": "group", "dataops.iam.dss_group": {"name": "data_team_ldap", **options}}


def access_task(**group):
    return {"name": "model", "dataops.iam.dss_access": {"groups": [{"name": "analytics", **group}]}}


def test_one_dn_string_is_one_name_and_a_list_is_taken_as_is(run, dss, clean_emulator):
    created = run([group_task(ldap_group_names=DATA_TEAM)]).ok().result("group")
    assert created["changed"] is True
    assert dss.group("data_team_ldap")["ldapGroupNames"] == [DATA_TEAM], "one DN, not cn=data-team / ou=groups / dc=..."

    clean_emulator.clear_log()
    again = run([group_task(ldap_group_names=[DATA_TEAM])]).ok()
    assert again.recap["changed"] == 0, "the string and the list of one are the same model"
    assert dss_writes(clean_emulator) == []

    both = run([group_task(ldap_group_names=[OPS, DATA_TEAM])]).ok()
    assert both.recap["changed"] == 1
    assert dss.group("data_team_ldap")["ldapGroupNames"] == [OPS, DATA_TEAM]
    clean_emulator.clear_log()
    assert run([group_task(ldap_group_names=[DATA_TEAM, OPS, OPS])]).ok().recap["changed"] == 0
    assert dss_writes(clean_emulator) == []

    checked = run([group_task(ldap_group_names=OPS)], check=True, diff=True).ok().result("group")
    assert checked["changed"] is True and checked["diff"]["after"]["ldap_group_names"] == [OPS]
    assert dss_writes(clean_emulator) == [], "check mode writes nothing"
    assert dss.group("data_team_ldap")["ldapGroupNames"] == [OPS, DATA_TEAM]


def test_dss_access_takes_dn_strings_and_names_with_commas(run, dss, clean_emulator):
    model = dict(ldap_group_names=DATA_TEAM, azure_ad_group_names=AZURE, custom_group_names=[OPS, "plain"])
    run([access_task(**model)]).ok()
    stored = dss.group("analytics")
    assert stored["ldapGroupNames"] == [DATA_TEAM] and stored["azureADGroupNames"] == [AZURE]
    assert stored["customGroupNames"] == [OPS, "plain"]

    clean_emulator.clear_log()
    assert run([access_task(**model)]).ok().recap["changed"] == 0
    assert dss_writes(clean_emulator) == []

    checked = run([access_task(**dict(model, sso_group_names=OPS))], check=True).ok().result("model")
    assert checked["changed"] is True
    assert dss_writes(clean_emulator) == [], "check mode writes nothing"
    assert dss.group("analytics").get("ssoGroupNames") in (None, [])
