# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every DSS module shares (doc fragment dataops.iam.dss) and the client built from them.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    RETRIES_ENV,
    retries_problem,
    timeout_problem,
)
from ansible_collections.dataops.iam.plugins.module_utils.runtime import ModuleDefinition

if TYPE_CHECKING:  # the client imports httpx: loaded by DssModule.client() only
    from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssClient


def dss_argument_spec() -> dict:
    """Argument spec of the ``dataops.iam.dss`` doc fragment; merge it into a module's own spec."""
    return dict(
        dss_url=dict(type="str", fallback=(env_fallback, ["DKU_DSS_URL"])),
        api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["DKU_API_KEY"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", fallback=(env_fallback, [RETRIES_ENV])),
    )


def connection_problems(params: dict) -> list:
    """What is missing or wrong in the connection options, as messages that name the fix."""
    problems = []
    url = params.get("dss_url")
    if not url:
        problems.append("set dss_url (or DKU_DSS_URL) to the DSS URL, e.g. https://dss.example.com:11200")
    else:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append("dss_url must be an http:// or https:// URL with a host name, got %r" % url)
    if not params.get("api_key"):
        problems.append("set api_key (or DKU_API_KEY) to a DSS API key with admin rights")
    problem = timeout_problem(params.get("timeout"))
    if problem:
        problems.append(problem)
    problem = retries_problem(params.get("retries"))
    if problem:
        problems.append(problem)
    return problems


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DssModule(ModuleDefinition):
    """A module of a DSS instance: the options of the ``dataops.iam.dss`` doc fragment and a DssClient."""

    connection_prefix = "DSS connection options are incomplete: "

    def connection_spec(self) -> dict:
        return dss_argument_spec()

    def connection_problems(self, params: dict) -> list:
        return connection_problems(params)

    def client(self, module: Any) -> DssClient:
        from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssClient
        from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy

        params = module.params
        parts = urlsplit(params["dss_url"].strip())
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            module.warn("dss_url uses http://: the API key crosses the network unencrypted; use https://")
        if parts.scheme == "https" and not params["validate_certs"]:
            module.warn("validate_certs is false: the TLS certificate of DSS is not checked")
        return DssClient(
            url=params["dss_url"],
            api_key=params["api_key"],
            timeout=params["timeout"],
            validate_certs=params["validate_certs"],
            ca_path=params.get("ca_path"),
            retry=RetryPolicy.with_retries(params.get("retries")),
            read_only=module.check_mode,
        )
