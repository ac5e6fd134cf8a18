"""`make bench` sections ``access`` and ``dss_access``: the whole-model modules against the ways to do without them.

* ``access``: N CDF groups (200 and 1,000) from an empty project, then again (no-op), three ways: one
  ``dataops.iam.access`` task, a looped ``dataops.iam.group`` task, and cognite-toolkit's ``cdf deploy`` of the same
  groups as toolkit YAML (built with ``cdf build`` first, not timed).
* ``dss_access``: 500 DSS users in 5 groups, from nothing and again: one ``dataops.iam.dss_access`` task against
  a looped ``dataops.iam.dss_group`` task (the 5 groups) and a looped ``dataops.iam.dss_user`` task.

Every request of the emulator waits 50 ms (a fault rule with only ``delayMs``), as a real service's round trip
would. Each run's end state is checked against the model (exactly N groups, or 500 users, equal to it): the
bench fails otherwise. A variant whose module is not there yet (plugins/modules/<module>.py) is left out, and
results.md says so. Hooked into bench.py (``--only access,dss_access``); figures rendered by report_access.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import ANSIBLE_PLAYBOOK, RECAP, REPO, Bench, BenchError, Run, Section, play, rotated, spread

sys.path.insert(0, str(REPO / "tests"))
import toolkit_runner as toolkit  # noqa: E402  (tests/toolkit_runner.py)

#: Group counts of the access section; DATAOPS_IAM_BENCH_ACCESS_SIZES="20,40" for a quick run.
ACCESS_SIZES = tuple(int(n) for n in os.environ.get("DATAOPS_IAM_BENCH_ACCESS_SIZES", "200,1000").split(","))
#: Users of the dss_access section (DATAOPS_IAM_BENCH_DSS_USERS), in DSS_GROUPS groups.
DSS_USERS = int(os.environ.get("DATAOPS_IAM_BENCH_DSS_USERS", "500"))
DSS_GROUPS = 5
DELAY_MS = 50
#: Seconds one ansible-playbook or cdf run may take (1,000 groups in a loop at 50 ms a request take ~2-4 minutes).
RUN_TIMEOUT = 1800.0
MODULES = REPO / "plugins" / "modules"


# -- the models --------------------------------------------------------------------------------------------------


def access_group(index: int) -> dict:
    """Group ``index`` of the access model, in the options ``dataops.iam.group`` takes: a few ACLs each (three kinds
    of group, by index), metadata, half of them linked to an IdP group (``source_id``), the others with ``members``.

    The id-scoped capabilities use ``spaceIdScope`` (data model space ids), not ``datasetScope``: cognite-toolkit
    resolves data set ids through the data sets API on every comparison (``GroupIO.dump_resource`` ->
    ``lookup.data_sets.external_id``, cognite_toolkit/_cdf_tk/resource_ios/_auth.py), which the emulator does not
    serve, so its no-op could not run against the emulator; space ids it passes as given.
    """
    name = "access-%04d" % index
    capabilities = [{"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}]
    kind = index % 3
    if kind == 0:
        capabilities += [
            {"dataModelInstancesAcl": {"actions": ["READ", "WRITE"], "scope": {"spaceIdScope": {"spaceIds": [f"sp-{index}", "shared"]}}}},
            {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {f"db-{index}": ["t1", "t2"]}}}}},
        ]
    elif kind == 1:
        capabilities += [
            {"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}},
            {"rawAcl": {"actions": ["READ", "WRITE"], "scope": {"tableScope": {"dbsToTables": {f"db-{index}": ["t1"]}}}}},
            {"dataModelsAcl": {"actions": ["READ"], "scope": {"spaceIdScope": {"spaceIds": ["shared"]}}}},
        ]
    else:  # all-scoped only: cognite-toolkit deploys these in a pass of their own
        capabilities += [
            {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
            {"eventsAcl": {"actions": ["READ", "WRITE"], "scope": {"all": {}}}},
        ]
    spec: dict = {"name": name, "metadata": {"owner": "benchmark", "index": str(index)}, "capabilities": capabilities}
    if index % 2 == 0:
        spec["source_id"] = f"idp-{name}"
    else:
        spec["members"] = [f"user-{index:04d}", "user-shared"]
    return spec


def toolkit_group(spec: dict) -> dict:
    """The same group as cognite-toolkit's ``auth/<name>.Group.yaml`` (the API's field names)."""
    out = {"name": spec["name"]}
    if "source_id" in spec:
        out["sourceId"] = spec["source_id"]
    else:
        out["members"] = spec["members"]
    out.update(metadata=spec["metadata"], capabilities=spec["capabilities"])
    return out


def dss_model(users: int = DSS_USERS) -> tuple[list, list]:
    """The dss_access model: DSS_GROUPS groups, and ``users`` users in one of them each (every tenth in two)."""
    groups = [{"name": f"bench-team-{k}", "description": f"Benchmark team {k}"} for k in range(DSS_GROUPS)]
    people = []
    for index in range(users):
        member_of = [groups[index % DSS_GROUPS]["name"]]
        if index % 10 == 0:
            member_of.append(groups[(index + 1) % DSS_GROUPS]["name"])
        people.append(
            {
                "login": f"bench-user-{index:03d}",
                "password": f"Bench-Passw0rd-{index:03d}",
                "display_name": f"Bench User {index}",
                "email": f"bench-user-{index:03d}@example.com",
                "groups": member_of,
            }
        )
    return groups, people


# -- plays -------------------------------------------------------------------------------------------------------


def access_play(bench: Bench, specs: list) -> list:
    task = {"name": "groups", "dataops.iam.access": {"groups": "{{ bench_groups }}", "purge": False}}
    return play([task], module_defaults=bench.defaults(), play_vars={"bench_groups": specs})


def access_src_play(bench: Bench, specs: list, size: int) -> list:
    """The same task with the model in a JSON file (``src``): the model stays out of the playbook and the task's
    arguments, which Ansible parses, templates and copies at a cost that grows with the model."""
    path = bench.workdir / f"access-model-{size}.json"
    path.write_text(json.dumps({"groups": specs}))
    task = {"name": "groups", "dataops.iam.access": {"src": str(path), "purge": False}}
    return play([task], module_defaults=bench.defaults())


def group_loop_play(bench: Bench, specs: list) -> list:
    args = {key: "{{ item.%s | default(omit) }}" % key for key in ("name", "source_id", "members", "metadata", "capabilities")}
    task = {"name": "groups", "dataops.iam.group": args, "loop": "{{ bench_groups }}", "loop_control": {"label": "{{ item.name }}"}}
    return play([task], module_defaults=bench.defaults(), play_vars={"bench_groups": specs})


def dss_access_play(bench: Bench, groups: list, users: list) -> list:
    task = {"name": "DSS access", "dataops.iam.dss_access": {"groups": "{{ bench_dss_groups }}", "users": "{{ bench_dss_users }}"}}
    return play([task], module_defaults=bench.defaults(), play_vars={"bench_dss_groups": groups, "bench_dss_users": users})


def dss_loop_play(bench: Bench, groups: list, users: list) -> list:
    user_args = {key: "{{ item.%s }}" % key for key in ("login", "password", "display_name", "email", "groups")}
    tasks = [
        {"name": "DSS groups", "dataops.iam.dss_group": {"name": "{{ item.name }}", "description": "{{ item.description }}"},
         "loop": "{{ bench_dss_groups }}", "loop_control": {"label": "{{ item.name }}"}},
        {"name": "DSS users", "dataops.iam.dss_user": user_args, "loop": "{{ bench_dss_users }}", "loop_control": {"label": "{{ item.login }}"}},
    ]
    return play(tasks, module_defaults=bench.defaults(), play_vars={"bench_dss_groups": groups, "bench_dss_users": users})


# -- running and checking ----------------------------------------------------------------------------------------


def run_playbook(bench: Bench, name: str, playbook: list, expect_changed: int) -> Run:
    """One ansible-playbook run as ``Bench.run`` makes it, with a timeout."""
    path = bench.write(name, playbook)
    bench.emulator.clear_log()
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            [ANSIBLE_PLAYBOOK, str(path), "-i", "localhost,"], cwd=bench.workdir, env=bench.env,
            capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{name}: ansible-playbook did not finish within {RUN_TIMEOUT:.0f} s") from exc
    seconds = time.perf_counter() - start
    requests = bench.emulator.requests()
    if completed.returncode != 0:
        raise BenchError(f"{name}: ansible-playbook failed (rc={completed.returncode}):\n{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}")
    match = RECAP.search(completed.stdout)
    ok, changed = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if changed != expect_changed:
        raise BenchError(f"{name}: expected changed={expect_changed}, got changed={changed}:\n{completed.stdout[-4000:]}")
    return Run(seconds, ok, changed, requests)


def run_toolkit(bench: Bench, folder: Path, expect_writes: bool) -> Run:
    """``cdf deploy`` of the built project in ``folder``; a no-op must write nothing, a create must write."""
    bench.emulator.clear_log()
    start = time.perf_counter()
    try:
        toolkit.deploy(folder, bench.emulator.url, project=bench.emulator.project, timeout=RUN_TIMEOUT)
    except toolkit.ToolkitError as exc:
        raise BenchError(f"access: {exc}") from exc
    seconds = time.perf_counter() - start
    requests = bench.emulator.requests()
    writes = sum(1 for entry in requests if entry["write"])
    if bool(writes) != expect_writes:
        raise BenchError(f"access: cdf deploy made {writes} writes, expected {'some' if expect_writes else 'none'}")
    return Run(seconds, 0, int(bool(writes)), requests)


def capabilities_module():
    """The collection's capability helper (bench.py's capabilities section imports it the same way)."""
    collections = str(REPO / ".tmp" / "collections")
    if collections not in sys.path:
        sys.path.append(collections)
    from ansible_collections.dataops.iam.plugins.module_utils.cdf import capabilities  # pylint: disable=import-outside-toplevel

    return capabilities


def check_groups(bench: Bench, specs: list, label: str) -> None:
    """The project holds exactly the model's groups (besides the emulator's seed), each equal to its spec."""
    flatten = capabilities_module().flatten_capabilities
    groups = [g for g in bench.emulator.state()["projects"][bench.emulator.project]["groups"].values() if not g["isDeleted"]]
    mine = [g for g in groups if g["name"].startswith("access-")]
    wanted = {spec["name"]: spec for spec in specs}
    problems = []
    if len(mine) != len(specs) or {g["name"] for g in mine} != set(wanted):
        problems.append(f"{len(mine)} groups named access-*, {len({g['name'] for g in mine})} names; wanted {len(specs)}")
    for group in mine:
        spec = wanted.get(group["name"])
        if spec is None:
            continue
        if group.get("sourceId", "") != spec.get("source_id", ""):
            problems.append(f"{group['name']}: sourceId {group.get('sourceId')!r}")
        if sorted(group.get("members") or []) != sorted(spec.get("members") or []):
            problems.append(f"{group['name']}: members {group.get('members')!r}")
        if group.get("metadata") != spec["metadata"]:
            problems.append(f"{group['name']}: metadata {group.get('metadata')!r}")
        if flatten(group["capabilities"]) != flatten(spec["capabilities"]):
            problems.append(f"{group['name']}: capabilities {json.dumps(group['capabilities'])}")
    if problems:
        raise BenchError(f"{label}: the groups are not the model's: " + "; ".join(problems[:5]))


def check_dss(bench: Bench, groups: list, users: list, label: str) -> None:
    """DSS holds exactly the model's groups and users (besides the seed), the users' passwords set (a sample)."""
    state = bench.emulator.state()["dss"]
    problems = []
    mine = {name: g for name, g in state["groups"].items() if name.startswith("bench-team-")}
    if {name: g.get("description") for name, g in mine.items()} != {g["name"]: g["description"] for g in groups}:
        problems.append(f"groups {sorted(mine)}")
    people = {login: u for login, u in state["users"].items() if login.startswith("bench-user-")}
    if set(people) != {u["login"] for u in users}:
        problems.append(f"{len(people)} users, wanted {len(users)}")
    for user in users:
        found = people.get(user["login"])
        if found and (found["displayName"], found["email"], sorted(found["groups"])) != (user["display_name"], user["email"], sorted(user["groups"])):
            problems.append(f"{user['login']}: {found['displayName']!r}, {found['email']!r}, {found['groups']!r}")
    for user in users[:: max(1, len(users) // 3)]:
        answer = bench.emulator.http.post("/_emulator/dss/check-password", json={"login": user["login"], "password": user["password"]})
        if not answer.json().get("valid"):
            problems.append(f"{user['login']}: password not set")
    if problems:
        raise BenchError(f"{label}: DSS is not the model: " + "; ".join(problems[:5]))


def counts(run: Run) -> dict:
    writes = sum(1 for entry in run.requests if entry["write"])
    return {"requests": run.request_count, "token": run.count("POST", "/oauth2/token"), "writes": writes}


def phase_figures(runs: list) -> dict:
    return {"wall": spread([run.seconds for run in runs]), **counts(runs[-1])}


def ratios(runs: dict, mine: str, others: tuple) -> dict:
    """For each phase, ``mine``'s wall time over each other variant's, within each round, then their spread."""
    out: dict = {}
    for phase in ("create", "noop"):
        for other in others:
            if mine in runs and other in runs:
                pairs = zip(runs[mine][phase], runs[other][phase], strict=True)
                out.setdefault(phase, {})[f"{mine}/{other}"] = spread([a.seconds / b.seconds for a, b in pairs])
    return out


def merged_ratios(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        for phase, pairs in part.items():
            out.setdefault(phase, {}).update(pairs)
    return out


# -- sections ----------------------------------------------------------------------------------------------------


class DelayedSection(Section):
    """A section whose every round starts from the emulator's seed, with DELAY_MS on every request."""

    def fresh(self) -> None:
        self.bench.reset()  # the seed state: no group slots spent, no fault rules
        self.bench.emulator.inject(delayMs=DELAY_MS, times=-1)

    def missing(self, modules: dict) -> dict:
        return {name: f"plugins/modules/{module}.py is not there yet" for name, module in modules.items() if not (MODULES / f"{module}.py").exists()}


