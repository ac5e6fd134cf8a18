"""The dormant-account rule of dss_user_info, the exact property mode of dss_user and boolean strings in permissions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.dataops.iam.plugins.module_utils.dss.activity import DAY_MS, is_dormant, iso, moment, summary
from ansible_collections.dataops.iam.plugins.module_utils.dss.groups import flag_value, input_problems, wanted_flags
from ansible_collections.dataops.iam.plugins.module_utils.dss.users import properties

NOW = 1_800_000_000_000  # 2027-01-15T08:00:00Z


def days_ago(days: float) -> int:
    return int(NOW - days * DAY_MS)


@pytest.mark.parametrize("value", [None, 0, -1, -1_000, "1700000000000", True, [], {}])
def test_never_is_missing_null_zero_negative_or_not_a_number(value):
    assert moment(value) is None


def test_the_summary_takes_the_later_of_login_and_session_and_ignores_failed_logins():
    raw = {"login": "x", "lastSuccessfulLogin": days_ago(40), "lastFailedLogin": days_ago(1), "lastSessionActivity": days_ago(10.5)}
    got = summary(raw, days_ago(400), NOW)
    assert got == {
        "lastSuccessfulLogin": days_ago(40),
        "lastFailedLogin": days_ago(1),
        "lastSessionActivity": days_ago(10.5),
        "lastActive": days_ago(10.5),
        "lastActiveDate": iso(days_ago(10.5)),
        "daysInactive": 10,
    }
    assert iso(1_767_225_600_000) == "2026-01-01T00:00:00Z"


def test_a_user_never_active_counts_from_its_creation_and_is_unknown_without_one():
    never = {"lastSuccessfulLogin": 0, "lastFailedLogin": days_ago(2), "lastSessionActivity": 0}
    assert summary(never, days_ago(30), NOW)["daysInactive"] == 30
    assert summary(never, None, NOW)["daysInactive"] is None
    assert summary(None, None, NOW)["lastActive"] is None


@pytest.mark.parametrize(
    ("user", "last", "dormant"),
    [
        ({"enabled": True, "creationDate": days_ago(400)}, days_ago(91), True),
        ({"enabled": True, "creationDate": days_ago(400)}, days_ago(89), False),
        ({"enabled": False, "creationDate": days_ago(400)}, days_ago(200), False),  # already disabled
        ({"enabled": True, "creationDate": days_ago(5)}, None, False),  # new and not used yet
        ({"enabled": True, "creationDate": days_ago(120)}, None, True),  # created long ago, never used
        ({"enabled": True}, None, True),  # nothing shows it was ever used
    ],
)
def test_dormant_after_ninety_days(user, last, dormant):
    activity = summary({"lastSuccessfulLogin": last or 0}, user.get("creationDate"), NOW)
    assert is_dormant(user, activity, 90, NOW) is dormant


@given(st.integers(min_value=1, max_value=36_500), st.integers(min_value=0, max_value=80_000))
def test_dormant_exactly_when_more_than_the_days_have_passed(days, minutes_ago):
    last = NOW - minutes_ago * 60_000
    activity = summary({"lastSessionActivity": last}, days_ago(40_000), NOW)
    assert is_dormant({"enabled": True}, activity, days, NOW) is (minutes_ago * 60_000 > days * DAY_MS)


def test_exact_properties_keep_only_the_keys_given_and_merge_keeps_the_others():
    current = {"team": "analytics", "site": "oslo"}
    assert properties(current, {"team": "ml", "site": None}, exact=False) == {"team": "ml"}
    assert properties(current, {"team": "ml"}, exact=False) == {"team": "ml", "site": "oslo"}
    assert properties(current, {"team": "ml"}, exact=True) == {"team": "ml"}
    assert properties(current, {}, exact=True) == {}
    assert properties(None, {"a": "1", "b": None}, exact=True) == {"a": "1"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("yes", True), ("on", True), ("1", True), (1, True), ("True", True),
     (False, False), ("false", False), ("no", False), ("off", False), ("0", False), (0, False), ("n", False)],
)
def test_permission_values_are_read_as_ansible_reads_booleans(value, expected):
    assert flag_value(value) is expected
    assert wanted_flags({"permissions": {"mayCreateProjects": value}}) == {"mayCreateProjects": expected}
    assert input_problems({"name": "team", "permissions": {"mayCreateProjects": value}}) == []


@pytest.mark.parametrize("value", ["maybe", "", 2, 1.5, None, [True], {"a": True}])
def test_other_permission_values_are_refused_by_name(value):
    problems = input_problems({"name": "team", "permissions": {"mayCreateProjects": value}})
    assert problems == [
        "permissions['mayCreateProjects'] must be true or false (or a boolean string as Ansible takes one: yes/no, on/off, "
        "1/0), got %r" % (value,)
    ]


def test_a_boolean_string_that_contradicts_its_option_is_refused():
    problems = input_problems({"name": "team", "may_create_projects": True, "permissions": {"mayCreateProjects": "no"}})
    assert problems == ["permissions['mayCreateProjects'] contradicts option may_create_projects"]
