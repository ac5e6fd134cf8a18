"""playbooks/audit.yml: one check-mode dataops.iam.access task over a declared model, for a nightly job: the drift
of each declared group and category, and the objects of the project that the model does not name (unmanaged, with
their capabilities), in a Markdown report, on the console and in the exit code. Every run here is checked against
the emulator's request log: no write, and no token inspection (read access suffices)."""

from __future__ import annotations

import re

import pytest
import yaml

from runner import REPO, run_playbook

AUDIT = REPO / "playbooks" / "audit.yml"
ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
EVENTS_READ = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
SERIES_READ = {"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}}
CATEGORIES_LIST = {"securityCategoriesAcl": {"actions": ["LIST"], "scope": {"all": {}}}}
SPEC = {
    "cdf_groups": [
        {"name": "in-sync", "source_id": "idp-1", "capabilities": [ASSETS_READ]},
        {"name": "drifted", "members": ["allUserAccounts"], "capabilities": [ASSETS_READ, SERIES_READ]},
        {"name": "missing", "capabilities": [ASSETS_READ]},
        {"name": "retired", "state": "absent"},
    ],
    "cdf_security_categories": ["kept", "wanted", {"name": "old", "state": "absent"}],
}
#: The seeded groups of the emulator (emulator/cdf/seeds.py), as the report lists their capabilities.
READERS_CAPABILITIES = "`groupsAcl: LIST [all]`<br>`projectsAcl: LIST [all]`"
INSPECT = "/api/v1/token/inspect"


def audit(emulator, tmp_path, check=False, spec=None, client=("admin", "admin-secret"), **extra):
    spec_file = tmp_path / "access.yml"
    spec_file.write_text(yaml.safe_dump(SPEC if spec is None else spec))
    report = tmp_path / "report.md"
    # the token URL defaults to <cdf_url>/oauth2/token, the emulator's token endpoint
    env = {"CDF_URL": emulator.url, "CDF_PROJECT": emulator.project, "IDP_CLIENT_ID": client[0], "IDP_CLIENT_SECRET": client[1]}
    extra_vars = {"audit_spec": str(spec_file), "audit_report": str(report), **extra}
    outcome = run_playbook(AUDIT, tmp_path / "run", check=check, extra_vars=extra_vars, env=env)
    return outcome, report.read_text() if report.exists() else ""


def rows(report):
    """The report's table as {name: [kind, status, change, missing, extra]}."""
    lines = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| kind")]
    return {cells[1]: [cells[0]] + cells[2:] for cells in ([c.strip() for c in line.strip("|").split(" | ")] for line in lines)}


def read_only(emulator):
    """The audit's requests: no write, no token inspection (only a token, the group list, the category list)."""
    log = emulator.requests()
    assert [entry for entry in log if entry["write"]] == [], "the audit changes nothing"
    assert INSPECT not in {entry["path"] for entry in log}, "the audit needs no token inspection"
    return log


def drifted_project(cdf):
    cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[ASSETS_READ])
    cdf.create_group(name="drifted", members="allUserAccounts", capabilities=[ASSETS_READ, EVENTS_READ])
    cdf.create_group(name="retired", capabilities=[])
    cdf.create_group(name="ui-made", capabilities=[EVENTS_READ, SERIES_READ])
    cdf.http.post("/securitycategories", json={"items": [{"name": "kept"}, {"name": "old"}, {"name": "stray"}]}).raise_for_status()


