"""The auth API's Principals API and its own tokens: cognite-sdk 8.22's PrincipalsAPI against the emulator, and the
refusal of each kind of token where the other is due."""

from __future__ import annotations

import pytest
from cognite.client import ClientConfig, CogniteClient
from cognite.client._org_client import OrgAPIClient
from cognite.client.credentials import Token
from cognite.client.data_classes.principals import ServicePrincipal, UserPrincipal

from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS, SEED_PEOPLE, principal_id

PRINCIPALS = f"/api/v1/orgs/{ORG}/principals"


def auth_token(emulator, client_id: str = "org-admin") -> str:
    return emulator.token(client_id, SEED_AUTH_CLIENTS[client_id][0])


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def org_client(clean_emulator, monkeypatch) -> CogniteClient:
    """cognite-sdk with an auth-API token; its auth URL (a class constant, auth.cognite.com) is the emulator."""
    monkeypatch.setattr(OrgAPIClient, "_DEFAULT_AUTH_URL", clean_emulator.url)
    config = ClientConfig(client_name="fidelity", project=clean_emulator.project, base_url=clean_emulator.url,
                          credentials=Token(auth_token(clean_emulator)))
    client = CogniteClient(config)
    monkeypatch.setattr(OrgAPIClient, "_resolved_organization", ORG)  # the org lookup is a project endpoint
    return client


def test_the_sdk_lists_every_principal_with_its_fields(org_client):
    principals = org_client.iam.principals.list(limit=100)
    users = {p.id: p for p in principals if isinstance(p, UserPrincipal)}
    accounts = [p for p in principals if isinstance(p, ServicePrincipal)]
    alice = users[principal_id("Alice")]
    assert (alice.email, alice.given_name, alice.family_name, alice.name) == (
        "alice.andersen@example.com", "Alice", "Andersen", "Alice Andersen")
    assert {a.name for a in accounts} >= {"org-admin", "org-member"}
    assert all(a.created_by.org_id == ORG for a in accounts)
    assert [p.id for p in org_client.iam.principals.list(types="USER", limit=100)] == sorted(users)


def test_paging_follows_an_object_cursor_and_types_filter(clean_emulator):
    headers = bearer(auth_token(clean_emulator))
    ids, params, pages = [], {"limit": 2}, 0
    while True:
        body = clean_emulator.http.get(PRINCIPALS, params=params, headers=headers).json()
        ids += [p["id"] for p in body["items"]]
        pages += 1
        if "nextCursor" not in body:
            break
        assert set(body["nextCursor"]) == {"cursor"}
        params = {"limit": 2, "cursor": body["nextCursor"]["cursor"]}
    everyone = clean_emulator.http.get(PRINCIPALS, headers=headers).json()
    assert pages == 4 and ids == [p["id"] for p in everyone["items"]] and len(ids) == len(set(ids)) == 7
    assert all("sessions" not in p for p in everyone["items"])
    both = clean_emulator.http.get(PRINCIPALS, params=[("types", "USER"), ("types", "SERVICE_ACCOUNT")], headers=headers)
    assert len(both.json()["items"]) == 7
    users = clean_emulator.http.get(PRINCIPALS, params={"types": "USER"}, headers=headers).json()["items"]
    assert {p["email"] for p in users} <= {f"{p['givenName']}.{p['surname']}@example.com".lower() for p in SEED_PEOPLE}


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"types": "ROBOT"}, {"cursor": "garbage"}])
def test_bad_parameters_are_400_with_the_flat_body(clean_emulator, params):
    response = clean_emulator.http.get(PRINCIPALS, params=params, headers=bearer(auth_token(clean_emulator)))
    assert response.status_code == 400 and set(response.json()) == {"code", "message"}


def test_each_kind_of_token_is_refused_where_the_other_is_due(clean_emulator):
    project_token, org_token = clean_emulator.admin_token(), auth_token(clean_emulator)
    refused = clean_emulator.http.get(PRINCIPALS, headers=bearer(project_token))
    assert refused.status_code == 401 and set(refused.json()) == {"code", "message"}
    assert "only tokens issued by https://auth.cognite.com" in refused.json()["message"]
    groups = clean_emulator.http.get(f"/api/v1/projects/{clean_emulator.project}/groups", headers=bearer(org_token))
    assert groups.status_code == 401 and "issued by the auth API" in groups.json()["error"]["message"]
    assert clean_emulator.http.get("/api/v1/token/inspect", headers=bearer(org_token)).status_code == 401
    other_org = clean_emulator.http.get("/api/v1/orgs/other-org/principals", headers=bearer(org_token))
    assert other_org.status_code == 403


def test_the_auth_token_endpoint_takes_no_scope_and_checks_the_secret(clean_emulator):
    response = clean_emulator.http.post("/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "org-admin", "client_secret": "wrong"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    ok = clean_emulator.http.post("/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "org-admin", "client_secret": SEED_AUTH_CLIENTS["org-admin"][0]})
    assert ok.status_code == 200 and ok.json()["token_type"] == "Bearer" and "scope" not in ok.json()
