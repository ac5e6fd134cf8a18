"""Shared fixtures: a local emulator per test module.

``emulator`` starts one ``EmulatorProcess`` per test module (module scope); ``clean_emulator`` is the
same emulator, reset to its seed state (and with an empty request log) before the test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

if TYPE_CHECKING:
    from emulator.process import EmulatorProcess


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    """A running emulator shared by the tests of one module (imported lazily: unit tests need no httpx)."""
    from emulator.process import EmulatorProcess

    with EmulatorProcess() as process:
        yield process


@pytest.fixture
def clean_emulator(emulator: EmulatorProcess) -> EmulatorProcess:
    """The module's emulator, reset to the seed state before the test."""
    emulator.reset()
    return emulator
