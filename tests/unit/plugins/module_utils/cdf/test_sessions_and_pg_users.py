"""Sessions, Postgres-gateway users and token inspection: the secret results hidden without no_log, check-mode
results of the documented types, which previous session is revoked, session_info's empty id list, and the
warning of token_info for a project the token does not reach."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.pg_user_state import CREATED_FIELDS, PgUserTask
from ansible_collections.dataops.iam.plugins.module_utils.cdf.token import reaches_project, unreached_project_message
from ansible_collections.dataops.iam.plugins.modules import cdf_token, pg_user, session, session_info
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

BI = {"client_id": "powerbi", "client_secret": "s3cret-value"}
USER = {"username": "pgu_1", "sessionId": 7, "createdTime": 1, "lastUpdatedTime": 2}


class NoCalls:
    """A client that fails the test on any call."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError("no call expected, got client.%s" % name)


@pytest.mark.parametrize(
    "definition, result, hidden",
    [
        (session.MODULE, {"changed": True, "session": {"id": 1, "nonce": "n0nce-value"}}, True),
        (session.MODULE, {"changed": True, "session": {"type": "TOKEN_EXCHANGE"}}, False),  # check mode
        (session.MODULE, {"changed": True, "sessions": [{"id": 1}], "revoked_ids": [1]}, False),
        (session.MODULE, {"failed": True, "msg": "Creating a session failed", "session": {"nonce": "x"}}, False),
        (pg_user.MODULE, {"changed": True, "pg_user": dict(USER, password="pw-value", host="h")}, True),
        (pg_user.MODULE, {"changed": True, "pg_user": dict.fromkeys(CREATED_FIELDS)}, False),  # check mode
        (pg_user.MODULE, {"changed": False, "pg_user": USER}, False),
        (pg_user.MODULE, {"changed": True, "pg_user": None, "deleted_user": {"username": "pgu_1"}}, False),
        (pg_user.MODULE, {"failed": True, "msg": "Managing Postgres-gateway user failed"}, False),
        (cdf_token.MODULE, {"changed": False, "token": "eyJ-token"}, True),
        (session_info.MODULE, {"changed": False, "sessions": [{"nonce": "never-there"}]}, False),
    ],
)
def test_only_a_successful_result_with_the_secret_is_hidden(definition, result, hidden):
    assert definition.carries_secret(result) is hidden


def pg_task(check_mode: bool = False, **args: Any) -> PgUserTask:
    module = make_module(pg_user.MODULE, dict(args), check_mode=check_mode)
    return PgUserTask(module, NoCalls())


def test_check_mode_results_have_the_documented_types_and_the_keys_of_a_real_run():
    create = pg_task(client_credentials=BI)
    planned = create.desired(None)
    assert planned == dict.fromkeys(CREATED_FIELDS), "every key of a created user, null"
    assert create.view(planned) == {"username": "(made up by the gateway)", "sessionClientId": "powerbi",
                                    "sessionId": "(a new session)"}
    rotate = pg_task(username="pgu_1", client_credentials=BI, rotate_credentials=True)
    planned = rotate.desired(dict(USER))
    assert planned == {"username": "pgu_1", "sessionId": None, "createdTime": 1, "lastUpdatedTime": None}
    assert set(planned) == set(USER)
    assert rotate.view(planned) == {"username": "pgu_1", "sessionId": "(a new session)"}
    with_nonce = pg_task(username="pgu_1", nonce="a-nonce-value", rotate_credentials=True)
    assert with_nonce.view(with_nonce.desired(dict(USER)))["sessionId"] == "(the session of the nonce)"


@pytest.mark.parametrize(
    "session_read, readable, revoke, expected",
    [
        ({"id": 7, "status": "ACTIVE"}, True, True, 7),
        ({"id": 7, "status": "ACCESS_LOST"}, True, True, 7),
        ({"id": 7, "status": "READY"}, True, True, 7),
        ({"id": 7, "status": "REVOKED"}, True, True, None),
        ({"id": 7, "status": "EXPIRED"}, True, True, None),
        ({"id": 7, "status": "CANCELLED"}, True, True, None),
        (None, True, True, None),  # CDF no longer knows the session
        (None, False, True, 7),  # no sessionsAcl:LIST: revoke by id (idempotent)
        ({"id": 7, "status": "ACTIVE"}, True, False, None),
    ],
)
def test_which_previous_session_is_revoked(session_read, readable, revoke, expected):
    task = pg_task(username="pgu_1", state="absent", revoke_previous_session=revoke)
    task.session, task.session_readable = session_read, readable
    task.before_change(dict(USER), None)
    assert task.to_revoke == expected
    assert task.extra.get("revoked_session_id") == expected
    assert task.extra["deleted_user"]["username"] == "pgu_1"


def test_revoke_previous_session_defaults_to_true():
    assert make_module(pg_user.MODULE, {"username": "pgu_1"}).params["revoke_previous_session"] is True


def test_session_info_with_no_ids_calls_nothing():
    module = make_module(session_info.MODULE, {"ids": []})
    assert session_info.run(module, NoCalls()) == {"changed": False, "sessions": [], "unknown_ids": []}
    assert session_info.input_problems(module.params) == []
    assert session_info.input_problems(make_module(session_info.MODULE, {"ids": [0, 5]}).params) == [
        "ids: 0 is not a session id (CDF ids are integers from 1 to 9007199254740991, 2^53 - 1)"]


INSPECTION = {"subject": "sp-1", "projects": [{"projectUrlName": "demo", "groups": [1]},
                                              {"projectUrlName": "test", "groups": [2]}], "capabilities": []}


def test_token_projects():
    assert reaches_project(INSPECTION, "demo") and reaches_project(INSPECTION, "test")
    assert not reaches_project(INSPECTION, "Demo") and not reaches_project(INSPECTION, "prod")
    message = unreached_project_message(INSPECTION, "prod")
    assert message.startswith("the token of 'sp-1' is in no group of project 'prod'")
    assert "it reaches 'demo', 'test'" in message
    alone = dict(INSPECTION, projects=[])
    assert not reaches_project(alone, "demo") and "it reaches no project" in unreached_project_message(alone, "demo")
