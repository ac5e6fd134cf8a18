"""`make compat`: the playbook integration suite on the edges of the compatibility matrix.

    python tools/compat.py [oldest] [newest]

* ``oldest``: the oldest ansible-core the collection claims (``requires_ansible`` in meta/runtime.yml, e.g.
  ">=2.17.0" -> ansible-core 2.17.x) on the newest Python that ansible-core supports as a controller (3.12 for
  2.17, which does not run on 3.13);
* ``newest``: Python 3.13 with the newest ansible-core that installs there.

Each gets its own venv, ``.venv-compat-<name>`` (re-used while its requirements are unchanged), with
requirements-test.txt, cognite-sdk (requirements-dev.txt's pin) and that ansible-core, and runs ``pytest
tests/integration`` with it: real ansible-playbook, ansible-doc and ansible-galaxy runs of that ansible-core
against the emulator (which runs on the same Python), the modules' code in Ansible's worker as it runs by default;
then the tests marked ``both_paths`` again with every module as a module process
(``DATAOPS_IAM_EXECUTION=module``, as ``make integration-module-path``): the two paths use different parts of
ansible-core (the collection's action plugins and the public argument validator, against AnsiballZ and
AnsibleModule). ``COMPAT_MODULE_PATH=0`` leaves the second run out.
The Pythons come from pyenv (``$PYENV_ROOT``, default ``~/.pyenv``) unless ``COMPAT_PYTHON_OLDEST`` /
``COMPAT_PYTHON_NEWEST`` name them. A summary table is printed at the end, and the exit status is non-zero if
any run failed.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
WORKERS = os.environ.get("PYTEST_WORKERS", "2")
MODULE_PATH = os.environ.get("COMPAT_MODULE_PATH", "1") not in ("0", "false", "no")


@dataclass
class Target:
    name: str
    python_minor: str  # "3.12"
    core_spec: str  # pip requirement for ansible-core
    python: str = ""
    core_version: str = ""
    result: str = "not run"
    seconds: float = 0.0
    module_result: str = "not run"
    module_seconds: float = 0.0


def oldest_core_spec() -> str:
    """``ansible-core>=X.Y.0,<X.(Y+1)`` from meta/runtime.yml's requires_ansible lower bound."""
    text = (REPO / "meta" / "runtime.yml").read_text()
    match = re.search(r"""requires_ansible:\s*["']?>=\s*(\d+)\.(\d+)(?:\.(\d+))?""", text)
    if not match:
        raise SystemExit("compat: meta/runtime.yml has no requires_ansible lower bound (>=X.Y.Z)")
    major, minor, patch = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return f"ansible-core>={major}.{minor}.{patch},<{major}.{minor + 1}"


def find_python(minor: str, variable: str) -> str:
    """The interpreter for Python ``minor``: $variable, else the newest pyenv build of it, else pythonX.Y on PATH."""
    if os.environ.get(variable):
        return os.environ[variable]
    builds = sorted(
        glob.glob(str(PYENV_ROOT / "versions" / f"{minor}.*" / "bin" / "python")),
        key=lambda path: [int(part) for part in re.findall(r"\d+", Path(path).parents[1].name)],
    )
    if builds:
        return builds[-1]
    found = shutil.which(f"python{minor}")
    if found:
        return found
    raise SystemExit(f"compat: no Python {minor} (install it with pyenv, or set {variable})")


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    print("+ " + " ".join(map(str, command)), flush=True)
    return subprocess.run(command, check=False, **kwargs)


def sdk_requirement() -> str:
    """requirements-dev.txt's cognite-sdk pin: some integration tests read the emulator's state with the SDK, as a
    user would (tests/emulator/sdk_helpers.py)."""
    for line in (REPO / "requirements-dev.txt").read_text().splitlines():
        if re.match(r"cognite-sdk\b", line.strip()):
            return line.split("#", 1)[0].strip()
    raise SystemExit("compat: requirements-dev.txt names no cognite-sdk (the integration tests import it)")


