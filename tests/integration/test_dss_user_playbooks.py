"""dataops.iam.dss_user, driven by real ansible-playbook runs against the emulator's DSS API."""

from __future__ import annotations

from dss_api import USER_KEY, dss_writes, failures

PASSWORD = "Initial-Pa55word-7f3c"


def user_task(login="jdoe", name="manage user", **options):
    return {"name": name, "dataops.iam.dss_user": {"login": login, **options}}


JDOE = dict(display_name="Jane Doe", email="jane@example.com", groups=["data_team", "readers"],
            user_profile="DATA_SCIENTIST", password=PASSWORD, user_properties={"team": "forecasting"})


def test_create_rerun_unchanged_and_check_mode_writes_nothing(run, dss, clean_emulator):
    first = run([user_task(**JDOE)]).ok()
    result = first.result("manage user")
    assert result["changed"] is True and result["password_sent"] is True
    stored = dss.user("jdoe")
    assert stored["displayName"] == "Jane Doe" and stored["email"] == "jane@example.com"
    assert sorted(stored["groups"]) == ["data_team", "readers"] and stored["userProfile"] == "DATA_SCIENTIST"
    assert stored["userProperties"] == {"team": "forecasting"} and stored["enabled"] is True
    assert dss.password_is("jdoe", PASSWORD)
    assert dss_writes(clean_emulator) == [("POST", "/admin/users/"), ("PUT", "/admin/users/jdoe")]
    assert "password" not in result["user"]

    clean_emulator.clear_log()
    second = run([user_task(**JDOE)]).ok()
    assert second.recap["changed"] == 0
    assert second.result("manage user")["password_sent"] is False
    assert [(e["method"], e["path"]) for e in clean_emulator.requests()] == [("GET", "/public/api/admin/users/jdoe")], "a re-run is one read"

    clean_emulator.clear_log()
    checked = run([user_task(**JDOE)], check=True, diff=True).ok()
    assert checked.result("manage user")["changed"] is False
    assert clean_emulator.writes() == []


def test_check_mode_create_predicts_the_user_and_shows_no_password(run, dss, clean_emulator):
    result = run([user_task(**JDOE)], check=True, diff=True).ok()
    task = result.result("manage user")
    assert task["changed"] is True and task["diff"]["before"] == {}
    after = task["diff"]["after"]
    assert after["password"] == "(set)" and after["groups"] == ["data_team", "readers"]
    assert clean_emulator.writes() == [] and dss.user("jdoe") is None
    assert PASSWORD not in result.stdout + result.stderr


def test_password_never_appears_at_any_verbosity(run, dss):
    rotated = "{{ lookup('ansible.builtin.env', 'ROTATED') }}"
    tasks = [user_task(**JDOE), user_task(name="rotate", login="jdoe", password=rotated, update_password="always")]
    result = run(tasks, diff=True, verbosity=4, env={"ROTATED": "Rotated-Pa55-91ab"}).ok()
    assert dss.password_is("jdoe", "Rotated-Pa55-91ab")
    output = result.stdout + result.stderr
    assert PASSWORD not in output and "Rotated-Pa55-91ab" not in output
    assert "dss-admin-key" not in output
    assert '"password": "(changed)"' in output


def test_only_named_fields_are_compared_and_everything_else_is_kept(run, dss, clean_emulator):
    before = dss.edit_user("analyst", preferences={**dss.user("analyst")["preferences"], "uiLanguage": "fr"})
    clean_emulator.clear_log()
    result = run([user_task("analyst", display_name="Ana L.")], diff=True).ok().result("manage user")
    assert result["changed"] is True
    assert result["diff"]["before"]["display_name"] == "Ana Lyst" and result["diff"]["after"]["display_name"] == "Ana L."
    assert {k: v for k, v in result["diff"]["before"].items() if k != "display_name"} == {
        k: v for k, v in result["diff"]["after"].items() if k != "display_name"
    }
    after = dss.user("analyst")
    assert after["displayName"] == "Ana L."
    for field in ("preferences", "userProperties", "adminProperties", "secrets", "groups", "email", "userProfile"):
        assert after[field] == before[field], field
    assert dss.password_is("analyst", "analyst-password")
    [(method, path)] = dss_writes(clean_emulator)
    assert (method, path) == ("PUT", "/admin/users/analyst")
    put = clean_emulator.writes()[0]["body"]
    assert [(item["name"], "value" in item) for item in put["secrets"]] == [("warehouse-token", False)], "as DSS returned it"
    assert put["preferences"]["uiLanguage"] == "fr" and put["creationDate"] == before["creationDate"]
    bare = run([user_task("analyst")]).ok().result("manage user")
    assert bare["changed"] is False


