"""dss_user / dss_group decisions without a server: option names, merging, comparison, redaction, docs in sync; and
the tasks' flow against a fake DSS: refusals as TaskError before any write, check mode, the result's fields."""

from __future__ import annotations

import copy

import pytest
import yaml

from ansible_collections.dataops.iam.plugins.module_utils.dss import groups, users
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError
from ansible_collections.dataops.iam.plugins.modules import dss_group, dss_group_info, dss_user, dss_user_info
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

CONNECTION = {"dss_url", "api_key", "validate_certs", "ca_path", "timeout", "retries"}


def user_task(client=None, *, check_mode=False, diff=False, **args):
    module = make_module(dss_user.MODULE, dict(dict(login="jdoe"), **args), check_mode=check_mode, diff=diff)
    return users.UserTask(module, client)


def group_task(client=None, *, check_mode=False, diff=False, **args):
    module = make_module(dss_group.MODULE, dict(dict(name="ml"), **args), check_mode=check_mode, diff=diff)
    return groups.GroupTask(module, client)


CURRENT = {
    "login": "jdoe", "displayName": "Jane", "email": None, "groups": ["b", "a"], "enabled": True, "sourceType": "LOCAL",
    "userProfile": "READER", "userProperties": {"k": "v", "drop": "x"}, "adminProperties": {}, "preferences": {"uiLanguage": "fr"},
    "secrets": [{"name": "s", "secret": True}],
}


def test_snake_case_keeps_acronyms_as_one_word():
    assert groups.snake_case("mayManageUDM") == "may_manage_udm"
    assert groups.snake_case("mayCreatePublishedAPIServices") == "may_create_published_api_services"
    assert groups.snake_case("canObtainAPITicketFromCookiesForGroupsRegex") == "can_obtain_api_ticket_from_cookies_for_groups_regex"
    assert groups.snake_case("azureADGroupNames") == "azure_ad_group_names"
    assert len(groups.FLAG_OPTIONS) == len(groups.KNOWN_FLAGS)


@pytest.mark.parametrize("module", [dss_user, dss_group, dss_user_info, dss_group_info], ids=lambda module: module.__name__.rpartition(".")[2])
def test_documentation_and_argument_spec_agree(module):
    documented = yaml.safe_load(module.DOCUMENTATION)["options"]
    spec = module.MODULE.argument_spec()
    assert set(documented) == set(spec) - CONNECTION
    assert set(module.MODULE.options) == set(documented), "the module's own options are its documented ones"
    for name, option in documented.items():
        assert spec[name]["type"] == option.get("type", "str"), name
        assert spec[name].get("aliases", []) == option.get("aliases", []), name
    yaml.safe_load(module.EXAMPLES)
    yaml.safe_load(module.RETURN)


def test_user_desired_changes_only_named_fields_and_merges_properties():
    task = user_task(display_name="Jane D.", user_properties={"new": "1", "drop": None})
    desired = task.definition(CURRENT, None)
    assert desired["displayName"] == "Jane D." and desired["userProperties"] == {"k": "v", "new": "1"}
    assert desired["preferences"] == {"uiLanguage": "fr"} and desired["secrets"] == CURRENT["secrets"]
    assert desired["groups"] == ["b", "a"] and CURRENT["userProperties"] == {"k": "v", "drop": "x"}, "current is not mutated"
    assert task.task_fields() == ["displayName", "userProperties"]
    assert task.differs(CURRENT, desired)


def test_user_groups_compare_as_sets_and_append_keeps_order():
    same = user_task(groups=["a", "b", "a"])
    assert not same.differs(CURRENT, same.definition(CURRENT, None))
    append = user_task(groups=["c", "a"], append_groups=True)
    assert append.definition(CURRENT, None)["groups"] == ["b", "a", "c"]


def test_email_none_and_empty_are_equal_and_a_sent_password_is_a_change():
    task = user_task(email="")
    assert not task.differs(CURRENT, task.definition(CURRENT, None))
    task.send_password = True
    assert task.differs(CURRENT, task.definition(CURRENT, None))


def test_new_user_defaults():
    desired = user_task().definition(None, "DESIGNER")
    assert desired["displayName"] == "jdoe" and desired["userProfile"] == "DESIGNER" and desired["sourceType"] == "LOCAL"
    assert desired["groups"] == [] and desired["enabled"] is True


def test_user_input_problems():
    assert users.input_problems(user_task().params) == []
    problems = users.input_problems(user_task(login="bad/login", password="", user_properties={"n": 1, "": "x"}).params)
    assert any("contains '/'" in p for p in problems)
    assert "password must not be empty" in problems
    assert any("user_properties[1]" in p or "user_properties['n']" in p for p in problems)
    assert any("keys must not be empty" in p for p in problems)


