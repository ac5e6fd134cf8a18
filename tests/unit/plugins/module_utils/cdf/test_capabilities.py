# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the capability-diff helper (plugins/module_utils/cdf/capabilities.py)."""

from __future__ import annotations

import copy
import itertools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf import capabilities as capabilities_module
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    CapabilityError,
    capabilities_equal,
    describe_capabilities,
    flatten_capabilities,
    missing_capabilities,
    normalise_capabilities,
    validate_capabilities,
)


def cap(acl: str, actions: list, scope: dict) -> dict:
    return {acl: {"actions": actions, "scope": scope}}


def ids(scope: str, *values: object, field: str = "ids") -> dict:
    return {scope: {field: list(values)}}


def tables(spec: dict) -> dict:
    return {"tableScope": {"dbsToTables": spec}}


ALL = {"all": {}}
GROUPS_ADMIN = cap("groupsAcl", ["LIST", "CREATE", "DELETE"], ALL)
DATASETS = cap("datasetsAcl", ["READ"], ids("idScope", 3, 1, 2))
RAW = cap("rawAcl", ["READ"], tables({"db2": ["t2", "t1"], "db1": {}}))
EXAMPLE = [RAW, DATASETS, GROUPS_ADMIN]


# validate_capabilities ---------------------------------------------------------------------------------


def test_valid_capabilities_have_no_warnings() -> None:
    assert validate_capabilities(EXAMPLE) == []
    assert validate_capabilities([]) == []


def test_token_inspect_project_scope_is_accepted_and_ignored() -> None:
    inspected = [dict(GROUPS_ADMIN, projectScope={"allProjects": {}})]
    assert validate_capabilities(inspected) == []
    assert normalise_capabilities(inspected) == normalise_capabilities([GROUPS_ADMIN])
    assert capabilities_equal(inspected, [GROUPS_ADMIN])


def test_unknown_acl_warns_and_is_kept() -> None:
    unknown = cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["b", "a"]}})
    (warning,) = validate_capabilities([GROUPS_ADMIN, unknown])
    assert warning.startswith("capabilities[1] (videoStreamingAcl): ACL 'videoStreamingAcl' is not in the catalogue")
    assert "kept and compared as given (CDF adds ACLs faster than any client)" in warning
    assert cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["a", "b"]}}) in normalise_capabilities(
        [unknown]
    )


def test_misspelt_acl_warning_suggests_the_known_name() -> None:
    (warning,) = validate_capabilities([cap("groupAcl", ["LIST"], ALL)])
    assert "did you mean 'groupsAcl'?" in warning


def test_unknown_scope_of_a_known_acl_warns() -> None:
    (warning,) = validate_capabilities([cap("rawAcl", ["READ"], {"agentExternalIdScope": {"externalIds": ["x"]}})])
    assert warning.startswith("capabilities[0] (rawAcl): scope 'agentExternalIdScope' is not known for rawAcl")
    assert "(known: all, tableScope)" in warning


def test_known_scope_not_listed_for_the_acl_is_refused() -> None:
    """cognite-sdk 8.22 Capability._validate raises "got an unknown scope" for it; the API refuses the group."""
    with pytest.raises(CapabilityError, match="datasetsAcl does not take scope 'datasetScope'; its scopes are all, idScope"):
        validate_capabilities([cap("datasetsAcl", ["READ"], ids("datasetScope", 1))])


def test_legacy_acls_and_scopes_warn() -> None:
    warnings = validate_capabilities(
        [
            cap("genericsAcl", ["READ"], ALL),
            cap("dataModelInstancesAcl", ["READ"], ids("spaceScope", "s1", field="externalIds")),
        ]
    )
    assert warnings == [
        "capabilities[0] (genericsAcl): genericsAcl is a legacy ACL that CDF no longer uses; "
        + "kept and compared like any other",
        "capabilities[1] (dataModelInstancesAcl): scope 'spaceScope' is legacy; prefer all, spaceIdScope",
    ]


def test_scope_that_lists_nothing_warns() -> None:
    (warning,) = validate_capabilities([cap("datasetsAcl", ["READ"], ids("idScope"))])
    assert warning == "capabilities[0] (datasetsAcl): scope 'idScope' lists nothing, so this capability grants nothing"


