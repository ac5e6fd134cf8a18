# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every CDF module shares (doc fragment dataops.iam.cdf) and the client built from them."""

from __future__ import annotations

from typing import Any

from ansible.module_utils.basic import env_fallback

from ansible_collections.dataops.iam.plugins.module_utils.module_support import require_libraries


def cdf_argument_spec() -> dict:
    """Argument spec of the ``dataops.iam.cdf`` doc fragment; merge it into a module's own spec."""
    return dict(
        base_url=dict(type="str", fallback=(env_fallback, ["CDF_URL"])),
        cluster=dict(type="str", fallback=(env_fallback, ["CDF_CLUSTER"])),
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
    )


def connection_problems(params: dict, require_project: bool = True) -> list:
    """What is missing or contradictory in the connection options, as messages that name the fix.

    ``require_project=False`` is for calls outside a project (the auth API's organization endpoints).
    """
    problems = []
    if not params.get("base_url") and not params.get("cluster"):
        problems.append("set base_url (or CDF_URL), e.g. https://westeurope-1.cognitedata.com, or cluster (CDF_CLUSTER)")
    if params.get("base_url") and params.get("cluster"):
        problems.append("base_url and cluster are mutually exclusive: set one")
    if require_project and not params.get("project"):
        problems.append("set project (or CDF_PROJECT) to the CDF project name")
    if not params.get("token"):
        missing = [name for name in ("token_url", "client_id", "client_secret") if not params.get(name)]
        if missing:
            problems.append(
                "set token (CDF_TOKEN), or client credentials: %s (IDP_TOKEN_URL, IDP_CLIENT_ID, IDP_CLIENT_SECRET)"
                % ", ".join(missing)
            )
    return problems


def base_url_from(params: dict) -> str:
    if params.get("base_url"):
        return params["base_url"].rstrip("/")
    return "https://%s.cognitedata.com" % params["cluster"]


def worker_cache(module: Any, name: str):
    """A dict kept across the runs of one Ansible worker (the items of one loop), or None in a module process.

    The action plugins that run the modules' code in the worker give the module a ``worker_cache``; see
    plugins/plugin_utils/in_worker.py.
    """
    cache = getattr(module, "worker_cache", None)
    return None if cache is None else cache.setdefault(name, {})


def cdf_client(module: Any, require_project: bool = True):
    """The CdfClient for a module's connection options; fails the module with a clear message if they are incomplete."""
    require_libraries(module)
    params = module.params
    problems = connection_problems(params, require_project)
    if problems:
        module.fail_json(msg="CDF connection options are incomplete: " + "; ".join(problems))
    if not params["validate_certs"]:
        module.warn("validate_certs is false: the TLS certificate of the CDF API is not checked")
    from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
    from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

    try:
        return CdfClient(
            base_url=base_url_from(params),
            project=params.get("project") or "",
            token=params.get("token"),
            token_url=params.get("token_url"),
            client_id=params.get("client_id"),
            client_secret=params.get("client_secret"),
            scopes=params.get("scopes"),
            audience=params.get("audience"),
            timeout=params["timeout"],
            validate_certs=params["validate_certs"],
            ca_path=params.get("ca_path"),
            token_cache=worker_cache(module, "tokens"),
        )
    except ApiError as exc:
        module.fail_json(msg=str(exc))
