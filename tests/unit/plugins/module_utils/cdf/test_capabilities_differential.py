# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Differential tests: the capability helper against cognite-sdk 8.22's own comparison.

``IAMAPI.compare_capabilities`` is a staticmethod that works on plain dicts and never touches the network,
so it is called on the class, without a client. Capability lists are generated over the catalogue's ACLs,
actions and scopes with small pools of ids, names, databases and tables, so that coverage (``all``, whole
databases, WRITE over WRITE_PROPERTIES) happens often. ``existing`` is never empty (the SDK raises on an
empty list; that difference is tested on its own below).

Run ``python tests/unit/plugins/module_utils/cdf/test_capabilities_differential.py`` (with the collection on PYTHONPATH) to print
the timings of the helper against the SDK on 100, 1,000 and 10,000 flattened entries.
"""

from __future__ import annotations

import copy
import random
import sys
import time

import pytest
from cognite.client._api.iam import IAMAPI
from cognite.client.data_classes.capabilities import Capability
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    capabilities_equal,
    flatten_capabilities,
    missing_capabilities,
    normalise_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.catalogue import ACLS
from ansible_collections.dataops.iam.tests.unit.plugins.module_utils.cdf.capability_cases import large_case

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALL_ACLS = sorted(ACLS)
# The ACLs with special meaning or unusual scopes: rawAcl (databases), dataModelInstancesAcl (WRITE over
# WRITE_PROPERTIES, legacy spaceScope), currentuserscope, idScope and the lowercase idscope, legacy ACLs.
FOCUS = [
    "rawAcl",
    "dataModelInstancesAcl",
    "groupsAcl",
    "datasetsAcl",
    "timeSeriesAcl",
    "securityCategoriesAcl",
    "dataModelsAcl",
    "templateGroupsAcl",
    "subscribeSignalsAcl",
]
IDS = st.sampled_from([1, 2, 3, 1, 2, 3, "1", "2", "3"])  # "2" means 2
NAMES = st.sampled_from(["s1", "s2", "s3"])
TABLES = st.lists(st.sampled_from(["t1", "t2"]), min_size=1, max_size=2)
DB_SPEC = st.one_of(
    st.just({}),
    st.just([]),
    st.just({"tables": []}),
    TABLES,
    TABLES.map(lambda tables: {"tables": tables}),
)


def scope_strategy(acl: str, scope: str) -> st.SearchStrategy:
    """A scope body of the catalogue's shape, never empty (the SDK raises when nothing flattens)."""
    fields = ACLS[acl]["scopes"][scope]
    if not fields:
        return st.just({scope: {}})
    ((field, field_type),) = fields.items()
    if field_type == "list[int]":
        values = st.lists(IDS, min_size=1, max_size=3)
    elif field_type.startswith("dict["):
        values = st.dictionaries(st.sampled_from(["db1", "db2"]), DB_SPEC, min_size=1, max_size=2)
    elif "SEARCH" in field_type:
        values = st.just(["SEARCH"])
    else:
        values = st.lists(NAMES, min_size=1, max_size=3)
    return values.map(lambda value: {scope: {field: value}})


def capability(acl: str) -> st.SearchStrategy:
    """One capability of ``acl``: one to three of its actions, any of its scopes."""
    actions = st.lists(st.sampled_from(ACLS[acl]["actions"]), min_size=1, max_size=3)
    scopes = st.one_of([scope_strategy(acl, scope) for scope in sorted(ACLS[acl]["scopes"])])
    return st.tuples(actions, scopes).map(lambda pair: {acl: {"actions": pair[0], "scope": pair[1]}})


# Strategies are built once, here: building them while drawing costs more than the tests themselves.
CAPABILITY = {acl: capability(acl) for acl in ALL_ACLS}


def capability_lists(acls: list[str], max_size: int = 6) -> st.SearchStrategy:
    return st.lists(st.one_of([CAPABILITY[acl] for acl in acls]), min_size=1, max_size=max_size)


def pairs_over(groups: list[list[str]]) -> st.SearchStrategy:
    """(existing, desired) over the same group of ACLs, so that one often covers the other."""
    return st.one_of([st.tuples(capability_lists(group), capability_lists(group)) for group in groups])


FOCUSED_GROUPS = [
    ["rawAcl"],
    ["dataModelInstancesAcl"],
    ["groupsAcl", "subscribeSignalsAcl"],
    ["datasetsAcl", "securityCategoriesAcl"],
    ["timeSeriesAcl"],
    ["dataModelsAcl", "templateGroupsAcl"],
    ["rawAcl", "dataModelInstancesAcl", "groupsAcl"],
    FOCUS,
]
# Every ACL of the catalogue, in groups of three (a fixed shuffle, so neighbours differ from run to run of
# the catalogue's alphabet), plus the whole catalogue at once.
_SHUFFLED = random.Random(2024).sample(ALL_ACLS, len(ALL_ACLS))
CATALOGUE_GROUPS = [_SHUFFLED[i : i + 3] for i in range(0, len(_SHUFFLED), 3)] + [ALL_ACLS]
FOCUSED_PAIRS = pairs_over(FOCUSED_GROUPS)
CATALOGUE_PAIRS = pairs_over(CATALOGUE_GROUPS)


