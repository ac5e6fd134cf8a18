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

#: What the diff shows for what only the write makes (the result itself carries null there, its documented type).
NEW_SESSION = "(a new session)"
NONCE_SESSION = "(the session of the nonce)"
MADE_UP = "(made up by the gateway)"
#: The fields of a user as its create returns it: a check-mode create returns them all, null.
CREATED_FIELDS = ("username", "password", "host", "sessionId", "createdTime", "lastUpdatedTime")


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
        #: False when the caller may not read sessions (sessionsAcl:LIST): the user's session status is unknown.
        self.session_readable = True
        #: The session the user acted with, to revoke after a delete or rotation (revoke_previous_session).
        self.to_revoke: Optional[int] = None

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
                self.session_readable = False
                return None
            raise

    def client_credentials(self) -> dict:
        """The task's client_credentials: the module's input checks require them wherever the task has no username."""
        if self.credentials is None:
            raise self.problem("set username or client_credentials")
        return self.credentials

    # -- what the task asks for ----------------------------------------------------------------
    def desired(self, current: Optional[dict]) -> dict:
        """The user as the task makes it, with the keys and types of a real run's result (check mode returns it):
        null for what only the write makes - a new user's every field, a rotated user's session and update time."""
        if current is None:
            if self.params["username"]:
                raise self.problem(
                    "no Postgres-gateway user is named %r. The gateway makes usernames up: to create a user, leave "
                    "username out and set client_credentials (a re-run then finds the user by the session's client "
                    "id)." % self.params["username"]
                )
            return dict.fromkeys(CREATED_FIELDS)
        if not self.params["rotate_credentials"]:
            self.warn_if_unusable(current)
            return current
        return dict(current, sessionId=None, lastUpdatedTime=None)

    def differs(self, current: dict, desired: dict) -> bool:
        return bool(self.params["rotate_credentials"])

    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """The result's account of the change (in check mode, of what would change)."""
        if current is None:
            return
        if desired is None:
            self.extra["deleted_user"] = pg_user_view(current, self.session)
        else:
            self.extra["previous_session_id"] = current.get("sessionId")
        self.to_revoke = self.session_to_revoke(current)
        if self.to_revoke is not None:
            self.extra["revoked_session_id"] = self.to_revoke

    def session_to_revoke(self, user: dict) -> Optional[int]:
        """The id of the session ``user`` acts with, if ``revoke_previous_session`` and it is not ended already (a
        session that cannot be read, for want of sessionsAcl:LIST, is revoked: revoking is idempotent)."""
        session_id = user.get("sessionId")
        if not self.params["revoke_previous_session"] or session_id is None:
            return None
        if not self.session_readable:
            return int(session_id)
        if self.session is None or self.session.get("id") != session_id:
            return None  # CDF no longer knows the session: nothing to revoke
        return None if self.session.get("status") in ENDED_STATUSES else int(session_id)

    def view(self, obj: dict) -> dict:
        """The user for --diff, with its session's status and client when that session is the one read; the parts
        only the write makes are named in words."""
        same = obj.get("sessionId") is not None and obj.get("sessionId") == (self.session or {}).get("id")
        view = pg_user_view(obj, self.session if same else None)
        if obj.get("username") is None:
            view["username"] = MADE_UP
            if self.credentials:
                view["sessionClientId"] = self.credentials["client_id"]
        if "sessionId" in obj and obj["sessionId"] is None:
            view["sessionId"] = NONCE_SESSION if self.params["nonce"] else NEW_SESSION
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
        """Rotate: bind the existing user to a new session (the update endpoint); username and password stay. Then
        revoke the previous session (after the bind: a failed bind never leaves the user without a session)."""
        username = current["username"]
        user = self.bind(lambda nonce, session_id: rebind_user(self.client, username, nonce, session_id))
        if self.to_revoke is not None:
            try:
                self.revoke(self.to_revoke)
            except ApiError as exc:
                exc.message += (
                    " (the user now acts with its new session %s; the previous session %s is still active: revoke "
                    "it with dataops.iam.session, state: absent, id: %s)" % (user.get("sessionId"), self.to_revoke,
                                                                             self.to_revoke)
                )
                raise
        return user

    def delete(self, current: dict) -> None:
        """Revoke the user's session first (a re-run after a failed delete finds it revoked, no change), then delete
        the user: once the user is gone, nothing leads to its session any more."""
        if self.to_revoke is not None:
            try:
                self.revoke(self.to_revoke)
            except ApiError as exc:
                fix = "the caller needs sessionsAcl:DELETE for it" if exc.status == 403 else "run the task again"
                exc.message += (
                    " (revoking the session %s of the user, before deleting it; nothing was deleted: %s, or set "
                    "revoke_previous_session: false to keep the session)" % (self.to_revoke, fix)
                )
                raise
        delete_user(self.client, current["username"])

    def revoke(self, session_id: int) -> None:
        """Revoke one session; one that CDF no longer knows (``missing``) is as good as revoked."""
        try:
            revoke_sessions(self.client, [session_id])
        except ApiError as exc:
            if not any(item.get("id") == session_id for item in exc.missing if isinstance(item, dict)):
                raise
            self.extra.pop("revoked_session_id", None)

    def partial(self) -> dict:
        """What was already written when a call failed: a session made for the user is a change."""
        return {"changed": True} if self.made_session is not None else {}
