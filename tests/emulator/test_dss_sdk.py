"""Fidelity of the emulator's DSS API: dataiku-api-client 15.2.0, unchanged, as a DSS admin would use it."""

from __future__ import annotations

import json

import dataikuapi
import pytest
from dataikuapi.utils import DataikuException

NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"


@pytest.fixture
def dss(clean_emulator) -> dataikuapi.DSSClient:
    return dataikuapi.DSSClient(clean_emulator.url, "dss-admin-key")


def password_is(emulator, login, password):
    response = emulator.http.post("/_emulator/dss/check-password", json={"login": login, "password": password})
    return response.raise_for_status().json()["valid"]


def test_create_user_list_and_read_settings_without_the_password(dss, clean_emulator):
    handle = dss.create_user("jdoe", "Pa55-jdoe", display_name="Jane", groups=["readers"], profile="READER", email="j@example.com")
    assert handle.login == "jdoe"
    listed = {user["login"]: user for user in dss.list_users()}
    assert set(listed) == {"admin", "analyst", "jdoe"}
    assert {key: listed["jdoe"][key] for key in ("displayName", "groups", "userProfile", "sourceType", "enabled")} == {
        "displayName": "Jane", "groups": ["readers"], "userProfile": "READER", "sourceType": "LOCAL", "enabled": True,
    }
    assert "userProperties" not in listed["jdoe"]
    assert [user.login for user in dss.list_users(as_objects=True)] == ["admin", "analyst", "jdoe"]
    assert "preferences" in dss.list_users(include_settings=True)[0]

    settings = dss.get_user("jdoe").get_settings()
    raw = settings.get_raw()
    assert raw["email"] == "j@example.com" and raw["enabled"] is True and settings.creation_date is not None
    assert settings.admin_properties == {} and settings.user_properties == {} and settings.preferences.ui_language == "en"
    assert "password" not in raw and "Pa55-jdoe" not in json.dumps(raw)
    assert password_is(clean_emulator, "jdoe", "Pa55-jdoe")
    [post] = clean_emulator.writes()
    assert post["path"] == "/dip/publicapi/admin/users/" and post["status"] == 201 and post["body"]["password"] == "***"
    assert post["client"] == "dss:admin"


def test_settings_save_keeps_what_the_caller_did_not_change(dss, clean_emulator):
    settings = dss.get_user("analyst").get_settings()
    settings.enabled = False
    settings.user_properties["office"] = "oslo"
    settings.preferences.ui_language = "ja"
    settings.save()
    raw = dss.get_user("analyst").get_settings().get_raw()
    assert raw["enabled"] is False and raw["userProperties"] == {"team": "analytics", "office": "oslo"}
    assert raw["adminProperties"] == {"costCenter": "cc-42"} and raw["preferences"]["uiLanguage"] == "ja"
    assert raw["secrets"] == [{"name": "warehouse-token", "secret": True}]
    assert password_is(clean_emulator, "analyst", "analyst-password")


def test_password_is_write_only_and_can_be_set_through_settings(dss, clean_emulator):
    settings = dss.get_user("analyst").get_settings()
    settings.get_raw()["password"] = "New-Pa55-analyst"
    settings.save()
    assert password_is(clean_emulator, "analyst", "New-Pa55-analyst")
    assert not password_is(clean_emulator, "analyst", "analyst-password")
    assert "password" not in dss.get_user("analyst").get_settings().get_raw()


def test_secrets_keep_their_value_and_a_replaced_secret_takes_the_new_one(dss):
    settings = dss.get_user("analyst").get_settings()
    settings.add_secret("api-token", "t0ken")
    settings.save()
    names = [item["name"] for item in dss.get_user("analyst").get_settings().get_raw()["secrets"]]
    assert names == ["warehouse-token", "api-token"]