def test_groups_exact_or_appended_order_and_duplicates_do_not_matter(run, dss):
    run([user_task(**JDOE)]).ok()
    same = run([user_task(groups=["readers", "data_team", "readers"])]).ok().result("manage user")
    assert same["changed"] is False
    appended = run([user_task(groups=["administrators"], append_groups=True)]).ok().result("manage user")
    assert appended["changed"] is True
    assert dss.user("jdoe")["groups"] == ["data_team", "readers", "administrators"]
    assert run([user_task(groups=["readers"], append_groups=True)]).ok().result("manage user")["changed"] is False
    exact = run([user_task(groups=["readers"])], diff=True).ok().result("manage user")
    assert exact["diff"]["after"]["groups"] == ["readers"]
    assert dss.user("jdoe")["groups"] == ["readers"]
    assert run([user_task(groups=[])]).ok().result("manage user")["changed"] is True
    assert dss.user("jdoe")["groups"] == []


def test_properties_merge_key_by_key_and_null_removes(run, dss):
    run([user_task("analyst", user_properties={"office": "oslo"}, admin_properties={"grade": "7"})]).ok()
    user = dss.user("analyst")
    assert user["userProperties"] == {"team": "analytics", "office": "oslo"}
    assert user["adminProperties"] == {"costCenter": "cc-42", "grade": "7"}
    again = run([user_task("analyst", user_properties={"office": "oslo"})]).ok().result("manage user")
    assert again["changed"] is False
    removed = run([user_task("analyst", user_properties={"team": None}, admin_properties={"nope": None})]).ok()
    assert removed.result("manage user")["changed"] is True
    user = dss.user("analyst")
    assert user["userProperties"] == {"office": "oslo"} and user["adminProperties"] == {"costCenter": "cc-42", "grade": "7"}


def test_update_password_on_create_never_changes_and_always_rotates(run, dss, clean_emulator):
    run([user_task(**JDOE)]).ok()
    other = {**JDOE, "password": "Another-Pa55-2b9e"}
    assert run([user_task(**other)]).ok().result("manage user")["changed"] is False
    assert dss.password_is("jdoe", PASSWORD)
    clean_emulator.clear_log()
    rotated = run([user_task(**other, update_password="always")], diff=True).ok().result("manage user")
    assert rotated["changed"] is True and rotated["password_sent"] is True
    assert rotated["diff"]["after"]["password"] == "(changed)" and "password" not in rotated["diff"]["before"]
    assert dss.password_is("jdoe", "Another-Pa55-2b9e")
    assert clean_emulator.writes()[0]["body"]["password"] == "***"
    assert run([user_task(**other, update_password="always")]).ok().result("manage user")["changed"] is True


def test_enabled_false_on_create_and_toggle(run, dss):
    run([user_task(**JDOE, enabled=False)]).ok()
    assert dss.user("jdoe")["enabled"] is False
    assert run([user_task(enabled=False)]).ok().result("manage user")["changed"] is False
    assert run([user_task(enabled=True)]).ok().result("manage user")["changed"] is True
    assert dss.user("jdoe")["enabled"] is True


