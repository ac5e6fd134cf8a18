"""DSS users: ``/admin/users/`` (list, create), ``/admin/users/{login}`` (get, update, delete), the
non-admin ``/users``, ``/current-user`` and ``/auth/info``.

A PUT carries the whole definition and replaces it, as DSS's JSON binding does: a writable field the body
leaves out falls back to its default, except ``userProfile`` and ``sourceType`` (enums: missing or null keeps
the current value) and ``password`` (missing, null or "" keeps it); read-only fields are ignored, unknown fields
are dropped. The password is write-only: stored as a salted hash, never rendered. Secret values and credential
passwords are stored as hashes and never rendered either; a PUT entry without them keeps the stored ones of that
name (the values themselves are kept in memory only, emulator/dss/vault.py). ``create``, ``update`` and
``delete`` are the single calls' code paths, which the bulk calls (emulator/dss/bulk.py) reuse per item.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.dss import activity
from emulator.dss.seeds import PREFERENCES, SOURCE_TYPES, key_hash, new_user, password_hash
from emulator.dss.vault import own_secrets, vault
from emulator.dss.web import (
    UNAUTHORIZED,
    DssError,
    already_exists,
    dss_state,
    endpoint,
    invalid,
    json_object,
    message,
    not_found,
    query_flag,
)

NAME = re.compile(r"^[A-Za-z0-9._@-]+$")
LIST_FIELDS = (
    "login", "sourceType", "displayName", "email", "groups", "userProfile", "enabled",
    "codeAllowed", "objectImgHash", "activeWebSocketSesssions", "trialStatus",
)
INFO_FIELDS = ("login", "displayName", "groups", "email", "enabled")
#: Writable through PUT /admin/users/{login}, with the default a missing field falls back to.
ADMIN_WRITABLE = ("displayName", "email", "enabled", "groups", "userProfile", "sourceType",
                  "userProperties", "adminProperties", "secrets", "credentials", "preferences")
SELF_WRITABLE = ("displayName", "email", "userProperties", "secrets", "credentials", "preferences")


def render(dss: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """The user as GET returns it: no password, no secret values."""
    shown = {key: value for key, value in user.items() if key != "passwordHash"}
    shown["secrets"] = [{"name": item["name"], "secret": True} for item in user["secrets"]]
    shown["credentials"] = {
        name: {key: value for key, value in item.items() if not key.endswith("Sha256")} for name, item in user["credentials"].items()
    }
    shown["codeAllowed"] = any(
        dss["groups"].get(name, {}).get(flag) for name in user["groups"] for flag in ("admin", "mayWriteUnsafeCode")
    )
    return shown


def find(dss: dict[str, Any], login: str) -> dict[str, Any]:
    user = dss["users"].get(login)
    if user is None:
        raise not_found("User", login)
    return user


# ---- field checks --------------------------------------------------------------------------------------


def _text(value: Any, where: str, *, nullable: bool = True) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise invalid(f"{where} must be a string")
    return value


def _groups(dss: dict[str, Any], value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid("groups must be a list of group names")
    missing = [name for name in value if name not in dss["groups"]]
    if missing:
        raise invalid(f"Group(s) do not exist: {', '.join(missing)}")
    return list(dict.fromkeys(value))


def _profile(dss: dict[str, Any], value: Any) -> str:
    allowed = dss["licensing"]["userProfiles"]
    if value not in allowed:
        raise invalid(f"Invalid user profile {value!r}: this licence allows {', '.join(allowed)}")
    return value


def _source_type(value: Any) -> str:
    if value not in SOURCE_TYPES:
        raise invalid(f"Invalid sourceType {value!r}: one of {', '.join(SOURCE_TYPES)}")
    return value


def _string_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise invalid(f"{where} must be an object of string values")
    return dict(value)


def _secrets(value: Any, stored: list[dict[str, Any]], received: dict[str, str]) -> list[dict[str, Any]]:
    """The stored secrets (values as SHA-256); each value given goes to ``received`` (digest -> value)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("secrets must be a list of {name, value, secret}")
    known = {item["name"]: item["valueSha256"] for item in stored}
    result = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise invalid("each secret needs a name")
        if isinstance(item.get("value"), str):
            digest = key_hash(item["value"])
            received[digest] = item["value"]
        elif item["name"] in known:
            digest = known[item["name"]]
        else:
            raise invalid(f"secret {item['name']} has no value")
        result.append({"name": item["name"], "valueSha256": digest, "secret": True})
    return result


