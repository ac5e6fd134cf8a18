"""`make soak` (bench.py ``--only soak``): a fault soak of at least 5,000 requests at 30% injected faults.

Rounds: each round changes a model (creates, replacements, deletes) of every kind the soak drives, writes one
playbook for it and applies it under faults: ``dataops.iam.access`` (groups and security categories), looped
``group``, ``security_category``, ``dss_group`` and ``dss_user`` tasks, ``dss_access`` and ``pg_user``. Every task
has ``ignore_errors``, so that each attempt exercises all of them; a task may fail only with a clear error (the
API's, no traceback), and the round is then run again, under faults, until no task fails (counted). After every
round the emulator's state must hold each wanted object exactly once, as wanted, nothing the model deleted, and no
old group of a replacement (soak_check.py); else the bench fails. Then, without faults, the last playbook again:
changed=0 and no write. Rounds continue until the emulator's request log has counted ``SOAK_REQUESTS`` requests
under faults. Nothing depends on how often the client retries. Figures: report_soak.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

import soak_check
from bench import ANSIBLE_PLAYBOOK, RECAP, REPO, BenchError, Section
from emulator.fault_mix import FAILURES, LATENCY, mix_rules
from soak_model import KINDS, REPLACED_KINDS, SEED, Model, live_objects, soak_play

#: Requests (the emulator's log) under faults before the soak stops; DATAOPS_IAM_BENCH_SOAK_REQUESTS for a quick run.
SOAK_REQUESTS = int(os.environ.get("DATAOPS_IAM_BENCH_SOAK_REQUESTS", "5000"))
MAX_ROUNDS = 60
#: Attempts of one round under faults before the soak gives up (each failure is a clear, retryable error).
MAX_ATTEMPTS = 6
RUN_TIMEOUT = 1200.0
RECORDER = REPO / "tests" / "integration" / "callback_plugins"
#: A failure message the soak accepts: an API's error (status, or the connection) as the modules word it.
CLEAR_FAILURE = re.compile(r"HTTP [45]\d\d |could not reach the API|connection|timed out", re.IGNORECASE)
UNCLEAR_OUTPUT = re.compile(r"Traceback \(most recent call last\)|An exception occurred during task execution")
# -- running -----------------------------------------------------------------------------------------------------


def fault_rules() -> list:
    """The fault mix (emulator/fault_mix.py), seeded."""
    return mix_rules(SEED)


def failed_results(records: list) -> list:
    """``(task, result)`` of every failed task, and of every failed item of a failed loop."""
    out = []
    for record in records:
        if record["status"] != "failed":
            continue
        items = record["result"].get("results")
        if isinstance(items, list):
            out += [(record["task"], item) for item in items if isinstance(item, dict) and item.get("failed")]
        else:
            out.append((record["task"], record["result"]))
    return out


def clear_failure(result: dict) -> bool:
    """A failure the soak accepts: the module's own message of an API error, no exception."""
    message, exception = result.get("msg"), result.get("exception")  # ansible-core 2.19 sets "(traceback unavailable)"
    if isinstance(exception, str) and UNCLEAR_OUTPUT.search(exception) or not isinstance(message, str):
        return False
    return bool(CLEAR_FAILURE.search(message)) and not UNCLEAR_OUTPUT.search(message)


def area(path: str) -> str:
    """Which API a request went to, for the figures."""
    if path.startswith("/public/api/"):
        return "DSS"
    if path.endswith("/oauth2/token") or "/token/inspect" in path:
        return "token"
    for part, name in (("/groups", "CDF groups"), ("/securitycategories", "security categories"), ("/sessions", "sessions + Postgres gateway"),
                       ("/postgresgateway", "sessions + Postgres gateway")):
        if part in path:
            return name
    return "other"


@dataclass
class Attempt:
    round: int
    seconds: float
    changed: int
    requests: list
    failures: list  # (task, message)
    unclear: list  # (task, message) of failures the soak does not accept


