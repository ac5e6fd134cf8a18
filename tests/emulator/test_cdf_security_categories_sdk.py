"""Security categories API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP against the emulator."""

from __future__ import annotations

import pytest
from cognite.client.data_classes import SecurityCategory, SecurityCategoryWrite
from cognite.client.exceptions import CogniteAPIError, CogniteDuplicatedError, CogniteNotFoundError

from emulator.cdf.seeds import SECURITY_CATEGORY_ID_START

CATEGORIES = "/api/v1/projects/demo/securitycategories"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def test_create_list_delete_with_the_sdk(clean_emulator, admin):
    assert len(admin.iam.security_categories.list()) == 0
    created = admin.iam.security_categories.create(
        [SecurityCategoryWrite(name="confidential"), SecurityCategoryWrite(name="export-controlled")]
    )
    assert [c.name for c in created] == ["confidential", "export-controlled"]
    assert all(isinstance(c, SecurityCategory) and c.id >= SECURITY_CATEGORY_ID_START for c in created)
    single = admin.iam.security_categories.create(SecurityCategoryWrite(name="single"))
    assert isinstance(single, SecurityCategory)
    assert [c.name for c in admin.iam.security_categories.list()] == ["confidential", "export-controlled", "single"]
    admin.iam.security_categories.delete([created[0].id, single.id])
    assert [c.name for c in admin.iam.security_categories.list()] == ["export-controlled"]
    statuses = [
        (e["method"], e["path"], e["status"]) for e in clean_emulator.requests() if e["path"].startswith(CATEGORIES)
    ]
    assert ("POST", CATEGORIES, 201) in statuses
    assert ("POST", CATEGORIES + "/delete", 200) in statuses


def test_sdk_lists_default_limit_all_and_descending(clean_emulator, admin):
    created = admin.iam.security_categories.create([SecurityCategoryWrite(name=f"cat-{i:02d}") for i in range(30)])
    ids = [c.id for c in created]
    assert len(admin.iam.security_categories.list()) == 25  # the API's and the SDK's default
    assert [c.id for c in admin.iam.security_categories.list(limit=-1)] == ids
    assert [c.id for c in admin.iam.security_categories.list(limit=None, sort="DESC")] == ids[::-1]
    assert [c.id for c in admin.iam.security_categories.list(limit=5)] == ids[:5]
    sent = [e["query"] for e in clean_emulator.requests() if e["method"] == "GET" and e["path"] == CATEGORIES]
    assert {"limit": "1000", "sort": "ASC"} in sent


def test_paging_with_cursors(clean_emulator, admin, auth):
    ids = [c.id for c in admin.iam.security_categories.create([SecurityCategoryWrite(name=f"p{i}") for i in range(30)])]
    for sort, expected in (("ASC", ids), ("DESC", ids[::-1])):
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 7, "sort": sort, **({"cursor": cursor} if cursor else {})}
            body = clean_emulator.http.get(CATEGORIES, params=params, headers=auth).json()
            pages += 1
            seen += [c["id"] for c in body["items"]]
            cursor = body.get("nextCursor")
            if not cursor:
                assert "nextCursor" not in body
                break
            assert isinstance(cursor, str)
        assert seen == expected
        assert pages == 5


def test_an_exact_last_page_has_no_next_cursor(clean_emulator, admin, auth):
    admin.iam.security_categories.create([SecurityCategoryWrite(name=f"e{i}") for i in range(10)])
    first = clean_emulator.http.get(CATEGORIES, params={"limit": 5}, headers=auth).json()
    second = clean_emulator.http.get(
        CATEGORIES, params={"limit": 5, "cursor": first["nextCursor"]}, headers=auth
    ).json()
    assert len(second["items"]) == 5 and "nextCursor" not in second


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 1001}, {"limit": "ten"}, {"sort": "UP"}, {"cursor": "not-a-cursor"}]
)
def test_bad_list_parameters_are_400(clean_emulator, auth, params):
    response = clean_emulator.http.get(CATEGORIES, params=params, headers=auth)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_a_cursor_from_another_listing_is_rejected(clean_emulator, admin, auth):
    admin.iam.security_categories.create([SecurityCategoryWrite(name=f"x{i}") for i in range(3)])
    asc = clean_emulator.http.get(CATEGORIES, params={"limit": 1}, headers=auth).json()["nextCursor"]
    response = clean_emulator.http.get(CATEGORIES, params={"limit": 1, "sort": "DESC", "cursor": asc}, headers=auth)
    assert response.status_code == 400


def test_duplicate_name_fails_the_whole_request(admin):
    admin.iam.security_categories.create(SecurityCategoryWrite(name="taken"))
    with pytest.raises(CogniteDuplicatedError) as raised:
        admin.iam.security_categories.create([SecurityCategoryWrite(name="fresh"), SecurityCategoryWrite(name="taken")])
    assert raised.value.code == 409
    assert raised.value.duplicated == [{"name": "taken"}]
    assert [c.name for c in admin.iam.security_categories.list()] == ["taken"]


def test_duplicate_names_within_one_request_are_created_once(clean_emulator, auth):
    response = clean_emulator.http.post(
        CATEGORIES, headers=auth, json={"items": [{"name": "twice"}, {"name": "twice"}]}
    )
    assert response.status_code == 201
    assert [c["name"] for c in response.json()["items"]] == ["twice"]


def test_delete_unknown_id_fails_the_whole_request(admin):
    kept = admin.iam.security_categories.create(SecurityCategoryWrite(name="kept"))
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.security_categories.delete([kept.id, 999])
    assert raised.value.not_found == [{"id": 999}]
    assert [c.id for c in admin.iam.security_categories.list()] == [kept.id]


@pytest.mark.parametrize("item", [{"name": ""}, {}, {"name": "x", "extra": 1}, "x"])
def test_invalid_categories_are_400(clean_emulator, auth, item):
    response = clean_emulator.http.post(CATEGORIES, headers=auth, json={"items": [item]})
    assert response.status_code == 400


def test_a_project_holds_at_most_1000_categories(clean_emulator, admin, auth):
    admin.iam.security_categories.create([SecurityCategoryWrite(name=f"n{i}") for i in range(1000)])
    response = clean_emulator.http.post(CATEGORIES, headers=auth, json={"items": [{"name": "one too many"}]})
    assert response.status_code == 400 and "1000" in response.json()["error"]["message"]
    assert len(admin.iam.security_categories.list(limit=-1)) == 1000


def test_reader_needs_security_categories_acl(reader):
    for call in (
        reader.iam.security_categories.list,
        lambda: reader.iam.security_categories.create(SecurityCategoryWrite(name="nope")),
        lambda: reader.iam.security_categories.delete(1),
    ):
        with pytest.raises(CogniteAPIError) as raised:
            call()
        assert raised.value.code == 403
        assert "securityCategoriesAcl" in raised.value.message
