"""DSS bulk user calls: ``POST`` / ``PUT`` / ``DELETE /admin/users/actions/bulk`` (dataikuapi 15.2.0
``DSSClient.create_users`` / ``edit_users`` / ``delete_users``, dssclient.py L615-744; /work/shared/api/dss.md §2.1).

The body is a JSON list: user definitions (create), changes that each carry a ``login`` (edit), or logins
(delete, with ``?allowSelfDeletion=``). The answer is one ``{login, status: SUCCESS|FAILURE, error}`` per item,
in order; ``error`` is "" on success ("Empty if status is not 'FAILURE'", the client's docstrings), else the
message the single call would have failed with (the emulator's choice). Each item
goes through the single call's code path (emulator/dss/users.py ``create`` / ``update`` / ``delete``), so it is
checked as that call checks it, and a failed item changes nothing and does not stop the others. An edit changes
only the writable fields the item carries (the client calls the items "changes" and the method "very
permissive"): the emulator's reading, where a single PUT replaces the whole definition.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss import users
from emulator.dss.web import DssError, dss_state, endpoint, invalid, json_value, query_flag


async def json_list(request: Request) -> list[Any]:
    """The body as a JSON list."""
    body = await json_value(request)
    if not isinstance(body, list):
        raise invalid("The request body must be a JSON list")
    return body


def outcome(login: Any, action: Callable[[], Any]) -> dict[str, Any]:
    """Run one item's action: SUCCESS, or FAILURE with the error DSS would have answered the single call with."""
    shown = login if isinstance(login, str) else json.dumps(login)
    try:
        action()
    except DssError as exc:
        return {"login": shown, "status": "FAILURE", "error": exc.message}
    return {"login": shown, "status": "SUCCESS", "error": ""}


def _item(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid("Each item must be a JSON object")
    return value


async def create_users(request: Request) -> Response:
    dss = dss_state(request)
    items = await json_list(request)
    return JSONResponse(
        [outcome(item.get("login", "") if isinstance(item, dict) else item, lambda item=item: users.create(dss, _item(item)))
         for item in items]
    )


def _edit(request: Request, change: Any) -> None:
    change = _item(change)
    login = change.get("login")
    if not isinstance(login, str) or not login:
        raise invalid("Each change needs the login of the user to modify")
    users.update(request, login, change, tuple(field for field in users.ADMIN_WRITABLE if field in change))


async def edit_users(request: Request) -> Response:
    changes = await json_list(request)
    return JSONResponse(
        [outcome(change.get("login", "") if isinstance(change, dict) else change, lambda change=change: _edit(request, change))
         for change in changes]
    )


def _delete(request: Request, login: Any, allow_self_deletion: bool) -> None:
    if not isinstance(login, str):
        raise invalid("Each item must be a login")
    users.delete(request, login, allow_self_deletion)


async def delete_users(request: Request) -> Response:
    allow_self_deletion = query_flag(request, "allowSelfDeletion")
    logins = await json_list(request)
    return JSONResponse([outcome(login, lambda login=login: _delete(request, login, allow_self_deletion)) for login in logins])


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    path = "/admin/users/actions/bulk"
    return [
        Route(path, endpoint(create_users, write=True), methods=["POST"]),
        Route(path, endpoint(edit_users, write=True), methods=["PUT"]),
        Route(path, endpoint(delete_users, write=True), methods=["DELETE"]),
    ]