class Soak(Section):
    """Rounds of changes under 30% faults until SOAK_REQUESTS requests, each checked; then a faultless re-run."""

    name = "soak"
    repeat = False

    def setup(self) -> None:
        sys_path_collections()
        from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import flatten_capabilities  # pylint: disable=import-outside-toplevel

        self.flatten = flatten_capabilities
        self.workdir = self.bench.workdir / "soak"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.model = Model()
        self.attempts: list = []
        self.rounds_done: list = []  # per round: attempts, problems found
        self.problems: Counter = Counter()
        self.checks = 0
        self.replacements_checked = 0
        self.blind: list = []
        self.hits: Counter = Counter()
        self.final: dict = {}

    def run(self, round_index: int, path: Path) -> Attempt:
        record = self.workdir / "results.jsonl"
        record.unlink(missing_ok=True)
        env = dict(self.bench.env, ANSIBLE_CALLBACK_PLUGINS=str(RECORDER), ANSIBLE_CALLBACKS_ENABLED="record_results", RECORD_RESULTS_FILE=str(record))
        emulator = self.bench.emulator
        emulator.clear_log()
        start = time.perf_counter()
        try:
            completed = subprocess.run([ANSIBLE_PLAYBOOK, str(path), "-i", "localhost,"], cwd=self.workdir, env=env,
                                       capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"soak: round {round_index} did not finish within {RUN_TIMEOUT:.0f} s") from exc
        seconds = time.perf_counter() - start
        requests = emulator.requests()
        emulator.clear_log()
        output = completed.stdout + completed.stderr
        match = RECAP.search(completed.stdout)
        if completed.returncode != 0 or not match:
            tail = f"{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}"
            raise BenchError(f"soak: round {round_index}: ansible-playbook failed (rc={completed.returncode}):\n{tail}")
        records = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line.strip()] if record.exists() else []
        failures = [(task, str(result.get("msg", ""))[:400]) for task, result in failed_results(records)]
        unclear = [(task, str(result.get("msg", ""))[:2000]) for task, result in failed_results(records) if not clear_failure(result)]
        if UNCLEAR_OUTPUT.search(output):
            unclear.append(("(output)", UNCLEAR_OUTPUT.search(output).group(0)))
        return Attempt(round_index, seconds, int(match.group(2)), requests, failures, unclear)

    def check(self, label: str, replaced: dict, kept: dict) -> dict:
        live = live_objects(self.bench.emulator.state(), self.bench.emulator.project, self.flatten)
        problems = soak_check.check(self.model.wanted(self.flatten), live, self.model.managed(), replaced, kept)
        self.checks += 1
        for name, items in problems.items():
            self.problems[name] += len(items)
        self.replacements_checked += sum(len(ids) for names in replaced.values() for ids in names.values())
        found = {name: items for name, items in problems.items() if items}
        if found:
            dump = self.workdir / "failure.json"
            dump.write_text(json.dumps({"label": label, "problems": found, "live": live}, indent=1, default=str))
            raise BenchError(f"soak: {label}: " + "; ".join(f"{name}: {items[:5]}" for name, items in found.items()) + f" (all: {dump})")
        return live

    def round(self, index: int) -> None:
        emulator = self.bench.emulator
        self.bench.reset()
        defaults = self.bench.all_defaults()
        self.rules = emulator.inject_all(fault_rules())
        self.failure_ids = {rule["id"] for rule in self.rules[: len(FAILURES)]}
        self.labels = {rule["id"]: label for (label, _share, _rule), rule in zip(FAILURES + [LATENCY], self.rules, strict=True)}
        live: dict = {}
        total = 0
        started = time.perf_counter()
        try:
            while total < SOAK_REQUESTS and self.model.round < MAX_ROUNDS:
                before = live
                self.model.step()
                number_ = self.model.round
                changed = {kind: self.model.kinds[kind].changed for kind in REPLACED_KINDS}
                unchanged = {kind: set(self.model.kinds[kind].present) - changed[kind] for kind in REPLACED_KINDS}
                replaced = soak_check.ids_by_name(before, REPLACED_KINDS, changed)
                kept = soak_check.ids_by_name(before, REPLACED_KINDS, unchanged)
                path = self.workdir / f"round-{number_:02d}.yml"
                path.write_text(yaml.safe_dump(soak_play(defaults, self.model.items()), sort_keys=False))
                attempts = []
                while True:
                    attempt = self.run(number_, path)
                    attempts.append(attempt)
                    total += len(attempt.requests)
                    self.count(attempt)
                    if attempt.unclear:
                        raise BenchError(f"soak: round {number_}: failures without a clear API error: {attempt.unclear[:3]}")
                    if not attempt.failures:
                        break
                    if len(attempts) >= MAX_ATTEMPTS:
                        raise BenchError(f"soak: round {number_} still failed after {MAX_ATTEMPTS} attempts: {attempt.failures[:5]}")
                live = self.check(f"round {number_}", replaced, kept)
                self.rounds_done.append({"round": number_, "attempts": len(attempts), "requests": sum(len(a.requests) for a in attempts),
                                         "seconds": sum(a.seconds for a in attempts), "objects": sum(len(v) for v in live.values())})
                print(f"bench: soak round {number_}: {len(attempts)} attempt(s), {total} requests so far", flush=True)
            self.faulty_seconds = time.perf_counter() - started
            self.fault_stats = emulator.faults()
        finally:
            emulator.clear_faults()
        rerun = self.run(self.model.round, path)
        writes = [entry for entry in rerun.requests if entry["write"]]
        if rerun.failures or rerun.changed or writes:
            raise BenchError(f"soak: the faultless re-run: changed={rerun.changed}, {len(writes)} writes, failures {rerun.failures[:3]}")
        self.check("the faultless re-run", {}, {})
        self.final = {"changed": rerun.changed, "writes": len(writes), "requests": len(rerun.requests), "seconds": round(rerun.seconds, 1)}

    def count(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        self.blind += soak_check.blind_creates(attempt.requests, self.failure_ids)
        for entry in attempt.requests:
            if entry["fault"] in self.labels:
                self.hits[self.labels[entry["fault"]]] += 1

    def result(self) -> dict:
        requests = [entry for attempt in self.attempts for entry in attempt.requests]
        failed = sum(self.hits[label] for label, _share, _rule in FAILURES)
        after = {rule["id"] for rule in self.rules if rule.get("after")}
        failed_tasks = [failure for attempt in self.attempts for failure in attempt.failures]
        by_area: dict = {}
        for entry in requests:
            figures = by_area.setdefault(area(entry["path"]), {"requests": 0, "writes": 0, "failed": 0})
            figures["requests"] += 1
            figures["writes"] += int(entry["write"])
            figures["failed"] += int(entry["fault"] in self.failure_ids)
        return {
            "seed": SEED,
            "target_requests": SOAK_REQUESTS,
            "requests": len(requests),
            "writes": sum(1 for entry in requests if entry["write"]),
            "failed_requests": failed,
            "failed_share": round(failed / max(1, len(requests)), 3),
            "faults": {label: self.hits[label] for label, _share, _rule in FAILURES + [LATENCY]},
            "fault_shares": {label: share for label, share, _rule in FAILURES + [LATENCY]},
            "writes_that_took_effect_behind_an_error": sum(1 for entry in requests if entry["write"] and entry["fault"] in after),
            "by_area": by_area,
            "soak_rounds": len(self.rounds_done),
            "attempts": len(self.attempts),
            "reruns_needed": len(self.attempts) - len(self.rounds_done),
            "rounds_rerun": sum(1 for r in self.rounds_done if r["attempts"] > 1),
            "failed_tasks": len(failed_tasks),
            "failed_by_task": dict(Counter(task for task, _msg in failed_tasks)),
            "failure_examples": sorted({msg for _task, msg in failed_tasks})[:12],
            "checks": self.checks,
            "replacements_checked": self.replacements_checked,
            **{name: self.problems[name] for name in ("duplicates", "lost", "stale", "half_replaced", "needless_replacements")},
            "blind_creates": len(self.blind),
            "blind_create_paths": dict(Counter(path for _method, path in self.blind)),
            "rounds_detail": self.rounds_done,
            "objects_last_round": self.rounds_done[-1]["objects"] if self.rounds_done else 0,
            "kinds": {kind: {"size": s[1], "deletes": s[2], "changes": s[3], "creates": s[4]} for kind, s in KINDS.items()},
            "seconds_under_faults": round(self.faulty_seconds, 1),
            "rerun": self.final,
        }


def sys_path_collections() -> None:
    """The collection's own module_utils, as bench_access.py imports them."""
    collections = str(REPO / ".tmp" / "collections")
    if collections not in sys.path:
        sys.path.append(collections)


SOAK_SECTIONS = {Soak.name: Soak}
