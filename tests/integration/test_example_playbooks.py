"""playbooks/examples/<module>.yml: each runs as is against the emulator, does what it says, and re-runs cleanly."""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from ansible.constants import DEFAULT_VAULT_ID_MATCH
from ansible.parsing.vault import VaultLib, VaultSecret

from emulator.auth_api.seeds import ORG, principal_id
from emulator.cdf.seeds import person_id
from runner import REPO, play, run_playbook

EXAMPLES = REPO / "playbooks" / "examples"
CDF_MODULES = [
    "access", "security_category", "security_category_info", "session", "session_info", "pg_user", "pg_user_info",
    "token_info", "capabilities_check", "login_session", "login_session_info", "user_profile_info",
]


def playbook_env(emulator) -> dict:
    """The connection through the environment variables the playbooks read (as in real use: extra vars would show
    at -vvvv), with the emulator's clients as the scheduler's and the BI tool's service principals."""
    return {
        # no IDP_TOKEN_URL: the playbooks default to <cdf_url>/oauth2/token, the emulator's token endpoint
        "CDF_URL": emulator.url, "CDF_PROJECT": emulator.project, "IDP_CLIENT_ID": "admin", "IDP_CLIENT_SECRET": "admin-secret",
        "SCHEDULER_CLIENT_ID": "reader", "SCHEDULER_CLIENT_SECRET": "reader-secret",
        "BI_CLIENT_ID": "reader", "BI_CLIENT_SECRET": "reader-secret",
        # the auth API's own credentials (login_session examples): a service account of the auth API, not the IdP's
        "COGNITE_AUTH_URL": emulator.url, "COGNITE_AUTH_CLIENT_SECRET": "org-admin-secret",
    }


@pytest.fixture
def example(clean_emulator, tmp_path):
    """example(name, check=False, **extra_vars) -> PlaybookRun of playbooks/examples/<name>.yml on the emulator."""
    runs = iter(range(1, 100))

    def _run(name, *, check=False, diff=False, **extra_vars):
        path = EXAMPLES / f"{name}.yml"
        return run_playbook(path, tmp_path / f"run{next(runs)}", check=check, diff=diff, extra_vars=extra_vars or None,
                            env=playbook_env(clean_emulator))

    return _run


@pytest.mark.parametrize("module", CDF_MODULES)
def test_there_is_an_example_per_module(module):
    text = (EXAMPLES / f"{module}.yml").read_text()
    assert f"dataops.iam.{module}:" in text


def test_security_category_example_is_idempotent_and_auditable(example, clean_emulator):
    assert example("security_category").ok().recap["changed"] == 1, "one looped task"
    names = {c["name"] for c in clean_emulator.state()["projects"]["demo"]["securityCategories"].values()}
    assert names == {"legal-confidential", "hr-restricted"}
    clean_emulator.clear_log()
    assert example("security_category", check=True).ok().recap["changed"] == 0
    again = example("security_category").ok()
    assert again.recap["changed"] == 0
    assert clean_emulator.writes() == []
    assert "legal-confidential exists" in example("security_category_info").ok().stdout


