"""Postgres-gateway users API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP."""

from __future__ import annotations

import time

import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.capabilities import PostgresGatewayAcl
from cognite.client.data_classes.postgres_gateway import SessionCredentials, User, UserCreated, UserUpdate, UserWrite
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

PG = "/api/v1/projects/demo/postgresgateway"
USER_FIELDS = {"username", "createdTime", "lastUpdatedTime", "sessionId"}


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def _new_user(client) -> UserCreated:
    session = client.iam.sessions.create()
    return client.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))


def test_create_binds_the_session_and_returns_password_and_host(clean_emulator, admin):
    session = admin.iam.sessions.create()
    created = admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))
    assert isinstance(created, UserCreated)
    assert created.session_id == session.id
    assert created.username and created.password and created.host
    assert created.created_time == created.last_updated_time
    assert admin.iam.sessions.retrieve(session.id).status == "ACTIVE"
    (post,) = [e for e in clean_emulator.requests() if e["path"] == PG]
    assert (post["status"], post["write"], post["body"]) == (200, True, {"items": [{"credentials": {"nonce": "***"}}]})
    assert created.password not in str(clean_emulator.state())


def test_reads_never_show_password_or_host(clean_emulator, admin, auth):
    created = _new_user(admin)
    listed = clean_emulator.http.get(PG, headers=auth).json()["items"]
    assert [set(u) for u in listed] == [USER_FIELDS]
    by_id = clean_emulator.http.post(PG + "/byids", headers=auth, json={"items": [{"username": created.username}]})
    assert [set(u) for u in by_id.json()["items"]] == [USER_FIELDS]
    retrieved = admin.postgres_gateway.users.retrieve(created.username)
    assert isinstance(retrieved, User) and retrieved.session_id == created.session_id


def test_retrieve_single_many_and_unknown(admin):
    one, two = _new_user(admin), _new_user(admin)
    assert admin.postgres_gateway.users.retrieve("no-such-user") is None
    got = admin.postgres_gateway.users.retrieve([two.username, one.username])
    assert [u.username for u in got] == [two.username, one.username]
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.postgres_gateway.users.retrieve([one.username, "no-such-user"])
    assert raised.value.not_found == [{"username": "no-such-user"}]
    got = admin.postgres_gateway.users.retrieve([one.username, "no-such-user"], ignore_unknown_ids=True)
    assert [u.username for u in got] == [one.username]


def test_update_rebinds_to_a_new_session(admin):
    created = _new_user(admin)
    time.sleep(0.01)
    fresh = admin.iam.sessions.create()
    updated = admin.postgres_gateway.users.update(
        UserUpdate(created.username).credentials.set(SessionCredentials(nonce=fresh.nonce))
    )
    assert (updated.username, updated.session_id) == (created.username, fresh.id)
    assert updated.last_updated_time > created.last_updated_time
    assert updated.created_time == created.created_time
    assert admin.iam.sessions.retrieve(fresh.id).status == "ACTIVE"
    assert admin.postgres_gateway.users.retrieve(created.username).session_id == fresh.id


# cognite-sdk 8.22 cannot surface a failed Postgres-gateway update: building its error it looks for an
# "id" in the update item and raises ValueError instead. Failed updates are therefore checked on the wire.


def _update(emu, auth, username, nonce):
    item = {"username": username, "update": {"credentials": {"set": {"nonce": nonce}}}}
    return emu.http.post(PG + "/update", headers=auth, json={"items": [item]})


def test_update_of_an_unknown_user_fails_and_keeps_the_nonce(clean_emulator, admin, auth):
    fresh = admin.iam.sessions.create()
    response = _update(clean_emulator, auth, "no-such-user", fresh.nonce)
    assert response.status_code == 400
    assert response.json()["error"]["missing"] == [{"username": "no-such-user"}]
    user = admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=fresh.nonce)))
    assert user.session_id == fresh.id


