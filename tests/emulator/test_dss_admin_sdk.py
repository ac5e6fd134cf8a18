"""Fidelity of the emulator's DSS admin extras (activity, authorization matrix, instance info, trial users, bulk
user calls, resync futures, own secrets, impersonation): dataiku-api-client 15.2.0, unchanged."""

from __future__ import annotations

import datetime
import json
import time

import dataikuapi
import httpx
import pytest
from dataikuapi.utils import DataikuException

from emulator.process import EmulatorProcess

NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"
DAY_MS = 86_400_000


@pytest.fixture
def dss(clean_emulator) -> dataikuapi.DSSClient:
    return dataikuapi.DSSClient(clean_emulator.url, "dss-admin-key")


def now_ms() -> int:
    return int(time.time() * 1000)


def age_days(moment: datetime.datetime) -> float:
    return (datetime.datetime.now(datetime.timezone.utc) - moment).total_seconds() / 86_400


# ---- activity ------------------------------------------------------------------------------------------


def test_seeded_activity_one_user_and_all(dss):
    admin = dss.get_user("admin").get_activity()
    assert admin.get_raw()["login"] == "admin" and admin.last_failed_login is None
    assert 0.03 < age_days(admin.last_successful_login) < 0.05 and 0.03 < age_days(admin.last_session_activity) < 0.05
    analyst = dss.get_user("analyst").get_activity()
    assert 119.9 < age_days(analyst.last_successful_login) < 120.1
    assert 117.9 < age_days(analyst.last_session_activity) < 118.1
    assert analyst.last_failed_login is None and analyst.get_raw()["lastFailedLogin"] == 0
    assert [item.login for item in dss.list_users_activity()] == ["admin", "analyst"]


def test_seeded_users_were_created_before_their_activity(dss):
    for login in ("admin", "analyst"):
        created = dss.get_user(login).get_settings().creation_date
        assert created < dss.get_user(login).get_activity().last_successful_login
        assert age_days(created) > 399


def test_a_created_user_has_no_activity_and_a_deleted_one_drops_it(dss, clean_emulator):
    dss.create_user("fresh", "Pa55-fresh")
    raw = dss.get_user("fresh").get_activity().get_raw()
    assert raw == {"login": "fresh", "lastSuccessfulLogin": 0, "lastFailedLogin": 0, "lastSessionActivity": 0}
    clean_emulator.set_dss_activity("fresh", lastSuccessfulLogin=now_ms())
    dss.get_user("fresh").delete()
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: User fresh does not exist"):
        dss.get_user("fresh").get_activity()
    dss.create_user("fresh", "Pa55-fresh")
    assert dss.get_user("fresh").get_activity().last_successful_login is None


def test_enabled_users_only_leaves_out_disabled_users(dss):
    settings = dss.get_user("analyst").get_settings()
    settings.enabled = False
    settings.save()
    assert [item.login for item in dss.list_users_activity(enabled_users_only=True)] == ["admin"]
    assert [item.login for item in dss.list_users_activity(enabled_users_only=False)] == ["admin", "analyst"]


def test_the_control_sets_given_fields_only_and_is_not_logged(dss, clean_emulator):
    moment = now_ms() - 5 * DAY_MS
    before = clean_emulator.requests()
    answer = clean_emulator.set_dss_activity("analyst", lastFailedLogin=moment, lastSessionActivity=0)
    assert answer["lastFailedLogin"] == moment and answer["lastSessionActivity"] == 0
    assert answer["lastSuccessfulLogin"] > 0
    assert clean_emulator.requests() == before
    activity = dss.get_user("analyst").get_activity()
    assert activity.last_session_activity is None and 4.9 < age_days(activity.last_failed_login) < 5.1
    assert clean_emulator.state()["dss"]["activity"]["analyst"]["lastFailedLogin"] == moment


def test_the_control_refuses_an_unknown_login_and_bad_fields(clean_emulator):
    with pytest.raises(httpx.HTTPStatusError) as caught:
        clean_emulator.set_dss_activity("nobody", lastSuccessfulLogin=1)
    assert caught.value.response.status_code == 404 and "nobody" in caught.value.response.json()["error"]
    for body in ({"login": "analyst", "lastLogin": 1}, {"login": "analyst", "lastFailedLogin": "yesterday"}, {}):
        assert clean_emulator.http.put("/_emulator/dss/activity", json=body).status_code == 400


