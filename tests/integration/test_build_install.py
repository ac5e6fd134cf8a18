"""The collection as its users get it: built with ansible-galaxy, installed into an empty collections path,
and playbooks/demo.yml run from the installed copy against the emulator (the way `make demo` runs it from the
checkout: twice, and the second run changes nothing). A file the modules need that galaxy.yml's build_ignore
leaves out fails here; so does a development file that slips into the tarball.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from runner import REPO, run_playbook

ANSIBLE_GALAXY = str(Path(sys.executable).with_name("ansible-galaxy"))
ANSIBLE_DOC = str(Path(sys.executable).with_name("ansible-doc"))
# What users need besides plugins/ (each must be in the tarball).
SHIPPED = [
    "README.md",
    "CHANGELOG.rst",
    "requirements.txt",
    "meta/runtime.yml",
    "meta/execution-environment.yml",
    "changelogs/changelog.yaml",
    "playbooks/demo.yml",
    "docs/docsite/extra-docs.yml",
]
# What only developers use (none may be in the tarball).
DEVELOPMENT_ONLY = [
    "emulator/",
    "tools/",
    "benchmarks/",
    ".tmp/",
    ".venv",
    ".git/",
    ".ci/",
    ".hypothesis/",
    "tests/output/",
    "Makefile",
    "requirements-dev.txt",
    "requirements-test.txt",
    ".ansible-lint",
    "ruff.toml",
    "mypy.ini",
]


def only_collections_path(path: Path) -> dict:
    """Environment in which Ansible sees the collections under ``path`` and no other (not the checkout's link)."""
    return {"ANSIBLE_COLLECTIONS_PATH": str(path), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false", "PYTHONPATH": ""}


def galaxy(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_HOME=str(home), ANSIBLE_NOCOLOR="1", **env)
    return subprocess.run([ANSIBLE_GALAXY, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def tarball(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = galaxy("collection", "build", str(REPO), "--output-path", str(dist), home=dist / "ansible-home")
    assert built.returncode == 0, built.stdout + built.stderr
    meta = yaml.safe_load((REPO / "galaxy.yml").read_text())
    path = dist / f"{meta['namespace']}-{meta['name']}-{meta['version']}.tar.gz"
    assert path.is_file(), built.stdout
    return path


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory) -> Path:
    """A collections path that holds only the installed tarball."""
    root = tmp_path_factory.mktemp("installed")
    collections = root / "collections"
    # With the checkout's link on the collections path, ansible-galaxy would find dataops.iam "already installed".
    done = galaxy(
        "collection", "install", "--offline", str(tarball), "-p", str(collections),
        home=root / "ansible-home", **only_collections_path(collections),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return collections


def test_tarball_holds_the_plugins_and_no_development_files(tarball):
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    plugins = {
        str(path.relative_to(REPO))
        for path in (REPO / "plugins").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    missing = sorted((plugins | set(SHIPPED)) - names)
    assert not missing, f"build_ignore leaves out files users need: {missing}"
    leaked = sorted(name for name in names for dev in DEVELOPMENT_ONLY if name == dev.rstrip("/") or name.startswith(dev))
    assert not leaked, f"development files in the tarball (add them to build_ignore in galaxy.yml): {leaked}"


def test_installed_copy_runs_the_demo_playbook_idempotently(installed, clean_emulator, tmp_path):
    copy = installed / "ansible_collections" / "dataops" / "iam"
    env = only_collections_path(installed)
    doc = subprocess.run(
        [ANSIBLE_DOC, "-t", "module", "--json", "dataops.iam.group"],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env, ANSIBLE_HOME=str(tmp_path / "ansible-home")),
        timeout=300,
        check=False,
    )
    assert doc.returncode == 0, doc.stderr
    found = json.loads(doc.stdout).get("dataops.iam.group")
    assert found, f"ansible-doc does not find dataops.iam.group in {installed}: {doc.stderr}"
    assert found["doc"]["filename"].startswith(str(copy)), found["doc"]["filename"]

    playbook = copy / "playbooks" / "demo.yml"
    first = run_playbook(playbook, tmp_path / "first", extra_vars={"cdf_url": clean_emulator.url}, env=env).ok()
    assert first.recap["failed"] == 0 and first.recap["changed"] > 0
    assert clean_emulator.writes(), "the first run created the demo's groups"
    clean_emulator.clear_log()
    second = run_playbook(playbook, tmp_path / "second", extra_vars={"cdf_url": clean_emulator.url}, env=env).ok()
    assert second.recap["changed"] == 0, second.stdout
    assert clean_emulator.writes() == []