def test_update_with_a_bad_nonce_changes_nothing(clean_emulator, admin, auth):
    created = _new_user(admin)
    response = _update(clean_emulator, auth, created.username, "made-up")
    assert response.status_code == 400
    assert "made-up" not in response.json()["error"]["message"]
    assert admin.postgres_gateway.users.retrieve(created.username).session_id == created.session_id


@pytest.mark.parametrize(
    "update",
    [{}, {"credentials": {"setNull": True}}, {"credentials": {"set": {}}}, {"password": {"set": "x"}}],
)
def test_malformed_updates_are_400(clean_emulator, admin, auth, update):
    created = _new_user(admin)
    response = clean_emulator.http.post(
        PG + "/update", headers=auth, json={"items": [{"username": created.username, "update": update}]}
    )
    assert response.status_code == 400


def test_delete_and_unknown_ids(clean_emulator, admin, auth):
    created = _new_user(admin)
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.postgres_gateway.users.delete("no-such-user")
    assert raised.value.not_found == [{"username": "no-such-user"}]
    admin.postgres_gateway.users.delete("no-such-user", ignore_unknown_ids=True)
    admin.postgres_gateway.users.delete(created.username)
    assert admin.postgres_gateway.users.list() == []
    for flag in ("ignoreUnknownIds", "ignore_unknown_ids"):
        response = clean_emulator.http.post(
            PG + "/delete", headers=auth, json={"items": [{"username": "x"}], flag: True}
        )
        assert (response.status_code, response.json()) == (200, {})


def test_create_with_a_bad_nonce_is_400(admin):
    with pytest.raises(CogniteAPIError) as raised:
        admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce="not-a-nonce")))
    assert raised.value.code == 400
    assert admin.postgres_gateway.users.list() == []


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {"items": [{"credentials": {"nonce": "a"}}, {"credentials": {"nonce": "b"}}]},
        {"items": [{}]},
        {"items": [{"credentials": {"nonce": "a", "extra": 1}}]},
        {"items": [{"credentials": "a"}]},
    ],
)
def test_malformed_creates_are_400(clean_emulator, auth, body):
    assert clean_emulator.http.post(PG, headers=auth, json=body).status_code == 400


def test_list_pages_of_at_most_100(clean_emulator, admin, auth):
    names = [_new_user(admin).username for _index in range(105)]
    clean_emulator.clear_log()
    assert sorted(u.username for u in admin.postgres_gateway.users.list(limit=-1)) == sorted(names)
    assert len([e for e in clean_emulator.requests() if e["path"] == PG]) == 2
    first = clean_emulator.http.get(PG, params={"limit": 1000}, headers=auth).json()
    assert len(first["items"]) == 100 and first["nextCursor"]
    rest = clean_emulator.http.get(PG, params={"limit": 1000, "cursor": first["nextCursor"]}, headers=auth).json()
    assert len(rest["items"]) == 5 and "nextCursor" not in rest
    assert len(admin.postgres_gateway.users.list()) == 25


def test_users_scope_limits_what_a_caller_sees(admin, make_client):
    visible, hidden = _new_user(admin), _new_user(admin)
    admin.iam.groups.create(
        GroupWrite(
            name="pg readers",
            source_id="cdf-readers",
            capabilities=[
                PostgresGatewayAcl(
                    [PostgresGatewayAcl.Action.Read], PostgresGatewayAcl.Scope.UsersScope([visible.username])
                )
            ],
        )
    )
    reader = make_client("reader")
    assert [u.username for u in reader.postgres_gateway.users.list()] == [visible.username]
    assert reader.postgres_gateway.users.retrieve(hidden.username) is None
    with pytest.raises(CogniteAPIError) as raised:
        reader.postgres_gateway.users.delete(visible.username)
    assert raised.value.code == 403


def test_reader_lacks_postgres_gateway_acl(reader):
    with pytest.raises(CogniteAPIError) as raised:
        reader.postgres_gateway.users.list()
    assert raised.value.code == 403 and "postgresGatewayAcl:READ" in raised.value.message
