# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CdfClient: one authenticated httpx client per module run, paging, CDF error bodies.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Callable, Iterator, Optional

from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import is_absolute_http_url, shown_url
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    READ,
    RECHECK,
    ApiClient,
    ApiError,
    RecheckHit,
    RetryPolicy,
    iterate_pages,
    json_body,
)

CDF_VERSION_HEADER = "20230101"
USER_AGENT = "dataops.iam-ansible"
TOKEN_REFRESH_MARGIN = 30.0
#: Waits before sending again a call answered 403 while the access of a group just replaced may still be applying
#: (access granted by a new group can take a moment to apply on CDF: a 403 right after the create has been seen);
#: a few seconds in all.
ACCESS_SETTLE_DELAYS = (0.5, 1.0, 2.0)
UNEXPECTED_RESPONSE = "unexpected_response"


class CdfApiError(ApiError):
    """An error answer of a CDF API call (the auth API's client, auth_api/client.py, has a subclass with its hints)."""


class UnexpectedResponse(ApiError):
    """A successful answer of a shape the module does not know; never retried (the same call gets the same)."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message, status=status, code=UNEXPECTED_RESPONSE)
        self.retryable = False

    def hint(self) -> Optional[str]:
        return (
            "The server, or a proxy in front of it, answered in a shape this module does not know: check that "
            "base_url (or cluster; auth_url for login sessions) points at the API itself, not at a proxy or a login "
            "page, and that no other API version answers there"
        )


def json_kind(value: Any) -> str:
    """The JSON type of a value, for messages (the value itself may be a secret or a whole HTML page)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


def created_item(body: Any, call: str) -> dict:
    """The one item of the answer to a create of one item (``{"items": [{...}]}``)."""
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        raise UnexpectedResponse("unexpected response to %s: expected an object with the created item in 'items'" % call)
    return items[0]


def parse_cdf_error(response: Any) -> ApiError:
    """Turn a CDF error response into a CdfApiError (status, code, message, missing/duplicated, request id)."""
    request_id = response.headers.get("x-request-id")
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return CdfApiError(
            str(error.get("message") or "no message"),
            status=response.status_code,
            code=error.get("code", response.status_code),
            missing=error.get("missing"),
            duplicated=error.get("duplicated"),
            request_id=request_id,
        )
    if isinstance(error, str):  # OAuth2 token endpoint: {"error": ..., "error_description": ...}
        description = body.get("error_description") or ""
        return CdfApiError(f"{error}: {description}".rstrip(": "), status=response.status_code, code=error, request_id=request_id)
    if isinstance(body, dict) and isinstance(body.get("message"), str):  # auth API: flat {"code", "message"}
        return CdfApiError(body["message"], status=response.status_code, code=body.get("code", response.status_code), request_id=request_id)
    text = (response.text or "").strip()[:200] or response.reason_phrase
    return CdfApiError(text, status=response.status_code, request_id=request_id)


