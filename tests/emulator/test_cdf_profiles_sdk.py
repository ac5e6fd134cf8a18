"""User profiles API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP."""

from __future__ import annotations

import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.user_profiles import UserProfile
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

from emulator.cdf.seeds import GROUP_ID_START, person_id

PROFILES = "/api/v1/projects/demo/profiles"
NAMES = ["admin", "Alex Berg", "Alice Andersen", "Bob Nakamura", "Carla Rossi", "Dmitri Ivanov", "Eva Lindqvist"]


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def test_me_for_a_principal_with_and_without_a_profile(admin, reader):
    me = admin.iam.user_profiles.me()
    assert isinstance(me, UserProfile)
    assert (me.user_identifier, me.display_name) == ("admin", "admin")
    with pytest.raises(CogniteNotFoundError) as raised:
        reader.iam.user_profiles.me()  # a member (so it holds userProfilesAcl:READ) without a profile: a 404
    assert raised.value.code == 404


def test_list_is_ordered_by_name_and_pages(clean_emulator, admin, auth):
    assert [p.display_name for p in admin.iam.user_profiles.list()] == NAMES
    assert [p.display_name for p in admin.iam.user_profiles.list(limit=3)] == NAMES[:3]
    seen, cursor = [], None
    while True:
        body = clean_emulator.http.get(
            PROFILES, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=auth
        ).json()
        seen += [p["displayName"] for p in body["items"]]
        cursor = body.get("nextCursor")
        if cursor is None:
            break
    assert seen == NAMES


def test_profile_fields(clean_emulator, auth):
    me = clean_emulator.http.get(PROFILES + "/me", headers=auth).json()
    assert (me["userIdentifier"], me["identityType"]) == ("admin", "SERVICE_PRINCIPAL")
    body = clean_emulator.http.post(
        PROFILES + "/byids", headers=auth, json={"items": [{"userIdentifier": person_id("Alice")}]}
    )
    (alice,) = body.json()["items"]
    assert alice == {
        "userIdentifier": person_id("Alice"),
        "givenName": "Alice",
        "surname": "Andersen",
        "email": "alice.andersen@example.com",
        "displayName": "Alice Andersen",
        "jobTitle": "Data Engineer",
        "lastUpdatedTime": alice["lastUpdatedTime"],
        "identityType": "USER",
    }
    assert isinstance(alice["lastUpdatedTime"], int)


def test_retrieve_single_many_and_unknown(admin):
    alice, bob = person_id("Alice"), person_id("Bob")
    assert admin.iam.user_profiles.retrieve(alice).given_name == "Alice"
    assert [p.user_identifier for p in admin.iam.user_profiles.retrieve([bob, alice])] == [bob, alice]
    assert admin.iam.user_profiles.retrieve("nobody") is None
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.user_profiles.retrieve([alice, "nobody"])
    assert raised.value.not_found == [{"userIdentifier": "nobody"}]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Al", ["Alex Berg", "Alice Andersen"]),
        ("al", ["Alex Berg", "Alice Andersen"]),
        ("ross", ["Carla Rossi"]),
        ("Eva L", ["Eva Lindqvist"]),
        ("zed", []),
    ],
)
def test_search_is_a_prefix_match_on_names(admin, name, expected):
    assert [p.display_name for p in admin.iam.user_profiles.search(name)] == expected


def test_search_honours_limit_and_rejects_bad_bodies(clean_emulator, admin, auth):
    assert len(admin.iam.user_profiles.search("a", limit=2)) == 2
    for body in (
        {"search": {}},
        {"search": {"name": ""}},
        {"search": {"name": "a"}, "limit": 0},
        {"search": {"name": "a"}, "cursor": "x"},
    ):
        assert clean_emulator.http.post(PROFILES + "/search", headers=auth, json=body).status_code == 400


def test_user_identifiers_are_what_group_members_take(admin):
    alice = admin.iam.user_profiles.search("Alice")[0]
    group = admin.iam.groups.create(GroupWrite(name="alice only", members=[alice.user_identifier]))
    assert group.members == [alice.user_identifier]


def test_every_member_of_a_group_of_the_project_reads_profiles(reader):
    """Issue 12: "every member automatically gets userProfilesAcl:READ" (readers grants only groupsAcl:LIST)."""
    assert [p.display_name for p in reader.iam.user_profiles.list()] == NAMES
    assert [p.display_name for p in reader.iam.user_profiles.search("Al")] == ["Alex Berg", "Alice Andersen"]
    assert reader.iam.user_profiles.retrieve([person_id("Alice")])[0].given_name == "Alice"


def test_a_caller_in_no_group_of_the_project_lacks_user_profiles_acl(admin, reader):
    admin.iam.groups.delete(GROUP_ID_START + 1)  # readers: the reader client is now in no group
    for call in (
        reader.iam.user_profiles.me,
        reader.iam.user_profiles.list,
        lambda: reader.iam.user_profiles.search("Al"),
        lambda: reader.iam.user_profiles.retrieve([person_id("Alice")]),
    ):
        with pytest.raises(CogniteAPIError) as raised:
            call()
        assert raised.value.code == 403 and "userProfilesAcl:READ" in raised.value.message


def test_profile_reads_are_not_writes(clean_emulator, admin):
    admin.iam.user_profiles.search("Al")
    admin.iam.user_profiles.retrieve([person_id("Bob")])
    admin.iam.user_profiles.me()
    assert clean_emulator.writes() == []
    assert {e["path"] for e in clean_emulator.requests()} >= {
        PROFILES + "/search",
        PROFILES + "/byids",
        PROFILES + "/me",
    }
