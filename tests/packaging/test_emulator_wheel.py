"""The emulator's wheel as a user without a checkout gets it: installed alone into a fresh venv, started with its
console script, driven with cognite-sdk, and the collection tarball's playbooks/demo.yml run in check mode against it
from the installed collection (a dry run: zero writes in the emulator's request log). Needs `make dist`."""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FreshVenv, clean_environment

READY_LINE = re.compile(r"dataops\.iam emulator listening on (http://\S+) \(project (\S+)\)")
RECAP = re.compile(r"^localhost\s*:\s*(.*)$", re.MULTILINE)
#: Imports every module of the installed package (with only the wheel's own dependencies installed).
IMPORT_ALL = (
    "import importlib, pkgutil, emulator; "
    "names = [m.name for m in pkgutil.walk_packages(emulator.__path__, 'emulator.')]; "
    "[importlib.import_module(n) for n in names]; print(emulator.__file__, len(names))"
)
SDK_SCRIPT = """
import json, sys
from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials
from cognite.client.data_classes.iam import GroupWrite
url = sys.argv[1]
credentials = OAuthClientCredentials(token_url=url + "/oauth2/token", client_id="admin",
                                     client_secret="admin-secret", scopes=[url + "/.default"])
client = CogniteClient(ClientConfig(client_name="wheel-test", project="demo", credentials=credentials,
                                    base_url=url, timeout=10))
before = sorted(group.name for group in client.iam.groups.list(all=True))
created = client.iam.groups.create(GroupWrite(name="from-the-wheel", source_id="wheel-test"))
read = [group for group in client.iam.groups.list(all=True) if group.id == created.id]
print(json.dumps({"before": before, "id": created.id, "read": [(g.name, g.source_id) for g in read]}))
"""


@dataclass
class Installed:
    """The venv, and what was seen while only the wheel was in it."""

    venv: FreshVenv
    root: Path
    wheel_only_imports: subprocess.CompletedProcess
    wheel_only_packages: list[str]


@pytest.fixture(scope="module")
def installed(emulator_wheel: Path, collection_tarball: Path, tmp_path_factory) -> Installed:
    """One venv: the wheel alone first (checked then), then cognite-sdk, ansible-core and the collection."""
    root = tmp_path_factory.mktemp("emulator-wheel")
    venv = FreshVenv(root / "venv")
    venv.install(str(emulator_wheel))
    imports = venv.run("python", "-c", IMPORT_ALL, cwd=root, check=False)
    freeze = venv.run("python", "-m", "pip", "freeze", cwd=root).stdout.split()
    with tarfile.open(collection_tarball) as archive:
        member = archive.extractfile("requirements.txt")
        assert member is not None
        (root / "requirements.txt").write_bytes(member.read())
    venv.install("cognite-sdk==8.22.0", "ansible-core>=2.17", "-r", str(root / "requirements.txt"))
    venv.run("ansible-galaxy", "collection", "install", "--offline", str(collection_tarball), "-p",
             str(root / "collections"), cwd=root, env=ansible_environment(root))
    return Installed(venv, root, imports, [line.split("==")[0].lower() for line in freeze])


