# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of connection options that the CDF and DSS modules share, made before any request.

A URL option that is not an absolute ``http(s)://`` URL is a setting error, not something to send a request to:
an HTTP client with a base URL resolves a relative one under that base, so a ``token_url`` without its scheme
would send the client secret to the API host instead of the identity provider.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import urlsplit

_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)?[^/@?#]*@")


def is_absolute_http_url(value: Any, allow_query: bool = False) -> bool:
    """Whether ``value`` is an ``http://`` or ``https://`` URL with a host (and a valid port, if any), no
    fragment, no whitespace, and no query string unless ``allow_query``."""
    if not isinstance(value, str) or not value or any(char.isspace() for char in value):
        return False
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.fragment:
        return False
    if parts.query and not allow_query:
        return False
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return True


def url_problem(
    name: str, value: Any, example: str, env: Optional[str] = None, allow_query: bool = False, required: bool = False
) -> Optional[str]:
    """A message naming the option (and its environment variable) and showing an example, when ``value`` is not an
    absolute http(s) URL; None when it is one, or when it is not set and not ``required``."""
    if (value is None or value == "") and not required or is_absolute_http_url(value, allow_query):
        return None
    option = "%s (or %s)" % (name, env) if env else name
    return "%s must be an absolute http:// or https:// URL with a host name, such as %s; got %r" % (
        option,
        example,
        shown_url(value),
    )


def shown_url(value: Any) -> Any:
    """A URL for a message, without a ``user:password@`` part (a secret)."""
    if not isinstance(value, str):
        return value
    return _USERINFO.sub(lambda match: (match.group(1) or "") + "<credentials>@", value, count=1)


#: The environment variable of the ``retries`` option (one for every API: it is a setting of the pipeline).
RETRIES_ENV = "DATAOPS_IAM_RETRIES"
#: The ``retries`` option's bounds: 0 (one attempt, no retry) to 30 (beyond that a task waits for hours).
RETRIES_RANGE = (0, 30)


def retries_problem(retries: Any) -> Optional[str]:
    """A message when the ``retries`` option is out of its range (None: the default)."""
    low, high = RETRIES_RANGE
    if retries is None or low <= retries <= high:
        return None
    return "retries (or %s) must be between %d and %d, got %d" % (RETRIES_ENV, low, high, retries)


def timeout_problem(timeout: Any) -> Optional[str]:
    """A message when the ``timeout`` option is not a positive number of seconds (0 would fail every request)."""
    if timeout is None:
        return None
    if not timeout > 0:  # NaN too
        return "timeout must be greater than 0 (seconds), got %g" % timeout
    return None