CREDENTIAL_SECRETS = ("password", "refreshToken")


def _credentials(value: Any, stored: dict[str, Any]) -> dict[str, Any]:
    """Per-connection credentials; their password / refresh token are kept as hashes, like secrets."""
    result = {}
    for name, item in _object(value, "credentials").items():
        if not isinstance(item, dict):
            raise invalid(f"credentials[{name}] must be an object")
        entry = {key: val for key, val in item.items() if key not in CREDENTIAL_SECRETS}
        for field in CREDENTIAL_SECRETS:
            if isinstance(item.get(field), str):
                entry[field + "Sha256"] = key_hash(item[field])
            elif field + "Sha256" in stored.get(name, {}):
                entry[field + "Sha256"] = stored[name][field + "Sha256"]
        result[name] = entry
    return result


def apply_definition(
    dss: dict[str, Any], user: dict[str, Any], body: dict[str, Any], fields: tuple[str, ...], values: dict[str, str]
) -> None:
    """Replace the writable ``fields`` of ``user`` with the body's (defaults for those it leaves out; a missing or
    null ``userProfile`` or ``sourceType`` keeps its value). Nothing changes unless every field is valid; then the
    secret values given join ``values`` (the vault)."""
    received: dict[str, str] = {}
    checks = {
        "displayName": lambda v: _text(v, "displayName") or "",
        "email": lambda v: _text(v, "email"),
        "enabled": lambda v: True if v is None else _bool(v, "enabled"),
        "groups": lambda v: _groups(dss, [] if v is None else v),
        "userProfile": lambda v: _profile(dss, v),
        "sourceType": _source_type,
        "userProperties": lambda v: _string_map(v, "userProperties"),
        "adminProperties": lambda v: _string_map(v, "adminProperties"),
        "secrets": lambda v: _secrets(v, user["secrets"], received),
        "credentials": lambda v: _credentials(v, user["credentials"]),
        "preferences": lambda v: {**PREFERENCES, **_object(v, "preferences")},
    }
    updated = {}
    for field in fields:
        if field in ("userProfile", "sourceType") and body.get(field) is None:
            updated[field] = user[field]  # a null enum keeps the current value
            continue
        updated[field] = checks[field](body.get(field))
    password = body.get("password")
    if password not in (None, ""):
        if not isinstance(password, str):
            raise invalid("password must be a string")
        if updated.get("sourceType", user["sourceType"]) != "LOCAL":
            raise invalid("The password of a non-LOCAL user cannot be set: it is managed by its user source")
        updated["passwordHash"] = password_hash(password)
    user.update(updated)
    values.update(received)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(f"{where} must be true or false")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f"{where} must be an object")
    return dict(value)


# ---- handlers ------------------------------------------------------------------------------------------


async def list_users(request: Request) -> Response:
    dss = dss_state(request)
    full = query_flag(request, "includeSettings")
    users = [render(dss, user) for user in sorted(dss["users"].values(), key=lambda u: u["login"])]
    if not full:
        users = [{key: user[key] for key in LIST_FIELDS} for user in users]
    return JSONResponse(users)


def create(dss: dict[str, Any], body: dict[str, Any]) -> str:
    """Create the user a POST body describes (login, password, displayName, sourceType, groups, userProfile,
    email: nothing else is read); its login. Everything is checked before the user is stored."""
    login = body.get("login")
    if not isinstance(login, str) or not NAME.match(login):
        raise invalid(f"Invalid login {login!r}: use letters, digits and . _ - @ only")
    if login in dss["users"]:
        raise already_exists("User", login)
    source_type = _source_type(body.get("sourceType") or "LOCAL")
    profile = body.get("userProfile")
    user = new_user(
        login,
        displayName=_text(body.get("displayName"), "displayName") or "",
        email=_text(body.get("email"), "email"),
        sourceType=source_type,
        groups=_groups(dss, body.get("groups") or []),
        userProfile=_profile(dss, profile) if profile is not None else dss["licensing"]["userProfiles"][0],
    )
    password = body.get("password")
    if source_type == "LOCAL" and password not in (None, ""):
        user["passwordHash"] = password_hash(_text(password, "password") or "")
    dss["users"][login] = user
    return login