def test_an_unknown_action_of_a_known_acl_warns_once_and_is_kept() -> None:
    """CDF adds actions to known ACLs before clients know them (cognite-toolkit PR #2963)."""
    future = cap("groupsAcl", ["LIST", "FLY"], ALL)
    warnings = validate_capabilities([GROUPS_ADMIN, DATASETS, future, cap("groupsAcl", ["FLY"], {"currentuserscope": {}})])
    assert warnings == [
        "capabilities[2, 3] (groupsAcl): action 'FLY' is not known for groupsAcl (known: CREATE, DELETE, LIST, "
        "READ, UPDATE): kept and compared as given (CDF adds actions faster than any client)"
    ]
    assert cap("groupsAcl", ["FLY", "LIST"], ALL) in normalise_capabilities([future])
    assert ("groupsAcl", "FLY", "all", None, None) in flatten_capabilities([future])
    assert describe_capabilities([future]) == ["groupsAcl: FLY, LIST [all]"]


def test_a_wrong_case_action_is_refused_with_the_known_spelling() -> None:
    with pytest.raises(CapabilityError, match="'list' is not an action of groupsAcl .*did you mean 'LIST'\\?"):
        validate_capabilities([cap("groupsAcl", ["list"], ALL)])


def test_unknown_actions_compare_as_given() -> None:
    future = cap("agentsAcl", ["READ", "DEPLOY"], ALL)
    assert capabilities_equal([future], [cap("agentsAcl", ["DEPLOY", "READ"], ALL)])
    assert not capabilities_equal([future], [cap("agentsAcl", ["READ"], ALL)])
    assert missing_capabilities([cap("agentsAcl", ["READ"], ALL)], [future]) == [cap("agentsAcl", ["DEPLOY"], ALL)]
    assert missing_capabilities([future], [cap("agentsAcl", ["DEPLOY"], ALL)]) == []


def test_the_same_unknown_acl_in_many_entries_warns_once() -> None:
    unknown = [cap("slowAcl", ["READ"], ALL), GROUPS_ADMIN, cap("slowAcl", ["WRITE"], ALL)]
    (warning,) = validate_capabilities(unknown)
    assert warning.startswith("capabilities[0, 2] (slowAcl): ACL 'slowAcl' is not in the catalogue")


def test_capability_error_is_a_value_error() -> None:
    assert issubclass(CapabilityError, ValueError)