class Access(DelayedSection):
    """N groups, create then no-op: ``dataops.iam.access``, a ``dataops.iam.group`` loop, ``cdf deploy``."""

    name = "access"

    def setup(self) -> None:
        bench = self.bench
        self.missed = self.missing({"access": "access"})
        if not toolkit.available():
            self.missed["toolkit"] = "cognite-toolkit is not installed (make toolkit)"
        self.specs = {size: [access_group(i) for i in range(size)] for size in ACCESS_SIZES}
        self.plays: dict = {size: {} for size in ACCESS_SIZES}
        self.folders: dict = {}
        self.build_seconds: dict = {}
        for size, specs in self.specs.items():
            if "access" not in self.missed:
                self.plays[size]["access"] = access_play(bench, specs)
                self.plays[size]["access_src"] = access_src_play(bench, specs, size)
            self.plays[size]["loop"] = group_loop_play(bench, specs)
            if "toolkit" not in self.missed:
                folder = bench.workdir / f"toolkit-{size}"
                shutil.rmtree(folder, ignore_errors=True)
                files = {f"{spec['name']}.Group.yaml": toolkit_group(spec) for spec in specs}
                toolkit.write_project(folder, {"auth": files}, project=bench.emulator.project)
                start = time.perf_counter()
                try:
                    toolkit.build(folder, bench.emulator.url, project=bench.emulator.project, timeout=RUN_TIMEOUT)
                except toolkit.ToolkitError as exc:
                    raise BenchError(f"access: {exc}") from exc
                self.build_seconds[size] = time.perf_counter() - start
                self.folders[size] = folder
        self.variants = [name for name in ("access", "access_src", "loop", "toolkit") if name not in self.missed]
        if "access" in self.missed:
            self.variants.remove("access_src")
        self.runs: dict = {size: {name: {"create": [], "noop": []} for name in self.variants} for size in ACCESS_SIZES}

    def once(self, size: int, variant: str, phase: str) -> Run:
        if variant == "toolkit":
            return run_toolkit(self.bench, self.folders[size], expect_writes=phase == "create")
        return run_playbook(self.bench, f"access_{variant}_{size}", self.plays[size][variant], expect_changed=int(phase == "create"))

    def round(self, index: int) -> None:
        try:
            for size in rotated(list(ACCESS_SIZES), index):
                for variant in rotated(self.variants, index):
                    self.fresh()
                    for phase in ("create", "noop"):
                        self.runs[size][variant][phase].append(self.once(size, variant, phase))
                        check_groups(self.bench, self.specs[size], f"access {variant} {size} {phase}")
        finally:
            self.bench.emulator.clear_faults()

    def result(self) -> dict:
        out: dict = {"rounds": self.rounds, "delay_ms": DELAY_MS, "missing": self.missed, "sizes": {}, "toolkit": toolkit.TOOLKIT_VERSION}
        for size, variants in self.runs.items():
            out["sizes"][size] = {
                "variants": {name: {phase: phase_figures(runs) for phase, runs in phases.items()} for name, phases in variants.items()},
                "ratios": merged_ratios(
                    ratios(variants, "access", ("toolkit", "loop")), ratios(variants, "access_src", ("toolkit", "loop"))
                ),
                "build_seconds": self.build_seconds.get(size),
            }
        return out


