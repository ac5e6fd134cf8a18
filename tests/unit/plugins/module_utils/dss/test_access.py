"""dss_access without a server: the model's problems (named by entry), the plan (its order, reasons, purges, protect,
the guards as protected rows), check mode writing nothing, the real run carrying out exactly the plan, the reads
(one listing of each kind), the diff and result without passwords, a failure midway leaving ``partial``, and the
module's documentation matching its argument spec down to the entries' sub-options."""

from __future__ import annotations

import copy

import pytest
import yaml

from ansible_collections.dataops.iam.plugins.doc_fragments.dss_access import ModuleDocFragment
from ansible_collections.dataops.iam.plugins.module_utils.dss import access, access_model
from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssApiError
from ansible_collections.dataops.iam.plugins.module_utils.dss.snapshot import SnapshotClient
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError
from ansible_collections.dataops.iam.plugins.modules import dss_access, dss_group, dss_user
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

FLAGS = {"mayCreateProjects": False, "mayWriteUnsafeCode": False}
PASSWORD = "Unit-Test-Pa55word"


def group(name, **fields):
    return dict({"name": name, "description": None, "sourceType": "LOCAL", "admin": False, "ldapGroupNames": []}, **FLAGS, **fields)


def user(login, **fields):
    return dict({"login": login, "displayName": login, "email": None, "sourceType": "LOCAL", "groups": [], "enabled": True,
                 "userProfile": "READER", "userProperties": {}, "adminProperties": {}, "secrets": []}, **fields)


class FakeDss:
    """The DssClient calls dss_access makes, on an in-memory instance; ``calls`` records each, writes refused when
    read-only (as in check mode)."""

    def __init__(self, *, read_only=False, me="admin", fail_on=None):
        self.groups = {g["name"]: g for g in (group("administrators", admin=True), group("readers"))}
        self.users = {u["login"]: u for u in (user("admin", groups=["administrators"]), user("analyst", groups=["readers"]))}
        self.read_only, self.me, self.fail_on = read_only, me, fail_on
        self.calls: list = []
        self.may_have_written = False

    def _write(self, call):
        self.calls.append(call)
        assert not self.read_only, "a write in check mode: %s" % (call,)
        if call == self.fail_on:
            raise DssApiError("boom", status=500)
        self.may_have_written = True

    def writes(self):
        return [call for call in self.calls if call[0] in ("POST", "PUT", "DELETE")]

    def list_groups(self):
        self.calls.append(("GET", "groups"))
        return copy.deepcopy(list(self.groups.values()))

    def list_users(self, *, include_settings=False):
        self.calls.append(("GET", "users", include_settings))
        return copy.deepcopy(list(self.users.values()))

    def get_group(self, name):
        self.calls.append(("GET", "group", name))
        return copy.deepcopy(self.groups.get(name))

    def get_user(self, login):
        self.calls.append(("GET", "user", login))
        return copy.deepcopy(self.users.get(login))

    def create_group(self, body):
        self._write(("POST", "group", body["name"]))
        self.groups[body["name"]] = group(body["name"], description=body.get("description"))

    def update_group(self, name, definition):
        self._write(("PUT", "group", name))
        self.groups[name] = copy.deepcopy(definition)

    def delete_group(self, name):
        self._write(("DELETE", "group", name))
        del self.groups[name]
        for item in self.users.values():
            item["groups"] = [g for g in item["groups"] if g != name]

    def create_user(self, body):
        self._write(("POST", "user", body["login"]))
        assert all(g in self.groups for g in body.get("groups") or []), "a user created before its groups"
        self.users[body["login"]] = user(body["login"], **{k: v for k, v in body.items() if k not in ("login", "password")})

    def update_user(self, login, definition):
        self._write(("PUT", "user", login))
        assert all(g in self.groups for g in definition.get("groups") or [])
        self.users[login] = {k: v for k, v in copy.deepcopy(definition).items() if k != "password"}

    def delete_user(self, login, *, allow_self_deletion=False):
        self._write(("DELETE", "user", login, allow_self_deletion))
        del self.users[login]

    def auth_identifier(self):
        self.calls.append(("GET", "auth/info"))
        return self.me

    def licensed_profiles(self):
        self.calls.append(("GET", "licensing"))
        return ["DATA_SCIENTIST", "READER", "DESIGNER"]