def test_access_example_plans_then_converges_and_reruns_cleanly(example, clean_emulator, cdf):
    cdf.create_group(name="ui-made", capabilities=[{"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}}])
    seeded = {g["name"]: g["id"] for g in cdf.groups()}
    clean_emulator.clear_log()
    checked = example("access", check=True).ok()
    assert clean_emulator.writes() == [], "--check writes nothing"
    expected_lines = [
        "security_category legal-confidential: create - not in the project",
        "security_category legacy-contracts: unchanged - absent, as declared",
        "group data-engineers: create - not in the project",
        "group legacy-contractors: unchanged - absent, as declared",
        "group ui-made: purge - not in the model",
        "group admins: protected - not in the model; protected by 'admins'",
        "group readers: protected - not in the model; protected by 'readers'",
    ]
    for line in expected_lines:
        assert line in checked.stdout, line

    first = example("access").ok()
    assert first.recap["changed"] == 1, "one task"
    assert all(line in first.stdout for line in expected_lines), "the run does what --check said"
    assert sorted(g["name"] for g in cdf.groups()) == ["admins", "dashboard-viewers", "data-engineers", "readers"]
    assert {g["name"]: g["id"] for g in cdf.groups() if g["name"] in ("admins", "readers")} == {
        name: seeded[name] for name in ("admins", "readers")
    }, "the protected groups are untouched"
    names = {c["name"] for c in clean_emulator.state()["projects"]["demo"]["securityCategories"].values()}
    assert names == {"legal-confidential", "hr-restricted"}

    clean_emulator.clear_log()
    again = example("access").ok()
    assert again.recap["changed"] == 0 and clean_emulator.writes() == []
    assert "group data-engineers: unchanged" in again.stdout
    assert example("access", check=True).ok().recap["changed"] == 0
    assert clean_emulator.writes() == []


def test_the_access_as_code_page_shows_the_access_example_as_it_is():
    page = (REPO / "docs" / "docsite" / "rst" / "access_as_code.rst").read_text()
    example = (EXAMPLES / "access.yml").read_text()
    block = "\n".join(("    " + line) if line else "" for line in example.splitlines())
    assert ".. code-block:: yaml\n\n" + block + "\n\n" in page, "copy playbooks/examples/access.yml into the page"


def test_session_example_never_shows_the_nonce_and_revokes_what_it_made(example, clean_emulator):
    outcome = example("session").ok()
    created = [entry for entry in clean_emulator.writes() if entry["path"].endswith("/sessions")]
    assert len(created) == 1 and created[0]["status"] == 200
    sessions = clean_emulator.state()["projects"]["demo"]["sessions"]
    assert [session["status"] for session in sessions.values()] == ["REVOKED"]
    assert "reader-secret" not in outcome.stdout
    assert re.search(r"session \d+ of reader is READY", outcome.stdout)
    clean_emulator.clear_log()
    assert example("session", check=True).ok().recap["failed"] == 0
    assert clean_emulator.writes() == []
    assert example("session_info").ok().recap["failed"] == 0


def test_pg_user_example_stores_the_password_in_a_vault_once(example, clean_emulator, tmp_path):
    vault_password = tmp_path / "vault-pass"
    vault_password.write_text("correct horse battery staple\n")
    stored = tmp_path / "bi_pg_password.vault.yml"
    options = {"vault_password_file": str(vault_password), "bi_password_file": str(stored)}
    first = example("pg_user", **options).ok()
    text = stored.read_text()
    assert text.startswith("bi_pg_password: !vault |")
    vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(b"correct horse battery staple"))])
    password = vault.decrypt("\n".join(line.strip() for line in text.split("|", 1)[1].splitlines() if line.strip()))
    assert len(password) > 10
    assert password.decode() not in first.stdout + first.stderr
    assert re.search(r"pgu_\w+ on \S+", first.stdout)

    second = example("pg_user", **options).ok()
    assert second.recap["changed"] == 0 and stored.read_text() == text, "found again, the vault file left alone"
    rotated = example("pg_user", rotate=True, **options).ok()
    assert rotated.recap["changed"] == 1
    [username] = clean_emulator.state()["projects"]["demo"]["pgUsers"]
    assert username in example("pg_user_info").ok().stdout


def test_token_and_capabilities_examples(example):
    assert "admin reaches ['demo']" in example("token_info").ok().stdout
    check = example("capabilities_check").ok()
    assert "readers lacks ['assetsAcl: READ [all]']" in check.stdout