def test_delete_user_and_the_self_deletion_guard(dss):
    dss.get_user("analyst").delete()
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: User analyst does not exist"):
        dss.get_user("analyst").get_settings()
    with pytest.raises(DataikuException, match="UnauthorizedException: You cannot delete your own user"):
        dss.get_user("admin").delete()
    assert dss.get_user("admin").get_settings().get_raw()["login"] == "admin"
    dss.get_user("admin").delete(allow_self_deletion=True)
    with pytest.raises(DataikuException, match="NotAuthenticatedException"):
        dss.list_users()


def test_groups_create_define_list_and_delete(dss):
    handle = dss.create_group("ml_team", "Machine learning")
    definition = handle.get_definition()
    assert definition["description"] == "Machine learning" and definition["sourceType"] == "LOCAL"
    assert definition["admin"] is False and definition["mayUseSomeFutureFeature"] is False
    assert all(definition[key] is False for key in definition if key.startswith("may"))
    definition["mayCreateProjects"] = True
    definition["ldapGroupNames"] = ["cn=ml,ou=groups"]
    assert handle.set_definition(definition) == {"msg": "Edited group ml_team"}
    stored = dss.get_group("ml_team").get_definition()
    assert stored["mayCreateProjects"] is True and stored["ldapGroupNames"] == ["cn=ml,ou=groups"]
    assert [group["name"] for group in dss.list_groups()] == ["administrators", "data_team", "ml_team", "readers"]
    dss.create_user("member", "Pa55-member", groups=["ml_team", "readers"])
    handle.delete()
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: Group ml_team does not exist"):
        handle.get_definition()
    assert dss.get_user("member").get_settings().get_raw()["groups"] == ["readers"]


def test_the_flag_no_client_knows_survives_read_modify_write_and_not_a_rebuilt_definition(dss):
    group = dss.get_group("data_team")
    definition = group.get_definition()
    assert definition["mayUseSomeFutureFeature"] is True
    definition["mayCreateClusters"] = True
    group.set_definition(definition)
    assert group.get_definition()["mayUseSomeFutureFeature"] is True
    rebuilt = {key: value for key, value in definition.items() if key != "mayUseSomeFutureFeature"}
    group.set_definition(rebuilt)
    assert group.get_definition()["mayUseSomeFutureFeature"] is False, "a dropped field falls back to its default"


def test_errors_surface_as_dataiku_exceptions(dss, clean_emulator):
    with pytest.raises(DataikuException, match="NotAuthenticatedException: Unknown API Key"):
        dataikuapi.DSSClient(clean_emulator.url, "not-a-key").list_users()
    with pytest.raises(DataikuException, match="UnauthorizedException: Action forbidden"):
        dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").list_users()
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").create_group("sneaky")
    with pytest.raises(DataikuException, match="User analyst already exists"):
        dss.create_user("analyst", "x")
    with pytest.raises(DataikuException, match="Group readers already exists"):
        dss.create_group("readers")
    with pytest.raises(DataikuException, match="Group\\(s\\) do not exist: ghosts"):
        dss.create_user("ghost", "x", groups=["ghosts"])
    with pytest.raises(DataikuException, match="Invalid user profile 'EXPLORER'"):
        dss.create_user("gm", "x", profile="EXPLORER")
    with pytest.raises(DataikuException, match="Invalid login 'a b'"):
        dss.create_user("a b", "x")
    settings = dss.get_user("analyst").get_settings()
    settings.get_raw()["login"] = "renamed"
    with pytest.raises(DataikuException, match="can't be modified"):
        settings.save()
    assert [entry["write"] for entry in clean_emulator.requests() if entry["method"] != "GET"] == [True] * 7


