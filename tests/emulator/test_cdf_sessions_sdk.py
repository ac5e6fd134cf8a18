"""Sessions API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP against the emulator."""

from __future__ import annotations

import time

import pytest
from cognite.client.data_classes import ClientCredentials, GroupWrite
from cognite.client.data_classes.capabilities import SessionsAcl
from cognite.client.data_classes.iam import CreatedSession, Session
from cognite.client.data_classes.postgres_gateway import SessionCredentials, UserWrite
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

from emulator.cdf.seeds import SESSION_ID_START
from emulator.process import EmulatorProcess
from sdk_helpers import sdk_client

SESSIONS = "/api/v1/projects/demo/sessions"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def test_create_every_session_type(admin):
    explicit = admin.iam.sessions.create(
        ClientCredentials("reader", "reader-secret"), session_type="CLIENT_CREDENTIALS"
    )
    default = admin.iam.sessions.create()  # the SDK uses this client's own client credentials
    exchange = admin.iam.sessions.create(session_type="TOKEN_EXCHANGE")
    oneshot = admin.iam.sessions.create(session_type="ONESHOT_TOKEN_EXCHANGE")
    created = [explicit, default, exchange, oneshot]
    assert all(isinstance(s, CreatedSession) and s.status == "READY" for s in created)
    assert [s.type for s in created] == [
        "CLIENT_CREDENTIALS",
        "CLIENT_CREDENTIALS",
        "TOKEN_EXCHANGE",
        "ONESHOT_TOKEN_EXCHANGE",
    ]
    assert [s.client_id for s in created] == ["reader", "admin", None, None]
    assert len({s.nonce for s in created}) == 4 and all(len(s.nonce) >= 32 for s in created)
    ids = [s.id for s in created]
    assert ids == sorted(ids) and ids[0] >= SESSION_ID_START


def test_created_session_wire_format(clean_emulator, auth):
    response = clean_emulator.http.post(SESSIONS, headers=auth, json={"items": [{"tokenExchange": True}]})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert set(item) == {"id", "type", "status", "nonce"}
    response = clean_emulator.http.post(
        SESSIONS, headers=auth, json={"items": [{"clientId": "admin", "clientSecret": "admin-secret"}]}
    )
    assert set(response.json()["items"][0]) == {"id", "type", "status", "nonce", "clientId"}


@pytest.mark.parametrize(
    "items",
    [
        [{"tokenExchange": True}, {"tokenExchange": True}],
        [],
        [{"tokenExchange": False}],
        [{"tokenExchange": True, "oneshotTokenExchange": True}],
        [{"clientId": "admin"}],
        [{"clientId": "admin", "clientSecret": "admin-secret", "tokenExchange": True}],
        [{"clientSecret": "admin-secret"}],
        [{"tokenExchange": True, "extra": 1}],
    ],
)
def test_invalid_create_requests_are_400(clean_emulator, auth, items):
    response = clean_emulator.http.post(SESSIONS, headers=auth, json={"items": items})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400
    assert clean_emulator.http.get(SESSIONS, headers=auth).json()["items"] == []


@pytest.mark.parametrize(("client_id", "secret"), [("admin", "wrong-secret"), ("ghost", "ghost-secret")])
def test_bad_client_credentials_fail_without_echoing_the_secret(admin, client_id, secret):
    with pytest.raises(CogniteAPIError) as raised:
        admin.iam.sessions.create(ClientCredentials(client_id, secret), session_type="CLIENT_CREDENTIALS")
    assert raised.value.code == 400
    assert client_id in raised.value.message and secret not in raised.value.message


def test_list_retrieve_and_status_filter(clean_emulator, admin):
    first = admin.iam.sessions.create()
    second = admin.iam.sessions.create(session_type="TOKEN_EXCHANGE")
    admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=first.nonce)))
    listed = admin.iam.sessions.list()
    assert [(s.id, s.status) for s in listed] == [(first.id, "ACTIVE"), (second.id, "READY")]
    assert all(isinstance(s, Session) and s.creation_time < s.expiration_time for s in listed)
    assert [s.id for s in admin.iam.sessions.list(status="READY")] == [second.id]
    assert [s.id for s in admin.iam.sessions.list(status="active")] == [first.id]
    assert admin.iam.sessions.retrieve(first.id).client_id == "admin"
    assert [s.id for s in admin.iam.sessions.retrieve([second.id, first.id])] == [second.id, first.id]
    assert admin.iam.sessions.retrieve(123456) is None
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.sessions.retrieve([first.id, 123456])
    assert raised.value.not_found == [{"id": 123456}]


