"""Groups as real CDF answers them, through cognite-sdk 8.22.0 (unchanged): both-fields groups of Entra ID
clusters, soft deletion, the project's group limit, and access that takes a moment to apply."""

from __future__ import annotations

import time

import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.capabilities import EventsAcl
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

from emulator.__main__ import parse_args
from emulator.cdf.seeds import ENTRA_GROUP_NAME, person_id
from emulator.process import EmulatorProcess
from sdk_helpers import sdk_client

EVENTS = EventsAcl([EventsAcl.Action.Read], EventsAcl.Scope.All())
MEMBERS = [person_id("Alice"), person_id("Bob")]


def test_entra_switch_answers_members_groups_with_a_service_source_id(clean_emulator, admin):
    assert clean_emulator.group_switches()["entraResponses"] is False
    clean_emulator.group_switches(entraResponses=True)
    [seeded] = [g for g in admin.iam.groups.list(all=True) if g.name == ENTRA_GROUP_NAME]
    assert sorted(seeded.members) == sorted(MEMBERS) and seeded.source_id, "both fields, as on Entra ID clusters"
    created = admin.iam.groups.create(GroupWrite(name="by members", members=MEMBERS[:1], capabilities=[EVENTS]))
    assert created.members == MEMBERS[:1] and created.source_id, "a members group comes back with a sourceId"
    raw = clean_emulator.http.get(
        "/api/v1/projects/demo/groups", params={"all": "true"}, headers={"Authorization": f"Bearer {clean_emulator.admin_token()}"}
    ).json()["items"]
    assert all(cap["projectUrlNames"] == {"urlNames": ["demo"]} for g in raw for cap in g["capabilities"])
    idp = [g for g in raw if g["name"] == "admins"][0]
    assert idp["sourceId"] == "cdf-admins" and "members" not in idp, "an IdP group stays as it is"


def test_create_still_refuses_both_fields_with_cdfs_message(clean_emulator, admin):
    clean_emulator.group_switches(entraResponses=True)
    [seeded] = [g for g in admin.iam.groups.list(all=True) if g.name == ENTRA_GROUP_NAME]
    with pytest.raises(CogniteAPIError) as raised:
        admin.iam.groups.create(seeded.as_write())  # what a naive copy of the response sends
    assert raised.value.code == 400
    assert raised.value.message == "Fields members, sourceId cannot be set at the same time"


def test_a_reset_turns_the_switches_off(clean_emulator, admin):
    clean_emulator.group_switches(entraResponses=True, applyDelaySeconds=2)
    clean_emulator.reset()
    assert clean_emulator.group_switches() == {"entraResponses": False, "applyDelaySeconds": 0.0, "limit": 1500}
    assert ENTRA_GROUP_NAME not in [g.name for g in admin.iam.groups.list(all=True)]


def test_bad_switch_values_are_refused(clean_emulator):
    response = clean_emulator.http.post("/_emulator/cdf-groups", json={"applyDelaySeconds": "soon"})
    assert response.status_code == 400 and "applyDelaySeconds" in response.text


def test_deletion_is_soft_deleted_groups_are_not_listed_and_cannot_be_deleted_again(clean_emulator, admin):
    created = admin.iam.groups.create(GroupWrite(name="short-lived", source_id="idp-x", capabilities=[EVENTS]))
    admin.iam.groups.delete(created.id)
    assert created.id not in [g.id for g in admin.iam.groups.list(all=True)]
    stored = clean_emulator.state()["projects"]["demo"]["groups"][str(created.id)]
    assert stored["isDeleted"] is True and stored["deletedTime"] > 0
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.groups.delete(created.id)
    assert raised.value.not_found == [{"id": created.id}]


def test_the_group_limit_counts_deleted_groups_and_answers_cdfs_400():
    with EmulatorProcess(group_limit=4) as emu:  # 2 seeded groups: 2 slots left
        admin = sdk_client(emu)
        assert emu.group_switches()["limit"] == 4
        first = admin.iam.groups.create(GroupWrite(name="one", source_id="a", capabilities=[EVENTS]))
        admin.iam.groups.delete(first.id)  # deleted: its slot stays spent
        admin.iam.groups.create(GroupWrite(name="two", source_id="b", capabilities=[EVENTS]))
        with pytest.raises(CogniteAPIError) as raised:
            admin.iam.groups.create(GroupWrite(name="three", source_id="c", capabilities=[EVENTS]))
        assert raised.value.code == 400
        assert raised.value.message == "There can only be 4 undeleted or deleted groups per project"
        assert [g.name for g in admin.iam.groups.list(all=True)] == ["admins", "readers", "two"]


def test_a_new_groups_access_applies_after_the_delay(clean_emulator, admin, make_client):
    clean_emulator.group_switches(applyDelaySeconds=1.5)
    readers = [g for g in admin.iam.groups.list(all=True) if g.name == "readers"][0]
    admin.iam.groups.create(GroupWrite(name="readers2", source_id="cdf-readers", capabilities=readers.capabilities))
    admin.iam.groups.delete(readers.id)
    reader = make_client("reader")
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.groups.list(all=True)
    assert raised.value.code == 403, "the new group's access has not applied yet"
    time.sleep(1.6)
    assert "readers2" in [g.name for g in reader.iam.groups.list(all=True)]


def test_the_group_limit_option_is_checked():
    assert parse_args([]).group_limit == 1500 and parse_args(["--group-limit", "5"]).group_limit == 5
    with pytest.raises(SystemExit):
        parse_args(["--group-limit", "0"])
