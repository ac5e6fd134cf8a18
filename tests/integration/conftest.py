"""Fixtures for the playbook integration tests: a playbook runner bound to this module's emulator."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import httpx
import pytest

from dss_api import DssApi
from leakscan import REPORT_DIR_ENV, REPORT_ROOT, find_leaks, summary
from leakscan import record as record_scan
from runner import EXECUTION, SECRET_SOURCE, connection_vars, play, run_playbook

#: The leak scan's figures of a session: one file per execution path (runner.EXECUTION), so that ``make test``,
#: which runs the suite in the worker and then the ``both_paths`` tests as module processes, keeps both.
LEAK_REPORT = {"worker": "leak-scan.json", "module": "leak-scan-module.json"}


def pytest_configure(config):
    """The ``both_paths`` marker; one report directory per session for the leak scans (xdist workers inherit it
    from the controller), named after the execution path."""
    config.addinivalue_line(
        "markers",
        "both_paths: a test file where it matters whether the module code runs in Ansible's worker or in a module "
        "process; `make integration-module-path` runs these with DATAOPS_IAM_EXECUTION=module (runner.py)",
    )
    if not os.environ.get(REPORT_DIR_ENV):
        name = "leak-scan-%s-%d-%d" % (EXECUTION, time.time(), os.getpid())
        os.environ[REPORT_DIR_ENV] = str(REPORT_ROOT / name)


def pytest_terminal_summary(terminalreporter):
    """The figures of this session's leak scans, also written to tests/output/reliability/leak-scan.json
    (leak-scan-module.json for a session on the module path)."""
    directory = os.environ.get(REPORT_DIR_ENV)
    if not directory or not os.path.isdir(directory) or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    figures = dict(summary(Path(directory)), execution=EXECUTION)
    (REPORT_ROOT / LEAK_REPORT[EXECUTION]).write_text(json.dumps(figures, indent=1) + "\n")
    terminalreporter.write_line(
        "leak scan (%s path): %s ansible-playbook runs (%s bytes) and %s emulator outputs (%s bytes) scanned; "
        "secrets leaked: %s"
        % (EXECUTION, figures["runs"].get("ansible-playbook", 0), figures["bytes"].get("ansible-playbook", 0),
           figures["runs"].get("emulator", 0), figures["bytes"].get("emulator", 0), figures["leaks"])
    )


@pytest.fixture(autouse=True)
def scan_for_leaks(request):
    """Every playbook run of a test that uses an emulator is scanned for the secrets that emulator knows (see
    runner.run_playbook and leakscan.py); after the test, so is what the emulator process printed."""
    if "emulator" not in request.fixturenames:
        yield
        return
    emulator = request.getfixturevalue("emulator")
    SECRET_SOURCE["current"] = emulator.secrets
    try:
        yield
    finally:
        SECRET_SOURCE.pop("current", None)
    if emulator.running:
        output = emulator.output()
        scanned = getattr(emulator, "leak_scanned_bytes", 0)
        secrets = emulator.secrets()
        leaks = find_leaks(output, secrets)
        record_scan("emulator", len(output.encode()) - scanned, len(secrets), len(leaks))
        emulator.leak_scanned_bytes = len(output.encode())
        assert not leaks, "secrets leaked in the emulator's output:\n" + "\n".join(leaks)


@pytest.fixture
def run(clean_emulator, tmp_path):
    """run(tasks, check=False, diff=False, client=("admin", "admin-secret"), dss_key="dss-admin-key") -> PlaybookRun,
    on a freshly reset emulator."""
    counter = itertools.count(1)

    def _run(tasks, *, check=False, diff=False, client=("admin", "admin-secret"), dss_key="dss-admin-key", module_defaults=None, **kwargs):
        # The DSS key reaches the play from the environment, as in real use: Ansible's error context prints the
        # failing task's source (module_defaults included), so a literal key would show up in the output.
        defaults = {
            "group/dataops.iam.cdf": connection_vars(clean_emulator, *client),
            "group/dataops.iam.dss": {"dss_url": clean_emulator.url, "api_key": "{{ lookup('ansible.builtin.env', 'TEST_DSS_API_KEY') }}"},
        }
        defaults.update(module_defaults or {})
        kwargs["env"] = {"TEST_DSS_API_KEY": dss_key, **(kwargs.get("env") or {})}
        playbook = play(tasks, module_defaults=defaults)
        return run_playbook(playbook, tmp_path / f"run{next(counter)}", check=check, diff=diff, **kwargs)

    return _run


class CdfApi:
    """Direct calls to the emulator's CDF API as the admin client: how a person changes things in the UI."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=f"{emulator.url}/api/v1/projects/{emulator.project}",
            headers={"Authorization": f"Bearer {emulator.admin_token()}"},
            timeout=10,
        )

    def groups(self, name=None):
        items = self.http.get("/groups", params={"all": "true"}).raise_for_status().json()["items"]
        return [group for group in items if name is None or group["name"] == name]

    def create_group(self, **group):
        group.setdefault("capabilities", [])
        response = self.http.post("/groups", json={"items": [group]}).raise_for_status()
        return response.json()["items"][0]

    def delete_groups(self, *ids):
        self.http.post("/groups/delete", json={"items": list(ids)}).raise_for_status()


@pytest.fixture
def cdf(clean_emulator):
    api = CdfApi(clean_emulator)
    yield api
    api.http.close()


@pytest.fixture
def dss(clean_emulator):
    """Direct calls to the emulator's DSS API as the seeded admin (see dss_api.py)."""
    api = DssApi(clean_emulator)
    yield api
    api.http.close()
