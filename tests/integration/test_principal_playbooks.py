"""The auth API's own credentials, end to end: project credentials are refused with a message that says why; the
documented configuration goes from an email to revoked sessions (principal_info -> login_session -> login_session_info)."""

from __future__ import annotations

from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS, principal_id
from runner import connection_vars

ALICE = principal_id("Alice")
EMAIL = "Alice.Andersen@example.com"


def auth_api_defaults(emulator) -> dict:
    """The documented configuration: the auth API options once per play, the secret from the environment."""
    return {"group/dataops.iam.auth_api": {"auth_url": emulator.url, "org": ORG, "auth_client_id": "org-admin"}}


AUTH_ENV = {"COGNITE_AUTH_CLIENT_SECRET": SEED_AUTH_CLIENTS["org-admin"][0]}


def offboarding(email: str = EMAIL) -> list:
    """The documented off-boarding: find the principal by email, sign it out everywhere, show what is left."""
    return [
        {"name": "find", "dataops.iam.principal_info": {"email": email}, "register": "leaver"},
        {"name": "revoke", "dataops.iam.login_session": {"principal": "{{ leaver.principal.id }}", "all_active": True}},
        {"name": "left", "dataops.iam.login_session_info": {"principal": "{{ leaver.principal.id }}", "status": "ACTIVE"}},
    ]


def test_project_credentials_on_login_session_fail_with_the_reason_and_write_nothing(run, clean_emulator):
    project = connection_vars(clean_emulator)
    options = {"auth_url": clean_emulator.url, "org": ORG, "principal": ALICE, "all_active": True}
    clean_emulator.clear_log()
    outcome = run([{"name": "revoke", "dataops.iam.login_session": options}],
                  module_defaults={"group/dataops.iam.cdf": project},
                  env={"COGNITE_AUTH_TOKEN": clean_emulator.admin_token()})  # the project IdP's token, by mistake
    message = outcome.result("revoke")["msg"]
    assert outcome.rc != 0 and "401" in message
    assert "accepts only tokens issued by the auth API" in message and "not by the project's identity provider" in message
    assert "COGNITE_AUTH_CLIENT_ID" in message and "COGNITE_AUTH_TOKEN" in message
    assert clean_emulator.writes() == []
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_project_options_are_not_auth_api_options(run, clean_emulator):
    """client_id/client_secret of the project's IdP are not taken by the auth API modules, not even by mistake."""
    clean_emulator.clear_log()
    task = {"name": "find", "dataops.iam.principal_info": {"org": ORG, "auth_url": clean_emulator.url,
                                                           "client_id": "admin", "client_secret": "admin-secret"}}
    message = run([task]).result("find")["msg"]
    assert "client_id, client_secret: the project's identity-provider credentials are not accepted" in message
    assert "set auth_client_id, auth_client_secret instead" in message
    # (the runner's leak scan at -vvvv checks that admin-secret is not printed: it is a no_log value here)
    missing = run([{"name": "find", "dataops.iam.principal_info": {"org": ORG, "auth_url": clean_emulator.url}}])
    assert "set auth_token (COGNITE_AUTH_TOKEN), or client credentials" in missing.result("find")["msg"]
    assert clean_emulator.requests() == []


def test_from_an_email_to_revoked_sessions_check_mode_first_then_idempotent(run, clean_emulator):
    defaults = {**auth_api_defaults(clean_emulator), "group/dataops.iam.cdf": connection_vars(clean_emulator)}
    active = [s["id"] for s in clean_emulator.state()["orgs"][ORG]["principals"][ALICE]["sessions"] if s["status"] == "ACTIVE"]
    assert active
    clean_emulator.clear_log()
    checked = run(offboarding(), module_defaults=defaults, check=True, env=AUTH_ENV).ok()
    assert checked.result("find")["principal"]["id"] == ALICE
    assert sorted(checked.result("revoke")["revoked_ids"]) == sorted(active)
    assert clean_emulator.writes() == []

    done = run(offboarding(), module_defaults=defaults, env=AUTH_ENV).ok()
    assert sorted(done.result("revoke")["revoked_ids"]) == sorted(active) and done.result("revoke")["changed"] is True
    assert done.result("left")["login_sessions"] == []
    assert [e["path"] for e in clean_emulator.writes()] == [f"/api/v1/orgs/{ORG}/principals/{ALICE}/sessions/revoke"]

    again = run(offboarding(), module_defaults=defaults, env=AUTH_ENV).ok()
    assert again.result("revoke")["changed"] is False and again.recap["changed"] == 0


def test_principal_info_lists_all_pages_and_finds_by_name(run, clean_emulator):
    tasks = [
        {"name": "all", "dataops.iam.principal_info": {"page_size": 2}},
        {"name": "users", "dataops.iam.principal_info": {"types": ["USER"]}},
        {"name": "by name", "dataops.iam.principal_info": {"name": "Carla Rossi"}},
        {"name": "nobody", "dataops.iam.principal_info": {"email": "nobody@example.com"}},
    ]
    clean_emulator.clear_log()
    outcome = run(tasks, module_defaults=auth_api_defaults(clean_emulator), env=AUTH_ENV).ok()
    assert len(outcome.result("all")["principals"]) == 7 and outcome.result("all")["principal"] is None
    assert {p["type"] for p in outcome.result("users")["principals"]} == {"USER"}
    assert outcome.result("by name")["principal"]["id"] == principal_id("Carla")
    assert outcome.result("nobody")["principals"] == [] and outcome.result("nobody")["principal"] is None
    pages = [e for e in clean_emulator.requests() if e["path"] == f"/api/v1/orgs/{ORG}/principals"]
    assert len(pages) >= 4 + 3 and clean_emulator.writes() == []
