# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed connection means when it is a setting, not an outage: the certificate was refused, the URL's
scheme does not match what the port speaks, a redirect (a proxy or a login page answered). http.py fails such a
call at once with the message, never retries it. Internal to the collection."""

from __future__ import annotations

import socket
import ssl
from typing import Any, Optional


def protocol_mistake(full: Any, exc: BaseException) -> Optional[str]:
    """What is wrong when a URL's scheme does not match what its port speaks, or None.

    ``https://`` to a plain HTTP port: the TLS handshake reads an HTTP answer (OpenSSL: "wrong version number").
    ``http://`` to a TLS port: the server closes the connection without an answer; a TLS handshake with the
    same host and port tells this from a server that merely dropped the connection (checked only then).
    """
    import httpx

    where = "%s:%s" % (full.host, full.port or (443 if full.scheme == "https" else 80))
    if full.scheme == "https" and isinstance(exc, httpx.ConnectError) and _wrong_tls_version(exc):
        return (
            "%s answered in plain HTTP, not TLS: the URL says https:// where the server speaks http:// (use "
            "http://, or the port of its TLS endpoint); not retried" % where
        )
    if full.scheme == "http" and isinstance(exc, httpx.RemoteProtocolError) and _speaks_tls(full.host, full.port or 80):
        return (
            "%s speaks TLS: the URL says http:// where the server wants https:// (use https://); not retried" % where
        )
    return None


def _wrong_tls_version(exc: BaseException) -> bool:
    text = " ".join(str(link) for link in _chain(exc)).lower()
    return "wrong version number" in text or "record layer failure" in text or "http_request" in text


def _speaks_tls(host: str, port: int, timeout: float = 3.0) -> bool:
    """Whether ``host:port`` completes a TLS handshake (no certificate check: only the protocol matters)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host):
                return True
    except (OSError, ssl.SSLError):
        return False


def redirect_text(response: Any) -> str:
    """A redirect is never the API's answer (none of its calls redirects): a proxy or a login page is in between."""
    location = _display_url_of(response.headers.get("location") or "")
    return (
        "redirected (HTTP %d) to %s: the API never redirects, so something between the controller and the API (a "
        "single sign-on proxy, a captive portal) answered, or the URL is not the API's own; check the URL options "
        "and the proxy settings (HTTPS_PROXY, NO_PROXY); not followed, not retried"
        % (response.status_code, location or "(no Location)")
    )


def _display_url_of(text: str) -> str:
    import httpx

    try:
        return str(httpx.URL(text).copy_with(query=None, userinfo=b""))
    except Exception:  # pragma: no cover - message only
        return ""


def _chain(exc: BaseException) -> list:
    chain: list[BaseException] = []
    link: Optional[BaseException] = exc
    while link is not None and len(chain) < 10:
        chain.append(link)
        link = link.__cause__ or link.__context__
    return chain


def certificate_rejected(exc: BaseException) -> Optional[str]:
    """The reason, when a connection failed because the server's certificate did not verify."""
    chain = _chain(exc)
    for link in chain:
        if isinstance(link, ssl.SSLCertVerificationError):
            return link.verify_message or str(link)
    return next((str(link) for link in chain if "CERTIFICATE_VERIFY_FAILED" in str(link)), None)
