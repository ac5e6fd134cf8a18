"""Group kinds (members or IdP-linked) across a replacement, the group-slot message, and the brief 403 retry of
CdfClient after a replaced group."""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf import client as client_module
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_state import GroupTask
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    GroupShapeError,
    explain_slot_limit,
    group_kind,
    group_view,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import stays_member
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError
from ansible_collections.dataops.iam.plugins.modules import group as group_module
from ansible_collections.dataops.iam.plugins.modules.group import MODULE
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

EVENTS = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
BOTH = {"id": 7, "name": "team", "members": ["u1", "u2"], "sourceId": "service-made", "capabilities": [EVENTS]}
IDP = {"id": 8, "name": "team", "sourceId": "idp-team", "members": [], "capabilities": [EVENTS]}


def task(**params):
    module = make_module(MODULE, dict({"name": "team"}, **params))
    return GroupTask(module, SimpleNamespace(base_url="http://x", project="p"))


@pytest.mark.parametrize(
    "group, kind",
    [(BOTH, "members"), (IDP, "idp"), ({"members": "allUserAccounts", "sourceId": "s"}, "members"), ({}, "plain")],
)
def test_group_kind(group, kind):
    assert group_kind(group) == kind


@pytest.mark.parametrize("group", [{"members": {"u": 1}}, {"members": [1, 2]}, {"sourceId": 12}])
def test_a_group_of_unknown_shape_is_refused_with_a_reason(group):
    with pytest.raises(GroupShapeError):
        group_kind(group)


