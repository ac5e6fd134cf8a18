"""Login sessions of org principals (auth API; cognite-sdk 8.22 has no client for them): plain httpx, with tokens of
the auth API's own token endpoint; project (IdP) tokens are refused there."""

from __future__ import annotations

import pytest

from emulator.auth_api.seeds import SEED_AUTH_CLIENTS, principal_id

ORG = "demo-org"
ALICE, BOB, CARLA, EVA = (principal_id(n) for n in ("Alice", "Bob", "Carla", "Eva"))


def url(principal: str, org: str = ORG, revoke: bool = False) -> str:
    return f"/api/v1/orgs/{org}/principals/{principal}/sessions" + ("/revoke" if revoke else "")


def auth_token(emulator, client_id: str = "org-admin") -> str:
    """A token of the auth API's token endpoint (client credentials of an auth API service account, no scope)."""
    return emulator.token(client_id, SEED_AUTH_CLIENTS[client_id][0])


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token(clean_emulator)}"}


@pytest.fixture
def member(clean_emulator) -> dict[str, str]:
    """A service account of the organization that is not one of its admins."""
    return {"Authorization": f"Bearer {auth_token(clean_emulator, 'org-member')}"}


def _sessions(emu, auth, principal):
    response = emu.http.get(url(principal), headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_list_newest_first_with_the_documented_fields(clean_emulator, auth):
    body = clean_emulator.http.get(url(ALICE), headers=auth).json()
    assert "nextCursor" not in body
    items = body["items"]
    assert [s["status"] for s in items] == ["ACTIVE", "ACTIVE", "LOGGED_OUT", "EXPIRED", "REVOKED"]
    assert [s["createdTime"] for s in items] == sorted((s["createdTime"] for s in items), reverse=True)
    for session in items:
        expected = {"id", "createdTime", "status"} | ({"deactivatedTime"} if session["status"] != "ACTIVE" else set())
        assert set(session) == expected
        assert len(session["id"]) == 36 and session["id"].count("-") == 4
    assert _sessions(clean_emulator, auth, EVA) == []


def test_paging_uses_a_cursor_object(clean_emulator, auth):
    first = clean_emulator.http.get(url(CARLA), headers=auth).json()
    assert len(first["items"]) == 100
    assert set(first["nextCursor"]) == {"cursor"} and isinstance(first["nextCursor"]["cursor"], str)
    second = clean_emulator.http.get(url(CARLA), params={"cursor": first["nextCursor"]["cursor"]}, headers=auth).json()
    assert len(second["items"]) == 25 and "nextCursor" not in second
    ids, cursor, pages = [], None, 0
    while True:
        params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        body = clean_emulator.http.get(url(CARLA), params=params, headers=auth).json()
        ids += [s["id"] for s in body["items"]]
        pages += 1
        if "nextCursor" not in body:
            break
        cursor = body["nextCursor"]["cursor"]
    assert pages == 3 and len(ids) == len(set(ids)) == 125
    assert ids == [s["id"] for s in first["items"] + second["items"]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"limit": "many"}, {"cursor": "garbage"}])
def test_bad_parameters_are_400_with_the_flat_error_body(clean_emulator, auth, params):
    response = clean_emulator.http.get(url(CARLA), params=params, headers=auth)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == 400
    assert response.headers["x-request-id"]


def test_access_rules(clean_emulator, auth, member):
    project_token = {"Authorization": f"Bearer {clean_emulator.admin_token()}"}
    service_account = next(
        pid for pid, p in clean_emulator.state()["orgs"][ORG]["principals"].items() if p["type"] == "SERVICE_ACCOUNT"
    )
    cases = [
        (url(ALICE), {}, 401),
        (url(ALICE), {"Authorization": "Bearer nonsense"}, 401),
        (url(ALICE), project_token, 401),
        (url(ALICE), member, 403),
        (url(ALICE, org="other-org"), auth, 403),
        (url(ALICE, org="Demo_Org"), auth, 400),
        (url("no-such-principal"), auth, 404),
        (url(service_account), auth, 403),
    ]
    for path, headers, status in cases:
        response = clean_emulator.http.get(path, headers=headers)
        assert response.status_code == status, path
        assert response.json()["code"] == status and response.json()["message"]


