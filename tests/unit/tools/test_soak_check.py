# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault soak's checker (benchmarks/soak_check.py) finds each kind of problem it is there to find."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import soak_check  # noqa: E402

CAPS = {"capabilities": ["groupsAcl:LIST"], "metadata": {"soak": "v1"}}
OLD_CAPS = {"capabilities": ["groupsAcl:LIST"], "metadata": {"soak": "v0"}}
MODEL = {"group": {"team-a": CAPS, "team-b": CAPS}, "dss_user": {"ana": {"displayName": "Ana"}}}
MANAGED = {"group": {"team-a", "team-b", "team-c"}, "dss_user": {"ana", "bob"}}


def converged() -> dict:
    return {
        "group": [("team-a", CAPS, 11), ("team-b", CAPS, 12), ("admins", {}, 1)],
        "dss_user": [("ana", {"displayName": "Ana"}, "ana"), ("admin", {}, "admin")],
    }


def test_a_converged_state_has_no_problem():
    problems = soak_check.check(MODEL, converged(), MANAGED, {"group": {"team-a": {5}}}, {"group": {"team-b": {12}}})
    assert problems == {"duplicates": [], "lost": [], "stale": [], "half_replaced": [], "needless_replacements": []}


def test_two_objects_of_one_name_are_duplicates_and_a_wanted_one_among_them_is_not_lost():
    live = converged()
    live["group"].append(("team-a", OLD_CAPS, 13))
    assert soak_check.duplicates(live) == [("group", "team-a", 2)]
    assert soak_check.lost(MODEL, live) == [], "one of the two is as wanted: counted as a duplicate only"


def test_a_missing_object_and_one_with_other_fields_are_lost():
    live = converged()
    live["group"] = [("team-b", OLD_CAPS, 12)]
    assert soak_check.lost(MODEL, live) == [("group", "team-a", "missing"), ("group", "team-b", "differs: metadata")]
    live["dss_user"] = []
    assert ("dss_user", "ana", "missing") in soak_check.lost(MODEL, live)


def test_an_object_the_model_deleted_is_stale_but_unmanaged_ones_are_left_alone():
    live = converged()
    live["group"].append(("team-c", CAPS, 14))
    live["dss_user"].append(("bob", {}, "bob"))
    assert soak_check.stale(MODEL, live, MANAGED) == [("dss_user", "bob"), ("group", "team-c")]
    assert soak_check.stale(MODEL, converged(), MANAGED) == [], "admins and admin are not the soak's"


def test_an_old_group_left_beside_its_replacement_is_half_replaced():
    live = converged()
    live["group"].append(("team-a", OLD_CAPS, 5))
    assert soak_check.half_replaced({"group": {"team-a": {5}}}, live) == [("group", "team-a", 5)]
    assert soak_check.half_replaced({"group": {"team-a": {5}}}, converged()) == []


def test_a_group_replaced_although_unchanged_is_a_needless_replacement():
    assert soak_check.needless_replacements({"group": {"team-b": {99}}}, converged()) == [("group", "team-b", 99)]
    assert soak_check.needless_replacements({"group": {"team-b": {12}}}, converged()) == []


def test_ids_by_name_takes_the_ids_of_the_named_objects_only():
    live = converged()
    live["group"].append(("team-a", OLD_CAPS, 5))
    assert soak_check.ids_by_name(live, ("group",), {"group": {"team-a"}}) == {"group": {"team-a": {5, 11}}}
    assert soak_check.ids_by_name(live, ("group",), {}) == {}


def entry(method: str, path: str, *, write: bool = True, fault=None, status: int = 201, body=None) -> dict:
    return {"method": method, "path": path, "query": {}, "body": body or {"items": [{"name": "x"}]}, "write": write,
            "fault": fault, "status": status}


GROUPS = "/api/v1/projects/demo/groups"


def test_a_create_with_an_unknown_outcome_sent_again_at_once_is_a_blind_create():
    log = [entry("POST", GROUPS, fault=7, status=503), entry("POST", GROUPS)]
    assert soak_check.blind_creates(log, {7}) == [("POST", GROUPS)]
    dss = "/public/api/admin/users/"
    assert soak_check.blind_creates([entry("POST", dss, fault=7, status=0), entry("POST", dss)], {7}) == [("POST", dss)]


def test_a_create_re_read_first_refused_with_429_or_only_slowed_down_is_not_blind():
    reread = [entry("POST", GROUPS, fault=7, status=503), entry("GET", GROUPS, write=False, status=200), entry("POST", GROUPS)]
    assert soak_check.blind_creates(reread, {7}) == []
    assert soak_check.blind_creates([entry("POST", GROUPS, fault=7, status=429), entry("POST", GROUPS)], {7}) == []
    assert soak_check.blind_creates([entry("POST", GROUPS, fault=8), entry("POST", GROUPS)], {7}) == [], "8: latency"
    other = [entry("POST", GROUPS, fault=7, status=503), entry("POST", GROUPS, body={"items": [{"name": "y"}]})]
    assert soak_check.blind_creates(other, {7}) == [], "another create, not the same one again"
    delete = [entry("POST", GROUPS + "/delete", fault=7, status=503), entry("POST", GROUPS + "/delete")]
    assert soak_check.blind_creates(delete, {7}) == [], "a delete may be resent: a second one cannot make anything"