def test_public_user_and_view_never_carry_secrets():
    user = dict(CURRENT, password="p", secrets=[{"name": "s", "value": "v", "secret": True}],
                credentials={"c": {"type": "BASIC", "user": "u", "password": "p"}, "o": {"type": "OAUTH_REFRESH_TOKEN", "refreshToken": "t"}})
    public = users.public_user(user)
    assert "password" not in public and public["secrets"] == [{"name": "s", "secret": True}]
    assert public["credentials"] == {"c": {"type": "BASIC", "user": "u"}, "o": {"type": "OAUTH_REFRESH_TOKEN"}}
    own = dict(CURRENT, userProperties={"password": "a hint, not a secret", "value": "v"}, adminProperties={"value": "x"})
    assert users.public_user(own)["userProperties"] == {"password": "a hint, not a secret", "value": "v"}
    assert users.public_user(own)["adminProperties"] == {"value": "x"}
    view = users.user_view(user)
    assert "password" not in view and view["groups"] == ["a", "b"] and view["user_properties"] == {"drop": "x", "k": "v"}
    assert users.user_view(None) == {}


def test_group_flags_from_options_and_permissions():
    params = group_task(may_create_projects=True, may_manage_udm=False, permissions={"mayUseSomeFutureFeature": True}).params
    assert groups.wanted_flags(params) == {"mayCreateProjects": True, "mayManageUDM": False, "mayUseSomeFutureFeature": True}
    assert groups.input_problems(params) == []
    clash = group_task(may_create_projects=True, permissions={"mayCreateProjects": False, "may_create_projects": True}).params
    problems = groups.input_problems(clash)
    assert any("contradicts option may_create_projects" in p for p in problems)
    assert any("write it mayCreateProjects" in p for p in problems)


def test_group_names_lists_and_legacy_comma_strings():
    current = {"name": "ml", "ldapGroupNames": "cn=b, cn=a", "mayCreateProjects": False, "mayX": True}
    task = group_task(ldap_group_names=["cn=a", "cn=b"])
    assert not task.differs(current, task.desired(current))
    task = group_task(ldap_group_names=["cn=a", "cn=c"])
    desired = task.desired(current)
    assert desired["ldapGroupNames"] == "cn=a,cn=c", "the form the instance uses is kept"
    assert desired["mayX"] is True and task.differs(current, desired)
    assert groups.group_view(current)["permissions"] == {"mayCreateProjects": False, "mayX": True}


# -- the tasks' flow against a fake DSS ------------------------------------------------------------------------
ADMIN_GROUP = {"name": "administrators", "admin": True, "mayCreateProjects": True}


class FakeDss:
    """The DssClient methods the tasks use, over a dict of users and groups; every write is recorded."""

    def __init__(self, users_=None, groups_=None, me="admin", profiles=("DESIGNER", "READER")):
        self.users = {user["login"]: copy.deepcopy(user) for user in users_ or []}
        self.groups = {group["name"]: copy.deepcopy(group) for group in groups_ or [ADMIN_GROUP]}
        self.me = me
        self.profiles = list(profiles)
        self.writes = []

    def get_user(self, login):
        return copy.deepcopy(self.users.get(login))

    def create_user(self, body):
        self.writes.append(("create_user", dict(body)))
        user = dict(body, enabled=True, userProperties={}, adminProperties={}, secrets=[])
        user.pop("password", None)
        self.users[body["login"]] = user

    def update_user(self, login, definition):
        self.writes.append(("update_user", copy.deepcopy(definition)))
        self.users[login] = {key: value for key, value in definition.items() if key != "password"}

    def delete_user(self, login, *, allow_self_deletion=False):
        self.writes.append(("delete_user", login))
        del self.users[login]

    def list_groups(self):
        return [copy.deepcopy(group) for group in self.groups.values()]

    def get_group(self, name):
        return copy.deepcopy(self.groups.get(name))

    def create_group(self, body):
        self.writes.append(("create_group", dict(body)))
        self.groups[body["name"]] = dict(body, admin=False, mayCreateProjects=False)

    def update_group(self, name, definition):
        self.writes.append(("update_group", copy.deepcopy(definition)))
        self.groups[name] = copy.deepcopy(definition)

    def delete_group(self, name):
        self.writes.append(("delete_group", name))
        del self.groups[name]

    def licensed_profiles(self):
        return list(self.profiles)

    def auth_identifier(self):
        return self.me


ME = {"login": "admin", "displayName": "Admin", "enabled": True, "sourceType": "LOCAL", "groups": ["administrators"],
      "userProfile": "DESIGNER", "userProperties": {}, "adminProperties": {}}