def test_profile_is_checked_against_the_licence(run, dss, clean_emulator):
    failed = run([user_task(**{**JDOE, "user_profile": "EXPLORER"})])
    assert failed.rc != 0
    message = failed.result("manage user")["msg"]
    assert "EXPLORER" in message and "DATA_SCIENTIST, DATA_ANALYST, READER" in message and "DATA_DESIGNER" in message
    assert clean_emulator.writes() == []
    dss.set_profiles(["FULL_DESIGNER", "GOVERNANCE_MANAGER"])
    run([user_task(**{**JDOE, "user_profile": "GOVERNANCE_MANAGER"})]).ok()
    assert dss.user("jdoe")["userProfile"] == "GOVERNANCE_MANAGER"
    run([user_task("newbie", password=PASSWORD)]).ok()
    assert dss.user("newbie")["userProfile"] == "FULL_DESIGNER", "a new user gets the licence's first profile"
    assert dss.user("newbie")["displayName"] == "newbie"


def test_groups_that_do_not_exist_fail_before_any_write(run, dss, clean_emulator):
    failed = run([user_task(**{**JDOE, "groups": ["readers", "ghosts", "phantoms"]})])
    assert failed.rc != 0
    assert "groups ghosts, phantoms do not exist in DSS" in failed.result("manage user")["msg"]
    assert clean_emulator.writes() == [] and dss.user("jdoe") is None


def test_bad_input_fails_before_any_request(run, clean_emulator):
    password = "{{ lookup('ansible.builtin.env', 'PASSWORD') }}"  # Ansible's error context shows the task's source
    cases = [
        (dict(login="a/b", password=password), "DSS allows only letters, digits and . _ - @"),
        (dict(login="ok", groups=["bad group"], password=password), "groups: group 'bad group'"),
        (dict(login="ok", email="not-an-address"), "is not an e-mail address"),
        (dict(login="ok", user_properties={"n": 3}), "user_properties['n'] must be a string"),
        (dict(login="ok", source_type="LDAP", password=password), "password applies to LOCAL users only"),
    ]
    tasks = [dict(user_task(name=f"case {index}", **options), ignore_errors=True) for index, (options, _msg) in enumerate(cases)]
    result = run(tasks, env={"PASSWORD": PASSWORD})
    for index, (options, expected) in enumerate(cases):
        assert failures(result)[f"case {index}"] and expected in failures(result)[f"case {index}"], (options, result.stdout)
    assert "Traceback" not in result.stdout and PASSWORD not in result.stdout + result.stderr
    assert clean_emulator.requests() == []


def test_rules_that_need_the_current_user(run, dss, clean_emulator):
    dss.create_user("ldap.user", sourceType="LDAP")
    cases = [
        (user_task("nopw", name="case 0"), "creating the LOCAL user 'nopw' needs a password"),
        (user_task("ldap.user", name="case 1", source_type="LOCAL"), "is a LDAP user; this module does not change the source type"),
        (user_task("ldap.user", name="case 2", password=PASSWORD, update_password="always"), "its password lives in its user source"),
    ]
    clean_emulator.clear_log()
    result = run([dict(task, ignore_errors=True) for task, _msg in cases])
    for index, (_task, expected) in enumerate(cases):
        assert expected in failures(result).get(f"case {index}", ""), result.stdout
    assert clean_emulator.writes() == []
    created = run([user_task("sso.user", source_type="LOCAL_NO_AUTH", groups=["readers"])]).ok()
    assert created.result("manage user")["changed"] is True
    assert dss.user("sso.user")["sourceType"] == "LOCAL_NO_AUTH"


def test_absent_deletes_idempotently_and_refuses_the_keys_own_user(run, dss, clean_emulator):
    run([user_task(**JDOE)]).ok()
    clean_emulator.clear_log()
    assert run([user_task(state="absent")], check=True).ok().result("manage user")["changed"] is True
    assert clean_emulator.writes() == []
    gone = run([user_task(state="absent")], diff=True).ok().result("manage user")
    assert gone["changed"] is True and gone["user"] is None and gone["diff"]["after"] == {}
    assert dss.user("jdoe") is None
    assert run([user_task(state="absent")]).ok().result("manage user")["changed"] is False

    clean_emulator.clear_log()
    refused = run([user_task("admin", state="absent")])
    assert refused.rc != 0
    assert "it is the user of the API key this task uses" in refused.result("manage user")["msg"]
    assert clean_emulator.writes() == [] and dss.user("admin") is not None
    dss.edit_user("analyst", groups=["administrators"])
    run([user_task("analyst", state="absent", allow_self_deletion=True)], dss_key=USER_KEY).ok()
    assert dss.user("analyst") is None


