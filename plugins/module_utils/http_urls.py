# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The URLs of http.py's requests: the one httpx sends to, the one shown in messages (no query string, no
credentials), and the length that is refused before sending. Internal to the collection."""

from __future__ import annotations

from typing import Any

#: The longest request URL sent. RFC 9110 section 4.1: "It is RECOMMENDED that all senders and recipients support, at
#: a minimum, URIs with lengths of 8000 octets in protocol elements"; a server may refuse a longer one (414), and
#: httpx itself raises InvalidURL past 65,536 characters (httpx/_urlparse.py, MAX_URL_LENGTH). A longer URL is
#: refused before it is sent, with a message, never an exception of httpx's (the input checks of the modules
#: refuse the names first: input_checks.py).
MAX_URL_OCTETS = 8000


def url_length(client: Any, url: str, params: Any) -> int:
    """The length, in octets, of the URL httpx would send for ``url`` and ``params`` under ``client``'s base URL."""
    import httpx

    return len(str(client.base_url)) + octets(url) + (octets(str(httpx.QueryParams(params))) + 1 if params else 0)


def octets(text: str) -> int:
    """The length of ``text`` in a URL: each non-ASCII character is sent as the %XX escapes of its UTF-8 bytes."""
    return len(text) + 2 * sum(len(char.encode("utf-8", "surrogatepass")) for char in text if ord(char) > 127)


def full_url(client: Any, url: str) -> Any:
    """The URL httpx sends ``url`` to: a relative URL goes under the base URL's path, as httpx merges it (a
    ``base_url`` of ``https://proxy/cdf`` sends ``/api/v1/...`` to ``https://proxy/cdf/api/v1/...``; ``URL.join``
    would drop ``/cdf``). httpx keeps a base URL's path ending in ``/``."""
    import httpx

    merge = httpx.URL(url)
    if not merge.is_relative_url:
        return merge
    return client.base_url.copy_with(raw_path=client.base_url.raw_path + merge.raw_path.lstrip(b"/"))


def display_url(client: Any, url: str) -> str:
    """The URL for messages: no query string (keep it short) and no user:password@ (a secret)."""
    try:
        return str(full_url(client, url).copy_with(query=None, userinfo=b""))
    except Exception:  # pragma: no cover - defensive, message only
        return url
