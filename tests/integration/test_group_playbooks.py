"""dataops.iam.group and group_info, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}
ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [3, 1, 2]}}}}


def group_task(name="data-engineers", **options):
    options.setdefault("capabilities", [GROUPS_LIST, ASSETS_READ])
    return {"name": "manage group", "dataops.iam.group": {"name": name, **options}}


def test_create_then_rerun_is_unchanged_and_check_mode_writes_nothing(run, cdf, clean_emulator):
    first = run([group_task(source_id="idp-engineers", metadata={"owner": "platform"})]).ok()
    created = first.result("manage group")
    assert created["changed"] is True
    assert created["group"]["id"] > 0
    [stored] = cdf.groups("data-engineers")
    assert stored["id"] == created["group"]["id"]
    assert stored["sourceId"] == "idp-engineers"
    assert stored["metadata"] == {"owner": "platform"}

    second = run([group_task(source_id="idp-engineers", metadata={"owner": "platform"})]).ok()
    assert second.result("manage group")["changed"] is False
    assert second.recap["changed"] == 0
    assert second.result("manage group")["group"]["id"] == stored["id"]

    clean_emulator.clear_log()
    checked = run([group_task(source_id="idp-engineers", metadata={"owner": "platform"})], check=True).ok()
    assert checked.result("manage group")["changed"] is False
    assert clean_emulator.writes() == []


def test_check_mode_create_predicts_change_and_writes_nothing(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    result = run([group_task()], check=True, diff=True).ok().result("manage group")
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert "assetsAcl: READ [datasetScope: 1, 2, 3]" in result["diff"]["after"]["capabilities"]
    assert clean_emulator.writes() == []
    assert cdf.groups("data-engineers") == []


def test_order_duplicates_and_string_ids_never_cause_a_change(run, cdf):
    run([group_task()]).ok()
    shuffled = [
        {"assetsAcl": {"actions": ["READ", "READ"], "scope": {"datasetScope": {"ids": ["2", 1, 3, 3]}}}},
        {"groupsAcl": {"actions": ["READ", "LIST"], "scope": {"all": {}}}},
    ]
    result = run([group_task(capabilities=shuffled)]).ok().result("manage group")
    assert result["changed"] is False


def test_raw_whole_database_spellings_are_one_meaning(run, cdf):
    whole_db = {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"landing": {"tables": []}}}}}}
    run([group_task(capabilities=[whole_db])]).ok()
    stored = cdf.groups("data-engineers")[0]["capabilities"][0]["rawAcl"]["scope"]["tableScope"]["dbsToTables"]
    assert stored == {"landing": {}}, "the emulator returns the API's short form, which the module must normalise"
    as_list = {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"landing": []}}}}}
    assert run([group_task(capabilities=[as_list])]).ok().result("manage group")["changed"] is False


def test_a_real_change_replaces_the_group_create_first_then_delete(run, cdf, clean_emulator):
    old = run([group_task(metadata={"owner": "platform"})]).ok().result("manage group")["group"]
    clean_emulator.clear_log()
    wider = [GROUPS_LIST, {"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"datasetScope": {"ids": [1, 2, 3]}}}}]
    result = run([group_task(capabilities=wider)], diff=True).ok().result("manage group")
    assert result["changed"] is True
    assert result["previous_id"] == old["id"]
    assert result["deleted_ids"] == [old["id"]]
    assert result["group"]["id"] != old["id"]
    [stored] = cdf.groups("data-engineers")
    assert stored["id"] == result["group"]["id"]
    assert stored["metadata"] == {"owner": "platform"}, "metadata the task does not set is kept on replacement"
    writes = [(entry["method"], entry["path"]) for entry in clean_emulator.writes()]
    assert [path.rsplit("/", 1)[-1] for _method, path in writes] == ["groups", "delete"], "create first, then delete"
    assert result["diff"]["before"]["capabilities"] != result["diff"]["after"]["capabilities"]
    assert "assetsAcl: READ, WRITE [datasetScope: 1, 2, 3]" in result["diff"]["after"]["capabilities"]


def test_check_mode_replacement_names_what_would_go_and_writes_nothing(run, cdf, clean_emulator):
    old = run([group_task()]).ok().result("manage group")["group"]
    clean_emulator.clear_log()
    result = run([group_task(capabilities=[GROUPS_LIST])], check=True).ok().result("manage group")
    assert result["changed"] is True
    assert result["previous_id"] == old["id"]
    assert result["deleted_ids"] == [old["id"]]
    assert clean_emulator.writes() == []
    assert cdf.groups("data-engineers")[0]["id"] == old["id"]


def test_options_left_out_are_not_compared(run, cdf):
    run([group_task(metadata={"owner": "platform"}, source_id="idp-1")]).ok()
    bare = {"name": "manage group", "dataops.iam.group": {"name": "data-engineers"}}
    assert run([bare]).ok().result("manage group")["changed"] is False


def test_drift_made_by_hand_shows_exactly_that_drift_in_check_diff(run, cdf, clean_emulator):
    tasks = [
        {"name": "engineers", "dataops.iam.group": {"name": "engineers", "capabilities": [GROUPS_LIST]}},
        {"name": "analysts", "dataops.iam.group": {"name": "analysts", "capabilities": [ASSETS_READ]}},
    ]
    run(tasks).ok()
    old = cdf.groups("analysts")[0]
    extra = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
    cdf.create_group(name="analysts", capabilities=old["capabilities"] + [extra])
    cdf.delete_groups(old["id"])
    clean_emulator.clear_log()

    audit = run(tasks, check=True, diff=True).ok()
    assert clean_emulator.writes() == []
    assert audit.result("engineers")["changed"] is False
    drift = audit.result("analysts")
    assert drift["changed"] is True
    before, after = drift["diff"]["before"], drift["diff"]["after"]
    assert set(before["capabilities"]) - set(after["capabilities"]) == {"eventsAcl: READ [all]"}
    assert set(after["capabilities"]) - set(before["capabilities"]) == set()
    assert {k: v for k, v in before.items() if k != "capabilities"} == {k: v for k, v in after.items() if k != "capabilities"}
    assert "eventsAcl: READ [all]" in audit.stdout


def test_absent_deletes_and_is_idempotent(run, cdf, clean_emulator):
    run([group_task()]).ok()
    absent = {"name": "manage group", "dataops.iam.group": {"name": "data-engineers", "state": "absent"}}
    clean_emulator.clear_log()
    assert run([absent], check=True).ok().result("manage group")["changed"] is True
    assert clean_emulator.writes() == []
    result = run([absent]).ok().result("manage group")
    assert result["changed"] is True and result["group"] is None
    assert cdf.groups("data-engineers") == []
    assert run([absent]).ok().result("manage group")["changed"] is False


def test_several_groups_with_one_name_fail_unless_consolidating(run, cdf, clean_emulator):
    first = cdf.create_group(name="twins", capabilities=[GROUPS_LIST])
    second = cdf.create_group(name="twins", capabilities=[ASSETS_READ])
    clean_emulator.clear_log()
    failed = run([group_task("twins", capabilities=[ASSETS_READ])])
    assert failed.rc != 0
    message = failed.result("manage group")["msg"]
    assert "2 groups are named 'twins'" in message and str(first["id"]) in message and str(second["id"]) in message
    assert clean_emulator.writes() == []

    result = run([group_task("twins", capabilities=[ASSETS_READ], on_duplicates="consolidate")]).ok()
    kept = result.result("manage group")
    assert kept["group"]["id"] == second["id"], "the group that already matches is kept"
    assert kept["deleted_ids"] == [first["id"]]
    assert [group["id"] for group in cdf.groups("twins")] == [second["id"]]


def test_bad_input_fails_before_any_write(run, clean_emulator):
    cases = [
        (group_task(capabilities=[{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}]), "actions must be a non-empty list"),
        (group_task(capabilities=[{"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["x"]}}}}]), "ids"),
        (group_task(source_id="idp", members=["user-1"]), "mutually exclusive"),
        (group_task(metadata={"k" * 40: "v"}), "metadata key"),
        (group_task(name=" "), "name must not be empty"),
    ]
    for task, expected in cases:
        clean_emulator.clear_log()
        outcome = run([task])
        assert outcome.rc != 0
        message = outcome.result("manage group")["msg"]
        assert expected in message, message
        assert "Traceback" not in outcome.stdout + outcome.stderr
        assert clean_emulator.writes() == []


def test_unknown_acl_is_kept_compared_and_warned_about(run, cdf):
    future = {"futureThingsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
    first = run([group_task(capabilities=[future])]).ok()
    assert any("futureThingsAcl" in warning for warning in first.result("manage group").get("warnings", []))
    assert "futureThingsAcl" in cdf.groups("data-engineers")[0]["capabilities"][0]
    assert run([group_task(capabilities=[future])]).ok().result("manage group")["changed"] is False


def test_members_are_managed_as_a_set(run, cdf):
    run([group_task(members=["user-b", "user-a"])]).ok()
    assert sorted(cdf.groups("data-engineers")[0]["members"]) == ["user-a", "user-b"]
    assert run([group_task(members=["user-a", "user-b", "user-a"])]).ok().result("manage group")["changed"] is False
    everyone = run([group_task(members=["allUserAccounts"])]).ok().result("manage group")
    assert everyone["changed"] is True
    assert cdf.groups("data-engineers")[0]["members"] == "allUserAccounts"


def test_a_caller_without_rights_gets_a_clear_refusal_before_any_write(run, clean_emulator):
    clean_emulator.clear_log()
    outcome = run([group_task()], client=("reader", "reader-secret"))
    assert outcome.rc != 0
    message = outcome.result("manage group")["msg"]
    assert "Refusing to create group 'data-engineers'" in message and "lack groupsAcl: CREATE [all]" in message
    assert clean_emulator.writes() == [], "token inspection showed the missing right: nothing was sent"


def test_wrong_credentials_fail_with_a_clear_message_without_the_secret(run):
    outcome = run([group_task()], client=("admin", "not-the-secret"))
    assert outcome.rc != 0
    message = outcome.result("manage group")["msg"]
    assert "token" in message and "401" in message
    assert "not-the-secret" not in outcome.stdout + outcome.stderr


def test_group_info_lists_all_or_by_name(run, cdf):
    run([group_task()]).ok()
    tasks = [
        {"name": "all", "dataops.iam.group_info": {}},
        {"name": "one", "dataops.iam.group_info": {"name": "data-engineers"}},
    ]
    outcome = run(tasks).ok()
    names = [group["name"] for group in outcome.result("all")["groups"]]
    assert {"admins", "readers", "data-engineers"} <= set(names)
    assert [group["name"] for group in outcome.result("one")["groups"]] == ["data-engineers"]
    assert outcome.recap["changed"] == 0
