"""galaxy-importer, the validator Galaxy and Automation Hub run on every upload, on the built collection tarball.

    python tools/galaxy_importer_check.py --venv .tmp/release-venv dist/dataops-iam-X.Y.Z.tar.gz

Fails when the importer fails or logs any WARNING or ERROR line (each is listed). Every check that runs without a
container is on: the metadata, ansible-doc on every plugin, ansible-lint (offline), flake8 with the importer's own
selection, the changelog and the tags. ansible-test sanity (the importer's RUN_ANSIBLE_TEST needs a container) runs
in `make sanity` instead.

Galaxy requires a ``repository``, which galaxy.yml leaves out until the project's public address is known (a made-up
one would mislead users). A tarball without one is imported from a copy that names this checkout as a ``file://``
URL, and the summary says that a release needs ``make dist REPOSITORY=https://...`` (tools/dist.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dist import REPO, manifest_repository, set_repository  # noqa: E402

WORK = REPO / ".tmp" / "galaxy-importer"
CONFIG = """[galaxy-importer]
LOG_LEVEL_MAIN = INFO
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
RUN_FLAKE8 = True
CHECK_CHANGELOG = True
CHECK_REQUIRED_TAGS = True
TMP_ROOT_DIR = {tmp}
ANSIBLE_LOCAL_TMP = {tmp}/ansible
"""
FINDING = re.compile(r"^(WARNING|ERROR)\b", re.MULTILINE)


def import_tarball(venv: Path, tarball: Path) -> tuple[int, str, dict]:
    """Run the importer; its exit code, its log, and its result (the contents it found)."""
    (WORK / "tmp").mkdir(parents=True, exist_ok=True)
    config = WORK / "galaxy-importer.cfg"
    config.write_text(CONFIG.format(tmp=WORK / "tmp"))
    result_file = WORK / "importer_result.json"
    result_file.unlink(missing_ok=True)
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH")}
    environment.update(GALAXY_IMPORTER_CONFIG=str(config), PATH=f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}",
                       ANSIBLE_HOME=str(WORK / "ansible-home"), ANSIBLE_NOCOLOR="1")
    command = [str(venv / "bin" / "python"), "-m", "galaxy_importer.main", str(tarball), "--output-path", str(WORK)]
    completed = subprocess.run(command, cwd=WORK, env=environment, capture_output=True, text=True, timeout=900, check=False)
    result = json.loads(result_file.read_text()) if result_file.exists() else {}
    return completed.returncode, completed.stdout + completed.stderr, result


def summary(result: dict) -> str:
    contents = result.get("contents") or []
    kinds: dict[str, int] = {}
    for item in contents:
        kinds[item.get("content_type", "?")] = kinds.get(item.get("content_type", "?"), 0) + 1
    found = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "no contents"
    docs = len((result.get("docs_blob") or {}).get("contents") or [])
    return f"{found}; {docs} plugin docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, required=True, help="the venv with galaxy-importer (make: .tmp/release-venv)")
    parser.add_argument("tarball", type=Path)
    arguments = parser.parse_args()
    tarball = arguments.tarball.resolve()
    note = ""
    if not manifest_repository(tarball):
        WORK.mkdir(parents=True, exist_ok=True)
        tarball = set_repository(tarball, REPO.as_uri(), WORK / tarball.name)
        note = (" galaxy.yml names no repository: imported with this checkout's file:// URL; a release gives the public one"
                " (make dist REPOSITORY=https://...).")
    code, log, result = import_tarball(arguments.venv.resolve(), tarball)
    (WORK / "importer.log").write_text(log)
    findings = [line for line in log.splitlines() if FINDING.match(line)]
    if code != 0 or findings:
        print(log if code != 0 else "\n".join(findings), file=sys.stderr)
        raise SystemExit(f"galaxy-importer: exit {code}, {len(findings)} warnings or errors (log: {WORK / 'importer.log'})")
    print(f"galaxy-importer {arguments.tarball.name}: no error, no warning ({summary(result)}).{note}")


if __name__ == "__main__":
    main()
