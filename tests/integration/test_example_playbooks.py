"""playbooks/examples/<module>.yml: each runs as is against the emulator, does what it says, and re-runs cleanly."""

from __future__ import annotations

import re

import pytest
from ansible.constants import DEFAULT_VAULT_ID_MATCH
from ansible.parsing.vault import VaultLib, VaultSecret

from emulator.auth_api.seeds import ORG, principal_id
from emulator.cdf.seeds import person_id
from runner import REPO, run_playbook

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


def test_no_secret_the_emulator_knows_reaches_the_output_of_the_examples(example, clean_emulator, tmp_path):
    vault_password = tmp_path / "vault-pass"
    vault_password.write_text("correct horse battery staple\n")
    outputs = []
    for name, extra in [
        ("session", {}),
        ("pg_user", {"vault_password_file": str(vault_password), "bi_password_file": str(tmp_path / "pw.yml")}),
        ("pg_user", {"rotate": True}),
        ("login_session", {}),
        ("capabilities_check", {}),
    ]:
        outcome = run_playbook(EXAMPLES / f"{name}.yml", tmp_path / f"leak-{len(outputs)}", verbosity=4,
                               extra_vars=extra or None, env=playbook_env(clean_emulator))
        outputs.append(outcome.ok().stdout + outcome.stderr)
    secrets = clean_emulator.secrets()
    text = (tmp_path / "pw.yml").read_text()
    vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(b"correct horse battery staple"))])
    password = vault.decrypt("\n".join(line.strip() for line in text.split("|", 1)[1].splitlines() if line.strip()))
    assert password.decode() in secrets, "the scan covers the issued passwords (and nonces, tokens, client secrets)"
    leaked = [secret for secret in secrets if any(secret in output for output in outputs)]
    assert leaked == [], f"secrets in the output: {leaked}"
