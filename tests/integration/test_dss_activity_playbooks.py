"""dss_user_info's activity and dormant filter, and playbooks/dss_dormant.yml (report, then -e apply=true), driven by
real ansible-playbook runs against the emulator's DSS API, whose users' activity the tests set (set_dss_activity)."""

from __future__ import annotations

import time

import pytest

from runner import REPO, run_playbook

pytestmark = pytest.mark.both_paths
DORMANT = REPO / "playbooks" / "dss_dormant.yml"
DAY_MS = 86_400_000


def days_ago(days: float) -> int:
    return int(time.time() * 1000 - days * DAY_MS)


def info_task(task="read users", **options):
    return {"name": task, "dataops.iam.dss_user_info": options}


def logins(result):
    return [user["login"] for user in result["users"]]


def team(dss, clean_emulator):
    """analyst (seeded: last login 120 days ago), plus: old.contractor (200 days), svc-etl (400 days, a service account),
    recent (3 days), new.hire (created now, never logged in), gone (300 days, already disabled)."""
    for login in ("old.contractor", "svc-etl", "recent", "new.hire", "gone"):
        dss.create_user(login, groups=["readers"])
    clean_emulator.set_dss_activity("old.contractor", lastSuccessfulLogin=days_ago(200), lastSessionActivity=days_ago(199.5))
    clean_emulator.set_dss_activity("svc-etl", lastSuccessfulLogin=days_ago(400))
    clean_emulator.set_dss_activity("recent", lastSuccessfulLogin=days_ago(100), lastSessionActivity=days_ago(3))
    clean_emulator.set_dss_activity("gone", lastSuccessfulLogin=days_ago(300))
    clean_emulator.set_dss_activity("new.hire", lastFailedLogin=days_ago(1))  # a failed login is not activity
    dss.edit_user("gone", enabled=False)


def test_activity_of_every_user_in_one_call_and_of_one_user(run, dss, clean_emulator):
    team(dss, clean_emulator)
    clean_emulator.clear_log()
    result = run([info_task(activity=True), info_task("one", login="recent", activity=True)], check=True).ok()
    assert [entry["path"] for entry in clean_emulator.requests()] == [
        "/public/api/admin/users/", "/public/api/admin/users-activity",
        "/public/api/admin/users/recent", "/public/api/admin/users/recent/activity",
    ], "one call for the users and one for their activity"
    every = {user["login"]: user["activity"] for user in result.result("read users")["users"]}
    assert set(every) == {"admin", "analyst", "old.contractor", "svc-etl", "recent", "new.hire", "gone"}
    assert every["analyst"]["daysInactive"] == 118 and every["analyst"]["lastActive"] == every["analyst"]["lastSessionActivity"]
    assert every["new.hire"]["lastSuccessfulLogin"] is None and every["new.hire"]["lastFailedLogin"] is not None
    # Never active: counted from the creation date, which the user list without settings does not carry
    assert every["new.hire"]["lastActive"] is None and every["new.hire"]["daysInactive"] is None
    assert every["recent"]["daysInactive"] == 3 and every["recent"]["lastActiveDate"].endswith("Z")
    [recent] = result.result("one")["users"]
    assert recent["activity"]["lastActive"] == every["recent"]["lastActive"] and recent["activity"]["daysInactive"] == 3
    new_hire = run([info_task(login="new.hire", activity=True)]).ok().result("read users")["users"][0]
    assert new_hire["activity"]["lastActive"] is None and new_hire["activity"]["daysInactive"] == 0, "its full definition has it"
    paths = [entry["path"] for entry in clean_emulator.requests()]
    assert paths.count("/public/api/admin/users-activity") == 1, paths
    assert paths.count("/public/api/admin/users/new.hire/activity") == 1, paths
    assert clean_emulator.writes() == []


def test_the_dormant_filter_returns_the_enabled_users_inactive_for_more_than_the_days(run, dss, clean_emulator):
    team(dss, clean_emulator)
    clean_emulator.clear_log()
    result = run([info_task(inactive_days=90), info_task("a year", inactive_days=365)], check=True).ok()
    ninety = result.result("read users")
    assert logins(ninety) == ["analyst", "old.contractor", "svc-etl"]
    assert ninety["api_key_user"] == "admin" and ninety["as_of"].endswith("Z")
    assert [user["activity"]["daysInactive"] for user in ninety["users"]] == [118, 199, 400]
    assert logins(result.result("a year")) == ["svc-etl"]
    assert "secrets" not in str(ninety["users"][0].get("secrets", [])) or all(
        "value" not in secret for secret in ninety["users"][0]["secrets"]
    )
    assert "analyst-secret-value" not in result.stdout
    assert clean_emulator.writes() == []


