"""Documented and real-world group answers, read by groups.py, capabilities.py and the group task."""

from __future__ import annotations

import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf import capabilities, group_state, groups, token
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.modules import group as group_module_file
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module
from documented import answering, body, cdf_client


def group_module(**params) -> object:
    """The group module as a task with ``params`` runs it (the shared fake module, validated by the real spec)."""
    return make_module(group_module_file.MODULE, dict(dict(name="Production Engineers"), **params))


def listed(name: str) -> list:
    """The groups ``list_groups`` reads from the fixture ``cdf/<name>``, and the request it sent."""
    handler, seen = answering({"GET groups": f"cdf/{name}"})
    found = groups.list_groups(cdf_client(handler))
    assert seen[0].url.params["all"] == "true"
    return found


def test_documented_list_is_read_by_name_and_its_view_has_no_ids():
    found = listed("groups_list")
    assert [group["id"] for group in found] == [123]
    assert groups.list_groups(cdf_client(answering({"GET groups": "cdf/groups_list"})[0]), "nobody") == []
    view = groups.group_view(found[0])
    assert view == {
        "name": "Production Engineers",
        "source_id": "b7c9a5a4-99c2-4785-bed3-5e6ad9a78603",
        "attributes": {"token": {"appIds": ["<string>"]}},
        "capabilities": ["agentsAcl: READ [all]"],
    }


def test_project_url_names_beside_an_acl_do_not_count_as_a_difference():
    group = listed("groups_list")[0]
    payload = groups.group_payload(
        "Production Engineers", [{"agentsAcl": {"actions": ["READ"], "scope": {"all": {}}}}],
        sourceId="b7c9a5a4-99c2-4785-bed3-5e6ad9a78603", attributes={"token": {"appIds": ["<string>"]}},
    )
    assert groups.same_group(group, payload)
    assert not groups.same_group(group, dict(payload, sourceId="another"))
    assert capabilities.validate_capabilities(group["capabilities"]) == []