def test_the_report_names_every_drift_and_every_unmanaged_object_and_nothing_is_written(cdf, clean_emulator, tmp_path):
    drifted_project(cdf)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path)
    outcome.ok()
    log = read_only(clean_emulator)
    assert [(entry["method"], entry["path"].rpartition("/")[2]) for entry in log] == [
        ("POST", "token"), ("GET", "groups"), ("GET", "securitycategories"),
    ], "one read of each list"
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
    # not in the model: the UI-made group and category, and the emulator's seeded groups, with their capabilities
    assert table["ui-made"] == ["group", "unmanaged", "not in the model", "", "`eventsAcl: READ [all]`<br>`timeSeriesAcl: READ [all]`"]
    assert table["readers"] == ["group", "unmanaged", "not in the model", "", READERS_CAPABILITIES]
    assert table["admins"][:3] == ["group", "unmanaged", "not in the model"]
    assert "`groupsAcl: CREATE, DELETE, LIST, READ, UPDATE [all]`" in table["admins"][4]
    assert table["stray"] == ["security category", "unmanaged", "not in the model", "", ""]
    assert len(table) == 11
    assert "**5 of 7 declared objects drift from the declaration; 4 objects of the project are not in it (unmanaged).**" in report
    assert "Project demo: 5 of 7 declared objects drift, 4 objects are not in the model, 0 expected" in outcome.stdout
    assert "group drifted: drift - would be replaced: capabilities differ (missing: timeSeriesAcl: READ [all] / extra: eventsAcl: READ [all])" in outcome.stdout
    assert "group ui-made: unmanaged - not in the model (capabilities: eventsAcl: READ [all]; timeSeriesAcl: READ [all])" in outcome.stdout
    assert "security category stray: unmanaged - not in the model" in outcome.stdout
    assert re.search(r'^-\s+"eventsAcl: READ \[all\]",?$', outcome.stdout, re.MULTILINE), "the console shows the diff"


def test_drift_fails_the_run_only_when_asked_and_unmanaged_objects_count(cdf, clean_emulator, tmp_path):
    drifted_project(cdf)
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, audit_fail_on_drift=True)
    assert outcome.rc == 2
    assert (
        "9 objects drift from the declaration: drifted, missing, retired, wanted, old, admins (not in the model), "
        "readers (not in the model), ui-made (not in the model), stray (not in the model)"
    ) in outcome.stdout
    assert "drifted" in rows(report), "the report is written before the run fails"
    read_only(clean_emulator)


def test_a_project_as_declared_exits_zero_once_the_seeded_groups_are_protected(run, cdf, clean_emulator, tmp_path):
    provision = [{"name": f"g{i}", "dataops.iam.group": group} for i, group in enumerate(SPEC["cdf_groups"])]
    provision += [{"name": f"c{i}", "dataops.iam.security_category": {"name": n}} for i, n in enumerate(["kept", "wanted"])]
    run(provision).ok()

    clean_emulator.clear_log()
    unprotected, report = audit(clean_emulator, tmp_path, check=True, audit_fail_on_drift=True)
    assert unprotected.rc == 2, "the seeded admins and readers are not in the model"
    assert "2 objects drift from the declaration: admins (not in the model), readers (not in the model)" in unprotected.stdout
    assert {name: row[1] for name, row in rows(report).items() if row[1] != "in sync"} == {"admins": "unmanaged", "readers": "unmanaged"}
    read_only(clean_emulator)

    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, check=True, audit_fail_on_drift=True, audit_protect=["admins", "read.*"])
    outcome.ok()
    assert "**No drift: all 7 declared objects are as declared, and the 2 objects not in the model are expected.**" in report
    table = rows(report)
    assert {row[1] for row in table.values()} == {"in sync", "expected"}
    assert table["readers"] == ["group", "expected", "not in the model; expected (audit_protect entry 'read.*')", "", READERS_CAPABILITIES]
    assert table["admins"][2] == "not in the model; expected (audit_protect entry 'admins')"
    assert "Project demo: 0 of 7 declared objects drift, 0 objects are not in the model, 2 expected" in outcome.stdout
    read_only(clean_emulator)


