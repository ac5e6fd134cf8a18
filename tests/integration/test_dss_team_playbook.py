"""playbooks/dss_team.yml, the README's DSS example: converges, re-runs unchanged, audits drift in check mode."""

from __future__ import annotations

from runner import REPO, run_playbook

PLAYBOOK = REPO / "playbooks" / "dss_team.yml"
TEAM = {"maria.rossi", "tom.berg", "aiko.tanaka", "ana.lopez", "otto.viewer"}


def team_run(emulator, tmp_path, name, **kwargs):
    env = {"DKU_DSS_URL": emulator.url, "DKU_API_KEY": "dss-admin-key", "DSS_INITIAL_PASSWORD": "Team-Initial-Pa55-4k"}
    return run_playbook(PLAYBOOK, tmp_path / name, env=env, **kwargs)


def test_the_team_converges_then_reruns_unchanged_and_audits_drift(dss, clean_emulator, tmp_path):
    dss.create_user("old.contractor", groups=["readers"])
    first = team_run(clean_emulator, tmp_path, "first").ok()
    assert first.recap["failed"] == 0 and first.recap["changed"] == 3
    assert "Team-Initial-Pa55-4k" not in first.stdout + first.stderr

    assert TEAM <= set(dss.logins()) and "old.contractor" not in dss.logins()
    maria = dss.user("maria.rossi")
    assert sorted(maria["groups"]) == ["analytics_leads", "data_scientists"] and maria["userProfile"] == "DESIGNER"
    assert maria["userProperties"] == {"team": "analytics"} and maria["email"] == "maria.rossi@example.com"
    assert dss.user("aiko.tanaka")["enabled"] is False
    assert dss.password_is("tom.berg", "Team-Initial-Pa55-4k")
    leads = dss.group("analytics_leads")
    assert leads["mayManageCodeEnvs"] is True and leads["mayCreateClusters"] is False
    assert dss.group("data_scientists")["ldapGroupNames"] == ["cn=data-scientists,ou=groups,dc=example,dc=com"]
    assert "otto.viewer: READER in readers" in first.stdout
    assert "aiko.tanaka: DATA_SCIENTIST in data_scientists (disabled)" in first.stdout

    second = team_run(clean_emulator, tmp_path, "second").ok()
    assert second.recap["changed"] == 0

    dss.edit_group("analysts", mayWriteUnsafeCode=True, mayCreateWorkspaces=False)
    dss.edit_user("ana.lopez", groups=["analysts", "administrators"])
    clean_emulator.clear_log()
    audit = team_run(clean_emulator, tmp_path, "audit", check=True, diff=True).ok()
    assert clean_emulator.writes() == []
    assert audit.recap["changed"] == 2
    assert '-        "mayCreateWorkspaces": false,' in audit.stdout and '+        "mayCreateWorkspaces": true,' in audit.stdout
    assert '-    "administrators",' in audit.stdout or '-        "administrators",' in audit.stdout
    assert dss.group("analysts")["mayWriteUnsafeCode"] is True, "a flag the playbook does not name is not an audit finding"
