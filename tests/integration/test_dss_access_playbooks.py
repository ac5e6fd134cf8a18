"""dataops.iam.dss_access, driven by real ansible-playbook runs against the emulator's DSS API: a new team converges
in one task, a re-run is two reads, a --check plan is exactly the real run's writes (read from the emulator's request
log), purges with protect, the guards, bad input refused before any request, no password in the output."""

from __future__ import annotations

import pytest
import yaml

from dss_api import failures

#: The entries' sub-options (their defaults, no_log passwords, the raw purge_users) are validated by the worker's
#: validator or by AnsibleModule: both paths run these (`make integration-module-path`).
pytestmark = pytest.mark.both_paths

PASSWORD = "Team-Initial-Pa55-e41d"
PASSWORD_VAR = "{{ lookup('ansible.builtin.env', 'TEAM_PASSWORD') }}"
ENV = {"TEAM_PASSWORD": PASSWORD}
LISTINGS = [("GET", "/public/api/admin/groups/", {}), ("GET", "/public/api/admin/users/", {"includeSettings": "true"})]

TEAM_GROUPS = [
    {"name": "leads", "description": "Team leads", "may_create_projects": True, "may_manage_code_envs": True},
    {"name": "scientists", "ldap_group_names": ["cn=ds,ou=groups,dc=example,dc=com"], "permissions": {"mayWriteUnsafeCode": True}},
]
TEAM_USERS = [
    {"login": "maria", "display_name": "Maria Rossi", "email": "maria@example.com", "user_profile": "DESIGNER",
     "groups": ["leads", "scientists"], "password": PASSWORD_VAR, "user_properties": {"team": "analytics"}},
    {"login": "tom", "groups": ["scientists"], "password": PASSWORD_VAR, "enabled": False},
    {"login": "analyst", "groups": ["data_team", "scientists"]},
]


def access(name="model", **options):
    return {"name": name, "dataops.iam.dss_access": options, "register": "model"}


def team(**extra):
    return access(groups=TEAM_GROUPS, users=TEAM_USERS, **extra)


def requests(emulator):
    return [(entry["method"], entry["path"], entry["query"]) for entry in emulator.requests()]


def written_rows(emulator):
    """The emulator's write log as plan rows (kind, name, operation): a POST and the PUT of the same object right
    after it (the flags or settings a POST does not take) are one creation."""
    rows: list = []
    for entry in emulator.writes():
        assert entry["status"] < 400, entry
        path = entry["path"].split("/api", 1)[-1]
        kind = "group" if path.startswith("/admin/groups") else "user"
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if entry["method"] == "POST":
            name = entry["body"]["name" if kind == "group" else "login"]
            rows.append((kind, name, "create"))
        elif entry["method"] == "PUT" and rows and rows[-1] == (kind, name, "create"):
            continue
        else:
            rows.append((kind, name, "update" if entry["method"] == "PUT" else "delete"))
    return rows


def planned_writes(plan):
    """The rows of a plan that change something, as (kind, name, operation)."""
    operation = {"create": "create", "update": "update", "delete": "delete"}
    rows = []
    for row in plan:
        if row["action"] == "purge":
            rows.append((row["kind"], row["name"], "update" if row["reason"].endswith("disable") else "delete"))
        elif row["action"] in operation:
            rows.append((row["kind"], row["name"], operation[row["action"]]))
    return rows


def check_then_apply(run, emulator, task, **kwargs):
    """--check (nothing written), then the real run: its writes are exactly the check's plan, in order."""
    emulator.clear_log()
    checked = run([task], check=True, diff=True, env=ENV, **kwargs).ok().result(task["name"])
    assert emulator.writes() == [], "check mode writes nothing"
    emulator.clear_log()
    applied = run([task], env=ENV, **kwargs).ok().result(task["name"])
    assert applied["plan"] == checked["plan"]
    assert written_rows(emulator) == planned_writes(checked["plan"]) != []
    return checked, applied


def test_a_new_team_converges_in_one_task_and_a_rerun_is_two_reads(run, dss, clean_emulator):
    checked, applied = check_then_apply(run, clean_emulator, team())
    assert [(row["kind"], row["name"], row["action"]) for row in applied["plan"]] == [
        ("group", "leads", "create"), ("group", "scientists", "create"),
        ("user", "maria", "create"), ("user", "tom", "create"), ("user", "analyst", "update"),
    ]
    assert applied["plan"][4]["reason"] == "differs: groups"
    assert applied["changed"] is True and applied["counts"]["create"] == 4
    assert checked["diff"]["after"]["users"]["maria"]["password"] == "(set)"
    maria = dss.user("maria")
    assert sorted(maria["groups"]) == ["leads", "scientists"] and maria["userProfile"] == "DESIGNER"
    assert maria["userProperties"] == {"team": "analytics"} and dss.password_is("maria", PASSWORD)
    assert dss.user("tom")["enabled"] is False and sorted(dss.user("analyst")["groups"]) == ["data_team", "scientists"]
    assert dss.group("leads")["mayManageCodeEnvs"] is True and dss.group("scientists")["mayWriteUnsafeCode"] is True
    assert {g["name"] for g in applied["groups"]} >= {"leads", "scientists"}
    assert all("password" not in u for u in applied["users"])

    clean_emulator.clear_log()
    again = run([team()], env=ENV).ok()
    assert again.recap["changed"] == 0
    assert {row["action"] for row in again.result("model")["plan"]} == {"unchanged"}
    assert requests(clean_emulator) == LISTINGS, "a re-run is the two listings, nothing else"