BAD = [
    pytest.param("groupsAcl", "capabilities must be a list of capabilities such as [", id="not-a-list"),
    pytest.param(GROUPS_ADMIN, "capabilities must be a list", id="a-dict-not-a-list"),
    pytest.param(["groupsAcl"], "capabilities[0] must be a dict with one ACL name as its key", id="item-not-dict"),
    pytest.param(
        [{**GROUPS_ADMIN, **DATASETS}],
        "capabilities[0] must have exactly one ACL name as its key (besides projectScope), such as",
        id="two-acls",
    ),
    pytest.param([{}], "got keys: none. Write each ACL as its own list item", id="no-acl"),
    pytest.param([{"projectScope": {"allProjects": {}}}], "got keys: 'projectScope'", id="only-project-scope"),
    pytest.param(
        [{"groupsAcl": ["LIST"]}],
        'capabilities[0] (groupsAcl): the ACL must map to exactly "actions" and "scope"',
        id="body-not-dict",
    ),
    pytest.param([{"groupsAcl": {"actions": ["LIST"]}}], "got keys: 'actions'", id="no-scope"),
    pytest.param(
        [{"groupsAcl": {"actions": ["LIST"], "scope": ALL, "x": 1}}],
        "got keys: 'actions', 'scope', 'x'",
        id="extra-key",
    ),
    pytest.param(
        [cap("groupsAcl", "LIST", ALL)],
        "(groupsAcl): actions must be a non-empty list of action names, such as [\"READ\"]; got 'LIST'",
        id="actions-a-string",
    ),
    pytest.param([cap("groupsAcl", [], ALL)], "actions must be a non-empty list", id="actions-empty"),
    pytest.param([cap("newAcl", ["READ", 1], ALL)], "(newAcl): actions must be a non-empty list", id="action-int"),
    pytest.param(
        [cap("groupsAcl", ["LIST"], "all")],
        "(groupsAcl): scope must be a dict with exactly one scope name, such as {\"all\": {}}; got 'all'",
        id="scope-a-string",
    ),
    pytest.param(
        [cap("groupsAcl", ["LIST"], {})], "scope must be a dict with exactly one scope name", id="scope-empty"
    ),
    pytest.param(
        [cap("groupsAcl", ["LIST"], {"all": {}, "currentuserscope": {}})], "exactly one scope name", id="two-scopes"
    ),
    pytest.param(
        [cap("groupsAcl", ["LIST"], {"all": {"x": 1}})],
        "(groupsAcl): scope 'all' takes no fields: write {\"all\": {}}; got {'x': 1}",
        id="all-with-fields",
    ),
    pytest.param([cap("groupsAcl", ["LIST"], {"all": None})], "(in YAML, a bare `all:` is null)", id="all-null"),
    pytest.param(
        [cap("groupsAcl", ["LIST"], {"currentuserscope": []})],
        "scope 'currentuserscope' takes no fields",
        id="currentuserscope-list",
    ),
    pytest.param(
        [cap("datasetsAcl", ["READ"], ids("idScope", 1, field="id"))],
        "(datasetsAcl): scope 'idScope' needs exactly the field 'ids' (a list of integer ids), "
        + 'such as {"idScope": {"ids": [123]}}; got fields: \'id\'',
        id="wrong-field-name",
    ),
    pytest.param([cap("datasetsAcl", ["READ"], {"idScope": {}})], "got fields: none", id="no-field"),
    pytest.param(
        [cap("datasetsAcl", ["READ"], {"idScope": {"ids": [1], "x": []}})], "got fields: 'ids', 'x'", id="extra-field"
    ),
    pytest.param(
        [cap("datasetsAcl", ["READ"], {"idScope": {"ids": 1}})],
        "idScope.ids must be a list of integer ids; got 1",
        id="ids-not-list",
    ),
    pytest.param(
        [cap("datasetsAcl", ["READ"], ids("idScope", 1, "abc"))],
        "(datasetsAcl): idScope.ids[1] must be an integer id (or a string of digits such as \"12\"); got 'abc'",
        id="id-letters",
    ),
    pytest.param(
        [cap("datasetsAcl", ["READ"], ids("idScope", 1.0))], "idScope.ids[0] must be an integer id", id="id-float"
    ),
    pytest.param(
        [cap("datasetsAcl", ["READ"], ids("idScope", True))], "idScope.ids[0] must be an integer id", id="id-bool"
    ),
    pytest.param([cap("datasetsAcl", ["READ"], ids("idScope", " 12"))], "got ' 12'", id="id-padded"),
    pytest.param([cap("datasetsAcl", ["READ"], ids("idScope", "-1"))], "got '-1'", id="id-signed"),
    pytest.param(
        [cap("dataModelsAcl", ["READ"], ids("spaceIdScope", "a", 5, field="spaceIds"))],
        "(dataModelsAcl): spaceIdScope.spaceIds[1] must be a non-empty string; got 5",
        id="name-int",
    ),
    pytest.param(
        [cap("dataModelsAcl", ["READ"], ids("spaceIdScope", "", field="spaceIds"))],
        "spaceIdScope.spaceIds[0] must be a non-empty string",
        id="name-empty",
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], tables(["db1"]))],
        "(rawAcl): tableScope.dbsToTables must be a map of database to tables",
        id="tables-a-list",
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], tables({"db1": None}))],
        "tableScope.dbsToTables['db1'] must be {\"tables\": [names]}, a list of table names, "
        + "or {} or [] for the whole database; got None",
        id="db-null",
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], tables({"db1": {"tables": "t1"}}))], "dbsToTables['db1'] must be", id="tables-a-string"
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], tables({"db1": {"table": ["t1"]}}))],
        "dbsToTables['db1'] must be",
        id="tables-misspelt",
    ),
    pytest.param([cap("rawAcl", ["READ"], tables({"db1": ["t1", 2]}))], "dbsToTables['db1'] must be", id="table-int"),
    pytest.param([cap("rawAcl", ["READ"], tables({"db1": [""]}))], "dbsToTables['db1'] must be", id="table-empty"),
    pytest.param(
        [cap("rawAcl", ["READ"], tables({"": []}))], "database names must be non-empty strings", id="db-empty"
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], {"fooScope": ["x"]})],
        "(rawAcl): scope 'fooScope' must be a dict of its fields ({} when it has none); got ['x']",
        id="unknown-scope-not-dict",
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], {"fooScope": {"x": {1, 2}}})],
        "scope 'fooScope' must hold plain JSON data",
        id="unknown-scope-not-json",
    ),
    pytest.param(
        [cap("rawAcl", ["READ"], {"fooScope": {"x": float("nan")}})],
        "must hold plain JSON data",
        id="unknown-scope-nan",
    ),
]


