"""Fault injection for the reliability suite: rules that fire on a share of requests (seeded, reproducible),
connection resets, the secrets list the leak scan reads, and HTTPS with a certificate the test makes."""

from __future__ import annotations

import ssl

import httpx
import pytest

from emulator.cdf.seeds import SEED_CLIENTS
from emulator.process import EmulatorProcess
from tls_certs import make_pki

GROUPS = "/api/v1/projects/demo/groups"


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def statuses(emulator, auth, count):
    return [emulator.http.get(GROUPS, headers=auth).status_code for _index in range(count)]


def test_a_probability_rule_fires_on_about_that_share_and_the_same_seed_gives_the_same_faults(clean_emulator, auth):
    rule = {"pathPrefix": "/api/", "status": 503, "probability": 0.3, "seed": 11, "times": -1}
    clean_emulator.inject(**rule)
    first = statuses(clean_emulator, auth, 200)
    assert 40 <= first.count(503) <= 80, first.count(503)
    (listed,) = clean_emulator.faults()
    assert (listed["seen"], listed["hits"]) == (200, first.count(503))
    clean_emulator.reset()
    clean_emulator.inject(**rule)
    assert statuses(clean_emulator, auth, 200) == first, "same seed, same requests: same faults"
    clean_emulator.reset()
    clean_emulator.inject(**dict(rule, seed=12))
    assert statuses(clean_emulator, auth, 200) != first


def test_a_rule_that_does_not_fire_lets_the_next_rule_try(clean_emulator, auth):
    clean_emulator.inject_all(
        [
            {"path": GROUPS, "status": 502, "probability": 0.5, "seed": 3, "times": -1},
            {"path": GROUPS, "status": 504, "times": -1},
        ]
    )
    seen = statuses(clean_emulator, auth, 60)
    assert set(seen) == {502, 504} and 15 <= seen.count(502) <= 45
    first, second = clean_emulator.faults()
    assert first["seen"] == 60 and first["hits"] + second["hits"] == 60


def test_a_reset_gives_no_answer_and_after_true_lets_the_write_happen_first(clean_emulator, auth):
    clean_emulator.inject(method="POST", path=GROUPS, reset=True, after=True)
    with httpx.Client(base_url=clean_emulator.url, timeout=5) as client:
        with pytest.raises(httpx.ReadError):
            client.post(GROUPS, headers=auth, json={"items": [{"name": "reset after", "sourceId": "r"}]})
        clean_emulator.inject(method="GET", path=GROUPS, reset=True)
        with pytest.raises(httpx.ReadError):
            client.get(GROUPS, headers=auth)
        names = [g["name"] for g in client.get(GROUPS, params={"all": "true"}, headers=auth).json()["items"]]
    assert names.count("reset after") == 1
    logged = [(e["method"], e["status"], e["fault"] is not None) for e in clean_emulator.requests() if e["path"] == GROUPS]
    assert logged == [("POST", 0, True), ("GET", 0, True), ("GET", 200, False)], "status 0: no answer was sent"


@pytest.mark.parametrize(
    "rule",
    [
        {"reset": True, "status": 503},
        {"reset": True, "drop": True},
        {"status": 503, "probability": 0},
        {"status": 503, "probability": 1.5},
        {"status": 503, "probability": True},
        {"status": 503, "seed": -1},
    ],
)
def test_invalid_mix_rules_are_400(clean_emulator, rule):
    response = clean_emulator.http.post("/_emulator/faults", json={"items": [rule]})
    assert response.status_code == 400, response.text
    assert clean_emulator.faults() == []


def test_the_secrets_list_has_the_seeds_what_requests_carried_and_what_the_emulator_issued(clean_emulator):
    token = clean_emulator.admin_token()
    auth = {"Authorization": f"Bearer {token}"}
    session = clean_emulator.http.post(
        "/api/v1/projects/demo/sessions", headers=auth,
        json={"items": [{"clientId": "reader", "clientSecret": SEED_CLIENTS["reader"][0]}]},
    ).json()["items"][0]
    user = clean_emulator.http.post(
        "/api/v1/projects/demo/postgresgateway", headers=auth, json={"items": [{"credentials": {"nonce": session["nonce"]}}]}
    ).json()["items"][0]
    clean_emulator.http.post(
        "/public/api/admin/users/", auth=("dss-admin-key", ""),
        json={"login": "leaky", "password": "a-new-user-password", "groups": []},
    )
    clean_emulator.http.get("/public/api/admin/users/", auth=("not-a-real-key", ""))
    known = set(clean_emulator.secrets())
    expected = {"admin-secret", "reader-secret", "dss-admin-key", "dss-user-key", "admin-password",
                "analyst-password", "analyst-secret-value", token, session["nonce"], user["password"],
                "a-new-user-password", "not-a-real-key"}
    assert expected <= known, expected - known
    clean_emulator.reset()
    assert expected <= set(clean_emulator.secrets()), "a reset keeps the list (tokens outlive resets too)"
    assert all(len(secret) >= 6 for secret in known)


def test_https_with_a_certificate_the_test_made(tmp_path):
    pki = make_pki(tmp_path / "pki")
    with EmulatorProcess(tls=(pki.cert, pki.key), ca_path=pki.ca) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        assert emulator.http.get("/_emulator/health").json() == {"status": "ok"}
        with pytest.raises(httpx.ConnectError) as refused:
            httpx.get(emulator.url + "/_emulator/health", timeout=5)
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
        trusting = ssl.create_default_context(cafile=str(pki.ca))
        assert httpx.get(emulator.url + "/_emulator/health", verify=trusting, timeout=5).status_code == 200
        token = emulator.admin_token()
        assert httpx.get(emulator.url + GROUPS, headers={"Authorization": f"Bearer {token}"}, verify=trusting).status_code == 200
