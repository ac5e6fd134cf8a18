"""tasks.ObjectTask: the one present/absent flow: which of the subclass's methods run, in check mode and out of it,
and the result (``changed``, the object under ``key``, ``diff`` with --diff); TaskError; what a failed call keeps."""

from __future__ import annotations

from typing import Optional

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import WorkerModule


def module(check_mode: bool = False, diff: bool = False, **params) -> WorkerModule:
    return WorkerModule("test", params, set(), check_mode=check_mode, diff=diff)


class Thing(ObjectTask):
    """A thing by name with a size; ``current`` is what ``find`` finds. Every call is logged."""

    key = "thing"

    def __init__(self, mod: WorkerModule, current: Optional[dict] = None) -> None:
        super().__init__(mod, client=None)
        self.current = current
        self.log: list = []

    def find(self) -> Optional[dict]:
        self.log.append("find")
        return self.current

    def desired(self, current: Optional[dict]) -> dict:
        return dict(current or {}, name=self.params["name"], size=self.params["size"])

    def differs(self, current: dict, desired: dict) -> bool:
        return current["size"] != desired["size"]

    def create(self, desired: dict) -> dict:
        self.log.append(("create", desired["name"]))
        return dict(desired, id=1)

    def update(self, current: dict, desired: dict) -> dict:
        self.log.append(("update", current["id"]))
        return dict(desired, id=current["id"], version=2)

    def delete(self, current: dict) -> None:
        self.log.append(("delete", current["id"]))

    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        self.log.append(("before_change", None if current is None else current["id"], desired and desired["size"]))

    def view(self, obj: dict) -> dict:
        return {"name": obj["name"], "size": obj["size"]}


EXISTING = {"id": 7, "name": "a", "size": 1}


def writes(task: Thing) -> list:
    return [entry for entry in task.log if isinstance(entry, tuple) and entry[0] in ("create", "update", "delete")]


# -- present ------------------------------------------------------------------------------------------------
def test_create_when_not_found():
    task = Thing(module(diff=True, name="a", size=1))
    result = task.run()
    assert result == {
        "changed": True, "thing": {"name": "a", "size": 1, "id": 1},
        "diff": {"before": {}, "after": {"name": "a", "size": 1}},
    }
    assert task.log == ["find", ("before_change", None, 1), ("create", "a")]


def test_update_when_it_differs():
    task = Thing(module(diff=True, name="a", size=2), current=dict(EXISTING))
    result = task.run()
    assert result["changed"] is True and result["thing"] == {"id": 7, "name": "a", "size": 2, "version": 2}
    assert result["diff"] == {"before": {"name": "a", "size": 1}, "after": {"name": "a", "size": 2}}
    assert task.log == ["find", ("before_change", 7, 2), ("update", 7)]


def test_no_change_calls_no_writer_and_no_guard():
    task = Thing(module(diff=True, name="a", size=1), current=dict(EXISTING))
    result = task.run()
    assert result == {"changed": False, "thing": EXISTING, "diff": {"before": {"name": "a", "size": 1},
                                                                    "after": {"name": "a", "size": 1}}}
    assert task.log == ["find"]


def test_the_state_defaults_to_present():
    task = Thing(module(name="a", size=1))
    assert "state" not in task.params and task.state == "present"
    assert task.run()["changed"] is True and writes(task) == [("create", "a")]


def test_an_object_that_cannot_change_in_place_says_so():
    class Fixed(Thing):
        update = ObjectTask.update

    with pytest.raises(TaskError) as caught:
        Fixed(module(name="a", size=2), current=dict(EXISTING)).run()
    assert caught.value.msg == "thing cannot be changed in place"


# -- absent -------------------------------------------------------------------------------------------------
def test_absent_deletes_what_is_there():
    task = Thing(module(diff=True, state="absent", name="a", size=1), current=dict(EXISTING))
    assert task.run() == {"changed": True, "thing": None, "diff": {"before": {"name": "a", "size": 1}, "after": {}}}
    assert task.log == ["find", ("before_change", 7, None), ("delete", 7)]


