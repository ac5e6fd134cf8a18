"""group and security_category: created, then deleted, each through check mode first and a re-run with no change."""

from __future__ import annotations

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}
ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [3, 1, 2]}}}}
GROUP = {"name": "data-engineers", "capabilities": [GROUPS_LIST, ASSETS_READ], "source_id": "idp-engineers",
         "metadata": {"owner": "platform"}}


def test_group_created_then_deleted(tasks):
    planned, done, again = tasks.converge("group", GROUP)
    assert planned["diff"]["before"] == {}
    assert "assetsAcl: READ [datasetScope: 1, 2, 3]" in planned["diff"]["after"]["capabilities"]
    assert done["group"]["id"] > 0 and done["group"]["sourceId"] == "idp-engineers"
    assert again["group"]["id"] == done["group"]["id"]
    assert again["diff"]["before"] == again["diff"]["after"]

    gone, deleted, _again = tasks.converge("group", {"name": "data-engineers", "state": "absent"})
    assert gone["diff"]["after"] == {} and deleted["group"] is None
    assert deleted["deleted_ids"] == [done["group"]["id"]]
    assert tasks.run("group_info", {"name": "data-engineers"})["groups"] == []


def test_a_group_change_is_planned_and_made(tasks):
    tasks.run("group", GROUP)
    changed = dict(GROUP, capabilities=[GROUPS_LIST])
    planned, done, _again = tasks.converge("group", changed)
    assert "assetsAcl: READ [datasetScope: 1, 2, 3]" in planned["diff"]["before"]["capabilities"]
    assert "assetsAcl" not in str(planned["diff"]["after"]) and "assetsAcl" not in str(done["group"]["capabilities"])


def test_a_group_that_would_lock_the_caller_out_is_refused_in_check_mode_too(tasks):
    tasks.emulator.clear_log()
    refused = tasks.attempt("group", {"name": "admins", "capabilities": [GROUPS_LIST]}, check_mode=True)
    assert refused["failed"] is True and refused["changed"] is False and tasks.writes() == []
    assert refused["msg"].startswith("Refusing to change group 'admins': this change would take from the credentials")


def test_security_category_created_then_deleted(tasks):
    planned, done, again = tasks.converge("security_category", {"name": "legal-confidential"})
    assert planned["security_category"] == {"name": "legal-confidential"}
    assert done["security_category"]["id"] > 0 and again["security_category"] == done["security_category"]
    assert done["diff"] == {"before": {}, "after": {"name": "legal-confidential"}}

    gone, deleted, _again = tasks.converge("security_category", {"name": "legal-confidential", "state": "absent"})
    assert gone["diff"]["after"] == {} and deleted["security_category"] is None
    assert tasks.run("security_category_info", {"name": "legal-confidential"})["security_categories"] == []


def test_a_refused_call_says_what_the_task_was_doing_and_a_lost_answer_is_rechecked(tasks):
    path = "/api/v1/projects/%s/securitycategories" % tasks.emulator.project
    tasks.emulator.inject(method="POST", path=path, status=400, message="refused", times=1)
    refused = tasks.attempt("security_category", {"name": "legal"})
    assert refused["failed"] is True and refused["status"] == 400 and refused["changed"] is False
    assert refused["msg"].startswith("Managing security category 'legal' failed: HTTP 400 POST ")
    tasks.emulator.inject(method="POST", path=path, status=500, after=True, times=1)
    lost = tasks.run("security_category", {"name": "legal"})
    assert lost["changed"] is True and lost["security_category"]["id"] > 0, "the create took effect before the 500"
    assert [c["name"] for c in tasks.run("security_category_info", {})["security_categories"]] == ["legal"]
