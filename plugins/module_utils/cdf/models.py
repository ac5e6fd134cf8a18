# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pydantic models of the CDF answers the session, pg_user, token, login session and profile modules read.

Where they pay their way: sessions.py (create, byids, list, revoke), pg_users.py (list, byids, create, update),
login_sessions.py (list), profiles.py (me, byids, list, search), and the token inspection read by token_info and
capabilities_check. There an answer of another shape (a proxy's page, another API version, an item without
``id``) used to end in a KeyError traceback; ``parse_items``/``parse_one`` turn it into ``UnexpectedResponse``,
an ``ApiError`` the modules already report, naming the field. A model checks only the fields the code reads,
keeps every other one (``extra="allow"``) and is strict (no ``"12"`` for an id); the functions return the
server's own dicts once they pass, so results are exactly what the server sent.

Not used by group, group_info and security_category(_info) (groups.py, group_state.py, lockout.py, token.py,
security_categories.py, capabilities.py, http.py never import this file): a group task's start-up time
matters and ``import pydantic`` costs about 0.05 s; their answers are read with the capability helpers instead.

Without pydantic (ansible-test's import sanity test) this file imports but defines no models: modules that use
them are defined with ``pydantic=True`` (runtime.py checks the library before any call).

Internal to the collection: not a public API.
"""

from __future__ import annotations

import traceback
from typing import Any, Dict, List, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import UnexpectedResponse, json_kind

try:
    from pydantic import BaseModel, ConfigDict, ValidationError

    HAS_PYDANTIC = True
    PYDANTIC_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    HAS_PYDANTIC = False
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()

MAX_REPORTED = 3  # field errors named in one message
TOKEN_INSPECT = "GET /api/v1/token/inspect"

if HAS_PYDANTIC:

    class ApiObject(BaseModel):
        """An API object: the fields the modules read are checked, strictly; the others are kept as sent."""

        model_config = ConfigDict(extra="allow", strict=True)

    class Session(ApiObject):
        id: int
        status: str
        type: Optional[str] = None
        clientId: Optional[str] = None
        nonce: Optional[str] = None

    class NewSession(Session):
        """The answer to a create: the only time the nonce is sent."""

        nonce: str

    class RevokedSession(ApiObject):
        """An item of the revoke answer (only the id when the caller lacks sessionsAcl:LIST)."""

        id: int
        status: Optional[str] = None

    class PostgresGatewayUser(ApiObject):
        username: str
        sessionId: Optional[int] = None
        host: Optional[str] = None
        password: Optional[str] = None

    class TokenInspection(ApiObject):
        subject: str
        projects: List[Any]
        capabilities: List[Dict[str, Any]]

    class LoginSession(ApiObject):
        id: str
        status: str
        createdTime: Optional[int] = None
        deactivatedTime: Optional[int] = None

    class UserProfile(ApiObject):
        userIdentifier: str
        givenName: Optional[str] = None
        surname: Optional[str] = None
        email: Optional[str] = None
        displayName: Optional[str] = None
        jobTitle: Optional[str] = None
        lastUpdatedTime: Optional[int] = None


def parse_items(model: Any, body: Any, what: str, *, at_least: int = 0) -> List[dict]:
    """The items of an ``{"items": [...]}`` answer, each checked against ``model``, returned as sent."""
    expected = "an object with an 'items' list of %s" % _plural(model)
    if not isinstance(body, dict):
        raise _unexpected(what, expected, ["the answer: is %s" % json_kind(body)])
    items = body.get("items")
    if not isinstance(items, list):
        raise _unexpected(what, expected, ["items: " + ("missing" if "items" not in body else "is %s" % json_kind(items))])
    problems: List[str] = []
    for index, item in enumerate(items):
        problems.extend(_problems(model, item, "items[%d]" % index))
        if len(problems) >= MAX_REPORTED:
            break
    if not problems and len(items) < at_least:
        problems.append("items: is empty")
    if problems:
        raise _unexpected(what, expected, problems)
    return items


def parse_one(model: Any, body: Any, what: str) -> dict:
    """A single-object answer checked against ``model``, returned as sent."""
    problems = _problems(model, body, "")
    if problems:
        raise _unexpected(what, "%s object" % _article(model.__name__), problems)
    return body


def _problems(model: Any, value: Any, where: str) -> List[str]:
    """What is wrong with ``value`` as a ``model``: field paths and pydantic's error types, never the values."""
    if not isinstance(value, dict):
        return ["%s: is %s, not an object" % (where or "the answer", json_kind(value))]
    try:
        model.model_validate(value)
    except ValidationError as exc:
        return [_describe(error, where) for error in exc.errors(include_url=False, include_input=False)]
    return []


def _describe(error: Any, where: str) -> str:
    """One error as ``items[0].id: missing (field required)``: built from ``loc``, ``type`` and ``msg`` only."""
    path = where
    for part in error.get("loc", ()):
        path += "[%d]" % part if isinstance(part, int) else ("." if path else "") + str(part)
    message = str(error.get("msg", "")).lower()
    kind = str(error.get("type", "invalid"))
    return "%s: %s (%s)" % (path or "the answer", kind, message)


def _unexpected(what: str, expected: str, problems: List[str]) -> UnexpectedResponse:
    shown = "; ".join(problems[:MAX_REPORTED]) + ("; ..." if len(problems) > MAX_REPORTED else "")
    return UnexpectedResponse("unexpected response to %s: expected %s, got: %s" % (what, expected, shown))


def _plural(model: Any) -> str:
    return "%s objects" % model.__name__


def _article(name: str) -> str:
    return ("an " if name[:1] in "AEIOU" else "a ") + name
