"""dataops.iam.user_profile_info, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

import json

from emulator.app import build_seed_state
from emulator.cdf.seeds import person_id
from emulator.process import EmulatorProcess
from runner import connection_vars, play, run_playbook

ALICE, BOB = person_id("Alice"), person_id("Bob")


def info_task(name="info", **options):
    return {"name": name, "dataops.iam.user_profile_info": options, "register": name.replace(" ", "_")}


def test_me_is_the_callers_own_profile_or_nothing_with_a_warning(run, clean_emulator):
    admin = run([info_task(me=True)], check=True).ok().result("info")
    assert [profile["userIdentifier"] for profile in admin["profiles"]] == ["admin"]
    assert admin["changed"] is False
    reader = run([info_task(me=True)], client=("reader", "reader-secret")).ok().result("info")
    assert reader["profiles"] == []
    assert any("has no user profile" in warning for warning in reader["warnings"])
    assert clean_emulator.writes() == []


def test_search_by_name_prefix_and_by_identifier(run):
    tasks = [
        info_task(name="al", search="Al"),
        info_task(name="one", search="al", limit=1),
        info_task(name="surname", search="nakam"),
        info_task(name="ids", user_identifier=[BOB, "nobody", ALICE]),
    ]
    outcome = run(tasks).ok()
    assert sorted(p["displayName"] for p in outcome.result("al")["profiles"]) == ["Alex Berg", "Alice Andersen"]
    assert len(outcome.result("one")["profiles"]) == 1
    assert [p["userIdentifier"] for p in outcome.result("surname")["profiles"]] == [BOB]
    by_id = outcome.result("ids")
    assert sorted(p["userIdentifier"] for p in by_id["profiles"]) == sorted([ALICE, BOB])
    assert by_id["not_found"] == ["nobody"]
    assert {"email", "givenName", "surname", "lastUpdatedTime"} <= set(by_id["profiles"][0])


def test_all_profiles_and_limit(run):
    outcome = run([info_task(name="all"), info_task(name="three", limit=3)]).ok()
    everyone = outcome.result("all")["profiles"]
    assert len(everyone) == 7 and "admin" in {p["userIdentifier"] for p in everyone}
    assert len(outcome.result("three")["profiles"]) == 3


def test_found_identifiers_go_straight_into_a_groups_members(run, cdf):
    tasks = [
        info_task(name="alice", search="Alice"),
        info_task(name="bob", search="Bob"),
        {
            "name": "group",
            "dataops.iam.group": {
                "name": "analysts",
                "members": "{{ (alice.profiles + bob.profiles) | map(attribute='userIdentifier') | list }}",
                "capabilities": [{"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}],
            },
        },
    ]
    run(tasks).ok()
    assert sorted(cdf.groups("analysts")[0]["members"]) == sorted([ALICE, BOB])


def test_every_page_of_a_large_directory_is_read(tmp_path):
    state = build_seed_state()
    profiles = state["projects"]["demo"]["profiles"]
    for index in range(1200):
        uid = "user-%04d" % index
        profiles[uid] = {"userIdentifier": uid, "displayName": "Person %04d" % index, "lastUpdatedTime": 1, "identityType": "USER"}
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(state))
    with EmulatorProcess(state_file) as emulator:
        defaults = {"group/dataops.iam.cdf": connection_vars(emulator)}
        outcome = run_playbook(play([info_task(name="all")], module_defaults=defaults), tmp_path / "run").ok()
        assert len(outcome.result("all")["profiles"]) == 1207
        lists = [entry["query"] for entry in emulator.requests() if entry["path"].endswith("/profiles")]
        assert [("cursor" in query) for query in lists] == [False, True]


def test_bad_options_fail_before_any_call_and_missing_rights_clearly(run, clean_emulator, cdf):
    cases = [
        ({"me": True, "search": "Al"}, "me and search are mutually exclusive"),
        ({"search": " "}, "search must not be empty"),
        ({"limit": 0}, "limit must be at least 1"),
        ({"user_identifier": [ALICE], "limit": 2}, "limit is for search"),
    ]
    clean_emulator.clear_log()
    outcome = run([dict(info_task(f"case {i}", **options), ignore_errors=True) for i, (options, _expected) in enumerate(cases)])
    for i, (_options, expected) in enumerate(cases):
        [recorded] = [t for t in outcome.tasks if t["task"] == f"case {i}"]
        assert recorded["status"] == "failed" and expected in recorded["result"]["msg"], recorded["result"]["msg"]
    assert clean_emulator.requests() == []
    # Every member of a group of the project holds userProfilesAcl:READ (CDF grants it): a caller in none lacks it.
    cdf.delete_groups(*[group["id"] for group in cdf.groups("readers")])
    outcome = run([info_task(search="Al")], client=("reader", "reader-secret"))
    message = outcome.result("info")["msg"]
    assert "403" in message and "userProfilesAcl" in message
