"""The AWX / Automation Platform credential types of extras/awx/credential_types/, each checked as AWX checks one and
then used as AWX uses one: its injectors rendered into environment variables, and a real playbook run whose tasks
set no connection option at all, with only those variables (every CDF_/IDP_/DKU_/COGNITE_ variable of the test
runner dropped), against the emulator.

What AWX does, from its source (awx/main/models/credential/__init__.py, ``CredentialType.inject_credential``;
awx/main/fields.py, ``CredentialTypeInputField`` and ``CredentialTypeInjectorField``):

- a field's value goes into the template namespace only when it is not empty (``if len(value)``): a field left empty
  is missing from it, whether the credential's inputs leave it out or hold ``""``;
- every ``env`` injector is rendered with ``jinja2.sandbox.ImmutableSandboxedEnvironment()`` (default ``Undefined``)
  and always set: a field left empty gives the variable ``""``, never an unset variable;
- the job's stored environment (``safe_env``) is rendered with ``**********`` for each secret field;
- a credential type is refused when a field id is not a variable name, is ``tower`` or repeats, when an injector
  template names no field (rendered with ``StrictUndefined`` and every field set to ``EXAMPLE``), or when an ``env``
  variable starts with ``ANSIBLE_``; env values must be ASCII.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.dataops.iam.plugins.doc_fragments import auth_api as auth_api_fragment
from ansible_collections.dataops.iam.plugins.doc_fragments import cdf as cdf_fragment
from ansible_collections.dataops.iam.plugins.doc_fragments import dss as dss_fragment
from ansible_collections.dataops.iam.plugins.module_utils.auth_api.connection import auth_api_argument_spec
from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import cdf_argument_spec
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import dss_argument_spec
from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS, principal_id
from runner import REPO, play, playbook_environment, run_playbook

pytestmark = pytest.mark.both_paths

FOLDER = REPO / "extras" / "awx" / "credential_types"
#: Each shipped file and the connection options (doc fragment, argument spec) its variables are for.
AREAS = {"cdf_client_credentials": "cdf", "cdf_token": "cdf", "cognite_auth_api": "auth_api", "dss": "dss"}
FRAGMENTS = {"cdf": cdf_fragment, "auth_api": auth_api_fragment, "dss": dss_fragment}
SPECS = {"cdf": cdf_argument_spec, "auth_api": auth_api_argument_spec, "dss": dss_argument_spec}
#: CDF_URL and CDF_CLUSTER are read by cdf/connection.py ``with_environment``, not by argument spec fallbacks.
EXTRA_VARIABLES = {"cdf": {"CDF_URL": "base_url", "CDF_CLUSTER": "cluster"}, "auth_api": {}, "dss": {}}
#: The keys awx/main/fields.py allows (CredentialTypeInputField's schema; additionalProperties: false).
FIELD_KEYS = {"id", "label", "type", "format", "choices", "help_text", "multiline", "secret", "ask_at_runtime", "default"}
NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
PREFIXES = ("CDF_", "IDP_", "DKU_", "COGNITE_")
HIDDEN = "**********"


def load(name: str) -> dict:
    return yaml.safe_load((FOLDER / f"{name}.yml").read_text())


def field_ids(credential_type: dict) -> list[str]:
    return [field["id"] for field in credential_type["inputs"]["fields"]]


def secret_ids(credential_type: dict) -> set[str]:
    return {field["id"] for field in credential_type["inputs"]["fields"] if field.get("secret") is True}


def referenced(template: str) -> set[str]:
    return meta.find_undeclared_variables(ImmutableSandboxedEnvironment().parse(template))


def awx_problems(credential_type: dict) -> list[str]:
    """What AWX's CredentialTypeInputField and CredentialTypeInjectorField refuse in ``credential_type``."""
    problems, seen = [], set()
    for field in credential_type["inputs"]["fields"]:
        extra = set(field) - FIELD_KEYS
        if extra or not {"id", "label"} <= set(field):
            problems.append(f"field {field}: keys {sorted(extra)} not allowed, or no id/label")
        if not NAME.match(field.get("id", "")) or field.get("id") in seen or field.get("id") == "tower":
            problems.append(f"field id {field.get('id')!r} is not a variable name, repeats, or is reserved")
        seen.add(field.get("id"))
        kind = field.get("type", "string")
        if kind not in ("string", "boolean") or field.get("format", "url") not in ("ssh_private_key", "url"):
            problems.append(f"field {field['id']}: type {kind!r} or format {field.get('format')!r}")
        if "default" in field and not isinstance(field["default"], {"string": str, "boolean": bool}[kind]):
            problems.append(f"field {field['id']}: default is not a {kind}")
    problems += [f"required {name!r} is no field" for name in credential_type["inputs"].get("required", [])
                 if name not in seen]
    example = {name: "EXAMPLE" for name in seen}
    for variable, template in credential_type["injectors"].get("env", {}).items():
        if not NAME.match(variable) or variable.startswith("ANSIBLE_") or not template.isascii():
            problems.append(f"env {variable}: not allowed")
        try:
            ImmutableSandboxedEnvironment(undefined=StrictUndefined).from_string(template).render(example)
        except Exception as exc:  # noqa: BLE001 - AWX refuses the type on any of UndefinedError, SecurityError, syntax
            problems.append(f"env {variable} uses an undefined field ({exc})")
    return problems