@pytest.mark.parametrize("capabilities, message", BAD)
def test_each_wrong_shape_raises_a_capability_error_naming_the_field(capabilities: object, message: str) -> None:
    with pytest.raises(CapabilityError) as err:
        validate_capabilities(capabilities)  # type: ignore[arg-type]
    assert message in str(err.value)


API_SHAPES = [
    {"groupsAcl": {"actions": ["LIST"]}},
    {"groupsAcl": ["LIST"], "otherAcl": {}},
    cap("datasetsAcl", ["READ"], {"idScope": {"ids": "all of them"}}),
    "not even a dict",
]


@pytest.mark.parametrize("shape", API_SHAPES)
def test_only_validate_refuses_what_the_api_may_return(shape) -> None:
    """Data read back from CDF is never refused: an unreadable capability is one opaque entry, kept as returned."""
    current = [GROUPS_ADMIN, shape]
    assert capabilities_equal(current, copy.deepcopy(current))
    assert not capabilities_equal(current, [GROUPS_ADMIN])
    assert missing_capabilities(current, [GROUPS_ADMIN]) == []
    assert missing_capabilities([GROUPS_ADMIN], current) == [shape]
    assert shape in normalise_capabilities(current)
    (line,) = [text for text in describe_capabilities(current) if "unreadable" in text]
    assert ": unreadable, kept as returned: " in line and "[" not in line.split(":")[0]
    assert len(flatten_capabilities(current)) == 4


def test_validate_still_refuses_wrong_shapes_in_the_task() -> None:
    with pytest.raises(CapabilityError, match=r"capabilities\[1\] \(groupsAcl\): the ACL must map"):
        validate_capabilities([GROUPS_ADMIN, {"groupsAcl": {"actions": ["LIST"]}}])


# normalise_capabilities --------------------------------------------------------------------------------


def test_normalise_gives_the_canonical_wire_form() -> None:
    assert normalise_capabilities(EXAMPLE) == [
        cap("datasetsAcl", ["READ"], ids("idScope", 1, 2, 3)),
        cap("groupsAcl", ["CREATE", "DELETE", "LIST"], ALL),
        cap("rawAcl", ["READ"], tables({"db1": {"tables": []}, "db2": {"tables": ["t1", "t2"]}})),
    ]


def test_order_never_matters() -> None:
    variants = [
        cap("groupsAcl", ["DELETE", "LIST", "CREATE"], ALL),
        cap("datasetsAcl", ["READ"], ids("idScope", 2, 3, 1)),
        cap("rawAcl", ["READ"], tables({"db1": [], "db2": {"tables": ["t1", "t2"]}})),
    ]
    expected = normalise_capabilities(EXAMPLE)
    for order in itertools.permutations(variants):
        assert normalise_capabilities(list(order)) == expected
        assert flatten_capabilities(list(order)) == flatten_capabilities(EXAMPLE)
        assert describe_capabilities(list(order)) == describe_capabilities(EXAMPLE)
        assert capabilities_equal(list(order), EXAMPLE)


def test_a_string_of_digits_is_the_id() -> None:
    assert normalise_capabilities([cap("datasetsAcl", ["READ"], ids("idScope", "12", 12, "007"))]) == [
        cap("datasetsAcl", ["READ"], ids("idScope", 7, 12))
    ]
    assert capabilities_equal(
        [cap("timeSeriesAcl", ["READ"], ids("assetRootIdScope", "12", field="rootIds"))],
        [cap("timeSeriesAcl", ["READ"], ids("assetRootIdScope", 12, field="rootIds"))],
    )


@pytest.mark.parametrize("whole_db", [{}, {"tables": []}, []], ids=["empty-dict", "empty-tables", "empty-list"])
def test_the_three_whole_database_spellings_are_equal(whole_db: object) -> None:
    capability = cap("rawAcl", ["READ"], tables({"db1": whole_db}))
    assert normalise_capabilities([capability]) == [cap("rawAcl", ["READ"], tables({"db1": {"tables": []}}))]
    assert flatten_capabilities([capability]) == {("rawAcl", "READ", "tableScope", "db1", "")}
    for other in ({}, {"tables": []}, []):
        assert capabilities_equal([capability], [cap("rawAcl", ["READ"], tables({"db1": other}))])
    assert describe_capabilities([capability]) == ["rawAcl: READ [tableScope: db1.*]"]


