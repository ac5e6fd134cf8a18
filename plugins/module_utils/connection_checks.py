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

#: A URL's ``user[:password]@`` (the userinfo of RFC 3986, section 3.2.1): everything before the last ``@`` of the
#: authority, which ends at the first ``/``, ``?`` or ``#`` (as urllib.parse.urlsplit reads a netloc); with or
#: without a scheme, since ``user:password@host`` is refused as well.
_URL_USERINFO = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^/?#]*)@")


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
    credentials = url_credentials_problem(name, value, env)
    if credentials:
        return credentials
    if (value is None or value == "") and not required or is_absolute_http_url(value, allow_query):
        return None
    option = "%s (or %s)" % (name, env) if env else name
    return "%s must be an absolute http:// or https:// URL with a host name, such as %s; got %r" % (
        option,
        example,
        shown_url(value),
    )


def shown_url(value: Any) -> Any:
    """A URL for a message, its ``user:password@`` part (a secret) shown as ``<credentials>@``."""
    match = _URL_USERINFO.match(value) if isinstance(value, str) else None
    if not match:
        return value
    return value[:match.start(1)] + "<credentials>" + value[match.end(1):]


def url_userinfo(value: Any) -> Optional[str]:
    """The ``user:password`` (or ``user``) part of a URL, or None when it has none (or is not a string)."""
    if not isinstance(value, str):
        return None
    match = _URL_USERINFO.match(value)
    return match.group(1) if match else None


def url_credentials_problem(name: str, value: Any, env: Optional[str] = None) -> Optional[str]:
    """A message, when the URL ``value`` of option ``name`` carries credentials (``user:password@``); None otherwise.

    Such a URL is refused, never sent: an HTTP client would send its userinfo as HTTP basic credentials to that host
    (and to every host a redirect leads to), and a URL shows in messages, logs and proxies. The message shows the URL
    with the credentials masked (``shown_url``).
    """
    if url_userinfo(value) is None:
        return None
    option = "%s (or %s)" % (name, env) if env else name
    return (
        "%s must not contain credentials (user:password@): give them in the module's credential options (client_id "
        "and client_secret, token, api_key, auth_client_secret), which are never shown; got %r"
        % (option, shown_url(value))
    )


def url_options(params: Any) -> list:
    """``(name, value)`` of each URL option (a top-level option whose name ends in ``url``) set to a string."""
    if not isinstance(params, dict):
        return []
    return [(name, value) for name, value in params.items() if str(name).endswith("url") and isinstance(value, str)]


def url_option_problems(params: Any, argument_spec: Optional[dict] = None) -> list:
    """A message for each URL option of ``params`` that carries credentials, naming the option's environment
    variable when ``argument_spec`` gives it a fallback."""
    problems = []
    for name, value in url_options(params):
        fallback: Any = ((argument_spec or {}).get(name) or {}).get("fallback") or ()
        names = fallback[1] if len(fallback) > 1 and isinstance(fallback[1], (list, tuple)) else []
        problem = url_credentials_problem(name, value, names[0] if names else None)
        if problem:
            problems.append(problem)
    return problems


def masked_url_options(params: dict) -> dict:
    """``params`` with the credentials of each URL option masked (``shown_url``): what a refused task's
    ``invocation`` shows instead of the URL as given."""
    masked = dict(params)
    masked.update((name, shown_url(value)) for name, value in url_options(params) if url_userinfo(value) is not None)
    return masked


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
