"""The execution environment's build context (`make ee-context`: ``ansible-builder create -f execution-environment.yml``)
installed into a fresh venv the way its Containerfile installs it into the image, with no container runtime:

- base stage: ``$PYCMD -m pip install $ANSIBLE_INSTALL_REFS`` (ansible-core, ansible-runner);
- galaxy stage: ``ansible-galaxy collection install -r requirements.yml`` in ``_build/`` (the image's /build);
- builder stage: ``introspect.py introspect``, which reads the installed collections' meta/execution-environment.yml
  and writes the Python requirements it found (the collection's requirements.txt: httpx, pydantic);
- final stage: ``pip install -r`` of what introspection wrote (_build/scripts/install-from-bindep).

Each mirrored step is first found in the generated Containerfile (or Dockerfile, when ansible-builder picked docker),
so a change in what ansible-builder generates fails here instead of going unnoticed. Then playbooks/demo.yml of the
installed collection runs from that venv against the emulator, twice: the first run changes, the second does not.
Needs `make dist` and `make ee-context` (`make packaging` runs them first).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import REPO, FreshVenv, clean_environment
from emulator.process import EmulatorProcess

RECAP = re.compile(r"^localhost\s*:\s*(.*)$", re.MULTILINE)
ARG = re.compile(r'^ARG (\w+)="(.*)"$', re.MULTILINE)
#: The Containerfile lines this test carries out itself (the shell variables are the ARGs above them).
BASE_INSTALL = "RUN $PYCMD -m pip install --no-cache-dir $ANSIBLE_INSTALL_REFS"
GALAXY_INSTALL = ('RUN ANSIBLE_GALAXY_DISABLE_GPG_VERIFY=1 ansible-galaxy collection install '
                  '$ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml --collections-path "/usr/share/ansible/collections"')
INTROSPECT = ("RUN $PYCMD /output/scripts/introspect.py introspect --write-bindep=/tmp/src/bindep.txt "
              "--write-pip=/tmp/src/requirements.txt")
FINAL_INSTALL = "RUN /output/scripts/install-from-bindep && rm -rf /output/wheels"
CHECK_ANSIBLE = "RUN /output/scripts/check_ansible $PYCMD"


@dataclass
class Built:
    """The venv that stands for the image, its collections path, and what introspection printed and wrote."""

    venv: FreshVenv
    root: Path
    collections: Path
    introspected: dict
    python_requirements: list[str]
    bindep_written: bool


def instruction_file(context: Path) -> str:
    """The generated Containerfile (podman) or Dockerfile (docker: ansible-builder's choice without podman)."""
    found = [context / name for name in ("Containerfile", "Dockerfile") if (context / name).is_file()]
    assert len(found) == 1, f"expected one Containerfile or Dockerfile in {context}, found {found}"
    return found[0].read_text()


def build_args(text: str) -> dict[str, str]:
    return dict(ARG.findall(text))


def ansible_environment(root: Path, collections: Path) -> dict:
    """Ansible of the venv sees the collections the galaxy stage installed, and nothing of the checkout."""
    return clean_environment(ANSIBLE_HOME=str(root / "ansible-home"), ANSIBLE_COLLECTIONS_PATH=str(collections),
                             ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1")


@pytest.fixture(scope="module")
def containerfile(ee_context: Path) -> str:
    return instruction_file(ee_context)


@pytest.fixture(scope="module")
def built(ee_context: Path, containerfile: str, tmp_path_factory) -> Built:
    """The context installed into one fresh venv, stage by stage, as the Containerfile does it."""
    for line in (BASE_INSTALL, GALAXY_INSTALL, INTROSPECT, FINAL_INSTALL):
        assert line in containerfile.splitlines(), f"the Containerfile no longer has {line!r}:\n{containerfile}"
    args = build_args(containerfile)
    ee_context = ee_context.resolve()  # the commands below run in other folders
    root = tmp_path_factory.mktemp("ee")
    venv = FreshVenv(root / "venv")
    # base stage: the ARG's value, split by the shell as the RUN line does
    venv.install(*shlex.split(args["ANSIBLE_INSTALL_REFS"]))
    # galaxy stage: in /build (the context's _build/), into the image's collections path (here root/collections)
    collections = root / "collections"
    env = ansible_environment(root, collections)
    venv.run("ansible-galaxy", "collection", "install", *shlex.split(args["ANSIBLE_GALAXY_CLI_COLLECTION_OPTS"]),
             "-r", "requirements.yml", "--collections-path", str(collections), cwd=ee_context / "_build", env=env)
    # builder stage: introspection of what the galaxy stage installed. The stage also installs bindep, pyyaml and
    # packaging; the last two come with ansible-core, and bindep only turns a bindep.txt into system packages (the
    # test asserts none is written).
    source = root / "src"
    introspect = venv.run("python", str(ee_context / "_build" / "scripts" / "introspect.py"), "introspect",
                          str(collections), f"--write-bindep={source / 'bindep.txt'}",
                          f"--write-pip={source / 'requirements.txt'}", cwd=root)
    introspected = yaml.safe_load(introspect.stdout)
    requirements = (source / "requirements.txt").read_text().splitlines()
    # final stage: pip install -r /output/requirements.txt (assemble copies what introspection wrote there)
    venv.install("-r", str(source / "requirements.txt"))
    return Built(venv, root, collections, introspected, [line for line in requirements if line],
                 (source / "bindep.txt").exists())


def test_the_definition_takes_the_python_requirements_from_the_collection_only():
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    assert "python" not in definition["dependencies"], "the collection's meta/execution-environment.yml names them"
    meta = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text())
    assert meta["dependencies"] == {"python": "requirements.txt"}


def test_the_context_holds_the_tarball_the_requirements_name(ee_context: Path, collection_tarball: Path):
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    requirements = yaml.safe_load((ee_context / "_build" / "requirements.yml").read_text())
    [entry] = requirements["collections"]
    expected = f"collections/{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    assert entry == {"name": expected, "type": "file"}, "execution-environment.yml names another version than galaxy.yml"
    copied = ee_context / "_build" / expected
    assert copied.read_bytes() == collection_tarball.read_bytes(), "the context's tarball is not the one make dist built"
    assert not (ee_context / "_build" / "requirements.txt").exists(), "no Python requirements of the definition's own"


def test_the_stages_install_the_python_and_the_packages_the_definition_names(containerfile: str):
    args = build_args(containerfile)
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    assert args["EE_BASE_IMAGE"] == definition["images"]["base_image"]["name"]
    assert args["PYCMD"] == "/usr/bin/python3.12" and args["PYPKG"] == "python3.12"
    assert [ref.split(">")[0] for ref in shlex.split(args["ANSIBLE_INSTALL_REFS"])] == ["ansible-core", "ansible-runner"]
    assert CHECK_ANSIBLE in containerfile.splitlines()


def test_introspection_finds_httpx_and_pydantic_in_the_collections_metadata(built: Built):
    assert built.introspected["python"] == built.python_requirements
    names = {line.split("  # from collection ")[0]: line.split("  # from collection ")[1] for line in built.python_requirements}
    collection_requirements = [line for line in (REPO / "requirements.txt").read_text().splitlines()
                               if line and not line.startswith("#")]
    assert names == dict.fromkeys(collection_requirements, "dataops.iam"), built.python_requirements
    assert {re.split(r"[<>=]", name)[0] for name in names} == {"httpx", "pydantic"}
    assert built.introspected["system"] == [] and not built.bindep_written


def test_the_final_stage_passes_check_ansible(built: Built):
    # what _build/scripts/check_ansible runs in the final stage
    built.venv.run("ansible", "--version", cwd=built.root)
    built.venv.run("ansible-runner", "--version", cwd=built.root)
    imports = "import ansible, ansible_runner, httpx, pydantic; print(ansible.__file__)"
    assert str(built.venv.path) in built.venv.run("python", "-c", imports, cwd=built.root).stdout


def run_demo(built: Built, url: str) -> dict[str, int]:
    playbook = built.collections / "ansible_collections" / "dataops" / "iam" / "playbooks" / "demo.yml"
    run = built.venv.run("ansible-playbook", str(playbook), "-i", "localhost,", "-e", f"cdf_url={url}", cwd=built.root,
                         env=ansible_environment(built.root, built.collections))
    match = RECAP.search(run.stdout)
    assert match, run.stdout
    return {key: int(value) for key, value in (item.split("=") for item in match.group(1).split())}


def test_the_installed_collection_runs_the_demo_idempotently(built: Built):
    with EmulatorProcess() as emulator:
        first = run_demo(built, emulator.url)
        assert first["failed"] == 0 and first["changed"] > 0, first
        assert emulator.writes(), "the first run created the demo's groups"
        emulator.clear_log()
        second = run_demo(built, emulator.url)
        assert second["failed"] == 0 and second["changed"] == 0, second
        assert emulator.writes() == []


def test_no_checkout_path_reaches_the_venv(built: Built):
    code = "import sys; print('\\n'.join(sys.path))"
    paths = built.venv.run("python", "-c", code, cwd=built.root).stdout.splitlines()
    assert not [path for path in paths if path.startswith(str(REPO))], paths
    shown = subprocess.run([str(built.venv.bin / "ansible-galaxy"), "collection", "list", "dataops.iam"],
                           env=ansible_environment(built.root, built.collections), cwd=built.root,
                           capture_output=True, text=True, timeout=120, check=False)
    assert shown.returncode == 0, shown.stderr
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    assert str(built.collections) in shown.stdout and re.search(rf"dataops\.iam\s+{re.escape(version)}", shown.stdout)


def test_the_installed_collection_carries_the_credential_types(built: Built):
    # docs/docsite/rst/automation_platform.rst points users of Galaxy to this copy
    shipped = REPO / "extras" / "awx" / "credential_types"
    installed = built.collections / "ansible_collections" / "dataops" / "iam" / "extras" / "awx" / "credential_types"
    assert sorted(path.name for path in installed.glob("*.yml")) == sorted(path.name for path in shipped.glob("*.yml"))
    for path in shipped.glob("*.yml"):
        assert (installed / path.name).read_text() == path.read_text()
