"""Fault rules with ``hold: true``: a request parked before its handler until released, or dropped unrun when its
client goes away (what the interrupted-run tests build on)."""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest

GROUPS = "/api/v1/projects/demo/groups"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def group_names(emulator, auth) -> list:
    return [group["name"] for group in emulator.http.get(GROUPS, headers=auth, params={"all": "true"}).json()["items"]]


def create_in_thread(emulator, auth, name: str) -> dict:
    """POST a group from a thread; the dict gets the response once it comes."""
    outcome: dict = {}

    def send() -> None:
        with httpx.Client(base_url=emulator.url, timeout=30) as client:
            outcome["response"] = client.post(GROUPS, headers=auth, json={"items": [{"name": name, "sourceId": "s"}]})

    outcome["thread"] = threading.Thread(target=send, daemon=True)
    outcome["thread"].start()
    return outcome


def test_a_held_request_waits_unlogged_until_released_then_runs(clean_emulator, auth):
    rule = clean_emulator.inject(method="POST", path=GROUPS, hold=True)
    outcome = create_in_thread(clean_emulator, auth, "held")
    held = clean_emulator.wait_held(rule["id"])
    assert (held["held"], held["hits"]) == (1, 1)
    time.sleep(0.3)
    assert "response" not in outcome and "held" not in group_names(clean_emulator, auth)
    assert [e for e in clean_emulator.requests() if e["path"] == GROUPS and e["method"] == "POST"] == [], "logged once answered"
    assert clean_emulator.release(rule["id"]) == 1
    outcome["thread"].join(10)
    assert outcome["response"].status_code == 201
    assert "held" in group_names(clean_emulator, auth)
    [entry] = [e for e in clean_emulator.requests() if e["path"] == GROUPS and e["method"] == "POST"]
    assert (entry["status"], entry["write"], entry["fault"]) == (201, True, rule["id"])
    assert clean_emulator.faults()[0]["held"] == 0


def test_a_held_request_answers_with_the_rule_status_once_released(clean_emulator, auth):
    rule = clean_emulator.inject(method="POST", path=GROUPS, hold=True, status=503)
    outcome = create_in_thread(clean_emulator, auth, "refused")
    clean_emulator.wait_held(rule["id"])
    clean_emulator.clear_faults()  # clearing the rules releases what they hold
    outcome["thread"].join(10)
    assert outcome["response"].status_code == 503
    assert "refused" not in group_names(clean_emulator, auth)


def test_a_held_request_whose_client_goes_away_never_runs(clean_emulator, auth):
    rule = clean_emulator.inject(method="POST", path=GROUPS, hold=True)
    body = json.dumps({"items": [{"name": "abandoned", "sourceId": "s"}]}).encode()
    address = urlsplit(clean_emulator.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        head = (
            f"POST {GROUPS} HTTP/1.1\r\nHost: {address.netloc}\r\nAuthorization: {auth['Authorization']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        clean_emulator.wait_held(rule["id"])
    deadline = time.monotonic() + 10
    while clean_emulator.faults()[0]["held"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert clean_emulator.faults()[0]["held"] == 0
    assert clean_emulator.release() == 0, "nothing left to release"
    [entry] = [e for e in clean_emulator.requests() if e["path"] == GROUPS and e["method"] == "POST"]
    assert (entry["status"], entry["write"], entry["fault"]) == (0, True, rule["id"])
    assert "abandoned" not in group_names(clean_emulator, auth)


def test_release_and_hold_are_checked(clean_emulator):
    for bad in ({"hold": "yes"}, {"hold": 1}):
        response = clean_emulator.http.post("/_emulator/faults", json={"items": [bad]})
        assert response.status_code == 400 and "fault.hold must be a boolean" in response.text
    response = clean_emulator.http.post("/_emulator/faults/release", json={"id": "1"})
    assert response.status_code == 400 and "release takes" in response.text
    assert clean_emulator.http.post("/_emulator/faults/release").json() == {"released": 0}
