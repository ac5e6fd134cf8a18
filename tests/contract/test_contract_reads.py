"""Documented token inspection, profile, security category, login session and principal answers, read by the
collection's readers (token.py, profiles.py, security_categories.py, login_sessions.py, models.py)."""

from __future__ import annotations

import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.auth_api import login_sessions
from ansible_collections.dataops.iam.plugins.module_utils.cdf import models, profiles, security_categories, token
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfApiError, UnexpectedResponse
from documented import answering, auth_api_client, body, cdf_client, load, response


def test_token_inspection_parses_and_its_capabilities_apply_to_every_project():
    inspection = models.parse_one(models.TokenInspection, body("cdf/token_inspect"), models.TOKEN_INSPECT)
    view = token.token_view(inspection, "publicdata")
    assert view["subject"] == "<string>" and view["projects"] == [{"projectUrlName": "<string>", "groups": [123]}]
    assert view["project_capabilities"] == [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]


def test_token_inspection_scoped_to_other_projects_grants_nothing_here():
    inspection = body("cdf/token_inspect")
    inspection["capabilities"][0]["projectScope"] = {"projects": ["elsewhere"]}
    assert token.project_capabilities(inspection, "publicdata") == []
    assert token.project_capabilities(inspection, "elsewhere") == [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]


def test_token_inspection_without_subject_is_an_unexpected_response():
    inspection = body("cdf/token_inspect")
    del inspection["subject"]
    with pytest.raises(UnexpectedResponse, match="subject"):
        models.parse_one(models.TokenInspection, inspection, models.TOKEN_INSPECT)


def test_inspect_token_calls_the_unscoped_path():
    handler, seen = answering({"GET /api/v1/token/inspect": "cdf/token_inspect"})
    assert cdf_client(handler).inspect_token()["subject"] == "<string>"
    assert seen[0].url.path == "/api/v1/token/inspect"


def test_my_profile_is_read():
    handler, _seen = answering({"GET profiles/me": "cdf/profiles_me"})
    profile = profiles.my_profile(cdf_client(handler))
    assert (profile["userIdentifier"], profile["email"], profile["identityType"]) == ("abcd", "jane.doe@example.com", "USER")


def test_no_profile_is_none():
    missing = {"error": {"code": 404, "message": "User profile not found"}}
    handler, _seen = answering({"GET profiles/me": lambda request: httpx.Response(404, json=missing)})
    assert profiles.my_profile(cdf_client(handler)) is None


def test_profile_list_pages_and_stops_at_limit():
    second = {"items": [dict(body("cdf/profiles_list")["items"][0], userIdentifier="efgh")]}

    def page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=second) if request.url.params.get("cursor") else response("cdf/profiles_list")

    handler, seen = answering({"GET profiles": page})
    assert [p["userIdentifier"] for p in profiles.list_profiles(cdf_client(handler))] == ["abcd", "efgh"]
    assert [p["userIdentifier"] for p in profiles.list_profiles(cdf_client(answering({"GET profiles": page})[0]), limit=1)] == ["abcd"]
    assert seen[1].url.params["cursor"] == "<string>"


def test_profiles_by_ids_and_search():
    handler, seen = answering({"POST profiles/byids": "cdf/profiles_byids", "POST profiles/search": "cdf/profiles_search"})
    client = cdf_client(handler)
    found, unknown = profiles.profiles_by_ids(client, ["abcd"])
    assert [p["displayName"] for p in found] == ["Jane Doe"] and unknown == []
    assert [p["jobTitle"] for p in profiles.search_profiles(client, "Ja")] == ["Software Engineer"]
    assert json.loads(seen[1].content) == {"search": {"name": "Ja"}, "limit": 1000}


def test_security_categories_page_through_the_documented_next_cursor():
    def page(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor") == "<string>":
            return response("cdf/security_categories_list_last_page")
        return response("cdf/security_categories_list")

    handler, seen = answering({"GET securitycategories": page})
    found = security_categories.list_categories(cdf_client(handler))
    assert [(c["id"], c["name"]) for c in found] == [(123, "Guarded by vendor x"), (124, "Guarded by vendor y")]
    assert [r.url.params.get("cursor") for r in seen] == [None, "<string>"]
    assert seen[0].url.params["sort"] == "ASC" and seen[0].url.params["limit"] == "1000"


def test_security_category_create_and_409_rereads_by_name():
    handler, _seen = answering({"POST securitycategories": "cdf/security_categories_create"})
    created = security_categories.create_category(cdf_client(handler), "Guarded by vendor x")
    assert created == {"name": "Guarded by vendor x", "id": 123}
    handler, seen = answering({"POST securitycategories": "cdf/error_409_duplicated",
                               "GET securitycategories": "cdf/security_categories_list_last_page"})
    with pytest.raises(CdfApiError) as caught:
        security_categories.create_category(cdf_client(handler), "Guarded by vendor x")
    assert caught.value.status == 409, "not found on re-read: the 409 stands"
    handler, _seen = answering({"POST securitycategories": "cdf/error_409_duplicated",
                                "GET securitycategories": "cdf/security_categories_create"})
    assert security_categories.create_category(cdf_client(handler), "Guarded by vendor x")["id"] == 123


def auth_api(routes: dict):
    handler, seen = answering(routes)
    client = auth_api_client(handler)
    return login_sessions.LoginSessions(client, "https://api.test", "my-org", "principal-1"), seen


def test_login_sessions_follow_the_object_next_cursor():
    second = {"items": [dict(body("auth/login_sessions_list")["items"][0], id="b2", status="REVOKED")]}

    def page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=second) if request.url.params.get("cursor") else response("auth/login_sessions_list")

    sessions, seen = auth_api({"GET /api/v1/orgs/my-org/principals/principal-1/sessions": page})
    assert [s["id"] for s in sessions.list()] == ["aea91e72-a984-4a4c-ba06-a7f54e650825", "b2"]
    assert seen[1].url.params["cursor"] == "4zj0Vy2fo0NtNMb229mI9r1V3YG5NBL752kQz1cKtwo"
    assert login_sessions.login_session_view(models.parse_items(models.LoginSession, body("auth/login_sessions_list"), "x")[0]) == {
        "status": "ACTIVE", "createdTime": 123, "deactivatedTime": 123}


def test_login_session_revoke_accepts_the_documented_204():
    sessions, seen = auth_api({"POST /api/v1/orgs/my-org/principals/principal-1/sessions/revoke": "auth/login_sessions_revoke"})
    ids = ["id-%d" % n for n in range(12)]
    assert sessions.revoke(ids) == ids
    assert [len(json.loads(r.content)["items"]) for r in seen] == [10, 2]


def test_principals_next_cursor_is_the_same_object_form():
    assert login_sessions.next_cursor(body("auth/principals_list")["nextCursor"]) == "4zj0Vy2fo0NtNMb229mI9r1V3YG5NBL752kQz1cKtwo"
    assert login_sessions.next_cursor(None) is None
    assert load("auth/login_sessions_revoke")["status"] == 204


def test_token_capabilities_with_an_unknown_action_are_compared_not_refused():
    """What token inspection returns is never refused, even an action no catalogue lists."""
    inspection = body("cdf/token_inspect")
    inspection["capabilities"][0]["groupsAcl"]["actions"].append("FUTURE_ACTION")
    have = token.project_capabilities(inspection, "publicdata")
    want = [{"groupsAcl": {"actions": ["LIST", "FUTURE_ACTION", "CREATE"], "scope": {"all": {}}}}]
    assert token.capability_gap(have, want)["missing_described"] == ["groupsAcl: CREATE [all]"]