@pytest.mark.parametrize(("days", "message"), [(0, "inactive_days must be a number of days from 1 to 36500, got 0"),
                                               (40000, "got 40000")])
def test_a_review_period_out_of_range_fails_before_any_call(run, clean_emulator, days, message):
    failed = run([info_task(inactive_days=days)])
    assert failed.rc != 0 and message in failed.result("read users")["msg"]
    assert clean_emulator.requests() == []


def dormant(emulator, tmp_path, name, *, check=False, **extra_vars):
    env = {"DKU_DSS_URL": emulator.url, "DKU_API_KEY": "dss-admin-key"}
    return run_playbook(DORMANT, tmp_path / name, check=check, extra_vars=extra_vars or None, env=env)


def summary(outcome):
    return outcome.result("Summary")["msg"]


def enabled(dss, login):
    return dss.user(login)["enabled"]


def test_the_dormant_playbook_reports_then_disables_then_converges(dss, clean_emulator, tmp_path):
    team(dss, clean_emulator)
    clean_emulator.clear_log()
    report = dormant(clean_emulator, tmp_path, "report", dss_dormant_protect=["svc-.*"]).ok()
    assert clean_emulator.writes() == [], "without apply=true the playbook only reports"
    lines = summary(report)
    assert "3 enabled users inactive for more than 90 days" in lines[0]
    assert "2 would be disabled (run with -e apply=true to disable them), 1 kept" in lines[0]
    assert lines[1].startswith("analyst: last active ") and "(118 days ago)" in lines[1]
    assert lines[3] == "svc-etl: last active " + lines[3].split("last active ")[1].split(" ")[0] + ' (400 days ago) - kept: dss_dormant_protect entry "svc-.*"'
    plan = report.result("Disable the dormant users (a report unless -e apply=true)")["plan"]
    assert [(row["name"], row["action"]) for row in plan] == [("analyst", "update"), ("old.contractor", "update")]

    checked = dormant(clean_emulator, tmp_path, "check", check=True, apply=True, dss_dormant_protect=["svc-.*"]).ok()
    assert clean_emulator.writes() == [], "--check wins over apply=true"
    assert "would be disabled" in summary(checked)[0]

    applied = dormant(clean_emulator, tmp_path, "apply", apply=True, dss_dormant_protect=["svc-.*"]).ok()
    assert "2 disabled, 1 kept" in summary(applied)[0]
    assert [enabled(dss, login) for login in ("analyst", "old.contractor", "svc-etl", "recent", "new.hire")] == [
        False, False, True, True, True,
    ]
    assert sorted(entry["path"] for entry in clean_emulator.writes()) == [
        "/public/api/admin/users/analyst", "/public/api/admin/users/old.contractor",
    ]
    assert dss.user("analyst")["groups"] == ["data_team"], "disabling keeps the groups"

    clean_emulator.clear_log()
    again = dormant(clean_emulator, tmp_path, "again", apply=True, dss_dormant_protect=["svc-.*"]).ok()
    assert again.recap["changed"] == 0 and clean_emulator.writes() == []
    assert "1 enabled users inactive for more than 90 days" in summary(again)[0]


def test_the_api_key_s_own_user_is_never_disabled_even_when_it_looks_dormant(dss, clean_emulator, tmp_path):
    clean_emulator.set_dss_activity("admin", lastSuccessfulLogin=days_ago(500), lastSessionActivity=days_ago(500))
    applied = dormant(clean_emulator, tmp_path, "apply", apply=True).ok()
    lines = summary(applied)
    assert "2 enabled users inactive" in lines[0] and "1 disabled, 1 kept" in lines[0]
    assert lines[1].endswith("- kept: the API key's own user")
    assert enabled(dss, "admin") is True and enabled(dss, "analyst") is False


def test_a_protect_entry_is_one_pattern_even_with_commas_and_matches_whole_logins(dss, clean_emulator, tmp_path):
    dss.create_user("svc-a", groups=["readers"])
    clean_emulator.set_dss_activity("svc-a", lastSuccessfulLogin=days_ago(200))
    outcome = dormant(clean_emulator, tmp_path, "report", dss_dormant_protect="svc-[a-z]{1,3}").ok()
    assert [line for line in summary(outcome)[1:] if "kept" in line] == [
        line for line in summary(outcome)[1:] if line.startswith("svc-a:")
    ]
    partial = dormant(clean_emulator, tmp_path, "partial", dss_dormant_protect=["analys"]).ok()
    assert not any("kept" in line for line in summary(partial)[1:]), "a pattern matches the whole login, not a prefix"
