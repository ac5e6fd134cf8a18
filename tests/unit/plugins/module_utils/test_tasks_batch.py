"""tasks.BatchTask: several objects brought to one state by batched writes (revoking sessions): only the pending
ones are written, check mode writes nothing, the result lists the changed labels and a diff labelled per object."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import BatchTask
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import WorkerModule


def module(check_mode: bool = False, diff: bool = False) -> WorkerModule:
    return WorkerModule("test", {"ids": [1, 2, 3]}, set(), check_mode=check_mode, diff=diff)


class Revoke(BatchTask):
    """Sessions by id: ACTIVE ones are revoked; the write answers with a field of its own."""

    key = "sessions"
    done_key = "revoked_ids"

    def __init__(self, mod: WorkerModule, sessions: list) -> None:
        super().__init__(mod, client=None)
        self.sessions = sessions
        self.written: list = []

    def targets(self) -> list:
        return [dict(session) for session in self.sessions]

    def label(self, obj: dict) -> int:
        return obj["id"]

    def pending(self, obj: dict) -> bool:
        return obj["status"] == "ACTIVE"

    def changed(self, obj: dict) -> dict:
        return dict(obj, status="REVOKED")

    def write(self, objs: list) -> dict:
        self.written.append([obj["id"] for obj in objs])
        return {obj["id"]: {"revokedTime": 99} for obj in objs}

    def view(self, obj: dict) -> dict:
        return {key: value for key, value in obj.items() if key != "secret"}


SESSIONS = [
    {"id": 1, "status": "ACTIVE", "secret": "x"},
    {"id": 2, "status": "REVOKED", "secret": "y"},
    {"id": 3, "status": "ACTIVE", "secret": "z"},
]


def test_only_the_pending_objects_are_written_in_one_batch():
    task = Revoke(module(diff=True), SESSIONS)
    result = task.run()
    assert task.written == [[1, 3]]
    assert result["changed"] is True and result["revoked_ids"] == [1, 3]
    assert result["sessions"] == [
        {"id": 1, "status": "REVOKED", "revokedTime": 99},
        {"id": 2, "status": "REVOKED"},
        {"id": 3, "status": "REVOKED", "revokedTime": 99},
    ]


def test_the_diff_is_labelled_per_object_before_and_after():
    result = Revoke(module(diff=True), SESSIONS).run()
    assert result["diff"]["before"] == {
        "1": {"id": 1, "status": "ACTIVE"}, "2": {"id": 2, "status": "REVOKED"}, "3": {"id": 3, "status": "ACTIVE"},
    }
    assert result["diff"]["after"] == {
        "1": {"id": 1, "status": "REVOKED", "revokedTime": 99}, "2": {"id": 2, "status": "REVOKED"},
        "3": {"id": 3, "status": "REVOKED", "revokedTime": 99},
    }
    assert "diff" not in Revoke(module(), SESSIONS).run()


def test_nothing_pending_writes_nothing_and_is_no_change():
    done = [dict(session, status="REVOKED") for session in SESSIONS]
    task = Revoke(module(diff=True), done)
    result = task.run()
    assert task.written == []
    assert result["changed"] is False and result["revoked_ids"] == []
    assert result["diff"]["before"] == result["diff"]["after"]
    empty = Revoke(module(), [])
    assert empty.run() == {"changed": False, "sessions": [], "revoked_ids": []} and empty.written == []


def test_check_mode_writes_nothing_and_shows_the_change_it_would_make():
    task = Revoke(module(check_mode=True, diff=True), SESSIONS)
    result = task.run()
    assert task.written == []
    assert result["changed"] is True and result["revoked_ids"] == [1, 3]
    assert [session["status"] for session in result["sessions"]] == ["REVOKED"] * 3
    assert "revokedTime" not in str(result), "only the write's answer has it"
    assert result["diff"]["before"]["1"]["status"] == "ACTIVE"


def test_the_default_done_key_never_replaces_the_changed_flag():
    class Plain(Revoke):
        done_key = BatchTask.done_key

    result = Plain(module(), SESSIONS).run()
    assert result["changed"] is True and result[BatchTask.done_key] == [1, 3]
    assert Plain(module(), [SESSIONS[1]]).run()["changed"] is False


def test_a_failed_write_leaves_with_the_task_s_partial_fields():
    class Failing(Revoke):
        def write(self, objs):
            raise ApiError("revoke failed", status=500)

        def partial(self):
            return {"revoked_ids": []}

    with pytest.raises(ApiError) as caught:
        Failing(module(), SESSIONS).run()
    assert caught.value.partial == {"revoked_ids": []}
