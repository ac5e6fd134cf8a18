"""dataops.iam.access: a whole CDF access model in one task, driven by real ansible-playbook runs against the emulator.

What is proven here: converge and re-run (no write, at most 3 requests), the plan of a --check run equals what the
real run then does (compared with the emulator's request log), purge with protect and its safety, the guards, the
batching (1,001 groups: two POST /groups), and batches whose answers are lost converging with no duplicate.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import capabilities_equal
from test_faults_converge import fault_rules

pytestmark = pytest.mark.both_paths

ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
EVENTS_READ = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
SERIES_READ = {"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}}
RAW_READ = {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"landing": {"tables": []}}}}}}
PROJECT_PATH = "/api/v1/projects/demo"


def model_groups():
    return [
        {"name": "engineers", "source_id": "idp-engineers", "capabilities": [ASSETS_READ, RAW_READ],
         "metadata": {"owner": "platform"}},
        {"name": "analysts", "members": ["allUserAccounts"], "capabilities": [EVENTS_READ]},
        {"name": "operators", "capabilities": [SERIES_READ, ASSETS_READ]},
    ]


def access_task(name="apply model", **options):
    return {"name": name, "dataops.iam.access": options, "register": "access"}


def write_calls(emulator):
    """(method, path below the project, body) of every write in the request log."""
    calls = []
    for entry in emulator.writes():
        path = entry["path"].replace(PROJECT_PATH, "")
        calls.append((entry["method"], path, entry.get("body")))
    return calls


def posted(emulator, path):
    return [body for method, where, body in write_calls(emulator) if method == "POST" and where == path]


def test_a_model_converges_in_batches_and_a_rerun_is_three_reads(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    first = run([access_task(groups=model_groups(), security_categories=["confidential", "legal"])]).ok()
    result = first.result("apply model")
    assert result["changed"] is True
    assert result["counts"]["create"] == 5
    assert [(r["kind"], r["name"], r["action"]) for r in result["plan"]] == [
        ("security_category", "confidential", "create"), ("security_category", "legal", "create"),
        ("group", "engineers", "create"), ("group", "analysts", "create"), ("group", "operators", "create"),
    ]
    assert [call[:2] for call in write_calls(clean_emulator)] == [("POST", "/securitycategories"), ("POST", "/groups")]
    assert [g["name"] for g in result["groups"]] == ["engineers", "analysts", "operators"]
    assert all(g["id"] > 0 for g in result["groups"])
    [engineers] = cdf.groups("engineers")
    assert engineers["sourceId"] == "idp-engineers" and engineers["metadata"] == {"owner": "platform"}

    clean_emulator.clear_log()
    again = run([access_task(groups=model_groups(), security_categories=["confidential", "legal"])]).ok()
    rerun = again.result("apply model")
    assert rerun["changed"] is False and again.recap["changed"] == 0
    assert {r["action"] for r in rerun["plan"]} == {"unchanged"}
    assert len(clean_emulator.requests()) <= 3, [e["path"] for e in clean_emulator.requests()]
    assert clean_emulator.writes() == []

    clean_emulator.clear_log()
    checked = run([access_task(groups=model_groups(), security_categories=["confidential", "legal"])], check=True).ok()
    assert checked.result("apply model")["changed"] is False
    assert clean_emulator.writes() == []


def drifted_project(cdf):
    """A project a model has drifted from: a group changed in the UI, a UI-made group, a category nobody declared."""
    cdf.create_group(name="engineers", sourceId="idp-engineers", capabilities=[ASSETS_READ],
                     metadata={"owner": "platform"})
    cdf.create_group(name="analysts", members="allUserAccounts", capabilities=[EVENTS_READ])
    cdf.create_group(name="retired", capabilities=[SERIES_READ])
    cdf.create_group(name="ui-made", capabilities=[EVENTS_READ])
    cdf.create_group(name="team-keep", capabilities=[EVENTS_READ])
    cdf.http.post("/securitycategories", json={"items": [{"name": "confidential"}, {"name": "stray"}]}).raise_for_status()


def drifted_model():
    groups = model_groups() + [{"name": "retired", "state": "absent"}]
    return dict(groups=groups, security_categories=["confidential", "legal"], purge=True, protect=["team-.*"])


def test_the_check_plan_is_what_the_real_run_does(run, cdf, clean_emulator):
    drifted_project(cdf)
    before = {g["name"]: g for g in cdf.groups()}
    clean_emulator.clear_log()
    checked = run([access_task(**drifted_model())], check=True, diff=True).ok().result("apply model")
    assert clean_emulator.writes() == [], "check mode writes nothing"
    actions = {(r["kind"], r["name"]): r["action"] for r in checked["plan"]}
    assert actions == {
        ("security_category", "confidential"): "unchanged",
        ("security_category", "legal"): "create",
        ("security_category", "stray"): "purge",
        ("group", "engineers"): "replace",
        ("group", "analysts"): "unchanged",
        ("group", "operators"): "create",
        ("group", "retired"): "delete",
        ("group", "ui-made"): "purge",
        ("group", "team-keep"): "protected",
        ("group", "admins"): "protected",  # the caller's own group (token inspection)
        ("group", "readers"): "purge",
    }
    rows = {r["name"]: r for r in checked["plan"]}
    assert "+rawAcl: READ [tableScope: landing.*]" in rows["engineers"]["reason"]
    assert "team-.*" in rows["team-keep"]["reason"]
    assert "credentials running this task" in rows["admins"]["reason"]
    assert rows["ui-made"]["capabilities"] == ["eventsAcl: READ [all]"]
    diff = checked["diff"]
    assert set(diff["before"]["groups"]) == {"engineers", "retired", "ui-made", "readers"}
    assert set(diff["after"]["groups"]) == {"engineers", "operators"}

    clean_emulator.clear_log()
    real = run([access_task(**drifted_model())]).ok().result("apply model")
    assert real["plan"] == checked["plan"], "the --check plan is exactly what the run did"
    creates = [item["name"] for body in posted(clean_emulator, "/groups") for item in body["items"]]
    assert sorted(creates) == ["engineers", "operators"]
    deleted = sorted(i for body in posted(clean_emulator, "/groups/delete") for i in body["items"])
    assert deleted == sorted(before[name]["id"] for name in ("engineers", "retired", "ui-made", "readers"))
    assert [i["name"] for body in posted(clean_emulator, "/securitycategories") for i in body["items"]] == ["legal"]
    assert len(posted(clean_emulator, "/securitycategories/delete")) == 1
    assert len(posted(clean_emulator, "/groups")) == 1 and len(posted(clean_emulator, "/groups/delete")) == 1
    assert sorted(g["name"] for g in cdf.groups()) == ["admins", "analysts", "engineers", "operators", "team-keep"]

    clean_emulator.clear_log()
    assert run([access_task(**drifted_model())]).ok().result("apply model")["changed"] is False
    assert clean_emulator.writes() == []


def test_purge_without_a_model_and_bad_input_fail_before_any_request(run, clean_emulator):
    clean_emulator.clear_log()
    empty = run([access_task(groups=[], purge=True)])
    assert empty.rc != 0
    message = empty.result("apply model")["msg"]
    assert "allow_empty" in message
    bad = run([access_task(groups=[
        {"name": "a", "capabilities": [ASSETS_READ]},
        {"name": "a"},
        {"name": "b", "capabilities": [{"assetsAcl": {"actions": "READ", "scope": {"all": {}}}}]},
        {"name": "c", "metadata": {"k": 1}},
    ], security_categories=[{"name": "x", "colour": "red"}], protect=["("])])
    assert bad.rc != 0
    message = bad.result("apply model")["msg"]
    for expected in ("'a' is declared more than once", "groups[2] ('b')", "groups[3] ('c')", "security_categories[0]",
                     "protect"):
        assert expected in message, message
    assert clean_emulator.requests() == [], "nothing is even read"
    both = run([access_task(groups=[{"name": "d", "members": ["u1"], "source_id": "s"}])])
    assert both.rc != 0 and "mutually exclusive" in both.result("apply model")["msg"]


def test_a_declared_change_that_locks_the_caller_out_fails_before_any_write(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    locked = run([access_task(groups=[{"name": "admins", "capabilities": [ASSETS_READ]}])], check=True)
    assert locked.rc != 0
    assert "Refusing to apply the access model" in locked.result("apply model")["msg"]
    assert clean_emulator.writes() == []
    real = run([access_task(groups=[{"name": "admins", "capabilities": [ASSETS_READ]}])])
    assert real.rc != 0 and clean_emulator.writes() == []
    assert [g["name"] for g in cdf.groups("admins")] == ["admins"]


def test_duplicates_fail_or_consolidate(run, cdf, clean_emulator):
    first = cdf.create_group(name="twins", capabilities=[ASSETS_READ])
    cdf.create_group(name="twins", capabilities=[EVENTS_READ])
    clean_emulator.clear_log()
    failed = run([access_task(groups=[{"name": "twins", "capabilities": [ASSETS_READ]}])])
    assert failed.rc != 0 and "2 groups are named 'twins'" in failed.result("apply model")["msg"]
    assert clean_emulator.writes() == []
    merged = run([access_task(groups=[{"name": "twins", "capabilities": [ASSETS_READ]}], on_duplicates="consolidate")])
    row = merged.ok().result("apply model")["plan"][0]
    assert row["action"] == "delete" and row["kept_id"] == first["id"]
    assert [g["id"] for g in cdf.groups("twins")] == [first["id"]]


def many_groups(count):
    return [{"name": "bulk-%04d" % index, "capabilities": [ASSETS_READ], "metadata": {"n": str(index)}}
            for index in range(count)]


def test_1001_groups_are_two_creates_and_a_noop_is_three_requests(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    result = run([access_task(groups=many_groups(1001))]).ok().result("apply model")
    assert result["counts"]["create"] == 1001
    sizes = [len(body["items"]) for body in posted(clean_emulator, "/groups")]
    assert sizes == [1000, 1], "as few POST /groups as the API's item limit allows"
    kinds = [(entry["method"], entry["path"].rsplit("/", 1)[-1]) for entry in clean_emulator.requests()]
    # token, list, the creates, and the read after them that looks for copies made by racing runs (duplicates.py)
    assert kinds.count(("GET", "groups")) == 2 and kinds.count(("POST", "token")) == 1
    assert len(kinds) - kinds.count(("GET", "inspect")) == 3 + len(sizes)
    clean_emulator.clear_log()
    again = run([access_task(groups=many_groups(1001))]).ok().result("apply model")
    assert again["changed"] is False and len(clean_emulator.requests()) == 2


@pytest.mark.parametrize("after", [True, False], ids=["answer-lost-after-create", "refused-before-create"])
def test_a_batch_whose_answer_is_lost_converges_with_no_duplicate(run, cdf, clean_emulator, after):
    clean_emulator.inject(method="POST", path=PROJECT_PATH + "/groups", status=503, after=after, times=1)
    clean_emulator.inject(method="POST", path=PROJECT_PATH + "/securitycategories", status=502, after=after, times=1)
    clean_emulator.clear_log()
    result = run([access_task(groups=many_groups(40), security_categories=["c1", "c2"])]).ok().result("apply model")
    assert result["counts"]["create"] == 42
    names = [g["name"] for g in cdf.groups() if g["name"].startswith("bulk-")]
    assert sorted(names) == sorted(set(names)) and len(names) == 40, "one group per name, none lost"
    creates = posted(clean_emulator, "/groups")
    # lost after the create: the list is read again and nothing is sent twice; refused before: sent again once
    assert len(creates) == (1 if after else 2)
    again = run([access_task(groups=many_groups(40), security_categories=["c1", "c2"])]).ok().result("apply model")
    assert again["changed"] is False


def test_result_is_json_and_secrets_stay_out(run, clean_emulator):
    outcome = run([access_task(groups=model_groups())], diff=True, verbosity=4).ok()
    assert "admin-secret" not in outcome.stdout + outcome.stderr
    json.dumps(outcome.result("apply model"))


def test_a_model_converges_under_30_percent_faults_with_no_duplicate_and_nothing_lost(run, cdf, clean_emulator):
    wanted = {"fault-%02d" % i: [{"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [i + 1]}}}}]
              for i in range(60)}
    old_ids = {}
    for name in list(wanted)[:20]:  # to replace
        old_ids[name] = cdf.create_group(name=name, capabilities=[SERIES_READ])["id"]
    for index in range(10):  # to purge
        old_ids["stray-%d" % index] = cdf.create_group(name="stray-%d" % index, capabilities=[EVENTS_READ])["id"]
    cdf.http.post("/securitycategories", json={"items": [{"name": "old-%d" % i} for i in range(5)]}).raise_for_status()
    model = dict(groups=[{"name": n, "capabilities": c} for n, c in wanted.items()],
                 security_categories=["cat-%d" % i for i in range(10)], purge=True, protect=["readers"])
    clean_emulator.inject_all(fault_rules())
    faulty = run([access_task(**model)])
    hits = sum(rule.get("hits", 0) for rule in clean_emulator.faults())
    clean_emulator.clear_faults()
    assert faulty.rc == 0, f"the run failed under faults:\n{faulty.stdout[-4000:]}"
    assert hits > 0, "faults were injected"
    groups = cdf.groups()
    assert Counter(g["name"] for g in groups) == Counter(list(wanted) + ["admins", "readers"]), "each once, strays gone"
    for group in groups:
        if group["name"] in wanted:
            assert capabilities_equal(group["capabilities"], wanted[group["name"]]), group
    assert not set(old_ids.values()) & {g["id"] for g in groups}, "nothing left half-replaced"
    listed = cdf.http.get("/securitycategories", params={"limit": 1000}).raise_for_status().json()["items"]
    assert sorted(c["name"] for c in listed) == sorted(model["security_categories"])
    clean_emulator.clear_log()
    again = run([access_task(**model)]).ok().result("apply model")
    assert again["changed"] is False and clean_emulator.writes() == []


def test_a_write_refused_half_way_says_what_was_done_and_a_rerun_finishes(run, cdf, clean_emulator):
    old = cdf.create_group(name="engineers", sourceId="idp-engineers", capabilities=[SERIES_READ])
    clean_emulator.inject(method="POST", path=PROJECT_PATH + "/groups/delete", status=400, message="refused", times=-1)
    failed = run([access_task(groups=model_groups(), security_categories=["confidential"])])
    assert failed.rc != 0
    result = failed.result("apply model")
    assert result["changed"] is True, "categories and groups were created before the refusal"
    assert "done before the failure: created security categories: 1, created groups: 3" in result["msg"]
    assert sorted(result["created_groups"]) == ["analysts", "engineers", "operators"]
    assert [row["action"] for row in result["plan"] if row["name"] == "engineers"] == ["replace"]
    assert "groups 'engineers' now exist twice" in result["msg"] and "on_duplicates: consolidate" in result["msg"]
    clean_emulator.clear_faults()
    again = dict(groups=model_groups(), security_categories=["confidential"], on_duplicates="consolidate")
    finished = run([access_task(**again)]).ok()
    rows = {row["name"]: row for row in finished.result("apply model")["plan"]}
    assert rows["engineers"]["action"] == "delete" and rows["engineers"]["ids"] == [old["id"]]
    assert rows["engineers"]["kept_id"] == result["created_groups"]["engineers"]
    assert len(cdf.groups("engineers")) == 1


def test_a_model_file_is_read_checked_and_applied_like_the_options(run, cdf, clean_emulator, tmp_path):
    model = tmp_path / "model.yml"
    model.write_text(yaml.safe_dump({"groups": model_groups(), "security_categories": ["confidential"]}))
    clean_emulator.clear_log()
    checked = run([access_task(src=str(model))], check=True).ok().result("apply model")
    assert clean_emulator.writes() == [] and checked["counts"]["create"] == 4
    done = run([access_task(src=str(model))]).ok().result("apply model")
    assert done["plan"] == checked["plan"]
    assert done["invocation"]["module_args"]["groups"] is None, "the model stays out of the task's arguments"
    assert run([access_task(src=str(model))]).ok().result("apply model")["changed"] is False

    model.write_text(yaml.safe_dump({"groups": [{"name": "x", "metadata": {"k": 1}}, {"name": "y", "colour": "red"}],
                                     "extra": 1}))
    clean_emulator.clear_log()
    bad = run([access_task(src=str(model))])
    assert bad.rc != 0 and clean_emulator.requests() == []
    message = bad.result("apply model")["msg"]
    assert "Invalid model in" in message and "extra" in message and "colour" in message
    model.write_text(yaml.safe_dump({"groups": [{"name": "x", "metadata": {"k": 1}}]}))
    message = run([access_task(src=str(model))]).result("apply model")["msg"]
    assert "groups[0] ('x'): metadata['k'] must be a string" in message
    model.write_text("groups: [unclosed")
    assert "is not YAML or JSON" in run([access_task(src=str(model))]).result("apply model")["msg"]
    missing = run([access_task(src=str(tmp_path / "nope.yml"))]).result("apply model")["msg"]
    assert "Cannot read the model src" in missing
    both = run([access_task(src=str(model), groups=[])])
    assert both.rc != 0 and "mutually exclusive" in both.result("apply model")["msg"]
    assert clean_emulator.writes() == []
