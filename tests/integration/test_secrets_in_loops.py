"""The trap a new user found: a loop whose items carry passwords prints them, and the pattern the docs give instead.

Ansible prints every loop item: in the item's status line (``ok: [localhost] => (item={...})``) unless
``loop_control.label`` says what to show there, and in the item's printed result (key ``item``), which the label
does not change: with ``-v``, and for a failed item at any verbosity. ``no_log`` on the module's ``password`` option
masks the option, not the item. The tests below show each way it leaks (the leak scan catches it) and that the
documented pattern leaks nothing at ``-vvvv``, also when an item fails: the items carry only the login, and each
password is looked up by it in a vaulted dictionary (authentication.rst, "Secrets in loops"); or the whole model
goes to ``dss_access`` in one task, with no loop at all.

The passwords reach the scan as environment variables named like secrets (runner.SECRET_NAME), so that one that
was never sent (its item failed) is scanned too.
"""

from __future__ import annotations

import pytest
import yaml
from ansible.constants import DEFAULT_VAULT_ID_MATCH
from ansible.parsing.vault import VaultLib, VaultSecret

import runner

pytestmark = pytest.mark.both_paths

PASSWORDS = {"loop.ana": "Loop-trap-pa55word-ana-1", "loop.tom": "Loop-trap-pa55word-tom-2"}
SCANNED = {"SCAN_PASSWORD_%d" % number: password for number, password in enumerate(PASSWORDS.values())}
VAULT_PASSWORD = "loop-vault-pass-phrase-9"
#: The same passwords as environment variables, one per login (authentication.rst: DSS_PASSWORD_ANA_LOPEZ).
ENV_PASSWORDS = {"DSS_PASSWORD_" + login.upper().replace(".", "_"): password for login, password in PASSWORDS.items()}


def env_of(login: str) -> str:
    return "SCAN_PASSWORD_%d" % list(PASSWORDS).index(login)


#: The trap: the items carry the passwords (here from the environment, as a vault would give them).
ITEMS_WITH_PASSWORDS = [
    {"login": login, "password": "{{ lookup('ansible.builtin.env', '%s') }}" % env_of(login)} for login in PASSWORDS
]
ITEMS = [{"login": login} for login in PASSWORDS]


def user_loop(items: list, password: str, *, label: bool = True, groups=("readers",)) -> dict:
    task = {
        "name": "team",
        "dataops.iam.dss_user": {"login": "{{ item.login }}", "groups": list(groups), "password": password},
        "loop": items,
    }
    if label:
        task["loop_control"] = {"label": "{{ item.login }}"}
    return task


def failing_item(task: dict) -> dict:
    """``task`` with the groups of the second item unknown to DSS: that item fails before any write."""
    task["dataops.iam.dss_user"]["groups"] = "{{ ['readers'] if item.login == 'loop.ana' else ['no_such_group'] }}"
    task["ignore_errors"] = True
    return task


def leaked(run, tasks: list, verbosity: int, monkeypatch) -> str:
    """The scan's report of a run that must leak (at exactly ``verbosity``: make integration runs at 4)."""
    monkeypatch.setattr(runner, "DEFAULT_VERBOSITY", 0)
    with pytest.raises(AssertionError) as caught:
        run(tasks, env=SCANNED, verbosity=verbosity, report_scan=False)
    report = str(caught.value)
    assert "secrets leaked in the ansible-playbook output" in report, report
    assert not any(password in report for password in PASSWORDS.values()), "the report never shows a secret"
    return report


def test_items_that_carry_passwords_print_them_in_the_status_line(run, clean_emulator, monkeypatch):
    report = leaked(run, [user_loop(ITEMS_WITH_PASSWORDS, "{{ item.password }}", label=False)], 0, monkeypatch)
    assert "(item={'login': 'loop.ana', 'password': '<secret>'})" in report


