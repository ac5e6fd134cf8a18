"""dataops.iam.dss_user_info, driven by real ansible-playbook runs against the emulator's DSS API."""

from __future__ import annotations

import pytest

from dss_api import USER_KEY

pytestmark = pytest.mark.both_paths


def info_task(task="read users", **options):
    return {"name": task, "dataops.iam.dss_user_info": options}


def test_all_users_with_groups_and_profiles(run, dss, clean_emulator):
    dss.create_user("zed", groups=["readers"], userProfile="READER")
    clean_emulator.clear_log()
    result = run([info_task()], check=True).ok().result("read users")
    assert result["changed"] is False
    assert [user["login"] for user in result["users"]] == ["admin", "analyst", "zed"]
    analyst = result["users"][1]
    assert analyst["groups"] == ["data_team"] and analyst["userProfile"] == "DATA_ANALYST" and analyst["enabled"] is True
    assert clean_emulator.writes() == []


def test_one_user_in_full_without_secrets(run, dss):
    result = run([info_task(login="analyst")]).ok()
    [analyst] = result.result("read users")["users"]
    assert analyst["userProperties"] == {"team": "analytics"} and analyst["adminProperties"] == {"costCenter": "cc-42"}
    assert analyst["secrets"] == [{"name": "warehouse-token", "secret": True}]
    assert "password" not in analyst
    assert run([info_task(login="nobody")]).ok().result("read users")["users"] == []


def test_credentials_come_back_without_their_password(run, dss):
    definition = dss.user("analyst")
    definition["credentials"] = {"warehouse": {"type": "BASIC", "user": "ana", "password": "Cr3d-Pa55-x9"}}
    dss.put_user("analyst", definition)
    result = run([info_task(login="analyst")]).ok()
    [analyst] = result.result("read users")["users"]
    assert analyst["credentials"] == {"warehouse": {"type": "BASIC", "user": "ana"}}
    assert "Cr3d-Pa55-x9" not in result.stdout


def test_bad_login_and_non_admin_key_fail_clearly(run, clean_emulator):
    bad = run([info_task(login="no/slash")])
    assert bad.rc != 0 and "DSS allows only letters, digits and . _ - @" in bad.result("read users")["msg"]
    assert clean_emulator.requests() == []
    reader = run([info_task()], dss_key=USER_KEY)
    assert reader.rc != 0 and reader.result("read users")["status"] == 403
