# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The transport options every module has, whichever API it talks to: one timeout, one retry policy
    (plugins/module_utils/http.py)."""

    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - Timeout of each HTTP request, in seconds. Must be greater than 0.
    type: float
    default: 30.0
  retries:
    description:
      - How many times a failed request is sent again (after the first attempt), with exponential backoff (0.5 s
        doubling, at most 30 s between attempts, full jitter) or the API's C(Retry-After) (at most 120 s).
      - Retried are throttling (HTTP 429), gateway errors (502, 503, 504), timeouts and broken connections. A server
        error (500) and a connection that is refused are tried at most 3 times in all, whatever this is.
      - A write whose answer was lost is sent again only after the state was read again, or when sending it twice
        leaves the same state; see the table on the reliability page of the collection's docs.
      - If not set, the environment variable E(DATAOPS_IAM_RETRIES) is used; else 10, as cognite-sdk's
        C(max_retries). V(0) sends each request once. At most 30.
    type: int
"""
