"""Data sets and extraction pipelines API fidelity: cognite-sdk 8.22.0 (unchanged) and raw HTTP against the emulator.

What the collection (datasetScope / extractionPipelineScope ids given as external ids) and cognite-toolkit
(``client.data_sets.retrieve_multiple(ids=..., ignore_unknown_ids=True)`` on every comparison of groups) call.
"""

from __future__ import annotations

import json

import pytest
from cognite.client.data_classes import DataSet, DataSetWrite, ExtractionPipeline, ExtractionPipelineWrite
from cognite.client.exceptions import CogniteAPIError, CogniteDuplicatedError, CogniteNotFoundError

from emulator.cdf.seeds import DATA_SET_ID_START, EXTPIPE_ID_START, SEED_DATA_SETS, SEED_EXTPIPE_EXTERNAL_ID
from emulator.process import EmulatorProcess
from sdk_helpers import sdk_client

DATASETS = "/api/v1/projects/demo/datasets"
EXTPIPES = "/api/v1/projects/demo/extpipes"
GROUPS = "/api/v1/projects/demo/groups"
LANDING, CURATED, RESTRICTED = DATA_SET_ID_START, DATA_SET_ID_START + 1, DATA_SET_ID_START + 2


@pytest.fixture
def auth(clean_emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_emulator.admin_token()}"}


def grant_readers(emu: EmulatorProcess, auth: dict[str, str], *capabilities: dict) -> None:
    """A group for the reader's IdP group (cdf-readers) with ``capabilities``."""
    body = {"items": [{"name": "scoped-readers", "sourceId": "cdf-readers", "capabilities": list(capabilities)}]}
    assert emu.http.post(GROUPS, headers=auth, json=body).status_code == 201


def paths(emu: EmulatorProcess, prefix: str) -> list[tuple[str, str, int]]:
    return [(e["method"], e["path"], e["status"]) for e in emu.requests() if e["path"].startswith(prefix)]


# ---- data sets --------------------------------------------------------------------------------------


def test_the_seed_holds_the_audit_examples_data_sets(admin):
    listed = admin.data_sets.list()
    assert [(d.id, d.external_id) for d in listed] == [
        (LANDING, "landing"), (CURATED, "curated"), (RESTRICTED, "finance-restricted"),
    ]
    assert [d.external_id for d in listed] == [x for x, *_rest in SEED_DATA_SETS]
    assert all(isinstance(d, DataSet) and isinstance(d.created_time, int) for d in listed)
    assert [d.write_protected for d in listed] == [False, False, True]
    audit = open("playbooks/vars/audit_access.yml", encoding="utf-8").read()
    assert f"[{LANDING}, {CURATED}]" in audit  # the ids the audit example scopes groups to


def test_list_is_post_datasets_list_and_filters(clean_emulator, admin):
    assert [d.external_id for d in admin.data_sets.list(write_protected=True)] == ["finance-restricted"]
    assert [d.external_id for d in admin.data_sets.list(external_id_prefix="cur")] == ["curated"]
    assert len(admin.data_sets.list(metadata={"origin": "emulator seed"})) == 3
    assert admin.data_sets.list(metadata={"origin": "elsewhere"}) == []
    assert [d.id for d in admin.data_sets.list(created_time={"min": 0, "max": 2**62}, limit=2)] == [LANDING, CURATED]
    sent = [e for e in clean_emulator.requests() if e["path"].startswith(DATASETS)]
    assert {(e["method"], e["path"]) for e in sent} == {("POST", DATASETS + "/list")}
    assert sent[0]["body"] == {"filter": {"writeProtected": True}, "limit": 25}
    assert all(e["write"] is False for e in sent)


