"""In real playbook runs: actions newer than the collection, and token inspection's rights.

CDF adds actions to known ACLs before clients know them (toolkit PR #2963): a task may declare one, and a group
already in the project may hold one; neither is refused. Token inspection needs projectsAcl:LIST and
groupsAcl:LIST: without them the self-lockout guard says so, before any write.
"""

from __future__ import annotations

ADMINS_ID = 1000000001
FUTURE = {"groupsAcl": {"actions": ["LIST", "IMPERSONATE"], "scope": {"all": {}}}}
FUTURE_TOO = {"groupsAcl": {"actions": ["IMPERSONATE"], "scope": {"currentuserscope": {}}}}
ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
ALL_GROUPS = {"groupsAcl": {"actions": ["CREATE", "DELETE", "LIST", "READ", "UPDATE"], "scope": {"all": {}}}}


def group_task(name="future", **options):
    return {"name": "manage group", "dataops.iam.group": {"name": name, **options}}


def no_traceback(outcome):
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_an_unknown_action_of_a_known_acl_warns_once_creates_and_reruns_unchanged(run, cdf):
    first = run([group_task(capabilities=[FUTURE, ASSETS, FUTURE_TOO])]).ok()
    created = first.result("manage group")
    assert created["changed"] is True
    warnings = [w for w in created.get("warnings", []) if "IMPERSONATE" in w]
    assert len(warnings) == 1 and "capabilities[0, 2] (groupsAcl): action 'IMPERSONATE' is not known" in warnings[0]
    (stored,) = cdf.groups("future")
    assert FUTURE in stored["capabilities"], "written as declared, the unknown action kept"
    again = run([group_task(capabilities=[FUTURE, ASSETS, FUTURE_TOO])]).ok().result("manage group")
    assert again["changed"] is False and again["group"]["id"] == stored["id"]
    no_traceback(first)


def test_a_group_already_holding_an_unknown_action_is_compared_and_replaced_without_a_traceback(run, cdf, clean_emulator):
    existing = cdf.create_group(name="future", sourceId="idp-future", capabilities=[FUTURE, ASSETS])
    same = run([group_task(source_id="idp-future", capabilities=[ASSETS, FUTURE])]).ok().result("manage group")
    assert same["changed"] is False and same["group"]["id"] == existing["id"]
    kept = run([group_task(metadata={"owner": "platform"})]).ok().result("manage group")
    assert kept["changed"] is True
    (replaced,) = cdf.groups("future")
    kept_action = FUTURE  # as the group held it
    assert replaced["id"] != existing["id"] and kept_action in replaced["capabilities"], "the unknown action is kept"
    clean_emulator.clear_log()
    checked = run([group_task(capabilities=[ASSETS])], check=True, diff=True).ok()
    assert checked.result("manage group")["changed"] is True and clean_emulator.writes() == []
    no_traceback(checked)


def test_group_info_and_capabilities_check_read_unknown_actions(run, cdf):
    cdf.create_group(name="future", sourceId="cdf-admins", capabilities=[FUTURE])
    tasks = [
        {"name": "info", "dataops.iam.group_info": {"name": "future"}},
        {"name": "mine", "dataops.iam.capabilities_check": {"capabilities": [FUTURE]}},
        {"name": "group", "dataops.iam.capabilities_check": {"capabilities": [FUTURE, ASSETS], "group": "future"}},
    ]
    outcome = run(tasks).ok()
    assert outcome.result("info")["groups"][0]["capabilities"] == [FUTURE]
    mine = outcome.result("mine")
    assert mine["complete"] is True and mine["missing"] == []
    assert any("IMPERSONATE" in warning for warning in mine.get("warnings", []))
    assert outcome.result("group")["missing"] == [ASSETS]
    no_traceback(outcome)


def test_a_caller_without_projects_list_is_told_what_inspection_needs_before_any_write(run, cdf, clean_emulator):
    cdf.create_group(name="groups-only", sourceId="cdf-admins", capabilities=[ALL_GROUPS])
    cdf.delete_groups(ADMINS_ID)  # the admin client now holds groupsAcl only: no projectsAcl:LIST
    clean_emulator.clear_log()
    outcome = run([{"name": "admins", "dataops.iam.group": {"name": "groups-only", "state": "absent"}}])
    assert outcome.rc != 0
    message = outcome.result("admins")["msg"]
    assert "token inspection (GET /api/v1/token/inspect)" in message and "HTTP 403" in message, message
    assert "the credentials lack projectsAcl:LIST in project 'demo'" in message, message
    assert "allow_self_lockout: true" in message
    assert clean_emulator.writes() == []
    no_traceback(outcome)
    allowed = run([{"name": "admins", "dataops.iam.group": {"name": "groups-only", "state": "absent",
                                                            "allow_self_lockout": True}}]).ok()
    assert allowed.result("admins")["changed"] is True
