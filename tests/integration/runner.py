"""Run real ansible-playbook processes against the emulator and read back what each task did."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from leakscan import find_leaks
from leakscan import record as record_scan

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COLLECTIONS_PATH = Path(os.environ.get("DATAOPS_IAM_COLLECTIONS_PATH", REPO / ".tmp" / "collections"))
ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
#: Verbosity of every run that does not ask for more (``make integration`` sets 4: each run is also a leak scan
#: of the most verbose output).
DEFAULT_VERBOSITY = int(os.environ.get("DATAOPS_IAM_TEST_VERBOSITY") or 0)
#: Where run_playbook gets the secrets to scan for when not given any: conftest.py puts the test's emulator's
#: ``secrets`` under "current" for each test that uses an emulator.
SECRET_SOURCE: dict = {}
#: Environment variables a test passes whose values are secrets (scanned too, even if no request carried them);
#: a URL is not one (IDP_TOKEN_URL).
SECRET_NAME = re.compile(r"^(?!.*_URL$).*(SECRET|PASSWORD|TOKEN|API_KEY|NONCE)|^KEY$", re.IGNORECASE)
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
#: Where the collection's module code runs in these playbook runs: ``worker`` (the default: as ansible-playbook
#: runs it on the controller, in Ansible's worker through plugins/action/<module>.py) or ``module`` (a module
#: process per task: every run gets ``dataops_iam_in_worker: false`` as an extra var, unless the test sets that
#: variable itself). ``make integration-module-path`` runs the tests marked ``both_paths`` this way.
EXECUTION_ENV = "DATAOPS_IAM_EXECUTION"
EXECUTION = os.environ.get(EXECUTION_ENV) or "worker"
if EXECUTION not in ("worker", "module"):
    raise SystemExit(f"{EXECUTION_ENV}={EXECUTION!r}: use worker or module")
IN_WORKER_VAR = "dataops_iam_in_worker"
#: What ansible-playbook prints at -vvv for each task that runs a module process (ActionBase._execute_module).
MODULE_FILE = re.compile(r"Using module file \S*/plugins/modules/(\w+)\.py")


@dataclass
class PlaybookRun:
    """One ansible-playbook run: its exit code, output, per-task results and recap."""

    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)

    @property
    def results(self) -> list:
        return [task["result"] for task in self.tasks]

    def result(self, name: str) -> dict:
        """The result of the one task called ``name``."""
        found = [task["result"] for task in self.tasks if task["task"] == name]
        assert len(found) == 1, f"expected one result for task {name!r}, got {len(found)}: {self.stdout}"
        return found[0]

    @property
    def recap(self) -> dict:
        match = RECAP.search(self.stdout)
        assert match, f"no PLAY RECAP in output:\n{self.stdout}\n{self.stderr}"
        ok, changed, unreachable, failed = map(int, match.groups()[1:])
        return {"ok": ok, "changed": changed, "unreachable": unreachable, "failed": failed}

    def ok(self) -> "PlaybookRun":
        assert self.rc == 0, f"ansible-playbook failed (rc={self.rc}):\n{self.stdout}\n{self.stderr}"
        return self


def connection_vars(emulator, client_id: str = "admin", client_secret: str = "admin-secret") -> dict:
    """module_defaults for the CDF action group, pointing at the emulator."""
    return {
        "base_url": emulator.url,
        "project": emulator.project,
        "token_url": f"{emulator.url}/oauth2/token",
        "client_id": client_id,
        "client_secret": client_secret,
    }


def play(
    tasks: list,
    *,
    module_defaults: dict | None = None,
    play_vars: dict | None = None,
    name: str = "dataops.iam integration test",
) -> list:
    """A one-play playbook on localhost with the controller's Python (benchmarks/bench.py builds its plays with it)."""
    vars_ = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    vars_.update(play_vars or {})
    return [
        {
            "name": name,
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": vars_,
            "module_defaults": module_defaults or {},
            "tasks": tasks,
        }
    ]


def execution_vars(playbook: Path, extra_vars: dict | None) -> dict | None:
    """``extra_vars`` with ``dataops_iam_in_worker: false`` on the module path (``EXECUTION``), unless the run sets
    that variable itself (an extra var, or anywhere in the playbook: play vars, task vars, a test's own switch)."""
    if EXECUTION != "module" or IN_WORKER_VAR in (extra_vars or {}) or IN_WORKER_VAR in playbook.read_text():
        return extra_vars
    return {**(extra_vars or {}), IN_WORKER_VAR: False}


