# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``cdf_token`` module does: one token request with the client credentials, for the tasks that follow.

Like group_state.py, ``module_kwargs()`` and ``run_module(module)`` are the whole module, run by the module
process or by the action plugin of the same name in Ansible's worker.
"""

from __future__ import annotations

import time
from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import cdf_argument_spec, cdf_client
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.module_support import fail_api_error, require_libraries

CREDENTIALS = ("token_url", "client_id", "client_secret")


def module_kwargs() -> dict:
    return dict(argument_spec=cdf_argument_spec(), mutually_exclusive=[("base_url", "cluster")], supports_check_mode=True)


def run_module(module: Any) -> None:
    """Fetch a token with the client credentials (a ``token`` option, e.g. an earlier one in module_defaults, is not used)."""
    require_libraries(module)
    params = dict(module.params)
    missing = [name for name in CREDENTIALS if not params.get(name)]
    if missing:
        module.fail_json(
            msg="cdf_token gets a token with client credentials: set %s (or the environment variables IDP_TOKEN_URL, "
            "IDP_CLIENT_ID, IDP_CLIENT_SECRET)" % ", ".join(missing)
        )
    params["token"] = None
    client = cdf_client(_WithParams(module, params), require_project=False)
    try:
        token, expires_at = client.access_token()
    except ApiError as exc:
        fail_api_error(module, exc, "Getting a token")
    finally:
        client.close()
    module.exit_json(changed=False, token=token, expires_at=int(expires_at), expires_in=max(0, int(expires_at - time.time())))


class _WithParams:
    """``module`` with other params, for cdf_client (everything else is the module's own)."""

    def __init__(self, module: Any, params: dict) -> None:
        self._module = module
        self.params = params

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)
