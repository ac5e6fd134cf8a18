"""write_rights.py: a change the caller's own capabilities cannot make is refused before any write, from token
inspection; when inspection cannot be read, nothing is refused (the API decides)."""

from __future__ import annotations

import time

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf import write_rights
from ansible_collections.dataops.iam.plugins.module_utils.cdf.write_rights import (
    category_needs,
    group_needs,
    lacking,
    refuse_unwritable,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

ALL = {"all": {}}
READER = [{"groupsAcl": {"actions": ["LIST"], "scope": ALL}}, {"projectsAcl": {"actions": ["LIST"], "scope": ALL}}]
ADMIN = [{"groupsAcl": {"actions": ["LIST", "CREATE", "DELETE"], "scope": ALL}},
         {"securityCategoriesAcl": {"actions": ["LIST", "CREATE", "DELETE"], "scope": ALL}}]


class Inspecting:
    """A client whose token inspection shows ``held`` in project ``p`` (and ``elsewhere`` in project ``q``), or
    answers ``error``."""

    project = "p"

    def __init__(self, held, error=None, elsewhere=(), settling=False):
        self.held, self.error, self.elsewhere = held, error, list(elsewhere)
        self.access_settling = settling
        self.last_inspection = None
        self.inspections = 0

    def inspect_token(self):
        self.inspections += 1
        if self.error is not None:
            raise self.error
        caps = [dict(cap, projectScope={"projects": ["p"]}) for cap in self.held]
        caps += [dict(cap, projectScope={"projects": ["q"]}) for cap in self.elsewhere]
        self.last_inspection = {"subject": "svc-1", "projects": [{"projectUrlName": "p", "groups": [7]}], "capabilities": caps}
        return self.last_inspection

    def get(self, path, params=None):  # the caller's own groups, read when inspection is refused (lockout.py)
        return {"items": [{"id": 7, "capabilities": self.held}]}


def test_a_reader_creating_a_group_is_refused_naming_the_capability_and_the_call():
    client = Inspecting(READER)
    with pytest.raises(TaskError) as refused:
        refuse_unwritable(client, "create group 'team'", group_needs(True, False))
    assert refused.value.msg == (
        "Refusing to create group 'team': the credentials running this task (svc-1) lack groupsAcl: CREATE [all] in "
        "project 'p' (token inspection), which POST /groups needs. Nothing was changed: give the credentials' group "
        "that capability, or run the task with other credentials."
    )
    assert refused.value.result == {"changed": False}


def test_a_replacement_needs_create_and_delete():
    with pytest.raises(TaskError, match=r"lack groupsAcl: CREATE, DELETE \[all\] .*which POST /groups and POST "
                                        r"/groups/delete need\."):
        refuse_unwritable(Inspecting(READER), "replace group 'team'", group_needs(True, True))
    only_create = [{"groupsAcl": {"actions": ["LIST", "CREATE"], "scope": ALL}}]
    assert lacking(Inspecting(only_create), group_needs(True, True)) == [{"groupsAcl": {"actions": ["DELETE"], "scope": ALL}}]


def test_create_in_the_current_user_scope_only_is_not_enough():
    """CDF's create needs scope all (cognite-toolkit's GroupLoader requires GroupsAcl.Scope.All())."""
    own = [{"groupsAcl": {"actions": ["LIST", "CREATE"], "scope": {"currentuserscope": {}}}}]
    assert lacking(Inspecting(own), group_needs(True, False)) == group_needs(True, False)


def test_rights_in_another_project_do_not_count():
    assert lacking(Inspecting(READER, elsewhere=ADMIN), group_needs(True, False)) != []
    assert lacking(Inspecting(ADMIN), group_needs(True, True) + category_needs(True, [5])) == []


def test_a_category_delete_is_allowed_by_idscope_of_that_category():
    scoped = [{"securityCategoriesAcl": {"actions": ["DELETE"], "scope": {"idscope": {"ids": [5]}}}}]
    assert lacking(Inspecting(scoped), category_needs(False, [5])) == []
    assert lacking(Inspecting(scoped), category_needs(False, [6])) == category_needs(False, [6])
    assert lacking(Inspecting(scoped), category_needs(True)) == category_needs(True)


@pytest.mark.parametrize(
    "error",
    [ApiError("Forbidden", status=403, method="GET"), ApiError("boom", status=500, method="GET")],
    ids=["refused", "failed"],
)
def test_when_inspection_cannot_be_read_nothing_is_refused(error):
    client = Inspecting(READER, error=error)
    refuse_unwritable(client, "create group 'team'", group_needs(True, True))
    assert client.inspections == 1


def test_while_access_is_settling_nothing_is_read_or_refused():
    client = Inspecting(READER, settling=True)
    refuse_unwritable(client, "create group 'team'", group_needs(True, False))
    assert client.inspections == 0


def test_no_writes_need_no_inspection():
    client = Inspecting(READER)
    refuse_unwritable(client, "apply the access model ()", [])
    assert client.inspections == 0


def test_the_items_of_a_loop_share_one_inspection_until_it_is_old(monkeypatch):
    cache: dict = {}
    first, second, third = Inspecting(ADMIN), Inspecting(ADMIN), Inspecting(ADMIN)
    refuse_unwritable(first, "create group 'a'", group_needs(True, False), cache, "key")
    refuse_unwritable(second, "create group 'b'", group_needs(True, False), cache, "key")
    assert (first.inspections, second.inspections) == (1, 0)
    cache["key"]["read_at"] = time.monotonic() - write_rights.LOOP_MAX_AGE - 1
    refuse_unwritable(third, "create group 'c'", group_needs(True, False), cache, "key")
    assert third.inspections == 1


def test_an_inspection_the_client_already_read_is_used():
    client = Inspecting(READER)
    client.inspect_token()
    with pytest.raises(TaskError):
        refuse_unwritable(client, "create group 'team'", group_needs(True, False), {}, "key")
    assert client.inspections == 1
