"""dss_group_info's membership from the user list: odd items and group entries add no member, a group named twice
counts once."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.modules.dss_group_info import members_by_group


def test_members_are_the_sorted_logins_of_the_users_naming_each_group():
    users = [
        {"login": "zed", "groups": ["readers", "data_team"]},
        {"login": "amy", "groups": ["data_team", "data_team"]},
        {"login": "admin", "groups": ["administrators", {"name": "x"}, None], "enabled": False},
    ]
    assert members_by_group(users) == {"readers": ["zed"], "data_team": ["amy", "zed"], "administrators": ["admin"]}


def test_items_without_a_login_or_a_list_of_groups_add_no_member():
    users = [{"groups": ["readers"]}, {"login": "a", "groups": "readers"}, {"login": "b"}, "c", {"login": 7, "groups": ["x"]}]
    assert members_by_group(users) == {}
    assert members_by_group([]) == {}
