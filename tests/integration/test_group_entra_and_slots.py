"""dataops.iam.group on real response shapes: both-fields groups of Entra ID clusters
keep their members across a replacement; no-ops create nothing; the project's group limit is explained; a 403
while a replaced group's access is still applying is retried briefly. Real ansible-playbook runs; what the
emulator holds afterwards is read with cognite-sdk 8.22.0, as a user would."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from runner import connection_vars, play, run_playbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "emulator"))
from emulator.app import build_seed_state  # noqa: E402
from emulator.cdf.seeds import ENTRA_GROUP_NAME, person_id  # noqa: E402
from emulator.process import EmulatorProcess  # noqa: E402
from sdk_helpers import sdk_client  # noqa: E402

GROUPS = "/api/v1/projects/demo/groups"
ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
EVENTS = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
TIMESERIES = {"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}}
MEMBERS = sorted([person_id("Alice"), person_id("Bob")])


def entra_task(capabilities, name="widen"):
    return {"name": name, "dataops.iam.group": {"name": ENTRA_GROUP_NAME, "capabilities": capabilities}}


def group_writes(emulator):
    return [(entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in emulator.writes()]


def test_replacing_a_both_fields_group_keeps_its_members(run, clean_emulator):
    clean_emulator.group_switches(entraResponses=True)
    sdk = sdk_client(clean_emulator)
    [old] = [g for g in sdk.iam.groups.list(all=True) if g.name == ENTRA_GROUP_NAME]
    assert old.source_id and sorted(old.members) == MEMBERS, "the emulator answers as an Entra ID cluster"
    clean_emulator.clear_log()

    result = run([entra_task([ASSETS, EVENTS, TIMESERIES])]).ok().result("widen")
    assert result["changed"] is True and result["previous_id"] == old.id
    assert group_writes(clean_emulator) == [("groups", 201), ("delete", 200)]
    [new] = [g for g in sdk.iam.groups.list(all=True) if g.name == ENTRA_GROUP_NAME]
    assert new.id == result["group"]["id"]
    assert sorted(new.members) == MEMBERS, "every member keeps the group's access"
    assert new.source_id and new.source_id != old.source_id, "the sourceId is the service's, not the task's"

    clean_emulator.clear_log()
    again = run([entra_task([ASSETS, EVENTS, TIMESERIES])]).ok().result("widen")
    assert again["changed"] is False and clean_emulator.writes() == []


def test_check_diff_of_a_both_fields_group_shows_no_membership_change(run, clean_emulator):
    clean_emulator.group_switches(entraResponses=True)
    clean_emulator.clear_log()
    result = run([entra_task([ASSETS, EVENTS, TIMESERIES])], check=True, diff=True).ok().result("widen")
    assert clean_emulator.writes() == []
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["members"] == after["members"] == MEMBERS
    assert "source_id" not in before and "source_id" not in after
    assert set(after["capabilities"]) - set(before["capabilities"]) == {"timeSeriesAcl: READ [all]"}


def test_no_ops_on_real_response_shapes_create_no_group(run, clean_emulator):
    """Entra answers (both fields, projectUrlNames in every capability): a re-run spends no group slot."""
    clean_emulator.group_switches(entraResponses=True)
    tasks = [
        entra_task([EVENTS, ASSETS], name="seeded"),
        {"name": "members", "dataops.iam.group": {"name": "squad", "members": MEMBERS[:1], "capabilities": [EVENTS]}},
        {"name": "idp", "dataops.iam.group": {"name": "linked", "source_id": "idp-linked", "capabilities": [ASSETS]}},
    ]
    first = run(tasks).ok()
    assert first.result("seeded")["changed"] is False
    assert [first.result(name)["changed"] for name in ("members", "idp")] == [True, True]
    clean_emulator.clear_log()
    second = run(tasks).ok()
    assert second.recap["changed"] == 0 and clean_emulator.writes() == []
    raw = clean_emulator.requests()
    assert any(entry["path"] == GROUPS and entry["method"] == "GET" for entry in raw)


def _state_with(tmp_path: Path, *groups: dict) -> Path:
    state = build_seed_state()
    project = state["projects"]["demo"]
    for group in groups:
        gid = state["counters"]["group"]
        state["counters"]["group"] = gid + 1
        project["groups"][str(gid)] = {"id": gid, "isDeleted": False, "deletedTime": -1, "metadata": {}, **group}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    return path


def _run_on(emu: EmulatorProcess, tasks: list, workdir: Path, **kwargs):
    # The secret from the environment, as in real use: a failing task's error context prints module_defaults.
    defaults = dict(connection_vars(emu), client_secret="{{ lookup('ansible.builtin.env', 'TEST_CDF_SECRET') }}")
    playbook = play(tasks, module_defaults={"group/dataops.iam.cdf": defaults})
    return run_playbook(playbook, workdir, secrets=emu.secrets, env={"TEST_CDF_SECRET": "admin-secret"}, **kwargs)


def test_a_group_that_cannot_be_classified_fails_before_any_write(tmp_path):
    odd = {"name": "odd", "sourceId": "idp-odd", "members": {"user": "alice"}, "capabilities": [EVENTS]}
    with EmulatorProcess(state_file=_state_with(tmp_path, odd)) as emu:
        emu.clear_log()
        outcome = _run_on(emu, [{"name": "odd", "dataops.iam.group": {"name": "odd", "capabilities": [ASSETS]}}], tmp_path / "run")
        assert outcome.rc != 0
        message = outcome.result("odd")["msg"]
        assert "Cannot tell whether group 'odd' is a members group or linked to an IdP group" in message
        assert "members or source_id" in message and "Nothing was changed" in message
        assert "Traceback" not in outcome.stdout + outcome.stderr
        assert emu.writes() == []


def test_the_group_limit_is_explained_and_each_change_spends_a_slot(tmp_path):
    def tasks(caps: list) -> list:
        return [{"name": "team", "dataops.iam.group": {"name": "team", "source_id": "idp-team", "capabilities": caps}}]

    with EmulatorProcess(group_limit=5) as emu:  # 2 seeded groups: 3 slots
        assert _run_on(emu, tasks([EVENTS]), tmp_path / "r1").ok().result("team")["changed"] is True  # slot 3
        assert _run_on(emu, tasks([EVENTS, ASSETS]), tmp_path / "r2").ok().result("team")["changed"] is True  # slot 4
        assert _run_on(emu, tasks([EVENTS, ASSETS]), tmp_path / "r3").ok().result("team")["changed"] is False
        assert _run_on(emu, tasks([ASSETS]), tmp_path / "r4").ok().result("team")["changed"] is True  # slot 5
        emu.clear_log()
        failed = _run_on(emu, tasks([TIMESERIES]), tmp_path / "r5")
        assert failed.rc != 0
        result = failed.result("team")
        message = result["msg"]
        assert "There can only be 5 undeleted or deleted groups per project" in message
        assert "all its 5 group slots" in message and "counts deleted groups too" in message
        assert "each change of a group made by this module creates a new group" in message
        assert result["changed"] is False and result["status"] == 400
        assert "Traceback" not in failed.stdout + failed.stderr
        assert group_writes(emu) == [("groups", 400)], "nothing deleted: the old group stays"
        assert [g.name for g in sdk_client(emu).iam.groups.list(all=True)] == ["admins", "readers", "team"]


def _admins_plus(clean_emulator, extra):
    admins = [g for g in sdk_client(clean_emulator).iam.groups.list(all=True) if g.name == "admins"][0]
    return admins.dump(camel_case=True)["capabilities"] + [extra]


def test_a_403_right_after_replacing_the_callers_group_is_retried_briefly(run, clean_emulator):
    """Item 1 replaces the group that gives the caller its rights; item 2's first call meets the new group's
    access still applying (the emulator's apply delay) and succeeds once it has."""
    clean_emulator.group_switches(applyDelaySeconds=1.2)
    items = [
        {"name": "admins", "source_id": "cdf-admins", "capabilities": _admins_plus(clean_emulator, EVENTS)},
        {"name": "after-admins", "source_id": "idp-after", "capabilities": [EVENTS]},
    ]
    clean_emulator.clear_log()
    task = {"name": "loop", "dataops.iam.group": "{{ item }}", "loop": items}
    outcome = run([task]).ok()
    assert [r["changed"] for r in outcome.result("loop")["results"]] == [True, True]
    statuses = [entry["status"] for entry in clean_emulator.requests()]
    assert 403 in statuses and statuses[-1] < 300, "a 403 while the access applied, then success"
    assert statuses.count(403) <= 3, "bounded: a few attempts"


def test_an_ordinary_403_is_not_retried(run, clean_emulator):
    """A 403 the token inspection did not foresee (the caller holds groupsAcl:CREATE, so the module's own rights
    check lets the create go; a reader is refused before any write since that check): sent once."""
    clean_emulator.inject(method="POST", path=GROUPS, status=403, message="Resource not accessible", times=-1)
    clean_emulator.clear_log()
    task = {"name": "loop", "dataops.iam.group": "{{ item }}", "loop": [{"name": "one", "source_id": "idp-1"}]}
    failed = run([task])
    assert failed.rc != 0
    posts = [entry for entry in clean_emulator.requests() if entry["method"] == "POST" and entry["path"] == GROUPS]
    assert [entry["status"] for entry in posts] == [403], "sent once"
