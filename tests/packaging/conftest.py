"""Fixtures of the packaging tests: what `make dist` built, and fresh venvs to install it into, as a user would.

The tests run after `make dist` and `make ee-context` (`make packaging` runs them in that order); DATAOPS_IAM_DIST and
DATAOPS_IAM_EE_CONTEXT name the folders (default: dist/ and .tmp/ee-context/ of the checkout).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DIST = Path(os.environ.get("DATAOPS_IAM_DIST", REPO / "dist"))
EE_CONTEXT = Path(os.environ.get("DATAOPS_IAM_EE_CONTEXT", REPO / ".tmp" / "ee-context"))
#: Variables of the checkout's environment (the Makefile exports them) that would let a fresh venv see the checkout.
CHECKOUT_VARIABLES = ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS", "VIRTUAL_ENV")


def built(pattern: str) -> Path:
    """The one file of ``dist/`` matching ``pattern``; fails, naming the make target, when there is none."""
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {[p.name for p in found]}: run `make dist` first"
    return found[0]


@pytest.fixture(scope="session")
def collection_tarball() -> Path:
    return built("dataops-iam-*.tar.gz")


@pytest.fixture(scope="session")
def emulator_wheel() -> Path:
    return built("dataops_iam_emulator-*.whl")


@pytest.fixture(scope="session")
def ee_context() -> Path:
    assert (EE_CONTEXT / "_build").is_dir(), f"no build context in {EE_CONTEXT}: run `make ee-context` first"
    return EE_CONTEXT


def clean_environment(**extra: str) -> dict:
    """The environment of a command run from a fresh venv: nothing of the checkout's paths, no colours."""
    environment = {key: value for key, value in os.environ.items() if key not in CHECKOUT_VARIABLES}
    environment.update({"ANSIBLE_NOCOLOR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra})
    return environment


class FreshVenv:
    """A new venv (with pip) in ``path``: ``install(...)`` runs its pip, ``run(...)`` one of its commands."""

    def __init__(self, path: Path) -> None:
        self.path = path
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
        self.bin = path / "bin"

    def install(self, *arguments: str) -> None:
        self.run("python", "-m", "pip", "install", "--quiet", *arguments, timeout=900)

    def run(self, command: str, *arguments: str, env: dict | None = None, cwd: Path | None = None,
            timeout: int = 300, check: bool = True) -> subprocess.CompletedProcess:
        completed = subprocess.run([str(self.bin / command), *arguments], env=env or clean_environment(), cwd=cwd,
                                   capture_output=True, text=True, timeout=timeout, check=False)
        if check:
            assert completed.returncode == 0, (
                f"{command} {' '.join(arguments)} failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
            )
        return completed


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Callable[[str], FreshVenv]:
    """``fresh_venv("name")`` -> a new venv under the test's tmp_path, from the Python running the tests."""
    return lambda name: FreshVenv(tmp_path / name)
