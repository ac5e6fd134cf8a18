# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DssClient: the DSS public API's users and groups, authenticated by an API key.

The key is sent as the HTTP basic username with an empty password, as dataiku-api-client does. Logins and
group names are validated before any call and percent-escaped in paths (dataiku-api-client does not escape
them). DSS errors are ``{"errorType", "message", "detailedMessage"}``; they become ``DssApiError`` with
``code=errorType``.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional
from urllib.parse import quote

from ansible_collections.dataops.iam.plugins.module_utils.http import (
    READ,
    RECHECK,
    RESEND,
    TLS_ERROR,
    URL_TOO_LONG,
    ApiClient,
    ApiError,
    RecheckHit,
    RetryPolicy,
    json_body,
)
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import DSS_NAME_MAX_CHARS, shown

BASE_PATH = "/public/api"
KNOWN_BASE_PATHS = ("/public/api", "/dip/publicapi")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9._@-]+$")
NOT_FOUND_SUFFIX = "NotFoundException"
USER_AGENT = "dataops.iam-ansible"
#: The ``sourceType`` values of users and groups the modules accept.
SOURCE_TYPES = ["LOCAL", "LDAP", "LOCAL_NO_AUTH", "AZURE_AD", "CUSTOM", "PAM", "SAAS"]

DSS_STATUS_HINTS = {
    0: "Check dss_url (or DKU_DSS_URL: the DSS root URL, such as https://dss.example.com:11200) and that the "
    "controller can reach that host (name, port, proxy, firewall)",
    401: "DSS did not accept the API key: check api_key (or DKU_API_KEY) and that the key still exists",
    403: "The API key's user is not a DSS administrator; managing users and groups needs an admin key",
    429: "DSS kept throttling the requests; try again later or lower the parallelism",
}


NOT_DSS_HINT = (
    "This answer does not look like one of the DSS public API: check dss_url (or DKU_DSS_URL), which must be the "
    "DSS root URL, such as https://dss.example.com:11200, not a page or another service on that host"
)


class DssApiError(ApiError):
    """An error from the DSS API; ``code`` is DSS's ``errorType`` (a Java exception class)."""

    def hint(self) -> Optional[str]:
        if self.code in (TLS_ERROR, URL_TOO_LONG):
            return None  # the message says it all
        if (self.status == 404 and not self.code) or self.code == "unexpected_response":
            return NOT_DSS_HINT
        return DSS_STATUS_HINTS.get(self.status or 0)

    @property
    def not_found(self) -> bool:
        """DSS answers a missing user or group with its NotFoundException (404; sometimes another status).

        A 404 without that error body is not "missing": it is a dss_url that does not lead to the DSS API (a web
        server or proxy answered), and treating it as missing would make deletions and audits report nothing.
        """
        return str(self.code or "").endswith(NOT_FOUND_SUFFIX)

    @classmethod
    def from_error(cls, error: ApiError) -> "DssApiError":
        """The same error as a DssApiError (for the transport's own errors: connection, TLS, timeouts)."""
        dss_error = cls(error.message, status=error.status, code=error.code, method=error.method, url=error.url)
        dss_error.retryable, dss_error.may_have_written = error.retryable, error.may_have_written
        return dss_error