TEAM = dict(
    groups=[{"name": "team", "description": "The team", "may_create_projects": True}],
    users=[{"login": "jdoe", "password": PASSWORD, "groups": ["team"], "display_name": "Jane"},
           {"login": "analyst", "groups": ["team", "readers"]}],
)


def run(client, *, check_mode=False, diff=True, **args):
    module = make_module(dss_access.MODULE, dict(dict(dss_url="http://x", api_key="k"), **args), check_mode=check_mode, diff=diff)
    return access.run(module, client)


def actions(result):
    return [(row["kind"], row["name"], row["action"]) for row in result["plan"]]


def problems(**args):
    module = make_module(dss_access.MODULE, dict(dict(dss_url="http://x", api_key="k"), **args))
    return access_model.input_problems(module.params)


# -- the model's own problems ----------------------------------------------------------------
def test_each_invalid_entry_is_named_with_its_option_and_all_come_at_once():
    found = problems(
        groups=[{"name": "ok"}, {"name": "bad name"}],
        users=[{"login": "a", "email": "nope"}, {"login": "b", "password": ""}],
        protect=["(unclosed"],
    )
    assert any(p.startswith("groups[1] (bad name): name 'bad name' contains") for p in found), found
    assert "users[0] (a): email 'nope' is not an e-mail address" in found
    assert "users[1] (b): password must not be empty" in found
    assert any(p.startswith("protect: '(unclosed' is not a regular expression") for p in found)


def test_two_entries_with_one_name_are_refused():
    found = problems(users=[{"login": "jdoe"}, {"name": "x"}, {"login": "jdoe"}], groups=[{"name": "g"}, {"name": "g"}])
    assert "login 'jdoe' is in the model more than once: users[0] (jdoe), users[2] (jdoe)" in found
    assert "group 'g' is in the model more than once: groups[0] (g), groups[1] (g)" in found


@pytest.mark.parametrize("value, mode", [(False, None), ("false", None), ("no", None), ("No", None), (None, None),
                                         ("disable", "disable"), ("delete", "delete")])
def test_purge_users_values(value, mode):
    assert access_model.purge_mode(value) == mode


@pytest.mark.parametrize("value", [True, "yes", "remove", 1])
def test_purge_users_refuses_anything_else_clearly(value):
    found = problems(users=[], purge_users=value)
    assert found == ["purge_users must be false (no purge), disable or delete (the users the model does not name), got %r" % (value,)]


def test_a_purge_without_its_model_is_refused():
    found = problems(purge_users="delete", purge_groups=True)
    assert any(p.startswith("purge_users needs users (the model)") for p in found)
    assert any(p.startswith("purge_groups needs groups (the model)") for p in found)
    assert problems(users=[], groups=[], purge_users="delete", purge_groups=True) == []


# -- the plan, check mode and the real run -----------------------------------------------------
def test_check_mode_plans_a_new_team_whose_users_name_new_groups_and_writes_nothing():
    client = FakeDss(read_only=True)
    result = run(client, check_mode=True, **TEAM)
    assert actions(result) == [("group", "team", "create"), ("user", "jdoe", "create"), ("user", "analyst", "update")]
    assert result["plan"][2]["reason"] == "differs: groups"
    assert result["changed"] is True and result["counts"]["create"] == 2 and result["counts"]["update"] == 1
    assert client.writes() == []
    assert [call for call in client.calls if call[1] in ("groups", "users")] == [("GET", "groups"), ("GET", "users", True)]
    assert {g["name"] for g in result["groups"]} == {"administrators", "readers", "team"}, "the groups as they would be"


def test_the_real_run_writes_exactly_the_plan_groups_first_and_a_rerun_reads_twice():
    checked = run(FakeDss(read_only=True), check_mode=True, **TEAM)
    client = FakeDss()
    done = run(client, **TEAM)
    assert done["plan"] == checked["plan"]
    assert client.writes() == [("POST", "group", "team"), ("PUT", "group", "team"), ("POST", "user", "jdoe"), ("PUT", "user", "analyst")]
    assert client.groups["team"]["mayCreateProjects"] is True and client.users["jdoe"]["groups"] == ["team"]
    client.calls.clear()
    again = run(client, **TEAM)
    assert again["changed"] is False and {row["action"] for row in again["plan"]} == {"unchanged"}
    assert client.calls == [("GET", "groups"), ("GET", "users", True)], "a re-run is the two listings"


