"""The projects endpoints, driven with cognite-sdk 8.22.0's generic calls, as cognite-toolkit makes
them: ``GET /api/v1/projects?withDataModelingStatus=true`` (toolkit ``ProjectAPI.status``) and
``GET /api/v1/projects/{project}`` (the SDK's and toolkit's organization look-up reads ``organization`` from it).
cognite-sdk 8.22 has no projects API of its own; its ``get`` sends the request with the SDK's headers and auth."""

from __future__ import annotations

import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.capabilities import ProjectsAcl
from cognite.client.exceptions import CogniteAPIError

from emulator.cdf.seeds import ORG


def test_list_projects_as_the_toolkit_calls_it(admin):
    body = admin.get("/api/v1/projects", params={"withDataModelingStatus": True}).json()
    assert body == {"items": [{"urlName": "demo", "dataModelingStatus": "HYBRID"}]}
    assert admin.get("/api/v1/projects").json() == {"items": [{"urlName": "demo"}]}


def test_list_shows_only_projects_where_the_caller_holds_projects_read(admin, reader):
    assert reader.get("/api/v1/projects").json() == {"items": []}, "the seeded reader holds projectsAcl:LIST only"
    admin.iam.groups.create(
        GroupWrite(name="readers see the project", source_id="cdf-readers",
                   capabilities=[ProjectsAcl([ProjectsAcl.Action.Read], ProjectsAcl.Scope.All())])
    )
    assert reader.get("/api/v1/projects").json() == {"items": [{"urlName": "demo"}]}


def test_retrieve_the_current_project(admin):
    body = admin.get("/api/v1/projects/demo").json()
    assert body == {"name": "demo", "urlName": "demo", "organization": ORG, "userProfilesConfiguration": {"enabled": True}}


def test_retrieve_needs_projects_read(reader):
    with pytest.raises(CogniteAPIError) as denied:
        reader.get("/api/v1/projects/demo")
    assert denied.value.code == 403 and "projectsAcl:READ" in denied.value.message


def test_an_unknown_project_is_refused(admin):
    with pytest.raises(CogniteAPIError) as denied:
        admin.get("/api/v1/projects/nowhere")
    assert denied.value.code in (401, 403)


def test_project_reads_are_not_writes(clean_emulator, admin):
    clean_emulator.clear_log()
    admin.get("/api/v1/projects")
    admin.get("/api/v1/projects/demo")
    assert clean_emulator.writes() == []