def test_create_one_and_many(clean_emulator, admin):
    one = admin.data_sets.create(DataSetWrite(external_id="sandbox", name="Sandbox", metadata={"team": "a"}))
    assert isinstance(one, DataSet) and one.id == DATA_SET_ID_START + 3
    assert (one.external_id, one.name, one.metadata, one.write_protected) == ("sandbox", "Sandbox", {"team": "a"}, False)
    assert one.created_time == one.last_updated_time
    many = admin.data_sets.create([DataSetWrite(name=f"n{i}", write_protected=i == 0) for i in range(12)])
    assert [d.id for d in many] == list(range(one.id + 1, one.id + 13))
    assert many[0].write_protected is True and many[0].external_id is None
    creates = [p for p in paths(clean_emulator, DATASETS) if p[:2] == ("POST", DATASETS)]
    assert creates == [("POST", DATASETS, 201)] * 3  # the SDK sends at most 10 per request (the API's limit)
    assert [w["path"] for w in clean_emulator.writes()] == [DATASETS] * 3
    assert len(admin.data_sets.list(limit=-1)) == 16


def test_retrieve_by_id_or_external_id(admin):
    assert admin.data_sets.retrieve(id=LANDING).external_id == "landing"
    assert admin.data_sets.retrieve(external_id="curated").id == CURATED
    assert admin.data_sets.retrieve(id=999) is None
    assert admin.data_sets.retrieve(external_id="nope") is None


def test_retrieve_multiple_ignoring_unknown_ids(clean_emulator, admin):
    found = admin.data_sets.retrieve_multiple(
        ids=[CURATED, 999], external_ids=["landing", "nope"], ignore_unknown_ids=True
    )
    assert [d.external_id for d in found] == ["curated", "landing"]
    (entry,) = [e for e in clean_emulator.requests() if e["path"] == DATASETS + "/byids"]
    assert entry["body"]["ignoreUnknownIds"] is True and entry["write"] is False and entry["status"] == 200


def test_the_toolkits_lookup_of_ids(admin):
    """cognite-toolkit resolves a group's datasetScope ids to external ids this way."""
    found = admin.data_sets.retrieve_multiple(ids=[LANDING, CURATED, 123], ignore_unknown_ids=True)
    assert {d.id: d.external_id for d in found} == {LANDING: "landing", CURATED: "curated"}


def test_unknown_items_raise_not_found_naming_them_as_given(admin):
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.data_sets.retrieve_multiple(ids=[LANDING, 999], external_ids=["curated", "nope"])
    assert raised.value.code == 400
    assert raised.value.not_found == [{"id": 999}, {"externalId": "nope"}]


def test_missing_shape_on_the_wire(clean_emulator, auth):
    body = {"items": [{"externalId": "nope"}, {"id": 999}, {"id": LANDING}]}
    error = clean_emulator.http.post(DATASETS + "/byids", headers=auth, json=body).json()["error"]
    assert error["code"] == 400 and error["missing"] == [{"externalId": "nope"}, {"id": 999}]


def test_an_existing_external_id_is_409_and_nothing_is_created(admin):
    with pytest.raises(CogniteDuplicatedError) as raised:
        admin.data_sets.create([DataSetWrite(external_id="fresh"), DataSetWrite(external_id="landing")])
    assert raised.value.code == 409
    assert raised.value.duplicated == [{"externalId": "landing"}]
    assert admin.data_sets.retrieve(external_id="fresh") is None


@pytest.mark.parametrize(
    "items",
    [
        [{"externalId": "twice"}, {"externalId": "twice"}],
        [{"name": "x", "extra": 1}],
        [{"externalId": ""}],
        [{"name": "x" * 51}],
        [{"writeProtected": "yes"}],
        [{"metadata": {"k": 1}}],
        [{"metadata": {"k" * 129: "v"}}],
        ["x"],
        [{}] * 11,
    ],
)
def test_invalid_creates_are_400(clean_emulator, auth, items):
    response = clean_emulator.http.post(DATASETS, headers=auth, json={"items": items})
    assert response.status_code == 400, response.text
    assert len(clean_emulator.state()["projects"]["demo"]["dataSets"]) == 3


