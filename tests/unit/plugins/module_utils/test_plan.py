"""plan.py: rows, counts, protect entries."""

from __future__ import annotations

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.plan import Protect, counts, duplicate_names, row


def test_protect_matches_exact_names_and_whole_name_regexes():
    protect = Protect(["admins", "team-.*", "a.b"])
    assert protect.match("admins") == "admins"
    assert protect.match("team-x") == "team-.*"
    assert protect.match("my-team-x") is None, "a regex protects whole names only"
    assert protect.match("a.b") == "a.b" and protect.match("axb") == "a.b"
    assert protect.match("admins2") is None


def test_protect_refuses_an_invalid_regex_and_empty_entries():
    problems = Protect(["(", " "]).problems()
    assert any("'(' is not a regular expression" in p for p in problems)
    assert "protect must not contain empty entries" in problems


def test_counts_name_every_action():
    plan = [row("group", "a", "create"), row("group", "b", "create"), row("group", "c", "purge", ids=[1])]
    assert counts(plan) == {"create": 2, "replace": 0, "update": 0, "delete": 0, "purge": 1, "unchanged": 0,
                            "protected": 0}
    with pytest.raises(ValueError):
        row("group", "a", "explode")


def test_duplicate_names_in_order():
    assert duplicate_names(["a", "b", "a", "c", "b", "a"]) == ["a", "b"]
