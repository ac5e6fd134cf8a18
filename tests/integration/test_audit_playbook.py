"""playbooks/audit.yml: a check-mode drift report over declared groups and categories, for a nightly job."""

from __future__ import annotations

import yaml

from runner import REPO, run_playbook

AUDIT = REPO / "playbooks" / "audit.yml"
ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
EVENTS_READ = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
SERIES_READ = {"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}}
SPEC = {
    "cdf_groups": [
        {"name": "in-sync", "source_id": "idp-1", "capabilities": [ASSETS_READ]},
        {"name": "drifted", "members": ["allUserAccounts"], "capabilities": [ASSETS_READ, SERIES_READ]},
        {"name": "missing", "capabilities": [ASSETS_READ]},
        {"name": "retired", "state": "absent"},
    ],
    "cdf_security_categories": ["kept", "wanted", {"name": "old", "state": "absent"}],
}


def audit(emulator, tmp_path, check=False, **extra):
    spec_file = tmp_path / "access.yml"
    spec_file.write_text(yaml.safe_dump(SPEC))
    report = tmp_path / "report.md"
    # the token URL defaults to <cdf_url>/oauth2/token, the emulator's token endpoint
    env = {"CDF_URL": emulator.url, "CDF_PROJECT": emulator.project, "IDP_CLIENT_ID": "admin", "IDP_CLIENT_SECRET": "admin-secret"}
    extra_vars = {"audit_spec": str(spec_file), "audit_report": str(report), **extra}
    outcome = run_playbook(AUDIT, tmp_path / "run", check=check, extra_vars=extra_vars, env=env)
    return outcome, report.read_text() if report.exists() else ""


def rows(report):
    """The report's table as {name: [kind, status, change, missing, extra]}."""
    lines = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| kind")]
    return {cells[1]: [cells[0]] + cells[2:] for cells in ([c.strip() for c in line.strip("|").split(" | ")] for line in lines)}


def drifted_project(cdf):
    cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[ASSETS_READ])
    cdf.create_group(name="drifted", members="allUserAccounts", capabilities=[ASSETS_READ, EVENTS_READ])
    cdf.create_group(name="retired", capabilities=[])
    cdf.http.post("/securitycategories", json={"items": [{"name": "kept"}, {"name": "old"}]}).raise_for_status()


def test_the_report_names_every_drift_and_nothing_is_written(cdf, clean_emulator, tmp_path):
    drifted_project(cdf)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path)
    outcome.ok()
    assert clean_emulator.writes() == [], "the audit changes nothing"
    table = rows(report)
    assert table["in-sync"] == ["group", "in sync", "", "", ""]
    assert table["drifted"] == [
        "group", "drift", "would be replaced: capabilities differ", "`timeSeriesAcl: READ [all]`", "`eventsAcl: READ [all]`",
    ]
    assert table["missing"][:3] == ["group", "drift", "missing: would be created"]
    assert table["retired"][:3] == ["group", "drift", "exists but is declared absent: would be deleted"]
    assert table["kept"][:2] == ["security category", "in sync"]
    assert table["wanted"][1:3] == ["drift", "missing: would be created"]
    assert table["old"][1:3] == ["drift", "exists but is declared absent: would be deleted"]
    assert "**5 of 7 objects drift from the declaration.**" in report
    assert "Project demo: 5 of 7 declared objects drift, 0 could not be checked" in outcome.stdout
    assert "group drifted: drift - would be replaced: capabilities differ (missing: timeSeriesAcl: READ [all] / extra: eventsAcl: READ [all])" in outcome.stdout
    assert '-        "eventsAcl: READ [all]"' in outcome.stdout, "the console shows the group's diff"


def test_drift_fails_the_run_only_when_asked(cdf, clean_emulator, tmp_path):
    drifted_project(cdf)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, audit_fail_on_drift=True)
    assert outcome.rc == 2
    assert "5 objects drift from the declaration: drifted, missing, retired, wanted, old" in outcome.stdout
    assert "drifted" in rows(report), "the report is written before the run fails"
    assert clean_emulator.writes() == []


def test_a_project_as_declared_reports_no_drift_and_exits_zero(run, cdf, clean_emulator, tmp_path):
    provision = [{"name": f"g{i}", "dataops.iam.group": group} for i, group in enumerate(SPEC["cdf_groups"])]
    provision += [{"name": f"c{i}", "dataops.iam.security_category": {"name": n}} for i, n in enumerate(["kept", "wanted"])]
    run(provision).ok()
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, check=True, audit_fail_on_drift=True)
    outcome.ok()
    assert "**No drift: all 7 declared objects are as declared.**" in report
    assert {row[1] for row in rows(report).values()} == {"in sync"}
    assert clean_emulator.writes() == []


def test_objects_that_cannot_be_checked_are_reported_and_fail_the_run(cdf, clean_emulator, tmp_path):
    cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[ASSETS_READ])
    cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[ASSETS_READ])
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path)
    assert outcome.rc == 2
    status, change = rows(report)["in-sync"][1:3]
    assert status == "error" and "2 groups are named 'in-sync'" in change
    assert "The audit could not check in-sync" in outcome.stdout
    assert clean_emulator.writes() == []
