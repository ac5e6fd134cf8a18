"""DSS instance-wide reads: ``GET /admin/authorization-matrix``, ``GET /instance-info``,
``GET /admin/list-trial-expired-users``, and the control endpoint ``PUT /_emulator/dss/trial``.

* The authorization matrix (dataikuapi ``DSSClient.get_authorization_matrix``, dssclient.py L778-788;
  ``DSSAuthorizationMatrix`` reads only ``raw``, admin.py L1411-1430) covers all enabled users and all groups in
  two parts, ``perUser`` and ``perGroup``. Their inner shape is documented nowhere (/work/shared/api/dss.md §5),
  so it is the emulator's choice: ``perGroup[name] = {"globalPermissions": {admin, may*...}}`` (the group's
  flags) and ``perUser[login] = {"groups": [...], "globalPermissions": {...}}`` (each flag true when any of the
  user's groups has it).
* Instance info (``DSSInstanceInfo`` reads ``nodeId``, ``nodeName``, ``nodeType``; [AC] reads ``dssVersion``):
  a DESIGN node of DSS 15.2.0 (the client version the emulator follows), any valid key.
* Trial-expired users: the list items (as ``GET /admin/users/``) of the users whose ``trialStatus.expired`` is
  true. None is seeded; ``PUT /_emulator/dss/trial`` ``{"login", "exists"?, "expired"?, "valid"?, "expiresOn"?,
  "grantedOn"?}`` sets the given fields of a user's (read-only) ``trialStatus`` and answers it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss.seeds import GROUP_FLAGS
from emulator.dss.users import LIST_FIELDS, render
from emulator.dss.web import dss_state, endpoint
from emulator.server.control import loopback_only

INSTANCE_INFO = {"dssVersion": "15.2.0", "nodeId": "emulator-design", "nodeName": "DSS emulator", "nodeType": "DESIGN"}
TRIAL_FLAGS = ("exists", "expired", "valid")
TRIAL_TIMES = ("expiresOn", "grantedOn")


def group_permissions(group: dict[str, Any]) -> dict[str, bool]:
    return {flag: bool(group.get(flag)) for flag in ("admin", *GROUP_FLAGS)}


def user_permissions(dss: dict[str, Any], user: dict[str, Any]) -> dict[str, bool]:
    """The union of the user's groups' flags."""
    groups = [dss["groups"][name] for name in user["groups"] if name in dss["groups"]]
    return {flag: any(group.get(flag) for group in groups) for flag in ("admin", *GROUP_FLAGS)}


async def authorization_matrix(request: Request) -> Response:
    dss = dss_state(request)
    per_group = {name: {"globalPermissions": group_permissions(dss["groups"][name])} for name in sorted(dss["groups"])}
    per_user = {
        login: {"groups": list(user["groups"]), "globalPermissions": user_permissions(dss, user)}
        for login, user in sorted(dss["users"].items())
        if user["enabled"]
    }
    return JSONResponse({"perUser": per_user, "perGroup": per_group})


async def instance_info(request: Request) -> Response:
    return JSONResponse(INSTANCE_INFO)


async def trial_expired_users(request: Request) -> Response:
    dss = dss_state(request)
    expired = [user for _login, user in sorted(dss["users"].items()) if user["trialStatus"].get("expired")]
    return JSONResponse([{key: render(dss, user)[key] for key in LIST_FIELDS} for user in expired])


def _trial_fields(body: dict[str, Any]) -> dict[str, Any] | None:
    """The trialStatus fields of a control body, or None when one is unknown or of the wrong type."""
    fields = {key: value for key, value in body.items() if key != "login"}
    for key, value in fields.items():
        if key in TRIAL_FLAGS and isinstance(value, bool):
            continue
        if key in TRIAL_TIMES and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            continue
        return None
    return fields


async def set_trial(request: Request) -> Response:
    """Control: set the given fields of a user's ``trialStatus``; 404 for an unknown login."""
    loopback_only(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    fields = _trial_fields(body) if isinstance(body, dict) and isinstance(body.get("login"), str) else None
    if fields is None:
        return JSONResponse(
            {"error": "{login, exists?, expired?, valid?: bool, expiresOn?, grantedOn?: ms >= 0} is required"}, status_code=400
        )
    store = request.app.state.store
    user = store.state["dss"]["users"].get(body["login"])
    if user is None:
        return JSONResponse({"error": f"DSS user {body['login']} does not exist"}, status_code=404)
    user["trialStatus"] = {**user["trialStatus"], **fields}
    store.save()
    return JSONResponse(user["trialStatus"])


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    return [
        Route("/admin/authorization-matrix", endpoint(authorization_matrix), methods=["GET"]),
        Route("/instance-info", endpoint(instance_info, admin=False), methods=["GET"]),
        Route("/admin/list-trial-expired-users", endpoint(trial_expired_users), methods=["GET"]),
    ]


def control_routes() -> list[Route]:
    """The control endpoint (registered at the root, loopback only, not logged)."""
    return [Route("/_emulator/dss/trial", set_trial, methods=["PUT"])]
