"""The emulator answers as the documentation does: for each fixture, the same request to the (reset) emulator
gets the same status and an answer of the same shape (keys at every level, JSON types; values may differ).

A case that disagrees is an emulator bug. Cases left out of CASES, and why:
- the real-world group shapes groups_list_empty_source_id, _raw_table_scopes, _unknown_capabilities and
  _soft_deleted, and error_400_group_limit, are not documented examples of a request the emulator can be made
  to answer alike (the emulator does not list soft-deleted groups; the limit needs --group-limit at start);
  their reading is in test_contract_groups.py. groups_list_members_and_source_id runs through the Entra switch.
"""

from __future__ import annotations

import base64
from typing import Callable

import httpx
import pytest

from documented import all_names, load, shape_problems
from emulator.auth_api.seeds import ORG, principal_id

PROJECT = "/api/v1/projects/demo"
CAPS = [{"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]


class Call:
    """The emulator of one case, with the callers the cases use."""

    def __init__(self, emulator) -> None:
        self.emu = emulator
        self.http: httpx.Client = emulator.http
        self.admin = {"Authorization": f"Bearer {emulator.admin_token()}"}
        self.reader = {"Authorization": f"Bearer {emulator.reader_token()}"}

    def auth_api(self) -> dict:
        """A token the auth API takes: one the emulator's auth API issued (the auth API refuses project tokens)."""
        return {"Authorization": f"Bearer {self.emu.auth_api_token()}"}

    def get(self, path: str, headers: dict | None = None, **params) -> httpx.Response:
        return self.http.get(PROJECT + path, params=params, headers=self.admin if headers is None else headers)

    def post(self, path: str, body: dict, headers: dict | None = None) -> httpx.Response:
        return self.http.post(PROJECT + path, json=body, headers=self.admin if headers is None else headers)

    def ok(self, path: str, body: dict) -> dict:
        answer = self.post(path, body)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def session(self) -> dict:
        return self.ok("/sessions", {"items": [{"clientId": "admin", "clientSecret": "admin-secret"}]})["items"][0]

    def pg_user(self) -> dict:
        return self.ok("/postgresgateway", {"items": [{"credentials": {"nonce": self.session()["nonce"]}}]})["items"][0]

    def group(self, name: str = "contract") -> dict:
        return self.ok("/groups", {"items": [{"name": name, "sourceId": "contract", "capabilities": CAPS}]})["items"][0]

    def dss(self, method: str, path: str, key: str = "dss-admin-key") -> httpx.Response:
        basic = base64.b64encode(f"{key}:".encode()).decode()
        return self.http.request(method, "/public/api" + path, headers={"Authorization": f"Basic {basic}"})

    def login_sessions(self, principal: str, suffix: str = "") -> str:
        return f"/api/v1/orgs/{ORG}/principals/{principal}/sessions{suffix}"


def _categories(call: Call, limit: int) -> httpx.Response:
    call.ok("/securitycategories", {"items": [{"name": "a"}, {"name": "b"}]})
    return call.get("/securitycategories", sort="ASC", limit=limit)


def _sessions_list(call: Call) -> httpx.Response:
    call.session()
    call.session()
    return call.get("/sessions", limit=1)


def _fault_429(call: Call) -> httpx.Response:
    call.emu.inject(method="GET", path=PROJECT + "/groups", status=429, retryAfter=2)
    return call.get("/groups")


def _service_account(call: Call) -> str:
    """The seeded SERVICE_ACCOUNT principal of the organization (it has no login sessions), from the state."""
    principals = call.emu.state()["orgs"][ORG]["principals"]
    return next(pid for pid, principal in principals.items() if principal["type"] == "SERVICE_ACCOUNT")


def _entra_members_group(call: Call) -> httpx.Response:
    """The emulator as an Entra ID cluster (its control switch ``entraResponses``): the members groups it lists."""
    call.http.post("/_emulator/cdf-groups", json={"entraResponses": True}).raise_for_status()
    answer = call.get("/groups", all="true")
    both = [group for group in answer.json()["items"] if group.get("members") and group.get("sourceId")]
    return httpx.Response(answer.status_code, json={"items": both})


CASES: dict[str, Callable[[Call], httpx.Response]] = {
    "cdf/groups_list_members_and_source_id": _entra_members_group,
    "cdf/groups_list": lambda c: c.get("/groups", all="true"),
    "cdf/groups_create": lambda c: c.post("/groups", {"items": [{"name": "contract", "sourceId": "s", "capabilities": CAPS}]}),
    "cdf/groups_delete": lambda c: c.post("/groups/delete", {"items": [c.group()["id"]]}),
    "cdf/security_categories_list": lambda c: _categories(c, 1),
    "cdf/security_categories_list_last_page": lambda c: _categories(c, 1000),
    "cdf/security_categories_create": lambda c: c.post("/securitycategories", {"items": [{"name": "contract"}]}),
    "cdf/sessions_create": lambda c: c.post("/sessions", {"items": [{"clientId": "admin", "clientSecret": "admin-secret"}]}),
    "cdf/sessions_list": _sessions_list,
    "cdf/sessions_byids": lambda c: c.post("/sessions/byids", {"items": [{"id": c.ok(  # the example's TOKEN_EXCHANGE
        "/sessions", {"items": [{"tokenExchange": True}]})["items"][0]["id"]}]}),
    "cdf/sessions_revoke": lambda c: c.post("/sessions/revoke", {"items": [{"id": c.session()["id"]}]}),
    "cdf/pg_users_create": lambda c: c.post("/postgresgateway", {"items": [{"credentials": {"nonce": c.session()["nonce"]}}]}),
    "cdf/pg_users_list": lambda c: (c.pg_user(), c.get("/postgresgateway", limit=100))[1],
    "cdf/pg_users_byids": lambda c: c.post("/postgresgateway/byids", {"items": [{"username": c.pg_user()["username"]}]}),
    "cdf/pg_users_update": lambda c: c.post("/postgresgateway/update", {"items": [{
        "username": c.pg_user()["username"], "update": {"credentials": {"set": {"nonce": c.session()["nonce"]}}}}]}),
    "cdf/pg_users_delete": lambda c: c.post("/postgresgateway/delete", {"items": [{"username": c.pg_user()["username"]}]}),
    "cdf/token_inspect": lambda c: c.http.get("/api/v1/token/inspect", headers=c.admin),
    "cdf/profiles_me": lambda c: c.get("/profiles/me"),
    "cdf/profiles_list": lambda c: c.get("/profiles", limit=2),
    "cdf/profiles_byids": lambda c: c.post("/profiles/byids", {"items": [{"userIdentifier": "admin"}]}),
    "cdf/profiles_search": lambda c: c.post("/profiles/search", {"search": {"name": "Al"}, "limit": 25}),
    "cdf/oauth_token": lambda c: c.http.post("/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "admin", "client_secret": "admin-secret"}),
    "cdf/oauth_error": lambda c: c.http.post("/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "admin", "client_secret": "wrong"}),
    "cdf/error_401": lambda c: c.get("/groups", headers={}),
    "cdf/error_403": lambda c: c.post("/groups", {"items": [{"name": "x", "capabilities": CAPS}]}, headers=c.reader),
    "cdf/error_400_missing": lambda c: c.post("/groups/delete", {"items": [999999]}),
    "cdf/error_409_duplicated": lambda c: (c.ok("/securitycategories", {"items": [{"name": "dup"}]}),
                                           c.post("/securitycategories", {"items": [{"name": "dup"}]}))[1],
    "cdf/error_429": _fault_429,
    "auth/login_sessions_list": lambda c: c.http.get(c.login_sessions(principal_id("Alice")), params={"limit": 2},
                                                     headers=c.auth_api()),
    "auth/login_sessions_revoke": lambda c: c.http.post(
        c.login_sessions(principal_id("Bob"), "/revoke"), headers=c.auth_api(), json={"items": [{"id": next(
            s["id"] for s in c.http.get(c.login_sessions(principal_id("Bob")), headers=c.auth_api()).json()["items"]
            if s["status"] == "ACTIVE")}]}),
    "auth/auth_error": lambda c: c.http.get(c.login_sessions(_service_account(c)), headers=c.auth_api()),
    "auth/principals_list": lambda c: c.http.get(f"/api/v1/orgs/{ORG}/principals", headers=c.auth_api()),
    "dss/users_list": lambda c: c.dss("GET", "/admin/users/"),
    "dss/users_get": lambda c: c.dss("GET", "/admin/users/analyst"),
    "dss/groups_list": lambda c: c.dss("GET", "/admin/groups/"),
    "dss/groups_get": lambda c: c.dss("GET", "/admin/groups/data_team"),
    "dss/error_not_found": lambda c: c.dss("GET", "/admin/users/nobody"),
    "dss/error_not_authenticated": lambda c: c.dss("GET", "/admin/users/", key="no-such-key"),
    "dss/error_unauthorized": lambda c: c.dss("GET", "/admin/users/", key="dss-user-key"),
    "dss/licensing_status": lambda c: c.dss("GET", "/admin/licensing/status"),
    "dss/auth_info": lambda c: c.dss("GET", "/auth/info?withSecrets=false"),
}


def test_every_documented_fixture_is_a_case_or_explained():
    not_driven = {"cdf/groups_list_empty_source_id", "cdf/groups_list_raw_table_scopes",
                  "cdf/groups_list_unknown_capabilities", "cdf/groups_list_soft_deleted", "cdf/error_400_group_limit"}
    assert set(all_names()) == set(CASES) | not_driven


@pytest.mark.parametrize("name", sorted(CASES))
def test_emulator_answers_in_the_documented_shape(clean_emulator, name):
    fixture = load(name)
    answer = CASES[name](Call(clean_emulator))
    assert answer.status_code == fixture["status"], answer.text
    assert [header for header in fixture.get("headers", {}) if header not in answer.headers] == []
    if fixture["body"] is None:
        assert answer.content == b""
        return
    assert shape_problems(fixture, answer.json()) == []
