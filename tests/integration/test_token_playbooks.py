"""dataops.iam.token_info and capabilities_check, driven by real ansible-playbook runs against the emulator."""

from __future__ import annotations

GROUPS_ALL = {"groupsAcl": {"actions": ["LIST", "READ", "CREATE", "DELETE"], "scope": {"all": {}}}}
SESSIONS_CREATE = {"sessionsAcl": {"actions": ["CREATE"], "scope": {"all": {}}}}
ASSETS_READ_DS = {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [7, 8]}}}}
ASSETS_READ_ALL = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
EVENTS_READ = {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


def check_task(capabilities, name="check", **options):
    return {"name": name, "dataops.iam.capabilities_check": {"capabilities": capabilities, **options}}


def test_token_info_returns_subject_projects_and_capabilities(run, clean_emulator):
    result = run([{"name": "me", "dataops.iam.token_info": {}}], check=True).ok().result("me")
    token = result["token"]
    assert result["changed"] is False and result["project_reached"] is True and "warnings" not in result
    assert token["subject"] == "admin"
    assert token["projects"] == [{"projectUrlName": "demo", "groups": [1000000001]}]
    assert all("projectScope" in capability for capability in token["capabilities"])
    assert {"groupsAcl", "sessionsAcl", "postgresGatewayAcl"} <= {next(iter(c)) for c in token["project_capabilities"]}
    assert all("projectScope" not in capability for capability in token["project_capabilities"])
    assert clean_emulator.writes() == []


def test_token_info_of_the_reader(run):
    token = run([{"name": "me", "dataops.iam.token_info": {}}], client=("reader", "reader-secret")).ok().result("me")["token"]
    assert token["subject"] == "reader"
    assert token["project_capabilities"] == [
        {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}},
        {"projectsAcl": {"actions": ["LIST"], "scope": {"all": {}}}},  # the seed: what inspection needs
    ]


def test_token_info_for_a_project_the_token_cannot_reach_says_so(run, clean_emulator):
    """The token is in no group of project 'elsewhere': a warning naming what it does reach, project_reached false."""
    outcome = run([{"name": "elsewhere", "dataops.iam.token_info": {"project": "elsewhere"}}], check=True).ok()
    result = outcome.result("elsewhere")
    assert result["changed"] is False and result["project_reached"] is False
    assert result["token"]["subject"] == "admin" and result["token"]["project_capabilities"] == []
    [warning] = result["warnings"]
    assert "the token of 'admin' is in no group of project 'elsewhere'" in warning
    assert "it reaches 'demo'" in warning and "Check the project option" in warning
    assert "is in no group of project 'elsewhere'" in outcome.stdout + outcome.stderr
    assert clean_emulator.writes() == []


def test_a_play_can_stop_on_an_unreached_project(run):
    task = {"name": "me", "dataops.iam.token_info": {"project": "elsewhere"}, "register": "me",
            "failed_when": "not me.project_reached"}
    outcome = run([task])
    assert outcome.rc != 0 and outcome.tasks[0]["status"] == "failed"


def test_the_caller_has_everything_it_needs(run, clean_emulator):
    result = run([check_task([GROUPS_ALL, SESSIONS_CREATE], fail_on_missing=True)]).ok().result("check")
    assert result["changed"] is False
    assert result["complete"] is True
    assert result["missing"] == []
    assert result["checked"] == {"subject": "admin"}
    assert "postgresGatewayAcl: READ, WRITE [all]" in result["extra_described"]
    assert clean_emulator.writes() == []


def test_the_readers_gap_is_reported_flattened(run):
    result = run([check_task([GROUPS_ALL, SESSIONS_CREATE])], client=("reader", "reader-secret")).ok().result("check")
    assert result["complete"] is False
    assert result["missing"] == [
        {"groupsAcl": {"actions": ["CREATE"], "scope": {"all": {}}}},
        {"groupsAcl": {"actions": ["DELETE"], "scope": {"all": {}}}},
        {"groupsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
        {"sessionsAcl": {"actions": ["CREATE"], "scope": {"all": {}}}},
    ]
    assert result["missing_described"] == ["groupsAcl: CREATE, DELETE, READ [all]", "sessionsAcl: CREATE [all]"]


def test_fail_on_missing_turns_the_gap_into_a_failure_listing_it(run):
    outcome = run([check_task([GROUPS_ALL, SESSIONS_CREATE], fail_on_missing=True)], client=("reader", "reader-secret"))
    assert outcome.rc != 0
    result = outcome.result("check")
    assert outcome.tasks[0]["status"] == "failed"
    assert "The caller 'reader' lacks 4 of the required capabilities in project 'demo'" in result["msg"]
    assert "groupsAcl: CREATE, DELETE, READ [all]" in result["msg"] and "sessionsAcl: CREATE [all]" in result["msg"]
    assert len(result["missing"]) == 4
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_a_named_group_all_scope_covers_narrower_unless_ignored(run, cdf):
    cdf.create_group(name="analysts", capabilities=[ASSETS_READ_ALL, EVENTS_READ])
    tasks = [
        check_task([ASSETS_READ_DS], name="covered", group="analysts"),
        check_task([ASSETS_READ_DS], name="exact", group="analysts", ignore_allscope_meaning=True),
        check_task([ASSETS_READ_ALL, EVENTS_READ], name="same", group="analysts", ignore_allscope_meaning=True),
    ]
    result = run(tasks).ok()
    covered = result.result("covered")
    assert covered["complete"] is True and covered["missing"] == []
    assert covered["checked"]["group"] == "analysts" and covered["checked"]["group_id"] > 0
    assert covered["extra_described"] == ["assetsAcl: READ [all]", "eventsAcl: READ [all]"]
    exact = result.result("exact")
    assert exact["missing_described"] == ["assetsAcl: READ [datasetScope: 7, 8]"]
    assert sorted(exact["extra_described"]) == ["assetsAcl: READ [all]", "eventsAcl: READ [all]"]
    same = result.result("same")
    assert same["missing"] == [] and same["extra"] == []


def test_unknown_or_duplicated_group_fails_clearly(run, cdf):
    cdf.create_group(name="twins", capabilities=[])
    cdf.create_group(name="twins", capabilities=[])
    outcome = run([check_task([EVENTS_READ], name="nobody", group="nobody")])
    assert "no group is named 'nobody' in project 'demo'" in outcome.result("nobody")["msg"]
    outcome = run([check_task([EVENTS_READ], name="twins", group="twins")])
    assert "2 groups are named 'twins'" in outcome.result("twins")["msg"]


def test_bad_capabilities_fail_before_any_call(run, clean_emulator):
    clean_emulator.clear_log()
    outcome = run([check_task([{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}])])
    assert outcome.rc != 0
    message = outcome.result("check")["msg"]
    assert message.startswith("Invalid capabilities") and "actions must be a non-empty list" in message
    assert clean_emulator.requests() == []


def test_a_group_can_be_checked_with_groups_list_alone(run):
    outcome = run([check_task([EVENTS_READ], group="admins")], client=("reader", "reader-secret")).ok()
    result = outcome.result("check")
    assert result["checked"] == {"group": "admins", "group_id": 1000000001}
    assert result["missing_described"] == ["eventsAcl: READ [all]"]
