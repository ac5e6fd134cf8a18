"""TLS. The emulator serves HTTPS with a certificate from a CA the test makes;
validate_certs: true (the default) fails clearly against that unknown CA, ca_path makes it pass, and
validate_certs: false works but warns. CDF (token endpoint and API) and DSS alike."""

from __future__ import annotations

import pytest

from emulator.process import EmulatorProcess
from runner import connection_vars, play, run_playbook
from tls_certs import make_pki

ASSETS = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def https(pki):
    with EmulatorProcess(tls=(pki.cert, pki.key), ca_path=pki.ca) as emulator:
        yield emulator


@pytest.fixture
def run_https(https, tmp_path):
    """run_https(tasks, **connection) -> PlaybookRun against the HTTPS emulator, reset first, scanned for leaks."""
    https.reset()
    runs = iter(range(1, 100))

    def _run(tasks, **connection):
        defaults = {
            "group/dataops.iam.cdf": dict(connection_vars(https), client_secret="{{ lookup('ansible.builtin.env', 'ADMIN_SECRET') }}", **connection),
            "group/dataops.iam.dss": dict(dss_url=https.url, api_key="{{ lookup('ansible.builtin.env', 'DSS_API_KEY') }}", **connection),
        }
        return run_playbook(play(tasks, module_defaults=defaults), tmp_path / f"run{next(runs)}",
                            env={"ADMIN_SECRET": "admin-secret", "DSS_API_KEY": "dss-admin-key"}, secrets=https.secrets)

    return _run


TASKS = [
    {"name": "cdf", "dataops.iam.group": {"name": "over-tls", "capabilities": [ASSETS]}},
    {"name": "dss", "dataops.iam.dss_group": {"name": "over-tls"}},
]


def names(https):
    state = https.state()
    return [g["name"] for g in state["projects"]["demo"]["groups"].values()], list(state["dss"]["groups"])


def test_an_unknown_ca_fails_clearly_and_nothing_is_sent(run_https, https):
    https.clear_log()
    tasks = [dict(task, ignore_errors=True) for task in TASKS]
    outcome = run_https(tasks)
    for name in ("cdf", "dss"):
        message = outcome.result(name)["msg"]
        assert "the TLS certificate of the server was not accepted (unable to get local issuer certificate)" in message
        assert "set ca_path to the CA bundle that issued it, or validate_certs: false" in message
        assert "Traceback" not in outcome.stdout + outcome.stderr
    assert https.requests() == [], "no request got through the handshake"
    assert "over-tls" not in names(https)[0] + names(https)[1]


def test_ca_path_makes_it_pass(run_https, https, pki):
    outcome = run_https(TASKS, ca_path=str(pki.ca))
    assert outcome.rc == 0, outcome.stdout[-3000:]
    assert outcome.result("cdf")["changed"] is True and outcome.result("dss")["changed"] is True
    assert not any("validate_certs" in warning for warning in outcome.result("cdf").get("warnings", []))
    cdf_names, dss_names = names(https)
    assert "over-tls" in cdf_names and "over-tls" in dss_names
    assert run_https(TASKS, ca_path=str(pki.ca)).ok().recap["changed"] == 0


def test_validate_certs_false_works_and_warns(run_https, https):
    outcome = run_https(TASKS, validate_certs=False).ok()
    assert outcome.result("cdf")["changed"] is True and outcome.result("dss")["changed"] is True
    assert any("validate_certs is false" in warning for warning in outcome.result("cdf")["warnings"])
    assert any("validate_certs is false" in warning for warning in outcome.result("dss")["warnings"])
    assert "[WARNING]: validate_certs is false" in outcome.stdout + outcome.stderr


def test_a_ca_path_that_is_not_a_ca_bundle_fails_clearly(run_https, https, tmp_path):
    not_a_bundle = tmp_path / "not-a-bundle.pem"
    not_a_bundle.write_text("this is not a certificate\n")
    https.clear_log()
    tasks = [dict(task, ignore_errors=True) for task in TASKS]
    for path in (not_a_bundle, tmp_path / "missing.pem"):
        outcome = run_https(tasks, ca_path=str(path))
        for name in ("cdf", "dss"):
            message = outcome.result(name)["msg"]
            assert "Cannot load the CA bundle ca_path=" in message and str(path) in message, message
    assert https.requests() == []
