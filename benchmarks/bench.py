"""`make bench`: what a dataops.iam task costs, measured against the emulator, written to benchmarks/results.md.

    python benchmarks/bench.py [--rounds 3] [--output benchmarks/results.md] [--only per_task,requests,...]

Benchmarks, not tests: no figure ever fails the run. A run fails only when something is wrong (a playbook
fails, a no-op changes something, the capability helper and the SDK disagree), since its figures would then be
of the wrong thing. Sections (see benchmarks/README.md for what each measures and why):

* ``per_task``: a play of 50 ``dataops.iam.group`` tasks that change nothing, against 50 ``ansible.builtin.ping``
  tasks and an empty play; the group play as it runs by default (the module's code in Ansible's worker), with a
  token fetched once (``dataops.iam.cdf_token``), and as a module process (``dataops_iam_in_worker: false``);
  then a play of no-op tasks for every other module of the collection (``MODULE_NOOPS``), and two of them as
  module processes too.
* ``requests``: requests per task in the emulator's log, for create, no-op and change of a group, a security
  category and a DSS user, with client credentials and with a token given.
* ``scale``: converge 50 and 500 groups from nothing with a loop, then re-run (no-op).
* ``peer``: the same 50 groups with a plain ``ansible.builtin.uri`` playbook (token, list, create per group).
* ``capabilities``: ``missing_capabilities`` against cognite-sdk's ``IAMAPI.compare_capabilities``.
* ``access``, ``dss_access``: the whole-model modules against loops and cognite-toolkit (bench_access.py).
* ``soak``: 5,000 requests at 30% injected faults, checked after every round (bench_soak.py; only with ``--only soak``).

Timed things run interleaved (A, B, C, A, B, C, ... with the order rotated each round) and are reported as the
median of the rounds with their spread (min-max), on whatever else the machine is doing at the time.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

sys.path.insert(0, str(REPO / "tests" / "integration"))

from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS, principal_id  # noqa: E402
from emulator.process import EmulatorProcess  # noqa: E402
from runner import play as test_play  # noqa: E402  (tests/integration/runner.py)

ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
COLLECTIONS_PATH = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or str(REPO / ".tmp" / "collections")
WORKDIR = REPO / ".tmp" / "bench"
RECAP = re.compile(r"^\S+\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
SECTIONS = ("per_task", "requests", "scale", "peer", "capabilities", "access", "dss_access", "soak")
#: Sections run only when ``--only`` names them (``make soak``): they take longer than a bench run's budget.
ON_REQUEST = ("soak",)
TASKS = 50
SCALE_SIZES = (50, 500)
DSS_KEY = "dss-admin-key"
#: Tasks in the play of each module's no-op (section per_task, the rows per module).
MODULE_TASKS = 50
#: The modules whose no-op play runs as module processes too (``dataops_iam_in_worker: false``), beside ``group``.
MODULE_PROCESS_ROWS = ("token_info", "dss_user")


class BenchError(RuntimeError):
    """Something is wrong with what is measured: the benchmark stops rather than report it."""


# -- playbooks ---------------------------------------------------------------------------------------------------


def play(tasks: list, *, module_defaults: dict | None = None, play_vars: dict | None = None) -> list:
    """A one-play playbook on localhost, built as the integration tests build theirs."""
    return test_play(tasks, module_defaults=module_defaults, play_vars=play_vars, name="dataops.iam benchmark")


def group_spec(index: int) -> dict:
    """One of the benchmark's groups: three capabilities (all, data set ids, a raw table), an IdP group, metadata."""
    return {
        "name": "bench-%03d" % index,
        "source_id": "idp-bench-%03d" % index,
        "metadata": {"owner": "benchmark"},
        "capabilities": [
            {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}},
            {"assetsAcl": {"actions": ["READ", "WRITE"], "scope": {"datasetScope": {"ids": [index + 1, index + 2]}}}},
            {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"db%03d" % index: ["t1"]}}}}},
        ],
    }


CATEGORY = "bench-category"
#: The BI tool's client of the pg_user no-op (the emulator's "reader"); the user is made through the API first.
PG_CLIENT = {"client_id": "reader", "client_secret": "reader-secret"}
ALICE = principal_id("Alice")