def test_duplicates_collapse_and_same_scopes_merge() -> None:
    given = [
        cap("groupsAcl", ["LIST", "LIST"], ALL),
        cap("groupsAcl", ["CREATE"], {"all": {}}),
        cap("datasetsAcl", ["READ"], ids("idScope", 1, 1, 2)),
        cap("datasetsAcl", ["WRITE"], ids("idScope", 2, 1)),
        cap("datasetsAcl", ["READ"], ids("idScope", 3)),  # another scope: not merged
        cap("groupsAcl", ["LIST"], {"currentuserscope": {}}),
    ]
    assert normalise_capabilities(given) == [
        cap("datasetsAcl", ["READ", "WRITE"], ids("idScope", 1, 2)),
        cap("datasetsAcl", ["READ"], ids("idScope", 3)),
        cap("groupsAcl", ["CREATE", "LIST"], ALL),
        cap("groupsAcl", ["LIST"], {"currentuserscope": {}}),
    ]


def test_normalise_is_idempotent_and_keeps_what_is_granted() -> None:
    once = normalise_capabilities(EXAMPLE)
    assert normalise_capabilities(once) == once
    assert flatten_capabilities(once) == flatten_capabilities(EXAMPLE)


def test_normalise_neither_mutates_its_input_nor_shares_it() -> None:
    unknown = cap("newAcl", ["B", "A"], {"newScope": {"items": [{"k": 2}, {"k": 1}], "names": ["b", "a"]}})
    given = [unknown, RAW]
    before = copy.deepcopy(given)
    out = normalise_capabilities(given)
    assert given == before
    out[0]["newAcl"]["scope"]["newScope"]["items"].append("x")
    assert given == before


def test_unknown_scopes_sort_only_plain_lists() -> None:
    unknown = cap(
        "newAcl", ["B", "A", "B"], {"newScope": {"z": [{"k": 2}, {"k": 1}], "a": ["b", "a", "b"], "n": [2, 1]}}
    )
    assert normalise_capabilities([unknown]) == [
        cap("newAcl", ["A", "B"], {"newScope": {"a": ["a", "b"], "n": [1, 2], "z": [{"k": 2}, {"k": 1}]}})
    ]
    reordered = cap("newAcl", ["A", "B"], {"newScope": {"n": [1, 2], "a": ["a", "b"], "z": [{"k": 2}, {"k": 1}]}})
    assert capabilities_equal([unknown], [reordered])
    swapped = cap("newAcl", ["A", "B"], {"newScope": {"n": [1, 2], "a": ["a", "b"], "z": [{"k": 1}, {"k": 2}]}})
    assert not capabilities_equal([unknown], [swapped])


def test_an_unknown_acl_with_a_known_scope_is_read_by_the_scope() -> None:
    unknown = cap("newAcl", ["READ"], ids("datasetScope", "2", 1))
    assert flatten_capabilities([unknown]) == {
        ("newAcl", "READ", "datasetScope", 1, None),
        ("newAcl", "READ", "datasetScope", 2, None),
    }


# flatten_capabilities ----------------------------------------------------------------------------------


def test_flatten_gives_one_action_one_scope_one_element_per_entry() -> None:
    unknown = cap("newAcl", ["USE"], {"newScope": {"b": 1, "a": ["y", "x"]}})
    assert flatten_capabilities(EXAMPLE + [unknown, cap("groupsAcl", ["READ"], {"currentuserscope": {}})]) == {
        ("datasetsAcl", "READ", "idScope", 1, None),
        ("datasetsAcl", "READ", "idScope", 2, None),
        ("datasetsAcl", "READ", "idScope", 3, None),
        ("groupsAcl", "CREATE", "all", None, None),
        ("groupsAcl", "DELETE", "all", None, None),
        ("groupsAcl", "LIST", "all", None, None),
        ("groupsAcl", "READ", "currentuserscope", None, None),
        ("newAcl", "USE", "newScope", '{"a":["x","y"],"b":1}', None),
        ("rawAcl", "READ", "tableScope", "db1", ""),
        ("rawAcl", "READ", "tableScope", "db2", "t1"),
        ("rawAcl", "READ", "tableScope", "db2", "t2"),
    }


def test_flatten_keeps_idscope_spellings_apart() -> None:
    upper = flatten_capabilities([cap("timeSeriesAcl", ["READ"], ids("idScope", 1))])
    lower = flatten_capabilities([cap("timeSeriesAcl", ["READ"], ids("idscope", 1))])
    assert upper != lower


