"""dataops.iam.login_session, login_session_info and principal_info (auth API), driven by real ansible-playbook runs,
with the auth API's own credentials (group/dataops.iam.auth_api)."""

from __future__ import annotations

import json

import pytest

from emulator.app import build_seed_state
from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS, principal_id
from emulator.process import EmulatorProcess
from runner import play, run_playbook

pytestmark = pytest.mark.both_paths

pytestmark = pytest.mark.both_paths

ALICE, CARLA, EVA = principal_id("Alice"), principal_id("Carla"), principal_id("Eva")


def info_task(principal=ALICE, name="info", **options):
    return {"name": name, "dataops.iam.login_session_info": {"org": ORG, "principal": principal, **options}}


def revoke_task(principal=ALICE, name="revoke", **options):
    return {"name": name, "dataops.iam.login_session": {"org": ORG, "principal": principal, **options}}


def auth_defaults(emulator, client="org-admin"):
    """The auth API options, once per play: the emulator as the auth API, a seeded auth API service account (its
    secret comes from the environment, COGNITE_AUTH_CLIENT_SECRET: see auth_env)."""
    return {"group/dataops.iam.auth_api": {"auth_url": emulator.url, "auth_client_id": client}}


def auth_env(client="org-admin"):
    return {"COGNITE_AUTH_CLIENT_SECRET": SEED_AUTH_CLIENTS[client][0]}


@pytest.fixture
def auth_run(run, clean_emulator):
    def _run(tasks, client="org-admin", **kwargs):
        return run(tasks, module_defaults=auth_defaults(clean_emulator, client), env=auth_env(client), **kwargs)

    return _run


def sessions_of(emulator, principal):
    return emulator.state()["orgs"][ORG]["principals"][principal]["sessions"]


def revoke_calls(emulator):
    return [entry["body"]["items"] for entry in emulator.writes() if entry["path"].endswith("/sessions/revoke")]


def test_info_lists_every_page_and_filters_by_status(auth_run, clean_emulator):
    clean_emulator.clear_log()
    tasks = [
        info_task(),
        info_task(name="active", status="ACTIVE"),
        info_task(CARLA, name="carla", page_size=50),
        info_task(CARLA, name="carla revoked", status="REVOKED", page_size=50),
        info_task(EVA, name="eva"),
    ]
    outcome = auth_run(tasks, check=True).ok()
    alice = outcome.result("info")["login_sessions"]
    assert [s["status"] for s in alice] == ["ACTIVE", "ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED"]
    assert [s["id"] for s in outcome.result("active")["login_sessions"]] == [s["id"] for s in alice[:2]]
    carla = outcome.result("carla")["login_sessions"]
    assert len(carla) == 125 and len({s["id"] for s in carla}) == 125
    assert [s["status"] for s in outcome.result("carla revoked")["login_sessions"]] == ["REVOKED", "REVOKED"]
    assert outcome.result("eva")["login_sessions"] == []
    carla_pages = [entry["query"] for entry in clean_emulator.requests() if CARLA in entry["path"]][:3]
    assert [query["limit"] for query in carla_pages] == ["50", "50", "50"]
    assert ["cursor" in query for query in carla_pages] == [False, True, True], "nextCursor.cursor was followed"
    assert clean_emulator.writes() == []


def test_all_active_revokes_check_mode_first_then_idempotent(auth_run, clean_emulator):
    active = [s["id"] for s in sessions_of(clean_emulator, ALICE) if s["status"] == "ACTIVE"]
    clean_emulator.clear_log()
    checked = auth_run([revoke_task(all_active=True)], check=True, diff=True).ok().result("revoke")
    assert checked["changed"] is True and sorted(checked["revoked_ids"]) == sorted(active)
    assert {checked["diff"]["before"][i]["status"] for i in active} == {"ACTIVE"}
    assert {checked["diff"]["after"][i]["status"] for i in active} == {"REVOKED"}
    assert clean_emulator.writes() == []

    done = auth_run([revoke_task(all_active=True)]).ok().result("revoke")
    assert done["changed"] is True and sorted(done["revoked_ids"]) == sorted(active)
    assert {s["status"] for s in done["login_sessions"]} == {"REVOKED"}
    assert [sorted(i["id"] for i in call) for call in revoke_calls(clean_emulator)] == [sorted(active)]
    assert {s["status"] for s in sessions_of(clean_emulator, ALICE) if s["id"] in active} == {"REVOKED"}

    clean_emulator.clear_log()
    again = auth_run([revoke_task(all_active=True)]).ok()
    assert again.result("revoke")["changed"] is False and again.result("revoke")["revoked_ids"] == []
    assert again.recap["changed"] == 0
    assert clean_emulator.writes() == []


def test_given_ids_only_active_ones_are_sent_and_ended_ones_are_no_change(auth_run, clean_emulator):
    alice = sessions_of(clean_emulator, ALICE)
    ids = [s["id"] for s in alice]
    clean_emulator.clear_log()
    result = auth_run([revoke_task(ids=ids[:3])], diff=True).ok().result("revoke")
    assert result["revoked_ids"] == ids[:2]
    assert result["diff"]["before"][ids[2]] == result["diff"]["after"][ids[2]], "LOGGED_OUT stays as it was"
    assert revoke_calls(clean_emulator) == [[{"id": ids[0]}, {"id": ids[1]}]]
    ended = auth_run([revoke_task(ids=ids[2:])]).ok().result("revoke")
    assert ended["changed"] is False and ended["revoked_ids"] == []


