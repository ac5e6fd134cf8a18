# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP layer every client of the collection stands on: one error type (http_errors.py), one retry policy
(http_retry_policy.py), one client base; the URLs it sends to and shows in http_urls.py.

Internal to the collection. Reads are retried on throttling (429), gateway errors (502/503/504), timeouts and
connection failures, up to ``retries`` times (default 10, as cognite-sdk), with exponential backoff and full jitter,
honouring ``Retry-After``; a server error (500) and a refused connection only up to 3 attempts in all (more often a
bug or a setting than an outage). The table of what is retried: docs/docsite/rst/reliability.rst.
Each write names its **write policy**, which says what happens when its answer is lost (a timeout after sending,
a 5xx): ``RESEND`` sends it again (writing twice does no harm: a PUT of a whole definition, a revoke), ``RECHECK``
re-reads the state with the call's ``recheck`` and sends again only when the write did not take effect (a create),
``FAIL`` never sends it again (each call makes something new: a session). A write that cannot have taken effect
(the connection was never made, a 429) is sent again under every policy.

``ApiClient`` is the base of the CDF, auth API and DSS clients: it owns the httpx client, sends every request
through the policy, keeps the one record of whether a write took effect or may have (``may_have_written``), and,
made for check mode (``read_only=True``), refuses every write before it is sent (``CheckModeWrite``).
"""

from __future__ import annotations

import os
import ssl
import sys
import traceback
from typing import Any, Callable, Optional

# httpx's package imports its command line client when click and rich are installed (as they are next to many
# Ansible tools), a good part of the cost of ``import httpx``; the modules never use it. A None entry
# makes that optional import fail, as if they were missing; removed again after, so that an explicit
# ``import httpx._main`` elsewhere still works.
_SKIP_HTTPX_CLI = "httpx" not in sys.modules and "httpx._main" not in sys.modules
if _SKIP_HTTPX_CLI:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
try:
    import httpx

    HAS_HTTPX = True
    HTTPX_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    httpx = None  # type: ignore[assignment]  # only read after the runtime's library check found httpx
    HAS_HTTPX = False
    HTTPX_IMPORT_ERROR = traceback.format_exc()
finally:
    if _SKIP_HTTPX_CLI and sys.modules.get("httpx._main", False) is None:
        del sys.modules["httpx._main"]

from ansible_collections.dataops.iam.plugins.module_utils.http_diagnosis import (  # noqa: E402
    certificate_rejected,
    protocol_mistake,
    redirect_text,
)
from ansible_collections.dataops.iam.plugins.module_utils.http_errors import (  # noqa: E402  (ApiError: also imported from here)
    PROTOCOL_ERROR,
    TLS_ERROR,
    URL_TOO_LONG,
    ApiError,
)
from ansible_collections.dataops.iam.plugins.module_utils.http_retry_policy import (  # noqa: E402  (RetryPolicy: also imported from here)
    RETRYABLE_STATUSES,
    RetryPolicy,
)
from ansible_collections.dataops.iam.plugins.module_utils.http_urls import (  # noqa: E402
    MAX_URL_OCTETS,
    display_url,
    full_url,
    url_length,
)

PIP_HINT = "pip install 'httpx>=0.27' 'pydantic>=2.6' (or: pip install -r requirements.txt from the collection)"


#: The write policies (see the module docstring); ``READ`` is the policy of a call that changes nothing.
READ = "read"
RESEND = "resend"
RECHECK = "recheck"
FAIL = "fail"
WRITE_POLICIES = (RESEND, RECHECK, FAIL)


class CheckModeWrite(Exception):
    """A write asked of a client made for check mode: never sent. A bug of the module's code, reported as one."""

    def __init__(self, method: str, url: str) -> None:
        super().__init__("a write (%s %s) was asked for in check mode and refused before it was sent" % (method, url))


def build_http_client(
    *,
    base_url: str = "",
    timeout: float = 30.0,
    validate_certs: bool = True,
    ca_path: Optional[str] = None,
    headers: Optional[dict] = None,
    auth: Any = None,
) -> "httpx.Client":
    """One httpx client per module run, with timeouts and TLS settings always set."""
    verify: Any = tls_context(ca_path) if validate_certs else False
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout),
        verify=verify,
        headers=headers or {},
        auth=auth,
        follow_redirects=False,
    )


_TLS_CONTEXTS: dict = {}