def ansible_environment(root: Path) -> dict:
    """Ansible sees the installed collection and nothing of the checkout."""
    return clean_environment(ANSIBLE_HOME=str(root / "ansible-home"), ANSIBLE_COLLECTIONS_PATH=str(root / "collections"),
                             ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")


@pytest.fixture(scope="module")
def emulator_url(installed: Installed) -> Iterator[str]:
    """``dataops-iam-emulator --port 0`` from the venv, run from a temporary folder; its URL."""
    out = installed.root / "emulator.out"
    with out.open("wb") as handle:
        process = subprocess.Popen([str(installed.venv.bin / "dataops-iam-emulator"), "--port", "0"],
                                   cwd=installed.root, env=clean_environment(PYTHONUNBUFFERED="1"),
                                   stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (match := READY_LINE.search(out.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, f"no listening line: {out.read_text()}"
            time.sleep(0.1)
        assert match.group(2) == "demo"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=15)


def control(installed: Installed, url: str, method: str, path: str) -> dict:
    """A control API call, made with the venv's own httpx (no checkout code)."""
    code = f"import httpx, json; print(json.dumps(httpx.request({method!r}, {url + path!r}).json()))"
    return json.loads(installed.venv.run("python", "-c", code, cwd=installed.root).stdout)


def test_the_wheel_holds_the_catalogue_and_no_tests(emulator_wheel: Path):
    with zipfile.ZipFile(emulator_wheel) as wheel:
        names = wheel.namelist()
    assert "emulator/cdf/capabilities.json" in names
    assert "emulator/__main__.py" in names and "emulator/process.py" in names
    assert not [name for name in names if name.startswith("tests/") or "/tests/" in name or "test_" in name]
    assert {name.split("/")[0] for name in names} == {"emulator", emulator_wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_wheel_alone_imports_every_module_from_site_packages(installed: Installed):
    result = installed.wheel_only_imports
    assert result.returncode == 0, result.stderr
    location, count = result.stdout.split()
    assert "site-packages" in location and int(count) > 40
    assert "cognite-sdk" not in installed.wheel_only_packages
    assert {"starlette", "uvicorn", "httpx"} <= set(installed.wheel_only_packages)


def test_pip_show_names_the_package(installed: Installed):
    shown = installed.venv.run("python", "-m", "pip", "show", "dataops-iam-emulator", cwd=installed.root).stdout
    fields = dict(line.split(": ", 1) for line in shown.splitlines() if ": " in line)
    assert fields["Name"] == "dataops-iam-emulator"
    assert fields["Version"] == "0.1.0"
    assert sorted(fields["Requires"].split(", ")) == ["httpx", "starlette", "uvicorn"]
    code = ("import importlib.metadata as m, json; d = m.metadata('dataops-iam-emulator'); "
            "print(json.dumps([d['License-Expression'], d['Requires-Python'], d.get_all('Requires-Dist')]))")
    license_expression, python, requires = json.loads(installed.venv.run("python", "-c", code, cwd=installed.root).stdout)
    assert license_expression == "GPL-3.0-or-later"
    assert python == ">=3.10"
    assert not [r for r in requires if "cognite" in r]


def test_the_console_script_has_the_flags_of_python_m_emulator(installed: Installed):
    shown = installed.venv.run("dataops-iam-emulator", "--help", cwd=installed.root).stdout
    assert shown.startswith("usage: dataops-iam-emulator")
    for flag in ("--host", "--port", "--state", "--log-level", "--token-ttl", "--nonce-ttl", "--tls-cert",
                 "--tls-key", "--group-limit"):
        assert flag in shown
    module = installed.venv.run("python", "-m", "emulator", "--help", cwd=installed.root).stdout
    assert module.startswith("usage: python -m emulator")


def test_cognite_sdk_drives_the_installed_emulator(installed: Installed, emulator_url: str):
    control(installed, emulator_url, "POST", "/_emulator/reset")
    result = json.loads(installed.venv.run("python", "-c", SDK_SCRIPT, emulator_url, cwd=installed.root).stdout)
    assert result["before"] == ["admins", "readers"]
    assert result["read"] == [["from-the-wheel", "wheel-test"]]
    log = control(installed, emulator_url, "GET", "/_emulator/requests")["items"]
    writes = [(entry["method"], entry["path"], entry["status"]) for entry in log if entry["write"]]
    assert writes == [("POST", "/api/v1/projects/demo/groups", 201)]


def test_the_installed_collection_dry_runs_the_demo_against_it(installed: Installed, emulator_url: str):
    control(installed, emulator_url, "POST", "/_emulator/reset")
    playbook = installed.root / "collections" / "ansible_collections" / "dataops" / "iam" / "playbooks" / "demo.yml"
    assert playbook.is_file()
    run = installed.venv.run("ansible-playbook", str(playbook), "-i", "localhost,", "--check", "-e",
                             f"cdf_url={emulator_url}", cwd=installed.root, env=ansible_environment(installed.root))
    recap = dict(item.split("=") for item in RECAP.search(run.stdout).group(1).split())
    assert recap["failed"] == "0" and int(recap["changed"]) > 0, run.stdout
    log = control(installed, emulator_url, "GET", "/_emulator/requests")["items"]
    assert [entry for entry in log if entry["path"].endswith("/groups")], "the dry run read the groups"
    assert [entry for entry in log if entry["write"]] == [], "check mode wrote to the emulator"