def test_login_session_examples_sign_the_leaver_out(example, clean_emulator):
    before = example("login_session_info").ok()
    active = [s["id"] for s in clean_emulator.state()["orgs"][ORG]["principals"][principal_id("Alice")]["sessions"]
              if s["status"] == "ACTIVE"]
    assert all(session_id in before.stdout for session_id in active)
    clean_emulator.clear_log()
    assert "revoked 2 login sessions" in example("login_session", check=True).ok().stdout
    assert clean_emulator.writes() == []
    assert "revoked 2 login sessions" in example("login_session").ok().stdout
    again = example("login_session").ok()
    assert "revoked 0 login sessions" in again.stdout and again.recap["changed"] == 0


def test_user_profile_example_fills_a_groups_members(example, cdf):
    example("user_profile_info").ok()
    [group] = cdf.groups("analysts")
    assert sorted(group["members"]) == sorted([person_id("Alice"), person_id("Carla")])
    assert example("user_profile_info").ok().recap["changed"] == 0


# -- every playbook and module example that handles a secret, at -vvvv: 0 leaks --------------------------------
PLAYBOOKS = sorted((REPO / "playbooks").glob("*.yml")) + sorted(EXAMPLES.glob("*.yml"))
#: What makes a playbook or an example handle a secret: a credential option, or a module that returns one.
HANDLES_SECRETS = re.compile(r"password|secret|api_key|nonce|token|client_credentials", re.IGNORECASE)
#: The hosts the module examples name, and the emulator's in their place ("{url}").
PLACEHOLDERS = {
    "https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token": "{url}/oauth2/token",
    "https://westeurope-1.cognitedata.com": "{url}",
    "https://dss.example.com:11200": "{url}",
    "project: my-project": "project: demo",
}
#: The secrets a user's vault gives the examples (extra vars from a file: -e @vault.yml).
VAULT_VARS = {
    "vault_jdoe_initial_password": "Example-jdoe-pa55word-1",
    "vault_dss_passwords": {"ana.lopez": "Example-ana-pa55word-2", "tom.berg": "Example-tom-pa55word-3"},
    "vault_initial_password": "Example-team-pa55word-4",
    "powerbi_client_id": "reader", "powerbi_client_secret": "reader-secret",
    "scheduler_client_id": "reader", "scheduler_client_secret": "reader-secret",
}
VAULT_PASSWORD = "correct horse battery staple"


def module_examples(module: str) -> str:
    """The EXAMPLES text of plugins/modules/<module>.py (read, not imported)."""
    tree = ast.parse((REPO / "plugins" / "modules" / f"{module}.py").read_text())
    [text] = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
              and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets)]
    return text


MODULE_NAMES = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
#: The modules whose examples handle a secret beyond the connection's own: a password, a nonce, a token.
SECRET_EXAMPLES = [name for name in MODULE_NAMES
                   if re.search(r"password|nonce|client_credentials|dataops\.iam\.cdf_token:", module_examples(name))]


def runnable_example(module: str, url: str) -> list:
    """The module's EXAMPLES as a playbook pointed at the emulator: the example hosts replaced, a task list put
    in a play (its connection from the environment, as playbook_env sets it)."""
    text = module_examples(module)
    for placeholder, replacement in PLACEHOLDERS.items():
        text = text.replace(placeholder, replacement.format(url=url))
    parsed = yaml.safe_load(text)
    if parsed and "hosts" in parsed[0]:
        return parsed
    return play(parsed)


def everything_env(emulator, tmp_path) -> dict:
    env = dict(playbook_env(emulator), IDP_TOKEN_URL=emulator.url + "/oauth2/token", DKU_DSS_URL=emulator.url,
               DKU_API_KEY="dss-admin-key", DSS_INITIAL_PASSWORD="Team-initial-pa55word-5")
    env["PATH"] = "%s:%s" % (Path(sys.executable).parent, os.environ.get("PATH", ""))  # ansible-vault, as installed
    return env


def vault_password_file(tmp_path) -> Path:
    path = tmp_path / "vault-pass"
    path.write_text(VAULT_PASSWORD + "\n")
    return path


