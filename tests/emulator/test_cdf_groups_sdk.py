"""Groups API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP against the emulator."""

from __future__ import annotations

import gzip
import json

import pytest
from cognite.client.data_classes import Group, GroupWrite
from cognite.client.data_classes.capabilities import (
    Capability,
    DataSetsAcl,
    GroupsAcl,
    RawAcl,
    UnknownAcl,
)
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

from emulator.cdf.seeds import GROUP_ID_START

GROUPS = "/api/v1/projects/demo/groups"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def _create(emu, auth, *items, status=201):
    response = emu.http.post(GROUPS, headers=auth, json={"items": list(items)})
    assert response.status_code == status, response.text
    return response.json()


def test_list_all_and_own_groups(admin, reader):
    assert [(g.id, g.name, g.source_id) for g in admin.iam.groups.list(all=True)] == [
        (GROUP_ID_START, "admins", "cdf-admins"),
        (GROUP_ID_START + 1, "readers", "cdf-readers"),
    ]
    assert [g.name for g in admin.iam.groups.list()] == ["admins"]
    assert [g.name for g in reader.iam.groups.list()] == ["readers"]
    assert len(reader.iam.groups.list(all=True)) == 2  # readers hold groupsAcl:LIST


def test_own_groups_need_no_acl_but_all_groups_need_groups_list(admin, make_client):
    admin.iam.groups.create(GroupWrite(name="readers lose list", source_id="nobody-has-this"))
    # a client whose only group grants nothing but membership still sees its own groups
    admin.iam.groups.delete([g.id for g in admin.iam.groups.list(all=True) if g.name == "readers"])
    admin.iam.groups.create(GroupWrite(name="empty", source_id="cdf-readers", capabilities=[]))
    reader = make_client("reader")
    assert [g.name for g in reader.iam.groups.list()] == ["empty"]
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.groups.list(all=True)
    assert raised.value.code == 403 and "groupsAcl:LIST" in raised.value.message


def test_create_returns_201_and_the_stored_group(clean_emulator, admin):
    created = admin.iam.groups.create(
        GroupWrite(
            name="data engineers",
            source_id="b1f7c6f2-idp-group",
            capabilities=[
                GroupsAcl([GroupsAcl.Action.List, GroupsAcl.Action.Read], GroupsAcl.Scope.All()),
                DataSetsAcl([DataSetsAcl.Action.Read], DataSetsAcl.Scope.ID([12, 34])),
            ],
            metadata={"owner": "platform"},
        )
    )
    assert isinstance(created, Group)
    assert created.id >= GROUP_ID_START + 2
    assert (created.name, created.source_id, created.metadata, created.is_deleted) == (
        "data engineers",
        "b1f7c6f2-idp-group",
        {"owner": "platform"},
        False,
    )
    assert created.capabilities == [
        GroupsAcl([GroupsAcl.Action.List, GroupsAcl.Action.Read], GroupsAcl.Scope.All()),
        DataSetsAcl([DataSetsAcl.Action.Read], DataSetsAcl.Scope.ID([12, 34])),
    ]
    assert [g.id for g in admin.iam.groups.list(all=True)][-1] == created.id
    posts = [e for e in clean_emulator.requests() if e["method"] == "POST" and e["path"] == GROUPS]
    assert [e["status"] for e in posts] == [201]
    assert posts[0]["body"]["items"][0]["name"] == "data engineers"  # the gzip body was decoded


def test_create_several_and_ids_increase(admin):
    created = admin.iam.groups.create([GroupWrite(name=f"g{i}", source_id=f"src-{i}") for i in range(3)])
    ids = [g.id for g in created]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert all(i > GROUP_ID_START + 1 for i in ids)


def test_group_names_are_not_unique(admin):
    first = admin.iam.groups.create(GroupWrite(name="twin", source_id="a"))
    second = admin.iam.groups.create(GroupWrite(name="twin", source_id="b"))
    assert first.id != second.id
    assert sorted(g.source_id for g in admin.iam.groups.list(all=True) if g.name == "twin") == ["a", "b"]


def test_wire_format_of_a_created_group(clean_emulator, auth):
    body = _create(clean_emulator, auth, {"name": "plain", "capabilities": []})
    (group,) = body["items"]
    assert set(group) == {"id", "name", "sourceId", "capabilities", "metadata", "isDeleted", "deletedTime"}
    assert (group["sourceId"], group["metadata"], group["isDeleted"], group["deletedTime"]) == ("", {}, False, -1)
    assert isinstance(group["id"], int)


