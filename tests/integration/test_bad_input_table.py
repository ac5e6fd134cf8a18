"""A table of bad inputs across the modules. Each case fails with a message that
names the field and the fix, writes nothing (the emulator's request log proves it), and shows no traceback.

All cases run as the tasks of one playbook (``ignore_errors``, so one run covers them all) at the suite's
verbosity; the cases that need a server of their own (HTTPS with an unknown CA) get one from the module
fixture. Each case is ``(id, module, options, [texts the message must contain])``: the texts are the field (or
the value) the message names and the words of the fix.
"""

from __future__ import annotations

import pytest

from emulator.process import EmulatorProcess
from tls_certs import make_pki

pytestmark = pytest.mark.both_paths

ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
UNREACHABLE = "http://127.0.0.1:9"  # discard port: nothing listens on loopback
ORG = {"org": "demo-org", "principal": "00000000-0000-4000-8000-000000000000"}
STRAY_TOKEN_URL = "login.example.com/t/oauth2/v2.0/token"
TOKEN_URL_EXAMPLE = "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"
#: The client secret of the cases with a token URL without its scheme: the emulator must never receive it.
STRAY_SECRET = "{{ lookup('ansible.builtin.env', 'STRAY_SECRET') }}"


def cdf(base_url, **overrides):
    """Full CDF connection options (tasks override module_defaults with them)."""
    options = {"base_url": base_url, "project": "demo", "token_url": f"{base_url}/oauth2/token",
               "client_id": "admin", "client_secret": "{{ lookup('ansible.builtin.env', 'ADMIN_SECRET') }}"}
    options.update(overrides)
    return options


