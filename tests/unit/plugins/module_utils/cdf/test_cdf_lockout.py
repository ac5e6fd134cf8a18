"""group's self-lockout guard without a server: which replacements and deletions would take the groupsAcl rights
in use from the caller, and that nothing is read when the task touches none of the caller's groups."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.lockout import (
    guard_self_lockout,
    rights_in_use,
    self_lockout_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

GROUPS_ALL = {"groupsAcl": {"actions": ["LIST", "READ", "CREATE", "DELETE", "UPDATE"], "scope": {"all": {}}}}
GROUPS_LIST = {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}
ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


class FakeCdf:
    project = "demo"

    def __init__(self, groups, mine, subject="admin"):
        self.groups = groups
        self.mine = mine
        self.subject = subject
        self.calls = []

    def inspect_token(self):
        self.calls.append("inspect")
        caps = [dict(cap, projectScope={"projects": ["demo"]}) for g in self.groups if g["id"] in self.mine for cap in g["capabilities"]]
        return {"subject": self.subject, "projects": [{"projectUrlName": "demo", "groups": sorted(self.mine)}], "capabilities": caps}

    def get(self, path, params=None):
        self.calls.append(path)
        return {"items": self.groups}


def group(group_id, name, capabilities, source="", members=None):
    found = {"id": group_id, "name": name, "sourceId": source, "capabilities": capabilities}
    if members is not None:
        found["members"] = members
    return found


ADMINS = group(1, "admins", [GROUPS_ALL, ASSETS], source="cdf-admins")
OTHER = group(2, "team", [ASSETS], source="team")


def test_only_the_actions_the_module_uses_are_protected():
    assert rights_in_use([GROUPS_ALL, ASSETS]) == [
        {"groupsAcl": {"actions": [action], "scope": {"all": {}}}} for action in ("LIST", "CREATE", "DELETE")
    ]


def test_a_group_the_caller_is_not_in_needs_only_the_token_inspection():
    client = FakeCdf([ADMINS, OTHER], mine={1})
    assert self_lockout_problem(client, [2], {"name": "team", "capabilities": []}) is None
    assert client.calls == ["inspect"]


def test_deleting_the_callers_only_admin_group_is_refused():
    problem = self_lockout_problem(FakeCdf([ADMINS, OTHER], mine={1, 2}), [1])
    assert "groupsAcl: CREATE, DELETE, LIST [all]" in problem and "'admins' (id 1)" in problem


def test_a_replacement_that_keeps_the_rights_and_the_membership_is_fine():
    client = FakeCdf([ADMINS], mine={1})
    narrower = {"name": "admins", "sourceId": "cdf-admins", "capabilities": [GROUPS_ALL]}
    assert self_lockout_problem(client, [1], narrower) is None


def test_a_replacement_without_groups_acl_or_under_another_source_id_is_refused():
    client = FakeCdf([ADMINS], mine={1})
    no_groups = {"name": "admins", "sourceId": "cdf-admins", "capabilities": [ASSETS]}
    assert "groupsAcl: CREATE, DELETE, LIST [all]" in self_lockout_problem(client, [1], no_groups)
    moved = {"name": "admins", "sourceId": "somebody-else", "capabilities": [GROUPS_ALL]}
    assert self_lockout_problem(client, [1], moved) is not None
    only_list = {"name": "admins", "sourceId": "cdf-admins", "capabilities": [GROUPS_LIST]}
    assert "groupsAcl: CREATE, DELETE [all]" in self_lockout_problem(client, [1], only_list)


def test_rights_from_another_group_of_the_caller_cover_the_loss():
    backup = group(3, "break-glass", [GROUPS_ALL], source="cdf-admins")
    assert self_lockout_problem(FakeCdf([ADMINS, backup], mine={1, 3}), [1]) is None


def test_membership_by_members_list():
    by_member = group(4, "ops", [GROUPS_ALL], members=["admin"])
    client = FakeCdf([by_member], mine={4})
    assert self_lockout_problem(client, [4], {"name": "ops", "members": ["admin", "x"], "capabilities": [GROUPS_ALL]}) is None
    assert self_lockout_problem(client, [4], {"name": "ops", "members": ["x"], "capabilities": [GROUPS_ALL]}) is not None


def test_the_guard_raises_with_the_fix_unless_allowed():
    with pytest.raises(TaskError) as refused:
        guard_self_lockout(FakeCdf([ADMINS], mine={1}), "admins", [1])
    assert refused.value.msg.startswith("Refusing to change group 'admins': ")
    assert "allow_self_lockout: true" in refused.value.msg and refused.value.result == {"changed": False}
    client = FakeCdf([ADMINS], mine={1})
    guard_self_lockout(client, "admins", [1], allowed=True)
    assert client.calls == [], "allowed: not even the token inspection"


# Capabilities newer than the collection, and a 403 from token inspection.

FUTURE = {"groupsAcl": {"actions": ["LIST", "CREATE", "DELETE", "IMPERSONATE"], "scope": {"all": {}}}}
UNREADABLE = {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": "every one"}}}}


def test_unknown_actions_and_unreadable_capabilities_in_the_callers_groups_are_compared_not_refused():
    admins = group(1, "admins", [FUTURE, UNREADABLE], source="cdf-admins")
    backup = group(3, "break-glass", [FUTURE, {"slowAcl": {"actions": ["X"], "scope": {"all": {}}}}], source="cdf-admins")
    assert self_lockout_problem(FakeCdf([admins, backup], mine={1, 3}), [1]) is None
    problem = self_lockout_problem(FakeCdf([admins], mine={1}), [1])
    assert "groupsAcl: CREATE, DELETE, LIST [all]" in problem


class RefusingInspection(FakeCdf):
    def __init__(self, groups, mine, own_groups_readable=True):
        super().__init__(groups, mine)
        self.own_groups_readable = own_groups_readable

    def inspect_token(self):
        from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

        self.calls.append("inspect")
        raise ApiError("Forbidden", status=403, method="GET", url="/api/v1/token/inspect")

    def get(self, path, params=None):
        from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

        self.calls.append((path, params))
        if not self.own_groups_readable:
            raise ApiError("Forbidden", status=403)
        return {"items": [g for g in self.groups if g["id"] in self.mine]}


def test_a_403_from_inspection_names_the_missing_capability_and_the_way_out():
    client = RefusingInspection([ADMINS], mine={1})
    with pytest.raises(TaskError) as refused:
        guard_self_lockout(client, "admins", [1])
    message = refused.value.msg
    assert message.startswith("Cannot change group 'admins' safely: ")
    assert "token inspection (GET /api/v1/token/inspect)" in message and "HTTP 403" in message
    assert "needs projectsAcl:LIST and groupsAcl:LIST" in message
    assert "the credentials lack projectsAcl:LIST in project 'demo'" in message
    assert "allow_self_lockout: true" in message and refused.value.result == {"changed": False}
    assert client.calls == ["inspect", ("groups", {"all": False})], "read-only calls only"


def test_a_403_from_inspection_without_readable_groups_names_both():
    with pytest.raises(TaskError) as refused:
        guard_self_lockout(RefusingInspection([ADMINS], mine={1}, own_groups_readable=False), "admins", [1])
    assert "needs projectsAcl:LIST and groupsAcl:LIST, and the credentials lack at least one" in refused.value.msg


def test_other_inspection_errors_are_not_hidden():
    from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

    class Down(FakeCdf):
        def inspect_token(self):
            raise ApiError("unavailable", status=503)

    with pytest.raises(ApiError):
        guard_self_lockout(Down([ADMINS], mine={1}), "admins", [1])
