"""The shape comparison the agreement test relies on finds what it must (and nothing else)."""

from __future__ import annotations

from documented import all_names, load, shape_problems

FIXTURE = {
    "_optional": ["items[].clientId"],
    "_open": ["meta"],
    "_opaque": ["items[].capabilities"],
    "body": {"items": [{"id": 1, "clientId": "c", "capabilities": [{"aAcl": {}}]}], "meta": {"a": 1}},
}


def test_same_shape_other_values_agree():
    actual = {"items": [{"id": 9, "clientId": "x", "capabilities": [{"bAcl": {"x": 1}}]}, {"id": 10, "capabilities": []}],
              "meta": {"a": 2, "more": True}}
    assert shape_problems(FIXTURE, actual) == []


def test_missing_extra_and_retyped_keys_are_named():
    actual = {"items": [{"id": "1", "capabilities": {}, "extra": 1}]}
    assert shape_problems(FIXTURE, actual) == [
        "items[].id: documented number, emulator string",
        "items[].capabilities: documented array, emulator object",
        "items[].extra: in the emulator's answer, not documented",
        "meta: documented, absent from the emulator's answer",
    ]


def test_every_fixture_names_its_source_status_and_body():
    names = all_names()
    assert len(names) >= 40
    for name in names:
        fixture = load(name)
        assert fixture["_source"].strip() and isinstance(fixture["status"], int), name
        assert "body" in fixture, name
        assert shape_problems(fixture, fixture["body"]) == [], name
