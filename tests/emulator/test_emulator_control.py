"""What the SDK cannot see: the request log, reset, the state file, the CLI and the control API."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cognite.client.data_classes import GroupWrite, SecurityCategoryWrite
from cognite.client.data_classes.postgres_gateway import SessionCredentials, UserUpdate, UserWrite
from cognite.client.exceptions import CogniteAPIError

from emulator.cdf.seeds import GROUP_ID_START
from emulator.process import REPO_ROOT, EmulatorError, EmulatorProcess
from emulator.server.requestlog import redact
from sdk_helpers import sdk_client


def test_write_flags_mark_exactly_the_mutating_requests(clean_emulator, admin):
    created = admin.iam.groups.create(GroupWrite(name="logged", source_id="l"))
    admin.iam.groups.list(all=True)
    admin.iam.token.inspect()
    category = admin.iam.security_categories.create(SecurityCategoryWrite(name="c"))
    admin.iam.security_categories.list()
    admin.iam.security_categories.delete(category.id)
    admin.iam.groups.delete(created.id)
    flags = [
        (e["method"], e["path"].removeprefix("/api/v1/projects/demo"), e["write"]) for e in clean_emulator.requests()
    ]
    assert flags == [
        ("POST", "/oauth2/token", False),
        ("POST", "/groups", True),
        ("GET", "/groups", False),
        ("GET", "/api/v1/token/inspect", False),
        ("POST", "/securitycategories", True),
        ("GET", "/securitycategories", False),
        ("POST", "/securitycategories/delete", True),
        ("POST", "/groups/delete", True),
    ]
    assert [e["path"] for e in clean_emulator.writes()] == [
        "/api/v1/projects/demo/groups",
        "/api/v1/projects/demo/securitycategories",
        "/api/v1/projects/demo/securitycategories/delete",
        "/api/v1/projects/demo/groups/delete",
    ]


def test_log_entries_have_the_documented_fields(clean_emulator, admin):
    admin.iam.groups.list(all=True)
    entry = clean_emulator.requests()[-1]
    assert {"seq", "time", "method", "path", "query", "status", "write", "client", "body"} <= set(entry)
    assert (entry["method"], entry["query"], entry["status"], entry["client"], entry["body"]) == (
        "GET",
        {"all": "true"},
        200,
        "admin",
        None,
    )
    seqs = [e["seq"] for e in clean_emulator.requests()]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert clean_emulator.requests(since=seqs[0]) == clean_emulator.requests()[1:]


def test_failed_writes_are_still_writes_and_reads_never_are(clean_emulator, reader):
    with pytest.raises(CogniteAPIError) as denied:
        reader.iam.groups.create(GroupWrite(name="denied"))
    assert denied.value.code == 403
    (attempt,) = clean_emulator.writes()
    assert (attempt["status"], attempt["client"]) == (403, "reader")
    assert attempt["body"] == {"items": [{"name": "denied"}]}


def test_the_log_holds_no_secrets_and_skips_control_calls(clean_emulator, admin):
    token = clean_emulator.admin_token()
    clean_emulator.http.get("/api/v1/projects/demo/groups", headers={"Authorization": f"Bearer {token}"})
    admin.iam.groups.list()
    clean_emulator.http.get("/_emulator/health")
    dumped = json.dumps(clean_emulator.requests())
    assert "admin-secret" not in dumped
    assert token not in dumped
    assert "Bearer" not in dumped and "authorization" not in dumped.lower()
    assert "/_emulator" not in dumped
    token_calls = [e for e in clean_emulator.requests() if e["path"] == "/oauth2/token"]
    # Of the token form, only grant_type, scope and audience are logged (never the client id or secret).
    assert token_calls and all(set(e["body"]) <= {"grant_type", "scope", "audience"} for e in token_calls)
    assert all(e["write"] is False for e in token_calls)


def test_clear_log(clean_emulator, admin):
    admin.iam.groups.list()
    assert clean_emulator.requests()
    clean_emulator.clear_log()
    assert clean_emulator.requests() == []


def test_reset_restores_the_seeds_and_clears_the_log(clean_emulator, admin):
    admin.iam.groups.create(GroupWrite(name="temporary", source_id="t"))
    admin.iam.security_categories.create(SecurityCategoryWrite(name="temporary"))
    clean_emulator.reset()
    assert clean_emulator.requests() == []
    assert [g.id for g in admin.iam.groups.list(all=True)] == [GROUP_ID_START, GROUP_ID_START + 1]
    assert len(admin.iam.security_categories.list()) == 0
    again = admin.iam.groups.create(GroupWrite(name="after reset", source_id="t"))
    assert again.id == GROUP_ID_START + 2


def test_control_api_shapes(clean_emulator):
    assert clean_emulator.http.get("/_emulator/health").json() == {"status": "ok"}
    assert clean_emulator.http.get("/_emulator/requests").json() == {"items": []}
    assert clean_emulator.http.delete("/_emulator/requests").json() == {}
    assert clean_emulator.http.post("/_emulator/reset").json() == {}
    state = clean_emulator.state()
    assert set(state["projects"]) == {"demo"}
    assert "admin-secret" not in json.dumps(state)


def test_state_file_survives_a_restart(tmp_path):
    state_file = tmp_path / "state.json"
    with EmulatorProcess(state_file) as first:
        client = sdk_client(first)
        group = client.iam.groups.create(GroupWrite(name="persistent", source_id="p", metadata={"k": "v"}))
        category = client.iam.security_categories.create(SecurityCategoryWrite(name="persistent"))
        bound = client.iam.sessions.create()
        pg_user = client.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=bound.nonce)))
        unused = client.iam.sessions.create()
        token = first.admin_token()
    saved = state_file.read_text()
    assert "persistent" in saved
    for secret in ("admin-secret", token, bound.nonce, unused.nonce, pg_user.password):
        assert secret not in saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # atomic writes leave no temp files
    with EmulatorProcess(state_file) as second:
        client = sdk_client(second)
        (found,) = [g for g in client.iam.groups.list(all=True) if g.name == "persistent"]
        assert (found.id, found.metadata) == (group.id, {"k": "v"})
        assert [c.id for c in client.iam.security_categories.list()] == [category.id]
        assert client.iam.groups.create(GroupWrite(name="next", source_id="n")).id == group.id + 1
        assert client.postgres_gateway.users.retrieve(pg_user.username).session_id == bound.id
        assert client.iam.sessions.retrieve(bound.id).status == "ACTIVE"
        with pytest.raises(CogniteAPIError):  # nonces live in memory only
            client.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=unused.nonce)))
        second.reset()
        assert [g.name for g in client.iam.groups.list(all=True)] == ["admins", "readers"]
    assert "persistent" not in state_file.read_text()


def test_a_corrupt_state_file_is_a_clear_startup_error(tmp_path):
    state_file = tmp_path / "broken.json"
    state_file.write_text("{not json")
    with pytest.raises(EmulatorError, match="cannot read state file"):
        EmulatorProcess(state_file, startup_timeout=10).start()


def test_cli_refuses_non_loopback_hosts():
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "--host", "0.0.0.0", "--port", "0"],
        cwd=REPO_ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_cli_prints_the_ready_line_with_the_port(emulator):
    assert emulator.url.startswith("http://127.0.0.1:")
    assert int(emulator.url.rsplit(":", 1)[1]) > 0


def test_write_flags_for_sessions_and_postgres_gateway(clean_emulator, admin):
    session = admin.iam.sessions.create()
    user = admin.postgres_gateway.users.create(UserWrite(credentials=SessionCredentials(nonce=session.nonce)))
    admin.iam.sessions.retrieve([session.id])
    admin.iam.sessions.list()
    admin.postgres_gateway.users.retrieve([user.username])
    admin.postgres_gateway.users.list()
    fresh = admin.iam.sessions.create()
    admin.postgres_gateway.users.update(
        UserUpdate(user.username).credentials.set(SessionCredentials(nonce=fresh.nonce))
    )
    admin.postgres_gateway.users.delete(user.username)
    admin.iam.sessions.revoke([session.id, fresh.id])
    flags = [
        (e["method"], e["path"].removeprefix("/api/v1/projects/demo"), e["write"])
        for e in clean_emulator.requests()
        if e["path"] != "/oauth2/token"
    ]
    assert flags == [
        ("POST", "/sessions", True),
        ("POST", "/postgresgateway", True),
        ("POST", "/sessions/byids", False),
        ("GET", "/sessions", False),
        ("POST", "/postgresgateway/byids", False),
        ("GET", "/postgresgateway", False),
        ("POST", "/sessions", True),
        ("POST", "/postgresgateway/update", True),
        ("POST", "/postgresgateway/delete", True),
        ("POST", "/sessions/revoke", True),
    ]


def test_redaction_masks_secret_fields_at_any_depth():
    body = {
        "items": [{"clientId": "c", "clientSecret": "s3cret", "credentials": {"nonce": "n0nce"}}],
        "password": "pw",
        "secrets": [{"name": "warehouse-token", "value": "v4lue"}],
        "attributes": {"token": {"appIds": ["a"]}},
        "value": "not a secret here",
    }
    assert redact(body) == {
        "items": [{"clientId": "c", "clientSecret": "***", "credentials": {"nonce": "***"}}],
        "password": "***",
        "secrets": [{"name": "warehouse-token", "value": "***"}],
        "attributes": {"token": {"appIds": ["a"]}},
        "value": "not a secret here",
    }


def test_the_secrets_the_leak_scan_looks_for_leave_out_dss_properties():
    from emulator.server.requestlog import SECRET_KEYS
    from emulator.server.secretlog import secret_fields

    body = {"login": "jdoe", "password": "pw", "secrets": [{"name": "s", "value": "v4lue"}],
            "userProperties": {"password": "a hint"}, "adminProperties": {"secret": "plain data"}}
    assert sorted(secret_fields(body, SECRET_KEYS)) == ["pw", "v4lue"]
