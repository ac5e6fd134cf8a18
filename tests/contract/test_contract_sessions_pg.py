"""Documented session and Postgres-gateway user answers, read by sessions.py, pg_users.py and their task logic."""

from __future__ import annotations

import json

import httpx

from ansible_collections.dataops.iam.plugins.module_utils.cdf import pg_users, session_state, sessions
from ansible_collections.dataops.iam.plugins.modules import session as session_module
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module
from documented import answering, body, cdf_client, response


def revoke(client, ids):
    """The session module's revoke task on ``client``, as a task with ``state: absent, id: ids`` runs it."""
    module = make_module(session_module.MODULE, {"state": "absent", "id": ids})
    return session_state.RevokeTask(module, client).run()


def test_created_session_carries_the_nonce():
    handler, seen = answering({"POST sessions": "cdf/sessions_create"})
    session = sessions.create_session(cdf_client(handler), client_credentials={"client_id": "cid", "client_secret": "s"})
    assert (session["id"], session["status"], session["nonce"], session["clientId"]) == (123, "READY", "<string>", "<string>")
    assert json.loads(seen[0].content) == {"items": [{"clientId": "cid", "clientSecret": "s"}]}
    assert sessions.session_view(session) == {"id": 123, "type": "CLIENT_CREDENTIALS", "status": "READY", "clientId": "<string>"}


def test_session_list_follows_next_cursor_and_stops_at_the_last_page():
    last_page = {"items": [dict(body("cdf/sessions_list")["items"][0], id=124)]}

    def page(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor") == "<string>":
            return httpx.Response(200, json=last_page)
        return response("cdf/sessions_list")

    handler, seen = answering({"GET sessions": page})
    found = sessions.list_sessions(cdf_client(handler), status="READY")
    assert [session["id"] for session in found] == [123, 124]
    assert [request.url.params.get("cursor") for request in seen] == [None, "<string>"]
    assert seen[0].url.params["status"] == "READY"


def test_sessions_by_ids_reads_the_documented_answer():
    handler, _seen = answering({"POST sessions/byids": "cdf/sessions_byids"})
    found, unknown = sessions.sessions_by_ids(cdf_client(handler), [105049194919491])
    assert [(s["id"], s["type"], s["status"]) for s in found] == [(105049194919491, "TOKEN_EXCHANGE", "ACTIVE")]
    assert unknown == []


def test_sessions_by_ids_sets_aside_the_ids_an_error_names_missing():
    calls = []

    def byids(request: httpx.Request) -> httpx.Response:
        calls.append(json.loads(request.content))
        if len(calls) == 1:
            return httpx.Response(400, json={"error": {"code": 400, "message": "not found", "missing": [{"id": 7}]}})
        return response("cdf/sessions_byids")

    handler, _seen = answering({"POST sessions/byids": byids})
    found, unknown = sessions.sessions_by_ids(cdf_client(handler), [7, 105049194919491])
    assert unknown == [7] and len(found) == 1
    assert calls[1] == {"items": [{"id": 105049194919491}]}


def test_revoke_task_revokes_the_active_session_and_reports_it():
    handler, seen = answering({"POST sessions/byids": "cdf/sessions_byids", "POST sessions/revoke": "cdf/sessions_revoke"})
    result = revoke(cdf_client(handler), [105049194919491])
    assert result["changed"]
    assert result["revoked_ids"] == [105049194919491]
    assert json.loads(seen[-1].content) == {"items": [{"id": 105049194919491}]}


def test_revoke_task_leaves_a_revoked_session_alone():
    revoked = body("cdf/sessions_revoke")
    handler, seen = answering({"POST sessions/byids": lambda request: httpx.Response(200, json=revoked)})
    result = revoke(cdf_client(handler), [0])
    assert not result["changed"] and result["revoked_ids"] == []
    assert [request.url.path.rsplit("/", 1)[-1] for request in seen] == ["byids"]


def test_revoke_answer_items_are_read():
    handler, _seen = answering({"POST sessions/revoke": "cdf/sessions_revoke"})
    answered = sessions.revoke_sessions(cdf_client(handler), [0])
    assert [(item["id"], item["status"]) for item in answered] == [(0, "REVOKED")]


def test_created_pg_user_carries_password_and_host_and_its_view_does_not():
    handler, seen = answering({"POST postgresgateway": "cdf/pg_users_create"})
    user = pg_users.create_user(cdf_client(handler), nonce="n0nce")
    assert (user["host"], user["password"], user["sessionId"]) == ("fdw.<CLUSTER>.cogniteapp.com", "<string>", 4503599627370496)
    assert json.loads(seen[0].content) == {"items": [{"credentials": {"nonce": "n0nce"}}]}
    assert pg_users.pg_user_view(user) == {"username": "<string>", "sessionId": 4503599627370496}


def test_pg_user_list_pages_through_next_cursor():
    last_page = {"items": [dict(body("cdf/pg_users_list")["items"][0], username="u2")]}

    def page(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor"):
            return httpx.Response(200, json=last_page)
        return response("cdf/pg_users_list")

    handler, seen = answering({"GET postgresgateway": page})
    assert [user["username"] for user in pg_users.list_users(cdf_client(handler))] == ["<string>", "u2"]
    assert seen[0].url.params["limit"] == "100" and seen[1].url.params["cursor"] == "<string>"


def test_pg_user_byids_update_and_delete_answers():
    handler, seen = answering({
        "POST postgresgateway/byids": "cdf/pg_users_byids",
        "POST postgresgateway/update": "cdf/pg_users_update",
        "POST postgresgateway/delete": "cdf/pg_users_delete",
    })
    client = cdf_client(handler)
    assert pg_users.find_user(client, "<string>")["sessionId"] == 4503599627370496
    assert pg_users.rebind_user(client, "<string>", "n0nce")["username"] == "<string>"
    assert pg_users.delete_user(client, "<string>") is None
    assert json.loads(seen[0].content)["ignoreUnknownIds"] is True
    assert json.loads(seen[1].content)["items"][0]["update"] == {"credentials": {"set": {"nonce": "n0nce"}}}
    assert json.loads(seen[2].content) == {"items": [{"username": "<string>"}], "ignoreUnknownIds": True}


def test_pg_users_of_a_client_are_found_through_their_session():
    session = dict(body("cdf/sessions_byids")["items"][0], id=4503599627370496, clientId="bi-tool")
    handler, _seen = answering({
        "GET postgresgateway": "cdf/pg_users_byids",
        "POST sessions/byids": lambda request: httpx.Response(200, json={"items": [session]}),
    })
    pairs = pg_users.users_of_client(cdf_client(handler), "bi-tool")
    assert [(user["username"], found["clientId"]) for user, found in pairs] == [("<string>", "bi-tool")]
    assert pg_users.pg_user_view(*pairs[0]) == {"username": "<string>", "sessionId": 4503599627370496,
                                                "sessionStatus": "ACTIVE", "sessionClientId": "bi-tool"}