def test_drift_is_an_update_row_naming_the_fields(run, dss, clean_emulator):
    run([team()], env=ENV).ok()
    dss.edit_group("leads", mayManageCodeEnvs=False, description="edited")
    dss.edit_user("maria", displayName="M.", groups=["leads"])
    checked = check_then_apply(run, clean_emulator, team())[0]
    reasons = {row["name"]: row["reason"] for row in checked["plan"] if row["action"] == "update"}
    assert reasons == {"leads": "differs: description, permissions.mayManageCodeEnvs", "maria": "differs: display_name, groups"}


def test_purge_users_disable_then_delete_with_protect_by_name_and_regex(run, dss, clean_emulator):
    for login in ("svc-etl", "svc-bi", "old.contractor", "intern"):
        dss.create_user(login, groups=["readers"])
    dss.edit_user("intern", enabled=False)
    model = access(users=[{"login": "analyst"}], purge_users="disable", protect=["svc-.*", "analyst"])
    checked = check_then_apply(run, clean_emulator, model)[0]
    rows = {row["name"]: (row["action"], row["reason"]) for row in checked["plan"]}
    assert rows["old.contractor"] == ("purge", "not in the model: disable")
    assert rows["intern"] == ("unchanged", "not in the model; already disabled")
    assert rows["svc-etl"] == rows["svc-bi"] == ("protected", "protect: 'svc-.*'")
    assert rows["analyst"] == ("unchanged", ""), "a model entry is not a purge, even when protect names it"
    assert rows["admin"][0] == "protected" and "the user of the API key" in rows["admin"][1]
    assert dss.user("old.contractor")["enabled"] is False and dss.user("svc-etl")["enabled"] is True

    deleting = access(users=[{"login": "analyst"}], purge_users="delete", protect=["svc-etl"])
    checked = check_then_apply(run, clean_emulator, deleting)[0]
    purged = sorted(row["name"] for row in checked["plan"] if row["action"] == "purge")
    assert purged == ["intern", "old.contractor", "svc-bi"]
    assert set(dss.logins()) == {"admin", "analyst", "svc-etl"}


def test_purge_groups_deletes_groups_after_the_users_and_protects_what_they_need(run, dss, clean_emulator):
    dss.create_group("legacy")
    dss.create_group("ops-audit")
    dss.create_user("old.contractor", groups=["legacy"])
    model = access(groups=[{"name": "team"}], users=[{"login": "analyst"}], purge_users="delete", purge_groups=True,
                   protect=["ops-.*"])
    checked = check_then_apply(run, clean_emulator, model)[0]
    rows = [(row["kind"], row["name"], row["action"]) for row in checked["plan"]]
    assert rows.index(("user", "old.contractor", "purge")) < rows.index(("group", "legacy", "purge"))
    assert ("group", "data_team", "protected") in rows, "analyst, a user of the model, is in it"
    assert ("group", "ops-audit", "protected") in rows and ("group", "readers", "purge") in rows
    assert ("group", "administrators", "protected") in rows and ("user", "admin", "protected") in rows
    assert sorted(clean_emulator.state()["dss"]["groups"]) == ["administrators", "data_team", "ops-audit", "team"]


def test_the_guards_protect_the_keys_user_and_its_last_admin_group_and_refuse_an_explicit_disable(run, dss, clean_emulator):
    clean_emulator.clear_log()
    purge = run([access(groups=[], users=[], purge_users="delete", purge_groups=True)], check=True).ok().result("model")
    rows = {row["name"]: row for row in purge["plan"]}
    assert rows["admin"]["action"] == "protected" and "allow_self_deletion: true" in rows["admin"]["reason"]
    assert rows["administrators"]["action"] == "protected" and "only admin group" in rows["administrators"]["reason"]
    assert rows["analyst"]["action"] == "purge"

    clean_emulator.clear_log()
    for check in (True, False):
        refused = run([access(groups=[{"name": "new_team"}], users=[{"login": "admin", "enabled": False}])], check=check)
        assert refused.rc != 0
        message = failures(refused)["model"]
        assert "users[0] (admin): Refusing to change DSS user 'admin': enabled: false would disable user 'admin'" in message
        assert "nothing was changed" in message and "Traceback" not in refused.stdout + refused.stderr
    assert clean_emulator.writes() == [], "not even the group the plan creates first"
    assert dss.user("admin")["enabled"] is True and dss.group("new_team") is None