@pytest.mark.parametrize(
    "body",
    [
        {"items": [{"id": LANDING}, {"id": LANDING}]},
        {"items": [{"id": LANDING, "externalId": "landing"}]},
        {"items": [{"externalId": 3}]},
        {"items": [{"id": "abc"}]},
        {"items": [{"id": LANDING}], "ignoreUnknownIds": "yes"},
        {"items": []},
    ],
)
def test_invalid_byids_are_400(clean_emulator, auth, body):
    assert clean_emulator.http.post(DATASETS + "/byids", headers=auth, json=body).status_code == 400


def test_paging_with_cursors_get_and_post(clean_emulator, admin, auth):
    admin.data_sets.create([DataSetWrite(external_id=f"p{i:02d}") for i in range(27)])
    every = [d.id for d in admin.data_sets.list(limit=-1)]
    assert len(every) == 30 and every == sorted(every)
    assert len(admin.data_sets.list()) == 25  # the SDK's and the API's default
    for method in ("GET", "POST"):
        seen, cursor, pages = [], None, 0
        while True:
            if method == "GET":
                params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
                body = clean_emulator.http.get(DATASETS, params=params, headers=auth).json()
            else:
                request = {"limit": 7, **({"cursor": cursor} if cursor else {})}
                body = clean_emulator.http.post(DATASETS + "/list", json=request, headers=auth).json()
            pages += 1
            seen += [d["id"] for d in body["items"]]
            cursor = body.get("nextCursor")
            if not cursor:
                break
        assert (seen, pages) == (every, 5)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"limit": "ten"}, {"cursor": "not-a-cursor"}])
def test_bad_list_parameters_are_400(clean_emulator, auth, params):
    assert clean_emulator.http.get(DATASETS, params=params, headers=auth).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": "ten"},
        {"cursor": "not-a-cursor"},
        {"filter": {"name": "x"}},
        {"filter": {"createdTime": {"min": "yesterday"}}},
        {"filter": {"writeProtected": "yes"}},
        {"partition": "1/2"},
    ],
)
def test_bad_filter_bodies_are_400(clean_emulator, auth, body):
    assert clean_emulator.http.post(DATASETS + "/list", json=body, headers=auth).status_code == 400


def test_a_reader_without_datasets_acl_gets_403(reader):
    for call in (
        reader.data_sets.list,
        lambda: reader.data_sets.retrieve_multiple(ids=[LANDING], ignore_unknown_ids=True),
        lambda: reader.data_sets.create(DataSetWrite(external_id="nope")),
    ):
        with pytest.raises(CogniteAPIError) as raised:
            call()
        assert raised.value.code == 403
        assert "datasetsAcl" in raised.value.message


