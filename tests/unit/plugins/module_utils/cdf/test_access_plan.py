"""access_plan.py and access_writes.py on a fake client: the plan's rows, the purge safety, batching, lost answers."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.access import access_problems
from ansible_collections.dataops.iam.plugins.module_utils.cdf.access_plan import plan_access
from ansible_collections.dataops.iam.plugins.module_utils.cdf.access_writes import AccessWriter, batches
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

GROUP_WRITES = {"groupsAcl": {"actions": ["LIST", "CREATE", "DELETE"], "scope": {"all": {}}}}
ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


def entry(name, **fields):
    base = {"name": name, "state": "present", "capabilities": None, "source_id": None, "members": None,
            "metadata": None, "attributes": None}
    base.update(fields)
    return base


def params(**fields):
    base = {"groups": None, "security_categories": None, "purge": False, "protect": [], "on_duplicates": "fail",
            "allow_self_lockout": False, "allow_empty": False}
    base.update(fields)
    return base


class FakeClient:
    """Groups in memory; token inspection says which of them the caller is in."""

    project = "p"

    def __init__(self, groups, mine=(), held=(GROUP_WRITES,)):
        self.groups = [dict(g, isDeleted=False) for g in groups]
        self.mine = list(mine)
        #: Capabilities inspection shows beside those of the caller's groups here (its IdP groups' elsewhere).
        self.held = list(held)
        self.last_inspection = None
        self.posts = []
        self.lose_next_answer = False
        self.next_id = 900

    def inspect_token(self):
        caps = [dict(cap, projectScope={"allProjects": {}}) for g in self.groups if g["id"] in self.mine
                for cap in g.get("capabilities") or []] + [dict(cap, projectScope={"allProjects": {}}) for cap in self.held]
        self.last_inspection = {"subject": "me", "projects": [{"projectUrlName": "p", "groups": self.mine}],
                                "capabilities": caps}
        return self.last_inspection

    def get(self, path, params=None):
        return {"items": list(self.groups)}

    def post(self, path, body, *, policy, recheck=None):
        self.posts.append((path, len(body["items"])))
        created = []
        for item in body["items"]:
            self.next_id += 1
            group = dict(item, id=self.next_id, isDeleted=False)
            self.groups.append(group)
            created.append(group)
        if self.lose_next_answer:
            self.lose_next_answer = False
            assert policy == RECHECK
            hit = recheck()
            assert hit, "the lost batch is found by re-reading"
            return hit
        return {"items": created}

    def delete_items(self, path, body):
        gone = set(body["items"])
        self.groups = [g for g in self.groups if g["id"] not in gone]


def test_purge_spares_the_callers_group_and_the_last_group_writers():
    client = FakeClient([
        {"id": 1, "name": "mine", "capabilities": [ASSETS]},
        {"id": 2, "name": "writers", "capabilities": [GROUP_WRITES]},
        {"id": 3, "name": "stray", "capabilities": [ASSETS]},
    ], mine=[1])
    plan = plan_access(params(groups=[entry("new", capabilities=[ASSETS])], purge=True), client, client.groups, None)
    actions = {r["name"]: r["action"] for r in plan.rows}
    assert actions == {"new": "create", "mine": "protected", "writers": "protected", "stray": "purge"}
    assert plan.group_deletes == [3]
    reasons = {r["name"]: r["reason"] for r in plan.rows}
    assert "groupsAcl write rights" in reasons["writers"]


def test_a_new_group_with_group_writes_lets_the_old_writers_go():
    client = FakeClient([{"id": 2, "name": "writers", "capabilities": [GROUP_WRITES]}])
    plan = plan_access(params(groups=[entry("admins", capabilities=[GROUP_WRITES])], purge=True), client,
                       client.groups, None)
    assert {r["name"]: r["action"] for r in plan.rows} == {"admins": "create", "writers": "purge"}


def test_allow_self_lockout_purges_everything_without_the_guards():
    """The purge safety and the lockout guard are skipped; inspection still tells the rights the writes need."""
    client = FakeClient([{"id": 1, "name": "mine", "capabilities": [GROUP_WRITES]}], mine=[1], held=())
    plan = plan_access(params(groups=[], purge=True, allow_empty=True, allow_self_lockout=True), client,
                       client.groups, None)
    assert plan.group_deletes == [1] and [r["action"] for r in plan.rows] == ["purge"]


def test_replacing_the_callers_only_group_writes_is_refused():
    client = FakeClient([{"id": 1, "name": "mine", "capabilities": [GROUP_WRITES]}], mine=[1])
    with pytest.raises(TaskError, match="Refusing to apply the access model"):
        plan_access(params(groups=[entry("mine", capabilities=[ASSETS])]), client, client.groups, None)


def test_batches_bound_items_and_bytes():
    assert [len(b) for b in batches(list(range(2500)), 1000)] == [1000, 1000, 500]
    big = [{"name": "x" * 100}] * 10
    assert [len(b) for b in batches(big, 1000, 350)] == [3, 3, 3, 1]


def test_a_lost_batch_answer_is_resolved_by_rereading():
    client = FakeClient([])
    client.lose_next_answer = True
    writer = AccessWriter(client, set())
    writer.create_groups([{"name": "a", "capabilities": []}, {"name": "b", "capabilities": []}])
    assert client.posts == [("groups", 2)], "nothing sent twice"
    assert sorted(writer.created_groups) == ["a", "b"]


def test_a_too_large_batch_is_sent_in_halves():
    class Refusing(FakeClient):
        def post(self, path, body, *, policy, recheck=None):
            if len(body["items"]) > 2:
                self.posts.append((path, len(body["items"])))
                raise ApiError("failed to buffer request body", status=400)
            return super().post(path, body, policy=policy, recheck=recheck)

    client = Refusing([])
    writer = AccessWriter(client, set())
    writer.create_groups([{"name": str(i), "capabilities": []} for i in range(5)])
    assert client.posts == [("groups", 5), ("groups", 2), ("groups", 3), ("groups", 1), ("groups", 2)]
    assert len(writer.created_groups) == 5


def test_problems_name_the_object_and_the_option():
    problems = access_problems(params(groups=[entry("a"), entry("a"), entry("", metadata={"k": 1})],
                                      security_categories=["x", "x", {"name": "y", "state": "gone"}, 3]))
    text = "\n".join(problems)
    assert "'a' is declared more than once" in text
    assert "groups[2] (''): name must not be empty" in text and "metadata['k'] must be a string" in text
    assert "security_categories: 'x' is declared more than once" in text
    assert "security_categories[2]: state must be present or absent" in text
    assert "security_categories[3]: a category is a non-empty name" in text
    assert access_problems(params()) == ["set groups, security_categories or both (or src): the model is empty"]


def test_a_replace_row_says_which_fields_and_capabilities_differ():
    current = {"id": 5, "name": "g", "sourceId": "idp-1", "capabilities": [ASSETS], "metadata": {"a": "1"}}
    client = FakeClient([current])
    wanted = entry("g", source_id="idp-2", metadata={"a": "2"}, capabilities=[ASSETS, GROUP_WRITES])
    plan = plan_access(params(groups=[wanted]), client, client.groups, None)
    [replace] = plan.rows
    assert replace["action"] == "replace" and replace["id"] == 5
    assert "source_id differs" in replace["reason"] and "metadata differs" in replace["reason"]
    assert replace["added"] == ["groupsAcl: CREATE, DELETE, LIST [all]"] and "removed" not in replace
    assert [new.replaces for new in plan.group_creates] == [[5]] and plan.group_deletes == [5]
