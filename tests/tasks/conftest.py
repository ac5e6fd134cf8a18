"""The task-level layer: each module's one flow (``MODULE.execute``) on the shared fake module
(tests/unit/fake_module.py: the task's arguments validated by the module's real spec) against a real emulator, with
no ansible-playbook: seconds for every module, where the playbook suite takes minutes.

``tasks`` (below) runs a module by name on the test's freshly reset emulator (tests/conftest.py: one emulator per
test module) with the seeded credentials: the CDF admin client, the DSS admin key, the auth API's org-admin service
account. Its ``converge`` is the scenario every managing module goes through: check mode (a change, and not one
write in the emulator's request log), the run (a change), a re-run (no change, no write).
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module
from emulator.auth_api.seeds import SEED_AUTH_CLIENTS
from emulator.cdf.seeds import SEED_CLIENTS
from emulator.dss.seeds import SEED_KEYS
from emulator.process import EmulatorProcess

DSS_ADMIN_KEY = next(key for key, login in SEED_KEYS.items() if login == "admin")
#: The secrets of the connections: never in a result (no_log masks them, as AnsibleModule would).
CONNECTION_SECRETS = [secret for secret, _groups in SEED_CLIENTS.values()] + list(SEED_KEYS) + [
    secret for secret, _org, _admin in SEED_AUTH_CLIENTS.values()
]


@pytest.fixture(autouse=True)
def no_connection_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the task's arguments: no connection option from the environment (the options' fallbacks read it)."""
    for variable in (
        "CDF_URL", "CDF_CLUSTER", "CDF_PROJECT", "CDF_TOKEN", "IDP_TOKEN_URL", "IDP_CLIENT_ID", "IDP_CLIENT_SECRET",
        "IDP_SCOPES", "IDP_AUDIENCE", "DKU_DSS_URL", "DKU_API_KEY", "COGNITE_AUTH_URL", "COGNITE_AUTH_TOKEN",
        "COGNITE_AUTH_TOKEN_URL", "COGNITE_AUTH_CLIENT_ID", "COGNITE_AUTH_CLIENT_SECRET", "COGNITE_AUTH_SCOPES",
        "COGNITE_ORG",
    ):
        monkeypatch.delenv(variable, raising=False)


def definition(name: str) -> Any:
    """The ``MODULE`` of the collection's module ``name``."""
    return importlib.import_module("ansible_collections.dataops.iam.plugins.modules." + name).MODULE


class Tasks:
    """Runs modules of the collection on one emulator, as tasks of a play would (each with a fresh worker cache)."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator

    # -- connection options ------------------------------------------------------------------------------------
    def cdf(self, client_id: str = "admin") -> dict:
        return {
            "base_url": self.emulator.url, "project": self.emulator.project, "token_url": self.emulator.token_url,
            "client_id": client_id, "client_secret": SEED_CLIENTS[client_id][0],
        }

    def dss(self, api_key: str = DSS_ADMIN_KEY) -> dict:
        return {"dss_url": self.emulator.url, "api_key": api_key}

    def auth_api(self, client_id: str = "org-admin") -> dict:
        secret, org, _admin = SEED_AUTH_CLIENTS[client_id]
        return {"auth_url": self.emulator.url, "auth_client_id": client_id, "auth_client_secret": secret, "org": org}

    def connection(self, name: str) -> dict:
        service = type(definition(name)).__name__
        return {"CdfModule": self.cdf, "DssModule": self.dss, "AuthApiModule": self.auth_api}[service]()

    # -- runs ----------------------------------------------------------------------------------------------------
    def run(self, name: str, args: dict, *, check_mode: bool = False, diff: bool = False) -> dict:
        """The result of module ``name`` with ``args`` over its service's connection options; asserts that it did
        not fail and that no connection secret is in it."""
        result = self.attempt(name, args, check_mode=check_mode, diff=diff)
        assert not result.get("failed"), result
        return result

    def attempt(self, name: str, args: dict, *, check_mode: bool = False, diff: bool = False) -> dict:
        """As ``run``, but the result may be a failure."""
        module_definition = definition(name)
        module = make_module(module_definition, dict(self.connection(name), **args), check_mode=check_mode, diff=diff,
                             name="dataops.iam." + name)
        result = execute(module_definition, module)
        shown = json.dumps(result)
        assert not [secret for secret in CONNECTION_SECRETS if secret in shown], "a connection secret in the result"
        return result

    def writes(self) -> list:
        """The writes in the emulator's request log since it was last cleared: (method, path)."""
        return [(entry["method"], entry["path"]) for entry in self.emulator.writes()]

    def read(self, name: str, args: dict) -> dict:
        """An info module's run: no change, not one write."""
        self.emulator.clear_log()
        result = self.run(name, args)
        assert result["changed"] is False, result
        assert self.writes() == [], "a read wrote"
        assert self.emulator.requests(), "it read from the emulator"
        return result

    def converge(self, name: str, args: dict) -> tuple:
        """Check mode first (a change, no write), the run (a change, written), a re-run and its check mode (no change,
        no write). Returns the check mode's, the run's and the re-run's results (all with --diff)."""
        self.emulator.clear_log()
        planned = self.run(name, args, check_mode=True, diff=True)
        assert planned["changed"] is True, planned
        assert self.writes() == [], "check mode wrote"
        done = self.run(name, args, diff=True)
        assert done["changed"] is True, done
        assert self.writes(), "the run wrote nothing"
        self.emulator.clear_log()
        again = self.run(name, args, diff=True)
        assert again["changed"] is False, again
        assert self.run(name, args, check_mode=True)["changed"] is False
        assert self.writes() == [], "a run with nothing to do wrote"
        return planned, done, again


@pytest.fixture
def tasks(clean_emulator: EmulatorProcess) -> Tasks:
    """Modules run on this test module's emulator, reset to its seed state."""
    return Tasks(clean_emulator)
