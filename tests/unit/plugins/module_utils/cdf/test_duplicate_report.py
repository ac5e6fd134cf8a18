"""The words of the on_duplicates: fail refusal: which groups match, what that usually means, what consolidate does."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf import duplicate_report
from ansible_collections.dataops.iam.plugins.module_utils.cdf.access_plan import plan_access
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError
from ansible_collections.dataops.iam.plugins.modules import group as group_module
from ansible_collections.dataops.iam.plugins.modules.group import MODULE
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module
from ansible_collections.dataops.iam.tests.unit.plugins.module_utils.cdf.test_groups import ReadOnlyCdf

EVENTS = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
OLD = {"id": 8, "name": "team", "sourceId": "idp-team", "members": [], "capabilities": [EVENTS]}
NEW = dict(OLD, id=9, capabilities=[])


def matching(groups, wanted):
    return duplicate_report.matching_ids(groups, lambda group: group["capabilities"] == wanted)


def test_one_match_next_to_one_that_differs_reads_as_an_interrupted_replacement():
    text = duplicate_report.describe("team", [OLD, NEW], matching([OLD, NEW], []))
    assert text.startswith("2 groups are named 'team' (ids 8, 9): group 9 matches this task and 8 does not, which is ")
    assert "replacement interrupted between its create and its delete" in text
    assert duplicate_report.interrupted([OLD, NEW], [9])
    assert duplicate_report.consolidate_outcome([OLD, NEW], NEW) == "it keeps 9 and deletes 8"


def test_copies_none_matching_and_several_others():
    third = dict(OLD, id=10)
    assert duplicate_report.describe("team", [OLD, third], [8, 10]).endswith(
        "all of them match this task, " + duplicate_report.COPIES
    )
    assert duplicate_report.describe("team", [OLD, NEW], [], "the model").endswith(": none of them matches the model")
    text = duplicate_report.describe("team", [OLD, NEW, third], [9], "the model", explain=False)
    assert text == "3 groups are named 'team' (ids 8, 9, 10): group 9 matches the model and 8, 10 do not"
    assert not duplicate_report.interrupted([OLD, third], [8, 10]) and not duplicate_report.interrupted([OLD], [])
    assert duplicate_report.consolidate_outcome([OLD, NEW], None) == "it creates one group that matches and deletes 8, 9"


def test_the_group_module_refusal_names_the_match_and_what_consolidate_keeps():
    module = make_module(MODULE, {"name": "team", "source_id": "idp-team", "capabilities": [], "allow_self_lockout": True},
                         check_mode=True)
    with pytest.raises(TaskError) as failed:
        group_module.run(module, ReadOnlyCdf([OLD, NEW]))
    message = failed.value.msg
    assert "group 9 matches this task and 8 does not" in message, message
    assert "set on_duplicates: consolidate to finish (it keeps 9 and deletes 8)" in message, message
    assert failed.value.result == {"group_ids": [8, 9]}


def test_the_group_module_refusal_for_state_absent_names_the_ids():
    module = make_module(MODULE, {"name": "team", "state": "absent", "allow_self_lockout": True}, check_mode=True)
    with pytest.raises(TaskError) as failed:
        group_module.run(module, ReadOnlyCdf([OLD, NEW]))
    assert "2 groups are named 'team' (ids 8, 9)" in failed.value.msg and "delete them all" in failed.value.msg


def test_the_access_refusal_names_each_match_and_gives_the_cause_once():
    groups = [OLD, NEW, dict(OLD, id=11, name="ops"), dict(NEW, id=12, name="ops")]
    entries = [
        {"name": name, "source_id": "idp-team", "capabilities": [], "state": "present", "members": None, "metadata": None, "attributes": None}
        for name in ("team", "ops")
    ]
    params = {"groups": entries, "security_categories": None, "purge": False, "protect": [], "on_duplicates": "fail",
              "allow_self_lockout": True, "allow_empty": False}
    with pytest.raises(TaskError) as failed:
        plan_access(params, None, groups, None)
    message = failed.value.msg
    assert "group 9 matches the model and 8 does not; 2 groups are named 'ops' (ids 11, 12): group 12 matches" in message
    assert message.count("replacement interrupted between its create and its delete") == 1, message
    assert "Nothing was changed: set on_duplicates: consolidate to finish" in message


def test_a_failed_delete_says_both_exist_and_a_lost_delete_says_it_may_have_happened():
    certain = duplicate_report.delete_failed("team", 9, 8, False)
    assert "the new group 9 was created but the old group 8 could not be deleted; both now exist" in certain
    lost = duplicate_report.delete_failed("team", 9, 8, True)
    assert "the delete of the old group 8 may or may not have taken effect (its answer was lost)" in lost
    assert "on_duplicates: consolidate if both still exist with the name 'team'" in lost and "both now exist" not in lost
