"""reconcile.combine: one result for a task that brings several objects to their state."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.reconcile import Outcome, combine


def test_changed_when_any_changed_and_the_diff_is_labelled():
    outcomes = {
        "1": Outcome(True, {"status": "ACTIVE"}, {"status": "REVOKED"}, {"id": 1}),
        "2": Outcome(False, {"status": "REVOKED"}, {"status": "REVOKED"}, {"id": 2}),
        "3": Outcome(True, None, {"status": "NEW"}, {"id": 3}),
    }
    combined = combine(outcomes, ["the", "objects"])
    assert combined.changed is True
    assert combined.before == {"1": {"status": "ACTIVE"}, "2": {"status": "REVOKED"}}
    assert combined.after == {"1": {"status": "REVOKED"}, "2": {"status": "REVOKED"}, "3": {"status": "NEW"}}
    result = combined.result("sessions", with_diff=True)
    assert result["sessions"] == ["the", "objects"] and result["diff"]["before"]["1"] == {"status": "ACTIVE"}


def test_nothing_to_do_is_no_change():
    combined = combine({"1": Outcome(False, {"a": 1}, {"a": 1}, {"id": 1})}, [])
    assert combined.changed is False
    assert combine({}, []).changed is False
    assert combine({}, []).result("x", with_diff=False) == {"changed": False, "x": []}
