"""Concurrent runs: eight ansible-playbook runs apply a model at once against one emulator.

Each run first waits at a barrier (a shell task polling for a file the test creates once every run is ready), so
the eight start their group tasks within a few tens of milliseconds of each other, and the emulator holds every
``POST /groups`` for DELAY_MS before it takes effect: every run lists the groups before any other run's create
lands, which is what two pipelines started by one merge do, and what makes two creates of one name. The rule the
modules follow (plugins/module_utils/cdf/duplicates.py): after its own create a run reads the groups again, keeps
the identical copy with the lowest id and deletes the other identical copies; a delete answered "missing" is done.

Same model, 8 runs (a ``group`` loop, then one ``access`` task): at the end exactly one group per name, equal to
the model, the seeded groups untouched, and each run ok or failed with the retryable message. Two models, 4 runs
each: every group equal to one of the two (never a mix of fields), and after one more run of either model (with
``on_duplicates: consolidate``, what the message of the duplicates says) one group per name, equal to it.
The figures of each race go to tests/output/reliability/concurrent-runs.json.
"""

from __future__ import annotations

import json
import os
import shlex
import time
from concurrent.futures import ThreadPoolExecutor

from leakscan import REPORT_ROOT
from runner import connection_vars, play, run_playbook

GROUPS = "/api/v1/projects/demo/groups"
CATEGORIES_PATH = "/api/v1/projects/demo/securitycategories"
RUNS = 8
#: How long each create waits in the emulator before it takes effect: wider than the barrier's spread.
DELAY_MS = 1500
NAMES = ["race-new-1", "race-new-2", "race-old-1", "race-old-2"]
#: The groups that exist before the race (in an older form), so the race replaces them as well as creating.
OLD_NAMES = NAMES[2:]
SECRET_ENV = "TEST_CDF_CLIENT_SECRET"
FIGURES = REPORT_ROOT / "concurrent-runs.json"
RETRYABLE = "run the task again"


