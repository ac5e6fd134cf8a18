"""dataops.iam.dss_group_info, driven by real ansible-playbook runs against the emulator's DSS API."""

from __future__ import annotations

import pytest

from dss_api import USER_KEY

pytestmark = pytest.mark.both_paths

GROUPS = "/public/api/admin/groups/"
USERS = "/public/api/admin/users/"
DN = "cn=ml,ou=groups,dc=example,dc=com"


def info_task(task="read groups", **options):
    return {"name": task, "dataops.iam.dss_group_info": options}


def calls(emulator) -> list:
    return [(entry["method"], entry["path"]) for entry in emulator.requests()]


def test_every_group_with_its_members_in_check_mode_two_reads_no_write(run, dss, clean_emulator):
    dss.create_user("zed", groups=["readers", "data_team"])
    dss.create_user("amy", groups=["data_team"])
    assert dss.edit_user("amy", enabled=False)["enabled"] is False
    clean_emulator.clear_log()
    result = run([info_task()], check=True).ok().result("read groups")
    assert result["changed"] is False
    assert [(group["name"], group["members"]) for group in result["groups"]] == [
        ("administrators", ["admin"]), ("data_team", ["amy", "analyst", "zed"]), ("readers", ["zed"]),
    ], "sorted by name, members sorted, a disabled user included"
    assert calls(clean_emulator) == [("GET", GROUPS), ("GET", USERS)], "one user list for every group"
    assert clean_emulator.writes() == []
    assert result["groups"][1] == dict(dss.group("data_team"), members=["amy", "analyst", "zed"]), "the API's format"


def test_a_mapped_group_shows_its_mapping_and_only_its_dss_users(run, dss, clean_emulator):
    dss.create_group("ml_team", ldapGroupNames=[DN])
    clean_emulator.clear_log()
    [ml_team] = run([info_task(name="ml_team")]).ok().result("read groups")["groups"]
    assert ml_team["ldapGroupNames"] == [DN] and ml_team["members"] == []
    assert calls(clean_emulator) == [("GET", GROUPS + "ml_team"), ("GET", USERS)]
    dss.create_user("jdoe", groups=["ml_team"])
    [ml_team] = run([info_task(name="ml_team")]).ok().result("read groups")["groups"]
    assert ml_team["members"] == ["jdoe"]


def test_without_members_and_an_unknown_name_one_read_each(run, clean_emulator):
    clean_emulator.clear_log()
    outcome = run([info_task("no members", members=False), info_task("nobody's", name="ghosts")]).ok()
    groups = outcome.result("no members")["groups"]
    assert [group["name"] for group in groups] == ["administrators", "data_team", "readers"]
    assert all("members" not in group for group in groups)
    assert outcome.result("nobody's")["groups"] == []
    assert calls(clean_emulator) == [("GET", GROUPS), ("GET", GROUPS + "ghosts")]


def test_bad_name_and_non_admin_key_fail_clearly(run, clean_emulator):
    clean_emulator.clear_log()
    bad = run([info_task(name="no/slash")])
    assert bad.rc != 0 and "DSS allows only letters, digits and . _ - @" in bad.result("read groups")["msg"]
    assert clean_emulator.requests() == []
    reader = run([info_task()], dss_key=USER_KEY)
    assert reader.rc != 0 and reader.result("read groups")["status"] == 403
