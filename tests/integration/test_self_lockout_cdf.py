"""Self-lockout, CDF side: group refuses (unless allow_self_lockout) to replace or delete the
group that gives the credentials running it the groupsAcl rights the module uses (LIST, CREATE, DELETE), before
any write and also in check mode; with those rights kept or given by another group, the change goes through."""

from __future__ import annotations

ADMINS_ID = 1000000001
ALL_GROUPS = {"groupsAcl": {"actions": ["CREATE", "DELETE", "LIST", "READ", "UPDATE"], "scope": {"all": {}}}}
ONLY_LIST = {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}
ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


def admins(**options):
    return {"name": "admins", "dataops.iam.group": {"name": "admins", **options}}


def refused(result, clean_emulator, cdf, rights="groupsAcl: CREATE, DELETE, LIST [all]"):
    assert result.rc != 0, result.stdout[-3000:]
    message = result.result("admins")["msg"]
    assert "Refusing to change group 'admins'" in message and rights in message, message
    assert f"'admins' (id {ADMINS_ID})" in message and "allow_self_lockout: true" in message, message
    assert "Traceback" not in result.stdout + result.stderr
    assert clean_emulator.writes() == []
    assert [group["id"] for group in cdf.groups("admins")] == [ADMINS_ID]


def test_deleting_the_callers_only_groups_group_is_refused_also_in_check_mode(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    refused(run([admins(state="absent")], check=True), clean_emulator, cdf)
    refused(run([admins(state="absent")]), clean_emulator, cdf)
    inspections = [entry for entry in clean_emulator.requests() if entry["path"] == "/api/v1/token/inspect"]
    assert len(inspections) == 2


def test_a_replacement_that_drops_the_rights_or_the_membership_is_refused(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    refused(run([admins(capabilities=[ASSETS])]), clean_emulator, cdf)
    refused(run([admins(capabilities=[ONLY_LIST, ASSETS])]), clean_emulator, cdf, rights="groupsAcl: CREATE, DELETE [all]")
    refused(run([admins(source_id="somebody-else")]), clean_emulator, cdf)


def test_a_replacement_that_keeps_the_rights_goes_through_and_the_caller_still_manages_groups(run, cdf, clean_emulator):
    result = run([admins(capabilities=[ALL_GROUPS, ASSETS], source_id="cdf-admins"),
                  {"name": "still in charge", "dataops.iam.group": {"name": "after", "capabilities": [ASSETS]}}]).ok()
    assert result.result("admins")["changed"] is True and result.result("admins")["previous_id"] == ADMINS_ID
    assert result.result("still in charge")["changed"] is True
    assert len(cdf.groups("admins")) == 1 and cdf.groups("admins")[0]["id"] != ADMINS_ID


def test_rights_from_another_group_of_the_caller_make_the_deletion_safe(run, cdf, clean_emulator):
    cdf.create_group(name="break-glass", sourceId="cdf-admins", capabilities=[ALL_GROUPS])
    assert run([admins(state="absent")]).ok().result("admins")["changed"] is True
    assert cdf.groups("admins") == []


def test_groups_the_caller_is_not_in_are_not_guarded(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    result = run([{"name": "readers", "dataops.iam.group": {"name": "readers", "state": "absent"}}]).ok()
    reads = [entry["path"] for entry in clean_emulator.requests() if not entry["write"]]
    assert result.result("readers")["changed"] is True and cdf.groups("readers") == []
    assert reads.count("/api/v1/token/inspect") == 1
    assert reads.count("/api/v1/projects/demo/groups") == 1, "the groups are not read again for a group not the caller's"


def test_the_guard_can_be_lifted_and_then_the_caller_is_locked_out(run, cdf, clean_emulator):
    result = run([admins(state="absent", allow_self_lockout=True)]).ok()
    groups = clean_emulator.state()["projects"]["demo"]["groups"].values()
    live = [group["name"] for group in groups if not group["isDeleted"]]  # CDF deletes groups softly
    assert result.result("admins")["changed"] is True and "admins" not in live
    after = run([{"name": "list", "dataops.iam.group_info": {}}])
    assert after.rc != 0 and "HTTP 403" in after.result("list")["msg"], "locked out, as the task allowed"