def capabilities(variant):
    if variant == "x":
        return [
            {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}},
            {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": [4500000001]}}}},
        ]
    if variant == "y":
        return [
            {"securityCategoriesAcl": {"actions": ["LIST"], "scope": {"all": {}}}},
            {"datasetsAcl": {"actions": ["READ", "OWNER"], "scope": {"idScope": {"ids": [4500000002]}}}},
        ]
    return [{"projectsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]


def model(variant):
    """The groups of one model: each field says which model it came from, so a mix of two would show."""
    return [
        {
            "name": name,
            "source_id": "idp-%s-%s" % (name, variant),
            "capabilities": capabilities(variant),
            "metadata": {"model": variant},
        }
        for name in NAMES
    ]


def as_api(entry):
    """A model entry as the API stores it (the module writes capabilities as declared)."""
    return {
        "name": entry["name"],
        "sourceId": entry["source_id"],
        "capabilities": entry["capabilities"],
        "metadata": entry["metadata"],
    }


def key(group):
    """What makes two groups the same: every field the model sets, capabilities in any order."""
    return (
        group["name"],
        group.get("sourceId") or "",
        sorted(json.dumps(cap, sort_keys=True) for cap in group.get("capabilities") or []),
        group.get("metadata") or {},
    )


def group_task(on_duplicates="fail"):
    return {
        "name": "apply",
        "dataops.iam.group": {
            "name": "{{ item.name }}",
            "source_id": "{{ item.source_id }}",
            "capabilities": "{{ item.capabilities }}",
            "metadata": "{{ item.metadata }}",
            "on_duplicates": on_duplicates,
        },
        "loop": "{{ model }}",
        "loop_control": {"label": "{{ item.name }}"},
    }


#: The security categories of the access model: one each run creates, one (made before the race) each deletes.
CATEGORIES = [{"name": "race-category-new"}, {"name": "race-category-gone", "state": "absent"}]


def access_task(on_duplicates="fail"):
    model_ = {"groups": "{{ model }}", "security_categories": CATEGORIES, "on_duplicates": on_duplicates}
    return {"name": "apply", "dataops.iam.access": model_}


def seed_category(cdf):
    cdf.http.post("/securitycategories", json={"items": [{"name": "race-category-gone"}]}).raise_for_status()


def assert_categories(emulator):
    """Each racer creates one category and deletes the other: one made (409s answered), one gone ("missing")."""
    names = [c["name"] for c in emulator.state()["projects"]["demo"]["securityCategories"].values()]
    assert sorted(names) == ["race-category-new"], names


def barrier(ready, go):
    """A task that says it is ready, then waits (polling every 50 ms) until the test lets every run go at once."""
    command = "touch %s; while [ ! -e %s ]; do sleep 0.05; done" % (shlex.quote(str(ready)), shlex.quote(str(go)))
    return {"name": "barrier", "ansible.builtin.shell": command, "changed_when": False}


def defaults(emulator):
    cdf = dict(connection_vars(emulator), client_secret="{{ lookup('ansible.builtin.env', '%s') }}" % SECRET_ENV)
    return {"group/dataops.iam.cdf": cdf}


def run_once(emulator, workdir, variant, task):
    playbook = play([task], module_defaults=defaults(emulator), play_vars={"model": model(variant)})
    return run_playbook(playbook, workdir, env={SECRET_ENV: "admin-secret"})


def race(emulator, tmp_path, variants, task):
    """Run one playbook per entry of ``variants`` at once; (runs, wall time of the race in seconds)."""
    go = tmp_path / "go"
    ready = [tmp_path / ("ready-%d" % index) for index in range(len(variants))]
    playbooks = [
        play(
            [barrier(ready[index], go), task],
            module_defaults=defaults(emulator),
            play_vars={"model": model(variant)},
        )
        for index, variant in enumerate(variants)
    ]
    with ThreadPoolExecutor(max_workers=len(variants)) as pool:
        futures = [
            pool.submit(run_playbook, book, tmp_path / ("run-%d" % index), env={SECRET_ENV: "admin-secret"})
            for index, book in enumerate(playbooks)
        ]
        deadline = time.monotonic() + 120
        while not all(path.exists() for path in ready):
            assert time.monotonic() < deadline, "the runs did not all reach the barrier within 120 s"
            assert not any(future.done() for future in futures), [f.result().stdout for f in futures if f.done()]
            time.sleep(0.05)
        started = time.monotonic()
        go.touch()
        runs = [future.result() for future in futures]
    return runs, time.monotonic() - started


def stored_groups(emulator):
    """Every group of the project as the emulator keeps it, deleted ones included (deletion is soft)."""
    return list(emulator.state()["projects"]["demo"]["groups"].values())


def live(emulator, name):
    return [g for g in stored_groups(emulator) if g["name"] == name and not g.get("isDeleted")]


def seed_old_groups(emulator, cdf):
    for name in OLD_NAMES:
        cdf.create_group(name=name, sourceId="idp-%s-old" % name, capabilities=capabilities("old"), metadata={"model": "old"})
    return {g["id"] for g in stored_groups(emulator)}


def failures(runs):
    """(run index, group name or "access", message) of every failed item of the race's group tasks; a run that
    failed elsewhere counts too (its output's end as the message), so no failure goes unchecked."""
    found = []
    for index, one in enumerate(runs):
        mine = []
        for task in one.tasks:
            result = task["result"]
            if task["task"] != "apply":
                if task["status"] == "failed":
                    mine.append((index, task["task"], str(result.get("msg"))))
                continue
            if isinstance(result.get("results"), list):
                mine.extend((index, item["item"]["name"], item.get("msg", "")) for item in result["results"] if item.get("failed"))
            elif task["status"] == "failed":
                mine.append((index, "access", result.get("msg", "")))
        if one.rc != 0 and not mine:
            mine.append((index, "ansible-playbook rc=%d" % one.rc, (one.stdout + one.stderr)[-2000:]))
        found.extend(mine)
    return found


def figures(name, emulator, runs, seconds, before_ids, variants):
    """The race's figures: runs, groups, copies created by racing creates and left, failures, time, requests."""
    made = [g for g in stored_groups(emulator) if g["id"] not in before_ids and g["name"] in NAMES]
    left = {n: len(live(emulator, n)) for n in NAMES}
    requests = emulator.requests()
    deletes = [r for r in requests if r["path"] == GROUPS + "/delete"]
    failed = failures(runs)
    entry = {
        "runs": len(runs),
        "models": sorted(set(variants)),
        "runs_ok": sum(1 for one in runs if one.rc == 0),
        "runs_failed": sum(1 for one in runs if one.rc != 0),
        "failed_items": [{"run": i, "group": label, "msg": msg} for i, label, msg in failed],
        "groups_in_model": len(NAMES),
        "groups_created": len(made),
        "duplicates_created": len(made) - len({g["name"] for g in made}),
        "duplicates_left": sum(count - 1 for count in left.values() if count > 1),
        "groups_lost": sum(1 for count in left.values() if count == 0),
        "deletes_sent": len(deletes),
        "deletes_answered_missing": sum(1 for r in deletes if r["status"] == 400),
        "category_creates_answered_409": sum(
            1 for r in requests if r["path"] == CATEGORIES_PATH and r["method"] == "POST" and r["status"] == 409
        ),
        "category_deletes_answered_missing": sum(
            1 for r in requests if r["path"] == CATEGORIES_PATH + "/delete" and r["status"] == 400
        ),
        "requests": len(requests),
        "writes": sum(1 for r in requests if r["write"]),
        "wall_time_s": round(seconds, 1),
    }
    REPORT_ROOT.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    recorded[name] = dict(entry, fix=os.environ.get("DATAOPS_IAM_RACE_LABEL", "with the fix"))
    FIGURES.write_text(json.dumps(recorded, indent=1) + "\n")
    return entry


def record_after(name, emulator):
    """The figure of a race's follow-up: the duplicates left after one more run."""
    recorded = json.loads(FIGURES.read_text())
    left = sum(max(len(live(emulator, n)) - 1, 0) for n in NAMES)
    recorded[name]["duplicates_left_after_one_more_run"] = left
    FIGURES.write_text(json.dumps(recorded, indent=1) + "\n")


def assert_same_model_converged(emulator, runs, entry, seeded):
    wanted = {entry_["name"]: key(as_api(entry_)) for entry_ in model("x")}
    for name in NAMES:
        groups = live(emulator, name)
        assert len(groups) == 1, "%s: %d live groups after the race (%s)" % (name, len(groups), entry)
        assert key(groups[0]) == wanted[name], (name, groups[0])
    assert [g for g in stored_groups(emulator) if g["name"] in ("admins", "readers")] == seeded, "seeded groups kept"
    for index, label, message in failures(runs):
        assert RETRYABLE in message and "another run" in message, "run %d, %s: %s" % (index, label, message)
    assert entry["duplicates_created"] > 0, "the race made no duplicate create, so it proved nothing: %s" % entry


def assert_one_of_two_models(emulator):
    allowed = {variant: {e["name"]: key(as_api(e)) for e in model(variant)} for variant in ("x", "y")}
    for name in NAMES:
        groups = live(emulator, name)
        assert groups, "%s: no group left after the race" % name
        for group in groups:
            assert key(group) in (allowed["x"][name], allowed["y"][name]), "a mix of the two models: %s" % group


def test_eight_group_loops_applying_one_model_leave_one_group_per_name(clean_emulator, cdf, tmp_path):
    seeded = [g for g in stored_groups(clean_emulator) if g["name"] in ("admins", "readers")]
    before = seed_old_groups(clean_emulator, cdf)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, delayMs=DELAY_MS, times=-1)
    runs, seconds = race(clean_emulator, tmp_path, ["x"] * RUNS, group_task())
    entry = figures("group loop, one model", clean_emulator, runs, seconds, before, ["x"] * RUNS)
    assert_same_model_converged(clean_emulator, runs, entry, seeded)
    clean_emulator.clear_faults()
    again = run_once(clean_emulator, tmp_path / "again", "x", group_task()).ok()
    assert again.recap["changed"] == 0, "one more run finds every group as the model says"


def test_eight_access_runs_applying_one_model_leave_one_group_per_name(clean_emulator, cdf, tmp_path):
    seeded = [g for g in stored_groups(clean_emulator) if g["name"] in ("admins", "readers")]
    before = seed_old_groups(clean_emulator, cdf)
    seed_category(cdf)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, delayMs=DELAY_MS, times=-1)
    runs, seconds = race(clean_emulator, tmp_path, ["x"] * RUNS, access_task())
    entry = figures("access, one model", clean_emulator, runs, seconds, before, ["x"] * RUNS)
    assert_same_model_converged(clean_emulator, runs, entry, seeded)
    assert_categories(clean_emulator)
    clean_emulator.clear_faults()
    again = run_once(clean_emulator, tmp_path / "again", "x", access_task()).ok()
    assert again.recap["changed"] == 0, "one more run finds every group as the model says"


