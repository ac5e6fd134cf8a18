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