def test_activity_is_reset_and_an_api_key_call_changes_none(dss, clean_emulator):
    clean_emulator.set_dss_activity("analyst", lastSuccessfulLogin=0)
    dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").get_auth_info()
    assert dss.get_user("analyst").get_activity().last_successful_login is None
    clean_emulator.reset()
    assert dss.get_user("analyst").get_activity().last_successful_login is not None


def test_activity_survives_a_restart_and_a_file_from_before_activity_has_none(tmp_path):
    state_file = tmp_path / "state.json"
    moment = now_ms() - 7 * DAY_MS
    with EmulatorProcess(state_file) as first:
        first.set_dss_activity("analyst", lastFailedLogin=moment)
        settings = dataikuapi.DSSClient(first.url, "dss-admin-key").get_user("analyst").get_settings()
        settings.add_secret("api-token", "Restart-Secret-9")
        settings.save()
    assert "Restart-Secret-9" not in state_file.read_text()
    with EmulatorProcess(state_file) as second:
        assert dataikuapi.DSSClient(second.url, "dss-admin-key").get_user("analyst").get_activity().get_raw()["lastFailedLogin"] == moment
        secrets = dataikuapi.DSSClient(second.url, "dss-user-key").get_auth_info(with_secrets=True)["secrets"]
        assert secrets == [{"key": "warehouse-token", "value": "analyst-secret-value"}, {"key": "api-token"}]
    state = json.loads(state_file.read_text())
    del state["dss"]["activity"]
    state_file.write_text(json.dumps(state))
    with EmulatorProcess(state_file) as third:
        activity = dataikuapi.DSSClient(third.url, "dss-admin-key").list_users_activity()
        assert [item.last_successful_login for item in activity] == [None, None]


def test_activity_needs_an_admin_key(clean_emulator):
    user = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user.list_users_activity()
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user.get_user("analyst").get_activity()


# ---- authorization matrix, instance info, trial users, licence ------------------------------------------


def test_authorization_matrix_from_the_groups_flags(dss):
    udm = dss.create_group("udm")
    definition = udm.get_definition()
    definition["mayManageUDM"] = True
    udm.set_definition(definition)
    settings = dss.get_user("analyst").get_settings()
    settings.get_raw()["groups"] = ["data_team", "udm"]
    settings.save()
    matrix = dss.get_authorization_matrix().raw
    assert set(matrix) == {"perUser", "perGroup"} and set(matrix["perGroup"]) == {"administrators", "data_team", "readers", "udm"}
    assert matrix["perGroup"]["data_team"]["globalPermissions"]["mayCreateProjects"] is True
    assert matrix["perGroup"]["data_team"]["globalPermissions"]["admin"] is False
    readers = matrix["perGroup"]["readers"]["globalPermissions"]
    assert readers.pop("mayUseSomeFutureFeature") is True and not any(readers.values())
    analyst = matrix["perUser"]["analyst"]
    assert analyst["groups"] == ["data_team", "udm"]
    assert analyst["globalPermissions"]["mayManageUDM"] and analyst["globalPermissions"]["mayWriteUnsafeCode"]
    assert not analyst["globalPermissions"]["admin"] and not analyst["globalPermissions"]["mayCreateClusters"]
    assert all(matrix["perUser"]["admin"]["globalPermissions"].values())


def test_authorization_matrix_covers_enabled_users_only_and_needs_an_admin(dss, clean_emulator):
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").get_authorization_matrix()
    settings = dss.get_user("analyst").get_settings()
    settings.enabled = False
    settings.save()
    assert set(dss.get_authorization_matrix().raw["perUser"]) == {"admin"}