def test_absent_when_already_gone_is_no_change():
    task = Thing(module(diff=True, state="absent", name="a", size=1))
    assert task.run() == {"changed": False, "thing": None, "diff": {"before": {}, "after": {}}}
    assert task.log == ["find"]


# -- check mode ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("state, current, size, guarded", [
    ("present", None, 1, (None, 1)),
    ("present", EXISTING, 2, (7, 2)),
    ("absent", EXISTING, 1, (7, None)),
])
def test_check_mode_never_calls_create_update_or_delete_but_calls_the_guard(state, current, size, guarded):
    task = Thing(module(check_mode=True, state=state, name="a", size=size), current=dict(current) if current else None)
    result = task.run()
    assert result["changed"] is True
    assert writes(task) == []
    assert ("before_change",) + guarded in task.log, "a plan never shows what the run would refuse"


def test_check_mode_shows_the_desired_object():
    created = Thing(module(check_mode=True, diff=True, name="a", size=3)).run()
    assert created["thing"] == {"name": "a", "size": 3} and created["diff"]["after"] == {"name": "a", "size": 3}
    updated = Thing(module(check_mode=True, name="a", size=3), current=dict(EXISTING)).run()
    assert updated["thing"] == {"id": 7, "name": "a", "size": 3}


def test_a_guard_that_refuses_stops_the_write_in_both_modes():
    class Guarded(Thing):
        def before_change(self, current, desired):
            raise TaskError("would lock you out", lockout=True)

    for check_mode in (False, True):
        task = Guarded(module(check_mode=check_mode, state="absent", name="a", size=1), current=dict(EXISTING))
        with pytest.raises(TaskError) as caught:
            task.run()
        assert caught.value.msg == "would lock you out" and caught.value.result == {"lockout": True}
        assert writes(task) == []


# -- the result ---------------------------------------------------------------------------------------------
def test_without_diff_mode_the_result_has_no_diff_and_keeps_extra_fields():
    class WithExtra(Thing):
        def create(self, desired):
            self.extra["warnings_seen"] = 0
            return super().create(desired)

    result = WithExtra(module(name="a", size=1)).run()
    assert result == {"changed": True, "thing": {"name": "a", "size": 1, "id": 1}, "warnings_seen": 0}


# -- a failed call ------------------------------------------------------------------------------------------
class HalfDone(Thing):
    """Creates, then fails on a second call; ``partial`` says what was done."""

    def create(self, desired):
        self.log.append(("create", desired["name"]))
        self.extra["created_id"] = 1
        raise ApiError("second call failed", status=503)

    def partial(self):
        return {"created_id": self.extra.get("created_id"), "thing": {"id": 1}}


def test_an_api_error_leaves_with_what_was_already_done():
    with pytest.raises(ApiError) as caught:
        HalfDone(module(name="a", size=1)).run()
    assert caught.value.partial == {"created_id": 1, "thing": {"id": 1}}


def test_the_error_s_own_partial_fields_win():
    class Deeper(HalfDone):
        def create(self, desired):
            error = ApiError("failed", status=500)
            error.partial = {"thing": {"id": 2}}
            raise error

    with pytest.raises(ApiError) as caught:
        Deeper(module(name="a", size=1)).run()
    assert caught.value.partial == {"created_id": None, "thing": {"id": 2}}


def test_a_task_error_carries_no_partial_and_passes_through():
    class Refused(Thing):
        def find(self):
            raise TaskError("refused")

    with pytest.raises(TaskError):
        Refused(module(name="a", size=1)).run()


# -- TaskError ----------------------------------------------------------------------------------------------
def test_task_error_has_its_message_and_result_fields():
    error = TaskError("Group 'x' has duplicates", ids=[1, 2], changed=False)
    assert str(error) == error.msg == "Group 'x' has duplicates"
    assert error.result == {"ids": [1, 2], "changed": False}
    assert TaskError("plain").result == {}
    assert isinstance(error, Exception) and not isinstance(error, ApiError)