def test_keys_without_rights_fail_clearly_and_never_show_the_key(run, clean_emulator):
    # As in real use, the key comes from outside the playbook (Ansible's error context shows the task's source).
    from_env = {"group/dataops.iam.dss": {"dss_url": clean_emulator.url, "api_key": "{{ lookup('ansible.builtin.env', 'KEY') }}"}}
    bad = run([user_task(**JDOE)], module_defaults=from_env, env={"KEY": "not-a-valid-key"}, verbosity=3)
    assert bad.rc != 0
    message = bad.result("manage user")["msg"]
    assert "HTTP 401" in message and "Unknown API Key" in message and "DSS did not accept the API key" in message
    assert bad.result("manage user")["error_code"] == "com.dataiku.dip.exceptions.NotAuthenticatedException"
    assert "not-a-valid-key" not in bad.stdout + bad.stderr
    reader = run([user_task(**JDOE)], dss_key=USER_KEY)
    assert reader.rc != 0
    assert "HTTP 403" in reader.result("manage user")["msg"] and "not a DSS administrator" in reader.result("manage user")["msg"]
    assert "Traceback" not in reader.stdout
    assert clean_emulator.writes() == []


def test_connection_from_environment_and_missing_options(run, dss, clean_emulator):
    env = {"DKU_DSS_URL": clean_emulator.url + "/dip/publicapi/", "DKU_API_KEY": "dss-admin-key"}
    no_defaults = {"group/dataops.iam.dss": {}}
    run([user_task(**JDOE)], module_defaults=no_defaults, env=env).ok()
    assert dss.user("jdoe") is not None
    missing = run([user_task(**JDOE)], module_defaults=no_defaults, env={"DKU_DSS_URL": "", "DKU_API_KEY": ""})
    assert missing.rc != 0
    message = missing.result("manage user")["msg"]
    assert "set dss_url (or DKU_DSS_URL)" in message and "set api_key (or DKU_API_KEY)" in message


def test_a_refused_write_is_no_change_and_properties_named_like_secrets_are_returned(run, dss, clean_emulator):
    dss.set_profiles(["AI_CONSUMER", "READER"])  # analyst's DATA_ANALYST is no longer licensed: DSS refuses any PUT
    refused = run([user_task("analyst", display_name="Analyst 2")])
    assert refused.rc != 0
    result = refused.result("manage user")
    assert "HTTP 400" in result["msg"] and result["changed"] is False, "a 400 wrote nothing: no change to report"
    dss.set_profiles(["DATA_SCIENTIST", "DATA_ANALYST", "READER"])
    kept = run([user_task(**{**JDOE, "user_properties": {"password": "a hint, not a secret", "value": "v"}})]).ok()
    assert kept.result("manage user")["user"]["userProperties"] == {"password": "a hint, not a secret", "value": "v"}


def test_a_dss_url_that_is_not_the_dss_api_fails_instead_of_finding_nothing(run, dss, clean_emulator):
    """A 404 from something else at dss_url must not read as "no such user": deleting would do nothing."""
    clean_emulator.clear_log()
    wrong = {"dss_url": clean_emulator.url + "/dss"}
    tasks = [user_task("analyst", state="absent", **wrong), user_task(".", name="dots")]
    failed = run([dict(task, ignore_errors=True) for task in tasks])
    messages = failures(failed)
    assert "check dss_url" in messages["manage user"] and "HTTP 404" in messages["manage user"]
    assert "'.' is not a name" in messages["dots"]
    assert clean_emulator.writes() == [] and dss.user("analyst") is not None
