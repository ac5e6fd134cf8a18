# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection and authentication options of the modules of Cognite's auth API (action group auth_api)."""

    DOCUMENTATION = r"""
options:
  auth_url:
    description:
      - Base URL of Cognite's auth API. It must be an absolute C(https://) (or C(http://)) URL with a host name.
      - If not set, the environment variable E(COGNITE_AUTH_URL) is used, else V(https://auth.cognite.com).
      - An empty value (an empty E(COGNITE_AUTH_URL)) is the same as not set.
    type: str
    default: https://auth.cognite.com
  auth_token:
    description:
      - A ready token issued by the auth API (C(auth.cognite.com)), sent as is. Never logged.
      - A token of the project's identity provider (such as Entra ID, the one O(dataops.iam.group#module:token)
        takes) is refused by the auth API with HTTP 401.
      - If the auth API rejects it and O(auth_client_id) and O(auth_client_secret) are set too, a new token is
        fetched with them and the call sent again, once.
      - If not set, the environment variable E(COGNITE_AUTH_TOKEN) is used.
    type: str
  auth_client_id:
    description:
      - Client id of a Cognite service account of the organization, for client credentials at the auth API's own
        token endpoint O(auth_token_url). Not the client id of an app of the project's identity provider.
      - If not set, the environment variable E(COGNITE_AUTH_CLIENT_ID) is used.
    type: str
  auth_client_secret:
    description:
      - Client secret of that service account. Never logged; sent to O(auth_token_url) only.
      - If not set, the environment variable E(COGNITE_AUTH_CLIENT_SECRET) is used.
    type: str
  auth_token_url:
    description:
      - The auth API's token endpoint (OAuth2 client credentials grant).
      - Defaults to C(<auth_url>/oauth2/token), that is V(https://auth.cognite.com/oauth2/token) (cognite-toolkit,
        C(cognite_toolkit/_cdf_tk/utils/auth.py), provider C(cdf)).
      - If not set, the environment variable E(COGNITE_AUTH_TOKEN_URL) is used.
    type: str
  auth_scopes:
    description:
      - OAuth2 scopes to ask the auth API's token endpoint for. By default none is sent (as cognite-toolkit does
        for this endpoint).
      - If not set, the environment variable E(COGNITE_AUTH_SCOPES) is used (comma-separated).
    type: list
    elements: str
  org:
    description:
      - The organization id, for example V(my-company). Checked against C(^[a-z][a-z0-9-]{1,62}[a-z0-9]$) before
        any call.
      - Required. If not set, the environment variable E(COGNITE_ORG) is used.
    type: str
  client_id:
    description:
      - Refused. The project's identity-provider credentials (O(client_id), O(client_secret), O(token_url),
        O(token)) are not taken by the auth API; a task that sets any of them fails before any call and names the
        auth API's own options (O(auth_client_id), O(auth_client_secret), O(auth_token)) instead.
      - Known to these modules only so that a secret given here by mistake is never shown (it is treated as
        O(client_secret) and O(token) are, as a no_log value). No environment variable is read for it.
    type: str
  client_secret:
    description:
      - Refused, see O(client_id). Never logged.
    type: str
  token_url:
    description:
      - Refused, see O(client_id).
    type: str
  token:
    description:
      - Refused, see O(client_id). Never logged.
    type: str
  validate_certs:
    description:
      - Whether to check the TLS certificate of the auth API. Setting it to V(false) is insecure and warns.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM bundle of CA certificates to trust instead of the system's.
    type: path
notes:
  - The auth API accepts only OAuth tokens issued by C(https://auth.cognite.com) (Principals concept page of the
    API reference, U(https://docs.cognite.com/api-reference/concepts/20230101/principals)); the project's
    credentials (O(dataops.iam.group#module:token_url), O(dataops.iam.group#module:client_id)) do not work here.
  - These options need no O(dataops.iam.group#module:base_url), cluster or project. Set them once per play with
    C(module_defaults) and the action group C(group/dataops.iam.auth_api).
  - Throttling (HTTP 429), gateway errors (502, 503, 504) and lost connections are retried (O(retries)) with
    exponential backoff, honouring C(Retry-After).
requirements:
  - httpx >= 0.27
  - pydantic >= 2.6
"""