# missing_capabilities ----------------------------------------------------------------------------------


def test_sdk_docstring_example() -> None:
    """cognite-sdk's compare_capabilities docstring: assets read/write in all scope, events write in data set 123."""
    to_check = [
        {"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}},
        {"eventsAcl": {"actions": ["WRITE"], "scope": {"datasetScope": {"ids": [123]}}}},
    ]
    my_groups = [
        cap("assetsAcl", ["READ"], ALL),
        cap("eventsAcl", ["READ", "WRITE"], ALL),
    ]
    assert missing_capabilities(my_groups, to_check) == [cap("assetsAcl", ["WRITE"], ALL)]
    assert missing_capabilities(to_check, to_check) == []
    assert missing_capabilities(my_groups, to_check, ignore_allscope_meaning=True) == [
        cap("assetsAcl", ["WRITE"], ALL),
        cap("eventsAcl", ["WRITE"], ids("datasetScope", 123)),
    ]


def test_sdk_docstring_example_agrees_with_the_sdk() -> None:
    from cognite.client._api.iam import IAMAPI

    to_check = [
        {"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}},
        {"eventsAcl": {"actions": ["WRITE"], "scope": {"datasetScope": {"ids": [123]}}}},
    ]
    my_groups = [cap("assetsAcl", ["READ"], ALL), cap("eventsAcl", ["WRITE"], ids("datasetScope", 7))]
    sdk = [capability.dump() for capability in IAMAPI.compare_capabilities(my_groups, to_check)]
    assert (
        missing_capabilities(my_groups, to_check)
        == sdk
        == [
            cap("assetsAcl", ["WRITE"], ALL),
            cap("eventsAcl", ["WRITE"], ids("datasetScope", 123)),
        ]
    )


def test_all_covers_every_scope_of_the_same_action_only() -> None:
    existing = [cap("timeSeriesAcl", ["READ"], ALL)]
    desired = [
        cap("timeSeriesAcl", ["READ", "WRITE"], ids("datasetScope", 1)),
        cap("timeSeriesAcl", ["READ"], ids("idscope", 2)),
        cap("timeSeriesAcl", ["READ"], ids("assetRootIdScope", 3, field="rootIds")),
        cap("timeSeriesAcl", ["READ"], ALL),
    ]
    assert missing_capabilities(existing, desired) == [cap("timeSeriesAcl", ["WRITE"], ids("datasetScope", 1))]


def test_narrow_scopes_never_cover_all() -> None:
    existing = [cap("datasetsAcl", ["READ"], ids("idScope", 1, 2))]
    assert missing_capabilities(existing, [cap("datasetsAcl", ["READ"], ALL)]) == [cap("datasetsAcl", ["READ"], ALL)]


def test_currentuserscope_is_covered_only_by_itself_or_all() -> None:
    mine = cap("groupsAcl", ["LIST"], {"currentuserscope": {}})
    assert missing_capabilities([mine], [mine]) == []
    assert missing_capabilities([cap("groupsAcl", ["LIST"], ALL)], [mine]) == []
    assert missing_capabilities([cap("groupsAcl", ["READ"], ALL)], [mine]) == [mine]
    assert missing_capabilities([mine], [cap("groupsAcl", ["LIST"], ALL)]) == [cap("groupsAcl", ["LIST"], ALL)]


def test_a_whole_database_covers_its_tables_but_a_table_never_its_database() -> None:
    whole_db1 = cap("rawAcl", ["READ"], tables({"db1": {}}))
    desired = [cap("rawAcl", ["READ", "WRITE"], tables({"db1": ["t1", "t2"], "db2": ["t1"]}))]
    assert missing_capabilities([whole_db1], desired) == [
        cap("rawAcl", ["READ"], tables({"db2": {"tables": ["t1"]}})),
        cap("rawAcl", ["WRITE"], tables({"db1": {"tables": ["t1"]}})),
        cap("rawAcl", ["WRITE"], tables({"db1": {"tables": ["t2"]}})),
        cap("rawAcl", ["WRITE"], tables({"db2": {"tables": ["t1"]}})),
    ]
    table_only = [cap("rawAcl", ["READ"], tables({"db1": ["t1"]}))]
    assert missing_capabilities(table_only, [whole_db1]) == [cap("rawAcl", ["READ"], tables({"db1": {"tables": []}}))]


def test_write_covers_write_properties_in_all_or_the_same_space() -> None:
    def dmi(actions: list, scope: dict) -> dict:
        return cap("dataModelInstancesAcl", actions, scope)

    def spaces(*names: str, scope: str = "spaceIdScope") -> dict:
        return ids(scope, *names, field="spaceIds" if scope == "spaceIdScope" else "externalIds")

    write_props = dmi(["WRITE_PROPERTIES"], spaces("s1", "s2"))
    assert missing_capabilities([dmi(["WRITE"], ALL)], [write_props, dmi(["WRITE_PROPERTIES"], ALL)]) == []
    assert missing_capabilities([dmi(["WRITE"], spaces("s1"))], [write_props]) == [
        dmi(["WRITE_PROPERTIES"], spaces("s2"))
    ]
    assert missing_capabilities([dmi(["WRITE"], spaces("s1"))], [dmi(["WRITE_PROPERTIES"], ALL)]) == [
        dmi(["WRITE_PROPERTIES"], ALL)
    ]
    assert missing_capabilities([dmi(["WRITE_PROPERTIES"], ALL)], [dmi(["WRITE"], spaces("s1"))]) == [
        dmi(["WRITE"], spaces("s1"))
    ]
    # As in the SDK: WRITE in spaceIdScope covers WRITE_PROPERTIES in the legacy spaceScope, not the reverse.
    legacy = dmi(["WRITE_PROPERTIES"], spaces("s1", scope="spaceScope"))
    assert missing_capabilities([dmi(["WRITE"], spaces("s1"))], [legacy]) == []
    assert missing_capabilities([dmi(["WRITE"], spaces("s1", scope="spaceScope"))], [write_props]) == [
        dmi(["WRITE_PROPERTIES"], spaces("s1")),
        dmi(["WRITE_PROPERTIES"], spaces("s2")),
    ]


def test_legacy_acls_are_compared_like_any_other() -> None:
    existing = [cap("templateGroupsAcl", ["READ"], ALL)]
    desired = [cap("templateGroupsAcl", ["READ", "WRITE"], ids("datasetScope", 1))]
    assert missing_capabilities(existing, desired) == [cap("templateGroupsAcl", ["WRITE"], ids("datasetScope", 1))]


def test_empty_existing_means_everything_is_missing() -> None:
    desired = [cap("groupsAcl", ["LIST", "READ"], ALL), RAW]
    assert missing_capabilities([], desired) == [
        cap("groupsAcl", ["LIST"], ALL),
        cap("groupsAcl", ["READ"], ALL),
        cap("rawAcl", ["READ"], tables({"db1": {"tables": []}})),
        cap("rawAcl", ["READ"], tables({"db2": {"tables": ["t1"]}})),
        cap("rawAcl", ["READ"], tables({"db2": {"tables": ["t2"]}})),
    ]
    assert missing_capabilities([], []) == []
    assert missing_capabilities(desired, []) == []


def test_unknown_acls_and_scopes_are_compared_exactly() -> None:
    unknown = cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["a", "b"]}})
    same = cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["b", "a", "a"]}})
    other = cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["a"]}})
    assert missing_capabilities([same], [unknown]) == []
    assert missing_capabilities([other], [unknown]) == [unknown]  # opaque: no element of it covers another
    assert missing_capabilities([unknown], [other]) == [other]
    unknown_scope = cap("rawAcl", ["READ"], {"agentExternalIdScope": {"externalIds": ["x"]}})
    assert missing_capabilities([RAW], [unknown_scope]) == [unknown_scope]
    assert missing_capabilities([unknown_scope], [unknown_scope]) == []


