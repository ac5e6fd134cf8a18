"""Self-lockout, DSS side: dss_user refuses to delete or disable the API key's own user, or
to take it out of its last admin group, unless the task allows it; the refusal writes nothing."""

from __future__ import annotations

from dss_api import USER_KEY


def user_task(login, **options):
    return {"name": "user", "dataops.iam.dss_user": {"login": login, **options}}


def test_disabling_the_keys_own_user_is_refused_also_in_check_mode(run, dss, clean_emulator):
    clean_emulator.clear_log()
    for check in (True, False):
        refused = run([user_task("admin", enabled=False)], check=check)
        assert refused.rc != 0
        message = refused.result("user")["msg"]
        assert "enabled: false would disable user 'admin'" in message and "allow_self_lockout: true" in message
        assert "Traceback" not in refused.stdout + refused.stderr
    assert clean_emulator.writes() == [] and dss.user("admin")["enabled"] is True


def test_leaving_the_last_admin_group_is_refused_keeping_another_is_not(run, dss, clean_emulator):
    clean_emulator.clear_log()
    refused = run([user_task("admin", groups=["data_team"])])
    assert refused.rc != 0 and "out of its admin group(s) administrators" in refused.result("user")["msg"]
    assert clean_emulator.writes() == []
    dss.create_group("ops")
    dss.edit_group("ops", admin=True)
    moved = run([user_task("admin", groups=["ops", "data_team"])]).ok().result("user")
    assert moved["changed"] is True and dss.user("admin")["groups"] == ["ops", "data_team"]


def test_other_users_are_not_guarded_and_the_guard_can_be_lifted(run, dss, clean_emulator):
    assert run([user_task("analyst", enabled=False)]).ok().result("user")["changed"] is True
    assert dss.user("analyst")["enabled"] is False
    dss.edit_user("analyst", enabled=True, groups=["administrators"])
    lifted = run([user_task("analyst", enabled=False, allow_self_lockout=True)], dss_key=USER_KEY).ok()
    assert lifted.result("user")["changed"] is True and dss.user("analyst")["enabled"] is False
    locked_out = run([{"name": "who", "dataops.iam.dss_user_info": {}}], dss_key=USER_KEY)
    assert locked_out.rc != 0 and "HTTP 401" in locked_out.result("who")["msg"], "the key is now locked out, as allowed"


def test_deleting_the_keys_own_user_is_refused_unless_allowed(run, dss, clean_emulator):
    clean_emulator.clear_log()
    refused = run([user_task("admin", state="absent")], check=True)
    assert refused.rc != 0 and "it is the user of the API key this task uses" in refused.result("user")["msg"]
    assert clean_emulator.writes() == [] and dss.user("admin") is not None
    dss.edit_user("analyst", groups=["administrators"])
    run([user_task("analyst", state="absent", allow_self_deletion=True)], dss_key=USER_KEY).ok()
    assert dss.user("analyst") is None


def group_task(name, **options):
    return {"name": "group", "dataops.iam.dss_group": {"name": name, **options}}


def test_taking_away_the_keys_only_admin_group_is_refused_also_in_check_mode(run, dss, clean_emulator):
    clean_emulator.clear_log()
    for options in ({"state": "absent"}, {"admin": False}):
        for check in (True, False):
            refused = run([group_task("administrators", **options)], check=check)
            assert refused.rc != 0
            message = refused.result("group")["msg"]
            assert "only admin group" in message and "allow_self_lockout: true" in message, message
            assert "Traceback" not in refused.stdout + refused.stderr
    assert clean_emulator.writes() == [] and dss.group("administrators")["admin"] is True


def test_an_admin_group_the_key_does_not_depend_on_can_go(run, dss, clean_emulator):
    dss.create_group("ops")
    dss.edit_group("ops", admin=True)
    dss.edit_user("admin", groups=["administrators", "ops"])
    demoted = run([group_task("administrators", admin=False)]).ok().result("group")
    assert demoted["changed"] is True and dss.group("administrators")["admin"] is False
    refused = run([group_task("ops", state="absent")])
    assert refused.rc != 0 and "only admin group" in refused.result("group")["msg"]
    lifted = run([group_task("ops", state="absent", allow_self_lockout=True)]).ok().result("group")
    assert lifted["changed"] is True and "ops" not in clean_emulator.state()["dss"]["groups"]
    locked_out = run([{"name": "who", "dataops.iam.dss_user_info": {}}])
    assert locked_out.rc != 0 and "HTTP 403" in locked_out.result("who")["msg"], "the key lost its admin rights, as allowed"
