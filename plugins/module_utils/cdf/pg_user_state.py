# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``pg_user`` module does with one task: find the user, create, rotate or delete it."""

from __future__ import annotations

from typing import Any, Optional

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
from ansible_collections.dataops.iam.plugins.module_utils.reconcile import reconcile

NEW_SESSION = "(a new session)"


class PgUserError(Exception):
    """A problem the task's author must fix (ambiguous or unknown user), found before any write."""


class PgUserTask:
    """One run of the ``pg_user`` module."""

    def __init__(self, module: Any, client: Any) -> None:
        self.module = module
        self.client = client
        self.params = module.params
        self.credentials: Optional[dict] = module.params["client_credentials"]
        self.made_session: Optional[dict] = None
        self.session: Optional[dict] = None

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
            raise PgUserError(
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
        """The task's client_credentials: input_problems() requires them wherever the task has no username."""
        if self.credentials is None:
            raise PgUserError("set username or client_credentials")
        return self.credentials

    # -- writes ------------------------------------------------------------------------------
    def nonce(self) -> tuple:
        """A nonce to bind (the task's own, or one of a session made now) and the id of that session if known."""
        if self.params["nonce"]:
            return self.params["nonce"], None
        session = create_session(self.client, self.credentials)
        self.made_session = session
        return session["nonce"], session["id"]

    def bind(self, write: Any) -> dict:
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
            self.module.warn(
                "Postgres-gateway user %s was created, but the answer was lost on the way, so its password is "
                "unknown. Delete the user (state: absent, username: %s) and run the task again."
                % (user.get("username"), user.get("username"))
            )
        return user

    def rotate(self, current: dict, desired: dict) -> dict:
        """Bind the existing user to a new session (the update endpoint); username and password stay."""
        username = current["username"]
        return self.bind(lambda nonce, session_id: rebind_user(self.client, username, nonce, session_id))

    # -- the run -----------------------------------------------------------------------------
    def desired(self, current: Optional[dict]) -> dict:
        """What the task asks for, as a view: a new user of the client, or the user on a new session."""
        if current is None:
            return {"sessionClientId": self.credentials["client_id"]} if self.credentials else {}
        if not self.params["rotate_credentials"]:
            return current
        return {"username": current["username"], "sessionId": NEW_SESSION}

    def view(self, user: dict) -> dict:
        """The user for --diff, with its session's status and client when that session is the one read."""
        view = pg_user_view(user, self.session if user.get("sessionId") == (self.session or {}).get("id") else None)
        if "username" not in view:
            view["username"] = "(made up by the gateway)"
        return view

    def run(self) -> dict:
        """Find the user, then create, rotate, delete or leave it; the module result."""
        current = self.find()
        state = self.params["state"]
        if state == "present" and current is None and self.params["username"]:
            raise PgUserError(
                "no Postgres-gateway user is named %r. The gateway makes usernames up: to create a user, leave "
                "username out and set client_credentials (a re-run then finds the user by the session's client id)."
                % self.params["username"]
            )
        if state == "present" and current is not None and not self.params["rotate_credentials"]:
            self.warn_if_unusable(current)
        outcome = reconcile(
            state=state,
            current=current,
            check_mode=self.module.check_mode,
            view=self.view,
            desired=self.desired(current) if state == "present" else None,
            differs=lambda cur, want: bool(self.params["rotate_credentials"]),
            create=self.create,
            update=self.rotate,
            delete=lambda cur: delete_user(self.client, cur["username"]),
        )
        if state == "present" and outcome.changed and current is not None:
            outcome.extra["previous_session_id"] = current.get("sessionId")
        if state == "absent" and outcome.changed and current is not None:
            outcome.extra["deleted_user"] = pg_user_view(current, self.session)
        return outcome.result("pg_user", with_diff=self.module._diff)

    def warn_if_unusable(self, user: dict) -> None:
        """Warn when the user's session can no longer be used: the user exists but cannot log in."""
        session = self.session or {}
        status = session.get("status")
        if status in ENDED_STATUSES or status == "ACCESS_LOST":
            self.module.warn(
                "the session %s of Postgres-gateway user %s is %s, so the user cannot log in; set "
                "rotate_credentials: true to bind a new session" % (session.get("id"), user["username"], status)
            )

    def partial_result(self) -> dict:
        """What was already written when a call failed."""
        return {"changed": self.made_session is not None}
