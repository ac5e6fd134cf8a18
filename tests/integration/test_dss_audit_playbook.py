"""playbooks/dss_audit.yml: a check-mode audit of a DSS instance against a model file (drift, and the users and groups
the model does not name), with a Markdown report and an exit code, for a nightly job. Nothing is ever written."""

from __future__ import annotations

import yaml

from runner import REPO, run_playbook

AUDIT = REPO / "playbooks" / "dss_audit.yml"
SPEC = {
    "dss_groups": [
        {"name": "administrators", "admin": True},
        {"name": "team", "description": "The team", "may_create_projects": True},
        {"name": "missing_group"},
        {"name": "legacy", "state": "absent"},
    ],
    "dss_users": [
        {"login": "admin", "groups": ["administrators"]},
        {"login": "analyst", "groups": ["data_team", "team"]},
        {"login": "newbie", "groups": ["team", "missing_group"]},
    ],
    "dss_audit_protect": ["svc-.*"],
}


def audit(emulator, tmp_path, spec=None, check=False, key="dss-admin-key", **extra):
    spec_file = tmp_path / "model.yml"
    spec_file.write_text(yaml.safe_dump(spec or SPEC))
    report = tmp_path / "report.md"
    env = {"DKU_DSS_URL": emulator.url, "DKU_API_KEY": key}
    extra_vars = {"dss_audit_spec": str(spec_file), "dss_audit_report": str(report), **extra}
    outcome = run_playbook(AUDIT, tmp_path / "run", check=check, extra_vars=extra_vars, env=env)
    return outcome, report.read_text() if report.exists() else ""


def rows(report):
    """The report's table as {(kind, name): [status, change]}."""
    lines = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| kind")]
    cells = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines]
    return {(row[0], row[1]): row[2:] for row in cells}


def drifted_instance(dss):
    dss.create_group("team", description="edited")
    dss.create_group("legacy")
    dss.create_user("svc-etl", groups=["readers"])
    dss.create_user("old.contractor", groups=["legacy"])


def test_the_report_names_drift_and_every_object_not_in_the_model_and_nothing_is_written(dss, clean_emulator, tmp_path):
    drifted_instance(dss)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path)
    outcome.ok()
    assert clean_emulator.writes() == [], "the audit changes nothing"
    assert rows(report) == {
        ("group", "administrators"): ["in sync", ""],
        ("group", "team"): ["drift", "would be updated: description, permissions.mayCreateProjects differ"],
        ("group", "missing_group"): ["drift", "missing: would be created"],
        ("group", "legacy"): ["drift", "exists but is declared absent: would be deleted"],
        ("group", "data_team"): ["unmanaged", "not in the model, but users of the model are in it: analyst"],
        ("group", "readers"): ["unmanaged", "not in the model"],
        ("user", "admin"): ["in sync", ""],
        ("user", "analyst"): ["drift", "would be updated: groups differ"],
        ("user", "newbie"): ["drift", "missing: would be created"],
        ("user", "old.contractor"): ["unmanaged", "not in the model"],
        ("user", "svc-etl"): ["expected", "expected (dss_audit_protect entry 'svc-.*')"],
    }
    assert "**5 of 7 declared objects drift from the declaration; 3 objects of the instance are not in it (unmanaged), 1 more are expected.**" in report
    assert "5 of 7 declared objects drift, 3 objects are not in the model, 1 expected" in outcome.stdout
    assert "user old.contractor: unmanaged - not in the model" in outcome.stdout
    assert '"mayCreateProjects": true' in outcome.stdout, "the console shows the diff"
    assert "audit-placeholder-never-sent" not in outcome.stdout + outcome.stderr


def test_drift_fails_the_run_only_when_asked(dss, clean_emulator, tmp_path):
    drifted_instance(dss)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, check=True, dss_audit_fail_on_drift=True)
    assert outcome.rc == 2
    assert "8 objects drift from the declaration: team, missing_group, legacy, analyst, newbie, data_team (not in the model), " \
           "readers (not in the model), old.contractor (not in the model)" in outcome.stdout
    assert ("user", "analyst") in rows(report), "the report is written before the run fails"
    assert clean_emulator.writes() == []


def test_an_instance_as_declared_reports_no_drift_and_exits_zero(run, dss, clean_emulator, tmp_path):
    spec = {"dss_groups": [{"name": "administrators", "admin": True}, {"name": "team", "may_create_projects": True}],
            "dss_users": [{"login": "admin", "groups": ["administrators"]}, {"login": "analyst", "groups": ["team"]}]}
    provision = {"name": "provision", "dataops.iam.dss_access": {
        "groups": spec["dss_groups"], "users": spec["dss_users"], "purge_users": "delete", "purge_groups": True}}
    run([provision]).ok()
    dss.create_user("svc-bi")
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, spec=dict(spec, dss_audit_protect=["svc-bi"]), dss_audit_fail_on_drift=True)
    outcome.ok()
    assert "**No drift: all 4 declared objects are as declared, and the 1 objects not in the model are expected.**" in report
    assert {row[0] for row in rows(report).values()} == {"in sync", "expected"}
    assert clean_emulator.writes() == []


def test_disable_mode_reports_disabled_users_not_in_the_model_as_unmanaged(dss, clean_emulator, tmp_path):
    dss.create_user("gone")
    dss.edit_user("gone", enabled=False)
    clean_emulator.clear_log()
    spec = {"dss_users": [{"login": "admin"}, {"login": "analyst"}]}
    outcome, report = audit(clean_emulator, tmp_path, spec=spec, dss_audit_purge_users="disable")
    outcome.ok()
    table = rows(report)
    assert table[("user", "gone")] == ["unmanaged", "not in the model (disabled)"]
    assert not any(key[0] == "group" for key in table), "no dss_groups in the model: groups are not audited"
    assert clean_emulator.writes() == []


def test_an_audit_that_cannot_run_is_an_error_row_and_exit_code_2(clean_emulator, tmp_path):
    outcome, report = audit(clean_emulator, tmp_path, key="not-a-dss-key")
    assert outcome.rc == 2
    (status, change), = [value for key, value in rows(report).items() if key[0] == "audit"]
    assert status == "error" and "HTTP 401" in change
    assert "The audit could not run" in outcome.stdout
    assert clean_emulator.writes() == []
