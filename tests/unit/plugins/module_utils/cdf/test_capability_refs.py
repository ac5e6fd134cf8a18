"""capability_refs.py and declared_capabilities: names in id scopes resolved with one lookup per kind; creates written
in the task's own order and split."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    capabilities_equal,
    declared_capabilities,
    describe_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_refs import (
    References,
    references,
    with_placeholders,
)

NAMED = [
    {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["landing", 7, "curated", "landing"]}}}},
    {"extractionPipelinesAcl": {"actions": ["READ"], "scope": {"extractionPipelineScope": {"ids": ["sap-ingest"]}}}},
    {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["legal", "12"]}}}},
    {"timeSeriesAcl": {"actions": ["READ"], "scope": {"idscope": {"ids": [5]}}}},
]


class FakeClient:
    def __init__(self):
        self.calls = []

    def by_ids(self, path, keys, *, key, parse, chunk, ignore_unknown=False):
        self.calls.append((path, tuple(keys), key, ignore_unknown))
        known = {"datasets/byids": {"landing": 4500000001, "curated": 4500000002}, "extpipes/byids": {"sap-ingest": 9}}
        items = [{"externalId": k, "id": known[path][k]} for k in keys if k in known[path]]
        return parse({"items": items}), []


def test_names_are_found_per_kind_and_time_series_ids_are_never_names():
    assert references(NAMED) == {"datasets": ["landing", "curated"], "extpipes": ["sap-ingest"], "categories": ["legal"]}
    placeholder = with_placeholders(NAMED)
    assert placeholder[0]["assetsAcl"]["scope"]["datasetScope"]["ids"] == [1, 7, 1, 1]
    assert NAMED[0]["assetsAcl"]["scope"]["datasetScope"]["ids"][0] == "landing", "the task's own list is untouched"


def test_one_lookup_per_kind_resolves_and_names_what_is_missing():
    client = FakeClient()
    found = References()
    missing = found.resolve(client, references(NAMED) | {"datasets": ["landing", "curated", "gone"]},
                            categories=[{"id": 2000000001, "name": "legal"}])
    assert missing == ["data set 'gone'"]
    assert [call[0] for call in client.calls] == ["datasets/byids", "extpipes/byids"]
    assert all(call[2] == "externalId" and call[3] for call in client.calls)
    resolved = found.substitute(NAMED)
    assert resolved[0]["assetsAcl"]["scope"]["datasetScope"]["ids"] == [4500000001, 7, 4500000002, 4500000001]
    assert resolved[2]["securityCategoriesAcl"]["scope"]["idscope"]["ids"] == [2000000001, "12"]
    assert describe_capabilities(resolved, found.label) == [
        "assetsAcl: READ [datasetScope: 7, landing, curated]",
        "extractionPipelinesAcl: READ [extractionPipelineScope: sap-ingest]",
        "securityCategoriesAcl: MEMBEROF [idscope: 12, legal]",
        "timeSeriesAcl: READ [idscope: 5]",
    ], "the names the task used; a time series id is never a category"


def test_a_create_keeps_the_declared_order_and_split():
    declared = [
        {"timeSeriesAcl": {"actions": ["WRITE", "READ", "READ"], "scope": {"all": {}}}},
        {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["3", 1, 3]}}}},
        {"assetsAcl": {"actions": ["WRITE"], "scope": {"datasetScope": {"ids": [1]}}}},
        {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"db2": ["t2", "t1"], "db1": {}}}}}},
        {"timeSeriesAcl": {"actions": ["WRITE", "READ", "READ"], "scope": {"all": {}}}},
    ]
    written = declared_capabilities(declared)
    assert written == [
        {"timeSeriesAcl": {"actions": ["WRITE", "READ"], "scope": {"all": {}}}},
        {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [3, 1]}}}},
        {"assetsAcl": {"actions": ["WRITE"], "scope": {"datasetScope": {"ids": [1]}}}},
        {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"db2": {"tables": ["t2", "t1"]}, "db1": {}}}}}},
    ]
    assert capabilities_equal(written, declared)
