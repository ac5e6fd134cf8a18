"""Convergence under faults: one playbook converges 50 CDF groups, 20 security categories and 20 DSS users
while 30% of all API requests fail (seeded, so every run meets the same faults), and a re-run without faults
changes nothing.

The faults: 429 with Retry-After, 500, 502, 503, 504, connection resets before the server did anything, and
three kinds of "the write took effect but the answer was lost" (503 after the effect, the answer cut off after
its headers, the connection reset after the effect). They hit the CDF API, the token endpoint and the DSS API.
Latency (100 ms) is added to a further share of the requests. Figures: docs/docsite/rst/reliability.rst.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter
from pathlib import Path

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import capabilities_equal
from emulator.fault_mix import FAILURES, LATENCY, mix_rules
from runner import REPO

SEED = 20240607
#: Bounds of the run under faults: it must finish, and not by flooding the API.
MAX_SECONDS = 600
MAX_REQUESTS = 3000

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}


def capabilities(index: int) -> list:
    return [GROUPS_LIST, {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [index + 1, 1000]}}}}]


OLD_CAPABILITIES = [{"assetsAcl": {"actions": ["WRITE"], "scope": {"all": {}}}}]
GROUPS_PRESENT = [f"fault-group-{i:02d}" for i in range(45)]
GROUPS_ABSENT = [f"fault-group-{i:02d}" for i in range(45, 50)]
GROUPS_REPLACED = GROUPS_PRESENT[:20]  # exist before with other capabilities
GROUPS_SAME = GROUPS_PRESENT[20:25]  # exist before as wanted
CATEGORIES_PRESENT = [f"fault-category-{i:02d}" for i in range(15)]
CATEGORIES_ABSENT = [f"fault-category-{i:02d}" for i in range(15, 20)]
CATEGORIES_BEFORE = CATEGORIES_PRESENT[:5] + CATEGORIES_ABSENT
USERS_PRESENT = [f"fault-user-{i:02d}" for i in range(17)]
USERS_ABSENT = [f"fault-user-{i:02d}" for i in range(17, 20)]
USERS_UPDATED = USERS_PRESENT[:5]  # exist before with another display name and group


def fault_rules() -> list:
    """The fault mix (emulator/fault_mix.py), seeded."""
    return mix_rules(SEED)


def playbook_tasks() -> list:
    group_items = [{"name": name, "capabilities": capabilities(i)} for i, name in enumerate(GROUPS_PRESENT)]
    user_items = [{"login": login, "display_name": f"Fault user {login[-2:]}", "groups": ["readers"]} for login in USERS_PRESENT]
    return [
        {
            "name": "groups present",
            "dataops.iam.group": {"name": "{{ item.name }}", "capabilities": "{{ item.capabilities }}"},
            "loop": group_items,
            "loop_control": {"label": "{{ item.name }}"},
        },
        {"name": "groups absent", "dataops.iam.group": {"name": "{{ item }}", "state": "absent"}, "loop": GROUPS_ABSENT},
        {"name": "categories present", "dataops.iam.security_category": {"name": "{{ item }}"}, "loop": CATEGORIES_PRESENT},
        {
            "name": "categories absent",
            "dataops.iam.security_category": {"name": "{{ item }}", "state": "absent"},
            "loop": CATEGORIES_ABSENT,
        },
        {
            "name": "users present",
            "dataops.iam.dss_user": {
                "login": "{{ item.login }}",
                "display_name": "{{ item.display_name }}",
                "groups": "{{ item.groups }}",
                "password": "fault-user-password-{{ item.login[-2:] }}",
                "email": "{{ item.login }}@example.com",
            },
            "loop": user_items,
            "loop_control": {"label": "{{ item.login }}"},
        },
        {"name": "users absent", "dataops.iam.dss_user": {"login": "{{ item }}", "state": "absent"}, "loop": USERS_ABSENT},
    ]


def seed_objects(cdf, dss) -> dict:
    """What exists before the playbook: groups to replace or keep, categories, users to update or delete."""
    ids = {}
    for name in GROUPS_REPLACED:
        ids[name] = cdf.create_group(name=name, capabilities=OLD_CAPABILITIES)["id"]
    for name in GROUPS_SAME:
        ids[name] = cdf.create_group(name=name, capabilities=capabilities(GROUPS_PRESENT.index(name)))["id"]
    for name in GROUPS_ABSENT:
        ids[name] = cdf.create_group(name=name, capabilities=OLD_CAPABILITIES)["id"]
    cdf.http.post("/securitycategories", json={"items": [{"name": n} for n in CATEGORIES_BEFORE]}).raise_for_status()
    for login in USERS_UPDATED + USERS_ABSENT:
        dss.create_user(login, displayName="old name", groups=["data_team"], email=f"{login}@example.com")
    return ids


def categories(cdf) -> list:
    return cdf.http.get("/securitycategories", params={"limit": 1000}).raise_for_status().json()["items"]


def check_converged(cdf, dss, ids_before: dict) -> None:
    groups = cdf.groups()
    names = Counter(group["name"] for group in groups)
    assert names == Counter(GROUPS_PRESENT + ["admins", "readers"]), "every group exactly once, the absent ones gone"
    for group in groups:
        if group["name"] in GROUPS_PRESENT:
            assert capabilities_equal(group["capabilities"], capabilities(GROUPS_PRESENT.index(group["name"]))), group
    live_ids = {group["id"] for group in groups}
    assert not {ids_before[name] for name in GROUPS_REPLACED + GROUPS_ABSENT} & live_ids, "no old group left half-replaced"
    assert {ids_before[name] for name in GROUPS_SAME} <= live_ids, "groups already as wanted were not replaced"
    assert Counter(c["name"] for c in categories(cdf)) == Counter(CATEGORIES_PRESENT)
    logins = Counter(dss.logins())
    assert all(logins[login] == 1 for login in USERS_PRESENT) and not any(logins[login] for login in USERS_ABSENT)
    for login in USERS_PRESENT:
        user = dss.user(login)
        assert (user["displayName"], user["groups"], user["email"]) == (
            f"Fault user {login[-2:]}", ["readers"], f"{login}@example.com"
        ), user
    created = [login for login in USERS_PRESENT if login not in USERS_UPDATED]
    assert all(dss.password_is(login, f"fault-user-password-{login[-2:]}") for login in created)


CREATES = {
    ("POST", "/api/v1/projects/demo/groups"),
    ("POST", "/api/v1/projects/demo/securitycategories"),
    ("POST", "/public/api/admin/users/"),
}


def uncertain_writes(log: list, failure_ids: set) -> list:
    """``(entry, next entry)`` for every write that met a failure other than 429: its outcome was unknown."""
    return [
        (entry, following)
        for entry, following in itertools.pairwise(log)
        if entry["write"] and entry["fault"] in failure_ids and entry["status"] != 429
    ]


def same_request(one: dict, other: dict) -> bool:
    return (one["method"], one["path"], one["query"], one["body"]) == (other["method"], other["path"], other["query"], other["body"])


def figures_file() -> Path:
    path = REPO / "tests" / "output" / "reliability" / "faults.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_playbook_converges_under_30_percent_failures_and_a_clean_rerun_changes_nothing(run, cdf, dss, clean_emulator):
    ids_before = seed_objects(cdf, dss)
    clean_emulator.clear_log()
    rules = clean_emulator.inject_all(fault_rules())
    started = time.monotonic()
    faulty = run(playbook_tasks(), timeout=MAX_SECONDS)
    faulty_seconds = time.monotonic() - started
    log = clean_emulator.requests()
    stats = clean_emulator.faults()
    clean_emulator.clear_faults()
    assert faulty.rc == 0, f"the playbook failed under faults:\n{faulty.stdout[-6000:]}\n{faulty.stderr[-3000:]}"
    assert faulty.recap["failed"] == 0
    assert faulty_seconds < MAX_SECONDS and len(log) < MAX_REQUESTS, (faulty_seconds, len(log))

    hits = {label: rule["hits"] for (label, _share, _rule), rule in zip(FAILURES + [LATENCY], stats, strict=True)}
    failure_ids = {rule["id"] for rule in rules[: len(FAILURES)]}
    after_ids = {rule["id"] for rule in rules if rule.get("after")}
    failed_requests = sum(hits[label] for label, _share, _rule in FAILURES)
    share = failed_requests / len(log)
    assert 0.22 <= share <= 0.38, f"{failed_requests} of {len(log)} requests failed: not the 30% the test is about"
    assert all(hits[label] > 0 for label, _share, _rule in FAILURES), hits
    took_effect = [e for e in log if e["write"] and e["fault"] in after_ids]
    assert took_effect, "some writes took effect although the client saw an error"
    uncertain = uncertain_writes(log, failure_ids)
    blind = [(e["method"], e["path"]) for e, following in uncertain if (e["method"], e["path"]) in CREATES and same_request(e, following)]
    assert blind == [], "a create whose outcome was unknown was sent again without a re-read first"
    retries = sum(1 for entry, following in itertools.pairwise(log) if entry["fault"] in failure_ids and same_request(entry, following))

    check_converged(cdf, dss, ids_before)

    clean_emulator.clear_log()
    started = time.monotonic()
    rerun = run(playbook_tasks()).ok()
    rerun_seconds = time.monotonic() - started
    assert rerun.recap["changed"] == 0, rerun.stdout[-4000:]
    assert clean_emulator.writes() == []
    check_converged(cdf, dss, ids_before)

    figures = {
        "seed": SEED,
        "objects": {"groups": 50, "security_categories": 20, "dss_users": 20},
        "requests": len(log),
        "writes": sum(1 for e in log if e["write"]),
        "failed_requests": failed_requests,
        "failed_share": round(share, 3),
        "faults": hits,
        "writes_that_took_effect_behind_an_error": len(took_effect),
        "writes_with_unknown_outcome": len(uncertain),
        "of_which_reread_before_anything_else": sum(1 for _e, following in uncertain if not following["write"]),
        "of_which_sent_again_at_once_as_safe": sum(1 for e, following in uncertain if same_request(e, following)),
        "requests_repeated_after_a_failure": retries,
        "seconds_under_faults": round(faulty_seconds, 1),
        "seconds_rerun_without_faults": round(rerun_seconds, 1),
        "rerun_requests": len(clean_emulator.requests()),
        "tasks_changed_under_faults": faulty.recap["changed"],
    }
    figures_file().write_text(json.dumps(figures, indent=1) + "\n")
    if os.environ.get("DATAOPS_IAM_PRINT_FIGURES"):
        print(json.dumps(figures, indent=1))