def tls_context(ca_path: Optional[str] = None) -> ssl.SSLContext:
    """The verifying TLS context for ``ca_path`` (else the one httpx makes by default), made once per process.

    Loading a CA bundle takes tens of milliseconds, more than a request to the API; a context holds settings
    and certificates, no connection state, so the clients of one process (the items of a loop run in one
    Ansible worker) share it. Keyed by the bundle, and by httpx's ``SSL_CERT_FILE``/``SSL_CERT_DIR``.
    """
    key = (ca_path, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    context = _TLS_CONTEXTS.get(key)
    if context is None:
        if ca_path:
            try:
                context = ssl.create_default_context(cafile=ca_path)
            except (OSError, ssl.SSLError) as exc:
                raise ApiError(f"Cannot load the CA bundle ca_path={ca_path!r}: {exc}", code=TLS_ERROR) from None
        else:
            context = httpx.create_ssl_context()
        _TLS_CONTEXTS[key] = context
    return context


def warm_up() -> None:
    """Make the default TLS context and load the code an httpx client loads on first use, ahead of time.

    For a process that forks workers afterwards (ansible-playbook, which imports the action plugins before it
    forks the worker of each task): each worker then starts with both, instead of paying for them per task.
    """
    if HAS_HTTPX:
        build_http_client().close()


def is_auto_retryable(response: "httpx.Response") -> bool:
    """CDF marks an error safe to retry with a header or a flag in the error body."""
    if response.headers.get("cdf-is-auto-retryable", "").lower() == "true":
        return True
    body = _json_or_none(response)
    return bool(isinstance(body, dict) and isinstance(body.get("error"), dict) and body["error"].get("isAutoRetryable"))


def send(
    client: "httpx.Client",
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    error_parser: Callable[["httpx.Response"], ApiError],
    write_policy: str = READ,
    recheck: Optional[Callable[[], Any]] = None,
    **kwargs: Any,
) -> "httpx.Response":
    """Send one request with the retry policy and its write policy; raise ApiError on failure.

    For a write, a 429 (nothing happened) and a connect error (never sent) are retried; after a 5xx or a lost
    response, ``RESEND`` sends again, ``FAIL`` raises, and ``RECHECK`` calls ``recheck()``: a falsy value sends
    again, any other value is the write's result, raised as ``RecheckHit``.
    """
    if write_policy == RECHECK and recheck is None:
        raise ValueError("the recheck write policy needs a recheck callable")
    write = write_policy != READ
    if write_policy == RESEND:
        recheck = _resend
    elif write_policy == FAIL:
        recheck = None
    uncertain: list = []  # one entry per attempt of a write whose outcome is unknown
    try:
        return _send_with_retries(client, method, url, policy, error_parser, write, recheck, uncertain, kwargs)
    except ApiError as error:
        error.may_have_written = bool(write and uncertain)
        raise


def _send_with_retries(
    client: "httpx.Client",
    method: str,
    url: str,
    policy: RetryPolicy,
    error_parser: Callable[["httpx.Response"], ApiError],
    write: bool,
    recheck: Optional[Callable[[], Any]],
    uncertain: list,
    kwargs: dict,
) -> "httpx.Response":
    """``send``'s loop; every uncertain attempt of a write is noted in ``uncertain`` before it is rechecked."""
    attempt = 0
    last_attempt = policy.max_attempts
    connect_failures = 0
    server_errors = 0
    while True:
        attempt += 1
        response = None
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            never_sent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            error = ApiError(f"timed out ({type(exc).__name__})", method=method, url=display_url(client, url))
            if write and not never_sent:
                uncertain.append(attempt)
                _maybe_recheck(recheck, error)
        except httpx.TransportError as exc:
            never_sent = isinstance(exc, httpx.ConnectError)
            mistake = protocol_mistake(full_url(client, url), exc)
            if mistake:  # a setting, not an outage: retrying cannot help
                raise ApiError(mistake, code=PROTOCOL_ERROR, method=method, url=display_url(client, url)) from None
            rejected = certificate_rejected(exc) if never_sent else None
            if rejected:
                raise ApiError(
                    f"the TLS certificate of the server was not accepted ({rejected}): set ca_path "
                    "to the CA bundle that issued it, or validate_certs: false (not recommended: then nothing "
                    "proves who answers)",
                    code=TLS_ERROR,
                    method=method,
                    url=display_url(client, url),
                ) from None
            connect_failures += never_sent
            if connect_failures >= policy.connect_attempts:
                last_attempt = min(last_attempt, attempt)
            error = ApiError(
                f"could not reach the API ({type(exc).__name__}: {exc})",
                method=method,
                url=display_url(client, url),
            )
            if write and not never_sent:
                uncertain.append(attempt)
                _maybe_recheck(recheck, error)
        else:
            if 300 <= response.status_code < 400:
                raise ApiError(
                    redirect_text(response), status=response.status_code, code=PROTOCOL_ERROR, method=method,
                    url=display_url(client, url),
                )
            if response.status_code < 400:
                return response
            error = error_parser(response)
            error.method, error.url = method, display_url(client, url)
            if response.status_code not in RETRYABLE_STATUSES or error.retryable is False:
                if write and response.status_code >= 500 and error.retryable is not False:
                    uncertain.append(attempt)
                raise error
            auto_retryable = is_auto_retryable(response)
            if response.status_code == 500 and not auto_retryable:
                server_errors += 1
                if server_errors >= policy.server_error_attempts:
                    last_attempt = min(last_attempt, attempt)
            if write and response.status_code != 429 and not auto_retryable:
                uncertain.append(attempt)
                _maybe_recheck(recheck, error)
        if attempt >= last_attempt:
            if attempt > 1:
                error.message += f" (gave up after {attempt} attempts)"
            elif policy.max_attempts == 1:
                error.message += " (not retried: retries is 0)"
            raise error
        policy.sleep(policy.delay(attempt, response))


def plain_error(response: "httpx.Response") -> ApiError:
    """An error answer of an API without an error format of its own: its status and the start of its text."""
    text = (response.text or "").strip()[:200] or response.reason_phrase
    return ApiError(text, status=response.status_code)


def _resend() -> None:
    """The recheck of the ``RESEND`` policy: the write is always sent again."""
    return None


class RecheckHit(Exception):
    """Raised by ``send`` when a recheck found that an uncertain write took effect."""

    def __init__(self, value: Any) -> None:
        super().__init__("the write took effect")
        self.value = value


def _maybe_recheck(recheck: Optional[Callable[[], Any]], error: ApiError) -> None:
    """After an uncertain write: no recheck means we must not retry; a hit ends the loop."""
    if recheck is None:
        error.message += " (the write may or may not have taken effect; not retried)"
        raise error
    try:
        found = recheck()
    except ApiError as failed:  # the state could not be read again: say which write is left in doubt
        failed.message += (
            " -- this read was to check a write whose answer was lost (%s %s: %s): that write may or may not have "
            "taken effect" % (error.method, error.url, error.message)
        )
        raise
    if found:
        raise RecheckHit(found)


class ApiClient:
    """The base of the collection's API clients: one httpx client, requests under their write policy, and the one
    record of writes (see the module docstring).

    ``read_only``: made for check mode; every write is refused before it is sent. ``may_have_written``: a write of
    this client took effect, or may have (its answer was lost); a failed task reports ``changed`` from it.
    """

    #: Turns an error answer into an ApiError of the client's API.
    parse_error: Callable[["httpx.Response"], ApiError] = staticmethod(plain_error)

    def __init__(
        self,
        *,
        base_url: str,
        headers: dict,
        timeout: float = 30.0,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        auth: Any = None,
        retry: Optional[RetryPolicy] = None,
        read_only: bool = False,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.read_only = read_only
        self.may_have_written = False
        self._http = build_http_client(
            base_url=base_url, timeout=timeout, validate_certs=validate_certs, ca_path=ca_path, headers=headers, auth=auth
        )

    def send(
        self,
        method: str,
        url: str,
        *,
        policy: str = READ,
        recheck: Optional[Callable[[], Any]] = None,
        **kwargs: Any,
    ) -> "httpx.Response":
        """One request under ``policy``; raises ApiError, RecheckHit (a recheck found the write done) or
        CheckModeWrite (a write of a read-only client)."""
        _refuse_long_url(self._http, method, url, kwargs.get("params"))
        if policy != READ and self.read_only:
            raise CheckModeWrite(method, display_url(self._http, url))
        try:
            response = send(
                self._http, method, url, policy=self.retry, error_parser=self.parse_error, write_policy=policy,
                recheck=recheck, **kwargs
            )
        except RecheckHit:
            self.may_have_written = True
            raise
        except ApiError as exc:
            self.may_have_written = self.may_have_written or exc.may_have_written
            raise
        if policy != READ:
            self.may_have_written = True
        return response

    def close(self) -> None:
        self._http.close()


def iterate_pages(
    fetch: Callable[[Optional[str]], Any],
    items: Callable[[Any], list],
    next_cursor: Callable[[Any], Optional[str]],
    limit: Optional[int] = None,
) -> Any:
    """Every item of a cursor-paged listing (the first ``limit`` when given): ``fetch(cursor)`` reads a page
    (``None``: the first), ``items`` the page's items, ``next_cursor`` the cursor of the next page (falsy: the end)."""
    cursor: Optional[str] = None
    given = 0
    while True:
        body = fetch(cursor)
        for item in items(body):
            yield item
            given += 1
            if limit is not None and given >= limit:
                return
        cursor = next_cursor(body)
        if not cursor:
            return


def _refuse_long_url(client: "httpx.Client", method: str, url: str, params: Any) -> None:
    """An ApiError, before anything is sent, when the request's URL would be longer than ``MAX_URL_OCTETS``."""
    length = url_length(client, url, params)
    if length > MAX_URL_OCTETS:
        raise ApiError(
            "the request URL would be %d characters long (%s...), over %d, the length every HTTP server is meant to "
            "accept (RFC 9110 section 4.1): a name or id in it is too long; nothing was sent"
            % (length, url[:80], MAX_URL_OCTETS),
            code=URL_TOO_LONG,
            method=method,
            url=str(client.base_url),
        )


def _json_or_none(response: "httpx.Response") -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def json_body(response: "httpx.Response") -> Any:
    """The JSON body of a successful response ({} when empty)."""
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("content-type", "no content type")
        page = (
            ": an HTML page answered, not the API; a proxy, a firewall's block page or a login page is in between, or "
            "the URL is not the API's own (check the URL options and HTTPS_PROXY / NO_PROXY)"
            if "html" in kind.lower() or response.text.lstrip()[:1] == "<"
            else ""
        )
        raise ApiError(
            f"expected a JSON response, got {kind}{page}",
            status=response.status_code,
            method=response.request.method,
            url=str(response.request.url.copy_with(query=None, userinfo=b"")),
        ) from None