def test_two_models_racing_in_group_loops_never_mix_and_one_more_run_leaves_no_duplicate(
    clean_emulator, cdf, tmp_path
):
    before = seed_old_groups(clean_emulator, cdf)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, delayMs=DELAY_MS, times=-1)
    variants = ["x", "y"] * (RUNS // 2)
    runs, seconds = race(clean_emulator, tmp_path, variants, group_task())
    figures("group loop, two models", clean_emulator, runs, seconds, before, variants)
    assert_one_of_two_models(clean_emulator)
    for index, label, message in failures(runs):
        assert "groups are named %r" % label in message and "on_duplicates" in message, (index, label, message)
    clean_emulator.clear_faults()
    run_once(clean_emulator, tmp_path / "after-x", "x", group_task("consolidate")).ok()
    record_after("group loop, two models", clean_emulator)
    wanted = {e["name"]: key(as_api(e)) for e in model("x")}
    for name in NAMES:
        assert [key(g) for g in live(clean_emulator, name)] == [wanted[name]], name
    assert run_once(clean_emulator, tmp_path / "again", "x", group_task()).ok().recap["changed"] == 0


def test_two_models_racing_in_access_runs_never_mix_and_one_more_run_leaves_no_duplicate(
    clean_emulator, cdf, tmp_path
):
    before = seed_old_groups(clean_emulator, cdf)
    seed_category(cdf)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, delayMs=DELAY_MS, times=-1)
    variants = ["x", "y"] * (RUNS // 2)
    runs, seconds = race(clean_emulator, tmp_path, variants, access_task())
    figures("access, two models", clean_emulator, runs, seconds, before, variants)
    assert_one_of_two_models(clean_emulator)
    assert_categories(clean_emulator)
    for index, _label, message in failures(runs):
        assert "groups are named" in message and "on_duplicates" in message, (index, message)
    clean_emulator.clear_faults()
    run_once(clean_emulator, tmp_path / "after-y", "y", access_task("consolidate")).ok()
    record_after("access, two models", clean_emulator)
    wanted = {e["name"]: key(as_api(e)) for e in model("y")}
    for name in NAMES:
        assert [key(g) for g in live(clean_emulator, name)] == [wanted[name]], name
    assert run_once(clean_emulator, tmp_path / "again", "y", access_task()).ok().recap["changed"] == 0


def test_a_run_that_meets_copies_in_progress_fails_saying_to_run_it_again_and_writes_nothing(
    clean_emulator, cdf, tmp_path
):
    """What a run that lists the groups between two racers' creates and their deletes meets: identical copies. It
    does not touch them (the racers resolve them); its message says why and to run again."""
    for entry in model("x"):
        for _copy in range(2):
            cdf.create_group(**as_api(entry))
    clean_emulator.clear_log()
    for label, task in (("group", group_task()), ("access", access_task())):
        failed = run_once(clean_emulator, tmp_path / label, "x", task)
        assert failed.rc != 0
        found = failures([failed])
        assert len(found) == (len(NAMES) if label == "group" else 1), found
        for _index, _name, message in found:
            assert RETRYABLE in message and "another run" in message and "lowest id" in message, message
    assert clean_emulator.writes() == [], "nothing written"