def test_a_label_hides_them_from_the_status_line_but_not_from_the_result_at_v(run, clean_emulator, monkeypatch):
    report = leaked(run, [user_loop(ITEMS_WITH_PASSWORDS, "{{ item.password }}")], 1, monkeypatch)
    assert '"item": {"login": "loop.ana", "password": "<secret>"}' in report


def test_a_failed_item_prints_its_password_at_any_verbosity_label_or_not(run, clean_emulator, monkeypatch):
    task = failing_item(user_loop(ITEMS_WITH_PASSWORDS, "{{ item.password }}"))
    report = leaked(run, [task], 0, monkeypatch)
    assert '"item": {"login": "loop.tom", "password": "<secret>"}' in report, "the item that failed, at -v0"


def vaulted_vars(tmp_path, content: dict):
    """A vars file encrypted with Ansible Vault, and the environment that opens it (no command-line option)."""
    vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(VAULT_PASSWORD.encode()))])
    path = tmp_path / "dss_passwords.vault.yml"
    path.write_bytes(vault.encrypt(yaml.safe_dump(content)))
    password_file = tmp_path / "vault-pass"
    password_file.write_text(VAULT_PASSWORD + "\n")
    # (ANSIBLE_VAULT_PASSWORD_FILE would do as well; the scan takes variables named *PASSWORD* for secrets)
    return path, {"ANSIBLE_VAULT_IDENTITY_LIST": "default@%s" % password_file}


def test_the_documented_pattern_leaks_nothing_at_vvvv_even_when_an_item_fails(run, clean_emulator, dss, tmp_path):
    path, vault_env = vaulted_vars(tmp_path, {"vault_dss_passwords": PASSWORDS})
    pattern = user_loop(ITEMS, "{{ vault_dss_passwords[item.login] }}")
    from_env = user_loop(ITEMS, "{{ lookup('ansible.builtin.env', 'DSS_PASSWORD_' ~ item.login | upper | replace('.', '_')) }}")
    from_env["name"] = "from the environment"
    from_env["dataops.iam.dss_user"]["update_password"] = "always"  # sent again: the environment's value
    tasks = [pattern, failing_item(dict(user_loop(ITEMS, "{{ vault_dss_passwords[item.login] }}"), name="one fails")),
             from_env]
    clean_emulator.clear_log()
    playbook = runner.play(tasks, module_defaults={"group/dataops.iam.dss": {
        "dss_url": clean_emulator.url, "api_key": "{{ lookup('ansible.builtin.env', 'TEST_DSS_API_KEY') }}"}})
    playbook[0]["vars_files"] = [str(path)]
    outcome = runner.run_playbook(playbook, tmp_path / "run", verbosity=4,  # the scan runs in here
                                  env={**SCANNED, **vault_env, **ENV_PASSWORDS, "SCAN_VAULT_PASSWORD": VAULT_PASSWORD,
                                       "TEST_DSS_API_KEY": "dss-admin-key"})
    assert outcome.rc == 0 and outcome.recap["changed"] == 2, outcome.stdout
    for login, password in PASSWORDS.items():
        assert dss.password_is(login, password), "each user got the password looked up by its login"
    [failed] = [task for task in outcome.tasks if task["task"] == "one fails"]
    assert failed["status"] == "failed", "the second task failed for one item, and printed no password"
    text = outcome.stdout + outcome.stderr
    assert "(item=loop.tom)" in text and "no_such_group" in text, "the failure stays readable"
    assert not any(password in text for password in PASSWORDS.values())


def test_a_whole_model_in_one_dss_access_task_has_no_items_to_print(run, clean_emulator, dss):
    users = [{"login": login, "groups": ["readers"], "password": "{{ lookup('ansible.builtin.env', '%s') }}" % env_of(login)}
             for login in PASSWORDS]
    outcome = run([{"name": "model", "dataops.iam.dss_access": {"users": users}}], env=SCANNED, verbosity=4, diff=True)
    assert outcome.ok().recap["changed"] == 1
    assert all(dss.password_is(login, password) for login, password in PASSWORDS.items())
    assert "(set)" in outcome.stdout, "the diff says a password is set, never which"
