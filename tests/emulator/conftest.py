"""Fixtures for the fidelity tests: cognite-sdk clients (unchanged) pointed at the (reset) emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cognite.client import CogniteClient

from emulator.process import EmulatorProcess
from sdk_helpers import sdk_client

ClientFactory = Callable[..., CogniteClient]


@pytest.fixture
def make_client(clean_emulator: EmulatorProcess) -> ClientFactory:
    """``make_client("reader")`` -> a CogniteClient for that seeded client of the reset emulator."""

    def factory(client_id: str = "admin", client_secret: str | None = None, **kwargs: Any) -> CogniteClient:
        return sdk_client(clean_emulator, client_id, client_secret, **kwargs)

    return factory


@pytest.fixture
def admin(make_client: ClientFactory) -> CogniteClient:
    return make_client("admin")


@pytest.fixture
def reader(make_client: ClientFactory) -> CogniteClient:
    return make_client("reader")