def test_instance_info_for_any_key(dss, clean_emulator):
    for client in (dss, dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")):
        info = client.get_instance_info()
        assert (info.node_type, info.node_id, info.node_name) == ("DESIGN", "emulator-design", "DSS emulator")
        assert info.raw["dssVersion"] == "15.2.0"


def test_trial_expired_users_through_the_trial_control(dss, clean_emulator):
    assert dss.list_expired_trial_users() == []
    moment = now_ms() - DAY_MS
    answer = clean_emulator.http.put("/_emulator/dss/trial", json={"login": "analyst", "exists": True, "expired": True, "expiresOn": moment})
    assert answer.raise_for_status().json() == {"exists": True, "expired": True, "valid": False, "expiresOn": moment, "grantedOn": 0}
    [expired] = dss.list_expired_trial_users()
    assert expired["login"] == "analyst" and expired["trialStatus"]["expired"] is True and "secrets" not in expired
    assert dss.get_user("analyst").get_settings().get_raw()["trialStatus"]["expiresOn"] == moment
    assert clean_emulator.http.put("/_emulator/dss/trial", json={"login": "ghost", "expired": True}).status_code == 404
    assert clean_emulator.http.put("/_emulator/dss/trial", json={"login": "analyst", "expired": "yes"}).status_code == 400
    clean_emulator.reset()
    assert dss.list_expired_trial_users() == []


def test_current_licence_profiles_are_licensed_and_counted(dss):
    status = dss.get_licensing_status()
    profiles = status["base"]["userProfiles"]
    assert profiles[:4] == ["DATA_SCIENTIST", "DATA_ANALYST", "READER", "DESIGNER"]
    current = ["FULL_DESIGNER", "DATA_DESIGNER", "ADVANCED_ANALYTICS_DESIGNER", "GOVERNANCE_MANAGER", "AI_CONSUMER",
               "AI_ACCESS_USER", "TECHNICAL_ACCOUNT"]
    assert set(current) <= set(profiles) and set(status["profileLimits"]) == set(profiles)
    dss.create_user("bot", "Pa55-bot", profile="TECHNICAL_ACCOUNT")
    assert dss.get_licensing_status()["profileLimits"]["TECHNICAL_ACCOUNT"]["used"] == 1
    dss.create_user("plain", "Pa55-plain")
    assert dss.get_user("plain").get_settings().get_raw()["userProfile"] == "DATA_SCIENTIST"


# ---- bulk user calls -----------------------------------------------------------------------------------


def password_is(emulator, login, password):
    response = emulator.http.post("/_emulator/dss/check-password", json={"login": login, "password": password})
    return response.raise_for_status().json()["valid"]


def test_bulk_create_checks_each_item_as_the_single_call_and_goes_on(dss, clean_emulator):
    statuses = dss.create_users([
        {"login": "jdoe", "password": "Pa55-jdoe", "groups": ["readers"], "userProfile": "READER", "email": "j@example.com"},
        {"login": "analyst", "password": "x"},
        {"login": "a b"},
        {"login": "ghost", "groups": ["ghosts"]},
        {"login": "explorer", "userProfile": "EXPLORER"},
        {"login": "plain", "groups": None},
    ])
    assert [(item["login"], item["status"]) for item in statuses] == [
        ("jdoe", "SUCCESS"), ("analyst", "FAILURE"), ("a b", "FAILURE"), ("ghost", "FAILURE"), ("explorer", "FAILURE"),
        ("plain", "SUCCESS"),
    ]
    errors = [item["error"] for item in statuses]
    assert errors[0] == "" and errors[1] == "User analyst already exists" and errors[2].startswith("Invalid login 'a b'")
    assert errors[3] == "Group(s) do not exist: ghosts" and errors[4].startswith("Invalid user profile 'EXPLORER'")
    assert sorted(user["login"] for user in dss.list_users()) == ["admin", "analyst", "jdoe", "plain"]
    jdoe = dss.get_user("jdoe").get_settings().get_raw()
    assert (jdoe["groups"], jdoe["userProfile"], jdoe["email"], jdoe["sourceType"]) == (["readers"], "READER", "j@example.com", "LOCAL")
    assert dss.get_user("plain").get_settings().get_raw()["userProfile"] == "DATA_SCIENTIST"
    assert password_is(clean_emulator, "jdoe", "Pa55-jdoe")
    [post] = clean_emulator.writes()
    assert post["path"] == "/dip/publicapi/admin/users/actions/bulk" and post["status"] == 200
    assert post["body"][0]["password"] == "***" and "Pa55-jdoe" not in str(clean_emulator.requests())


def test_bulk_edit_changes_only_the_given_fields_of_each_user(dss, clean_emulator):
    statuses = dss.edit_users([
        {"login": "analyst", "displayName": "Ana B", "groups": ["readers"]},
        {"login": "nobody", "displayName": "x"},
        {"login": "admin", "groups": ["ghosts"]},
        {"displayName": "no login"},
        {"login": "admin", "userProfile": "EXPLORER"},
    ])
    assert [item["status"] for item in statuses] == ["SUCCESS", "FAILURE", "FAILURE", "FAILURE", "FAILURE"]
    assert statuses[1]["error"] == "User nobody does not exist" and statuses[2]["error"] == "Group(s) do not exist: ghosts"
    assert statuses[3]["login"] == "" and "login" in statuses[3]["error"]
    analyst = dss.get_user("analyst").get_settings().get_raw()
    assert (analyst["displayName"], analyst["groups"], analyst["email"]) == ("Ana B", ["readers"], "analyst@example.com")
    assert analyst["userProperties"] == {"team": "analytics"} and analyst["secrets"] == [{"name": "warehouse-token", "secret": True}]
    admin = dss.get_user("admin").get_settings().get_raw()
    assert admin["groups"] == ["administrators"] and admin["userProfile"] == "DESIGNER"
    assert password_is(clean_emulator, "analyst", "analyst-password")


def test_bulk_edit_takes_the_full_definitions_list_users_gives(dss, clean_emulator):
    full = {user["login"]: user for user in dss.list_users(include_settings=True)}
    full["analyst"]["email"] = "ana@example.com"
    full["analyst"]["secrets"].append({"name": "api-token", "value": "bulk-secret-value", "secret": True})
    full["admin"]["preferences"]["uiLanguage"] = "fr"
    assert [item["status"] for item in dss.edit_users([full["analyst"], full["admin"]])] == ["SUCCESS", "SUCCESS"]
    analyst = dss.get_user("analyst").get_settings().get_raw()
    assert analyst["email"] == "ana@example.com" and [s["name"] for s in analyst["secrets"]] == ["warehouse-token", "api-token"]
    assert dss.get_user("admin").get_settings().get_raw()["preferences"]["uiLanguage"] == "fr"
    secrets = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").get_auth_info(with_secrets=True)["secrets"]
    assert {"key": "api-token", "value": "bulk-secret-value"} in secrets
    assert "bulk-secret-value" not in str(clean_emulator.requests()) and "bulk-secret-value" in clean_emulator.secrets()


def test_bulk_delete_honours_allow_self_deletion_and_goes_on(dss, clean_emulator):
    dss.create_user("jdoe", "Pa55-jdoe")
    clean_emulator.set_dss_activity("analyst", lastFailedLogin=now_ms())
    statuses = dss.delete_users(["analyst", "nobody", "admin", "jdoe"])
    assert [(item["login"], item["status"]) for item in statuses] == [
        ("analyst", "SUCCESS"), ("nobody", "FAILURE"), ("admin", "FAILURE"), ("jdoe", "SUCCESS"),
    ]
    assert statuses[1]["error"] == "User nobody does not exist" and "allowSelfDeletion" in statuses[2]["error"]
    assert [user["login"] for user in dss.list_users()] == ["admin"]
    assert "analyst" not in clean_emulator.state()["dss"]["activity"]
    assert dss.delete_users(["admin"], allow_self_deletion=True) == [{"login": "admin", "status": "SUCCESS", "error": ""}]
    assert clean_emulator.state()["dss"]["users"] == {}


def test_bulk_calls_need_an_admin_and_a_list(dss, clean_emulator):
    user = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    for call in (lambda: user.create_users([{"login": "x"}]), lambda: user.edit_users([]), lambda: user.delete_users(["admin"])):
        with pytest.raises(DataikuException, match="UnauthorizedException"):
            call()
    answer = clean_emulator.http.post("/public/api/admin/users/actions/bulk", auth=("dss-admin-key", ""), json={"login": "x"})
    assert answer.status_code == 400 and answer.json()["errorType"] == "java.lang.IllegalArgumentException"
    assert dss.create_users([]) == []


# ---- resync futures ------------------------------------------------------------------------------------


def test_resync_one_user_is_a_future_polled_to_its_result(dss, clean_emulator):
    future = dss.get_user("analyst").start_resync_from_supplier()
    assert future.job_id and future.state["hasResult"] is False and future.state["alive"] is True
    assert future.wait_for_result() == {"users": [{
        "login": "analyst", "sourceType": "LOCAL", "outcome": "NOT_APPLICABLE",
        "message": "A LOCAL user has no external supplier: nothing to resync",
    }]}
    polls = [entry for entry in clean_emulator.requests() if entry["path"].endswith(f"/futures/{future.job_id}")]
    assert len(polls) == 1 and polls[0]["method"] == "GET" and polls[0]["status"] == 200
    peeked = future.peek_state()
    assert peeked["hasResult"] is True and peeked["alive"] is False and "result" not in peeked
    assert future.get_result()["users"][0]["login"] == "analyst"
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: User ghost does not exist"):
        dss.get_user("ghost").start_resync_from_supplier()


def test_resync_many_and_all_users(dss, clean_emulator):
    dss.create_user("ldap.user", None, source_type="LDAP")
    result = dss.start_resync_users_from_supplier(["ldap.user", "ghost", "analyst"]).wait_for_result()
    assert [(item["login"], item["outcome"]) for item in result["users"]] == [
        ("analyst", "NOT_APPLICABLE"), ("ghost", "NOT_FOUND"), ("ldap.user", "UNCHANGED"),
    ]
    everyone = dss.start_resync_all_users_from_supplier().wait_for_result()
    assert [item["login"] for item in everyone["users"]] == ["admin", "analyst", "ldap.user"]
    assert [entry["write"] for entry in clean_emulator.requests() if entry["method"] == "POST"] == [True, True, True]


def test_a_future_is_its_starters_and_is_forgotten_on_reset(dss, clean_emulator):
    future = dss.start_resync_all_users_from_supplier()
    other = dataikuapi.dss.future.DSSFuture(dataikuapi.DSSClient(clean_emulator.url, "dss-user-key"), future.job_id)
    with pytest.raises(DataikuException, match=NOT_FOUND):
        other.get_state()
    clean_emulator.reset()
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: Future {future.job_id} does not exist"):
        future.get_state()
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        dataikuapi.DSSClient(clean_emulator.url, "dss-user-key").start_resync_all_users_from_supplier()


# ---- own secrets ---------------------------------------------------------------------------------------


def test_auth_info_with_secrets_gives_the_callers_own_values(dss, clean_emulator):
    analyst = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    assert "secrets" not in analyst.get_auth_info()
    assert analyst.get_auth_info(with_secrets=True)["secrets"] == [{"key": "warehouse-token", "value": "analyst-secret-value"}]
    settings = dss.get_user("analyst").get_settings()
    settings.add_secret("api-token", "t0ken-value-42")
    settings.save()
    assert analyst.get_auth_info(with_secrets=True)["secrets"][1] == {"key": "api-token", "value": "t0ken-value-42"}
    assert dss.get_auth_info(with_secrets=True)["secrets"] == []
    assert "t0ken-value-42" in clean_emulator.secrets() and "analyst-secret-value" in clean_emulator.secrets()
    logged, state = str(clean_emulator.requests()), str(clean_emulator.state())
    assert "t0ken-value-42" not in logged and "analyst-secret-value" not in logged
    assert "t0ken-value-42" not in state and "analyst-secret-value" not in state


def test_own_secret_values_set_through_current_user(clean_emulator):
    analyst = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    own = analyst.get_own_user().get_settings()
    own.add_secret("personal", "my-own-secret-value")
    own.save()
    assert {"key": "personal", "value": "my-own-secret-value"} in analyst.get_auth_info(with_secrets=True)["secrets"]


# ---- impersonation -------------------------------------------------------------------------------------


def test_an_admin_key_acts_as_the_proxied_user_with_its_rights(dss, clean_emulator):
    as_analyst = dss.get_user("analyst").get_client_as()
    info = as_analyst.get_auth_info(with_secrets=True)
    assert info["authIdentifier"] == "analyst" and info["groups"] == ["data_team"]
    assert info["secrets"] == [{"key": "warehouse-token", "value": "analyst-secret-value"}]
    own = as_analyst.get_own_user().get_settings()
    assert own.get_raw()["login"] == "analyst"
    own.get_raw()["displayName"] = "Ana (by admin)"
    own.save()
    assert dss.get_user("analyst").get_settings().get_raw()["displayName"] == "Ana (by admin)"
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        as_analyst.list_users()
    clients = {(entry["method"], entry["path"].rsplit("/", 1)[-1]): entry["client"] for entry in clean_emulator.requests()}
    assert clients[("PUT", "current-user")] == "dss:admin as analyst" and clients[("GET", "")] == "dss:admin as analyst"
    assert clients[("GET", "analyst")] == "dss:admin"
    assert [user.login for user in dss.get_user("admin").get_client_as().list_users(as_objects=True)] == ["admin", "analyst"]


def test_impersonation_refusals(dss, clean_emulator):
    sneaky = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key", extra_headers={"X-DKU-ProxyUser": "admin"})
    with pytest.raises(DataikuException, match="UnauthorizedException: Only an administrator's API key"):
        sneaky.get_auth_info()
    with pytest.raises(DataikuException, match=f"{NOT_FOUND}: User ghost does not exist"):
        dss.get_user("ghost").get_client_as().get_auth_info()
    settings = dss.get_user("analyst").get_settings()
    settings.enabled = False
    settings.save()
    with pytest.raises(DataikuException, match="NotAuthenticatedException: User analyst is disabled"):
        dss.get_user("analyst").get_client_as().get_auth_info()
    statuses = [entry["status"] for entry in clean_emulator.requests() if entry["path"].endswith("/auth/info")]
    assert statuses == [403, 404, 401]
