# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/release_check.py finds a version that disagrees: the emulator's, the execution environment's tarball, what
dist/ holds, and (for a release) a version the changelog already released."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

TOOLS = Path(__file__).resolve().parents[3] / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

import release_check  # noqa: E402


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A copy of the files release_check reads, with dist/ holding what `make dist` builds for galaxy.yml's version."""
    for name in ("galaxy.yml", "execution-environment.yml", "emulator/__init__.py", "changelogs/changelog.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(release_check.REPO / name, tmp_path / name)
    (tmp_path / "changelogs" / "fragments").mkdir()
    version = yaml.safe_load((tmp_path / "galaxy.yml").read_text())["version"]
    (tmp_path / "dist").mkdir()
    for name in (f"dataops-iam-{version}.tar.gz", f"dataops_iam_emulator-{version}-py3-none-any.whl"):
        (tmp_path / "dist" / name).write_bytes(b"")
    monkeypatch.setattr(release_check, "REPO", tmp_path)
    return tmp_path


def test_the_checkout_as_it_is_agrees(repo):
    assert release_check.problems(repo / "dist", release=False)[0] == []


def test_an_execution_environment_that_installs_another_version_is_found(repo):
    path = repo / "execution-environment.yml"
    path.write_text(path.read_text().replace("dataops-iam-", "dataops-iam-9."))
    [problem] = release_check.problems(repo / "dist", release=False)[0]
    assert "execution-environment.yml installs" in problem


def test_an_emulator_of_another_version_and_a_missing_wheel_are_found(repo):
    path = repo / "emulator" / "__init__.py"
    path.write_text(path.read_text().replace('__version__ = "', '__version__ = "9.'))
    for wheel in (repo / "dist").glob("*.whl"):
        wheel.unlink()
    found = release_check.problems(repo / "dist", release=False)[0]
    assert len(found) == 2 and "__version__" in found[0] and "missing" in found[1]


def test_a_released_version_with_fragments_waiting_fails_only_a_release(repo):
    (repo / "changelogs" / "fragments" / "change.yml").write_text("---\nbugfixes: [x]\n")
    changelog = yaml.safe_load((repo / "changelogs" / "changelog.yaml").read_text()) or {}
    version = yaml.safe_load((repo / "galaxy.yml").read_text())["version"]
    changelog.setdefault("releases", {})[version] = {}
    (repo / "changelogs" / "changelog.yaml").write_text(yaml.safe_dump(changelog))
    found, note = release_check.problems(repo / "dist", release=False)
    assert found == [] and "already released" in note
    assert release_check.problems(repo / "dist", release=True)[0] == [note]
