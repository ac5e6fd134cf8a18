"""Fidelity of the emulator's DSS admin extras (activity, authorization matrix, instance info, trial users, bulk
user calls, resync futures, own secrets, impersonation): dataiku-api-client 15.2.0, unchanged."""

from __future__ import annotations

import datetime
import time

import dataikuapi
import httpx
import pytest
from dataikuapi.utils import DataikuException

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


def test_activity_needs_an_admin_key(clean_emulator):
    user = dataikuapi.DSSClient(clean_emulator.url, "dss-user-key")
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user.list_users_activity()
    with pytest.raises(DataikuException, match="UnauthorizedException"):
        user.get_user("analyst").get_activity()
