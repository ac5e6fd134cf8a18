# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AuthApiClient: Cognite's auth API (organizations, principals, login sessions) with its own tokens.

Internal to the collection. The auth API accepts only tokens it issued itself (Principals concept page of the API
reference, https://docs.cognite.com/api-reference/concepts/20230101/principals), never the project's IdP token.
Its token endpoint is ``{auth_url}/oauth2/token``, client credentials grant, no scope: cognitedata/toolkit,
cognite_toolkit/_cdf_tk/utils/auth.py (``idp_token_url`` and ``_get_oauth_client_credentials`` for the ``cdf``
provider). The transport, retries, token fetching and refresh are CdfClient's.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfApiError, CdfClient, parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError, RetryPolicy

DEFAULT_AUTH_URL = "https://auth.cognite.com"
TOKEN_PATH = "/oauth2/token"
CREDENTIAL_OPTIONS = (
    "auth_token (COGNITE_AUTH_TOKEN), or auth_client_id and auth_client_secret (COGNITE_AUTH_CLIENT_ID, "
    "COGNITE_AUTH_CLIENT_SECRET) of a Cognite service account"
)
HINT_401 = (
    "The auth API (auth_url) accepts only tokens issued by the auth API itself (its token endpoint, auth_token_url, "
    "by default <auth_url>/oauth2/token), not by the project's identity provider (token_url, IDP_TOKEN_URL, such "
    "as Entra ID): set " + CREDENTIAL_OPTIONS + " that is an admin of the organization"
)
HINT_403 = (
    "The caller may not do this on the auth API (auth_url): its organization endpoints answer members (principals "
    "listing) or admins (login sessions) of the organization only; check that the service account of "
    "auth_client_id (or of auth_token) belongs to the organization given as org (COGNITE_ORG)"
)


def default_token_url(auth_url: str) -> str:
    """The auth API's own token endpoint under ``auth_url``."""
    return auth_url.rstrip("/") + TOKEN_PATH


class AuthApiError(CdfApiError):
    """An error answer of the auth API; its hints name the auth API's own options."""

    def hint(self) -> Optional[str]:
        if self.status == 401:
            return HINT_401
        if self.status == 403:
            return HINT_403
        return ApiError.hint(self)


def parse_auth_api_error(response: Any) -> ApiError:
    """CDF's parser (it reads the auth API's flat ``{"code", "message"}`` and OAuth errors), as an AuthApiError."""
    parsed = parse_cdf_error(response)
    error = AuthApiError(parsed.message, status=parsed.status, code=parsed.code, request_id=parsed.request_id)
    error.retryable = parsed.retryable
    return error


class AuthApiClient(CdfClient):
    """The auth API at ``auth_url``: a ready token, or client credentials at its token endpoint (no scope)."""

    parse_error = staticmethod(parse_auth_api_error)

    def __init__(
        self,
        *,
        auth_url: str = DEFAULT_AUTH_URL,
        token: Optional[str] = None,
        token_url: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[list] = None,
        timeout: float = 30.0,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        token_cache: Optional[dict] = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(
            base_url=auth_url,
            project="",
            token=token,
            token_url=token_url or default_token_url(auth_url),
            client_id=client_id,
            client_secret=client_secret,
            scopes=list(scopes or []),
            timeout=timeout,
            validate_certs=validate_certs,
            ca_path=ca_path,
            retry=retry,
            token_cache=token_cache,
            read_only=read_only,
        )

    def org_path(self, org: str, path: str) -> str:
        """``/api/v1/orgs/{org}/{path}``, the organization quoted."""
        from urllib.parse import quote

        return "/api/v1/orgs/%s/%s" % (quote(org, safe=""), path.lstrip("/"))