class DssAccess(DelayedSection):
    """DSS_USERS users in DSS_GROUPS groups, create then no-op: ``dataops.iam.dss_access`` against loops."""

    name = "dss_access"

    def setup(self) -> None:
        bench = self.bench
        self.missed = self.missing({"dss_access": "dss_access"})
        self.groups, self.users = dss_model()
        self.plays = {"loop": dss_loop_play(bench, self.groups, self.users)}
        if "dss_access" not in self.missed:
            self.plays["dss_access"] = dss_access_play(bench, self.groups, self.users)
        self.changes = {"dss_access": 1, "loop": 2}  # the loop play: its group task and its user task
        self.runs: dict = {name: {"create": [], "noop": []} for name in self.plays}

    def round(self, index: int) -> None:
        try:
            for variant in rotated(list(self.plays), index):
                self.fresh()
                for phase in ("create", "noop"):
                    expected = self.changes[variant] if phase == "create" else 0
                    self.runs[variant][phase].append(run_playbook(self.bench, f"dss_access_{variant}", self.plays[variant], expected))
                    check_dss(self.bench, self.groups, self.users, f"dss_access {variant} {phase}")
        finally:
            self.bench.emulator.clear_faults()

    def result(self) -> dict:
        return {
            "rounds": self.rounds,
            "delay_ms": DELAY_MS,
            "users": len(self.users),
            "groups": len(self.groups),
            "missing": self.missed,
            "variants": {name: {phase: phase_figures(runs) for phase, runs in phases.items()} for name, phases in self.runs.items()},
            "ratios": ratios(self.runs, "dss_access", ("loop",)),
        }


ACCESS_SECTIONS = {cls.name: cls for cls in (Access, DssAccess)}