def test_the_diff_shows_each_changed_object_and_passwords_only_as_placeholders():
    result = run(FakeDss(read_only=True), check_mode=True, **TEAM)
    diff = result["diff"]
    assert diff["before"]["groups"] == {} and diff["after"]["groups"]["team"]["permissions"] == {"mayCreateProjects": True}
    assert diff["after"]["users"]["jdoe"]["password"] == "(set)" and "jdoe" not in diff["before"]["users"]
    assert diff["before"]["users"]["analyst"]["groups"] == ["readers"]
    assert PASSWORD not in repr(result)
    real = run(FakeDss(), **TEAM)
    assert PASSWORD not in repr(real) and all("password" not in u for u in real["users"])
    rotate = run(FakeDss(), users=[{"login": "analyst", "password": "Rotated-Pa55", "update_password": "always"}])
    assert rotate["plan"][0]["reason"] == "differs: password (update_password: always)"
    assert rotate["diff"]["after"]["users"]["analyst"]["password"] == "(changed)"


def test_purges_come_after_the_model_and_protect_takes_names_and_regexes():
    client = FakeDss()
    client.users["svc-etl"] = user("svc-etl")
    client.users["old"] = user("old", groups=["readers"])
    client.users["gone"] = user("gone", enabled=False)
    client.groups["legacy"] = group("legacy")
    model_users = [{"login": "admin"}, {"login": "jdoe", "password": PASSWORD, "groups": ["team"]}]
    result = run(client, groups=[{"name": "team"}, {"name": "administrators"}], users=model_users,
                 purge_users="disable", purge_groups=True, protect=["svc-.*", "analyst"])
    rows = {(row["kind"], row["name"]): row for row in result["plan"]}
    assert rows["user", "analyst"]["action"] == "protected" and rows["user", "analyst"]["reason"] == "protect: 'analyst'"
    assert rows["user", "svc-etl"]["reason"] == "protect: 'svc-.*'"
    assert rows["user", "old"] == {"kind": "user", "name": "old", "action": "purge", "reason": "not in the model: disable"}
    assert rows["user", "gone"]["action"] == "unchanged" and "already disabled" in rows["user", "gone"]["reason"]
    assert rows["group", "legacy"]["action"] == "purge" and rows["group", "readers"]["action"] == "purge"
    assert client.writes() == [
        ("POST", "group", "team"), ("POST", "user", "jdoe"), ("PUT", "user", "old"),
        ("DELETE", "group", "readers"), ("DELETE", "group", "legacy"),
    ]
    assert client.users["old"]["enabled"] is False and client.users["old"]["groups"] == [], "DSS took the purged group away"


def test_a_group_a_model_user_is_in_is_never_purged():
    client = FakeDss()
    result = run(client, groups=[{"name": "administrators"}], users=[{"login": "analyst"}], purge_groups=True)
    row = [r for r in result["plan"] if r["name"] == "readers"][0]
    assert row["action"] == "protected" and "users of the model are in it: analyst" in row["reason"]
    assert client.writes() == []


# -- the guards --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["disable", "delete"])
def test_a_purge_never_touches_the_keys_own_user_or_its_last_admin_group(mode):
    client = FakeDss()
    result = run(client, groups=[], users=[], purge_users=mode, purge_groups=True)
    rows = {(row["kind"], row["name"]): row for row in result["plan"]}
    assert rows["user", "admin"]["action"] == "protected" and rows["group", "administrators"]["action"] == "protected"
    assert "only admin group" in rows["group", "administrators"]["reason"]
    assert rows["user", "analyst"]["action"] == "purge" and rows["group", "readers"]["action"] == "purge"
    assert "admin" in client.users and "administrators" in client.groups