def prepare(target: Target) -> Path:
    """The target's venv with requirements-test.txt, cognite-sdk and its ansible-core; re-created when they
    change."""
    venv = REPO / f".venv-compat-{target.name}"
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    wanted = hashlib.sha256(
        "\n".join([target.python, target.core_spec, (REPO / "requirements-test.txt").read_text(),
                   (REPO / "requirements.txt").read_text(), sdk_requirement()]).encode()
    ).hexdigest()
    if not (stamp.exists() and stamp.read_text() == wanted and python.exists()):
        if venv.exists():
            shutil.rmtree(venv)
        if run([target.python, "-m", "venv", str(venv)]).returncode != 0:
            raise SystemExit(f"compat: cannot create {venv}")
        installed = run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(REPO / "requirements-test.txt"), sdk_requirement(), target.core_spec],
            cwd=REPO,
        )
        if installed.returncode != 0:
            raise SystemExit(f"compat: installing into {venv} failed")
        stamp.write_text(wanted)
    version = subprocess.run(
        [str(python), "-c", "import ansible.release as r, sys; print(r.__version__, '%d.%d.%d' % sys.version_info[:3])"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    target.core_version, target.python_minor = version[0], version[1]
    return venv


def integration(venv: Path, execution: str = "worker") -> tuple[bool, float]:
    """``pytest tests/integration`` with the venv's ansible-core: every test with the modules' code in the worker,
    or (``execution="module"``) the tests marked both_paths with every module as a module process."""
    collections = REPO / ".tmp" / "collections"
    env = dict(os.environ)
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        PYTHONPATH=str(collections),
        PYTHONDONTWRITEBYTECODE="1",
        DATAOPS_IAM_EXECUTION=execution,
    )
    env.pop("VIRTUAL_ENV", None)
    selection = ["-m", "both_paths"] if execution == "module" else []
    started = time.monotonic()
    completed = run(
        [str(venv / "bin" / "python"), "-m", "pytest", "tests/integration", *selection, "-q", "-p", "no:cacheprovider",
         "-n", WORKERS, "--dist", "loadfile"],
        cwd=REPO, env=env,
    )
    return completed.returncode == 0, time.monotonic() - started


def main() -> None:
    names = sys.argv[1:] or ["oldest", "newest"]
    targets = {
        "oldest": Target("oldest", "3.12", oldest_core_spec()),
        "newest": Target("newest", "3.13", "ansible-core"),
    }
    unknown = set(names) - set(targets)
    if unknown:
        raise SystemExit(f"compat: unknown targets {sorted(unknown)}; use oldest and/or newest")
    if not (REPO / ".tmp" / "collections" / "ansible_collections" / "dataops" / "iam").exists():
        raise SystemExit("compat: run it through `make compat` (it links the checkout into .tmp/collections)")
    chosen = [targets[name] for name in names]
    for target in chosen:
        target.python = find_python(target.python_minor, f"COMPAT_PYTHON_{target.name.upper()}")
        print(f"\n=== compat {target.name}: Python {target.python_minor} ({target.python}), {target.core_spec}", flush=True)
        venv = prepare(target)
        passed, target.seconds = integration(venv)
        target.result = "passed" if passed else "FAILED"
        if MODULE_PATH:
            print(f"\n=== compat {target.name}: the both_paths tests as module processes", flush=True)
            passed, target.module_seconds = integration(venv, "module")
            target.module_result = "passed" if passed else "FAILED"
    print("\ncompat matrix (tests/integration; module path: the tests marked both_paths, as module processes):")
    print("| target | Python | ansible-core | in the worker | time | module path | time |")
    print("|---|---|---|---|---|---|---|")
    for target in chosen:
        module_time = f"{target.module_seconds:.0f} s" if MODULE_PATH else "-"
        print(f"| {target.name} | {target.python_minor} | {target.core_version} | {target.result} | {target.seconds:.0f} s "
              f"| {target.module_result} | {module_time} |")
    if any(target.result != "passed" or (MODULE_PATH and target.module_result != "passed") for target in chosen):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