def test_an_id_scope_shows_only_its_data_sets(clean_emulator, auth, reader):
    grant_readers(clean_emulator, auth, {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": [CURATED]}}}})
    assert [d.external_id for d in reader.data_sets.list()] == ["curated"]
    assert [d.id for d in reader.data_sets.retrieve_multiple(external_ids=["curated"])] == [CURATED]
    with pytest.raises(CogniteAPIError) as raised:
        reader.data_sets.retrieve_multiple(external_ids=["landing"])
    assert raised.value.code == 403 and str(LANDING) in raised.value.message
    with pytest.raises(CogniteAPIError) as raised:  # READ alone does not create
        reader.data_sets.create(DataSetWrite(external_id="nope"))
    assert raised.value.code == 403 and "datasetsAcl:WRITE" in raised.value.message


def test_read_is_enough_for_the_toolkit_but_not_for_create(clean_emulator, auth, reader):
    grant_readers(clean_emulator, auth, {"datasetsAcl": {"actions": ["READ"], "scope": {"all": {}}}})
    assert len(reader.data_sets.retrieve_multiple(ids=[LANDING, CURATED, 1], ignore_unknown_ids=True)) == 2
    clean_emulator.clear_log()
    with pytest.raises(CogniteAPIError):
        reader.data_sets.create(DataSetWrite(external_id="nope"))
    assert [(w["path"], w["status"]) for w in clean_emulator.writes()] == [(DATASETS, 403)]  # an attempted write


def test_reset_and_state_file(tmp_path):
    state_file = tmp_path / "state.json"
    with EmulatorProcess(state_file) as first:
        admin = sdk_client(first)
        made = admin.data_sets.create(DataSetWrite(external_id="kept"))
        admin.extraction_pipelines.create(ExtractionPipelineWrite(external_id="kept-pipe", name="K", data_set_id=made.id))
    state = json.loads(state_file.read_text())["projects"]["demo"]
    assert state["dataSets"][str(made.id)]["externalId"] == "kept"
    with EmulatorProcess(state_file) as second:
        admin = sdk_client(second)
        assert admin.data_sets.retrieve(external_id="kept").id == made.id
        assert admin.extraction_pipelines.retrieve(external_id="kept-pipe").data_set_id == made.id
        second.reset()
        assert admin.data_sets.retrieve(external_id="kept") is None
        assert [p.external_id for p in admin.extraction_pipelines.list()] == [SEED_EXTPIPE_EXTERNAL_ID]
        assert admin.data_sets.create(DataSetWrite(name="again")).id == DATA_SET_ID_START + 3


def test_a_state_file_from_before_data_sets_still_works(tmp_path):
    state_file = tmp_path / "state.json"
    with EmulatorProcess(state_file):
        pass
    state = json.loads(state_file.read_text())
    for key in ("dataSets", "extPipes"):
        del state["projects"]["demo"][key]
    for key in ("dataSet", "extPipe"):
        del state["counters"][key]
    state_file.write_text(json.dumps(state))
    with EmulatorProcess(state_file) as emulator:
        admin = sdk_client(emulator)
        assert admin.data_sets.list() == []
        made = admin.data_sets.create(DataSetWrite(external_id="first"))
        assert made.id == DATA_SET_ID_START
        pipe = admin.extraction_pipelines.create(ExtractionPipelineWrite(external_id="e", name="E", data_set_id=made.id))
        assert pipe.id == EXTPIPE_ID_START


# ---- extraction pipelines ---------------------------------------------------------------------------


def test_the_seeded_pipeline(admin):
    (pipe,) = admin.extraction_pipelines.list()
    assert isinstance(pipe, ExtractionPipeline)
    assert (pipe.id, pipe.external_id, pipe.data_set_id) == (EXTPIPE_ID_START, SEED_EXTPIPE_EXTERNAL_ID, LANDING)
    assert pipe.raw_tables == [{"dbName": "landing", "tableName": "sap_assets"}]


def test_create_and_retrieve_multiple_pipelines(clean_emulator, admin):
    made = admin.extraction_pipelines.create(
        [
            ExtractionPipelineWrite(external_id="a", name="A", data_set_id=CURATED, schedule="Continuous"),
            ExtractionPipelineWrite(external_id="b", name="B", data_set_id=LANDING, metadata={"k": "v"}),
        ]
    )
    assert [p.id for p in made] == [EXTPIPE_ID_START + 1, EXTPIPE_ID_START + 2]
    assert made[0].schedule == "Continuous" and made[1].metadata == {"k": "v"}
    assert paths(clean_emulator, EXTPIPES) == [("POST", EXTPIPES, 201)]
    found = admin.extraction_pipelines.retrieve_multiple(
        ids=[EXTPIPE_ID_START], external_ids=["b", "nope"], ignore_unknown_ids=True
    )
    assert [p.external_id for p in found] == [SEED_EXTPIPE_EXTERNAL_ID, "b"]
    assert admin.extraction_pipelines.retrieve(external_id="a").data_set_id == CURATED
    assert admin.extraction_pipelines.retrieve(id=42) is None
    with pytest.raises(CogniteNotFoundError) as raised:
        admin.extraction_pipelines.retrieve_multiple(external_ids=["a", "nope"])
    assert raised.value.not_found == [{"externalId": "nope"}]
    assert [p.external_id for p in admin.extraction_pipelines.list(limit=-1)] == [SEED_EXTPIPE_EXTERNAL_ID, "a", "b"]
    assert [e["query"] for e in clean_emulator.requests() if e["method"] == "GET" and e["path"] == EXTPIPES][-1] == {
        "limit": "1000"
    }


def test_pipeline_create_errors(clean_emulator, admin, auth):
    with pytest.raises(CogniteDuplicatedError) as raised:
        admin.extraction_pipelines.create(
            ExtractionPipelineWrite(external_id=SEED_EXTPIPE_EXTERNAL_ID, name="X", data_set_id=LANDING)
        )
    assert raised.value.code == 409 and raised.value.duplicated == [{"externalId": SEED_EXTPIPE_EXTERNAL_ID}]
    for item in (
        {"externalId": "x", "name": "X", "dataSetId": 999},  # no such data set
        {"externalId": "x", "name": "X"},  # dataSetId is required
        {"name": "X", "dataSetId": LANDING},  # externalId is required
        {"externalId": "x", "name": "", "dataSetId": LANDING},
        {"externalId": "x", "name": "X", "dataSetId": LANDING, "unknown": 1},
        {"externalId": "x", "name": "X", "dataSetId": LANDING, "rawTables": "landing"},
    ):
        response = clean_emulator.http.post(EXTPIPES, headers=auth, json={"items": [item]})
        assert response.status_code == 400, (item, response.text)
    assert len(admin.extraction_pipelines.list()) == 1


def test_a_reader_without_extraction_pipelines_acl_gets_403(reader):
    for call in (
        reader.extraction_pipelines.list,
        lambda: reader.extraction_pipelines.retrieve_multiple(external_ids=["x"], ignore_unknown_ids=True),
        lambda: reader.extraction_pipelines.create(ExtractionPipelineWrite(external_id="x", name="X", data_set_id=LANDING)),
    ):
        with pytest.raises(CogniteAPIError) as raised:
            call()
        assert raised.value.code == 403
        assert "extractionPipelinesAcl" in raised.value.message


def test_pipeline_scopes(clean_emulator, admin, auth, reader):
    admin.extraction_pipelines.create(ExtractionPipelineWrite(external_id="cur", name="C", data_set_id=CURATED))
    grant_readers(
        clean_emulator,
        auth,
        {"extractionPipelinesAcl": {"actions": ["READ", "WRITE"], "scope": {"datasetScope": {"ids": [CURATED]}}}},
    )
    assert [p.external_id for p in reader.extraction_pipelines.list()] == ["cur"]
    with pytest.raises(CogniteAPIError) as raised:
        reader.extraction_pipelines.retrieve_multiple(external_ids=[SEED_EXTPIPE_EXTERNAL_ID])
    assert raised.value.code == 403
    with pytest.raises(CogniteAPIError) as raised:  # creating needs datasetsAcl:READ too (the API reference)
        reader.extraction_pipelines.create(ExtractionPipelineWrite(external_id="r", name="R", data_set_id=CURATED))
    assert raised.value.code == 403 and "datasetsAcl:READ" in raised.value.message
    grant = {"datasetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
    body = {"items": [{"name": "ds-readers", "sourceId": "cdf-readers", "capabilities": [grant]}]}
    assert clean_emulator.http.post(GROUPS, headers=auth, json=body).status_code == 201
    made = reader.extraction_pipelines.create(ExtractionPipelineWrite(external_id="r", name="R", data_set_id=CURATED))
    assert made.data_set_id == CURATED
    with pytest.raises(CogniteAPIError) as raised:  # outside its datasetScope
        reader.extraction_pipelines.create(ExtractionPipelineWrite(external_id="l", name="L", data_set_id=LANDING))
    assert raised.value.code == 403 and str(LANDING) in raised.value.message