def test_an_empty_id_list_revokes_nothing_and_is_no_change(auth_run, clean_emulator):
    """ids: [] (a filter that found nothing) is no change and no call; it never means "every active session"."""
    before = sessions_of(clean_emulator, ALICE)
    assert [s for s in before if s["status"] == "ACTIVE"], "the seed gives Alice active sessions"
    clean_emulator.clear_log()
    tasks = [
        revoke_task(name="revoke empty", ids=[]),
        revoke_task(name="revoke none found", ids="{{ [] | map(attribute='id') | list }}"),
    ]
    outcome = auth_run(tasks, diff=True).ok()
    for name in ("revoke empty", "revoke none found"):
        result = outcome.result(name)
        assert result["changed"] is False and result["revoked_ids"] == [] and result["login_sessions"] == [], result
        assert result["diff"] == {"before": {}, "after": {}}
    assert outcome.recap["changed"] == 0
    assert clean_emulator.writes() == []
    assert [entry for entry in clean_emulator.requests() if "/sessions" in entry["path"]] == [], "no call to the auth API"
    assert sessions_of(clean_emulator, ALICE) == before


def test_unknown_ids_fail_and_nothing_is_revoked(auth_run, clean_emulator):
    first = sessions_of(clean_emulator, ALICE)[0]["id"]
    clean_emulator.clear_log()
    outcome = auth_run([revoke_task(ids=[first, "no-such-session"])])
    assert outcome.rc != 0
    result = outcome.result("revoke")
    assert "no login session with the id no-such-session" in result["msg"] and "nothing was revoked" in result["msg"]
    assert clean_emulator.writes() == []


def test_more_than_ten_active_sessions_go_ten_per_call(tmp_path):
    state = build_seed_state()
    sessions = state["orgs"][ORG]["principals"][CARLA]["sessions"]
    for session in sessions[:23]:
        session["status"] = "ACTIVE"
        session.pop("deactivatedTime", None)
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(state))
    with EmulatorProcess(state_file) as emulator:
        defaults = auth_defaults(emulator)
        outcome = run_playbook(play([revoke_task(CARLA, all_active=True)], module_defaults=defaults), tmp_path / "run",
                               env=auth_env())
        result = outcome.ok().result("revoke")
        assert len(result["revoked_ids"]) == 23
        calls = revoke_calls(emulator)
        assert [len(call) for call in calls] == [10, 10, 3]
        active = [s for s in emulator.state()["orgs"][ORG]["principals"][CARLA]["sessions"] if s["status"] == "ACTIVE"]
        assert active == []


def test_callers_that_are_not_org_admins_and_bad_principals_fail_clearly(auth_run):
    outcome = auth_run([info_task()], client="org-member")
    message = outcome.result("info")["msg"]
    assert "403" in message and "not an admin of organization 'demo-org'" in message
    assert "belongs to the organization given as org" in message and "check project" not in message
    outcome = auth_run([revoke_task("nobody", all_active=True)])
    assert "404" in outcome.result("revoke")["msg"] and "nobody" in outcome.result("revoke")["msg"]
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_bad_input_fails_before_any_call(auth_run, clean_emulator):
    cases = [
        (info_task(name="t") | {"dataops.iam.login_session_info": {"org": "Demo_Org", "principal": ALICE}}, "is not an organization id"),
        (revoke_task(name="t"), "set ids (the sessions to revoke) or all_active: true"),
        (revoke_task(name="t", ids=["x"], all_active=True), "mutually exclusive"),
        (revoke_task(name="t", ids=[], all_active=True), "mutually exclusive"),
        (info_task(name="t", page_size=0), "page_size must be between 1 and 1000"),
        (info_task(name="t", auth_url="auth.cognite.com"), "auth_url (or COGNITE_AUTH_URL) must be an absolute http:// or https:// URL"),
    ]
    clean_emulator.clear_log()
    outcome = auth_run([dict(task, name=f"case {i}", ignore_errors=True) for i, (task, _expected) in enumerate(cases)])
    for i, (_task, expected) in enumerate(cases):
        [recorded] = [t for t in outcome.tasks if t["task"] == f"case {i}"]
        assert recorded["status"] == "failed" and expected in recorded["result"]["msg"], recorded["result"]["msg"]
    assert clean_emulator.requests() == []
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_throttling_is_waited_out_and_a_lost_revoke_answer_is_sent_again(auth_run, clean_emulator):
    sessions_path = f"/api/v1/orgs/{ORG}/principals/{ALICE}/sessions"
    clean_emulator.inject_all([
        {"method": "GET", "path": sessions_path, "status": 429, "retryAfter": 1, "times": 1},
        {"method": "POST", "path": sessions_path + "/revoke", "status": 503, "after": True, "times": 1},
    ])
    result = auth_run([revoke_task(all_active=True)]).ok().result("revoke")
    assert len(result["revoked_ids"]) == 2
    reads = [entry["status"] for entry in clean_emulator.requests() if entry["path"] == sessions_path]
    assert reads == [429, 200]
    assert [entry["status"] for entry in clean_emulator.writes()] == [503, 204]
    assert not [s for s in sessions_of(clean_emulator, ALICE) if s["status"] == "ACTIVE"]
