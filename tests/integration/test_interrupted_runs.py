"""Interrupted runs: ``ansible-playbook`` killed (SIGKILL, its whole process group) between the create and the delete
of a replacement, with ``group`` and with ``access`` batches, and the emulator killed and restarted on its state file
while a request is in flight. Each time: no group is lost, and the next run finishes the job or says exactly what is
left and which option finishes it. A ``hold`` fault rule (emulator/server/faults.py) parks the request to interrupt;
the test waits until the emulator holds it, then kills. A held request whose client is gone never runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from emulator.process import EmulatorProcess
from leakscan import REPORT_ROOT, find_leaks
from leakscan import record as record_scan
from runner import (
    ANSIBLE_PLAYBOOK,
    DEFAULT_VERBOSITY,
    EXECUTION,
    PlaybookRun,
    connection_vars,
    execution_vars,
    play,
    playbook_environment,
    run_playbook,
)

GROUPS = "/api/v1/projects/demo/groups"
DELETE = GROUPS + "/delete"
OLD = [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]
NEW = [{"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}]
#: How long a run may take to reach the held request (ansible-playbook's start, a token, the reads, the create).
REACH_TIMEOUT = 120.0
#: What each scenario left and what the next runs did: written to tests/output/reliability/interrupted-runs.json
#: (interrupted-runs-module.json on the module path).
FIGURES: list = []


def children_of() -> dict:
    """Parent pid -> child pids of every process on the machine (from /proc)."""
    children: dict = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def process_tree(root: int) -> list:
    """``root`` and every process below it."""
    children, tree, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def signal_all(pids: list, sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


@dataclass
class Started:
    """An ansible-playbook process started in a session of its own."""

    process: subprocess.Popen
    workdir: Path
    started_at: float

    def kill(self) -> float:
        """SIGKILL ansible-playbook and every process under it, as a CI job's cancel or an OOM kill of the job does.
        Its process group is not enough: Ansible's workers run in sessions of their own (``os.setsid`` in
        WorkerProcess), so the tree is stopped (SIGSTOP, until no new process appears), then killed. Returns the
        seconds the run had been going."""
        elapsed = time.monotonic() - self.started_at
        tree: list = []
        while True:
            found = process_tree(self.process.pid)
            signal_all(found, signal.SIGSTOP)
            if sorted(found) == sorted(tree):
                break
            tree = found
        signal_all(tree, signal.SIGKILL)
        self.process.wait(30)
        deadline = time.monotonic() + 10
        while any(Path("/proc/%d" % pid).exists() and "Z" not in proc_state(pid) for pid in tree):
            assert time.monotonic() < deadline, "processes of the killed run are still there"
            time.sleep(0.05)
        return elapsed

    def output(self) -> str:
        return (self.workdir / "stdout.txt").read_text() + (self.workdir / "stderr.txt").read_text()

    def finish(self, timeout: float = 300) -> PlaybookRun:
        """Wait for the run to end by itself; what it did."""
        rc = self.process.wait(timeout)
        record = self.workdir / "results.jsonl"
        tasks = [json.loads(line) for line in record.read_text().splitlines() if line.strip()] if record.exists() else []
        return PlaybookRun(rc, (self.workdir / "stdout.txt").read_text(), (self.workdir / "stderr.txt").read_text(), tasks)


def proc_state(pid: int) -> str:
    try:
        return Path("/proc/%d/stat" % pid).read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "Z"


def start_playbook(tasks: list, emulator: EmulatorProcess, workdir: Path) -> Started:
    """``runner.run_playbook``'s command and environment, started in the background (``start_new_session``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "playbook.yml"
    path.write_text(yaml.safe_dump(play(tasks, module_defaults=defaults(emulator)), sort_keys=False))
    command = [ANSIBLE_PLAYBOOK, str(path), "-i", "localhost,"]
    if DEFAULT_VERBOSITY:
        command.append("-" + "v" * DEFAULT_VERBOSITY)
    extra_vars = execution_vars(path, None)
    if extra_vars:
        (workdir / "extra_vars.json").write_text(json.dumps(extra_vars))
        command += ["-e", "@%s" % (workdir / "extra_vars.json")]
    environment = playbook_environment(workdir, workdir / "results.jsonl")
    environment.update(SECRET_ENV)
    environment.pop("ANSIBLE_DEBUG", None)
    with (workdir / "stdout.txt").open("wb") as out, (workdir / "stderr.txt").open("wb") as err:
        process = subprocess.Popen(
            command, cwd=workdir, env=environment, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Started(process, workdir, time.monotonic())


def scan(output: str, secrets: list) -> None:
    """The leak scan of runner.run_playbook, for a run this module started itself."""
    leaks = find_leaks(output, secrets)
    record_scan("ansible-playbook", len(output.encode()), len(secrets), len(leaks))
    assert not leaks, "secrets leaked in the killed run's output:\n" + "\n".join(leaks)


#: The client secret reaches the plays from the environment: Ansible's error context prints the failing task's
#: source, module_defaults included, and a literal secret would be in the output.
SECRET_ENV = {"TEST_CDF_CLIENT_SECRET": "admin-secret"}


def defaults(emulator: EmulatorProcess) -> dict:
    connection = dict(connection_vars(emulator), client_secret="{{ lookup('ansible.builtin.env', 'TEST_CDF_CLIENT_SECRET') }}")
    return {"group/dataops.iam.cdf": connection}


def group_task(**options) -> dict:
    options.setdefault("capabilities", NEW)
    return {"name": "replace", "dataops.iam.group": {"name": "team", "source_id": "idp-team", **options}}


def access_task(**options) -> dict:
    model = [
        {"name": "alpha", "source_id": "idp-alpha", "capabilities": NEW},
        {"name": "beta", "source_id": "idp-beta", "capabilities": NEW},
        {"name": "gamma", "source_id": "idp-gamma", "capabilities": NEW},
        {"name": "delta", "state": "absent"},
    ]
    return {"name": "model", "dataops.iam.access": {"groups": model, **options}}


def writes(emulator: EmulatorProcess, since: int = 0) -> list:
    return [(entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in emulator.writes(since)]


def last_seq(emulator: EmulatorProcess) -> int:
    return max((entry["seq"] for entry in emulator.requests()), default=0)


def wait_dropped(emulator: EmulatorProcess, rule_id: int) -> None:
    """Until the emulator has seen the killed client go away (the held request dropped, unrun)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if next(rule for rule in emulator.faults() if rule["id"] == rule_id)["held"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("the held request is still held after its client was killed")


def by_name(cdf, name: str) -> list:
    return sorted(cdf.groups(name), key=lambda group: group["id"])


def is_model(group: dict, source_id: str) -> bool:
    return group["capabilities"] == NEW and group.get("sourceId") == source_id


@pytest.fixture(scope="module", autouse=True)
def figures_report():
    """After the module: the figures its tests recorded, for the reliability page."""
    yield
    if FIGURES:
        REPORT_ROOT.mkdir(parents=True, exist_ok=True)
        name = "interrupted-runs.json" if EXECUTION == "worker" else "interrupted-runs-%s.json" % EXECUTION
        (REPORT_ROOT / name).write_text(json.dumps(FIGURES, indent=1) + "\n")


@pytest.mark.both_paths
def test_group_killed_between_the_create_and_the_delete_of_a_replacement(run, cdf, clean_emulator, tmp_path):
    old = cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    hold = clean_emulator.inject(method="POST", path=DELETE, hold=True)
    started = start_playbook([group_task()], clean_emulator, tmp_path / "killed")
    clean_emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    assert writes(clean_emulator) == [("groups", 201)], "the new group was created, the delete is held"
    ran_for = started.kill()
    wait_dropped(clean_emulator, hold["id"])
    clean_emulator.clear_faults()
    scan(started.output(), clean_emulator.secrets())
    assert writes(clean_emulator) == [("groups", 201), ("delete", 0)], "the held delete never ran"
    left = by_name(cdf, "team")
    assert [group["id"] for group in left][0] == old["id"] and len(left) == 2, "no group lost: old and new"
    new = left[1]
    assert left[0]["capabilities"] == OLD and is_model(new, "idp-team"), "the new group is the model's"

    since = last_seq(clean_emulator)
    refused = run([group_task()])
    message = refused.result("replace")["msg"]
    assert refused.rc != 0 and writes(clean_emulator, since) == [], "refused before any write"
    assert "2 groups are named 'team' (ids %s, %s)" % (old["id"], new["id"]) in message, message
    assert "group %s matches this task and %s does not" % (new["id"], old["id"]) in message, message
    assert "interrupted" in message and "on_duplicates: consolidate" in message, message
    assert "keeps %s and deletes %s" % (new["id"], old["id"]) in message, message

    since = last_seq(clean_emulator)
    finished = run([group_task(on_duplicates="consolidate")]).ok().result("replace")
    assert finished["changed"] is True and finished["group"]["id"] == new["id"]
    assert finished["deleted_ids"] == [old["id"]]
    assert writes(clean_emulator, since) == [("delete", 200)], "only the delete that was left"
    [kept] = by_name(cdf, "team")
    assert kept["id"] == new["id"] and is_model(kept, "idp-team")
    assert run([group_task()]).ok().recap["changed"] == 0
    FIGURES.append(
        "group: killed %.1f s into the run with the new group %s created and the delete of %s held; left 2 groups "
        "'team' (old, model's); next run refused with 0 writes; on_duplicates: consolidate finished with 1 write "
        "(the delete); then changed=0" % (ran_for, new["id"], old["id"])
    )


def test_a_kill_of_the_process_group_alone_leaves_the_worker_to_finish_the_task(cdf, clean_emulator, tmp_path):
    """``kill -9 -<pgid>`` of ansible-playbook (not its whole tree): Ansible's worker runs in a session of its own
    (``os.setsid`` in WorkerProcess), is not killed, and finishes the replacement once the delete is answered."""
    old = cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    hold = clean_emulator.inject(method="POST", path=DELETE, hold=True)
    started = start_playbook([group_task()], clean_emulator, tmp_path / "killed")
    clean_emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    tree = process_tree(started.process.pid)
    os.killpg(started.process.pid, signal.SIGKILL)
    started.process.wait(30)
    orphans = [pid for pid in tree if pid != started.process.pid and proc_state(pid) != "Z"]
    assert orphans, "the worker outlives ansible-playbook's process group"
    assert clean_emulator.faults()[0]["held"] == 1, "the delete is still held: its client, the worker, is alive"
    clean_emulator.release(hold["id"])
    deadline = time.monotonic() + 30
    while any(proc_state(pid) != "Z" for pid in orphans) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(proc_state(pid) == "Z" for pid in orphans), "the orphaned worker ends after its task"
    scan(started.output(), clean_emulator.secrets())
    assert writes(clean_emulator) == [("groups", 201), ("delete", 200)], "the worker finished the replacement"
    [group] = by_name(cdf, "team")
    assert group["id"] != old["id"] and is_model(group, "idp-team")
    FIGURES.append(
        "group: ansible-playbook's process group killed (SIGKILL) with the delete held: its worker (own session) "
        "ran on and, once the delete was released, finished the replacement (1 group, the model's)"
    )


def test_access_killed_between_its_create_batch_and_its_delete_batch(run, cdf, clean_emulator, tmp_path):
    olds = {name: cdf.create_group(name=name, sourceId="idp-" + name, capabilities=OLD) for name in ("alpha", "beta")}
    delta = cdf.create_group(name="delta", sourceId="idp-delta", capabilities=OLD)
    clean_emulator.clear_log()
    hold = clean_emulator.inject(method="POST", path=DELETE, hold=True)
    started = start_playbook([access_task()], clean_emulator, tmp_path / "killed")
    clean_emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    [create] = [entry for entry in clean_emulator.writes() if entry["path"] == GROUPS]
    assert create["status"] == 201 and [item["name"] for item in create["body"]["items"]] == ["alpha", "beta", "gamma"]
    ran_for = started.kill()
    wait_dropped(clean_emulator, hold["id"])
    clean_emulator.clear_faults()
    scan(started.output(), clean_emulator.secrets())
    assert writes(clean_emulator) == [("groups", 201), ("delete", 0)]
    news = {}
    for name, old in olds.items():
        left = by_name(cdf, name)
        assert len(left) == 2 and left[0]["id"] == old["id"] and left[0]["capabilities"] == OLD, "no group lost"
        assert is_model(left[1], "idp-" + name)
        news[name] = left[1]["id"]
    assert [is_model(group, "idp-gamma") for group in by_name(cdf, "gamma")] == [True]
    assert [group["id"] for group in by_name(cdf, "delta")] == [delta["id"]], "the delete of delta was held too"

    since = last_seq(clean_emulator)
    refused = run([access_task()])
    message = refused.result("model")["msg"]
    assert refused.rc != 0 and writes(clean_emulator, since) == [] and "Nothing was changed" in message, message
    for name, old in olds.items():
        assert "2 groups are named %r (ids %s, %s" % (name, old["id"], news[name]) in message, message
        assert "group %s matches the model and %s does not" % (news[name], old["id"]) in message, message
    assert "interrupted" in message and "on_duplicates: consolidate" in message, message

    since = last_seq(clean_emulator)
    finished = run([access_task(on_duplicates="consolidate")]).ok().result("model")
    assert sorted(finished["deleted_ids"]) == sorted([olds["alpha"]["id"], olds["beta"]["id"], delta["id"]])
    assert writes(clean_emulator, since) == [("delete", 200)], "one delete batch: what the killed run left"
    for name in ("alpha", "beta", "gamma"):
        [group] = by_name(cdf, name)
        assert is_model(group, "idp-" + name) and group["id"] == news.get(name, group["id"])
    assert by_name(cdf, "delta") == []
    assert run([access_task()]).ok().recap["changed"] == 0
    FIGURES.append(
        "access: killed %.1f s into the run with its create batch (3 groups) done and its delete batch (3 ids) held; "
        "left alpha and beta twice (old, model's), gamma created, delta not deleted; next run refused with 0 writes; "
        "on_duplicates: consolidate finished with 1 write (one delete batch of 3); then changed=0" % ran_for
    )


def test_access_killed_while_its_create_batch_is_held(run, cdf, clean_emulator, tmp_path):
    olds = {name: cdf.create_group(name=name, sourceId="idp-" + name, capabilities=OLD) for name in ("alpha", "beta")}
    delta = cdf.create_group(name="delta", sourceId="idp-delta", capabilities=OLD)
    clean_emulator.clear_log()
    hold = clean_emulator.inject(method="POST", path=GROUPS, hold=True)
    started = start_playbook([access_task()], clean_emulator, tmp_path / "killed")
    clean_emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    ran_for = started.kill()
    wait_dropped(clean_emulator, hold["id"])
    clean_emulator.clear_faults()
    scan(started.output(), clean_emulator.secrets())
    assert writes(clean_emulator) == [("groups", 0)], "the held create never ran, nothing else was sent"
    for name, old in olds.items():
        assert [group["id"] for group in by_name(cdf, name)] == [old["id"]]
    assert by_name(cdf, "gamma") == [] and [g["id"] for g in by_name(cdf, "delta")] == [delta["id"]]

    since = last_seq(clean_emulator)
    finished = run([access_task()]).ok().result("model")
    assert writes(clean_emulator, since) == [("groups", 201), ("delete", 200)], "the plain next run does it all"
    assert sorted(finished["deleted_ids"]) == sorted([olds["alpha"]["id"], olds["beta"]["id"], delta["id"]])
    for name in ("alpha", "beta", "gamma"):
        [group] = by_name(cdf, name)
        assert is_model(group, "idp-" + name)
    assert run([access_task()]).ok().recap["changed"] == 0
    FIGURES.append(
        "access: killed %.1f s into the run with its create batch held; left the project as it was; the plain next "
        "run converged with 2 writes (create batch, delete batch); then changed=0" % ran_for
    )


# -- the emulator killed and restarted on its state file while a request is held -----------------------------------


class Restartable:
    """An emulator with a state file that a test kills (SIGKILL) and starts again on the same port."""

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self.emulator = EmulatorProcess(state_file).start()
        self.port = urlsplit(self.emulator.url).port
        #: Every secret of every life of the emulator (the secrets list lives in memory only).
        self.secrets: set = set(self.emulator.secrets())
        self.outputs: list = []
        self.stopped_at = self.down_for = 0.0

    def kill(self) -> None:
        self.secrets.update(self.emulator.secrets())
        self.outputs.append(self.emulator.output())
        self.stopped_at = time.monotonic()
        self.emulator.kill()

    def start(self) -> None:
        self.emulator = EmulatorProcess(self.state_file, port=self.port).start()
        self.down_for = time.monotonic() - self.stopped_at

    def restart(self) -> None:
        self.kill()
        self.start()

    def all_secrets(self) -> list:
        self.secrets.update(self.emulator.secrets())
        return sorted(self.secrets)

    def groups(self, name: str) -> list:
        token = self.emulator.admin_token()
        response = self.emulator.http.get(
            "/api/v1/projects/demo/groups", params={"all": "true"}, headers={"Authorization": "Bearer " + token}
        )
        return sorted((g for g in response.raise_for_status().json()["items"] if g["name"] == name), key=lambda g: g["id"])

    def create_group(self, **group) -> dict:
        token = self.emulator.admin_token()
        response = self.emulator.http.post(
            "/api/v1/projects/demo/groups", json={"items": [group]}, headers={"Authorization": "Bearer " + token}
        )
        return response.raise_for_status().json()["items"][0]

    def run(self, tasks: list, workdir: Path) -> PlaybookRun:
        playbook = play(tasks, module_defaults=defaults(self.emulator))
        return run_playbook(playbook, workdir, secrets=self.all_secrets, env=SECRET_ENV)

    def close(self) -> None:
        output = "".join(self.outputs) + self.emulator.output()
        leaks = find_leaks(output, self.all_secrets())
        record_scan("emulator", len(output.encode()), len(self.secrets), len(leaks))
        self.emulator.stop()
        assert not leaks, "secrets leaked in the emulator's output:\n" + "\n".join(leaks)


@pytest.fixture
def restartable(tmp_path):
    emulator = Restartable(tmp_path / "state.json")
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.mark.parametrize("restart", ["at once", "after the run ended"])
def test_group_run_meets_an_emulator_restart_while_its_delete_is_held(restartable, tmp_path, restart):
    """Started again at once, the emulator is back within the run's retries (a refused connection: 3 attempts, up to
    3.5 s of backoff), most often; started after the run ended, it never is: then the run fails, saying so."""
    old = restartable.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    restartable.emulator.clear_log()
    hold = restartable.emulator.inject(method="POST", path=DELETE, hold=True)
    started = start_playbook([group_task()], restartable.emulator, tmp_path / "restarted")
    restartable.emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    assert writes(restartable.emulator) == [("groups", 201)]
    if restart == "at once":
        restartable.restart()
        run = started.finish()
    else:
        restartable.kill()
        run = started.finish()
        restartable.start()
        assert run.rc != 0, "nothing answered the run's retries"
    scan(run.stdout + run.stderr, restartable.all_secrets())
    result = run.result("replace")
    left = restartable.groups("team")
    new = next(group for group in left if group["id"] != old["id"])
    assert is_model(new, "idp-team"), "the group created before the restart is in the restarted emulator"
    if run.rc == 0:
        outcome = "succeeded via retry"
        assert result["changed"] is True and result["group"]["id"] == new["id"] and result["deleted_ids"] == [old["id"]]
        assert [group["id"] for group in left] == [new["id"]]
        finish = [group_task()]
    else:
        outcome = "failed"
        message = result["msg"]
        assert "the new group %s was created; the delete of the old group %s may or may not have taken effect (its " \
            "answer was lost)" % (new["id"], old["id"]) in message, message
        assert "could not reach the API" in message and "on_duplicates: consolidate" in message, message
        assert [group["id"] for group in left] == [old["id"], new["id"]], "no group lost"
        finish = [group_task(on_duplicates="consolidate")]
    since = last_seq(restartable.emulator)
    restartable.run(finish, tmp_path / "next").ok()
    next_writes = writes(restartable.emulator, since)
    assert [group["id"] for group in restartable.groups("team")] == [new["id"]]
    assert restartable.run([group_task()], tmp_path / "again").ok().recap["changed"] == 0
    FIGURES.append(
        "group: the emulator killed with the delete held and started again %s on its state file (down %.2f s); the "
        "run %s (rc %d); state kept (the new group %s); the next run made %d write(s), then changed=0"
        % (restart, restartable.down_for, outcome, run.rc, new["id"], len(next_writes))
    )


def test_access_run_meets_an_emulator_restart_while_its_create_batch_is_held(restartable, tmp_path):
    olds = {name: restartable.create_group(name=name, sourceId="idp-" + name, capabilities=OLD) for name in ("alpha", "beta")}
    delta = restartable.create_group(name="delta", sourceId="idp-delta", capabilities=OLD)
    gone = sorted([olds["alpha"]["id"], olds["beta"]["id"], delta["id"]])
    hold = restartable.emulator.inject(method="POST", path=GROUPS, hold=True)
    started = start_playbook([access_task()], restartable.emulator, tmp_path / "restarted")
    restartable.emulator.wait_held(hold["id"], timeout=REACH_TIMEOUT)
    restartable.restart()
    run = started.finish()
    scan(run.stdout + run.stderr, restartable.all_secrets())
    result = run.result("model")
    if run.rc == 0:
        outcome = "succeeded via retry"
        assert result["changed"] is True and sorted(result["deleted_ids"]) == gone
    else:
        outcome = "failed"
        message = result["msg"]
        assert "could not reach the API" in message and "run the task again" in message, message
        assert "this read was to check a write whose answer was lost (POST " in message, message
        assert "may or may not have taken effect" in message, message
        for name, old in olds.items():
            assert [group["id"] for group in restartable.groups(name)] == [old["id"]], "nothing lost, nothing made"
    since = last_seq(restartable.emulator)
    again = restartable.run([access_task()], tmp_path / "next").ok()
    next_writes = writes(restartable.emulator, since)
    for name in ("alpha", "beta", "gamma"):
        [group] = restartable.groups(name)
        assert is_model(group, "idp-" + name)
    assert restartable.groups("delta") == []
    assert restartable.run([access_task()], tmp_path / "again").ok().recap["changed"] == 0
    FIGURES.append(
        "access: the emulator killed with the create batch held and started again on its state file (down %.2f s); "
        "the run %s (rc %d); the next run made %d write(s) (changed=%s), then changed=0"
        % (restartable.down_for, outcome, run.rc, len(next_writes), again.recap["changed"])
    )