def test_raw_whole_database_scope_comes_back_as_empty_object(clean_emulator, admin, auth):
    created = admin.iam.groups.create(
        GroupWrite(
            name="raw",
            source_id="raw-readers",
            capabilities=[RawAcl([RawAcl.Action.Read], RawAcl.Scope.Table({"db1": [], "db2": ["t1", "t2"]}))],
        )
    )
    assert created.capabilities == [RawAcl([RawAcl.Action.Read], RawAcl.Scope.Table({"db1": [], "db2": ["t1", "t2"]}))]
    wire = {g["id"]: g for g in clean_emulator.http.get(GROUPS, params={"all": "true"}, headers=auth).json()["items"]}
    scope = wire[created.id]["capabilities"][0]["rawAcl"]["scope"]
    assert scope == {"tableScope": {"dbsToTables": {"db1": {}, "db2": {"tables": ["t1", "t2"]}}}}
    # a bare list of tables is accepted as input too
    body = _create(
        clean_emulator,
        auth,
        {
            "name": "raw2",
            "capabilities": [
                {"rawAcl": {"actions": ["LIST"], "scope": {"tableScope": {"dbsToTables": {"db3": ["t"]}}}}}
            ],
        },
    )
    assert body["items"][0]["capabilities"][0]["rawAcl"]["scope"]["tableScope"]["dbsToTables"] == {
        "db3": {"tables": ["t"]}
    }


def test_ids_given_as_strings_become_ints(clean_emulator, auth):
    cap = {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ["12", 34]}}}}
    body = _create(clean_emulator, auth, {"name": "ids", "sourceId": "s", "capabilities": [cap]})
    assert body["items"][0]["capabilities"][0]["datasetsAcl"]["scope"]["idScope"]["ids"] == [12, 34]