def test_all_still_covers_unknown_scopes_of_its_acl_and_action() -> None:
    unknown_scope = cap("rawAcl", ["READ"], {"agentExternalIdScope": {"externalIds": ["x"]}})
    assert missing_capabilities([cap("rawAcl", ["READ"], ALL)], [unknown_scope]) == []
    assert missing_capabilities([cap("rawAcl", ["WRITE"], ALL)], [unknown_scope]) == [unknown_scope]
    unknown = cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["a"]}})
    assert missing_capabilities([cap("videoStreamingAcl", ["SUBSCRIBE"], ALL)], [unknown]) == []


def test_ignore_allscope_meaning_is_the_plain_set_difference() -> None:
    existing = [cap("rawAcl", ["READ"], ALL), cap("groupsAcl", ["LIST"], ALL)]
    desired = [RAW, cap("groupsAcl", ["LIST"], ALL)]
    assert missing_capabilities(existing, desired) == []
    missing = missing_capabilities(existing, desired, ignore_allscope_meaning=True)
    assert flatten_capabilities(missing) == flatten_capabilities(desired) - flatten_capabilities(existing)
    assert len(missing) == 3


def test_missing_is_sorted_with_one_action_and_one_element_each() -> None:
    desired = list(reversed(EXAMPLE))
    missing = missing_capabilities([], desired)
    assert all(len(flatten_capabilities([entry])) == 1 for entry in missing)
    keys = [sorted(flatten_capabilities([entry]))[0] for entry in missing]
    assert keys == sorted(keys)
    assert missing == missing_capabilities([], EXAMPLE)


