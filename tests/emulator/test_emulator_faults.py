"""Fault injection: errors with Retry-After, latency, dropped connections, faults after the effect."""

from __future__ import annotations

import time

import httpx
import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.exceptions import CogniteAPIError

GROUPS = "/api/v1/projects/demo/groups"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def test_an_error_with_retry_after_hits_once(clean_emulator, auth):
    rule = clean_emulator.inject(method="GET", path=GROUPS, status=429, retryAfter=3)
    first = clean_emulator.http.get(GROUPS, headers=auth)
    assert first.status_code == 429
    assert first.headers["retry-after"] == "3" and first.headers["x-request-id"]
    assert first.json() == {"error": {"code": 429, "message": "Injected fault: HTTP 429"}}
    assert clean_emulator.http.get(GROUPS, headers=auth).status_code == 200
    (listed,) = clean_emulator.faults()
    assert (listed["id"], listed["hits"], listed["times"]) == (rule["id"], 1, 0)
    assert [e["fault"] for e in clean_emulator.requests() if e["path"] == GROUPS] == [rule["id"], None]


def test_the_sdk_retries_a_503_on_group_create(clean_emulator, admin):
    clean_emulator.inject(method="POST", path=GROUPS, status=503)
    created = admin.iam.groups.create(GroupWrite(name="retried", source_id="r"))
    attempts = [(e["status"], e["write"]) for e in clean_emulator.requests() if e["path"] == GROUPS]
    assert attempts == [(503, True), (201, True)]
    assert [g.id for g in admin.iam.groups.list(all=True) if g.name == "retried"] == [created.id]


def test_a_503_after_the_create_makes_the_sdk_create_a_duplicate(clean_emulator, admin):
    clean_emulator.inject(method="POST", path=GROUPS, status=503, after=True)
    admin.iam.groups.create(GroupWrite(name="twice", source_id="t"))
    assert len([g for g in admin.iam.groups.list(all=True) if g.name == "twice"]) == 2


def test_skip_times_and_every_match(clean_emulator, auth):
    clean_emulator.inject(path=GROUPS, status=500, skip=1, times=2)
    statuses = [clean_emulator.http.get(GROUPS, headers=auth).status_code for _index in range(4)]
    assert statuses == [200, 500, 500, 200]
    clean_emulator.inject(pathPrefix="/api/v1/projects/demo/", status=502, times=-1, autoRetryable=True)
    for _index in range(3):
        response = clean_emulator.http.get(GROUPS, headers=auth)
        assert response.status_code == 502 and response.headers["cdf-is-auto-retryable"] == "true"
        assert response.json()["error"]["isAutoRetryable"] is True
    clean_emulator.clear_faults()
    assert clean_emulator.http.get(GROUPS, headers=auth).status_code == 200


def test_latency(clean_emulator, auth):
    clean_emulator.inject(path=GROUPS, delayMs=400)
    started = time.perf_counter()
    response = clean_emulator.http.get(GROUPS, headers=auth)
    assert response.status_code == 200 and time.perf_counter() - started >= 0.4


def test_a_dropped_connection_after_the_write_took_effect(clean_emulator, auth):
    clean_emulator.inject(method="POST", path=GROUPS, drop=True, after=True)
    with httpx.Client(base_url=clean_emulator.url, timeout=5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(GROUPS, headers=auth, json={"items": [{"name": "lost answer", "sourceId": "l"}]})
    names = [g["name"] for g in clean_emulator.http.get(GROUPS, params={"all": "true"}, headers=auth).json()["items"]]
    assert "lost answer" in names


def test_a_fault_before_the_handler_changes_nothing_but_counts_as_a_write(clean_emulator, admin):
    clean_emulator.inject(method="POST", path=GROUPS, status=400, message="refused by the test")
    with pytest.raises(CogniteAPIError) as raised:
        admin.iam.groups.create(GroupWrite(name="never", source_id="n"))
    assert raised.value.message == "refused by the test"
    assert [g.name for g in admin.iam.groups.list(all=True)] == ["admins", "readers"]
    assert [(e["path"], e["status"]) for e in clean_emulator.writes()] == [(GROUPS, 400)]


def test_a_custom_body_and_control_paths_are_never_hit(clean_emulator):
    clean_emulator.inject(pathPrefix="/", status=503, times=-1, body={"error": "temporarily_unavailable"})
    assert clean_emulator.http.get("/_emulator/health").status_code == 200
    response = clean_emulator.http.post("/oauth2/token", data={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()) == (503, {"error": "temporarily_unavailable"})


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"status": 200},
        {"status": 503, "bogus": 1},
        {"after": True, "delayMs": 5},
        {"retryAfter": 1, "drop": True},
        {"status": 503, "times": 0},
    ],
)
def test_invalid_rules_are_400(clean_emulator, rule):
    response = clean_emulator.http.post("/_emulator/faults", json={"items": [rule]})
    assert response.status_code == 400
    assert clean_emulator.faults() == []


def test_reset_clears_the_faults(clean_emulator, auth):
    clean_emulator.inject(path=GROUPS, status=500, times=-1)
    clean_emulator.reset()
    assert clean_emulator.faults() == []
    assert clean_emulator.http.get(GROUPS, headers=auth).status_code == 200