def cases(url: str, tls_url: str) -> list:
    """Every bad input: (id, module, options, expected texts)."""
    bad_tls = cdf(tls_url)
    return [
        # -- group: input checks --------------------------------------------------------------------
        ("group unknown state", "group", {"name": "g", "state": "gone"}, ["state", "present, absent", "gone"]),
        ("group capabilities not dicts", "group", {"name": "g", "capabilities": ["groupsAcl"]}, ["capabilities", "dict"]),
        ("group actions not a list", "group",
         {"name": "g", "capabilities": [{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}]}, ["actions", "groupsAcl"]),
        ("group two scopes", "group",
         {"name": "g", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}, "currentuserscope": {}}}}]},
         ["groupsAcl", "scope"]),
        ("group scope ids not integers", "group",
         {"name": "g", "capabilities": [{"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ["abc"]}}}}]},
         ["datasetsAcl", "abc"]),
        ("group no actions", "group", {"name": "g", "capabilities": [{"groupsAcl": {"scope": {"all": {}}}}]}, ["groupsAcl", "actions"]),
        ("group empty name", "group", {"name": "", "capabilities": [ASSETS_READ]}, ["name must not be empty"]),
        ("group blank name", "group", {"name": "   "}, ["name must not be empty"]),
        ("group metadata 17 keys", "group", {"name": "g", "metadata": {f"k{i}": "v" for i in range(17)}},
         ["metadata", "17 keys", "at most 16"]),
        ("group metadata value too long", "group", {"name": "g", "metadata": {"k": "x" * 513}}, ["metadata['k']", "at most 512"]),
        ("group metadata key too long", "group", {"name": "g", "metadata": {"k" * 33: "v"}}, ["metadata key", "at most 32"]),
        ("group metadata too big", "group", {"name": "g", "metadata": {f"k{i}": "x" * 300 for i in range(15)}},
         ["metadata is", "at most 4096"]),
        ("group metadata not a string", "group", {"name": "g", "metadata": {"k": 1}}, ["metadata['k']", "must be a string", "quote"]),
        ("group members with source_id", "group", {"name": "g", "members": ["a"], "source_id": "s"},
         ["mutually exclusive", "source_id", "members"]),
        ("group allUserAccounts not alone", "group", {"name": "g", "members": ["allUserAccounts", "a"]},
         ["members", "allUserAccounts stands alone"]),
        ("group on_duplicates unknown", "group", {"name": "g", "on_duplicates": "merge"}, ["on_duplicates", "fail, consolidate"]),
        ("group timeout not a number", "group", {"name": "g", "timeout": "soon"}, ["timeout", "float"]),
        ("group base_url and cluster", "group", {"name": "g", "cluster": "westeurope-1"}, ["mutually exclusive", "base_url", "cluster"]),
        # -- other CDF modules ----------------------------------------------------------------------
        ("category empty name", "security_category", {"name": ""}, ["name", "empty"]),
        ("category unknown state", "security_category", {"name": "c", "state": "deleted"}, ["state", "present, absent"]),
        ("category info page size", "security_category_info", {"page_size": 5000}, ["page_size", "between 1 and 1000"]),
        ("session both kinds", "session", {"client_credentials": {"client_id": "a", "client_secret": "long-enough-secret"},
                                           "token_exchange": True}, ["client_credentials and token_exchange", "mutually exclusive"]),
        ("session revoke without id", "session", {"state": "absent"}, ["state=absent needs id"]),
        ("session ids not integers", "session", {"state": "absent", "id": ["abc"]}, ["id", "int"]),
        ("session info limit", "session_info", {"limit": 0}, ["limit", "at least 1"]),
        ("pg_user nonce on absent", "pg_user", {"state": "absent", "username": "u", "nonce": "{{ lookup('ansible.builtin.env', 'NONCE') }}"},
         ["nonce", "state=present"]),
        ("pg_user rotate without credentials", "pg_user", {"username": "u", "rotate_credentials": True},
         ["rotate_credentials needs client_credentials", "nonce"]),
        ("pg_user nothing to find by", "pg_user", {}, ["set username", "client_credentials"]),
        ("capabilities_check malformed", "capabilities_check", {"capabilities": [{"groupsAcl": {"actions": "LIST"}}]},
         ["Invalid capabilities", "groupsAcl"]),
        ("capabilities_check empty group", "capabilities_check", {"capabilities": [ASSETS_READ], "group": ""},
         ["group must not be empty"]),
        ("profile info two lookups", "user_profile_info", {"me": True, "search": "Al"}, ["mutually exclusive", "set one"]),
        ("login sessions invalid org id", "login_session_info", {"org": "Demo_Org!", "principal": "p", "auth_url": url},
         ["org 'Demo_Org!'", "lower-case letters"]),
        ("login sessions auth_url not a URL", "login_session_info", dict(ORG, auth_url="auth.cognite.com"),
         ["auth_url", "http"]),
        ("login sessions unknown status", "login_session_info", dict(ORG, auth_url=url, status="GONE"), ["status", "ACTIVE"]),
        ("login session ids and all_active", "login_session", dict(ORG, auth_url=url, ids=["x"], all_active=True),
         ["ids and all_active", "mutually exclusive"]),
        # -- DSS ------------------------------------------------------------------------------------
        ("dss invalid login", "dss_user", {"login": "a/b"}, ["login 'a/b'", "letters, digits and . _ - @"]),
        ("dss invalid email", "dss_user", {"login": "ok", "email": "not-an-address"}, ["email", "not an e-mail address"]),
        ("dss property not a string", "dss_user", {"login": "ok", "user_properties": {"n": 3}},
         ["user_properties['n']", "must be a string", "quote"]),
        ("dss password for LDAP", "dss_user", {"login": "ok", "source_type": "LDAP", "password": "{{ lookup('ansible.builtin.env', 'PASSWORD') }}"},
         ["password applies to LOCAL users only"]),
        ("dss update_password unknown", "dss_user", {"login": "ok", "update_password": "sometimes"},
         ["update_password", "on_create, always"]),
        ("dss enabled not a boolean", "dss_user", {"login": "ok", "enabled": "maybe"}, ["enabled", "bool"]),
        ("dss bad group name", "dss_user", {"login": "ok", "groups": ["bad group"]}, ["groups: group 'bad group'"]),
        ("dss group invalid name", "dss_group", {"name": "bad group"}, ["name 'bad group'", "letters, digits"]),
        ("dss permission not a boolean", "dss_group", {"name": "g", "permissions": {"mayCreateProjects": "maybe"}},
         ["permissions['mayCreateProjects']", "true or false", "yes/no"]),
        ("dss permission a number not 0 or 1", "dss_group", {"name": "g", "permissions": {"mayCreateProjects": 2}},
         ["permissions['mayCreateProjects']", "true or false", "got 2"]),
        ("dss properties_mode unknown", "dss_user", {"login": "ok", "properties_mode": "replace"},
         ["properties_mode", "merge, exact"]),
        ("dss info inactive_days 0", "dss_user_info", {"inactive_days": 0}, ["inactive_days must be a number of days from 1 to 36500, got 0"]),
        ("dss info inactive_days negative", "dss_user_info", {"inactive_days": -30}, ["inactive_days", "got -30"]),
        ("dss info inactive_days not a number", "dss_user_info", {"inactive_days": "ninety"}, ["inactive_days", "int"]),
        ("dss info activity not a boolean", "dss_user_info", {"activity": "some"}, ["activity", "bool"]),
        ("dss permission not a flag name", "dss_group", {"name": "g", "permissions": {"create_projects": True}},
         ["permissions", "mayXxx"]),
        ("dss regex invalid", "dss_group", {"name": "g", "can_obtain_api_ticket_from_cookies_for_groups_regex": "("},
         ["can_obtain_api_ticket_from_cookies_for_groups_regex", "regular expression"]),
        ("dss info invalid login", "dss_user_info", {"login": "a b"}, ["login 'a b'", "letters, digits"]),
        ("dss group info invalid name", "dss_group_info", {"name": "data team"},
         ["Invalid DSS group name", "name 'data team'", "letters, digits"]),
        ("dss group info name of dots", "dss_group_info", {"name": ".."}, ["name '..' is not a name"]),
        ("dss group info members not a boolean", "dss_group_info", {"members": "some"}, ["members", "bool"]),
        # -- connection: credentials, URL, project, TLS, 401, 403 ----------------------------------------
        ("cdf_token without client credentials", "cdf_token", cdf(url, client_secret=""),
         ["cdf_token gets a token with client credentials", "client_secret", "IDP_CLIENT_SECRET"]),
        ("cdf_token wrong client secret (401)", "cdf_token",
         cdf(url, client_secret="{{ lookup('ansible.builtin.env', 'WRONG_SECRET') }}"),
         ["Getting a token failed", "HTTP 401", "client_secret"]),
        ("cdf_token unreachable token_url", "cdf_token", cdf(url, token_url=f"{UNREACHABLE}/oauth2/token"),
         ["could not reach", "token_url"]),
        ("cdf missing credentials", "group_info", cdf(url, client_secret="", client_id=""),
         ["set token (CDF_TOKEN), or client credentials", "client_id", "client_secret"]),
        ("cdf missing project", "group_info", cdf(url, project=""), ["set project (or CDF_PROJECT)"]),
        ("cdf missing URL", "token_info", cdf("", token_url=f"{url}/oauth2/token"), ["set base_url (or CDF_URL)", "cluster"]),
        ("cdf unreachable URL", "group_info", cdf(UNREACHABLE), ["could not reach", "base_url", "token_url"]),
        # A token URL without its scheme would be resolved under base_url: the client secret sent to the API host.
        ("cdf token_url without scheme", "group_info", cdf(url, token_url=STRAY_TOKEN_URL, client_secret=STRAY_SECRET),
         ["token_url (or IDP_TOKEN_URL) must be an absolute http:// or https:// URL", TOKEN_URL_EXAMPLE, STRAY_TOKEN_URL]),
        ("group token_url without scheme", "group", cdf(url, token_url=STRAY_TOKEN_URL, client_secret=STRAY_SECRET) | {"name": "g"},
         ["token_url (or IDP_TOKEN_URL)", TOKEN_URL_EXAMPLE]),
        ("cdf_token token_url without scheme", "cdf_token", cdf(url, token_url=STRAY_TOKEN_URL, client_secret=STRAY_SECRET),
         ["token_url (or IDP_TOKEN_URL)", TOKEN_URL_EXAMPLE]),
        ("cdf base_url without scheme", "token_info", cdf("127.0.0.1:4711", token_url=f"{url}/oauth2/token"),
         ["base_url (or CDF_URL) must be an absolute http:// or https:// URL", "'127.0.0.1:4711'"]),
        ("cdf timeout 0", "group_info", cdf(url, timeout=0), ["timeout must be greater than 0 (seconds), got 0"]),
        ("cdf timeout -1", "group", cdf(url, timeout=-1) | {"name": "g"}, ["timeout must be greater than 0 (seconds), got -1"]),
        ("cdf wrong project", "group_info", cdf(url, project="nope"), ["Project 'nope'", "HTTP 403", "check project"]),
        ("cdf bad TLS certificate", "group_info", bad_tls, ["certificate", "ca_path", "validate_certs"]),
        ("cdf wrong client secret (401)", "group_info", cdf(url, client_secret="{{ lookup('ansible.builtin.env', 'WRONG_SECRET') }}"),
         ["HTTP 401", "client id 'admin'", "client_secret", "token_url"]),
        ("cdf bad token (401)", "token_info",
         cdf(url, token="{{ lookup('ansible.builtin.env', 'BAD_TOKEN') }}", client_id="", client_secret="", token_url=""),
         ["HTTP 401", "check token (CDF_TOKEN)"]),
        ("cdf lacking rights (403)", "security_category",
         cdf(url, client_id="reader", client_secret="{{ lookup('ansible.builtin.env', 'READER_SECRET') }}") | {"name": "c"},
         ["HTTP 403", "securityCategoriesAcl:LIST", "access rights"]),
        ("dss missing api_key", "dss_user_info", {"dss_url": url, "api_key": ""}, ["set api_key (or DKU_API_KEY)"]),
        ("dss URL not a URL", "dss_user_info", {"dss_url": "dss.example.com"}, ["dss_url must be an http:// or https:// URL"]),
        ("dss unreachable URL", "dss_user_info", {"dss_url": UNREACHABLE}, ["could not reach", "dss_url"]),
        ("dss timeout 0", "dss_user_info", {"timeout": 0}, ["timeout must be greater than 0 (seconds), got 0"]),
        ("dss timeout -1", "dss_user", {"login": "ok", "timeout": -1}, ["timeout must be greater than 0 (seconds), got -1"]),
        ("dss bad TLS certificate", "dss_user_info", {"dss_url": tls_url}, ["certificate", "ca_path", "validate_certs"]),
        ("dss unknown key (401)", "dss_user_info", {"api_key": "{{ lookup('ansible.builtin.env', 'BAD_API_KEY') }}"},
         ["HTTP 401", "api_key", "DKU_API_KEY"]),
        ("dss key of a non-admin (403)", "dss_user", {"login": "someone", "api_key": "{{ lookup('ansible.builtin.env', 'DSS_USER_API_KEY') }}"},
         ["HTTP 403", "not a DSS administrator", "admin key"]),
        ("dss group info key of a non-admin (403)", "dss_group_info",
         {"api_key": "{{ lookup('ansible.builtin.env', 'DSS_USER_API_KEY') }}"}, ["HTTP 403", "not a DSS administrator"]),
    ]


#: Texts of the shared checks' messages (module_utils/input_checks.py).
NOT_ONE = "a list is not one string"
NOT_ONE_MAP = "a mapping is not one string"
CONTROL = "contains the control character"
#: A DSS login of 200,000 characters ended in httpx.InvalidURL ("URL too long") before the login length check.
HUGE_LOGIN = "{{ 'a' * 200000 }}"
#: A group name of 1 MB (1,048,576 characters) was written before the name length check.
MEGABYTE_NAME = "{{ 'x' * 1048576 }}"
LONG_NAME = "n" * 1001
LIST_SECRET = "{{ lookup('ansible.builtin.env', 'LIST_SECRET') }}"
DN = "cn=data-team,ou=groups,dc=example,dc=com"


def dataset_read(ids: list) -> dict:
    return {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ids}}}}