def inject(credential_type: dict, inputs: dict, safe: bool = False) -> dict[str, str]:
    """The environment variables AWX gives a job for a credential with ``inputs`` (``safe``: those it stores)."""
    secrets = secret_ids(credential_type)
    namespace = {}
    for name, value in inputs.items():
        if isinstance(value, bool):
            namespace[name] = value
        elif len(value):
            namespace[name] = HIDDEN if safe and name in secrets else value
    for field in credential_type["inputs"]["fields"]:
        if field.get("type") == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    sandbox = ImmutableSandboxedEnvironment()
    return {variable: sandbox.from_string(template).render(**namespace)
            for variable, template in credential_type["injectors"]["env"].items()}


def read_by_modules(area: str) -> dict[str, dict]:
    """Each environment variable the modules of ``area`` read, with the option (argument spec entry) it fills."""
    spec = SPECS[area]()
    found = {names[0]: spec[option] for option, entry in spec.items()
             if (names := (entry.get("fallback") or (None, [None]))[1]) and names[0]}
    found.update({variable: spec[option] for variable, option in EXTRA_VARIABLES[area].items()})
    return found


@pytest.mark.parametrize("name", sorted(AREAS))
def test_the_type_is_one_awx_accepts(name: str):
    credential_type = load(name)
    assert set(credential_type) == {"name", "description", "kind", "inputs", "injectors"}
    assert credential_type["kind"] == "cloud" and credential_type["name"].startswith("dataops.iam ")
    assert set(credential_type["injectors"]) == {"env"}, "no extra_vars or file injector: secrets stay out of vars"
    assert awx_problems(credential_type) == []


@pytest.mark.parametrize("name", sorted(AREAS))
def test_each_variable_is_one_the_modules_read_and_secrets_are_secret(name: str):
    credential_type, area = load(name), AREAS[name]
    modules_read = read_by_modules(area)
    documented = set(re.findall(r"E\((\w+)\)", FRAGMENTS[area].ModuleDocFragment.DOCUMENTATION))
    ids, secrets, used = set(field_ids(credential_type)), secret_ids(credential_type), set()
    for variable, template in credential_type["injectors"]["env"].items():
        fields = referenced(template)
        assert len(fields) == 1 and fields <= ids, f"{variable}: {template!r} names {fields}, not one field"
        assert variable in modules_read and variable in documented, f"{variable}: no {area} module reads it"
        assert (fields <= secrets) == bool(modules_read[variable].get("no_log")), f"{variable}: secret or not"
        used |= fields
    assert used == ids, f"fields no variable uses: {ids - used}"
    assert set(credential_type["inputs"]["required"]) >= secrets, "every secret is required: the type is for it"