def test_a_new_user_gets_the_first_licensed_profile_and_the_password_never_shows():
    dss = FakeDss()
    result = user_task(dss, diff=True, password="S3cret-pw", groups=["administrators"]).run()
    assert result["changed"] is True and result["password_sent"] is True
    assert dss.writes[0] == ("create_user", {"login": "jdoe", "displayName": "jdoe", "sourceType": "LOCAL", "groups": ["administrators"],
                                             "userProfile": "DESIGNER", "email": None, "password": "S3cret-pw"})
    assert result["diff"]["before"] == {} and result["diff"]["after"]["password"] == "(set)"
    assert "S3cret-pw" not in repr(result)
    again = user_task(dss, password="S3cret-pw", groups=["administrators"]).run()
    assert again["changed"] is False and again["password_sent"] is False and len(dss.writes) == 1


def test_an_always_sent_password_is_a_change_shown_as_changed():
    dss = FakeDss([dict(CURRENT, groups=[])])
    result = user_task(dss, diff=True, password="N3w-pw", update_password="always").run()
    assert result["changed"] is True and result["password_sent"] is True and result["diff"]["after"]["password"] == "(changed)"
    assert dss.writes[-1][1]["password"] == "N3w-pw" and "password" not in result["user"]
    assert result["user"]["preferences"] == {"uiLanguage": "fr"}, "the fields the task does not name go back as they were"


def test_check_mode_plans_without_a_write():
    dss = FakeDss([dict(CURRENT, groups=[])])
    result = user_task(dss, check_mode=True, diff=True, display_name="Jane D.").run()
    assert result["changed"] is True and result["user"]["displayName"] == "Jane D." and dss.writes == []
    assert result["diff"]["before"]["display_name"] == "Jane" and result["diff"]["after"]["display_name"] == "Jane D."
    gone = user_task(dss, check_mode=True, state="absent").run()
    assert gone == {"changed": True, "user": None, "password_sent": False} and dss.writes == []


@pytest.mark.parametrize(
    "args, words",
    [
        (dict(groups=["nope"]), "groups nope do not exist in DSS"),
        (dict(user_profile="ROBOT"), "user_profile 'ROBOT' is not one this DSS licence offers: DESIGNER, READER"),
        (dict(source_type="LDAP"), "this module does not change the source type of an existing user"),
    ],
)
def test_what_the_instance_would_refuse_fails_before_any_write_in_check_mode_too(args, words):
    for check_mode in (False, True):
        dss = FakeDss([dict(CURRENT, groups=[])])
        with pytest.raises(TaskError) as caught:
            user_task(dss, check_mode=check_mode, **args).run()
        assert caught.value.msg.startswith("Cannot manage DSS user 'jdoe': ") and words in caught.value.msg
        assert dss.writes == []


def test_a_new_local_user_needs_a_password_and_a_rerun_is_no_failure():
    with pytest.raises(TaskError, match="creating the LOCAL user 'jdoe' needs a password"):
        user_task(FakeDss()).run()
    assert user_task(FakeDss([ME]), login="admin", source_type="LOCAL").run()["changed"] is False


def test_the_keys_own_user_is_neither_deleted_nor_locked_out():
    dss = FakeDss([ME])
    with pytest.raises(TaskError, match="Refusing to delete user 'admin': it is the user of the API key"):
        user_task(dss, login="admin", state="absent").run()
    with pytest.raises(TaskError, match="Refusing to change DSS user 'admin': enabled: false would disable"):
        user_task(dss, login="admin", enabled=False).run()
    assert dss.writes == []
    assert user_task(dss, login="admin", enabled=False, allow_self_lockout=True).run()["changed"] is True
    assert user_task(dss, login="admin", state="absent", allow_self_deletion=True).run()["changed"] is True
    assert [write[0] for write in dss.writes] == ["update_user", "delete_user"]


def test_a_group_is_created_with_its_flags_and_an_unknown_flag_fails_first():
    dss = FakeDss()
    result = group_task(dss, description="ML", may_create_projects=True).run()
    assert result["changed"] is True and result["group"]["mayCreateProjects"] is True
    assert [write[0] for write in dss.writes] == ["create_group", "update_group"]
    assert group_task(dss, description="ML", may_create_projects=True).run()["changed"] is False
    with pytest.raises(TaskError, match=r"Cannot manage DSS group 'ml': this DSS has no permission flag mayFly \(its flags: mayCreateProjects\)"):
        group_task(dss, check_mode=True, permissions={"mayFly": True}).run()
    assert len(dss.writes) == 2


def test_the_keys_only_admin_group_is_not_taken_away():
    dss = FakeDss([ME])
    for args in (dict(state="absent"), dict(admin=False)):
        with pytest.raises(TaskError, match="Refusing to change DSS group 'administrators'"):
            group_task(dss, name="administrators", check_mode=True, **args).run()
    assert dss.writes == []
    result = group_task(dss, name="administrators", state="absent", allow_self_lockout=True, diff=True).run()
    assert result["changed"] is True and result["group"] is None and result["diff"]["after"] == {}
    assert result["diff"]["before"]["permissions"] == {"mayCreateProjects": True} and dss.writes == [("delete_group", "administrators")]