def long_tail_cases(url: str) -> list:
    """The long tail (issue 16): a list or mapping given to a string option (refused at the shared layer, for every
    module), lengths past the limits, control characters, empty strings, wrong types nested in capabilities, and the
    lists whose items may hold commas."""
    members = [f"user-{i}" for i in range(101)]
    return [
        # -- a list or a mapping where one string goes: every module, through the one argument-spec check ------------
        ("group name a list", "group", {"name": ["a", "b"]}, ["'name'", NOT_ONE]),
        ("group name a mapping", "group", {"name": {"a": 1}}, ["'name'", NOT_ONE_MAP]),
        ("group source_id a list", "group", {"name": "g", "source_id": ["s1", "s2"]}, ["'source_id'", NOT_ONE]),
        ("group members nested list", "group", {"name": "g", "members": [["a", "b"]]}, ["'members'", NOT_ONE]),
        ("group_info name a list", "group_info", {"name": ["a"]}, ["'name'", NOT_ONE]),
        ("category name a list", "security_category", {"name": ["a", "b"]}, ["'name'", NOT_ONE]),
        ("category info name a mapping", "security_category_info", {"name": {"n": 1}}, ["'name'", NOT_ONE_MAP]),
        ("session state a list", "session", {"state": ["absent"], "id": [1]}, ["'state'", NOT_ONE]),
        ("session info status a list", "session_info", {"status": ["ACTIVE"]}, ["'status'", NOT_ONE]),
        ("pg_user username a list", "pg_user", {"username": ["u1", "u2"]}, ["'username'", NOT_ONE]),
        ("pg_user info client id a list", "pg_user_info", {"session_client_id": ["c"]}, ["'session_client_id'", NOT_ONE]),
        ("token_info project a list", "token_info", {"project": ["demo", "other"]}, ["'project'", NOT_ONE]),
        ("capabilities_check group a list", "capabilities_check", {"capabilities": [ASSETS_READ], "group": ["g"]},
         ["'group'", NOT_ONE]),
        ("profile info search a list", "user_profile_info", {"search": ["Al"]}, ["'search'", NOT_ONE]),
        ("login session principal a mapping", "login_session", dict(ORG, auth_url=url, principal={"id": "p"}, all_active=True),
         ["'principal'", NOT_ONE_MAP]),
        ("login sessions org a list", "login_session_info", dict(ORG, auth_url=url, org=["demo-org"]), ["'org'", NOT_ONE]),
        ("principals email a list", "principal_info", {"org": "demo-org", "auth_url": url, "email": ["a@example.com"]},
         ["'email'", NOT_ONE]),
        ("cdf_token client_id a list", "cdf_token", cdf(url, client_id=["admin"]), ["'client_id'", NOT_ONE]),
        ("access group name a list", "access", {"groups": [{"name": ["a", "b"]}]}, ["'name'", "found in 'groups'", NOT_ONE]),
        ("access protect nested list", "access", {"groups": [], "protect": [["admins"]]}, ["'protect'", "item 0 is a list"]),
        ("dss login a list", "dss_user", {"login": ["a", "b"]}, ["'login'", NOT_ONE]),
        ("dss display_name a mapping", "dss_user", {"login": "ok", "display_name": {"first": "A"}}, ["'display_name'", NOT_ONE_MAP]),
        ("dss info login a list", "dss_user_info", {"login": ["a"]}, ["'login'", NOT_ONE]),
        ("dss group info name a list", "dss_group_info", {"name": ["a"]}, ["'name'", NOT_ONE]),
        ("dss group name a list", "dss_group", {"name": ["a", "b"]}, ["'name'", NOT_ONE]),
        ("dss group description a list", "dss_group", {"name": "g", "description": ["one", "two"]}, ["'description'", NOT_ONE]),
        ("dss_access login a list", "dss_access", {"users": [{"login": ["a"]}]}, ["'login'", "found in 'users'", NOT_ONE]),
        ("dss_access group name a mapping", "dss_access", {"groups": [{"name": {"n": 1}}]}, ["'name'", "found in 'groups'", NOT_ONE_MAP]),
        ("dss_url a list", "dss_user_info", {"dss_url": [url]}, ["'dss_url'", NOT_ONE]),
        # a secret in the wrong shape is refused like any other value, and never shown (the leak scan: LIST_SECRET)
        ("dss password a list", "dss_user", {"login": "ok", "password": [LIST_SECRET, LIST_SECRET]}, ["'password'", NOT_ONE]),
        ("cdf client_secret a list", "group_info", cdf(url, client_secret=[LIST_SECRET]), ["'client_secret'", NOT_ONE]),
        # -- lengths past the limits, before any request --------------------------------------------------------------
        ("group name of 1 MB", "group", {"name": MEGABYTE_NAME}, ["name is 1048576 characters long", "at most 1000"]),
        ("group name 1001 characters", "group", {"name": LONG_NAME}, ["name is 1001 characters long", "at most 1000"]),
        ("group source_id too long", "group", {"name": "g", "source_id": "s" * 1001}, ["source_id is 1001 characters", "at most 1000"]),
        ("group member id too long", "group", {"name": "g", "members": ["ok", "m" * 1001]}, ["members[1] is 1001 characters"]),
        ("group 101 members", "group", {"name": "g", "members": members}, ["members has 101 entries", "at most 100"]),
        ("group metadata key of 34 bytes", "group", {"name": "g", "metadata": {"é" * 17: "v"}}, ["metadata key", "34 bytes", "at most 32"]),
        ("category name too long", "security_category", {"name": LONG_NAME}, ["name is 1001 characters long", "at most 1000"]),
        ("access category too long", "access", {"security_categories": [LONG_NAME]},
         ["security_categories[0]", "1001 characters", "at most 1000"]),
        ("access group name of 1 MB", "access", {"groups": [{"name": MEGABYTE_NAME}]},
         ["groups[0] ('xxxx", "name is 1048576 characters long"]),
        ("access group 101 members", "access", {"groups": [{"name": "g", "members": members}]},
         ["groups[0] ('g')", "members has 101 entries"]),
        ("dss login of 200,000 characters", "dss_user", {"login": HUGE_LOGIN}, ["login 'aaaa", "200000 characters long", "at most 255"]),
        ("dss info login of 200,000 characters", "dss_user_info", {"login": HUGE_LOGIN}, ["200000 characters long", "at most 255"]),
        ("dss group info name of 200,000 characters", "dss_group_info", {"name": HUGE_LOGIN},
         ["name 'aaaa", "200000 characters long", "at most 255"]),
        ("dss login 256 characters", "dss_user", {"login": "l" * 256}, ["256 characters long", "at most 255"]),
        ("dss display_name too long", "dss_user", {"login": "ok", "display_name": "D" * 1001}, ["display_name is 1001 characters"]),
        ("dss group in groups too long", "dss_user", {"login": "ok", "groups": ["g" * 256]}, ["groups: group", "256 characters long"]),
        ("dss group name too long", "dss_group", {"name": "g" * 256}, ["name 'gggg", "256 characters long"]),
        ("dss ldap name too long", "dss_group", {"name": "g", "ldap_group_names": ["cn=" + "x" * 1000]},
         ["ldap_group_names[0] is 1003 characters"]),
        ("dss_access login too long", "dss_access", {"users": [{"login": "l" * 256}]}, ["users[0]", "256 characters long"]),
        ("dss_access group name of 200,000", "dss_access", {"groups": [{"name": HUGE_LOGIN}]}, ["groups[0]", "200000 characters long"]),
        # -- control characters (any other Unicode is a name: tests/unit/.../test_input_checks.py) ------------------
        ("group name with a newline", "group", {"name": "ops\nadmins"}, ["name 'ops\\nadmins'", CONTROL, "U+000A"]),
        ("group name with a tab", "group", {"name": "ops\tadmins"}, [CONTROL, "U+0009"]),
        ("group name with an escape", "group", {"name": "red\u001b[31m"}, [CONTROL, "U+001B"]),
        ("group source_id with a newline", "group", {"name": "g", "source_id": "abc\n"}, ["source_id", CONTROL]),
        ("category name with a C1 control", "security_category", {"name": "cat\u0085"}, [CONTROL, "U+0085"]),
        ("access category with DEL", "access", {"security_categories": ["a\u007fb"]}, ["security_categories[0]", CONTROL, "U+007F"]),
        ("access group name with a CR", "access", {"groups": [{"name": "a\rb"}]}, ["groups[0]", CONTROL, "U+000D"]),
        ("dss login with a newline", "dss_user", {"login": "bad\nlogin"}, ["login 'bad\\nlogin' contains", "letters, digits"]),
        ("dss group info name with a newline", "dss_group_info", {"name": "data\nteam"},
         ["name 'data\\nteam' contains", "letters, digits"]),
        ("dss display_name with an escape", "dss_user", {"login": "ok", "display_name": "\u001b[2J"}, ["display_name", CONTROL]),
        ("dss ldap name with a newline", "dss_group", {"name": "g", "ldap_group_names": ["cn=a\n,ou=b"]},
         ["ldap_group_names[0]", CONTROL]),
        # -- empty strings -------------------------------------------------------------------------------------------
        ("dss group empty name", "dss_group", {"name": ""}, ["name must not be empty"]),
        ("dss empty login", "dss_user", {"login": ""}, ["login must not be empty"]),
        ("dss group info empty name", "dss_group_info", {"name": ""}, ["name must not be empty"]),
        ("dss empty user_profile", "dss_user", {"login": "ok", "user_profile": ""}, ["user_profile must not be empty"]),
        ("dss empty ldap name", "dss_group", {"name": "g", "ldap_group_names": ""}, ["ldap_group_names must not contain empty names"]),
        ("dss_access empty login", "dss_access", {"users": [{"login": ""}]}, ["users[0]", "login must not be empty"]),
        ("access empty group name", "access", {"groups": [{"name": ""}]}, ["groups[0]", "name must not be empty"]),
        ("access empty category", "access", {"security_categories": [""]}, ["security_categories[0]", "non-empty name"]),
        ("group empty member", "group", {"name": "g", "members": ["a", ""]}, ["members must not contain empty identifiers"]),
        ("profile info empty identifier", "user_profile_info", {"user_identifier": [""]}, ["user_identifier must not contain empty"]),
        ("pg_user empty username", "pg_user", {"username": ""}, ["username must not be empty"]),
        ("pg_user_info empty username", "pg_user_info", {"usernames": ["powerbi", ""]}, ["usernames[1] must not be empty"]),
        # -- wrong types nested in capabilities ----------------------------------------------------------------------
        ("group actions of numbers", "group", {"name": "g", "capabilities": [{"groupsAcl": {"actions": [1], "scope": {"all": {}}}}]},
         ["groupsAcl", "actions must be a non-empty list of action names"]),
        ("group actions nested list", "group",
         {"name": "g", "capabilities": [{"groupsAcl": {"actions": [["LIST"]], "scope": {"all": {}}}}]}, ["groupsAcl", "actions"]),
        ("group scope a string", "group", {"name": "g", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": "all"}}]},
         ["groupsAcl", "scope must be a dict"]),
        ("group ACL a list", "group", {"name": "g", "capabilities": [{"groupsAcl": ["LIST"]}]}, ["groupsAcl", '"actions" and "scope"']),
        ("group all scope a list", "group", {"name": "g", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": []}}}]},
         ["scope 'all' takes no fields"]),
        ("group dbsToTables a list", "group",
         {"name": "g", "capabilities": [{"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": ["db"]}}}}]},
         ["rawAcl", "dbsToTables must be a map"]),
        ("group tables a string", "group",
         {"name": "g", "capabilities": [{"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"db": {"tables": "t1"}}}}}}]},
         ["dbsToTables['db']"]),
        ("group two ACLs in one item", "group",
         {"name": "g", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}, "x": 1}]},
         ["exactly one ACL name", "its own list item"]),
        ("access nested capability type", "access",
         {"groups": [{"name": "g", "capabilities": [{"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}}]}]},
         ["groups[0] ('g')", "groupsAcl", "actions"]),
        ("capabilities_check scope with two keys", "capabilities_check",
         {"capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}, "x": 3}}}]}, ["Invalid capabilities", "scope"]),
        # -- ids a CDF id cannot be (capability_validation.py: 1 to 2^53 - 1, cognite-sdk's MAX_VALID_INTERNAL_ID) -----
        ("group scope id -5", "group", {"name": "g", "capabilities": [dataset_read([-5])]}, ["ids[0]: -5 is not a CDF id"]),
        ("group scope id 0", "group", {"name": "g", "capabilities": [dataset_read([0])]}, ["ids[0]: 0 is not a CDF id"]),
        ("group scope id 2^53", "group", {"name": "g", "capabilities": [dataset_read([2 ** 53])]},
         ["9007199254740992 is not a CDF id", "2^53 - 1"]),
        ("access scope id 0", "access", {"groups": [{"name": "g", "capabilities": [dataset_read([7, 0])]}]},
         ["groups[0] ('g')", "ids[1]: 0 is not a CDF id"]),
        ("capabilities_check scope id '-5'", "capabilities_check", {"capabilities": [dataset_read(["-5"])]},
         ["ids[0] must be an integer id", "'-5'"]),
        # -- lists whose items may hold commas: one string is one item, never split ---------------------------------
        ("dss ldap names a mapping", "dss_group", {"name": "g", "ldap_group_names": {DN: 1}},
         ["'ldap_group_names'", "one string or a list of strings"]),
        ("dss ldap names nested list", "dss_group", {"name": "g", "ldap_group_names": [[DN]]},
         ["'ldap_group_names'", "item 0 is a list"]),
        ("dss_access sso names a number", "dss_access", {"groups": [{"name": "g", "sso_group_names": 5}]},
         ["'sso_group_names'", "found in 'groups'", "one string or a list"]),
    ]


SECRETS_ENV = {
    "ADMIN_SECRET": "admin-secret",
    "READER_SECRET": "reader-secret",
    "WRONG_SECRET": "not-the-admin-secret",
    "BAD_TOKEN": "not-a-token-the-emulator-issued",
    "BAD_API_KEY": "not-a-dss-api-key",
    "PASSWORD": "a-password-never-sent",
    "NONCE": "a-nonce-never-sent",
    "DSS_USER_API_KEY": "dss-user-key",
    "STRAY_SECRET": "a-secret-for-the-identity-provider-only",
    "LIST_SECRET": "a-secret-given-as-a-list-item",
}


@pytest.fixture(scope="module")
def tls_emulator(tmp_path_factory):
    """An HTTPS emulator whose certificate comes from a CA the modules do not trust."""
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    with EmulatorProcess(tls=(pki.cert, pki.key), ca_path=pki.ca) as emulator:
        yield emulator


def test_bad_inputs_fail_clearly_and_write_nothing(run, clean_emulator, tls_emulator):
    table = cases(clean_emulator.url, tls_emulator.url) + long_tail_cases(clean_emulator.url)
    assert len(table) >= 120 and len({case[0] for case in table}) == len(table)
    tasks = [
        {"name": case_id, f"dataops.iam.{module}": options, "ignore_errors": True}
        for case_id, module, options, _expected in table
    ]
    state_before = clean_emulator.state()
    clean_emulator.clear_log()
    tls_emulator.clear_log()
    result = run(tasks, env=SECRETS_ENV)
    assert result.rc == 0, result.stdout[-3000:]

    by_name = {task["task"]: task for task in result.tasks}
    problems = []
    for case_id, _module, _options, expected in table:
        task = by_name.get(case_id)
        if task is None or task["status"] != "failed":
            problems.append(f"{case_id}: did not fail ({task and task['status']})")
            continue
        message = task["result"].get("msg", "")
        missing = [text for text in expected if text not in message]
        if missing:
            problems.append(f"{case_id}: the message lacks {missing}: {message!r}")
        if "Traceback (most recent call last)" in str(task["result"]):
            problems.append(f"{case_id}: a traceback in the result")
    assert problems == [], "\n".join(problems)
    output = result.stdout + result.stderr
    assert "Traceback (most recent call last)" not in output
    assert result.recap["failed"] == 0 and result.stdout.count("...ignoring") == len(table)

    writes = clean_emulator.writes() + tls_emulator.writes()
    assert writes == [], f"bad inputs wrote: {[(w['method'], w['path'], w['status']) for w in writes]}"
    after = clean_emulator.state()
    assert after["projects"] == state_before["projects"] and after["dss"] == state_before["dss"]
    # The secret of the cases whose token_url has no scheme reached no server: no request carried it.
    received = clean_emulator.secrets() + tls_emulator.secrets()
    assert SECRETS_ENV["STRAY_SECRET"] not in received, "the client secret was sent to the CDF API host"