def test_every_playbook_and_secret_example_is_scanned():
    assert all(HANDLES_SECRETS.search(path.read_text()) for path in PLAYBOOKS), "each one signs in: a secret"
    assert len(PLAYBOOKS) >= 17
    assert {"dss_user", "dss_access", "pg_user", "session", "cdf_token"} <= set(SECRET_EXAMPLES), SECRET_EXAMPLES


@pytest.mark.parametrize("path", PLAYBOOKS, ids=lambda path: str(path.relative_to(REPO / "playbooks")))
def test_no_playbook_leaks_a_secret_at_vvvv(path, clean_emulator, dss, tmp_path):
    extra: dict = {}
    if path.name == "demo.yml":
        extra = {"cdf_url": clean_emulator.url}
    if path.name == "dss_team.yml":  # one person's own initial password, looked up by login
        extra = {"dss_initial_passwords": {"maria.rossi": "Maria-own-pa55word-6"}}
    if path.name == "audit.yml":  # the reports go to the test's directory, not the checkout's
        extra = {"audit_report": str(tmp_path / "cdf-audit-report.md")}
    if path.name == "dss_audit.yml":
        extra = {"dss_audit_report": str(tmp_path / "dss-audit-report.md")}
    if path.name == "pg_user.yml":
        extra = {"vault_password_file": str(vault_password_file(tmp_path)), "bi_password_file": str(tmp_path / "pw.yml")}
    # verbosity 4 whatever DATAOPS_IAM_TEST_VERBOSITY says; run_playbook scans every byte (a leak fails it there)
    outcome = run_playbook(path, tmp_path / "run", verbosity=4, extra_vars=extra or None,
                           env=everything_env(clean_emulator, tmp_path)).ok()
    assert outcome.recap["failed"] == 0
    if path.name == "pg_user.yml":
        text = (tmp_path / "pw.yml").read_text()
        vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(VAULT_PASSWORD.encode()))])
        password = vault.decrypt("\n".join(line.strip() for line in text.split("|", 1)[1].splitlines() if line.strip()))
        assert password.decode() in clean_emulator.secrets(), "the issued password is scanned"
    if path.name == "dss_team.yml":
        assert dss.password_is("maria.rossi", "Maria-own-pa55word-6")
        assert dss.password_is("tom.berg", "Team-initial-pa55word-5")
        assert {"Maria-own-pa55word-6", "Team-initial-pa55word-5"} <= set(clean_emulator.secrets()), "scanned"


@pytest.mark.parametrize("module", SECRET_EXAMPLES)
def test_no_module_example_leaks_a_secret_at_vvvv(module, clean_emulator, dss, tmp_path):
    """The module's EXAMPLES as ansible-doc shows them, run against the emulator with the secrets a vault would
    give them; the instance holds what the examples take for granted (the groups they name)."""
    for group in ("project_x", "data_scientists", "analysts"):
        dss.create_group(group)
    (tmp_path / "run" / "vars").mkdir(parents=True)  # where pg_user's example stores the password it got
    extra = dict(VAULT_VARS, vault_password_file=str(vault_password_file(tmp_path)), dss_model={
        "groups": [{"name": "data_scientists"}, {"name": "analysts"}],
        "users": [{"login": "admin", "groups": ["administrators"]},
                  {"login": "maria.rossi", "groups": ["data_scientists"], "password": "{{ vault_initial_password }}"}],
    })
    outcome = run_playbook(runnable_example(module, clean_emulator.url), tmp_path / "run", verbosity=4,
                           extra_vars=extra, env=everything_env(clean_emulator, tmp_path)).ok()
    assert outcome.recap["failed"] == 0, outcome.stdout
    sent = {"dss_user": [VAULT_VARS["vault_jdoe_initial_password"], *VAULT_VARS["vault_dss_passwords"].values()],
            "dss_access": [VAULT_VARS["vault_initial_password"]]}.get(module, [])
    assert set(sent) <= set(clean_emulator.secrets()), "the passwords the example sent are scanned"