def test_revoke_is_204_and_sets_deactivated_time(clean_emulator, auth):
    active = [s for s in _sessions(clean_emulator, auth, ALICE) if s["status"] == "ACTIVE"]
    response = clean_emulator.http.post(
        url(ALICE, revoke=True), headers=auth, json={"items": [{"id": active[0]["id"]}]}
    )
    assert response.status_code == 204 and response.content == b""
    after = {s["id"]: s for s in _sessions(clean_emulator, auth, ALICE)}
    assert after[active[0]["id"]]["status"] == "REVOKED"
    assert after[active[0]["id"]]["deactivatedTime"] >= active[0]["createdTime"]
    assert after[active[1]["id"]]["status"] == "ACTIVE"
    (entry,) = [e for e in clean_emulator.requests() if e["path"].endswith("/revoke")]
    assert (entry["write"], entry["status"], entry["client"]) == (True, 204, "org-admin")


def test_revoking_revoked_or_logged_out_sessions_keeps_their_deactivated_time(clean_emulator, auth):
    before = {s["status"]: s for s in _sessions(clean_emulator, auth, ALICE)}
    ids = [before["REVOKED"]["id"], before["LOGGED_OUT"]["id"]]
    response = clean_emulator.http.post(url(ALICE, revoke=True), headers=auth, json={"items": [{"id": i} for i in ids]})
    assert response.status_code == 204
    after = {s["id"]: s for s in _sessions(clean_emulator, auth, ALICE)}
    for status in ("REVOKED", "LOGGED_OUT"):
        session = before[status]
        assert after[session["id"]]["status"] == "REVOKED"
        assert after[session["id"]]["deactivatedTime"] == session["deactivatedTime"]


def test_revoke_is_atomic_and_limited_to_ten(clean_emulator, auth):
    active = [s["id"] for s in _sessions(clean_emulator, auth, BOB) if s["status"] == "ACTIVE"]
    mixed = {"items": [{"id": active[0]}, {"id": "00000000-0000-0000-0000-000000000000"}]}
    response = clean_emulator.http.post(url(BOB, revoke=True), headers=auth, json=mixed)
    assert response.status_code == 400 and response.json()["code"] == 400
    assert [s["status"] for s in _sessions(clean_emulator, auth, BOB) if s["id"] == active[0]] == ["ACTIVE"]
    carla = [s["id"] for s in _sessions(clean_emulator, auth, CARLA)][:11]
    too_many = clean_emulator.http.post(
        url(CARLA, revoke=True), headers=auth, json={"items": [{"id": i} for i in carla]}
    )
    assert too_many.status_code == 400
    for body in ({"items": []}, {"items": [{"id": 5}]}, {"items": [{"sessionId": carla[0]}]}, {}):
        assert clean_emulator.http.post(url(CARLA, revoke=True), headers=auth, json=body).status_code == 400
    ten = clean_emulator.http.post(
        url(CARLA, revoke=True), headers=auth, json={"items": [{"id": i} for i in carla[:10]]}
    )
    assert ten.status_code == 204


def test_a_project_token_or_a_member_cannot_revoke(clean_emulator, auth, member):
    active = [s["id"] for s in _sessions(clean_emulator, auth, BOB) if s["status"] == "ACTIVE"]
    project_token = {"Authorization": f"Bearer {clean_emulator.admin_token()}"}
    response = clean_emulator.http.post(url(BOB, revoke=True), headers=project_token, json={"items": [{"id": active[0]}]})
    assert response.status_code == 401 and set(response.json()) == {"code", "message"}
    assert "only tokens issued by https://auth.cognite.com" in response.json()["message"]
    response = clean_emulator.http.post(url(BOB, revoke=True), headers=member, json={"items": [{"id": active[0]}]})
    assert response.status_code == 403
    assert [s["status"] for s in _sessions(clean_emulator, auth, BOB) if s["id"] == active[0]] == ["ACTIVE"]


def test_reset_restores_login_sessions(clean_emulator, auth):
    active = [s["id"] for s in _sessions(clean_emulator, auth, BOB) if s["status"] == "ACTIVE"]
    clean_emulator.http.post(url(BOB, revoke=True), headers=auth, json={"items": [{"id": active[0]}]})
    clean_emulator.reset()
    assert [s["status"] for s in _sessions(clean_emulator, auth, BOB) if s["id"] == active[0]] == ["ACTIVE"]