def test_several_groups_with_one_name_are_drift_not_a_failed_audit(cdf, clean_emulator, tmp_path):
    kept = cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[ASSETS_READ])
    cdf.create_group(name="in-sync", sourceId="idp-1", capabilities=[EVENTS_READ])
    cdf.create_group(name="drifted", members="allUserAccounts", capabilities=[EVENTS_READ])
    cdf.create_group(name="drifted", members="allUserAccounts", capabilities=[])
    cdf.create_group(name="twin", capabilities=[EVENTS_READ])
    cdf.create_group(name="twin", capabilities=[SERIES_READ])
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, spec={"cdf_groups": SPEC["cdf_groups"][:2]})
    outcome.ok()
    table = rows(report)
    assert table["in-sync"][1:3] == [
        "drift", "2 groups have this name: keeps id %d, which matches, the others would be deleted" % kept["id"],
    ]
    assert table["drifted"][1:3] == [
        "drift", "would be replaced: 2 groups have this name, none matches: one new group replaces them",
    ]
    assert table["twin"] == [
        "group", "unmanaged", "not in the model (2 groups have this name)", "", "`eventsAcl: READ [all]`<br>`timeSeriesAcl: READ [all]`",
    ]
    assert "security category" not in {row[0] for row in table.values()}, "no categories in the model: none audited"
    assert [entry["path"].rpartition("/")[2] for entry in read_only(clean_emulator)] == ["token", "groups"]


@pytest.mark.parametrize("case", ["categories-not-readable", "invalid-model"])
def test_an_audit_that_cannot_run_is_one_error_row_and_exits_2(cdf, clean_emulator, tmp_path, case):
    drifted_project(cdf)
    clean_emulator.clear_log()
    if case == "categories-not-readable":  # reader: groupsAcl:LIST and projectsAcl:LIST only
        outcome, report = audit(clean_emulator, tmp_path, client=("reader", "reader-secret"))
        expected = "securityCategoriesAcl:LIST"
    else:
        spec = {"cdf_groups": SPEC["cdf_groups"] + [{"name": "missing"}], "cdf_security_categories": ["kept"]}
        outcome, report = audit(clean_emulator, tmp_path, spec=spec)
        expected = "'missing' is declared more than once"
    assert outcome.rc == 2
    [(name, row)] = rows(report).items()
    assert name == "demo" and row[:2] == ["audit", "error"]
    assert expected in row[2], row
    assert "**The audit could not run: see the error below. Nothing was compared.**" in report
    assert "Project demo: the audit could not run" in outcome.stdout
    assert "The audit could not run: " in outcome.stdout and expected in outcome.stdout
    read_only(clean_emulator)


def test_read_access_suffices(cdf, clean_emulator, tmp_path):
    """Credentials that may only list groups and categories run the whole audit."""
    drifted_project(cdf)
    cdf.create_group(name="auditors", sourceId="cdf-readers", capabilities=[CATEGORIES_LIST])
    clean_emulator.clear_log()
    outcome, report = audit(clean_emulator, tmp_path, client=("reader", "reader-secret"), audit_protect=["auditors"])
    outcome.ok()
    table = rows(report)
    assert table["drifted"][1] == "drift" and table["stray"][1] == "unmanaged"
    assert table["auditors"][1:3] == ["expected", "not in the model; expected (audit_protect entry 'auditors')"]
    assert "reader-secret" not in outcome.stdout + outcome.stderr
    read_only(clean_emulator)


def test_an_empty_model_reports_every_object_as_unmanaged_but_the_protected_ones(cdf, clean_emulator, tmp_path):
    drifted_project(cdf)
    clean_emulator.clear_log()
    spec = {"cdf_groups": [], "cdf_security_categories": []}
    outcome, report = audit(clean_emulator, tmp_path, spec=spec, audit_protect=["admins", "read.*"])
    outcome.ok()
    statuses = {name: row[1] for name, row in rows(report).items()}
    assert statuses == {
        "in-sync": "unmanaged", "drifted": "unmanaged", "retired": "unmanaged", "ui-made": "unmanaged",
        "admins": "expected", "readers": "expected", "kept": "unmanaged", "old": "unmanaged", "stray": "unmanaged",
    }
    assert "Project demo: 0 of 0 declared objects drift, 7 objects are not in the model, 2 expected" in outcome.stdout
    read_only(clean_emulator)