class CdfClient(ApiClient):
    """A CDF project's API, authenticated by a ready token or OAuth2 client credentials."""

    #: Turns an error answer into an ApiError; the auth API's client (auth_api/client.py) names its own options.
    parse_error = staticmethod(parse_cdf_error)

    def __init__(
        self,
        *,
        base_url: str,
        project: str,
        token: Optional[str] = None,
        token_url: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[list] = None,
        audience: Optional[str] = None,
        timeout: float = 30.0,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        token_cache: Optional[dict] = None,
        read_only: bool = False,
    ) -> None:
        """``token_cache``: a dict shared by the clients of one process that may reuse each other's tokens (the
        items of a loop run in one Ansible worker); tokens are kept per token URL, client, secret, scopes and
        audience, and refreshed as usual when they near their expiry."""
        self.base_url = base_url.rstrip("/")
        self.project = project
        self._token = token or None  # an empty CDF_TOKEN (as AWX injects an empty field) is no token
        self._token_expires_at = float("inf") if token else 0.0
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        # None: the default scope; []: no scope parameter at all (connection.token_scopes).
        self._scopes = list(scopes) if scopes is not None else [f"{self.base_url}/.default"]
        self._audience = audience
        self._token_cache = token_cache
        self._token_fetched = False
        self._settle_until = 0.0
        #: The last token inspection's answer (the group module tells from it whether it replaced a caller's group).
        self.last_inspection: Optional[dict] = None
        super().__init__(
            base_url=self.base_url,
            timeout=timeout,
            validate_certs=validate_certs,
            ca_path=ca_path,
            headers={
                "accept": "application/json",
                "cdf-version": CDF_VERSION_HEADER,
                "user-agent": USER_AGENT,
                "x-cdp-app": USER_AGENT,
            },
            retry=retry,
            read_only=read_only,
        )

    # -- auth --------------------------------------------------------------------------------
    def _bearer(self) -> str:
        if self._token is None and self._token_cache is not None:
            self._token, self._token_expires_at = self._token_cache.get(self._token_cache_key(), (None, 0.0))
        if self._token is None or time.time() > self._token_expires_at - TOKEN_REFRESH_MARGIN:
            self._fetch_token()
            self._token_fetched = True
            if self._token_cache is not None:
                self._token_cache[self._token_cache_key()] = (self._token, self._token_expires_at)
        return f"Bearer {self._token}"

    def access_token(self) -> tuple:
        """The bearer token this client sends (fetched with the client credentials when it has none yet) and when
        it expires, in seconds since the epoch (``inf`` for a token given as is)."""
        self._bearer()
        return self._token, self._token_expires_at

    def _renewable(self) -> bool:
        """Whether a rejected token can be replaced: it was not fetched by this client, which has client credentials."""
        return not self._token_fetched and bool(self._token_url and self._client_id and self._client_secret)

    def _token_cache_key(self) -> tuple:
        secret = hashlib.sha256((self._client_secret or "").encode()).hexdigest()
        return (self._token_url, self._client_id, secret, tuple(self._scopes), self._audience)

    def _fetch_token(self) -> None:
        # Only ever to the token URL as given: a relative one would be resolved under the API's base URL, and the
        # client secret sent to the API host (connection.py refuses it before; this guards other callers too).
        token_url = self._token_url
        if not token_url or not is_absolute_http_url(token_url, allow_query=True):
            raise ApiError(
                "token_url must be an absolute http:// or https:// URL with a host name, such as "
                "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token; got %r (no token was requested)"
                % shown_url(token_url)
            )
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        if self._scopes:
            form["scope"] = " ".join(self._scopes)
        if self._audience:
            form["audience"] = self._audience
        try:  # a read: getting a token changes nothing (and check mode needs one too)
            response = self.send("POST", token_url, data=form)
        except ApiError as exc:
            exc.message = f"could not get a token with client id {self._client_id!r}: {exc.message}"
            raise
        body = json_body(response)
        if not isinstance(body, dict) or not body.get("access_token"):
            raise ApiError(f"the token endpoint {self._token_url} returned no access_token", status=response.status_code)
        self._token = body["access_token"]
        self._token_expires_at = time.time() + float(body.get("expires_in") or 3600)

    # -- access that is still applying --------------------------------------------------------
    def expect_access_settling(self, until: float) -> None:
        """A group the caller is in was just replaced: until ``until`` (``time.monotonic()``), a 403 on the first
        call is sent again after a short wait (ACCESS_SETTLE_DELAYS); a call that succeeds ends the window."""
        self._settle_until = until

    @property
    def access_settling(self) -> bool:
        return time.monotonic() < self._settle_until

    def _settle_wait(self, waited: int) -> bool:
        """Wait before sending a 403-answered call again; False when not in the window or out of attempts."""
        if waited >= len(ACCESS_SETTLE_DELAYS) or not self.access_settling:
            return False
        time.sleep(ACCESS_SETTLE_DELAYS[waited])
        return True

    # -- requests ----------------------------------------------------------------------------
    def project_path(self, path: str) -> str:
        return f"/api/v1/projects/{self.project}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        policy: str = READ,
        recheck: Optional[Callable[[], Any]] = None,
        **kwargs: Any,
    ) -> Any:
        """One call under its write policy (http.py); returns the JSON body, or a recheck's hit. ``path`` is
        relative to the base URL."""
        waited = 0
        while True:
            headers = {"authorization": self._bearer()}
            try:
                response = self.send(method, path, policy=policy, recheck=recheck, headers=headers, **kwargs)
            except RecheckHit as hit:
                return hit.value
            except ApiError as exc:
                # A given (or another run's) token that has expired: with client credentials at hand, fetch a
                # new one and send again, once; a 401 is refused before anything happens, so writes too.
                if exc.status == 401 and self._renewable():
                    self._token = None
                    if self._token_cache is not None:
                        self._token_cache.pop(self._token_cache_key(), None)
                    continue
                # A 403 is refused before anything happens, so writes too may be sent again.
                if exc.status == 403 and self._settle_wait(waited):
                    waited += 1
                    continue
                raise
            self._settle_until = 0.0
            body = json_body(response)
            if not isinstance(body, dict):
                # Every CDF and auth API answer is a JSON object (or empty): anything else is not the API talking.
                raise UnexpectedResponse(
                    "unexpected response to %s %s: expected a JSON object, got %s" % (method, path, json_kind(body)),
                    status=response.status_code,
                )
            return body

    def get(self, path: str, params: Optional[dict] = None) -> Any:
        return self.request("GET", self.project_path(path), params=_query(params))

    def post(self, path: str, body: dict, *, policy: str, recheck: Optional[Callable[[], Any]] = None) -> Any:
        """A POST to the project's ``path``; ``policy`` says whether it is a read (``READ``: a ``byids``, a
        search) or which write (http.py), always named by the caller."""
        return self.request("POST", self.project_path(path), json=body, policy=policy, recheck=recheck)

    def delete_items(self, path: str, body: dict) -> Any:
        """A ``.../delete`` call. Sent again after an answer was lost (nothing is deleted twice); when the
        resent call says items are ``missing``, the lost attempt deleted them: they are done, the rest is sent."""
        resent: list = []

        def resend() -> None:
            resent.append(True)

        while True:
            try:
                return self.request("POST", self.project_path(path), json=body, policy=RECHECK, recheck=resend)
            except ApiError as exc:
                left = _not_missing(body.get("items") or [], exc.missing) if resent and exc.status in (400, 404) else None
                if left is None:
                    raise
                if not left:
                    return {}
                body = dict(body, items=left)

    def iterate(
        self,
        path: str,
        params: Optional[dict] = None,
        *,
        page_size: int = 1000,
        parse: Optional[Callable[[Any], list]] = None,
        limit: Optional[int] = None,
        next_cursor: Callable[[Any], Optional[str]] = lambda body: body.get("nextCursor"),
        absolute: bool = False,
    ) -> Iterator[dict]:
        """Every item of a cursor-paged list endpoint (the first ``limit``); ``parse`` reads (and checks) a page's
        items instead of ``body["items"]``, e.g. with models.parse_items. ``absolute``: ``path`` is relative to the
        base URL, not to the project (the auth API's organization listings, whose cursor is an object)."""
        query = dict(params or {})
        first_page = page_size if limit is None else min(page_size, limit)

        def fetch(cursor: Optional[str]) -> Any:
            page = dict(query, limit=first_page, **({"cursor": cursor} if cursor else {}))
            if absolute:
                return self.request("GET", path, params=_query(page))
            return self.get(path, page)

        return iterate_pages(
            fetch, parse if parse is not None else (lambda body: body.get("items", [])), next_cursor, limit
        )

    def by_ids(
        self, path: str, keys: list, *, key: str, parse: Callable[[Any], list], chunk: int, ignore_unknown: bool = False
    ) -> tuple:
        """The items of ``POST <path>`` (a ``byids`` read) for ``keys``, ``chunk`` at a time, and the keys CDF does
        not know: ``ignore_unknown`` asks CDF to leave them out; otherwise CDF fails a whole request on them and
        names them in ``missing``, and the rest is asked again."""
        found: list = []
        unknown: list = []
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), chunk):
            batch = wanted[start:start + chunk]
            while batch:
                body: dict = {"items": [{key: value} for value in batch]}
                if ignore_unknown:
                    body["ignoreUnknownIds"] = True
                try:
                    answer = self.post(path, body, policy=READ)
                except ApiError as exc:
                    missing = {item.get(key) for item in exc.missing if isinstance(item, dict)}
                    if ignore_unknown or not missing & set(batch):
                        raise
                    unknown.extend(value for value in batch if value in missing)
                    batch = [value for value in batch if value not in missing]
                    continue
                found.extend(parse(answer))
                break
        return found, unknown

    def inspect_token(self) -> dict:
        self.last_inspection = self.request("GET", "/api/v1/token/inspect")
        return self.last_inspection


def _not_missing(items: list, missing: list) -> Optional[list]:
    """The items an error's ``missing`` list does not name (None when it names none of them)."""

    def key(item: Any) -> Any:
        return item.get("id", item.get("username")) if isinstance(item, dict) else item

    gone = {key(entry) for entry in missing}
    left = [item for item in items if key(item) not in gone]
    return left if len(left) < len(items) else None


def _query(params: Optional[dict]) -> Optional[dict]:
    """Booleans in CDF query strings are lower-case ``true``/``false``."""
    if not params:
        return params
    return {key: (str(value).lower() if isinstance(value, bool) else value) for key, value in params.items() if value is not None}
