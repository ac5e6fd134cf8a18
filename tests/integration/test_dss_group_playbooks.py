"""dataops.iam.dss_group, driven by real ansible-playbook runs against the emulator's DSS API."""

from __future__ import annotations

from dss_api import USER_KEY, dss_writes, failures


def group_task(name="ml_team", task="manage group", **options):
    return {"name": task, "dataops.iam.dss_group": {"name": name, **options}}


ML_TEAM = dict(
    description="Machine learning",
    may_create_projects=True,
    may_write_unsafe_code=True,
    may_create_published_api_services=True,
    ldap_group_names=["cn=ml,ou=groups", "cn=ds,ou=groups"],
)


def test_create_rerun_unchanged_and_check_mode_writes_nothing(run, dss, clean_emulator):
    created = run([group_task(**ML_TEAM)]).ok().result("manage group")
    assert created["changed"] is True
    stored = dss.group("ml_team")
    assert stored["description"] == "Machine learning" and stored["sourceType"] == "LOCAL"
    assert stored["mayCreateProjects"] is True and stored["mayWriteUnsafeCode"] is True
    assert stored["mayCreatePublishedAPIServices"] is True and stored["mayCreateClusters"] is False
    assert stored["ldapGroupNames"] == ["cn=ml,ou=groups", "cn=ds,ou=groups"]
    assert created["group"] == stored
    assert dss_writes(clean_emulator) == [("POST", "/admin/groups/"), ("PUT", "/admin/groups/ml_team")]

    clean_emulator.clear_log()
    again = run([group_task(**{**ML_TEAM, "ldap_group_names": ["cn=ds,ou=groups", "cn=ml,ou=groups", "cn=ml,ou=groups"]})]).ok()
    assert again.recap["changed"] == 0
    assert [(e["method"], e["path"]) for e in clean_emulator.requests()] == [("GET", "/public/api/admin/groups/ml_team")], "one read"

    clean_emulator.clear_log()
    checked = run([group_task(**ML_TEAM)], check=True, diff=True).ok()
    assert checked.result("manage group")["changed"] is False
    assert clean_emulator.writes() == []


def test_a_group_with_only_a_name_is_one_post(run, dss, clean_emulator):
    run([group_task("plain")]).ok()
    assert dss_writes(clean_emulator) == [("POST", "/admin/groups/")]
    assert dss.group("plain")["description"] is None


def test_check_mode_create_shows_the_flags_and_writes_nothing(run, dss, clean_emulator):
    result = run([group_task(**ML_TEAM)], check=True, diff=True).ok().result("manage group")
    assert result["changed"] is True and result["diff"]["before"] == {}
    after = result["diff"]["after"]
    assert after["permissions"] == {"mayCreateProjects": True, "mayCreatePublishedAPIServices": True, "mayWriteUnsafeCode": True}
    assert after["ldap_group_names"] == ["cn=ds,ou=groups", "cn=ml,ou=groups"]
    assert clean_emulator.writes() == [] and dss.group("ml_team") is None


def test_flags_the_task_does_not_name_are_never_changed(run, dss, clean_emulator):
    before = dss.group("data_team")
    assert before["mayUseSomeFutureFeature"] is True
    result = run([group_task("data_team", may_create_clusters=True)], diff=True).ok().result("manage group")
    assert result["changed"] is True
    after = dss.group("data_team")
    assert after["mayCreateClusters"] is True
    assert {k: v for k, v in after.items() if k != "mayCreateClusters"} == {k: v for k, v in before.items() if k != "mayCreateClusters"}
    diff_before, diff_after = result["diff"]["before"]["permissions"], result["diff"]["after"]["permissions"]
    assert {k for k in diff_before if diff_before[k] != diff_after[k]} == {"mayCreateClusters"}
    assert "mayUseSomeFutureFeature" in diff_after
    put = clean_emulator.writes()[-1]["body"]
    assert put["mayUseSomeFutureFeature"] is True, "read-modify-write sends back the flag no client knows"
    assert run([group_task("data_team")]).ok().result("manage group")["changed"] is False


def test_permissions_dict_sets_flags_newer_than_the_module(run, dss):
    run([group_task(permissions={"mayCreateMiraInfrastructures": True, "mayUseSomeFutureFeature": True})]).ok()
    stored = dss.group("ml_team")
    assert stored["mayCreateMiraInfrastructures"] is True and stored["mayUseSomeFutureFeature"] is True
    same = run([group_task(permissions={"mayUseSomeFutureFeature": True}, may_create_projects=False)]).ok()
    assert same.result("manage group")["changed"] is False
    off = run([group_task("data_team", permissions={"mayUseSomeFutureFeature": False})]).ok()
    assert off.result("manage group")["changed"] is True and dss.group("data_team")["mayUseSomeFutureFeature"] is False