def test_sdk_pages_through_more_than_one_page(clean_emulator, admin):
    ids = [admin.iam.sessions.create(session_type="TOKEN_EXCHANGE").id for _index in range(120)]
    clean_emulator.clear_log()
    assert [s.id for s in admin.iam.sessions.list(limit=-1)] == ids
    pages = [e["query"] for e in clean_emulator.requests() if e["path"] == SESSIONS]
    assert len(pages) == 2 and "cursor" not in pages[0] and "cursor" in pages[1]
    assert len(admin.iam.sessions.list()) == 25
    assert [s.id for s in admin.iam.sessions.list(limit=110)] == ids[:110]


def test_list_parameters_are_validated(clean_emulator, auth):
    for params in ({"status": "SLEEPING"}, {"limit": 1001}, {"limit": 0}, {"cursor": "bogus"}):
        response = clean_emulator.http.get(SESSIONS, params=params, headers=auth)
        assert response.status_code == 400, params


def test_revoke_is_idempotent_and_unknown_ids_fail_the_request(admin):
    session = admin.iam.sessions.create()
    other = admin.iam.sessions.create()
    revoked = admin.iam.sessions.revoke(session.id)
    assert (revoked.id, revoked.status) == (session.id, "REVOKED")
    again = admin.iam.sessions.revoke([session.id])
    assert [(s.id, s.status) for s in again] == [(session.id, "REVOKED")]
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.iam.sessions.revoke([other.id, 999])
    assert raised.value.not_found == [{"id": 999}]
    assert admin.iam.sessions.retrieve(other.id).status == "READY"


def test_revoke_without_list_returns_only_ids(admin, make_client):
    admin.iam.groups.create(
        GroupWrite(
            name="session revokers",
            source_id="cdf-readers",
            capabilities=[SessionsAcl([SessionsAcl.Action.Create, SessionsAcl.Action.Delete], SessionsAcl.Scope.All())],
        )
    )
    reader = make_client("reader")
    session = reader.iam.sessions.create()
    revoked = reader.iam.sessions.revoke(session.id)
    assert revoked.id == session.id and revoked.status is None
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.sessions.list()
    assert raised.value.code == 403
    assert admin.iam.sessions.retrieve(session.id).status == "REVOKED"


def test_the_admin_sees_sessions_other_clients_made(admin, make_client):
    admin.iam.groups.create(
        GroupWrite(
            name="creators",
            source_id="cdf-readers",
            capabilities=[SessionsAcl([SessionsAcl.Action.Create], SessionsAcl.Scope.All())],
        )
    )
    made = make_client("reader").iam.sessions.create()
    assert made.id in [s.id for s in admin.iam.sessions.list()]


def test_reader_lacks_sessions_acl(reader):
    for call in (reader.iam.sessions.create, reader.iam.sessions.list, lambda: reader.iam.sessions.revoke(1)):
        with pytest.raises(CogniteAPIError) as raised:
            call()
        assert raised.value.code == 403 and "sessionsAcl" in raised.value.message


def test_nonce_is_single_use_and_dies_with_its_revoked_session(admin):
    session = admin.iam.sessions.create()
    admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))
    with pytest.raises(CogniteAPIError) as reused:
        admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))
    assert reused.value.code == 400 and "nonce" in reused.value.message
    assert session.nonce not in reused.value.message
    revoked = admin.iam.sessions.create()
    admin.iam.sessions.revoke(revoked.id)
    with pytest.raises(CogniteAPIError) as dead:
        admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=revoked.nonce)))
    assert dead.value.code == 400
    assert admin.iam.sessions.retrieve(revoked.id).status == "REVOKED"


def test_nonces_expire():
    with EmulatorProcess(extra_args=["--nonce-ttl", "0.5"]) as emu:
        client = sdk_client(emu)
        session = client.iam.sessions.create()
        time.sleep(0.8)
        with pytest.raises(CogniteAPIError) as expired:
            client.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))
        assert expired.value.code == 400
        assert client.iam.sessions.retrieve(session.id).status == "READY"


def test_secrets_never_reach_the_log(clean_emulator, admin):
    session = admin.iam.sessions.create(ClientCredentials("reader", "reader-secret"), session_type="CLIENT_CREDENTIALS")
    logged = str(clean_emulator.requests())
    assert "reader-secret" not in logged and session.nonce not in logged
    (create,) = [e for e in clean_emulator.requests() if e["path"] == SESSIONS and e["method"] == "POST"]
    assert create["write"] is True
    assert create["body"] == {"items": [{"clientId": "reader", "clientSecret": "***"}]}
