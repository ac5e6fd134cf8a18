"""The shared present/absent loop: which callbacks run, in check mode and out of it, and the result shape."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.reconcile import reconcile


class Calls:
    def __init__(self):
        self.log = []

    def create(self, desired):
        self.log.append(("create", desired["name"]))
        return dict(desired, id=1)

    def update(self, current, desired):
        self.log.append(("update", current["id"]))
        return dict(desired, id=2)

    def delete(self, current):
        self.log.append(("delete", current["id"]))


def go(calls, *, state="present", current=None, desired=None, check_mode=False):
    return reconcile(
        state=state, current=current, check_mode=check_mode, view=lambda obj: {"name": obj["name"]},
        desired=desired, differs=lambda cur, want: cur["size"] != want["size"],
        create=calls.create, update=calls.update, delete=calls.delete,
    )


def test_create_update_and_no_change():
    calls = Calls()
    created = go(calls, desired={"name": "a", "size": 1})
    assert created.changed and created.obj["id"] == 1 and created.before is None
    same = go(calls, current={"name": "a", "size": 1, "id": 1}, desired={"name": "a", "size": 1})
    assert not same.changed and same.obj["id"] == 1
    updated = go(calls, current={"name": "a", "size": 1, "id": 1}, desired={"name": "a", "size": 2})
    assert updated.changed and updated.obj["id"] == 2
    assert calls.log == [("create", "a"), ("update", 1)]


def test_check_mode_never_calls_a_writer():
    calls = Calls()
    assert go(calls, desired={"name": "a", "size": 1}, check_mode=True).changed
    assert go(calls, current={"name": "a", "size": 1, "id": 1}, desired={"name": "a", "size": 2}, check_mode=True).changed
    assert go(calls, state="absent", current={"name": "a", "size": 1, "id": 1}, check_mode=True).changed
    assert calls.log == []


def test_absent_is_idempotent_and_the_result_has_the_diff_when_asked():
    calls = Calls()
    gone = go(calls, state="absent", current={"name": "a", "size": 1, "id": 7})
    assert gone.result("thing", with_diff=True) == {
        "changed": True, "thing": None, "diff": {"before": {"name": "a"}, "after": {}},
    }
    assert not go(calls, state="absent").changed
    assert "diff" not in go(calls, state="absent").result("thing", with_diff=False)
    assert calls.log == [("delete", 7)]
