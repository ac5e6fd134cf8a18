# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of the auth API modules (doc fragment dataops.iam.auth_api) and the client built from them.

Internal to the collection. They share nothing with the CDF options: the auth API needs no base_url, cluster or
project, and takes none of the project IdP's tokens.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ansible.module_utils.basic import env_fallback

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import token_scopes
from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    RETRIES_ENV,
    retries_problem,
    timeout_problem,
    url_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.runtime import ModuleDefinition, worker_cache

if TYPE_CHECKING:  # the client imports httpx: loaded by AuthApiModule.client() only
    from ansible_collections.dataops.iam.plugins.module_utils.auth_api.client import AuthApiClient

DEFAULT_AUTH_URL = "https://auth.cognite.com"
ORG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}[a-z0-9]$")


def auth_api_argument_spec() -> dict:
    """Argument spec of the ``dataops.iam.auth_api`` doc fragment; merge it into a module's own spec."""
    return dict(
        auth_url=dict(type="str", default=DEFAULT_AUTH_URL, fallback=(env_fallback, ["COGNITE_AUTH_URL"])),
        auth_token=dict(type="str", no_log=True, fallback=(env_fallback, ["COGNITE_AUTH_TOKEN"])),
        auth_token_url=dict(type="str", no_log=False, fallback=(env_fallback, ["COGNITE_AUTH_TOKEN_URL"])),
        auth_client_id=dict(type="str", fallback=(env_fallback, ["COGNITE_AUTH_CLIENT_ID"])),
        auth_client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["COGNITE_AUTH_CLIENT_SECRET"])),
        auth_scopes=dict(type="list", elements="str", fallback=(env_fallback, ["COGNITE_AUTH_SCOPES"])),
        org=dict(type="str", fallback=(env_fallback, ["COGNITE_ORG"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", fallback=(env_fallback, [RETRIES_ENV])),
        # The project IdP's credentials, refused (refused_options_problem): declared, without environment fallbacks,
        # so that a secret given here by mistake is a no_log value, never shown in a failure at any verbosity.
        client_id=dict(type="str"),
        client_secret=dict(type="str", no_log=True),
        token_url=dict(type="str", no_log=False),
        token=dict(type="str", no_log=True),
    )


#: The options of the project's identity provider that the auth API modules refuse, and what to set instead.
REFUSED_OPTIONS = {
    "client_id": "auth_client_id",
    "client_secret": "auth_client_secret",
    "token_url": "auth_token_url",
    "token": "auth_token",
}


def refused_options_problem(params: dict) -> Any:
    """A message when the task sets the project IdP's credentials, which the auth API never accepts."""
    given = [name for name in REFUSED_OPTIONS if params.get(name) is not None]
    if not given:
        return None
    return (
        "%s: the project's identity-provider credentials are not accepted by the auth API, which takes only tokens "
        "it issued; set %s instead (the credentials of a Cognite service account of the organization, or a token of "
        "the auth API; environment COGNITE_AUTH_CLIENT_ID, COGNITE_AUTH_CLIENT_SECRET, COGNITE_AUTH_TOKEN)"
        % (", ".join(given), ", ".join(REFUSED_OPTIONS[name] for name in given))
    )


def org_problem(org: Any) -> Any:
    """A message when ``org`` is missing or not an organization id (the API's pattern)."""
    if not org:
        return "set org (or COGNITE_ORG) to the id of the Cognite organization, for example my-company"
    if not ORG_PATTERN.match(org):
        return (
            "org %r is not an organization id: lower-case letters, digits and '-', 3 to 64 characters, starting "
            "with a letter and not ending with '-' (pattern ^[a-z][a-z0-9-]{1,62}[a-z0-9]$)" % org
        )
    return None


def credential_problem(params: dict) -> Any:
    """A message when neither a token nor complete client credentials are set."""
    if params.get("auth_token"):
        return None
    missing = [name for name in ("auth_client_id", "auth_client_secret") if not params.get(name)]
    if not missing:
        return None
    return (
        "set auth_token (COGNITE_AUTH_TOKEN), or client credentials of a Cognite service account: %s "
        "(COGNITE_AUTH_CLIENT_ID, COGNITE_AUTH_CLIENT_SECRET); the auth API takes only tokens it issued, not the "
        "project's IdP credentials (token_url, client_id, client_secret)" % ", ".join(missing)
    )


def auth_api_params(params: dict) -> dict:
    """``params`` with an empty ``auth_url`` (``COGNITE_AUTH_URL=""``) read as the default, as an empty
    ``COGNITE_AUTH_TOKEN_URL`` is read as ``<auth_url>/oauth2/token``."""
    return {**params, "auth_url": params.get("auth_url") or DEFAULT_AUTH_URL}


def auth_api_problems(params: dict) -> list:
    """What is missing or malformed in the auth API options, before any call."""
    params = auth_api_params(params)
    problems = [
        refused_options_problem(params),
        url_problem("auth_url", params.get("auth_url"), DEFAULT_AUTH_URL, env="COGNITE_AUTH_URL", required=True),
        url_problem(
            "auth_token_url", params.get("auth_token_url"), DEFAULT_AUTH_URL + "/oauth2/token",
            env="COGNITE_AUTH_TOKEN_URL", allow_query=True,
        ),
        org_problem(params.get("org")),
        credential_problem(params),
        timeout_problem(params.get("timeout")),
        retries_problem(params.get("retries")),
    ]
    return [problem for problem in problems if problem]


class AuthApiModule(ModuleDefinition):
    """A module of the auth API: the options of the ``dataops.iam.auth_api`` doc fragment and an AuthApiClient.

    The task's own problems and those of the auth API options fail together, in one message (``invalid``).
    """

    connection_prefix = "Auth API options are incomplete or invalid: "
    problems_together = True

    def connection_spec(self) -> dict:
        return auth_api_argument_spec()

    def connection_problems(self, params: dict) -> list:
        return auth_api_problems(params)

    def client(self, module: Any) -> AuthApiClient:
        from ansible_collections.dataops.iam.plugins.module_utils.auth_api.client import AuthApiClient
        from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy

        params = auth_api_params(module.params)
        if not params["validate_certs"]:
            module.warn("validate_certs is false: the TLS certificate of the auth API is not checked")
        return AuthApiClient(
            auth_url=params["auth_url"].rstrip("/"),
            token=params.get("auth_token"),
            token_url=params.get("auth_token_url"),
            client_id=params.get("auth_client_id"),
            client_secret=params.get("auth_client_secret"),
            # The CDF options' normaliser: COGNITE_AUTH_SCOPES="" (read as [""]) is no scope, not an empty one.
            scopes=token_scopes(params.get("auth_scopes")),
            timeout=params["timeout"],
            validate_certs=params["validate_certs"],
            ca_path=params.get("ca_path"),
            retry=RetryPolicy.with_retries(params.get("retries")),
            token_cache=worker_cache(module, "auth_api_tokens"),
            read_only=module.check_mode,
        )
