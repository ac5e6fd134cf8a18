# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every CDF module shares (doc fragment dataops.iam.cdf), the client built from them, and
``CdfModule``, the runtime definition of a CDF module (runtime.py). Internal to the collection."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Mapping, Optional

from ansible.module_utils.basic import env_fallback

from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    RETRIES_ENV,
    retries_problem,
    timeout_problem,
    url_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.runtime import ModuleDefinition, worker_cache

if TYPE_CHECKING:  # the client imports httpx: loaded by cdf_client() only
    from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient

BASE_URL_EXAMPLE = "https://westeurope-1.cognitedata.com"
TOKEN_URL_EXAMPLE = "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"
CLUSTER_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)


def cdf_argument_spec() -> dict:
    """Argument spec of the ``dataops.iam.cdf`` doc fragment; merge it into a module's own spec.

    ``base_url`` and ``cluster`` have no environment fallback here: they are one setting, mutually exclusive as
    options, and a fallback would fill one from the environment before the check, so that ``CDF_CLUSTER`` in the
    environment would clash with a ``base_url`` the task sets. ``with_environment`` reads ``CDF_URL`` and
    ``CDF_CLUSTER`` only when the task sets neither.
    """
    return dict(
        base_url=dict(type="str"),
        cluster=dict(type="str"),
        project=dict(type="str", fallback=(env_fallback, ["CDF_PROJECT"])),
        token_url=dict(type="str", no_log=False, fallback=(env_fallback, ["IDP_TOKEN_URL"])),
        client_id=dict(type="str", fallback=(env_fallback, ["IDP_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["IDP_CLIENT_SECRET"])),
        scopes=dict(type="list", elements="str", fallback=(env_fallback, ["IDP_SCOPES"])),
        audience=dict(type="str", fallback=(env_fallback, ["IDP_AUDIENCE"])),
        token=dict(type="str", no_log=True, fallback=(env_fallback, ["CDF_TOKEN"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", fallback=(env_fallback, [RETRIES_ENV])),
    )


def with_environment(params: Mapping, environ: Optional[Mapping] = None) -> dict:
    """``params`` with ``base_url`` or ``cluster`` from ``CDF_URL`` / ``CDF_CLUSTER`` when the task sets neither.

    An option the task (or module_defaults) sets wins over both variables. When both variables are set, ``CDF_URL``
    wins, as in cognite-toolkit, whose users must set ``CDF_CLUSTER`` and may set ``CDF_URL`` beside it
    (cognite_toolkit/_cdf_tk/utils/auth.py, ``EnvironmentVariables.cdf_url``: ``CDF_URL or
    https://{CDF_CLUSTER}.cognitedata.com``).
    """
    resolved = dict(params)
    if resolved.get("base_url") is not None or resolved.get("cluster") is not None:
        return resolved  # set, even to "" (as an option with a fallback would be)
    environ = os.environ if environ is None else environ
    url, cluster = environ.get("CDF_URL") or None, environ.get("CDF_CLUSTER") or None
    resolved.update(base_url=url, cluster=None if url else cluster)
    return resolved


def token_scopes(scopes: Optional[list]) -> Optional[list]:
    """The scopes to ask the token endpoint for: None for the default (``<base_url>/.default``), ``[]`` for none.

    ``scopes: []`` sends no ``scope`` parameter at all, as cognite-sdk's OAuthClientCredentials does with an empty
    list (cognite/client/credentials.py drops empty form fields): IdPs other than Entra ID may refuse Entra's
    ``.default`` form. Empty names are dropped; a list of only empty names (``IDP_SCOPES=""``, which Ansible reads
    as ``[""]``) counts as unset, as cognite-toolkit treats an empty ``IDP_SCOPES`` (``EnvironmentVariables.idp_scopes``).
    """
    if scopes is None:
        return None
    names = [name.strip() for name in scopes if isinstance(name, str) and name.strip()]
    if not names and scopes:
        return None
    return names


def cluster_url(cluster: str) -> str:
    return "https://%s.cognitedata.com" % cluster


def connection_problems(params: Mapping, require_project: bool = True) -> list:
    """What is missing, contradictory or malformed in the connection options, as messages that name the fix.

    ``params`` as ``with_environment`` gives them. ``require_project=False`` is for calls outside a project (the auth
    API's organization endpoints).
    """
    problems = []
    if not params.get("base_url") and not params.get("cluster"):
        problems.append("set base_url (or CDF_URL), e.g. %s, or cluster (CDF_CLUSTER)" % BASE_URL_EXAMPLE)
    if params.get("base_url") and params.get("cluster"):
        problems.append("base_url and cluster are mutually exclusive: set one")
    elif params.get("base_url"):
        problem = url_problem("base_url", params["base_url"], BASE_URL_EXAMPLE, env="CDF_URL")
        if problem:
            problems.append(problem)
    elif params.get("cluster") and not CLUSTER_PATTERN.match(params["cluster"]):
        problems.append(
            "cluster (or CDF_CLUSTER) must be the name of a CDF cluster, such as westeurope-1 (the base URL becomes "
            "https://<cluster>.cognitedata.com; for another URL set base_url), got %r" % params["cluster"]
        )
    problem = url_problem("token_url", params.get("token_url"), TOKEN_URL_EXAMPLE, env="IDP_TOKEN_URL", allow_query=True)
    if problem:
        problems.append(problem)
    if require_project and not params.get("project"):
        problems.append("set project (or CDF_PROJECT) to the CDF project name")
    if not params.get("token"):
        missing = [name for name in ("token_url", "client_id", "client_secret") if not params.get(name)]
        if missing:
            problems.append(
                "set token (CDF_TOKEN), or client credentials: %s (IDP_TOKEN_URL, IDP_CLIENT_ID, IDP_CLIENT_SECRET)"
                % ", ".join(missing)
            )
    problem = timeout_problem(params.get("timeout"))
    if problem:
        problems.append(problem)
    problem = retries_problem(params.get("retries"))
    if problem:
        problems.append(problem)
    return problems


def base_url_from(params: dict) -> str:
    """The API's base URL, from ``params`` as ``with_environment`` gives them."""
    if params.get("base_url"):
        return params["base_url"].rstrip("/")
    return cluster_url(params["cluster"])


class CdfModule(ModuleDefinition):
    """A module of a CDF project: the options of the ``dataops.iam.cdf`` doc fragment and a CdfClient.

    ``require_project=False``: the module needs no project (``cdf_token``); ``uses_token=False``: the ``token``
    option (e.g. from module_defaults) is not used, the client credentials are (``cdf_token`` fetches a token).
    """

    connection_prefix = "CDF connection options are incomplete or invalid: "

    def __init__(self, options: dict, run: Any, *, require_project: bool = True, uses_token: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(options, run, **kwargs)
        self.require_project = require_project
        self.uses_token = uses_token

    def connection_spec(self) -> dict:
        return cdf_argument_spec()

    def connection_rules(self) -> dict:
        return {"mutually_exclusive": [("base_url", "cluster")]}

    def connection_params(self, params: Mapping) -> dict:
        resolved = with_environment(params)
        if not self.uses_token:
            resolved["token"] = None
        return resolved

    def connection_problems(self, params: Mapping) -> list:
        return connection_problems(self.connection_params(params), self.require_project)

    def client(self, module: Any) -> CdfClient:
        params = self.connection_params(module.params)
        if not params["validate_certs"]:
            module.warn("validate_certs is false: the TLS certificate of the CDF API is not checked")
        return cdf_client_for(params, read_only=module.check_mode, token_cache=worker_cache(module, "tokens"))


def cdf_client_for(params: Mapping, *, read_only: bool = False, token_cache: Optional[dict] = None) -> CdfClient:
    """The CdfClient for connection options as ``with_environment`` gives them (checked by connection_problems)."""
    from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
    from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy

    return CdfClient(
        base_url=base_url_from(dict(params)),
        project=params.get("project") or "",
        token=params.get("token"),
        token_url=params.get("token_url"),
        client_id=params.get("client_id"),
        client_secret=params.get("client_secret"),
        scopes=token_scopes(params.get("scopes")),
        audience=params.get("audience"),
        timeout=params["timeout"],
        validate_certs=params["validate_certs"],
        ca_path=params.get("ca_path"),
        retry=RetryPolicy.with_retries(params.get("retries")),
        token_cache=token_cache,
        read_only=read_only,
    )