def test_the_folder_holds_the_four_types():
    assert sorted(path.stem for path in FOLDER.glob("*")) == sorted(AREAS)
    names = [load(name)["name"] for name in AREAS]
    assert len(set(names)) == len(names)


def test_a_field_left_empty_is_injected_as_an_empty_string_or_its_default():
    credential_type = load("cognite_auth_api")
    given = {"org": ORG, "auth_client_id": "org-admin", "auth_client_secret": "s3cret"}
    left_out = inject(credential_type, given)
    assert left_out == inject(credential_type, {**given, "auth_url": "", "auth_token_url": ""})
    assert left_out["COGNITE_AUTH_URL"] == "https://auth.cognite.com"
    assert left_out["COGNITE_AUTH_TOKEN_URL"] == ""
    cdf = inject(load("cdf_client_credentials"), {"cdf_cluster": "westeurope-1", "project": "p"})
    assert cdf["CDF_URL"] == cdf["IDP_SCOPES"] == cdf["IDP_AUDIENCE"] == "" and cdf["CDF_CLUSTER"] == "westeurope-1"


@pytest.mark.parametrize("name", sorted(AREAS))
def test_the_stored_job_environment_hides_every_secret(name: str):
    credential_type = load(name)
    inputs = {field_id: f"value-of-{field_id}" for field_id in field_ids(credential_type)}
    stored = inject(credential_type, inputs, safe=True)
    for field_id in secret_ids(credential_type):
        assert not [value for value in stored.values() if inputs[field_id] in value], f"{field_id} is stored"
    assert HIDDEN in stored.values()


# --- real runs against the emulator ---------------------------------------------------------------------------


@pytest.fixture
def awx_job(monkeypatch, tmp_path):
    """run(name, inputs, tasks) -> PlaybookRun: ``tasks`` (no connection option in them) run with only the variables
    AWX injects for a credential of type ``name`` with ``inputs``; none of the test runner's own."""
    for variable in [key for key in list(os.environ) if key.startswith(PREFIXES)]:
        monkeypatch.delenv(variable)
    inherited = [key for key in playbook_environment(tmp_path, tmp_path / "r") if key.startswith(PREFIXES)]
    assert inherited == []

    def run(name: str, inputs: dict, tasks: list, label: str = "run"):
        area = AREAS[name]
        options = set(SPECS[area]())
        for task in tasks:
            [module] = [key for key in task if key.startswith("dataops.iam.")]
            assert not options & set(task[module]), f"{module} sets connection options"
        env = inject(load(name), inputs)
        return run_playbook(play(tasks), tmp_path / label, env=env, verbosity=3)

    return run


def token_requests(emulator) -> list:
    return [entry["body"] for entry in emulator.requests() if entry["path"] == "/oauth2/token"]


def cdf_inputs(emulator) -> dict:
    """A CDF client-credentials credential as a user fills it in: base URL, no cluster, no scopes, no audience."""
    return {"cdf_url": emulator.url, "cdf_cluster": "", "project": emulator.project, "client_id": "admin",
            "token_url": f"{emulator.url}/oauth2/token", "client_secret": "admin-secret", "scopes": "", "audience": ""}


