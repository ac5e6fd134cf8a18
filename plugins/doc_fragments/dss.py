# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection and authentication options of every Dataiku DSS module."""

    DOCUMENTATION = r"""
options:
  dss_url:
    description:
      - URL of the DSS instance (design, automation or deployer node), for example V(https://dss.example.com:11200).
      - A trailing API base path (V(/public/api) or V(/dip/publicapi)) is accepted and ignored.
      - Required. If not set, the environment variable E(DKU_DSS_URL) is used.
      - An V(http://) URL to a host other than the local machine works, with a warning (the API key then
        crosses the network unencrypted).
    type: str
  api_key:
    description:
      - A DSS API key whose user is an administrator (a personal key of an admin, or a global admin key).
      - Sent as the HTTP basic user name, as dataiku-api-client sends it. Never logged.
      - Required. If not set, the environment variable E(DKU_API_KEY) is used.
    type: str
  validate_certs:
    description:
      - Whether to check the TLS certificate of DSS (V(https://) URLs only).
      - Setting it to V(false) is insecure and produces a warning.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM bundle of CA certificates to trust instead of the system's, for a DSS whose certificate
        is signed by a private CA.
    type: path
notes:
  - 'The modules run on the controller (C(hosts: localhost), C(connection: local)); set
    C(ansible_python_interpreter: "{{ ansible_playbook_python }}") so that the Python with httpx is used.'
  - Set the connection options once per play with C(module_defaults) and the action group C(group/dataops.iam.dss).
  - Throttling (HTTP 429), gateway errors (502, 503, 504) and lost connections are retried (O(retries)) with
    exponential backoff, honouring C(Retry-After). A write that may have taken effect is sent again only after
    re-reading the state, or when sending it twice leaves the same state.
  - Logins and group names are checked before any call (letters, digits and C(. _ - @), as DSS allows) and
    escaped in URLs.
requirements:
  - httpx >= 0.27
"""
