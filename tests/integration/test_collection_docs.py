"""Every module, found by listing plugins/modules/: its documentation renders with ansible-doc and is complete,
its EXAMPLES use only documented options, it belongs to its action group, and without httpx (or, for the modules
that read answers through pydantic models, pydantic) it fails with the pip command instead of a traceback.

These run the real ansible-doc / ansible-playbook of the Python running the tests, so `make compat` checks the
documentation with the oldest and newest ansible-core too.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from runner import COLLECTIONS_PATH, REPO, play, run_playbook

MODULES = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py") if not path.name.startswith("_"))
ANSIBLE_DOC = str(Path(sys.executable).with_name("ansible-doc"))
# Options every module of an action group gets from that group's doc fragment.
GROUP_OPTIONS = {"cdf": {"base_url", "project", "token_url", "client_id", "client_secret", "token"}, "dss": {"dss_url", "api_key"},
                 "auth_api": {"auth_url", "auth_token", "auth_token_url", "auth_client_id", "auth_client_secret", "org"}}
# The modules that check API answers with module_utils/cdf/models.py (pydantic); the others never import it.
NEEDS_PYDANTIC = ["capabilities_check", "login_session", "login_session_info", "pg_user", "pg_user_info", "session",
                  "session_info", "token_info", "user_profile_info"]
DUMMY_BY_TYPE = {"str": "x", "list": [], "dict": {}, "int": 1, "float": 1.0, "bool": False, "path": "/nonexistent", "raw": "x"}


def fqcn(module: str) -> str:
    return f"dataops.iam.{module}"


def ansible_doc(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_PATH), ANSIBLE_HOME=str(tmp_path / "ansible-home"))
    env["ANSIBLE_NOCOLOR"] = "1"
    return subprocess.run([ANSIBLE_DOC, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict:
    """``ansible-doc --json`` of every module, in one run."""
    completed = ansible_doc("-t", "module", "--json", *map(fqcn, MODULES), tmp_path=tmp_path_factory.mktemp("doc"))
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.fixture(scope="module")
def action_groups() -> dict:
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())
    return runtime.get("action_groups") or {}


def test_modules_are_found():
    assert "group" in MODULES and "group_info" in MODULES, MODULES


def test_every_module_renders_without_warnings(tmp_path):
    completed = ansible_doc("-t", "module", *map(fqcn, MODULES), tmp_path=tmp_path)
    assert completed.returncode == 0, completed.stderr
    problems = [line for line in completed.stderr.splitlines() if "[WARNING]" in line or "[ERROR]" in line]
    assert not problems, "\n".join(problems)
    text = completed.stdout.lower()
    for module in MODULES:
        assert fqcn(module) in text, f"ansible-doc rendered nothing for {fqcn(module)}"
    assert text.count("examples:") >= len(MODULES)
    assert text.count("return values:") >= len(MODULES)


def test_ansible_doc_lists_exactly_the_modules(tmp_path):
    completed = ansible_doc("-t", "module", "--list", "--json", "dataops.iam", tmp_path=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert sorted(json.loads(completed.stdout)) == [fqcn(module) for module in MODULES]


def options_problems(options: dict, where: str) -> list:
    problems = []
    for name, spec in (options or {}).items():
        if not spec.get("description"):
            problems.append(f"option {where}{name} has no description")
        if not spec.get("type"):
            problems.append(f"option {where}{name} has no type")
        problems.extend(options_problems(spec.get("suboptions"), f"{where}{name}."))
    return problems


def has_sample(spec: dict) -> bool:
    """A sample of its own, or one for each of the values it contains."""
    contains = spec.get("contains") or {}
    return "sample" in spec or bool(contains) and all(has_sample(inner) for inner in contains.values())


def returns_problems(returns: dict, where: str = "") -> list:
    problems = []
    for name, spec in (returns or {}).items():
        for key in ("description", "type") if where else ("description", "type", "returned"):
            if not spec.get(key):
                problems.append(f"return value {where}{name} has no {key}")
        if not where and not has_sample(spec):
            problems.append(f"return value {name} has no sample (nor one for each value it contains)")
        problems.extend(returns_problems(spec.get("contains"), f"{where}{name}."))
    return problems


@pytest.mark.parametrize("module", MODULES)
def test_documentation_is_complete(docs, module):
    entry = docs[fqcn(module)]
    doc = entry["doc"]
    problems = []
    for key in ("short_description", "description", "author", "version_added"):
        if not doc.get(key):
            problems.append(f"DOCUMENTATION has no {key}")
    problems += options_problems(doc.get("options"), "")
    if not (entry.get("examples") or "").strip():
        problems.append("EXAMPLES is empty")
    if not entry.get("return"):
        problems.append("RETURN is empty: document what the module returns")
    problems += returns_problems(entry.get("return"))
    for attribute in ("check_mode", "diff_mode"):
        if attribute not in (doc.get("attributes") or {}):
            problems.append(f"attribute {attribute} is not documented")
    assert not problems, f"{fqcn(module)}: " + "; ".join(problems)


def tasks_of(examples: list) -> list:
    """Every task of a list of tasks or plays, including those in blocks."""
    found = []
    for item in examples:
        if not isinstance(item, dict):
            continue
        if "hosts" in item:
            for section in ("pre_tasks", "tasks", "post_tasks", "handlers"):
                found += tasks_of(item.get(section) or [])
        elif "block" in item:
            for section in ("block", "rescue", "always"):
                found += tasks_of(item.get(section) or [])
        else:
            found.append(item)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_examples_use_documented_options_of_existing_modules(docs, module):
    examples = yaml.safe_load(docs[fqcn(module)]["examples"])
    problems = []
    uses_itself = False
    for task in tasks_of(examples):
        for key, args in task.items():
            if not key.startswith("dataops.iam."):
                continue
            used = key.rsplit(".", 1)[1]
            if used not in MODULES:
                problems.append(f"task {task.get('name')!r} uses {key}, which does not exist")
                continue
            uses_itself = uses_itself or used == module
            options = docs[fqcn(used)]["doc"].get("options") or {}
            known = set(options) | {alias for spec in options.values() for alias in spec.get("aliases") or []}
            unknown = sorted(set(args or {}) - known)
            if unknown:
                problems.append(f"task {task.get('name')!r} gives {key} undocumented options {unknown}")
        if "name" not in task:
            problems.append(f"a task has no name: {task}")
    if not uses_itself:
        problems.append(f"no example uses {fqcn(module)}")
    assert not problems, f"EXAMPLES of {fqcn(module)}: " + "; ".join(problems)


def yaml_snippets() -> list:
    """``(where, text)`` of every YAML block a user may copy: the README's and the user guide's."""
    snippets = []
    readme = (REPO / "README.md").read_text()
    snippets += [("README.md", block) for block in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
    for page in sorted((REPO / "docs" / "docsite" / "rst").glob("*.rst")):
        lines = page.read_text().split("\n")
        for number, line in enumerate(lines):
            if re.match(r"\s*\.\. code-block:: yaml", line):
                indent = len(line) - len(line.lstrip())
                block = list(itertools.takewhile(
                    lambda text, indent=indent: not text.strip() or len(text) - len(text.lstrip()) > indent, lines[number + 1 :]))
                snippets.append((f"{page.name}:{number + 1}", textwrap.dedent("\n".join(block))))
    return snippets


def test_readme_and_guide_snippets_parse_and_use_documented_options(docs):
    snippets = yaml_snippets()
    assert len(snippets) >= 5, "the README and the guide show YAML examples"
    problems = []
    for where, text in snippets:
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problems.append(f"{where}: not YAML: {str(exc).splitlines()[0]}")
            continue
        for task in tasks_of(parsed if isinstance(parsed, list) else []):
            for key, args in task.items():
                if not key.startswith("dataops.iam.") or not isinstance(args, dict):
                    continue
                if key.rsplit(".", 1)[1] not in MODULES:
                    problems.append(f"{where}: {key} does not exist")
                    continue
                options = docs[key]["doc"].get("options") or {}
                known = set(options) | {alias for spec in options.values() for alias in spec.get("aliases") or []}
                if set(args) - known:
                    problems.append(f"{where}: {key} is given undocumented options {sorted(set(args) - known)}")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("module", MODULES)
def test_module_is_in_the_action_group_of_its_connection(docs, action_groups, module):
    groups = [name for name, members in action_groups.items() if module in (members or [])]
    assert len(groups) == 1, f"{module} must be in exactly one action group of meta/runtime.yml, is in {groups}"
    options = set(docs[fqcn(module)]["doc"].get("options") or {})
    missing = GROUP_OPTIONS[groups[0]] - options
    assert not missing, f"{module} is in group/dataops.iam.{groups[0]} but lacks that group's options {sorted(missing)}"


def dummy_arguments(doc: dict) -> dict:
    """Values for the required options, so that argument validation passes and the module gets to its libraries."""
    args = {}
    for name, spec in (doc.get("options") or {}).items():
        if spec.get("required"):
            args[name] = spec["choices"][0] if spec.get("choices") else DUMMY_BY_TYPE[spec.get("type", "str")]
    return args


def run_without(libraries: tuple, modules: list, docs: dict, workdir: Path):
    """One playbook run, a task per module, with ``libraries`` unimportable in the module's Python."""
    blocked = workdir / "blocked"
    for library in libraries:
        (blocked / library).mkdir(parents=True)
        (blocked / library / "__init__.py").write_text(f'raise ImportError("No module named {library} (hidden by the test)")\n')
    tasks = [
        {"name": module, fqcn(module): dummy_arguments(docs[fqcn(module)]["doc"]), "ignore_errors": True}
        for module in modules
    ]
    environment = {
        "PYTHONPATH": str(blocked),
        "CDF_URL": "http://127.0.0.1:9",
        "CDF_PROJECT": "none",
        "CDF_TOKEN": "none",
        "DKU_DSS_URL": "http://127.0.0.1:9",
        "DKU_API_KEY": "none",
    }
    return run_playbook(play(tasks), workdir, env=environment).ok()


