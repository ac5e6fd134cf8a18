# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection and authentication options of every CDF module."""

    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - Base URL of the CDF cluster, for example V(https://westeurope-1.cognitedata.com). It must be an absolute
        C(https://) (or C(http://)) URL with a host name; anything else fails the task before any request.
      - Mutually exclusive with O(cluster).
      - If neither O(base_url) nor O(cluster) is set (in the task or in C(module_defaults)), the environment variable
        E(CDF_URL) is used, else E(CDF_CLUSTER). An option that is set wins over both variables, so E(CDF_CLUSTER)
        in the environment does not clash with O(base_url) in the task. When both variables are set, E(CDF_URL)
        wins, as in cognite-toolkit, whose users set E(CDF_CLUSTER) and often E(CDF_URL) beside it.
    type: str
  cluster:
    description:
      - Name of the CDF cluster, for example V(westeurope-1); the base URL becomes C(https://<cluster>.cognitedata.com).
      - Mutually exclusive with O(base_url).
      - If neither O(base_url) nor O(cluster) is set, the environment variable E(CDF_URL) is used, else
        E(CDF_CLUSTER); see O(base_url).
    type: str
  project:
    description:
      - The CDF project (its URL name).
      - Required. If not set, the environment variable E(CDF_PROJECT) is used.
    type: str
  token_url:
    description:
      - OAuth2 token endpoint of the identity provider, for client credentials authentication, for example
        V(https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).
      - It must be an absolute C(https://) (or C(http://)) URL with a host name; anything else fails the task before
        any request. The client secret is sent to this URL only, never to O(base_url).
      - If not set, the environment variable E(IDP_TOKEN_URL) is used.
    type: str
  client_id:
    description:
      - OAuth2 client id, for client credentials authentication.
      - If not set, the environment variable E(IDP_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - OAuth2 client secret, for client credentials authentication. Never logged.
      - If not set, the environment variable E(IDP_CLIENT_SECRET) is used.
    type: str
  scopes:
    description:
      - OAuth2 scopes to request, sent space-separated as the C(scope) parameter of the token request.
      - Defaults to V(<base_url>/.default), the form Microsoft Entra ID expects.
      - V([]) sends no C(scope) parameter at all, as cognite-sdk does with an empty list; for identity providers
        that refuse the Entra ID form and need none.
      - If not set, the environment variable E(IDP_SCOPES) is used (comma-separated). An empty E(IDP_SCOPES) counts
        as not set (the default scope), as in cognite-toolkit; to send no scope, set O(scopes=[]).
    type: list
    elements: str
  audience:
    description:
      - OAuth2 audience, for identity providers that need one (such as Auth0).
      - If not set, the environment variable E(IDP_AUDIENCE) is used.
    type: str
  token:
    description:
      - A ready bearer token. When set, it is sent as is and no token is requested up front.
      - If the API rejects it (HTTP 401) and the client credentials options (O(token_url), O(client_id),
        O(client_secret)) are set too, a new token is fetched with them and the call sent again, once; without
        them, the task fails with HTTP 401.
      - Never logged.
      - If not set, the environment variable E(CDF_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Whether to check the TLS certificate of the API and the token endpoint.
      - Setting it to V(false) is insecure and produces a warning.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM bundle of CA certificates to trust instead of the system's.
    type: path
notes:
  - 'The modules run on the controller (C(hosts: localhost), C(connection: local)); set
    C(ansible_python_interpreter: "{{ ansible_playbook_python }}") so that the Python with httpx and pydantic is used.'
  - Set the connection options once per play with C(module_defaults) and the action group C(group/dataops.iam.cdf).
  - Throttling (HTTP 429), gateway errors (502, 503, 504) and lost connections are retried (O(retries)) with
    exponential backoff, honouring C(Retry-After). A write that may have taken effect is sent again only after
    re-reading the state, or when sending it twice leaves the same state.
requirements:
  - httpx >= 0.27
  - pydantic >= 2.6
"""