def test_statuses_on_the_wire(clean_emulator):
    http = clean_emulator.http
    assert http.get("/public/api/admin/users/", auth=("nope", "")).status_code == 401
    assert http.get("/public/api/admin/users/").status_code == 401
    assert http.get("/public/api/admin/users/", auth=("dss-user-key", "")).status_code == 403
    missing = http.get("/public/api/admin/users/nobody", auth=("dss-admin-key", ""))
    assert missing.status_code == 404
    assert missing.json() == {"errorType": NOT_FOUND, "message": "User nobody does not exist", "detailedMessage": "User nobody does not exist"}
    unknown = http.get("/public/api/no/such/thing", auth=("dss-admin-key", ""))
    assert unknown.status_code == 404 and unknown.json()["errorType"] == NOT_FOUND
    wrong_method = http.patch("/dip/publicapi/admin/users/admin", auth=("dss-admin-key", ""))
    assert wrong_method.status_code == 405 and "errorType" in wrong_method.json()


def test_both_base_paths_and_every_key_placement(clean_emulator):
    http = clean_emulator.http
    via_docs = http.get("/public/api/admin/users/admin", auth=("dss-admin-key", "")).json()
    via_client = http.get("/dip/publicapi/admin/users/admin", auth=("dss-admin-key", "")).json()
    as_password = http.get("/public/api/admin/users/admin", auth=("", "dss-admin-key")).json()
    as_bearer = http.get("/public/api/admin/users/admin", headers={"Authorization": "Bearer dss-admin-key"}).json()
    assert via_docs == via_client == as_password == as_bearer and via_docs["login"] == "admin"


def test_bodies_without_content_type_and_boolean_spellings(clean_emulator):
    http = clean_emulator.http
    body = json.dumps({"login": "raw", "password": "Pa55-raw", "groups": []}).encode()
    created = http.post("/public/api/admin/users/", content=body, auth=("dss-admin-key", ""))
    assert created.status_code == 201 and created.json() == {"msg": "Created user raw"}
    for spelling in ("False", "false"):
        refused = http.delete("/public/api/admin/users/admin", params={"allowSelfDeletion": spelling}, auth=("dss-admin-key", ""))
        assert refused.status_code == 403
    bad = http.delete("/public/api/admin/users/raw", params={"allowSelfDeletion": "maybe"}, auth=("dss-admin-key", ""))
    assert bad.status_code == 400
    assert http.delete("/public/api/admin/users/raw", params={"allowSelfDeletion": "True"}, auth=("dss-admin-key", "")).status_code == 204


def test_non_admin_endpoints(clean_emulator):
    user = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    assert [info.login for info in user.list_users_info()] == ["admin", "analyst"]
    assert [info.name for info in user.list_groups_info()] == ["administrators", "data_team", "readers"]
    own = user.get_own_user().get_settings()
    assert own.get_raw()["login"] == "analyst"
    own.get_raw()["displayName"] = "Ana"
    own.get_raw()["groups"] = ["administrators"]
    own.save()
    raw = user.get_own_user().get_settings().get_raw()
    assert raw["displayName"] == "Ana" and raw["groups"] == ["data_team"], "a user cannot change its own groups"
    assert user.get_auth_info()["authIdentifier"] == "analyst"


def test_licensing_profiles_are_configurable_and_reset(dss, clean_emulator):
    assert dss.get_licensing_status()["base"]["userProfiles"][0] == "DATA_SCIENTIST"
    assert clean_emulator.http.put("/_emulator/dss/licensing", content=b"not json").status_code == 400
    assert clean_emulator.http.put("/_emulator/dss/licensing", json={"userProfiles": []}).status_code == 400
    clean_emulator.http.put("/_emulator/dss/licensing", json={"userProfiles": ["AI_CONSUMER", "FULL_DESIGNER"]}).raise_for_status()
    assert dss.get_licensing_status()["base"]["userProfiles"] == ["AI_CONSUMER", "FULL_DESIGNER"]
    with pytest.raises(DataikuException, match="Invalid user profile 'DATA_SCIENTIST'"):
        dss.create_user("ds", "x")
    dss.create_user("ai", "x", profile="AI_CONSUMER")
    clean_emulator.reset()
    assert dss.get_licensing_status()["base"]["userProfiles"][0] == "DATA_SCIENTIST"
    assert "ai" not in [user["login"] for user in dss.list_users()]