def test_bad_input_fails_before_any_request_naming_each_entry(run, clean_emulator):
    cases = [
        (access(users=[{"login": "jdoe", "password": "x-Pa55-long"}, {"login": "jdoe"}]),
         ["login 'jdoe' is in the model more than once: users[0] (jdoe), users[1] (jdoe)"]),
        (access(groups=[{"name": "ok"}], users=[{"login": "bob", "email": "bob-at-example"}, {"login": "a b"}]),
         ["users[0] (bob): email 'bob-at-example' is not an e-mail address", "users[1] (a b): login 'a b' contains"]),
        (access(users=[], purge_users="yes"), ["purge_users must be false (no purge), disable or delete"]),
        (access(users=[{"login": "bob", "source_type": "BOGUS"}]), ["source_type must be one of", "found in users"]),
    ]
    for task, words in cases:
        clean_emulator.clear_log()
        outcome = run([task])
        assert outcome.rc != 0
        message = failures(outcome)["model"]
        assert all(word in message for word in words), message
        assert message.count("Invalid DSS access model") <= 1
        assert clean_emulator.requests() == [], "refused before any request"


def test_purge_users_off_spellings_purge_nothing(run, dss, clean_emulator):
    dss.create_user("old.contractor")
    for value in (False, "false", "no"):
        result = run([access(users=[{"login": "analyst"}], purge_users=value)]).ok().result("model")
        assert [row["name"] for row in result["plan"]] == ["analyst"] and result["changed"] is False


def test_passwords_never_appear_in_the_output_at_vvvv(run, dss, clean_emulator):
    outcome = run([team()], diff=True, verbosity=4, env=ENV).ok()
    output = outcome.stdout + outcome.stderr
    assert PASSWORD not in output
    assert '"password": "(set)"' in output
    rotate = access(users=[{"login": "maria", "password": "{{ lookup('ansible.builtin.env', 'ROTATED_PASSWORD') }}",
                            "update_password": "always"}])
    rotated = run([rotate], diff=True, verbosity=4, env={"ROTATED_PASSWORD": "Rotated-Pa55-7c21"}).ok()
    assert "Rotated-Pa55-7c21" not in rotated.stdout + rotated.stderr and '"password": "(changed)"' in rotated.stdout
    assert dss.password_is("maria", "Rotated-Pa55-7c21")


def test_a_write_that_fails_midway_says_which_rows_were_done(run, dss, clean_emulator):
    clean_emulator.inject(method="POST", path="/public/api/admin/users/", status=400, message="refused by a test", times=1)
    failed = run([team()], env=ENV)
    assert failed.rc != 0
    result = failed.result("model")
    assert "Managing the DSS access model failed" in result["msg"] and result["changed"] is True
    assert [(row["kind"], row["name"]) for row in result["done"]] == [("group", "leads"), ("group", "scientists")]
    assert result["failed_row"] == {"kind": "user", "name": "maria", "action": "create", "reason": "not in DSS"}
    assert len(result["plan"]) == 5 and dss.group("leads") is not None and dss.user("maria") is None
    finished = run([team()], env=ENV).ok().result("model")
    assert [row["action"] for row in finished["plan"]] == ["unchanged", "unchanged", "create", "create", "update"]


def test_a_model_file_is_read_and_checked_like_the_options(run, dss, clean_emulator, tmp_path):
    model = tmp_path / "dss-model.yml"
    model.write_text(yaml.safe_dump({
        "groups": [{"name": "file_team", "description": "From a file"}],
        "users": [{"login": "filer", "password": "Filer-Pa55-x1", "groups": ["file_team"]}],
    }))
    options = {"src": str(model), "purge_users": "disable", "protect": ["admin", "analyst", ".*"]}
    task = {"name": "model", "dataops.iam.dss_access": options}
    clean_emulator.clear_log()
    checked = run([task], check=True).ok().result("model")
    assert clean_emulator.writes() == []
    done = run([task]).ok().result("model")
    assert done["plan"] == checked["plan"] and dss.group("file_team") is not None
    assert "Filer-Pa55-x1" not in str(done)
    assert run([task]).ok().result("model")["changed"] is False
    model.write_text(yaml.safe_dump({"users": [{"login": "bad login!"}, {"login": "x", "colour": 1}]}))
    clean_emulator.clear_log()
    bad = run([task])
    assert bad.rc != 0 and clean_emulator.requests() == []
    assert "Invalid model in" in bad.result("model")["msg"] and "colour" in bad.result("model")["msg"]
