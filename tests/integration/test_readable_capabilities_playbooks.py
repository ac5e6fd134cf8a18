"""Capabilities as toolkit YAML writes them: data sets and extraction pipelines by external id, security categories
by name, resolved with one lookup per kind, shown by name; and creates written in the task's own order and split."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_paths

LANDING, CURATED, SAP = 4500000001, 4500000002, 4700000001  # the emulator's seeded data sets and pipeline
NAMED = [
    {"timeSeriesAcl": {"actions": ["WRITE", "READ"], "scope": {"datasetScope": {"ids": ["landing", "curated"]}}}},
    {"extractionRunsAcl": {"actions": ["READ"], "scope": {"extractionPipelineScope": {"ids": ["sap-landing"]}}}},
    {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["legal"]}}}},
    {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
]


def legal_category(cdf):
    answer = cdf.http.post("/securitycategories", json={"items": [{"name": "legal"}]}).raise_for_status()
    return answer.json()["items"][0]["id"]


def group_task(**options):
    return {"name": "group", "dataops.iam.group": {"name": "named", "capabilities": NAMED, **options}}


def test_names_are_resolved_written_as_declared_and_shown_by_name(run, cdf, clean_emulator):
    legal = legal_category(cdf)
    clean_emulator.clear_log()
    planned = run([group_task()], check=True, diff=True).ok().result("group")
    assert clean_emulator.writes() == []
    assert "timeSeriesAcl: READ, WRITE [datasetScope: landing, curated]" in planned["diff"]["after"]["capabilities"]
    assert "securityCategoriesAcl: MEMBEROF [idscope: legal]" in planned["diff"]["after"]["capabilities"]
    run([group_task()]).ok()
    [stored] = cdf.groups("named")
    assert stored["capabilities"] == [
        {"timeSeriesAcl": {"actions": ["WRITE", "READ"], "scope": {"datasetScope": {"ids": [LANDING, CURATED]}}}},
        {"extractionRunsAcl": {"actions": ["READ"], "scope": {"extractionPipelineScope": {"ids": [SAP]}}}},
        {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": [legal]}}}},
        {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
    ], "written in the task's own order, with the ids"
    clean_emulator.clear_log()
    again = run([group_task()], diff=True).ok().result("group")
    assert again["changed"] is False and clean_emulator.writes() == []
    lookups = [e["path"].rsplit("/", 2)[-2:] for e in clean_emulator.requests() if e["path"].endswith("/byids")]
    assert lookups == [["datasets", "byids"], ["extpipes", "byids"]], "one lookup per kind"


def test_a_name_that_does_not_exist_fails_before_any_write(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    wrong = [{"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["landing", "nowhere"]}}}}]
    failed = run([group_task(capabilities=wrong)])
    assert failed.rc != 0 and clean_emulator.writes() == []
    assert "data set 'nowhere'" in failed.result("group")["msg"]
    unknown_category = {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["x"]}}}}
    model = {"groups": [{"name": "ok", "capabilities": NAMED[:2]}, {"name": "bad", "capabilities": [unknown_category]}]}
    refused = run([{"name": "access", "dataops.iam.access": model}])
    assert refused.rc != 0 and clean_emulator.writes() == []
    assert "groups[1] ('bad'): security category 'x'" in refused.result("access")["msg"]


def test_access_plans_and_shows_names(run, cdf, clean_emulator):
    legal_category(cdf)
    cdf.create_group(name="named", capabilities=[{"timeSeriesAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [LANDING]}}}}])
    model = {"groups": [{"name": "named", "capabilities": NAMED}], "security_categories": ["legal"]}
    checked = run([{"name": "access", "dataops.iam.access": model}], check=True, diff=True).ok().result("access")
    [row] = [r for r in checked["plan"] if r["kind"] == "group"]
    assert row["action"] == "replace"
    assert "timeSeriesAcl: READ [datasetScope: curated]" in row["added"]
    assert "timeSeriesAcl: WRITE [datasetScope: landing, curated]" in row["added"]
    done = run([{"name": "access", "dataops.iam.access": model}]).ok().result("access")
    assert done["plan"] == checked["plan"]
    clean_emulator.clear_log()
    again = run([{"name": "access", "dataops.iam.access": model}]).ok().result("access")
    assert again["changed"] is False and clean_emulator.writes() == []
    assert len(clean_emulator.requests()) == 5  # token, groups, categories (the names' too), data sets, pipelines


def test_a_category_the_model_creates_may_be_named_by_its_groups(run, cdf, clean_emulator):
    reader = {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["fresh"]}}}}
    model = {"groups": [{"name": "fresh-readers", "capabilities": [reader]}], "security_categories": ["fresh"]}
    clean_emulator.clear_log()
    checked = run([{"name": "access", "dataops.iam.access": model}], check=True, diff=True).ok().result("access")
    assert clean_emulator.writes() == []
    assert checked["groups"][0]["capabilities"] == [reader], "check mode: the name, the category has no id yet"
    assert "securityCategoriesAcl: MEMBEROF [idscope: fresh]" in checked["diff"]["after"]["groups"]["fresh-readers"]["capabilities"]
    done = run([{"name": "access", "dataops.iam.access": model}]).ok().result("access")
    assert done["plan"] == checked["plan"]
    fresh = done["security_categories"][0]["id"]
    [stored] = cdf.groups("fresh-readers")
    assert stored["capabilities"] == [{"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": [fresh]}}}}]
    assert run([{"name": "access", "dataops.iam.access": model}]).ok().result("access")["changed"] is False
