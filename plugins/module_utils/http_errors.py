# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one error type of every client (``ApiError``), its codes and the hint it gives per status. http.py raises
it and re-exports it; modules import it from there. Internal to the collection."""

from __future__ import annotations

from typing import Any, Optional


class ApiError(Exception):
    """An error from an API call, or from reaching the API at all.

    ``status`` is the HTTP status (None when no response came back), ``code``
    the API's own error code, ``missing``/``duplicated`` the items the API
    named, ``request_id`` the server's request id when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Any = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        missing: Optional[list] = None,
        duplicated: Optional[list] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.method = method
        self.url = url
        self.missing = missing or []
        self.duplicated = duplicated or []
        self.request_id = request_id
        #: None: decided by the status; False: an error parser knows the answer is final (e.g. DSS's
        #: NotFoundException, which some DSS versions send with status 500), so it is not retried.
        self.retryable: Optional[bool] = None
        #: Set by ``send`` for a write: whether an attempt may have taken effect before this error (a lost or
        #: 5xx answer), so that a failed task still reports ``changed`` truthfully; False after a definite refusal.
        self.may_have_written = False
        #: Result fields of what the task had already done when this error came (tasks.Task.run adds them).
        self.partial: dict = {}

    def __str__(self) -> str:
        where = f"{self.method} {self.url}: " if self.method and self.url else ""
        status = f"HTTP {self.status} " if self.status else ""
        text = f"{status}{where}{self.message}"
        if self.missing:
            text += f" (missing: {self.missing})"
        if self.duplicated:
            text += f" (duplicated: {self.duplicated})"
        hint = self.hint()
        if hint:
            text += f". {hint}"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text

    def hint(self) -> Optional[str]:
        """What to check for this status; an API's subclass names its own credentials."""
        if self.code in (TLS_ERROR, PROTOCOL_ERROR, URL_TOO_LONG):
            return None  # the message says it all
        return STATUS_HINTS.get(self.status or 0)

    def to_result(self) -> dict:
        """Fields a module adds to fail_json next to ``msg``."""
        return {
            "status": self.status,
            "error_code": self.code,
            "request_id": self.request_id,
            "missing": self.missing,
            "duplicated": self.duplicated,
        }


TLS_ERROR = "tls"
#: The code of an error that says the URL speaks another protocol, or is not the API's (never retried).
PROTOCOL_ERROR = "protocol"
#: The code of a request refused before it was sent: its URL is longer than ``MAX_URL_OCTETS``.
URL_TOO_LONG = "url_too_long"
STATUS_HINTS = {
    0: "Check the URL options (base_url or cluster, and token_url; dss_url for DSS) and that the controller can "
    "reach the host (name, port, proxy, firewall)",
    401: "The credentials were not accepted: check token (CDF_TOKEN), or client_id, client_secret and token_url "
    "(IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_TOKEN_URL)",
    403: "The caller lacks the access rights this call needs (or the project is not reachable with these credentials: "
    "check project)",
    429: "The API kept throttling the requests; try again later or lower the parallelism",
}
