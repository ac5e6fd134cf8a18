"""Token endpoint, token inspect, capability checks, 401 and 403, driven with cognite-sdk 8.22.0."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
from cognite.client.credentials import Token
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.capabilities import (
    AssetsAcl,
    Capability,
    GroupsAcl,
    ProjectsAcl,
    SecurityCategoriesAcl,
)
from cognite.client.exceptions import CogniteAPIError, CogniteOAuthError, CogniteProjectAccessError

from emulator.cdf.seeds import GROUP_ID_START
from emulator.process import EmulatorProcess

ADMINS, READERS = GROUP_ID_START, GROUP_ID_START + 1


def _token_request(emu: EmulatorProcess, **form: str) -> httpx.Response:
    return emu.http.post("/oauth2/token", data=form)


def test_token_endpoint_issues_opaque_bearer_tokens(clean_emulator):
    form = {
        "grant_type": "client_credentials",
        "client_id": "admin",
        "client_secret": "admin-secret",
        "scope": "x/.default",
    }
    first, second = _token_request(clean_emulator, **form), _token_request(clean_emulator, **form)
    assert first.status_code == 200
    body = first.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 32
    assert body["access_token"] != second.json()["access_token"]


def test_token_endpoint_ignores_audience_and_other_extra_fields(clean_emulator):
    response = _token_request(
        clean_emulator,
        grant_type="client_credentials",
        client_id="admin",
        client_secret="admin-secret",
        audience="https://example.invalid/api",
        resource="anything",
    )
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"


def test_a_client_without_groups_has_no_project_no_capabilities_and_no_inspection(admin, reader):
    admin.iam.groups.delete(READERS)
    with pytest.raises(CogniteAPIError) as inspection:
        reader.iam.token.inspect()
    assert inspection.value.code == 403 and "projectsAcl:LIST and groupsAcl:LIST" in inspection.value.message
    assert len(reader.iam.groups.list()) == 0
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.groups.list(all=True)
    assert raised.value.code == 403


def test_token_endpoint_accepts_http_basic_client_auth(clean_emulator):
    basic = base64.b64encode(b"reader:reader-secret").decode()
    response = clean_emulator.http.post(
        "/oauth2/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    inspected = clean_emulator.http.get("/api/v1/token/inspect", headers={"Authorization": f"Bearer {token}"})
    assert inspected.json()["subject"] == "reader"


@pytest.mark.parametrize(("client_id", "secret"), [("admin", "wrong-secret"), ("nobody", "admin-secret")])
def test_token_endpoint_rejects_bad_client_without_echoing_the_secret(clean_emulator, client_id, secret):
    response = _token_request(
        clean_emulator, grant_type="client_credentials", client_id=client_id, client_secret=secret
    )
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["error_description"] and secret not in body["error_description"]
    assert response.headers["x-request-id"]


def test_token_endpoint_rejects_other_grant_types(clean_emulator):
    response = _token_request(clean_emulator, grant_type="password", client_id="admin", client_secret="admin-secret")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_sdk_surfaces_a_rejected_client_secret_as_oauth_error(make_client):
    client = make_client("admin", "not-the-secret")
    with pytest.raises(CogniteOAuthError, match="invalid_client"):
        client.iam.groups.list()


def test_token_inspect_for_admin(admin):
    inspection = admin.iam.token.inspect()
    assert inspection.subject == "admin"
    assert [(p.url_name, p.groups) for p in inspection.projects] == [("demo", [ADMINS])]
    acl_names = sorted(type(c.capability).__name__ for c in inspection.capabilities)
    assert acl_names == sorted(
        ["GroupsAcl", "SecurityCategoriesAcl", "SessionsAcl", "PostgresGatewayAcl", "ProjectsAcl", "UserProfilesAcl",
         "DataSetsAcl", "ExtractionPipelinesAcl"]
    )


def test_token_inspect_wire_format_has_project_scope_on_every_capability(clean_emulator):
    token = clean_emulator.reader_token()
    body = clean_emulator.http.get("/api/v1/token/inspect", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["subject"] == "reader"
    assert body["projects"] == [{"projectUrlName": "demo", "groups": [READERS]}]
    assert body["capabilities"] == [
        {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "projectScope": {"projects": ["demo"]}},
        {"projectsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "projectScope": {"projects": ["demo"]}},
    ]


def test_verify_capabilities_true_and_false(admin, reader):
    assert admin.iam.verify_capabilities([GroupsAcl([GroupsAcl.Action.Create], GroupsAcl.Scope.All())]) == []
    assert (
        admin.iam.verify_capabilities(
            [{"securityCategoriesAcl": {"actions": ["LIST", "DELETE"], "scope": {"all": {}}}}]
        )
        == []
    )
    missing = admin.iam.verify_capabilities([AssetsAcl([AssetsAcl.Action.Read], AssetsAcl.Scope.All())])
    assert missing == [AssetsAcl([AssetsAcl.Action.Read], AssetsAcl.Scope.All())]
    missing = reader.iam.verify_capabilities(
        [GroupsAcl([GroupsAcl.Action.Create, GroupsAcl.Action.List], GroupsAcl.Scope.All())]
    )
    assert missing == [GroupsAcl([GroupsAcl.Action.Create], GroupsAcl.Scope.All())]


def test_a_group_with_a_matching_source_id_changes_what_a_client_may_do(admin, reader):
    with pytest.raises(CogniteAPIError) as denied:
        reader.iam.security_categories.list()
    assert denied.value.code == 403
    grant = admin.iam.groups.create(
        GroupWrite(
            name="readers see categories",
            source_id="cdf-readers",
            capabilities=[
                SecurityCategoriesAcl([SecurityCategoriesAcl.Action.List], SecurityCategoriesAcl.Scope.All())
            ],
        )
    )
    assert len(reader.iam.security_categories.list()) == 0
    assert sorted(p.groups for p in reader.iam.token.inspect().projects) == [[READERS, grant.id]]
    admin.iam.groups.delete(grant.id)
    with pytest.raises(CogniteAPIError) as denied_again:
        reader.iam.security_categories.list()
    assert denied_again.value.code == 403


def test_a_group_listing_the_caller_as_member_grants_its_capabilities(admin, make_client):
    admin.iam.groups.create(
        GroupWrite(
            name="by membership",
            members=["reader"],
            capabilities=[Capability.load({"sessionsAcl": {"actions": ["LIST"], "scope": {"all": {}}}})],
        )
    )
    reader = make_client("reader")
    assert reader.iam.verify_capabilities([{"sessionsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]) == []


def test_invalid_token_surfaces_as_project_access_error(clean_emulator, make_client):
    client = make_client(credentials=Token("nonsense"))
    with pytest.raises(CogniteProjectAccessError) as raised:
        client.iam.groups.list()
    assert raised.value.project == "demo"
    assert raised.value.x_request_id
    paths = [(e["path"], e["status"]) for e in clean_emulator.requests()]
    assert ("/api/v1/projects/demo/groups", 401) in paths
    assert ("/api/v1/token/inspect", 401) in paths  # the SDK asks which projects the token could reach


def test_missing_and_unknown_tokens_get_a_401_error_body(clean_emulator):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YWRtaW46YWRtaW4tc2VjcmV0"}):
        response = clean_emulator.http.get("/api/v1/projects/demo/groups", headers=headers)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == 401 and error["message"]
        assert "not-a-token" not in error["message"]
        assert response.headers["x-request-id"]


def test_expired_tokens_are_rejected():
    with EmulatorProcess(extra_args=["--token-ttl", "1"]) as emu:
        response = emu.http.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "admin", "client_secret": "admin-secret"},
        )
        assert response.json()["expires_in"] == 1
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        assert emu.http.get("/api/v1/token/inspect", headers=headers).status_code == 200
        time.sleep(1.2)
        expired = emu.http.get("/api/v1/token/inspect", headers=headers)
        assert expired.status_code == 401
        assert "expired" in expired.json()["error"]["message"]


def test_unknown_project_is_a_403_naming_the_project(make_client):
    client = make_client(project="no-such-project")
    with pytest.raises(CogniteAPIError) as raised:
        client.iam.groups.list(all=True)
    assert raised.value.code == 403
    assert "no-such-project" in raised.value.message
    assert not isinstance(raised.value, CogniteProjectAccessError)


def test_reader_creating_a_group_gets_a_403_and_nothing_is_created(clean_emulator, reader, admin):
    with pytest.raises(CogniteAPIError) as raised:
        reader.iam.groups.create(GroupWrite(name="sneaky", source_id="cdf-readers"))
    assert raised.value.code == 403
    assert "groupsAcl:CREATE" in raised.value.message
    assert raised.value.x_request_id
    assert [g.name for g in admin.iam.groups.list(all=True)] == ["admins", "readers"]


def test_every_response_carries_a_request_id(clean_emulator):
    token = clean_emulator.admin_token()
    auth = {"Authorization": f"Bearer {token}"}
    responses = [
        clean_emulator.http.get("/api/v1/projects/demo/groups", headers=auth),
        clean_emulator.http.post("/api/v1/projects/demo/groups", headers=auth, content=b"{not json"),
        clean_emulator.http.get("/api/v1/projects/demo/no-such-endpoint", headers=auth),
        clean_emulator.http.get("/_emulator/health"),
        clean_emulator.http.post("/oauth2/token", data={"grant_type": "client_credentials"}),
    ]
    ids = [r.headers.get("x-request-id") for r in responses]
    assert all(ids) and len(set(ids)) == len(ids)
    assert [r.status_code for r in responses] == [200, 400, 404, 200, 401]
    assert json.loads(responses[2].content)["error"]["code"] == 404


# Token inspection needs projectsAcl:LIST and groupsAcl:LIST (API reference: the tokens concept page and the OpenAPI
# entry for /token/inspect, which answers 200, 401 or 403).


def _reader_with(admin, *capabilities):
    """Replace the seeded readers group with one holding only ``capabilities``."""
    admin.iam.groups.delete(READERS)
    admin.iam.groups.create(GroupWrite(name="readers", source_id="cdf-readers", capabilities=list(capabilities)))


@pytest.mark.parametrize(
    ("capabilities", "missing"),
    [
        ([GroupsAcl([GroupsAcl.Action.List], GroupsAcl.Scope.All())], "missing capability projectsAcl:LIST in"),
        ([ProjectsAcl([ProjectsAcl.Action.List], ProjectsAcl.Scope.All())], "missing capability groupsAcl:LIST in"),
        ([AssetsAcl([AssetsAcl.Action.Read], AssetsAcl.Scope.All())], "projectsAcl:LIST and groupsAcl:LIST in every"),
    ],
)
def test_inspection_without_projects_list_or_groups_list_is_a_403(admin, reader, capabilities, missing):
    _reader_with(admin, *capabilities)
    with pytest.raises(CogniteAPIError) as denied:
        reader.iam.token.inspect()
    assert denied.value.code == 403 and missing in denied.value.message


def test_inspection_with_both_rights_in_any_scope_is_allowed(admin, reader):
    _reader_with(
        admin,
        GroupsAcl([GroupsAcl.Action.List], GroupsAcl.Scope.CurrentUser()),
        ProjectsAcl([ProjectsAcl.Action.List], ProjectsAcl.Scope.All()),
    )
    assert reader.iam.token.inspect().subject == "reader"


def test_the_403_body_is_cdfs_error_body(admin, clean_emulator):
    _reader_with(admin, AssetsAcl([AssetsAcl.Action.Read], AssetsAcl.Scope.All()))
    token = clean_emulator.token("reader", "reader-secret")
    response = clean_emulator.http.get("/api/v1/token/inspect", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert set(response.json()) == {"error"} and response.json()["error"]["code"] == 403


def test_rights_held_in_any_project_the_token_reaches_count():
    from emulator.cdf.token import _check_inspection_rights

    in_one = {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "projectScope": {"projects": ["a"]}}
    in_other = {"projectsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "projectScope": {"projects": ["b"]}}
    _check_inspection_rights([in_one, in_other])
