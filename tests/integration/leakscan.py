"""The secret-leak scan every playbook run of the integration suite goes through.

``find_leaks(output, secrets)`` counts, for every secret, its occurrences in the run's output (stdout and stderr,
every byte). The rule: no secret may appear anywhere - not in module arguments or ``invocation``, warnings, error
messages, diffs, tracebacks, or any task's printed result. That holds for the results that return a secret on
purpose too (a ``dataops.iam.session`` task's new ``session.nonce``, a ``dataops.iam.pg_user`` task's new
``pg_user.password``, ``dataops.iam.cdf_token``'s ``token``): the collection hides such a result from the output as
no_log would, without ``no_log`` on the task, and only the registered variable holds the secret.

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
REPORT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "output" / "reliability"
#: Set by conftest.py for one pytest session (its xdist workers inherit it): where the scans of that session go.
REPORT_DIR_ENV = "DATAOPS_IAM_LEAK_REPORT_DIR"


def find_leaks(output: str, secrets: Iterable[str]) -> list:
    """Every secret seen in ``output``, as a line with how often and where (the secret masked)."""
    leaks = []
    scanned = sorted({s for s in secrets if isinstance(s, str) and len(s) >= MIN_LENGTH})
    for secret in scanned:
        count = output.count(secret)
        if count:
            leaks.append("a secret appears %d time(s); first at: %s" % (count, _context(output, secret, others=scanned)))
    return leaks


def _context(output: str, secret: str, width: int = 100, others: Iterable[str] = ()) -> str:
    """The text around the first occurrence of ``secret``, with it and every one of ``others`` (the other secrets of
    the scan: two items of a loop print side by side) shown as ``<secret>``."""
    at = output.find(secret)
    text = output[max(0, at - width) : at + len(secret) + width]
    for value in sorted({secret, *others}, key=len, reverse=True):
        text = text.replace(value, "<secret>")
    return repr(text)


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