def test_unknown_acl_ending_in_acl_is_kept_as_sent(clean_emulator, admin, auth):
    cap = {
        "videoStreamingAcl": {"actions": ["READ", "PUBLISH"], "scope": {"agentExternalIdScope": {"externalIds": ["x"]}}}
    }
    body = _create(clean_emulator, auth, {"name": "future", "sourceId": "f", "capabilities": [cap]})
    assert body["items"][0]["capabilities"] == [cap]
    (listed,) = [g for g in admin.iam.groups.list(all=True) if g.name == "future"]
    assert isinstance(listed.capabilities[0], UnknownAcl)


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ({"name": ""}, "name must not be blank"),
        ({"sourceId": "x"}, "name must not be blank"),
        ({"name": "x", "nmae": "typo"}, "Unrecognized field"),
        ({"name": "x", "capabilities": [{"assets": {"actions": ["READ"], "scope": {"all": {}}}}]}, "unknown ACL"),
        ({"name": "x", "capabilities": [{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}]}, "non-empty list"),
        ({"name": "x", "capabilities": [{"groupsAcl": {"actions": [], "scope": {"all": {}}}}]}, "non-empty list"),
        (
            {
                "name": "x",
                "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"datasetScope": {"ids": ["x"]}}}}],
            },
            "is not an integer id",
        ),
        (
            {
                "name": "x",
                "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}, "currentuserscope": {}}}}],
            },
            "exactly one scope",
        ),
        (
            {
                "name": "x",
                "capabilities": [
                    {
                        "groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}},
                        "assetsAcl": {"actions": ["READ"], "scope": {"all": {}}},
                    }
                ],
            },
            "exactly one ACL",
        ),
        (
            {
                "name": "x",
                "capabilities": [{"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ["abc"]}}}}],
            },
            "not an integer id",
        ),
        (
            {
                "name": "x",
                "capabilities": [{"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"dataSetIds": [1]}}}}],
            },
            "unrecognized field",
        ),
        ({"name": "x", "sourceId": "s", "members": ["u1"]}, "Fields members, sourceId cannot be set at the same time"),
        ({"name": "x", "members": [f"user-{i}" for i in range(101)]}, "at most 100 members"),
        ({"name": "x", "metadata": {f"k{i}": "v" for i in range(17)}}, "at most 16"),
        ({"name": "x", "metadata": {"k" * 33: "v"}}, "32 bytes"),
        ({"name": "x", "metadata": {"k": "v" * 513}}, "512 bytes"),
        ({"name": "x", "metadata": {f"key{i:02d}": "v" * 500 for i in range(9)}}, "4096 bytes"),
        ({"name": "x", "metadata": {"k": 1}}, "string values"),
    ],
)
def test_invalid_groups_are_rejected_with_400_and_nothing_is_created(clean_emulator, auth, item, fragment):
    good = {"name": "valid one", "sourceId": "ok"}
    response = clean_emulator.http.post(GROUPS, headers=auth, json={"items": [good, item]})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == 400
    assert fragment in error["message"]
    names = [g["name"] for g in clean_emulator.http.get(GROUPS, params={"all": "true"}, headers=auth).json()["items"]]
    assert names == ["admins", "readers"]


def test_members_and_source_id_together_fail_through_the_sdk(admin):
    with pytest.raises(CogniteAPIError) as raised:
        admin.iam.groups.create(GroupWrite(name="both", source_id="s", members=["u1"]))
    assert raised.value.code == 400
    assert "Fields members, sourceId cannot be set at the same time" in raised.value.message


def test_members_and_attributes_round_trip(admin):
    created = admin.iam.groups.create(
        GroupWrite(name="all users", members="allUserAccounts", capabilities=[], attributes=None)
    )
    assert created.members == "allUserAccounts"
    listed = {g.id: g for g in admin.iam.groups.list(all=True)}
    assert listed[created.id].members == "allUserAccounts"


def test_attributes_pass_through(clean_emulator, auth):
    attributes = {"token": {"appIds": ["app-1"]}, "somethingNew": {"x": 1}}
    body = _create(clean_emulator, auth, {"name": "attrs", "sourceId": "s", "attributes": attributes})
    assert body["items"][0]["attributes"] == attributes


def test_delete_removes_groups(admin):
    created = admin.iam.groups.create([GroupWrite(name="a", source_id="a"), GroupWrite(name="b", source_id="b")])
    admin.iam.groups.delete([g.id for g in created])
    assert [g.name for g in admin.iam.groups.list(all=True)] == ["admins", "readers"]


def test_delete_unknown_id_is_not_found_and_deletes_nothing(admin):
    kept = admin.iam.groups.create(GroupWrite(name="kept", source_id="k"))
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.groups.delete([kept.id, 424242])
    assert raised.value.code == 400
    assert raised.value.not_found == [{"id": 424242}]
    assert kept.id in [g.id for g in admin.iam.groups.list(all=True)]


def test_delete_takes_bare_ids_on_the_wire(clean_emulator, auth):
    (group,) = _create(clean_emulator, auth, {"name": "bare", "sourceId": "b"})["items"]
    wrapped = clean_emulator.http.post(GROUPS + "/delete", headers=auth, json={"items": [{"id": group["id"]}]})
    assert wrapped.status_code == 400
    response = clean_emulator.http.post(GROUPS + "/delete", headers=auth, json={"items": [group["id"]]})
    assert (response.status_code, response.json()) == (200, {})


def test_reader_cannot_delete_groups(reader):
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.groups.delete(GROUP_ID_START)
    assert raised.value.code == 403 and "groupsAcl:DELETE" in raised.value.message


def test_gzip_bodies_are_decoded_whatever_the_content_type(clean_emulator, auth):
    payload = gzip.compress(json.dumps({"items": [{"name": "zipped", "sourceId": "z"}]}).encode())
    headers = {**auth, "Content-Encoding": "gzip", "Content-Type": "text/plain"}
    response = clean_emulator.http.post(GROUPS, headers=headers, content=payload)
    assert response.status_code == 201
    assert response.json()["items"][0]["name"] == "zipped"


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b'{"items": [', {}),
        (b"[1, 2]", {}),
        (b"", {}),
        (b"not gzip at all", {"Content-Encoding": "gzip"}),
        (gzip.compress(b'{"items": []}', mtime=0)[:-12], {"Content-Encoding": "gzip"}),
    ],
    ids=["truncated-json", "not-an-object", "empty", "not-gzip", "truncated-gzip"],
)
def test_malformed_bodies_are_400(clean_emulator, auth, content, headers):
    response = clean_emulator.http.post(GROUPS, headers={**auth, **headers}, content=content)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_capability_objects_from_the_sdk_round_trip_unchanged(admin):
    caps = [
        Capability.load({"timeSeriesAcl": {"actions": ["READ"], "scope": {"idscope": {"ids": [5]}}}}),
        Capability.load({"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": [7]}}}}),
        Capability.load(
            {"dataModelInstancesAcl": {"actions": ["READ"], "scope": {"spaceIdScope": {"spaceIds": ["sp"]}}}}
        ),
        Capability.load({"postgresGatewayAcl": {"actions": ["READ"], "scope": {"usersScope": {"usernames": ["u"]}}}}),
    ]
    created = admin.iam.groups.create(GroupWrite(name="mixed", source_id="m", capabilities=caps))
    assert created.capabilities == caps
