"""The emulator's wheel and the collection are released together: emulator.__version__ (the wheel's version, see
pyproject.toml) is galaxy.yml's version."""

from __future__ import annotations

from pathlib import Path

import yaml

import emulator

REPO = Path(__file__).resolve().parents[2]


def test_the_emulator_version_is_the_collection_version():
    collection = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"]
    assert emulator.__version__ == collection, (
        f"emulator/__init__.py __version__ {emulator.__version__!r} != galaxy.yml version {collection!r}"
    )


def test_pyproject_takes_its_version_from_the_package():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text
    assert 'version = { attr = "emulator.__version__" }' in text