def test_the_guards_can_be_lifted_for_a_purge():
    client = FakeDss(me="analyst")
    client.users["analyst"]["groups"] = ["administrators"]
    result = run(client, users=[{"login": "admin"}], purge_users="delete", allow_self_deletion=True)
    assert ("user", "analyst", "purge") in actions(result)
    assert ("DELETE", "user", "analyst", True) in client.writes()


def test_an_explicit_change_the_per_object_module_refuses_fails_before_any_write_naming_the_entry():
    client = FakeDss()
    with pytest.raises(TaskError) as refused:
        run(client, groups=[{"name": "team"}], users=[{"login": "jdoe", "password": PASSWORD, "groups": ["team"]},
                                                      {"login": "admin", "enabled": False}, {"login": "x", "groups": ["nope"], "password": PASSWORD}])
    message = refused.value.msg
    assert "users[1] (admin): Refusing to change DSS user 'admin': enabled: false would disable user 'admin'" in message
    assert "users[2] (x): Cannot manage DSS user 'x': groups nope do not exist in DSS" in message
    assert client.writes() == [], "nothing written, not even the group the plan would create first"
    with pytest.raises(TaskError) as deleting:
        run(client, users=[{"login": "admin", "state": "absent"}])
    assert "users[0] (admin): Refusing to delete user 'admin'" in deleting.value.msg


def test_a_group_the_model_deletes_must_not_be_named_by_its_users():
    with pytest.raises(TaskError) as refused:
        run(FakeDss(), groups=[{"name": "readers", "state": "absent"}], users=[{"login": "analyst", "groups": ["readers"]}])
    assert "groups[0] (readers): state: absent, but users of the model name the group: analyst" in refused.value.msg


# -- failures midway, the snapshot -------------------------------------------------------------
def test_a_failed_write_leaves_what_was_done():
    client = FakeDss(fail_on=("POST", "user", "jdoe"))
    with pytest.raises(DssApiError) as failed:
        run(client, **TEAM)
    partial = failed.value.partial
    assert [(r["kind"], r["name"]) for r in partial["done"]] == [("group", "team")]
    assert partial["failed_row"]["name"] == "jdoe" and len(partial["plan"]) == 3


def test_a_listing_without_full_definitions_is_read_in_full_when_needed():
    client = FakeDss()
    full = client.list_groups
    client.list_groups = lambda: [{"name": g["name"], "admin": g["admin"]} for g in full()]
    snapshot = SnapshotClient(client).load()
    assert snapshot.get_group("readers")["mayCreateProjects"] is False
    assert snapshot.get_group("readers") is not None
    assert [call for call in client.calls if call[:2] == ("GET", "group")] == [("GET", "group", "readers")], "read once"


# -- the documentation -------------------------------------------------------------------------
def documented_options():
    options = yaml.safe_load(dss_access.DOCUMENTATION)["options"]
    options.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    return options


def agree(documented, spec, where):
    assert set(documented) == set(spec), where
    for name, option in documented.items():
        for key, default in (("type", "str"), ("elements", None), ("default", None), ("choices", None), ("required", False), ("aliases", None)):
            assert option.get(key, default) == spec[name].get(key, default), "%s.%s: %s" % (where, name, key)
        if "options" in spec[name]:
            agree(option["suboptions"], spec[name]["options"], "%s.%s" % (where, name))


def test_documentation_and_argument_spec_agree_down_to_the_entries():
    agree(documented_options(), dss_access.MODULE.options, "dss_access")
    entry_docs = documented_options()
    group_docs = {k: v for k, v in yaml.safe_load(dss_group.DOCUMENTATION)["options"].items() if k != "allow_self_lockout"}
    user_docs = {k: v for k, v in yaml.safe_load(dss_user.DOCUMENTATION)["options"].items() if not k.startswith("allow_self")}
    assert set(entry_docs["groups"]["suboptions"]) == set(group_docs)
    assert set(entry_docs["users"]["suboptions"]) == set(user_docs)
    assert dss_group.MODULE.options.keys() - dss_access.MODULE.options["groups"]["options"].keys() == {"allow_self_lockout"}
    yaml.safe_load(dss_access.EXAMPLES)
    yaml.safe_load(dss_access.RETURN)