GROUP = {"name": "awx-provisioned", "source_id": "8d1f0a2b-1111-4c3d-9e5f-00aa11bb22cc",
         "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]}


def test_cdf_client_credentials(awx_job, clean_emulator):
    tasks = [{"name": "provision", "dataops.iam.group": GROUP},
             {"name": "read", "dataops.iam.group_info": {}}]
    clean_emulator.clear_log()
    first = awx_job("cdf_client_credentials", cdf_inputs(clean_emulator), tasks, "first").ok()
    assert first.result("provision")["changed"] is True
    assert {"admins", "readers", "awx-provisioned"} <= {group["name"] for group in first.result("read")["groups"]}
    # an empty IDP_SCOPES and IDP_AUDIENCE count as unset: the default scope, no audience
    assert token_requests(clean_emulator)[0] == {"grant_type": "client_credentials",
                                                 "scope": f"{clean_emulator.url}/.default"}
    second = awx_job("cdf_client_credentials", cdf_inputs(clean_emulator), tasks, "second").ok()
    assert second.recap["changed"] == 0


def test_cdf_client_credentials_with_both_the_url_and_a_cluster_the_url_wins(awx_job, clean_emulator):
    inputs = {**cdf_inputs(clean_emulator), "cdf_cluster": "westeurope-1"}
    outcome = awx_job("cdf_client_credentials", inputs, [{"name": "read", "dataops.iam.group_info": {}}]).ok()
    assert outcome.result("read")["groups"], "CDF_URL wins over CDF_CLUSTER (a real cluster), as documented"


def test_cdf_token(awx_job, clean_emulator):
    token = clean_emulator.admin_token()
    clean_emulator.clear_log()
    inputs = {"cdf_url": clean_emulator.url, "project": clean_emulator.project, "token": token}
    outcome = awx_job("cdf_token", inputs, [{"name": "read", "dataops.iam.group_info": {}}]).ok()
    assert {"admins", "readers"} <= {group["name"] for group in outcome.result("read")["groups"]}
    assert token_requests(clean_emulator) == [], "the token is sent as is"


def test_an_empty_cdf_token_beside_client_credentials_counts_as_unset(awx_job, clean_emulator, monkeypatch):
    monkeypatch.setenv("CDF_TOKEN", "")  # as a token field left empty would inject it
    clean_emulator.clear_log()
    outcome = awx_job("cdf_client_credentials", cdf_inputs(clean_emulator), [{"name": "me", "dataops.iam.token_info": {}}])
    assert outcome.ok().result("me")["token"]["subject"] == "admin"
    assert len(token_requests(clean_emulator)) == 1


def test_cognite_auth_api_service_account(awx_job, clean_emulator):
    inputs = {"org": ORG, "auth_client_id": "org-admin", "auth_client_secret": SEED_AUTH_CLIENTS["org-admin"][0],
              "auth_url": clean_emulator.url, "auth_token_url": ""}
    tasks = [{"name": "all", "dataops.iam.principal_info": {}},
             {"name": "alice", "dataops.iam.principal_info": {"email": "alice.andersen@example.com"}}]
    clean_emulator.clear_log()
    outcome = awx_job("cognite_auth_api", inputs, tasks).ok()
    assert len(outcome.result("all")["principals"]) == 7
    assert outcome.result("alice")["principal"]["id"] == principal_id("Alice")
    # the empty token URL counts as unset (<auth_url>/oauth2/token), and no scope is sent
    forms = token_requests(clean_emulator)
    assert forms and all(form == {"grant_type": "client_credentials"} for form in forms), forms


def test_dss_api_key(awx_job, clean_emulator):
    inputs = {"dss_url": clean_emulator.url, "api_key": "dss-admin-key"}
    outcome = awx_job("dss", inputs, [{"name": "users", "dataops.iam.dss_user_info": {}}]).ok()
    assert {"admin", "analyst"} <= {user["login"] for user in outcome.result("users")["users"]}


def test_without_the_credential_the_tasks_fail_naming_the_variables(awx_job, clean_emulator, tmp_path: Path):
    # the control: the same kind of task, no credential attached (nothing injected), fails before any request
    clean_emulator.clear_log()
    outcome = run_playbook(play([{"name": "read", "dataops.iam.group_info": {}}]), tmp_path / "none", verbosity=3)
    message = outcome.result("read")["msg"]
    assert "CDF_URL" in message and "CDF_PROJECT" in message and "IDP_CLIENT_SECRET" in message
    assert clean_emulator.requests() == []
