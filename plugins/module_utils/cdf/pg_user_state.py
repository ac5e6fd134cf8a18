# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``pg_user`` module does with one task: find the user, create, rotate or delete it (tasks.ObjectTask).

Internal to the collection.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.pg_users import (
    create_user,
    delete_user,
    find_user,
    pg_user_view,
    rebind_user,
    users_of_client,
    with_sessions,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.sessions import (
    ENDED_STATUSES,
    create_session,
    revoke_sessions,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.tasks import ObjectTask, TaskError

NEW_SESSION = "(a new session)"


def subject(params: dict) -> str:
    """Who the task is about, for its messages: the username, or the user of the task's client."""
    return params["username"] or "of client %r" % (params["client_credentials"] or {}).get("client_id")


class PgUserTask(ObjectTask):
    """One run of the ``pg_user`` module: a Postgres-gateway user found by username or by its session's client,
    created on a new session (or the task's nonce), bound to a new one (``rotate_credentials``), or deleted."""

    key = "pg_user"

    def __init__(self, module: Any, client: Any) -> None:
        super().__init__(module, client)
        self.warn: Callable[[str], None] = module.warn
        self.credentials: Optional[dict] = self.params["client_credentials"]
        self.made_session: Optional[dict] = None
        self.session: Optional[dict] = None

    def problem(self, message: str) -> TaskError:
        """A problem the task's author must fix (ambiguous or unknown user), found before any write."""
        return TaskError("Managing Postgres-gateway user %s failed: %s" % (subject(self.params), message))

    # -- identity ----------------------------------------------------------------------------
    def find(self) -> Optional[dict]:
        """The user the task is about (and its session in ``self.session``), or None."""
        username = self.params["username"]
        if username:
            user = find_user(self.client, username)
            if user is not None:
                self.session = self.session_of(user)
            return user
        client_id = self.client_credentials()["client_id"]
        matches = users_of_client(self.client, client_id)
        if len(matches) > 1:
            names = ", ".join(sorted(user["username"] for user, _session in matches))
            raise self.problem(
                "%d Postgres-gateway users have sessions made with client id %r (%s); this module will not pick "
                "one. Name the one to manage with username, and delete the others (state: absent, username: ...)."
                % (len(matches), client_id, names)
            )
        if not matches:
            return None
        user, self.session = matches[0]
        return user

    def session_of(self, user: dict) -> Optional[dict]:
        """The user's session, when the caller may read sessions (sessionsAcl:LIST); else None."""
        try:
            return with_sessions(self.client, [user])[0][1]
        except ApiError as exc:
            if exc.status == 403:
                return None
            raise

    def client_credentials(self) -> dict:
        """The task's client_credentials: the module's input checks require them wherever the task has no username."""
        if self.credentials is None:
            raise self.problem("set username or client_credentials")
        return self.credentials

    # -- what the task asks for ----------------------------------------------------------------
    def desired(self, current: Optional[dict]) -> dict:
        """What the task asks for, as a view: a new user of the client, or the user on a new session."""
        if current is None:
            if self.params["username"]:
                raise self.problem(
                    "no Postgres-gateway user is named %r. The gateway makes usernames up: to create a user, leave "
                    "username out and set client_credentials (a re-run then finds the user by the session's client "
                    "id)." % self.params["username"]
                )
            return {"sessionClientId": self.credentials["client_id"]} if self.credentials else {}
        if not self.params["rotate_credentials"]:
            self.warn_if_unusable(current)
            return current
        return {"username": current["username"], "sessionId": NEW_SESSION}

    def differs(self, current: dict, desired: dict) -> bool:
        return bool(self.params["rotate_credentials"])

    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """The result's account of the change (in check mode, of what would change)."""
        if current is not None and desired is None:
            self.extra["deleted_user"] = pg_user_view(current, self.session)
        elif current is not None:
            self.extra["previous_session_id"] = current.get("sessionId")

    def view(self, obj: dict) -> dict:
        """The user for --diff, with its session's status and client when that session is the one read."""
        view = pg_user_view(obj, self.session if obj.get("sessionId") == (self.session or {}).get("id") else None)
        if "username" not in view:
            view["username"] = "(made up by the gateway)"
        return view

    def warn_if_unusable(self, user: dict) -> None:
        """Warn when the user's session can no longer be used: the user exists but cannot log in."""
        session = self.session or {}
        status = session.get("status")
        if status in ENDED_STATUSES or status == "ACCESS_LOST":
            self.warn(
                "the session %s of Postgres-gateway user %s is %s, so the user cannot log in; set "
                "rotate_credentials: true to bind a new session" % (session.get("id"), user["username"], status)
            )

    # -- writes ------------------------------------------------------------------------------
    def nonce(self) -> tuple:
        """A nonce to bind (the task's own, or one of a session made now) and the id of that session if known."""
        if self.params["nonce"]:
            return self.params["nonce"], None
        session = create_session(self.client, self.credentials)
        self.made_session = session
        return session["nonce"], session["id"]

    def bind(self, write: Callable[[str, Optional[int]], dict]) -> dict:
        """Run ``write(nonce, session_id)``; if it fails, revoke the session this run made for it."""
        nonce, session_id = self.nonce()
        try:
            return write(nonce, session_id)
        except ApiError as exc:
            if self.made_session is not None:
                exc.message += self.abandon_session(self.made_session)
            raise

    def abandon_session(self, session: dict) -> str:
        """Revoke the unused session this run made; returns a note for the error message."""
        session_id = session["id"]
        try:
            revoke_sessions(self.client, [session_id])
        except ApiError:
            return " (the session %s made for it is unused; revoke it with dataops.iam.session)" % session_id
        return " (the session %s made for it was revoked)" % session_id

    def create(self, desired: dict) -> dict:
        """Create the user on a new session (or the task's nonce); warn when the password was lost on the way."""
        user = self.bind(lambda nonce, session_id: create_user(self.client, nonce, session_id))
        if "password" not in user:
            self.warn(
                "Postgres-gateway user %s was created, but the answer was lost on the way, so its password is "
                "unknown. Delete the user (state: absent, username: %s) and run the task again."
                % (user.get("username"), user.get("username"))
            )
        return user

    def update(self, current: dict, desired: dict) -> dict:
        """Rotate: bind the existing user to a new session (the update endpoint); username and password stay."""
        username = current["username"]
        return self.bind(lambda nonce, session_id: rebind_user(self.client, username, nonce, session_id))

    def delete(self, current: dict) -> None:
        delete_user(self.client, current["username"])

    def partial(self) -> dict:
        """What was already written when a call failed: a session made for the user is a change."""
        return {"changed": True} if self.made_session is not None else {}
