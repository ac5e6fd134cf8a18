"""The secret-leak scan every playbook run of the integration suite goes through.

``find_leaks(output, secrets, tasks)`` counts, for every secret, its occurrences in the run's output (stdout and
stderr, every byte) and compares them with the occurrences the user asked for. The rule:

* A secret may appear only as the value of a result field that exists to return it, in the printed result of
  the task that asked for it: ``nonce`` of the ``session`` a ``dataops.iam.session`` task created, and
  ``password`` of the ``pg_user`` a ``dataops.iam.pg_user`` task created. Each such field allows one occurrence
  (the default callback prints a task's result, or each loop item's result, once).
* Nothing is allowed for a task with ``no_log`` (its result is not printed), nor anywhere else: not in module
  arguments or ``invocation``, warnings, error messages, diffs, tracebacks, or the output of other tasks.

The secrets come from the emulator (``GET /_emulator/secrets``: everything it seeded, received or issued),
plus any the test adds. Strings shorter than 6 characters are not scanned (they would match by chance).
A finding never prints the secret: the message shows where it was, with the secret replaced by ``<secret>``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

MIN_LENGTH = 6
#: (module, result key, field): the result fields that return a secret on purpose.
RETURNED_SECRETS = (("session", "session", "nonce"), ("pg_user", "pg_user", "password"))
REPORT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "output" / "reliability"
#: Set by conftest.py for one pytest session (its xdist workers inherit it): where the scans of that session go.
REPORT_DIR_ENV = "DATAOPS_IAM_LEAK_REPORT_DIR"


def allowed_occurrences(tasks: list) -> Counter:
    """How often each secret may appear: once per returned-secret field of a printed (not no_log) task result."""
    allowed: Counter = Counter()
    for task in tasks:
        if task.get("no_log"):
            continue
        action = str(task.get("action", "")).rsplit(".", 1)[-1]
        for module, key, field in RETURNED_SECRETS:
            if action == module:
                for value in _fields(task.get("result"), key, field):
                    allowed[value] += 1
    return allowed


def _fields(value, key: str, field: str) -> list:
    """Every ``value[...][key][field]`` string, at any depth (loop results nest under ``results``)."""
    found = []
    if isinstance(value, dict):
        inner = value.get(key)
        if isinstance(inner, dict) and isinstance(inner.get(field), str):
            found.append(inner[field])
        for item in value.values():
            if item is not inner:
                found.extend(_fields(item, key, field))
    elif isinstance(value, list):
        for item in value:
            found.extend(_fields(item, key, field))
    return found


def find_leaks(output: str, secrets: Iterable[str], tasks: list | None = None) -> list:
    """Every secret seen more often than allowed, as ``(kind of excess, context with the secret masked)``."""
    allowed = allowed_occurrences(tasks or [])
    leaks = []
    for secret in sorted({s for s in secrets if isinstance(s, str) and len(s) >= MIN_LENGTH}):
        count = output.count(secret)
        if count > allowed[secret]:
            leaks.append(
                "a secret appears %d time(s), %d allowed; first at: %s"
                % (count, allowed[secret], _context(output, secret))
            )
    return leaks


def _context(output: str, secret: str, width: int = 100) -> str:
    at = output.find(secret)
    text = output[max(0, at - width) : at + len(secret) + width]
    return repr(text.replace(secret, "<secret>"))


def report_dir() -> Path:
    return Path(os.environ.get(REPORT_DIR_ENV) or REPORT_ROOT / "leak-scan")


def record(kind: str, scanned_bytes: int, secrets: int, leaks: int = 0) -> None:
    """Append what one scan covered to this process's report (figures for docs/docsite/rst/reliability.rst)."""
    directory = report_dir()
    directory.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"kind": kind, "bytes": scanned_bytes, "secrets": secrets, "leaks": leaks})
    with open(directory / ("scans-%d.jsonl" % os.getpid()), "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def summary(directory: Path) -> dict:
    """What the scans recorded in ``directory`` covered: runs and bytes per kind, the largest secret list."""
    runs: Counter = Counter()
    scanned: Counter = Counter()
    largest = leaks = 0
    for path in sorted(directory.glob("scans-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            runs[entry["kind"]] += 1
            scanned[entry["kind"]] += entry["bytes"]
            largest = max(largest, entry["secrets"])
            leaks += entry.get("leaks", 0)
    return {"runs": dict(runs), "bytes": dict(scanned), "largest_secret_list": largest, "leaks": leaks}