def sdk_tuples(capabilities: list) -> set[tuple]:
    """The SDK's flattened set of a list of dicts."""
    out: set[tuple] = set()
    for cap in copy.deepcopy(capabilities):
        out.update(tuple(tpl) for tpl in Capability.load(cap).as_tuples())
    return out


def sdk_missing(existing: list, desired: list) -> list[dict]:
    missing = IAMAPI.compare_capabilities(copy.deepcopy(existing), copy.deepcopy(desired))
    return [cap.dump() for cap in missing]


@settings(max_examples=3000, **SETTINGS)
@given(FOCUSED_PAIRS)
def test_missing_matches_sdk_on_the_special_acls(pair: tuple[list, list]) -> None:
    existing, desired = pair
    assert missing_capabilities(existing, desired) == sdk_missing(existing, desired)


@settings(max_examples=1200, **SETTINGS)
@given(CATALOGUE_PAIRS)
def test_missing_matches_sdk_over_the_whole_catalogue(pair: tuple[list, list]) -> None:
    existing, desired = pair
    assert missing_capabilities(existing, desired) == sdk_missing(existing, desired)


@settings(max_examples=600, **SETTINGS)
@given(FOCUSED_PAIRS)
def test_ignore_allscope_meaning_is_the_plain_set_difference(pair: tuple[list, list]) -> None:
    existing, desired = pair
    mine = missing_capabilities(existing, desired, ignore_allscope_meaning=True)
    expected = sdk_tuples(desired) - sdk_tuples(existing)
    assert flatten_capabilities(mine) == expected
    assert len(mine) == len(expected)  # one entry each, none repeated
    assert mine == sorted(mine, key=lambda cap: sorted(flatten_capabilities([cap])))


@settings(max_examples=600, **SETTINGS)
@given(capability_lists(ALL_ACLS, max_size=8))
def test_flatten_and_normalise_match_sdk(capabilities: list) -> None:
    flat = flatten_capabilities(capabilities)
    assert flat == sdk_tuples(capabilities)
    normalised = normalise_capabilities(capabilities)
    assert sdk_tuples(normalised) == flat  # the SDK loads the normalised form, and it grants the same
    assert normalise_capabilities(normalised) == normalised


@settings(max_examples=500, **SETTINGS)
@given(FOCUSED_PAIRS)
def test_equality_matches_sdk(pair: tuple[list, list]) -> None:
    a, b = pair
    assert capabilities_equal(a, b) == (sdk_tuples(a) == sdk_tuples(b))
    assert capabilities_equal(a, list(reversed(a)))


@settings(max_examples=200, **SETTINGS)
@given(capability_lists(FOCUS))
def test_empty_existing_differs_from_sdk_on_purpose(desired: list) -> None:
    with pytest.raises(ValueError, match="No capabilities given"):
        IAMAPI.compare_capabilities([], copy.deepcopy(desired))
    mine = missing_capabilities([], desired)
    assert flatten_capabilities(mine) == sdk_tuples(desired)
    assert len(mine) == len(sdk_tuples(desired))


# Large inputs and timings ------------------------------------------------------------------------------


def best_of(repeat: int, func, *args) -> float:
    """The least CPU time of ``repeat`` calls (CPU time: other processes on the machine do not count)."""
    times = []
    for _attempt in range(repeat):
        start = time.process_time()
        func(*args)
        times.append(time.process_time() - start)
    return min(times)


def timing_report(sizes: tuple = (100, 1_000, 10_000), out=sys.stdout) -> None:
    for size in sizes:
        existing, desired = large_case(size)
        repeat = 20 if size <= 1_000 else 5
        mine = best_of(repeat, missing_capabilities, existing, desired)
        sdk = best_of(repeat, IAMAPI.compare_capabilities, existing, desired)
        print(
            "%6d entries (%d + %d capabilities): missing_capabilities %7.2f ms, SDK compare_capabilities %7.2f ms"
            " (SDK/helper: x%.1f)" % (size, len(existing), len(desired), mine * 1e3, sdk * 1e3, sdk / mine),
            file=out,
        )


def test_large_inputs_match_sdk() -> None:
    existing, desired = large_case(10_000)
    assert len(flatten_capabilities(existing)) >= 10_000
    mine = missing_capabilities(existing, desired)
    assert mine == sdk_missing(existing, desired)
    assert 0 < len(mine) < len(flatten_capabilities(desired))  # some covered, some missing


if __name__ == "__main__":
    timing_report()
