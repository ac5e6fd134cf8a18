"""dss_user / dss_group decisions without a server: option names, merging, comparison, redaction, docs in sync."""

from __future__ import annotations

import yaml

from ansible_collections.dataops.iam.plugins.module_utils.dss import groups, users
from ansible_collections.dataops.iam.plugins.modules import dss_group, dss_user, dss_user_info


class FakeModule:
    check_mode = False
    _diff = False

    def __init__(self, params):
        self.params = params


def user_params(**overrides):
    params = {option: None for option in dss_user.argument_spec()}
    params.update(login="jdoe", state="present", append_groups=False, update_password="on_create", allow_self_deletion=False)
    params.update(overrides)
    return params


def group_params(**overrides):
    params = {option: None for option in dss_group.argument_spec()}
    params.update(name="ml", state="present")
    params.update(overrides)
    return params


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


def test_documentation_and_argument_spec_agree():
    for module in (dss_user, dss_group, dss_user_info):
        documented = set(yaml.safe_load(module.DOCUMENTATION)["options"])
        spec = dss_user.argument_spec() if module is dss_user else (dss_group.argument_spec() if module is dss_group else None)
        if spec is None:
            continue
        connection = {"dss_url", "api_key", "validate_certs", "ca_path", "timeout"}
        assert documented == set(spec) - connection, module.__name__
        yaml.safe_load(module.EXAMPLES)
        yaml.safe_load(module.RETURN)


def test_user_desired_changes_only_named_fields_and_merges_properties():
    task = users.UserTask(FakeModule(user_params(display_name="Jane D.", user_properties={"new": "1", "drop": None})), client=None)
    desired = task.desired(CURRENT, None)
    assert desired["displayName"] == "Jane D." and desired["userProperties"] == {"k": "v", "new": "1"}
    assert desired["preferences"] == {"uiLanguage": "fr"} and desired["secrets"] == CURRENT["secrets"]
    assert desired["groups"] == ["b", "a"] and CURRENT["userProperties"] == {"k": "v", "drop": "x"}, "current is not mutated"
    assert task.task_fields() == ["displayName", "userProperties"]
    assert task.differs(CURRENT, desired)


def test_user_groups_compare_as_sets_and_append_keeps_order():
    same = users.UserTask(FakeModule(user_params(groups=["a", "b", "a"])), client=None)
    assert not same.differs(CURRENT, same.desired(CURRENT, None))
    append = users.UserTask(FakeModule(user_params(groups=["c", "a"], append_groups=True)), client=None)
    assert append.desired(CURRENT, None)["groups"] == ["b", "a", "c"]


def test_email_none_and_empty_are_equal_and_a_sent_password_is_a_change():
    task = users.UserTask(FakeModule(user_params(email="")), client=None)
    assert not task.differs(CURRENT, task.desired(CURRENT, None))
    task.send_password = True
    assert task.differs(CURRENT, task.desired(CURRENT, None))


def test_new_user_defaults():
    desired = users.UserTask(FakeModule(user_params()), client=None).desired(None, "DESIGNER")
    assert desired["displayName"] == "jdoe" and desired["userProfile"] == "DESIGNER" and desired["sourceType"] == "LOCAL"
    assert desired["groups"] == [] and desired["enabled"] is True


def test_user_input_problems():
    assert users.input_problems(user_params()) == []
    problems = users.input_problems(user_params(login="bad/login", password="", user_properties={"n": 1, "": "x"}))
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
    params = group_params(may_create_projects=True, may_manage_udm=False, permissions={"mayUseSomeFutureFeature": True})
    assert groups.wanted_flags(params) == {"mayCreateProjects": True, "mayManageUDM": False, "mayUseSomeFutureFeature": True}
    assert groups.input_problems(params) == []
    clash = group_params(may_create_projects=True, permissions={"mayCreateProjects": False, "may_create_projects": True})
    problems = groups.input_problems(clash)
    assert any("contradicts option may_create_projects" in p for p in problems)
    assert any("write it mayCreateProjects" in p for p in problems)


def test_group_names_lists_and_legacy_comma_strings():
    current = {"name": "ml", "ldapGroupNames": "cn=b, cn=a", "mayCreateProjects": False, "mayX": True}
    task = groups.GroupTask(FakeModule(group_params(ldap_group_names=["cn=a", "cn=b"])), client=None)
    assert not task.differs(current, task.desired(current))
    task = groups.GroupTask(FakeModule(group_params(ldap_group_names=["cn=a", "cn=c"])), client=None)
    desired = task.desired(current)
    assert desired["ldapGroupNames"] == "cn=a,cn=c", "the form the instance uses is kept"
    assert desired["mayX"] is True and task.differs(current, desired)
    assert groups.group_view(current)["permissions"] == {"mayCreateProjects": False, "mayX": True}
