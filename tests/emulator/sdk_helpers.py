"""Build cognite-sdk clients (unchanged) that talk to an emulator; used by conftest.py and the tests."""

from __future__ import annotations

from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import CredentialProvider, OAuthClientCredentials

from emulator.cdf.seeds import SEED_CLIENTS
from emulator.process import EmulatorProcess


def sdk_client(
    emu: EmulatorProcess,
    client_id: str = "admin",
    client_secret: str | None = None,
    *,
    credentials: CredentialProvider | None = None,
    project: str | None = None,
) -> CogniteClient:
    """A CogniteClient for ``emu`` that authenticates through the emulator's token endpoint."""
    if credentials is None:
        secret = client_secret if client_secret is not None else SEED_CLIENTS[client_id][0]
        credentials = OAuthClientCredentials(
            token_url=emu.token_url,
            client_id=client_id,
            client_secret=secret,
            scopes=[f"{emu.url}/.default"],
        )
    config = ClientConfig(
        client_name="dataops-iam-fidelity-tests",
        project=project or emu.project,
        credentials=credentials,
        base_url=emu.url,
        timeout=10,
    )
    return CogniteClient(config)