@pytest.fixture(scope="module")
def without_libraries(docs, tmp_path_factory):
    return run_without(("httpx", "pydantic"), MODULES, docs, tmp_path_factory.mktemp("nolibs"))


@pytest.fixture(scope="module")
def without_pydantic(docs, tmp_path_factory):
    """The modules that read answers through pydantic models, and group (which must not need it)."""
    return run_without(("pydantic",), NEEDS_PYDANTIC + ["group"], docs, tmp_path_factory.mktemp("nopydantic"))


@pytest.mark.parametrize("module", MODULES)
def test_without_httpx_the_module_names_the_pip_command(without_libraries, module):
    [task] = [task for task in without_libraries.tasks if task["task"] == module]
    result = task["result"]
    assert task["status"] == "failed", result
    message = result.get("msg", "")
    assert "Traceback" not in message and "MODULE FAILURE" not in message, message
    assert "httpx" in message and "pip install" in message, f"{module} failed, but not with missing_required_lib: {message}"


@pytest.mark.parametrize("module", NEEDS_PYDANTIC + ["group"])
def test_without_pydantic_only_the_modules_that_use_it_name_it(without_pydantic, module):
    [task] = [task for task in without_pydantic.tasks if task["task"] == module]
    message = task["result"].get("msg", "")
    assert task["status"] == "failed" and "Traceback" not in message and "MODULE FAILURE" not in message, message
    if module == "group":  # it gets as far as the (unreachable) API
        assert "pydantic" not in message and "could not reach the API" in message, message
    else:
        assert "required Python library (pydantic)" in message and "pip install" in message, message