def parse_dss_error(response: Any) -> ApiError:
    """Turn a DSS error response into a DssApiError (status, errorType, message)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get("errorType") or body.get("message")):
        text = body.get("detailedMessage") or body.get("message") or "no message"
        error = DssApiError(str(text), status=response.status_code, code=body.get("errorType"))
        if error.not_found:
            error.retryable = False  # a definite answer, whatever the status (DSS sometimes says 500)
        return error
    text = (response.text or "").strip()[:200] or response.reason_phrase
    return DssApiError(text, status=response.status_code)


def name_problem(kind: str, value: Any) -> Optional[str]:
    """Why ``value`` is not a valid DSS login or group name, or None."""
    if not isinstance(value, str) or not value:
        return f"{kind} must not be empty"
    if len(value) > DSS_NAME_MAX_CHARS:  # it goes into the URL path
        return f"{kind} {shown(value)} is {len(value)} characters long; at most {DSS_NAME_MAX_CHARS}"
    if set(value) == {"."}:
        return (
            f"{kind} {value!r} is not a name: it must contain a letter, a digit or one of _ - @ "
            "(in a URL, a path segment of only dots means another resource)"
        )
    if not NAME_PATTERN.match(value):
        bad = sorted({char for char in value if not NAME_PATTERN.match(char)})
        return f"{kind} {shown(value)} contains {''.join(bad)!r}: DSS allows only letters, digits and . _ - @"
    return None


def normalise_url(url: str) -> str:
    """The DSS root URL: no trailing slash, no API base path (either spelling)."""
    url = url.strip().rstrip("/")
    for base in KNOWN_BASE_PATHS:
        if url.endswith(base):
            return url[: -len(base)]
    return url


class DssClient(ApiClient):
    """A DSS instance's admin API for users and groups."""

    parse_error = staticmethod(parse_dss_error)

    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        timeout: float = 30.0,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        read_only: bool = False,
    ) -> None:
        self.url = normalise_url(url)
        super().__init__(
            base_url=self.url + BASE_PATH,
            timeout=timeout,
            validate_certs=validate_certs,
            ca_path=ca_path,
            headers={"accept": "application/json", "user-agent": USER_AGENT},
            auth=(api_key, ""),
            retry=retry,
            read_only=read_only,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        policy: str = READ,
        recheck: Optional[Callable[[], Any]] = None,
        **kwargs: Any,
    ) -> Any:
        """One call relative to the API base path under its write policy (http.py); returns the JSON body ({} when
        empty), or a recheck's hit."""
        try:
            response = self.send(method, _relative(path), policy=policy, recheck=recheck, **kwargs)
        except RecheckHit as hit:
            return hit.value
        except ApiError as exc:
            if isinstance(exc, DssApiError):
                raise
            raise DssApiError.from_error(exc) from None
        return json_body(response)

    # -- users -------------------------------------------------------------------------------
    def list_users(self, *, include_settings: bool = False) -> list:
        """Every user; with ``include_settings``, each as its full definition (as GET /admin/users/{login})."""
        path = "/admin/users/?includeSettings=true" if include_settings else "/admin/users/"
        return self._answer("GET", path, list)

    def get_user(self, login: str) -> Optional[dict]:
        """The user's full definition, or None when there is no such user."""
        return self._get_or_none(user_path(login))

    def create_user(self, body: dict) -> None:
        def recheck() -> Any:
            return self.get_user(body["login"])

        self.request("POST", "/admin/users/", json=body, policy=RECHECK, recheck=recheck)

    def update_user(self, login: str, definition: dict) -> None:
        """PUT the whole definition (a PUT of the same definition twice is harmless: retried freely)."""
        self.request("PUT", user_path(login), json=definition, policy=RESEND)

    def delete_user(self, login: str, *, allow_self_deletion: bool = False) -> None:
        params = {"allowSelfDeletion": "true" if allow_self_deletion else "false"}
        self.request("DELETE", user_path(login), params=params, policy=RECHECK, recheck=lambda: self.get_user(login) is None)

    def users_activity(self, *, enabled_only: bool = False) -> list:
        """Every user's activity: ``{login, lastSuccessfulLogin, lastFailedLogin, lastSessionActivity}`` (ms epoch).

        ``GET /admin/users-activity?enabledUsersOnly=`` (dataiku-api-client 15.2 ``DSSClient.list_users_activity``).
        """
        path = "/admin/users-activity?enabledUsersOnly=" + ("true" if enabled_only else "false")
        return self._answer("GET", path, list)

    def user_activity(self, login: str) -> Optional[dict]:
        """One user's activity (as ``users_activity``), or None when there is no such user.

        ``GET /admin/users/{login}/activity`` (dataiku-api-client 15.2 ``DSSUser.get_activity``).
        """
        return self._get_or_none(user_path(login) + "/activity")

    # -- groups ------------------------------------------------------------------------------
    def list_groups(self) -> list:
        return self._answer("GET", "/admin/groups/", list)

    def get_group(self, name: str) -> Optional[dict]:
        return self._get_or_none(group_path(name))

    def create_group(self, body: dict) -> None:
        self.request("POST", "/admin/groups/", json=body, policy=RECHECK, recheck=lambda: self.get_group(body["name"]))

    def update_group(self, name: str, definition: dict) -> None:
        self.request("PUT", group_path(name), json=definition, policy=RESEND)

    def delete_group(self, name: str) -> None:
        self.request("DELETE", group_path(name), policy=RECHECK, recheck=lambda: self.get_group(name) is None)

    # -- instance ----------------------------------------------------------------------------
    def licensed_profiles(self) -> list:
        """The user profiles the licence allows (``base.userProfiles`` of the licensing status)."""
        try:
            status = self.request("GET", "/admin/licensing/status")
        except DssApiError as exc:
            if exc.not_found:  # an instance without this endpoint: nothing to validate against
                return []
            raise
        base = status.get("base") if isinstance(status, dict) else None
        profiles = base.get("userProfiles") if isinstance(base, dict) else None
        return list(profiles) if isinstance(profiles, list) else []

    def auth_identifier(self) -> Optional[str]:
        """The login the API key acts as (its ``authIdentifier``)."""
        info = self.request("GET", "/auth/info", params={"withSecrets": "false"})
        return info.get("authIdentifier") if isinstance(info, dict) else None

    def _get_or_none(self, path: str) -> Optional[dict]:
        try:
            return self._answer("GET", path, dict)
        except DssApiError as exc:
            if exc.not_found:
                return None
            raise

    def _answer(self, method: str, path: str, kind: type) -> Any:
        """The JSON answer of a read, which must be a ``kind`` (list or dict): anything else is not DSS talking."""
        body = self.request(method, path)
        if not isinstance(body, kind):
            raise DssApiError(
                "unexpected response: expected a JSON %s, got %s" % ("array" if kind is list else "object", type(body).__name__),
                method=method,
                url=self.url + BASE_PATH + path,
                code="unexpected_response",
            )
        return body


def _relative(path: str) -> str:
    """Paths are relative to the base URL (which ends with the API base path)."""
    return path.lstrip("/")


def user_path(login: str) -> str:
    return "/admin/users/" + quote(login, safe="")


def group_path(name: str) -> str:
    return "/admin/groups/" + quote(name, safe="")