def test_documented_create_answer_gives_the_created_group():
    handler, seen = answering({"POST groups": "cdf/groups_create"})
    payload = {"name": "Production Engineers", "capabilities": [{"agentsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]}
    created = groups.create_group(cdf_client(handler), payload, known_ids=set())
    assert (created["id"], created["name"], created["isDeleted"]) == (123, "Production Engineers", False)
    assert json.loads(seen[0].content)["items"] == [payload]


def test_documented_delete_answer_is_accepted_and_sends_bare_ids():
    handler, seen = answering({"POST groups/delete": "cdf/groups_delete"})
    assert groups.delete_groups(cdf_client(handler), [123, 124]) == [], "none was found already deleted"
    assert json.loads(seen[0].content) == {"items": [123, 124]}


def test_empty_source_id_is_no_source_id_and_all_user_accounts_stands_alone():
    group = listed("groups_list_empty_source_id")[0]
    view = groups.group_view(group)
    assert "source_id" not in view and view["members"] == "allUserAccounts"
    assert groups.same_group(group, {"capabilities": group["capabilities"], "sourceId": None, "members": "allUserAccounts"})


def test_both_raw_whole_database_forms_are_the_same_grant():
    empty_object, empty_tables = listed("groups_list_raw_table_scopes")
    assert capabilities.capabilities_equal(empty_object["capabilities"], empty_tables["capabilities"])
    assert groups.group_view(empty_object)["capabilities"] == ["rawAcl: READ [tableScope: ingest.*]"]
    assert groups.same_group(empty_object, {"capabilities": empty_tables["capabilities"]})
    table = [{"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"ingest": {"tables": ["t1"]}}}}}}]
    assert capabilities.missing_capabilities(empty_object["capabilities"], table) == []


def test_unknown_acl_and_unknown_scope_are_kept_compared_and_warned_about():
    caps = listed("groups_list_unknown_capabilities")[0]["capabilities"][1:]
    warnings = capabilities.validate_capabilities(caps)
    assert any("futureThingsAcl" in warning for warning in warnings)
    assert any("futureScope" in warning for warning in warnings)
    assert capabilities.describe_capabilities(caps) == [
        'assetsAcl: READ [futureScope: {"externalIds":["a","b"]}]',
        "futureThingsAcl: READ [all]",
    ]
    reordered = [{"assetsAcl": {"actions": ["READ"], "scope": {"futureScope": {"externalIds": ["a", "b"]}}}}, caps[0]]
    assert capabilities.capabilities_equal(caps, reordered)
    assert not capabilities.capabilities_equal(caps, caps[:1])


def test_unknown_action_on_a_known_acl_is_kept_not_raised():
    """CDF adds actions to known ACLs before clients know them (cognite-toolkit PR #2963): kept, with a warning."""
    group = listed("groups_list_unknown_capabilities")[0]
    warnings = capabilities.validate_capabilities(group["capabilities"])
    assert any("FUTURE_ACTION" in warning for warning in warnings)
    assert "groupsAcl: FUTURE_ACTION, LIST [all]" in groups.group_view(group)["capabilities"]
    assert groups.same_group(group, {"capabilities": list(reversed(group["capabilities"]))})
    without = [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}] + group["capabilities"][1:]
    assert not groups.same_group(group, {"capabilities": without})
    assert token.capability_gap(group["capabilities"], without)["extra_described"] == ["groupsAcl: FUTURE_ACTION [all]"]


def test_a_soft_deleted_group_is_never_one_to_manage():
    """list_groups leaves out groups marked isDeleted (CDF deletes groups softly: isDeleted, deletedTime)."""
    assert listed("groups_list_soft_deleted") == []
    live = body("cdf/groups_list")["items"][0]
    deleted = dict(body("cdf/groups_list_soft_deleted")["items"][0], name=live["name"])
    handler, _seen = answering({"GET groups": lambda request: httpx.Response(200, json={"items": [deleted, live]})})
    assert [group["id"] for group in groups.list_groups(cdf_client(handler), live["name"])] == [123]


def test_the_group_limit_error_says_what_counts():
    """The 400 at the group limit names the limit and that deleted groups count."""
    handler, _seen = answering({"POST groups": "cdf/error_400_group_limit"})
    payload = {"name": "x", "capabilities": [{"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]}
    with pytest.raises(ApiError) as caught:
        groups.create_group(cdf_client(handler), payload, known_ids=set())
    message = caught.value.message
    assert caught.value.status == 400 and "1500" in message
    assert message.startswith("There can only be 1500 undeleted or deleted groups per project")
    assert len(message) > len("There can only be 1500 undeleted or deleted groups per project") + 40, "explained"


def test_both_fields_group_is_not_drift_when_the_task_sets_members():
    group = listed("groups_list_members_and_source_id")[0]
    task = group_state.GroupTask(group_module(members=["user-id-bjorn", "user-id-anna"]), client=cdf_client(answering({})[0]))
    assert not task.differs(group, task.desired(group))


def test_both_fields_group_stays_a_members_group_when_only_capabilities_change():
    """A members group that an Entra ID cluster returns with a sourceId too is replaced as a members group
    (cognite-toolkit PR #3106 drops the service-populated sourceId the same way)."""
    group = listed("groups_list_members_and_source_id")[0]
    new_caps = [{"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}}]
    task = group_state.GroupTask(group_module(capabilities=new_caps), client=cdf_client(answering({})[0]))
    desired = task.desired(group)
    assert task.differs(group, desired)
    assert desired["members"] == ["user-id-anna", "user-id-bjorn"]
    assert "sourceId" not in desired
    assert desired["metadata"] == {"origin": "ansible"}
    view = groups.group_view(group)
    assert view["members"] == ["user-id-anna", "user-id-bjorn"] and "source_id" not in view, "--diff: no membership change"


def test_both_fields_group_becomes_idp_linked_only_when_the_task_sets_source_id():
    group = listed("groups_list_members_and_source_id")[0]
    task = group_state.GroupTask(group_module(source_id="6f0e3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b"), client=cdf_client(answering({})[0]))
    desired = task.desired(group)
    assert desired["sourceId"] == "6f0e3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b" and "members" not in desired


def test_body_helper_returns_fresh_copies():
    first_copy = body("cdf/groups_list")
    first_copy["items"].clear()
    assert body("cdf/groups_list")["items"]
