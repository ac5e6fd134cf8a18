"""The input checks every module shares (module_utils/input_checks.py): the option types that refuse a list given
to a string option and never split a name list on commas, the text checks (valid Unicode passes, control characters
and lengths do not), and the DSS name length (a 200,000-character login is refused naming the option)."""

from __future__ import annotations

import copy
import pickle

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import name_problem
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import (
    ONE_OR_LIST,
    SINGLE_STRING,
    shown,
    strict_spec,
    text_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.module_support import brief_params, working_on
from ansible_collections.dataops.iam.plugins.modules import access, dss_access, dss_group, group
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import validate

DN = "cn=data-team,ou=groups,dc=example,dc=com"
#: Valid Unicode names: accents, CJK, right-to-left, emoji, a non-breaking and an ideographic space, a zero-width
#: joiner (emoji sequences need it). All are one line of printable text; none may be refused.
UNICODE_NAMES = ["Données équipe", "データチーム", "فريق البيانات", "ops 🚀", "a\u00a0b", "a\u3000b", "👩\u200d💻 devs", "Ωmega-Σ"]


def errors(definition, args):
    """The argument validation's messages for ``args`` (the worker's validator, as the module process's)."""
    return validate(definition.module_kwargs(), args).error_messages


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_valid_unicode_is_a_name_everywhere(name):
    """The positive control: the checks that refuse control characters leave every other character alone."""
    assert text_problem("name", name) is None
    args = {"name": name, "base_url": "http://127.0.0.1:9", "project": "p", "token": "t"}
    assert errors(group.MODULE, args) == []
    assert group.MODULE.problems(validate(group.MODULE.module_kwargs(), args).validated_parameters) == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("a\nb", "U+000A at position 2"),
        ("\tx", "U+0009"),
        ("x\x00", "U+0000"),
        ("red\x1b[31m", "U+001B"),
        ("del\x7f", "U+007F"),
        ("nel\x85", "U+0085"),
        ("lone\udc80", "U+DC80"),
        ("n" * 1001, "1001 characters long"),
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        (["a"], "must be a string, got a list"),
    ],
)
def test_text_problems(value, expected):
    problem = text_problem("name", value)
    assert problem is not None and expected in problem


def test_the_limits_and_what_may_be_empty():
    assert text_problem("name", "n" * 1000) is None
    assert text_problem("name", "n" * 10, max_chars=9) is not None
    assert text_problem("source_id", "", empty=True) is None and text_problem("source_id", "") is not None
    long_problem = text_problem("name", "x" * 1_048_576)
    assert "1048576 characters long" in long_problem and len(long_problem) < 200, "a 1 MB name never fills a message"


def test_shown_and_brief_params_cut_long_values():
    assert shown("abc") == "'abc'" and shown(3) == "3"
    assert shown("z" * 500) == "%r... (500 characters)" % ("z" * 60)
    brief = brief_params({"login": "a" * 200_000, "n": 1})
    assert brief == {"login": "a" * 60 + "...", "n": 1}
    assert len(working_on({"name": "x" * 200_000})) < 120


def test_a_list_or_mapping_given_to_a_string_option_is_refused_naming_the_option():
    base = {"base_url": "http://127.0.0.1:9", "project": "p", "token": "t"}
    assert errors(group.MODULE, dict(base, name=["a", "b"])) == [
        "argument 'name' is of type list and we were unable to convert to str: a list is not one string; give one value "
        "(a list or mapping is never turned into text)"
    ]
    assert "'project'" in errors(group.MODULE, dict(base, name="g", project={"p": 1}))[0]
    assert "'members'" in errors(group.MODULE, dict(base, name="g", members=[["a"]]))[0]
    nested = errors(access.MODULE, dict(base, groups=[{"name": ["a"]}]))
    assert "argument 'name'" in nested[0] and "found in 'groups'" in nested[0]
    # scalars still become text, as Ansible's str type makes them (a YAML number as a name)
    validated = validate(group.MODULE.module_kwargs(), dict(base, name=2024, members=[7])).validated_parameters
    assert validated["name"] == "2024" and validated["members"] == ["7"]


def test_strict_spec_types_read_as_their_documented_names():
    spec = strict_spec({"a": {}, "b": {"type": "str"}, "c": {"type": "list", "elements": "str"}, "d": {"type": "int"},
                        "e": {"type": "list", "elements": "dict", "options": {"f": {"type": "str"}}}, "g": {"type": ONE_OR_LIST}})
    assert spec["a"]["type"] is SINGLE_STRING and spec["b"]["type"] is SINGLE_STRING and spec["c"]["elements"] is SINGLE_STRING
    assert spec["d"]["type"] == "int" and spec["e"]["options"]["f"]["type"] is SINGLE_STRING and spec["g"]["type"] is ONE_OR_LIST
    assert SINGLE_STRING == "str" and ONE_OR_LIST == "raw", "the docs and validate-modules compare the type with the docs"
    assert copy.deepcopy(SINGLE_STRING) is SINGLE_STRING
    assert pickle.loads(pickle.dumps(ONE_OR_LIST)) == "raw" and pickle.loads(pickle.dumps(ONE_OR_LIST))(DN) == [DN]


def test_a_name_list_is_one_string_or_a_list_never_split_on_commas():
    assert ONE_OR_LIST(DN) == [DN]
    assert ONE_OR_LIST([DN, "cn=ops,ou=groups,dc=example,dc=com"]) == [DN, "cn=ops,ou=groups,dc=example,dc=com"]
    assert ONE_OR_LIST(None) is None and ONE_OR_LIST([]) == [] and ONE_OR_LIST([12]) == ["12"]
    for bad, text in (({DN: 1}, "got a mapping"), ([[DN]], "item 0 is a list"), ([True], "item 0 is a boolean"), (5, "got a int")):
        with pytest.raises(TypeError, match=text):
            ONE_OR_LIST(bad)
    dss = {"dss_url": "http://127.0.0.1:9", "api_key": "k"}
    validated = validate(dss_group.MODULE.module_kwargs(), dict(dss, name="g", ldap_group_names=DN)).validated_parameters
    assert validated["ldap_group_names"] == [DN]
    model = validate(dss_access.MODULE.module_kwargs(), dict(dss, groups=[{"name": "g", "azure_ad_group_names": DN}]))
    assert model.validated_parameters["groups"][0]["azure_ad_group_names"] == [DN]


def test_dss_names_longer_than_a_url_path_takes_are_refused():
    assert name_problem("login", "l" * 255) is None
    problem = name_problem("login", "a" * 200_000)
    assert "200000 characters long; at most 255" in problem and len(problem) < 200


def test_protect_takes_a_regular_expression_with_commas_as_one_entry():
    """A ``protect`` regular expression may hold commas (a repetition ``{2,8}``): one string is one entry."""
    pattern = "svc-[a-z]{2,8}"
    cdf = {"base_url": "http://127.0.0.1:9", "project": "p", "token": "t", "groups": []}
    assert validate(access.MODULE.module_kwargs(), dict(cdf, protect=pattern)).validated_parameters["protect"] == [pattern]
    assert validate(access.MODULE.module_kwargs(), cdf).validated_parameters["protect"] == []
    dss = {"dss_url": "http://127.0.0.1:9", "api_key": "k", "users": []}
    model = validate(dss_access.MODULE.module_kwargs(), dict(dss, protect=[pattern, "admin"])).validated_parameters
    assert model["protect"] == [pattern, "admin"]