def test_a_both_fields_group_stays_a_members_group():
    desired = task(capabilities=[EVENTS, {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]).desired(BOTH)
    assert desired["members"] == ["u1", "u2"] and "sourceId" not in desired


def test_the_task_decides_when_it_sets_source_id_or_members():
    assert task(source_id="idp-new").desired(BOTH) == {"name": "team", "capabilities": [EVENTS], "sourceId": "idp-new"}
    assert task(members=["u3"]).desired(IDP) == {"name": "team", "capabilities": [EVENTS], "members": ["u3"]}
    assert task(capabilities=[]).desired(IDP)["sourceId"] == "idp-team"


def test_the_diff_view_of_a_members_group_leaves_the_service_source_id_out():
    assert "source_id" not in group_view(BOTH) and group_view(IDP)["source_id"] == "idp-team"


def test_the_lockout_guard_counts_membership_of_a_members_group_by_its_members_only():
    replacement = {"capabilities": [EVENTS], "sourceId": "service-made"}  # what today's main sent
    assert stays_member(replacement, BOTH, "u1") is False, "the members were dropped: the caller leaves"
    assert stays_member({"members": ["u1"]}, BOTH, "u1") is True
    assert stays_member({"sourceId": "idp-team"}, IDP, "someone") is True


def test_the_slot_limit_message_says_what_counts():
    exc = ApiError("There can only be 1500 undeleted or deleted groups per project", status=400)
    explain_slot_limit(exc)
    assert "1500 group slots" in exc.message and "deleted groups too" in exc.message and "spends a slot" in exc.message
    other = ApiError("Fields members, sourceId cannot be set at the same time", status=400)
    explain_slot_limit(other)
    assert other.message == "Fields members, sourceId cannot be set at the same time"


def _client(answers, monkeypatch):
    sleeps = []
    monkeypatch.setattr(client_module.time, "sleep", sleeps.append)
    calls = iter(answers)

    def handler(request):
        status = next(calls)
        body = {"items": []} if status == 200 else {"error": {"code": status, "message": "Forbidden"}}
        return httpx.Response(status, json=body)

    cdf = CdfClient(base_url="http://cdf.test", project="p", token="t")
    cdf._http = httpx.Client(base_url="http://cdf.test", transport=httpx.MockTransport(handler))
    return cdf, sleeps


def test_a_403_in_the_settling_window_is_retried_and_a_success_ends_the_window(monkeypatch):
    cdf, sleeps = _client([403, 403, 200, 403], monkeypatch)
    cdf.expect_access_settling(time.monotonic() + 10)
    assert cdf.get("groups") == {"items": []}
    assert sleeps == [0.5, 1.0] and not cdf.access_settling
    with pytest.raises(ApiError) as raised:
        cdf.get("groups")
    assert raised.value.status == 403 and sleeps == [0.5, 1.0], "after a success a 403 is an ordinary one"


def test_the_retry_is_bounded(monkeypatch):
    cdf, sleeps = _client([403] * 5, monkeypatch)
    cdf.expect_access_settling(time.monotonic() + 10)
    with pytest.raises(ApiError):
        cdf.get("groups")
    assert sleeps == [0.5, 1.0, 2.0]


def test_an_ordinary_403_is_not_retried(monkeypatch):
    cdf, sleeps = _client([403, 200], monkeypatch)
    with pytest.raises(ApiError):
        cdf.get("groups")
    assert sleeps == []


def test_a_current_group_of_unknown_shape_fails_the_task_and_names_the_fix():
    with pytest.raises(TaskError) as failed:
        task(capabilities=[EVENTS]).desired({"id": 9, "name": "team", "members": {"u": 1}, "capabilities": []})
    assert failed.value.msg.startswith("Cannot tell whether group 'team' is a members group or linked to an IdP group")
    assert "set members or source_id" in failed.value.msg and failed.value.result == {"changed": False}


# -- several groups with the task's name, in check mode: planned through the base's result, nothing written -----
class ReadOnlyCdf:
    """Lists ``groups`` and inspects the token (a caller with every group right); any other call (a write) fails
    the test."""

    base_url, project, access_settling, last_inspection = "http://x", "p", False, None
    RIGHTS = {"groupsAcl": {"actions": ["LIST", "CREATE", "DELETE"], "scope": {"all": {}}}, "projectScope": {"allProjects": {}}}

    def __init__(self, groups):
        self.groups = groups

    def get(self, path, params=None):
        assert path == "groups"
        return {"items": self.groups}

    def inspect_token(self):
        self.last_inspection = {"subject": "cid", "projects": [{"projectUrlName": "p", "groups": []}], "capabilities": [self.RIGHTS]}
        return self.last_inspection

    def __getattr__(self, name):
        raise AssertionError("a call in check mode: %s" % name)


TWINS = [dict(IDP, id=8), dict(IDP, id=9, capabilities=[])]


def plan(**args):
    module = make_module(MODULE, dict({"name": "team", "on_duplicates": "consolidate", "allow_self_lockout": True}, **args),
                         check_mode=True, diff=True)
    return group_module.run(module, ReadOnlyCdf(TWINS))


def test_duplicates_consolidate_onto_the_group_that_matches():
    result = plan(capabilities=[])
    assert result["changed"] is True and result["group"]["id"] == 9 and result["deleted_ids"] == [8]
    assert result["diff"] == {
        "before": {"groups": [dict(group_view(TWINS[0]), id=8), dict(group_view(TWINS[1]), id=9)]},
        "after": {"groups": [dict(group_view(TWINS[1]), id=9)]},
    }, "before: every duplicate by id; after: the one kept"


def test_duplicates_without_a_match_plan_a_new_group_and_delete_both():
    result = plan(capabilities=[EVENTS, {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}])
    assert "id" not in result["group"] and result["deleted_ids"] == [8, 9]
    assert "previous_id" not in result
    assert [group["id"] for group in result["diff"]["before"]["groups"]] == [8, 9]
    assert result["diff"]["after"] == {"groups": [group_view(result["group"])]}, "the new group, no id yet (check mode)"


def test_duplicates_absent_delete_every_one():
    result = plan(state="absent")
    before = {"groups": [dict(group_view(TWINS[0]), id=8), dict(group_view(TWINS[1]), id=9)]}
    assert result == {"changed": True, "group": None, "deleted_ids": [8, 9], "diff": {"before": before, "after": {}}}


def test_duplicates_fail_by_default_with_their_ids():
    with pytest.raises(TaskError) as failed:
        plan(on_duplicates="fail")
    assert failed.value.msg.startswith("2 groups are named 'team' (ids 8, 9)") and failed.value.result == {"group_ids": [8, 9]}


def test_a_replacement_in_check_mode_names_the_group_it_replaces():
    result = group_module.run(make_module(MODULE, {"name": "team", "capabilities": [], "allow_self_lockout": True},
                                          check_mode=True), ReadOnlyCdf(TWINS[:1]))
    assert result == {"changed": True, "group": {"name": "team", "capabilities": [], "sourceId": "idp-team"},
                      "previous_id": 8, "deleted_ids": [8]}