def test_flags_this_dss_does_not_have_fail_before_any_write(run, dss, clean_emulator):
    tasks = [dict(group_task(name, task=name, permissions={"mayDoMagic": True}), ignore_errors=True) for name in ("ml_team", "data_team")]
    result = run(tasks)
    for name in ("ml_team", "data_team"):
        message = failures(result)[name]
        assert "this DSS has no permission flag mayDoMagic" in message and "mayCreateProjects" in message
    assert clean_emulator.writes() == []
    assert dss.group("ml_team") is None


def test_bad_input_fails_before_any_request(run, clean_emulator):
    cases = [
        (dict(name="bad name"), "DSS allows only letters, digits and . _ - @"),
        (dict(permissions={"may_create_projects": True}), "is not a DSS permission flag name"),
        (dict(permissions={"mayCreateProjects": "perhaps"}), "must be true or false"),
        (dict(may_create_projects=True, permissions={"mayCreateProjects": False}), "contradicts option may_create_projects"),
        (dict(can_obtain_api_ticket_from_cookies_for_groups_regex="(unclosed"), "is not a regular expression"),
        (dict(ldap_group_names=["ok", " "]), "ldap_group_names must not contain empty names"),
    ]
    tasks = [dict(group_task(task=f"case {index}", **options), ignore_errors=True) for index, (options, _msg) in enumerate(cases)]
    result = run(tasks)
    for index, (options, expected) in enumerate(cases):
        assert failures(result)[f"case {index}"] and expected in failures(result)[f"case {index}"], (options, result.stdout)
    assert "Traceback" not in result.stdout
    assert clean_emulator.requests() == []


def test_scalar_fields_and_mappings(run, dss):
    options = dict(description="SSO users", admin=False, source_type="LOCAL_NO_AUTH", sso_group_names=["sso-analytics"],
                   can_obtain_api_ticket_from_cookies_for_groups_regex="^analysts$")
    run([group_task("sso_team", **options)]).ok()
    stored = dss.group("sso_team")
    assert stored["sourceType"] == "LOCAL_NO_AUTH" and stored["ssoGroupNames"] == ["sso-analytics"]
    assert stored["canObtainAPITicketFromCookiesForGroupsRegex"] == "^analysts$"
    assert run([group_task("sso_team", **options)]).ok().result("manage group")["changed"] is False
    cleared = run([group_task("sso_team", sso_group_names=[], description="")], diff=True).ok().result("manage group")
    assert cleared["changed"] is True and cleared["diff"]["after"]["sso_group_names"] == []
    assert dss.group("sso_team")["ssoGroupNames"] == [] and dss.group("sso_team")["ldapGroupNames"] == []


def test_admin_flag_and_drift_shown_in_check_diff(run, dss, clean_emulator):
    run([group_task(**ML_TEAM)]).ok()
    dss.edit_group("ml_team", mayCreateProjects=False, admin=True)
    clean_emulator.clear_log()
    audit = run([group_task(**ML_TEAM, admin=False)], check=True, diff=True).ok().result("manage group")
    assert clean_emulator.writes() == []
    assert audit["changed"] is True
    before, after = audit["diff"]["before"], audit["diff"]["after"]
    assert before["admin"] is True and after["admin"] is False
    assert before["permissions"]["mayCreateProjects"] is False and after["permissions"]["mayCreateProjects"] is True


def test_absent_deletes_idempotently_and_removes_members(run, dss, clean_emulator):
    run([group_task(**ML_TEAM)]).ok()
    dss.create_user("member", groups=["ml_team", "readers"])
    clean_emulator.clear_log()
    assert run([group_task(state="absent")], check=True).ok().result("manage group")["changed"] is True
    assert clean_emulator.writes() == []
    gone = run([group_task(state="absent")]).ok().result("manage group")
    assert gone["changed"] is True and gone["group"] is None
    assert dss.group("ml_team") is None and dss.user("member")["groups"] == ["readers"]
    assert run([group_task(state="absent")]).ok().result("manage group")["changed"] is False


def test_non_admin_key_fails_clearly(run, clean_emulator):
    failed = run([group_task(**ML_TEAM)], dss_key=USER_KEY)
    assert failed.rc != 0
    result = failed.result("manage group")
    assert result["status"] == 403 and "not a DSS administrator" in result["msg"]
    assert clean_emulator.writes() == []