# capabilities_equal ------------------------------------------------------------------------------------


def test_equality_is_exact_with_no_coverage() -> None:
    assert capabilities_equal(EXAMPLE, list(reversed(EXAMPLE)))
    assert capabilities_equal([], [])
    assert not capabilities_equal(EXAMPLE, [])
    assert not capabilities_equal([cap("datasetsAcl", ["READ"], ALL)], [cap("datasetsAcl", ["READ"], ALL), DATASETS])
    assert not capabilities_equal([GROUPS_ADMIN], [cap("groupsAcl", ["LIST", "CREATE", "DELETE", "READ"], ALL)])
    assert capabilities_equal(
        [cap("datasetsAcl", ["READ"], ids("idScope", 1, 2))],
        [cap("datasetsAcl", ["READ"], ids("idScope", 1)), cap("datasetsAcl", ["READ"], ids("idScope", "2"))],
    )


# describe_capabilities ---------------------------------------------------------------------------------


def test_describe_renders_one_sorted_line_per_acl_and_scope() -> None:
    assert describe_capabilities(EXAMPLE) == [
        "datasetsAcl: READ [idScope: 1, 2, 3]",
        "groupsAcl: CREATE, DELETE, LIST [all]",
        "rawAcl: READ [tableScope: db1.*, db2.t1, db2.t2]",
    ]


def test_describe_groups_actions_that_share_elements() -> None:
    given = [
        cap("datasetsAcl", ["WRITE"], ids("idScope", 1)),
        cap("datasetsAcl", ["READ", "OWNER"], ids("idScope", 1, 2, 3)),
        cap("datasetsAcl", ["READ"], ALL),
        cap("groupsAcl", ["LIST"], {"currentuserscope": {}}),
        cap("newAcl", ["USE"], {"newScope": {"b": ["y", "x"]}}),
        cap("dataModelsAcl", ["READ"], ids("spaceIdScope", "s2", "s1", field="spaceIds")),
    ]
    assert describe_capabilities(given) == [
        "dataModelsAcl: READ [spaceIdScope: s1, s2]",
        "datasetsAcl: READ [all]",
        "datasetsAcl: OWNER, READ [idScope: 1, 2, 3]",
        "datasetsAcl: WRITE [idScope: 1]",
        "groupsAcl: LIST [currentuserscope]",
        'newAcl: USE [newScope: {"b":["x","y"]}]',
    ]


def test_equal_capabilities_are_described_alike() -> None:
    one = [cap("datasetsAcl", ["READ", "WRITE"], ids("idScope", 1, 2))]
    split = [
        cap("datasetsAcl", ["READ"], ids("idScope", 2)),
        cap("datasetsAcl", ["WRITE", "READ"], ids("idScope", 1)),
        cap("datasetsAcl", ["WRITE"], ids("idScope", "2")),
    ]
    assert capabilities_equal(one, split)
    assert describe_capabilities(one) == describe_capabilities(split) == ["datasetsAcl: READ, WRITE [idScope: 1, 2]"]
    assert describe_capabilities([]) == []


# import-light ------------------------------------------------------------------------------------------


def test_the_helper_imports_with_the_standard_library_alone() -> None:
    """What ansible-test's import sanity test needs: no pydantic, httpx or cognite-sdk, nothing built per ACL."""
    code = textwrap.dedent("""
        import json, sys
        for name in ("pydantic", "httpx", "cognite"):
            sys.modules[name] = None
        before = set(sys.modules)
        from ansible_collections.dataops.iam.plugins.module_utils.cdf import capabilities
        new = {name.split(".")[0] for name in set(sys.modules) - before}
        print(json.dumps(sorted(new - set(sys.stdlib_module_names) - {"ansible_collections"})))
        """)
    root = Path(capabilities_module.__file__).parents[6]  # the folder holding ansible_collections/
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
