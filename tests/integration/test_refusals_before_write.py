"""Refused before any write, in real playbook runs: what the catalogue knows to be invalid, and a change the caller's
own capabilities (token inspection) cannot make.

Catalogue: ids outside 1 to 2^53 - 1, an ACL name without ``Acl`` (the message gives the right name), a scope the
ACL does not take; ``group``, ``access`` and ``capabilities_check`` refuse the same input with the same words
(one shared check, capability_validation.py). What the catalogue does not know still warns and is written.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_paths

ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


def data_sets(*ids):
    return {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": list(ids)}}}}


#: (case id, capability, texts of the message: the ACL, the position and the value or the right name)
CATALOGUE_CASES = [
    ("id -5", data_sets(4500000001, -5), ["capabilities[1] (datasetsAcl)", "idScope.ids[1]: -5 is not a CDF id",
                                          "1 to 9007199254740991"]),
    ("id 0", data_sets(0), ["(datasetsAcl)", "idScope.ids[0]: 0 is not a CDF id"]),
    ("id 2^53", data_sets(2**53), ["(datasetsAcl)", "idScope.ids[0]: 9007199254740992 is not a CDF id"]),
    ("id 2^53 as a string", data_sets("9007199254740992"), ["idScope.ids[0]: 9007199254740992 is not a CDF id"]),
    ("data set id in datasetScope", {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [-5]}}}},
     ["(assetsAcl)", "datasetScope.ids[0]: -5 is not a CDF id"]),
    ("security category id", {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": [0]}}}},
     ["(securityCategoriesAcl)", "idscope.ids[0]: 0 is not a CDF id"]),
    ("no Acl suffix", {"groups": {"actions": ["LIST"], "scope": {"all": {}}}},
     ["'groups' is not an ACL name", "ends in 'Acl'", "did you mean 'groupsAcl'?"]),
    ("wrong case ACL", {"DatasetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
     ["'DatasetsAcl' is not an ACL name", "case-sensitive", "did you mean 'datasetsAcl'?"]),
    ("scope the ACL does not take", {"groupsAcl": {"actions": ["LIST"], "scope": {"datasetScope": {"ids": [1]}}}},
     ["(groupsAcl)", "groupsAcl does not take scope 'datasetScope'", "its scopes are all, currentuserscope"]),
    ("idScope for idscope", {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idScope": {"ids": [1]}}}},
     ["(securityCategoriesAcl)", "did you mean 'idscope'?"]),
    ("lower-case action", {"assetsAcl": {"actions": ["read"], "scope": {"all": {}}}}, ["did you mean 'READ'?"]),
]


def module_tasks(case_id, capability):
    """The same bad capability given to each module that takes capabilities."""
    return [
        {"name": "group: " + case_id, "dataops.iam.group": {"name": "bad", "capabilities": [ASSETS, capability]},
         "ignore_errors": True},
        {"name": "access: " + case_id, "ignore_errors": True,
         "dataops.iam.access": {"groups": [{"name": "bad", "capabilities": [ASSETS, capability]}]}},
        {"name": "capabilities_check: " + case_id, "ignore_errors": True,
         "dataops.iam.capabilities_check": {"capabilities": [ASSETS, capability]}},
    ]


def test_what_the_catalogue_knows_is_invalid_is_refused_alike_by_every_module_before_any_request(run, clean_emulator):
    tasks = [task for case_id, capability, _texts in CATALOGUE_CASES for task in module_tasks(case_id, capability)]
    clean_emulator.clear_log()
    for check in (False, True):
        outcome = run(tasks, check=check)
        assert outcome.rc == 0 and outcome.recap["failed"] == 0, outcome.stdout[-3000:]
        problems = []
        by_name = {task["task"]: task for task in outcome.tasks}
        for case_id, _capability, texts in CATALOGUE_CASES:
            messages = {}
            for module in ("group", "access", "capabilities_check"):
                task = by_name["%s: %s" % (module, case_id)]
                message = task["result"].get("msg", "")
                if task["status"] != "failed" or any(text not in message for text in texts):
                    problems.append("%s (%s): %r" % (case_id, module, message))
                messages[module] = message
            # One check for all: the capability's own words are the same in each module's message.
            words = messages["group"].split(": ", 1)[-1]
            if not all(words in message for message in messages.values()):
                problems.append("%s: the modules word it differently: %r" % (case_id, messages))
        assert problems == [], "\n".join(problems)
        assert "Traceback" not in outcome.stdout + outcome.stderr
    api_calls = [entry for entry in clean_emulator.requests() if entry["path"].startswith("/api/")]
    assert api_calls == [], "refused before any request: %s" % [(e["method"], e["path"]) for e in api_calls]


def test_session_ids_outside_the_range_are_refused_before_any_request(run, clean_emulator):
    tasks = [{"name": "revoke", "dataops.iam.session": {"state": "absent", "id": [-5]}, "ignore_errors": True},
             {"name": "read", "dataops.iam.session_info": {"ids": [2**53]}, "ignore_errors": True}]
    clean_emulator.clear_log()
    outcome = run(tasks)
    assert outcome.rc == 0 and "Traceback" not in outcome.stdout + outcome.stderr
    assert "id -5 is not a session id (CDF ids are integers from 1 to 9007199254740991" in outcome.result("revoke")["msg"]
    assert "ids: 9007199254740992 is not a session id" in outcome.result("read")["msg"]
    assert [entry for entry in clean_emulator.requests() if entry["path"].startswith("/api/")] == []


def test_what_the_catalogue_does_not_know_still_warns_and_is_written(run, cdf, clean_emulator):
    newer = [{"videoStreamingAcl": {"actions": ["SUBSCRIBE"], "scope": {"all": {}}}},
             {"agentsAcl": {"actions": ["READ"], "scope": {"agentExternalIdScope": {"externalIds": ["a1"]}}}},
             data_sets(1, 9007199254740991)]
    result = run([{"name": "newer", "dataops.iam.group": {"name": "newer", "capabilities": newer}}]).ok().result("newer")
    assert result["changed"] is True
    warnings = " ".join(result.get("warnings", []))
    assert "ACL 'videoStreamingAcl' is not in the catalogue" in warnings
    assert "scope 'agentExternalIdScope' is not known for agentsAcl" in warnings
    (stored,) = cdf.groups("newer")
    assert stored["capabilities"] == newer, "written as declared, the largest id included"


# -- a change the caller's own capabilities cannot make ----------------------------------------------------------
READER = ("reader", "reader-secret")  # the seed's reader: groupsAcl:LIST and projectsAcl:LIST (emulator/cdf/seeds.py)
CATEGORY_LIST = {"securityCategoriesAcl": {"actions": ["LIST"], "scope": {"all": {}}}}


def refused_alike(run, clean_emulator, tasks, name, texts, client=READER):
    """The task fails with ``texts`` in check mode and in a real run, before any write."""
    clean_emulator.clear_log()
    for check in (True, False):
        outcome = run(tasks, check=check, client=client)
        assert outcome.rc != 0, outcome.stdout[-3000:]
        message = outcome.result(name)["msg"]
        assert all(text in message for text in texts), message
        assert "Traceback" not in outcome.stdout + outcome.stderr
    assert clean_emulator.writes() == [], "refused before any write"


def test_a_reader_creating_or_replacing_a_group_is_refused_naming_the_missing_capability(run, cdf, clean_emulator):
    create = [{"name": "create", "dataops.iam.group": {"name": "team", "capabilities": [ASSETS]}}]
    refused_alike(run, clean_emulator, create, "create", [
        "Refusing to create group 'team'", "the credentials running this task", "lack groupsAcl: CREATE [all] in "
        "project 'demo' (token inspection), which POST /groups needs", "Nothing was changed"])
    cdf.create_group(name="team", sourceId="idp-team", capabilities=[])
    replace = [{"name": "replace", "dataops.iam.group": {"name": "team", "capabilities": [ASSETS]}}]
    refused_alike(run, clean_emulator, replace, "replace", [
        "Refusing to replace group 'team'", "lack groupsAcl: CREATE, DELETE [all]", "POST /groups and POST /groups/delete"])
    delete = [{"name": "delete", "dataops.iam.group": {"name": "team", "state": "absent"}}]
    refused_alike(run, clean_emulator, delete, "delete", ["Refusing to delete group 'team'", "lack groupsAcl: DELETE [all]"])
    assert [group["capabilities"] for group in cdf.groups("team")] == [[]]


def test_a_reader_applying_a_model_or_creating_a_category_is_refused(run, cdf, clean_emulator):
    cdf.create_group(name="category-readers", sourceId="cdf-readers", capabilities=[CATEGORY_LIST])
    model = [{"name": "model", "dataops.iam.access": {"groups": [{"name": "team", "capabilities": [ASSETS]}],
                                                      "security_categories": ["confidential"]}}]
    refused_alike(run, clean_emulator, model, "model", [
        "Refusing to apply the access model (1 group create, 1 security category create)",
        "lack groupsAcl: CREATE [all]; securityCategoriesAcl: CREATE [all]"])
    category = [{"name": "category", "dataops.iam.security_category": {"name": "confidential"}}]
    refused_alike(run, clean_emulator, category, "category", [
        "Refusing to create security category 'confidential'", "lack securityCategoriesAcl: CREATE [all]",
        "POST /securitycategories needs"])


def test_with_the_rights_the_same_changes_go_through(run, cdf):
    tasks = [{"name": "group", "dataops.iam.group": {"name": "team", "capabilities": [ASSETS]}},
             {"name": "category", "dataops.iam.security_category": {"name": "confidential"}},
             {"name": "model", "dataops.iam.access": {"groups": [{"name": "model-team", "capabilities": [ASSETS]}]}}]
    outcome = run(tasks).ok()
    assert all(outcome.result(name)["changed"] for name in ("group", "category", "model"))
    assert len(cdf.groups("team")) == 1 and len(cdf.groups("model-team")) == 1


def test_when_inspection_cannot_be_read_the_write_goes_ahead_and_the_api_decides(run, cdf, clean_emulator):
    clean_emulator.inject(method="GET", path="/api/v1/token/inspect", status=403, times=-1)
    made = run([{"name": "create", "dataops.iam.group": {"name": "team", "capabilities": [ASSETS]}}]).ok()
    assert made.result("create")["changed"] is True and len(cdf.groups("team")) == 1
    clean_emulator.clear_log()
    sent = run([{"name": "create", "dataops.iam.group": {"name": "other", "capabilities": [ASSETS]}}], client=READER)
    assert sent.rc != 0 and "HTTP 403" in sent.result("create")["msg"], "as before: sent, and refused by the API"
    assert [(entry["method"], entry["path"]) for entry in clean_emulator.writes()] == [("POST", "/api/v1/projects/demo/groups")]
    assert cdf.groups("other") == []


# -- on_duplicates: consolidate shows every duplicate --------------------------------------------------------------
def test_consolidate_diff_lists_every_duplicate_before_and_the_one_kept_after(run, cdf, clean_emulator):
    ids = [cdf.create_group(name="twins", sourceId="idp-twins", capabilities=capabilities)["id"]
           for capabilities in ([], [ASSETS], [ASSETS])]
    task = [{"name": "consolidate", "dataops.iam.group": {"name": "twins", "source_id": "idp-twins",
                                                          "capabilities": [ASSETS], "on_duplicates": "consolidate"}}]
    clean_emulator.clear_log()
    planned = run(task, check=True, diff=True).ok().result("consolidate")
    assert clean_emulator.writes() == []
    done = run(task, diff=True).ok().result("consolidate")
    for result in (planned, done):
        before, after = result["diff"]["before"], result["diff"]["after"]
        assert [group["id"] for group in before["groups"]] == ids, before
        assert [group["id"] for group in after["groups"]] == [ids[1]], after
        assert after["groups"][0]["capabilities"] == ["assetsAcl: READ [all]"]
        assert result["deleted_ids"] == [ids[0], ids[2]]
    assert [group["id"] for group in cdf.groups("twins")] == [ids[1]]
