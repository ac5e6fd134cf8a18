"""DSS user activity: ``GET /admin/users/{login}/activity``, ``GET /admin/users-activity[?enabledUsersOnly=]``
and the control endpoint ``PUT /_emulator/dss/activity``.

An activity object is ``{login, lastSuccessfulLogin, lastFailedLogin, lastSessionActivity}`` in ms since the
epoch [dataikuapi dss/admin.py DSSUserActivity L1280-1348; /work/shared/api/dss.md §2.2]. "Never" is ``0``:
dataikuapi's ``_timestamp_ms_to_zoned_datetime`` (utils.py) turns any value ``<= 0`` into ``None``. The
activity lives in ``state["dss"]["activity"]`` by login (persisted, reset); a login absent there has never
logged in (all three 0), so a user created through the API starts at 0 and a deleted user's entry is dropped.
Using an API key changes no activity: activity is about browser logins and sessions (the emulator's choice).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss.web import dss_state, endpoint, not_found, query_flag
from emulator.server.control import loopback_only

FIELDS = ("lastSuccessfulLogin", "lastFailedLogin", "lastSessionActivity")


def _table(dss: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The activity map (a state file written before activity existed has none: it starts empty)."""
    return dss.setdefault("activity", {})


def activity_of(dss: dict[str, Any], login: str) -> dict[str, Any]:
    """The activity object of an existing user (0 for what never happened)."""
    stored = _table(dss).get(login, {})
    return {"login": login, **{field: int(stored.get(field, 0)) for field in FIELDS}}


def forget(dss: dict[str, Any], login: str) -> None:
    """Drop a deleted user's activity."""
    _table(dss).pop(login, None)


async def get_activity(request: Request) -> Response:
    dss = dss_state(request)
    login = request.path_params["login"]
    if login not in dss["users"]:
        raise not_found("User", login)
    return JSONResponse(activity_of(dss, login))


async def list_activity(request: Request) -> Response:
    dss = dss_state(request)
    enabled_only = query_flag(request, "enabledUsersOnly")
    logins = sorted(login for login, user in dss["users"].items() if user["enabled"] or not enabled_only)
    return JSONResponse([activity_of(dss, login) for login in logins])


async def set_activity(request: Request) -> Response:
    """Control: set the given fields of a user's activity (0 = never); 404 for an unknown login."""
    loopback_only(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("login"), str):
        return JSONResponse({"error": "a JSON object with a login is required"}, status_code=400)
    bad = [key for key in body if key != "login" and key not in FIELDS]
    values = {field: body[field] for field in FIELDS if field in body}
    if bad or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values.values()):
        return JSONResponse(
            {"error": f"fields: {', '.join(FIELDS)}, each a ms timestamp >= 0 (0 = never); unknown: {bad}"}, status_code=400
        )
    store = request.app.state.store
    dss = store.state["dss"]
    login = body["login"]
    if login not in dss["users"]:
        return JSONResponse({"error": f"DSS user {login} does not exist"}, status_code=404)
    current = activity_of(dss, login)
    _table(dss)[login] = {field: values.get(field, current[field]) for field in FIELDS}
    store.save()
    return JSONResponse(activity_of(dss, login))


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    return [
        Route("/admin/users/{login}/activity", endpoint(get_activity), methods=["GET"]),
        Route("/admin/users-activity", endpoint(list_activity), methods=["GET"]),
    ]


def control_routes() -> list[Route]:
    """The control endpoint (registered at the root, loopback only, not logged)."""
    return [Route("/_emulator/dss/activity", set_activity, methods=["PUT"])]