def module_noops(bench: "Bench") -> dict:
    """The no-op task of every module of the collection but ``group`` (whose no-op play is the ``group`` variant):
    module -> (its arguments, what the task does). A managing module finds its object as it wants it (made by
    ``Bench.prepare_noops``, or the emulator's seed); the others read."""
    revoked = [
        session["id"]
        for session in bench.emulator.state()["orgs"][ORG]["principals"][ALICE]["sessions"]
        if session["status"] == "REVOKED"
    ]
    if not revoked:
        raise BenchError("per_task: the emulator's seed has no revoked login session of Alice any more")
    return {
        "capabilities_check": ({"capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]}, "check the caller's rights"),
        "cdf_token": (None, "get a token"),
        "dss_group": ({"name": "readers", "description": "Read-only access to shared projects"}, "the seeded group, unchanged"),
        "dss_user": (
            {"login": "analyst", "display_name": "Ana Lyst", "email": "analyst@example.com", "groups": ["data_team"]},
            "the seeded user, unchanged",
        ),
        "dss_user_info": ({"login": "analyst"}, "read a user"),
        "group_info": ({"name": "bench-000"}, "read a group"),
        "login_session": ({"principal": ALICE, "ids": revoked}, "revoke sessions already revoked"),
        "login_session_info": ({"principal": ALICE}, "list a user's sessions"),
        "pg_user": ({"client_credentials": PG_CLIENT}, "the user made first, unchanged"),
        "pg_user_info": (None, "list the users"),
        "principal_info": ({"email": "alice.andersen@example.com"}, "find a principal"),
        "security_category": ({"name": CATEGORY}, "the category made first, unchanged"),
        "security_category_info": ({"name": CATEGORY}, "read a category"),
        "session": ({"state": "absent", "id": []}, "revoke an empty list of sessions"),
        "session_info": ({"limit": 10}, "list sessions"),
        "token_info": (None, "inspect the token"),
        "user_profile_info": ({"me": True}, "read the caller's profile"),
    }


def group_api_body(spec: dict) -> dict:
    return {
        "name": spec["name"],
        "sourceId": spec["source_id"],
        "metadata": spec["metadata"],
        "capabilities": spec["capabilities"],
    }


# -- running -----------------------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    ok: int
    changed: int
    requests: list = field(default_factory=list)
    tasks: list = field(default_factory=list)  # with task_times: [{"task", "changed", "requests": [...]}]

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def count(self, method: str, suffix: str) -> int:
        return sum(1 for entry in self.requests if entry["method"] == method and entry["path"].endswith(suffix))


def per_task_requests(times_file: Path, requests: list) -> list:
    """Each task of a run with the requests made while it ran (after its start, before the next task's)."""
    tasks: list = []
    for line in times_file.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event["event"] == "start":
            tasks.append({"task": event["task"], "start_ms": int(event["time"] * 1000), "requests": []})
        elif tasks:
            tasks[-1]["changed"] = event.get("changed", False)
            tasks[-1]["failed"] = event.get("failed", False)
    for entry in requests:
        owners = [task for task in tasks if task["start_ms"] <= entry["time"]]
        if not owners:
            raise BenchError(f"request {entry['method']} {entry['path']} came before the first task started")
        owners[-1]["requests"].append(entry)
    return tasks


class Bench:
    def __init__(self, emulator: EmulatorProcess, workdir: Path, module_tasks: int = MODULE_TASKS) -> None:
        self.emulator = emulator
        self.workdir = workdir
        self.module_tasks = module_tasks  # tasks in the no-op play of each module (per_task)
        self.env = dict(os.environ)
        self.env.update(
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-local"),
            ANSIBLE_HOME=str(workdir / "ansible-home"),
        )
        self.written: set = set()

    # connection settings, as a play's module_defaults
    def cdf(self, **extra) -> dict:
        settings = {
            "base_url": self.emulator.url,
            "project": self.emulator.project,
            "token_url": self.emulator.token_url,
            "client_id": "admin",
            "client_secret": "admin-secret",
        }
        settings.update(extra)
        return settings

    def defaults(self, **cdf_extra) -> dict:
        return {
            "group/dataops.iam.cdf": self.cdf(**cdf_extra),
            "group/dataops.iam.dss": {"dss_url": self.emulator.url, "api_key": DSS_KEY},
        }

    def all_defaults(self) -> dict:
        """module_defaults for every action group, the auth API's too (a seeded auth API service account)."""
        auth_api = {
            "auth_url": self.emulator.url,
            "org": ORG,
            "auth_client_id": "org-admin",
            "auth_client_secret": SEED_AUTH_CLIENTS["org-admin"][0],
        }
        return dict(self.defaults(), **{"group/dataops.iam.auth_api": auth_api})

    def write(self, name: str, playbook: list) -> Path:
        path = self.workdir / f"{name}.yml"
        if name not in self.written:
            path.write_text(yaml.safe_dump(playbook, sort_keys=False))
            self.written.add(name)
        return path

    def run(
        self,
        name: str,
        playbook: list,
        *,
        extra_vars: dict | None = None,
        expect_changed: int | None = None,
        task_times: bool = False,
    ) -> Run:
        """Run a playbook once; the wall time of the ansible-playbook process and the requests it made.

        ``task_times``: also record when each task started (benchmarks/callback_plugins/task_times.py), so
        that each request can be put down to its task (``Run.tasks``); it costs a little, so timings go without.
        """
        path = self.write(name, playbook)
        command = [ANSIBLE_PLAYBOOK, str(path), "-i", "localhost,"]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        env = self.env
        times_file = self.workdir / f"{name}.times.jsonl"
        if task_times:
            times_file.unlink(missing_ok=True)
            env = dict(
                env,
                ANSIBLE_CALLBACK_PLUGINS=str(Path(__file__).resolve().parent / "callback_plugins"),
                ANSIBLE_CALLBACKS_ENABLED="task_times",
                TASK_TIMES_FILE=str(times_file),
            )
        self.emulator.clear_log()
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=self.workdir, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        requests = self.emulator.requests()
        if completed.returncode != 0:
            output = completed.stdout[-4000:] + "\n" + completed.stderr[-2000:]
            raise BenchError(f"{name}: ansible-playbook failed (rc={completed.returncode}):\n{output}")
        match = RECAP.search(completed.stdout)  # none for a play without tasks
        ok, changed = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if expect_changed is not None and changed != expect_changed:
            raise BenchError(f"{name}: expected changed={expect_changed}, got changed={changed}:\n{completed.stdout[-4000:]}")
        run = Run(seconds, ok, changed, requests)
        if task_times:
            run.tasks = per_task_requests(times_file, requests)
        return run

    # emulator state
    def reset(self) -> None:
        self.emulator.reset()

    def create_groups(self, specs: list) -> None:
        """Create groups directly through the API (as the admin), as the starting state of a no-op play."""
        headers = {"Authorization": f"Bearer {self.emulator.admin_token()}"}
        url = f"{self.emulator.url}/api/v1/projects/{self.emulator.project}/groups"
        for start in range(0, len(specs), 100):
            body = {"items": [group_api_body(spec) for spec in specs[start : start + 100]]}
            httpx.post(url, json=body, headers=headers, timeout=30).raise_for_status()
        self.emulator.clear_log()

    def prepare_noops(self) -> None:
        """The objects the no-op tasks of the managing modules find as they want them (see ``module_noops``): the
        security category, and the Postgres-gateway user of the "reader" client (a session of it, and the user)."""
        api = f"{self.emulator.url}/api/v1/projects/{self.emulator.project}"
        with httpx.Client(base_url=api, headers={"Authorization": f"Bearer {self.emulator.admin_token()}"}, timeout=30) as http:
            http.post("/securitycategories", json={"items": [{"name": CATEGORY}]}).raise_for_status()
            reader = {"clientId": PG_CLIENT["client_id"], "clientSecret": PG_CLIENT["client_secret"]}
            session = http.post("/sessions", json={"items": [reader]}).raise_for_status().json()["items"][0]
            user = {"credentials": {"nonce": session["nonce"]}}
            http.post("/postgresgateway", json={"items": [user]}).raise_for_status()
        self.emulator.clear_log()


def rotated(names: list, index: int) -> list:
    """``names`` in the order of round ``index``: rotated each round, so that no variant always runs first."""
    shift = index % len(names)
    return names[shift:] + names[:shift]


def spread(values: list) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": list(values)}


class Section:
    """A benchmark section: ``setup()`` once, then ``round(index)`` as often as the time budget allows."""

    name = ""
    repeat = True  # False: one round says all (deterministic counts, or repeated internally)

    def __init__(self, bench: "Bench") -> None:
        self.bench = bench
        self.rounds = 0

    def setup(self) -> None:
        pass

    def round(self, index: int) -> None:
        raise NotImplementedError

    def result(self) -> dict:
        raise NotImplementedError


class PerTask(Section):
    name = "per_task"

    def setup(self) -> None:
        bench = self.bench
        self.specs = specs = [group_spec(i) for i in range(TASKS)]
        group_tasks = [{"name": spec["name"], "dataops.iam.group": spec} for spec in specs]
        token_task = {"name": "token", "dataops.iam.cdf_token": None, "register": "cdf_token", "no_log": True}
        ping = play([{"name": "ping %d" % i, "ansible.builtin.ping": None} for i in range(TASKS)])
        group = play(group_tasks, module_defaults=bench.defaults())
        token_once = play(
            [token_task] + group_tasks, module_defaults=bench.defaults(token="{{ cdf_token.token | default(omit) }}")
        )
        self.variants = {
            "ping": lambda: bench.run("per_task_ping", ping, expect_changed=0),
            "group": lambda: bench.run("per_task_group", group, expect_changed=0),
            "group_token_once": lambda: bench.run("per_task_group_token_once", token_once, expect_changed=0),
            "group_module_process": lambda: bench.run(
                "per_task_group", group, extra_vars={"dataops_iam_in_worker": False}, expect_changed=0
            ),
            "empty": lambda: bench.run("per_task_empty", play([]), expect_changed=0),
        }
        self.noops = module_noops(bench)
        for module, (args, _what) in self.noops.items():
            tasks = [{"name": "%s %d" % (module, i), "dataops.iam." + module: args} for i in range(bench.module_tasks)]
            noop_play = play(tasks, module_defaults=bench.all_defaults())
            self.variants["module:" + module] = self.noop_run(module, noop_play)
            if module in MODULE_PROCESS_ROWS:
                self.variants["module_process:" + module] = self.noop_run(module, noop_play, in_worker=False)
        self.runs: dict = {name: [] for name in self.variants}

    def noop_run(self, module: str, noop_play: list, in_worker: bool = True) -> Callable[[], Run]:
        extra_vars = None if in_worker else {"dataops_iam_in_worker": False}
        return lambda: self.bench.run(f"per_task_{module}", noop_play, extra_vars=extra_vars, expect_changed=0)

    def round(self, index: int) -> None:
        self.bench.reset()  # the groups are there already, as the tasks want them: every group task is a no-op
        self.bench.create_groups(self.specs)
        self.bench.prepare_noops()
        for name in rotated(list(self.variants), index):
            self.runs[name].append(self.variants[name]())

    def result(self) -> dict:
        runs = self.runs
        out: dict = {"rounds": self.rounds, "tasks": TASKS, "module_tasks": self.bench.module_tasks, "variants": {}, "modules": {}}
        for name, results in runs.items():
            if ":" in name:
                continue
            per_task = [(run.seconds - empty.seconds) / TASKS for run, empty in zip(results, runs["empty"], strict=True)]
            out["variants"][name] = {
                "wall": spread([run.seconds for run in results]),
                "per_task": spread(per_task),
                "requests": results[-1].request_count,
                "token_requests": results[-1].count("POST", "/oauth2/token"),
            }
        for name in ("group", "group_token_once", "group_module_process"):
            wall_ratios = [run.seconds / ping.seconds for run, ping in zip(runs[name], runs["ping"], strict=True)]
            net_ratios = [
                (run.seconds - empty.seconds) / (ping.seconds - empty.seconds)
                for run, ping, empty in zip(runs[name], runs["ping"], runs["empty"], strict=True)
            ]
            out["variants"][name]["ratio_wall"] = spread(wall_ratios)
            out["variants"][name]["ratio_net"] = spread(net_ratios)
        out["modules"]["group"] = self.module_row("group", "the groups made first, unchanged", TASKS, runs["group"])
        out["modules"]["group"]["module_process"] = self.module_row("group", "", TASKS, runs["group_module_process"])
        for module, (_args, what) in self.noops.items():
            out["modules"][module] = self.module_row(module, what, self.bench.module_tasks, runs["module:" + module])
            if module in MODULE_PROCESS_ROWS:
                row = self.module_row(module, what, self.bench.module_tasks, runs["module_process:" + module])
                out["modules"][module]["module_process"] = row
        out["modules"] = dict(sorted(out["modules"].items()))
        return out

    def module_row(self, module: str, what: str, tasks: int, results: list) -> dict:
        """A module's no-op play: seconds per task net of the empty play, and that as a ratio to ping's, per round."""
        runs = self.runs
        per_task = [(run.seconds - empty.seconds) / tasks for run, empty in zip(results, runs["empty"], strict=True)]
        ping = [(run.seconds - empty.seconds) / TASKS for run, empty in zip(runs["ping"], runs["empty"], strict=True)]
        return {
            "noop": what,
            "tasks": tasks,
            "wall": spread([run.seconds for run in results]),
            "per_task": spread(per_task),
            "ratio": spread([mine / theirs for mine, theirs in zip(per_task, ping, strict=True)]),
            "requests_per_task": results[-1].request_count / tasks,
        }


class Requests(Section):
    name = "requests"
    repeat = False

    def round(self, index: int) -> None:
        self.rows = count_requests(self.bench)

    def result(self) -> dict:
        return {"rows": self.rows}


def count_requests(bench: Bench) -> list:
    """Requests per task: create, no-op and change of each kind in one play per authentication, every task put down
    to its requests through the time it started (the emulator's log has the time of each request)."""
    group = group_spec(0)
    changed_group = copy.deepcopy(group)
    changed_group["capabilities"][1]["assetsAcl"]["actions"] = ["READ"]
    category = {"name": "bench-category"}
    user = {"login": "bench-user", "display_name": "Bench User", "email": "bench@example.com", "password": "Bench-Passw0rd!"}
    cdf_scenarios = [
        ("group", "create", {"dataops.iam.group": group}, True),
        ("group", "no-op", {"dataops.iam.group": group}, False),
        ("group", "change (replace)", {"dataops.iam.group": changed_group}, True),
        ("security category", "create", {"dataops.iam.security_category": category}, True),
        ("security category", "no-op", {"dataops.iam.security_category": category}, False),
        ("security category", "change (delete)", {"dataops.iam.security_category": dict(category, state="absent")}, True),
    ]
    dss_scenarios = [
        ("DSS user", "create", {"dataops.iam.dss_user": user}, True),
        ("DSS user", "no-op", {"dataops.iam.dss_user": user}, False),
        ("DSS user", "change", {"dataops.iam.dss_user": dict(user, display_name="Bench User (renamed)")}, True),
    ]
    token = bench.emulator.admin_token()
    plays = [
        ("client credentials", cdf_scenarios, bench.defaults()),
        ("token given", cdf_scenarios, bench.defaults(token=token)),
        ("API key", dss_scenarios, bench.defaults()),
    ]
    rows = []
    for auth, scenarios, defaults in plays:
        tasks = [dict(action, name=f"{kind}: {operation}") for kind, operation, action, _changes in scenarios]
        bench.reset()
        expected = sum(1 for *_rest, changes in scenarios if changes)
        run = bench.run(f"requests_{auth.replace(' ', '_')}", play(tasks, module_defaults=defaults), expect_changed=expected, task_times=True)
        for (kind, operation, _action, changes), task in zip(scenarios, run.tasks, strict=True):
            if task["task"] != f"{kind}: {operation}" or task.get("changed") is not changes:
                raise BenchError(f"requests: task {task['task']!r} changed={task.get('changed')}, expected {changes}")
            calls = ["%s %s" % (entry["method"], short_path(entry["path"])) for entry in task["requests"]]
            rows.append({"kind": kind, "operation": operation, "auth": auth, "requests": len(calls), "calls": calls})
    order = {kind: index for index, kind in enumerate(("group", "security category", "DSS user"))}
    return sorted(rows, key=lambda row: order[row["kind"]])


def short_path(path: str) -> str:
    return re.sub(r"^/api/v1/projects/[^/]+/", "", path)


def group_loop_play(bench: Bench, count: int) -> list:
    specs = [group_spec(i) for i in range(count)]
    task = {
        "name": "groups",
        "dataops.iam.group": {
            "name": "{{ item.name }}",
            "source_id": "{{ item.source_id }}",
            "metadata": "{{ item.metadata }}",
            "capabilities": "{{ item.capabilities }}",
        },
        "loop": "{{ bench_groups }}",
        "loop_control": {"label": "{{ item.name }}"},
    }
    return play([task], module_defaults=bench.defaults(), play_vars={"bench_groups": specs})


def debug_loop_play(count: int) -> list:
    """Ansible's own cost per loop item: ansible.builtin.debug over the same items, templating the same arguments."""
    task = {
        "name": "groups",
        "ansible.builtin.debug": {
            "msg": {
                "name": "{{ item.name }}",
                "source_id": "{{ item.source_id }}",
                "metadata": "{{ item.metadata }}",
                "capabilities": "{{ item.capabilities }}",
            },
            "verbosity": 1,
        },
        "loop": "{{ bench_groups }}",
        "loop_control": {"label": "{{ item.name }}"},
    }
    return play([task], play_vars={"bench_groups": [group_spec(i) for i in range(count)]})


class Scale(Section):
    """Converge N groups from nothing with a loop, then re-run it; N = 50 and 500, the order alternating by round."""

    name = "scale"

    def setup(self) -> None:
        self.playbooks = {size: group_loop_play(self.bench, size) for size in SCALE_SIZES}
        self.floors = {size: debug_loop_play(size) for size in SCALE_SIZES}
        self.samples: dict = {size: {"create": [], "noop": [], "floor": []} for size in SCALE_SIZES}

    def round(self, index: int) -> None:
        for size in rotated(list(SCALE_SIZES), index):
            self.bench.reset()
            self.samples[size]["create"].append(self.bench.run(f"scale_{size}", self.playbooks[size], expect_changed=1))
            self.samples[size]["noop"].append(self.bench.run(f"scale_{size}", self.playbooks[size], expect_changed=0))
            if index:  # an explanation, not a goal: only in the rounds the budget leaves room for
                self.samples[size]["floor"].append(self.bench.run(f"scale_{size}_debug", self.floors[size], expect_changed=0))

    def result(self) -> dict:
        out: dict = {"rounds": self.rounds, "sizes": {}, "growth": {}}
        small, large = SCALE_SIZES
        for phase in ("create", "noop", "floor"):
            pairs = list(zip(self.samples[small][phase], self.samples[large][phase], strict=True))  # the same rounds
            if pairs:
                out["growth"][phase] = spread([big.seconds / little.seconds for little, big in pairs])
        for size, phases in self.samples.items():
            out["sizes"][size] = {}
            for phase, runs in phases.items():
                if not runs:
                    continue
                last = runs[-1]
                out["sizes"][size][phase] = {
                    "wall": spread([run.seconds for run in runs]),
                    "requests": last.request_count,
                    "token": last.count("POST", "/oauth2/token"),
                    "lists": last.count("GET", "/groups"),
                    "writes": sum(1 for entry in last.requests if entry["write"]),
                }
        return out


def peer_play(bench: Bench, specs: list) -> list:
    """How someone without this collection would write it: a token, the list, a create per missing group."""
    api = "{{ cdf_url }}/api/v1/projects/{{ cdf_project }}"
    auth = {"Authorization": "Bearer {{ token.json.access_token }}"}
    tasks = [
        {
            "name": "Get a token",
            "ansible.builtin.uri": {
                "url": "{{ cdf_token_url }}",
                "method": "POST",
                "body_format": "form-urlencoded",
                "body": {
                    "grant_type": "client_credentials",
                    "client_id": "admin",
                    "client_secret": "admin-secret",
                    "scope": "{{ cdf_url }}/.default",
                },
            },
            "register": "token",
            "no_log": True,
        },
        {
            "name": "List the groups",
            "ansible.builtin.uri": {"url": api + "/groups?all=true", "headers": auth},
            "register": "existing",
        },
        {
            "name": "Create the groups that do not exist",
            "ansible.builtin.uri": {
                "url": api + "/groups",
                "method": "POST",
                "body_format": "json",
                "headers": auth,
                "status_code": [200, 201],
                "body": {
                    "items": [
                        {
                            "name": "{{ item.name }}",
                            "sourceId": "{{ item.source_id }}",
                            "metadata": "{{ item.metadata }}",
                            "capabilities": "{{ item.capabilities }}",
                        }
                    ]
                },
            },
            "loop": "{{ bench_groups }}",
            "loop_control": {"label": "{{ item.name }}"},
            "when": "item.name not in (existing.json['items'] | map(attribute='name'))",
            "changed_when": True,
        },
    ]
    play_vars = {
        "bench_groups": specs,
        "cdf_url": bench.emulator.url,
        "cdf_token_url": bench.emulator.token_url,
        "cdf_project": bench.emulator.project,
    }
    return play(tasks, play_vars=play_vars)


class Peer(Section):
    name = "peer"

    def setup(self) -> None:
        specs = [group_spec(i) for i in range(TASKS)]
        self.playbooks = {"uri": peer_play(self.bench, specs), "dataops.iam.group": group_loop_play(self.bench, TASKS)}
        self.samples: dict = {name: {"create": [], "noop": []} for name in self.playbooks}

    def round(self, index: int) -> None:
        for name in rotated(list(self.playbooks), index):
            self.bench.reset()
            self.samples[name]["create"].append(self.bench.run(f"peer_{name}", self.playbooks[name], expect_changed=1))
            self.samples[name]["noop"].append(self.bench.run(f"peer_{name}", self.playbooks[name], expect_changed=0))

    def result(self) -> dict:
        out: dict = {"rounds": self.rounds, "groups": TASKS, "variants": {}}
        for name, phases in self.samples.items():
            out["variants"][name] = {
                phase: {"wall": spread([run.seconds for run in runs]), "requests": runs[-1].request_count}
                for phase, runs in phases.items()
            }
        return out


class Capabilities(Section):
    name = "capabilities"
    repeat = False

    def round(self, index: int) -> None:
        # In an interpreter of its own, as a module or a fresh worker has it: this process holds every playbook
        # run's figures by now, and the garbage collector's passes over them would be timed with the helper.
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--capabilities-only"],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise BenchError(f"capabilities: {completed.stderr[-3000:]}")
        self.figures = json.loads(completed.stdout)

    def result(self) -> dict:
        return self.figures


def compare_capabilities(sizes: tuple = (100, 1_000, 10_000)) -> dict:
    """missing_capabilities against cognite-sdk's compare_capabilities: same inputs, same answers, CPU time."""
    from cognite.client._api.iam import IAMAPI

    from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
        flatten_capabilities,
        missing_capabilities,
    )
    from ansible_collections.dataops.iam.tests.unit.plugins.module_utils.cdf.capability_cases import large_case

    out: dict = {"sizes": {}}
    for size in sizes:
        existing, desired = large_case(size)
        mine = missing_capabilities(copy.deepcopy(existing), copy.deepcopy(desired))
        sdk = [cap.dump() for cap in IAMAPI.compare_capabilities(copy.deepcopy(existing), copy.deepcopy(desired))]
        if mine != sdk:
            raise BenchError(f"capabilities: the helper and the SDK disagree at {size} entries")
        runs = 15 if size <= 1_000 else 5
        times: dict = {"helper": [], "sdk": []}
        for _run in range(runs):  # interleaved, each on fresh copies (outside the timing)
            for name, func in (("helper", missing_capabilities), ("sdk", IAMAPI.compare_capabilities)):
                args = copy.deepcopy(existing), copy.deepcopy(desired)
                start = time.process_time()
                func(*args)
                times[name].append(time.process_time() - start)
        ratios = [sdk_time / helper_time for helper_time, sdk_time in zip(times["helper"], times["sdk"], strict=True)]
        out["sizes"][size] = {
            "existing": len(flatten_capabilities(existing)),
            "desired": len(flatten_capabilities(desired)),
            "missing": len(flatten_capabilities(mine)),
            "capabilities": (len(existing), len(desired)),
            "helper": spread(times["helper"]),
            "sdk": spread(times["sdk"]),
            "ratio": spread(ratios),
            "runs": runs,
        }
    return out


# -- report ------------------------------------------------------------------------------------------------------


def machine() -> dict:
    import ansible

    return {
        "python": platform.python_version(),
        "ansible_core": ansible.__version__,
        "httpx": httpx.__version__,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


SECTION_CLASSES = {cls.name: cls for cls in (PerTask, Requests, Scale, Peer, Capabilities)}


def measured_by(data: dict) -> dict:
    """Which run measured a section (results.md names it for the sections an --only run kept from earlier)."""
    return {key: data[key] for key in ("command", "via_make", "started", "machine", "load_before")}


def with_earlier_sections(sections: dict, earlier: Path) -> dict:
    """``sections``, plus those that this run (``--only``) left out from the earlier run's raw figures, so that
    results.md keeps every section; each keeps the ``measured`` of the run that measured it."""
    try:
        previous = json.loads(earlier.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return sections
    merged = {}
    for name in SECTIONS:
        if name in sections:
            merged[name] = sections[name]
        elif name in previous.get("sections", {}):
            merged[name] = dict(previous["sections"][name])
            merged[name].setdefault("measured", measured_by(previous))
    return merged


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="at most this many rounds of each timed section (default 3)")
    parser.add_argument(
        "--budget",
        type=float,
        default=420.0,
        help="seconds: a further round of a section starts only if it should end within this (default 420); "
        "every section runs at least once",
    )
    parser.add_argument(
        "--module-tasks",
        type=int,
        default=MODULE_TASKS,
        help=f"tasks in the no-op play of each module, section per_task (default {MODULE_TASKS})",
    )
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results.md"))
    parser.add_argument("--json", default=str(WORKDIR / "results.json"), help="the raw figures")
    parser.add_argument(
        "--only",
        default=",".join(name for name in SECTIONS if name not in ON_REQUEST),
        help="comma-separated sections: " + ", ".join(SECTIONS) + " (" + ", ".join(ON_REQUEST) + " only when named: make soak)",
    )
    parser.add_argument("--capabilities-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.capabilities_only:  # the capabilities section's own interpreter: figures as JSON on stdout
        print(json.dumps(compare_capabilities()))
        return 0
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}")

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from report import render  # pylint: disable=import-outside-toplevel

    sys.modules.setdefault("bench", sys.modules[__name__])  # bench_access imports this module as `bench`
    from bench_access import ACCESS_SECTIONS  # pylint: disable=import-outside-toplevel
    from bench_soak import SOAK_SECTIONS  # pylint: disable=import-outside-toplevel

    SECTION_CLASSES.update(ACCESS_SECTIONS)
    SECTION_CLASSES.update(SOAK_SECTIONS)

    WORKDIR.mkdir(parents=True, exist_ok=True)
    started = time.time()
    given = argv if argv is not None else sys.argv[1:]
    data: dict = {
        "command": " ".join(["python", "benchmarks/bench.py", *given]),
        "via_make": bool(os.environ.get("MAKELEVEL")),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "machine": machine(),
        "rounds_asked": args.rounds,
        "budget": args.budget,
        "load_before": os.getloadavg(),
        "sections": {},
    }
    with EmulatorProcess() as emulator:
        bench = Bench(emulator, WORKDIR, args.module_tasks)
        sections = [SECTION_CLASSES[name](bench) for name in only]
        spent: dict = {section.name: [] for section in sections}
        for section in sections:
            section.setup()
        for index in range(args.rounds):
            for section in sections:
                if index and not section.repeat:
                    continue
                if index and time.time() - started + max(spent[section.name]) > args.budget:
                    print(f"bench: {section.name}: no round {index + 1}, it would end after the {args.budget:.0f} s budget", flush=True)
                    continue
                section_start = time.time()
                section.round(index)
                section.rounds += 1
                spent[section.name].append(time.time() - section_start)
                print(f"bench: {section.name}, round {index + 1}: {spent[section.name][-1]:.0f} s", flush=True)
        for section in sections:
            data["sections"][section.name] = dict(
                section.result(), seconds=sum(spent[section.name]), measured=measured_by(data)
            )
    data["seconds"] = time.time() - started
    data["load_after"] = os.getloadavg()
    data["sections"] = with_earlier_sections(data["sections"], Path(args.json))
    Path(args.json).write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    Path(args.output).write_text(render(data), encoding="utf-8")
    print(f"bench: wrote {args.output} ({data['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