def check_module_processes(run: "PlaybookRun") -> None:
    """On the module path, that every dataops.iam task that gave a module's result did run a module process (from
    what ansible-playbook prints at -vvv and more): the switch is never silently ignored."""
    ran = {
        str(task["action"]).rpartition(".")[2]
        for task in run.tasks
        if str(task.get("action", "")).startswith("dataops.iam.")
        and isinstance(task.get("result"), dict)
        and "changed" in task["result"]
        and not task["result"].get("skipped")
        and task.get("status") != "skipped"  # skipped by its `when`: ansible-core 2.19 may leave "skipped" out
    }
    missing = ran - set(MODULE_FILE.findall(run.stdout))
    assert not missing, f"{EXECUTION_ENV}=module, but these modules ran no module process: {sorted(missing)}\n{run.stdout}"


def playbook_environment(workdir: Path, record: Path) -> dict:
    """The environment of a test's ansible-playbook: this checkout's collection, the results recorder writing to
    ``record``, no colours, no retry files, Ansible's own files under ``workdir``."""
    environment = dict(os.environ)
    environment.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_PATH),
            "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "record_results",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
            "ANSIBLE_HOME": str(workdir / "ansible-home"),
            "RECORD_RESULTS_FILE": str(record),
        }
    )
    return environment


def run_playbook(
    playbook: list | str | Path,
    workdir: Path,
    *,
    check: bool = False,
    diff: bool = False,
    verbosity: int = 0,
    extra_vars: dict | None = None,
    env: dict | None = None,
    timeout: int = 300,
    secrets: Callable[[], Iterable[str]] | None = None,
    report_scan: bool = True,
) -> PlaybookRun:
    """Run ``playbook`` (a YAML structure or a path) and return what happened.

    Every byte of the output is scanned afterwards for the secrets of ``secrets`` (default: the emulator of the
    running test, see conftest.py), and of ``env`` variables named like secrets (see leakscan.py); the run fails
    the test if one appears where the user did not ask for it.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    if isinstance(playbook, (str, Path)) and Path(playbook).exists():
        path = Path(playbook)
    else:
        path = workdir / "playbook.yml"
        path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    given_vars = extra_vars
    extra_vars = execution_vars(path, extra_vars)
    record = workdir / "results.jsonl"
    if record.exists():
        record.unlink()
    command = [ANSIBLE_PLAYBOOK, str(path), "-i", "localhost,"]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    verbosity = max(verbosity, DEFAULT_VERBOSITY)
    if verbosity:
        command.append("-" + "v" * verbosity)
    if extra_vars:
        # From a file: at -vvv and more ansible-playbook prints its command line, extra vars (secrets too) included.
        extra_vars_file = workdir / "extra_vars.json"
        extra_vars_file.write_text(json.dumps(extra_vars))
        command += ["-e", f"@{extra_vars_file}"]
    environment = playbook_environment(workdir, record)
    environment.update(env or {})
    environment.pop("ANSIBLE_DEBUG", None)  # the scan is about what a user sees; ANSIBLE_DEBUG dumps everything
    completed = subprocess.run(
        command, cwd=workdir, env=environment, capture_output=True, text=True, timeout=timeout, check=False
    )
    tasks = []
    if record.exists():
        tasks = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
    run = PlaybookRun(completed.returncode, completed.stdout, completed.stderr, tasks)
    if extra_vars is not given_vars and verbosity >= 3:
        check_module_processes(run)
    secrets = secrets or SECRET_SOURCE.get("current")
    if secrets is not None:
        known = list(secrets()) + [value for name, value in (env or {}).items() if SECRET_NAME.search(name)]
        output = run.stdout + run.stderr
        leaks = find_leaks(output, known)
        if report_scan:  # False for the tests that leak on purpose, so the suite's figures count real leaks only
            record_scan("ansible-playbook", len(output.encode()), len(known), len(leaks))
        assert not leaks, "secrets leaked in the ansible-playbook output (-%s):\n%s" % ("v" * verbosity, "\n".join(leaks))
    return run