def update(request: Request, login: str, body: dict[str, Any], fields: tuple[str, ...] = ADMIN_WRITABLE) -> None:
    """Apply an admin's change of ``login``: the body's ``fields`` (defaults for those it leaves out)."""
    dss = dss_state(request)
    user = find(dss, login)
    if body.get("login") not in (None, login):
        raise invalid("The login of a user can't be modified")
    apply_definition(dss, user, body, fields, vault(request))


def delete(request: Request, login: str, allow_self_deletion: bool) -> None:
    """Delete ``login`` (and its activity); the caller's own user only with ``allow_self_deletion``."""
    dss = dss_state(request)
    find(dss, login)
    if login == request.state.dss_login and not allow_self_deletion:
        raise DssError(403, UNAUTHORIZED, "You cannot delete your own user (allowSelfDeletion is false)")
    del dss["users"][login]
    activity.forget(dss, login)


async def create_user(request: Request) -> Response:
    login = create(dss_state(request), await json_object(request))
    return message(f"Created user {login}", 201)


async def get_user(request: Request) -> Response:
    dss = dss_state(request)
    return JSONResponse(render(dss, find(dss, request.path_params["login"])))


async def update_user(request: Request) -> Response:
    login = request.path_params["login"]
    update(request, login, await json_object(request))
    return message(f"Edited user {login}")


async def delete_user(request: Request) -> Response:
    delete(request, request.path_params["login"], query_flag(request, "allowSelfDeletion"))
    return Response(status_code=204)


async def users_info(request: Request) -> Response:
    dss = dss_state(request)
    login = request.path_params.get("login")
    if login is not None:
        user = find(dss, login)
        return JSONResponse({key: user[key] for key in INFO_FIELDS})
    return JSONResponse([{key: u[key] for key in INFO_FIELDS} for u in sorted(dss["users"].values(), key=lambda u: u["login"])])


async def current_user(request: Request) -> Response:
    dss = dss_state(request)
    user = find(dss, request.state.dss_login)
    if request.method == "GET":
        return JSONResponse(render(dss, user))
    apply_definition(dss, user, await json_object(request), SELF_WRITABLE, vault(request))
    return Response(status_code=204)


async def auth_info(request: Request) -> Response:
    """``{authIdentifier, groups, userProfile}``; with ``withSecrets=true`` also the caller's own ``secrets``
    (``[{key, value}]``: the user's own secret values, as dataikuapi ``get_auth_info(with_secrets=True)`` returns)."""
    dss = dss_state(request)
    user = find(dss, request.state.dss_login)
    info: dict[str, Any] = {"authIdentifier": user["login"], "groups": list(user["groups"]), "userProfile": user["userProfile"]}
    if query_flag(request, "withSecrets"):
        info["secrets"] = own_secrets(request, user)
    return JSONResponse(info)


def routes() -> list[Route]:
    """Routes relative to a DSS base path."""
    admin_read, admin_write = endpoint, functools.partial(endpoint, write=True)
    user_read = functools.partial(endpoint, admin=False)
    return [
        Route("/admin/users/", admin_read(list_users), methods=["GET"]),
        Route("/admin/users", admin_read(list_users), methods=["GET"]),
        Route("/admin/users/", admin_write(create_user), methods=["POST"]),
        Route("/admin/users", admin_write(create_user), methods=["POST"]),
        Route("/admin/users/{login}", admin_read(get_user), methods=["GET"]),
        Route("/admin/users/{login}", admin_write(update_user), methods=["PUT"]),
        Route("/admin/users/{login}", admin_write(delete_user), methods=["DELETE"]),
        Route("/users", user_read(users_info), methods=["GET"]),
        Route("/users/{login}", user_read(users_info), methods=["GET"]),
        Route("/current-user", user_read(current_user), methods=["GET"]),
        Route("/current-user", endpoint(current_user, write=True, admin=False), methods=["PUT"]),
        Route("/auth/info", user_read(auth_info), methods=["GET"]),
    ]
