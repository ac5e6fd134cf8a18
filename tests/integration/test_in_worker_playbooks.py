"""dataops.iam.group gives the same results whether its code runs in Ansible's worker (the action plugin, the
default on the controller) or in a module process (dataops_iam_in_worker: false): one scenario, both ways."""

from __future__ import annotations

import re

from runner import connection_vars

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}
ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [3, 1, 2]}}}}
FUTURE = {"futureThingsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


def scenario(emulator):
    """Tasks that touch what the two ways could do differently; every failing task is ignored and recorded.

    ``project`` is not in module_defaults (see ``defaults``): each task sets it, but one that gets it from the
    task's ``environment`` (the CDF_PROJECT fallback).
    """
    tasks = []
    for task in raw_scenario(emulator):
        if "environment" not in task:
            task = dict(task, **{"dataops.iam.group": dict(task["dataops.iam.group"], project=emulator.project)})
        tasks.append(task)
    return tasks


def defaults(emulator):
    cdf = connection_vars(emulator)
    del cdf["project"]
    return {"group/dataops.iam.cdf": cdf}


def raw_scenario(emulator):
    group = {"name": "engineers", "capabilities": [GROUPS_LIST, ASSETS_READ], "metadata": {"owner": "platform"}}
    return [
        {"name": "create with diff", "dataops.iam.group": group, "diff": True},
        {"name": "no-op", "dataops.iam.group": group},
        {"name": "check-mode change", "dataops.iam.group": dict(group, capabilities=[GROUPS_LIST]), "check_mode": True, "diff": True},
        {"name": "unknown ACL warns", "dataops.iam.group": {"name": "future", "capabilities": [FUTURE]}},
        {
            "name": "bad capability",
            "dataops.iam.group": {"name": "bad", "capabilities": [{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}]},
            "ignore_errors": True,
        },
        {"name": "unsupported option", "dataops.iam.group": {"name": "x", "colour": "blue"}, "ignore_errors": True},
        {"name": "mutually exclusive", "dataops.iam.group": {"name": "x", "source_id": "a", "members": ["b"]}, "ignore_errors": True},
        {"name": "wrong type", "dataops.iam.group": {"name": "x", "metadata": "not a dict"}, "ignore_errors": True},
        {
            "name": "project from the task's environment",
            "dataops.iam.group": {"name": "engineers"},
            "environment": {"CDF_PROJECT": emulator.project},
        },
        {"name": "a given token is masked", "dataops.iam.group": {"name": "engineers", "token": emulator.admin_token()}},
        {"name": "task no_log", "dataops.iam.group": group, "no_log": True},
        {"name": "replace", "dataops.iam.group": dict(group, capabilities=[GROUPS_LIST]), "diff": True},
        {"name": "absent in check mode", "dataops.iam.group": {"name": "engineers", "state": "absent"}, "check_mode": True},
        {"name": "absent", "dataops.iam.group": {"name": "engineers", "state": "absent"}},
        {"name": "absent again", "dataops.iam.group": {"name": "engineers", "state": "absent"}},
        {"name": "a loop", "dataops.iam.group": {"name": "{{ item }}", "capabilities": [GROUPS_LIST]}, "loop": ["l1", "l2", "l1"]},
    ]


def normalised(results: list) -> list:
    """The results without what differs by nature between two runs: group ids, and Ansible's internal keys."""
    ids: dict = {}

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items() if not k.startswith("_ansible")}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if key in ("id", "previous_id", "deleted_ids") and isinstance(value, int):
            return ids.setdefault(value, "<id %d>" % len(ids))
        if isinstance(value, str):
            return re.sub(r"\b1\d{9}\b", lambda m: ids.setdefault(int(m.group()), "<id %d>" % len(ids)), value)
        return value

    return [walk(result) for result in results]


def test_worker_and_module_process_give_the_same_results(run, clean_emulator):
    outcomes = {}
    for in_worker in (True, False):
        clean_emulator.reset()
        outcome = run(
            scenario(clean_emulator),
            module_defaults=defaults(clean_emulator),
            extra_vars={"dataops_iam_in_worker": in_worker},
            verbosity=3,
        ).ok()
        outcomes[in_worker] = outcome
    worker, module = (normalised(outcomes[way].results) for way in (True, False))
    assert len(worker) == len(module) == len(scenario(clean_emulator))
    for task, mine, theirs in zip(scenario(clean_emulator), worker, module, strict=True):
        assert mine == theirs, task["name"]
    assert "Using module file" in outcomes[False].stdout and "Using module file" not in outcomes[True].stdout
    failures = re.compile(r"^(?:\[ERROR\]: Task failed: |fatal: ).*$", re.M)
    errors = {way: failures.findall(outcomes[way].stdout + outcomes[way].stderr) for way in outcomes}
    # The one documented difference: ansible-core 2.19+ prefixes a failure from a module process "Module failed:",
    # from an action "Action failed:" (telling them apart needs ansible-core internals, which the worker path does
    # not use); the messages themselves are the same.
    prefix = re.compile(r"\b(?:Action|Module) failed: ")
    assert [prefix.sub("", line) for line in errors[True]] == [prefix.sub("", line) for line in errors[False]], errors
    assert len(errors[True]) >= 4, errors
    by_name = {task["name"]: result for task, result in zip(scenario(clean_emulator), worker, strict=True)}
    assert by_name["create with diff"]["changed"] and by_name["create with diff"]["diff"]["after"]
    assert by_name["no-op"]["changed"] is False
    assert by_name["check-mode change"]["changed"] and by_name["check-mode change"]["diff"]["before"]
    assert any("futureThingsAcl" in str(warning) for warning in by_name["unknown ACL warns"]["warnings"])
    assert "Unsupported parameters for (dataops.iam.group) module: colour" in by_name["unsupported option"]["msg"]
    assert "mutually exclusive" in by_name["mutually exclusive"]["msg"]
    assert by_name["project from the task's environment"]["changed"] is False
    if "invocation" in by_name["a given token is masked"]:  # ansible-core >= 2.21 leaves it out by default
        assert by_name["a given token is masked"]["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert by_name["task no_log"].get("censored")
    assert by_name["absent again"]["changed"] is False
    assert [item["changed"] for item in by_name["a loop"]["results"]] == [True, True, False]
