# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client ``dss_access`` gives each per-object task: the instance read once, the run's writes passed through.

``SnapshotClient`` has the reads and writes of DssClient that ``GroupTask``, ``UserTask`` and the lockout guards
use. It reads the instance with one listing of each kind (``GET /admin/groups/`` and
``GET /admin/users/?includeSettings=true``, whose items are full definitions, see ../shared/api/dss.md 2.1) and
answers ``get_group``, ``get_user`` and ``list_groups`` from that snapshot; ``auth_identifier`` and
``licensed_profiles`` are asked once per run, when a task needs them.

Writes go to the real client and keep the snapshot as DSS now has it: an update stores the definition sent (a PUT
replaces the whole definition), a deletion removes the object (and a deleted group from its users' groups, as DSS
does), a creation marks the object to be read again on its next ``get_*`` (DSS fills in the fields the POST does
not take). ``plan_store`` / ``plan_drop`` make the same changes without a call: while ``dss_access`` plans, every
task sees the instance as the earlier rows of the plan leave it (a user can name a group the plan creates, in
check mode too); ``mark`` / ``restore`` bring the snapshot back before the real run carries the plan out.

A listed item that is not a full definition (a DSS whose group list has no permission flags, or that ignores
``includeSettings``) is read in full (``GET /admin/{users,groups}/{name}``) the first time a task needs it.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Optional

PERMISSION_FLAG = re.compile(r"^may[A-Z]")
#: Keys of a full user definition that a bare list item lacks.
USER_SETTINGS_KEYS = ("userProperties", "adminProperties")
_UNSET = object()


def _user_without_password(definition: dict) -> dict:
    return {key: copy.deepcopy(value) for key, value in definition.items() if key != "password"}


class SnapshotClient:
    """DSS users and groups from one listing per run, kept up to date with the run's own writes (see above)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.groups: dict = {}
        self.users: dict = {}
        #: (kind, name) of the objects to read again before they are used (created, or listed without settings).
        self.unread: set = set()
        self._auth: Any = _UNSET
        self._profiles: Optional[list] = None

    @property
    def may_have_written(self) -> bool:
        return bool(self.client.may_have_written)

    def load(self) -> "SnapshotClient":
        """Read the instance: the two listings."""
        self.groups = {group["name"]: group for group in self.client.list_groups()}
        self.users = {user["login"]: user for user in self.client.list_users(include_settings=True)}
        self.unread = {("group", name) for name, group in self.groups.items() if not any(PERMISSION_FLAG.match(key) for key in group)}
        self.unread |= {("user", login) for login, user in self.users.items() if not all(key in user for key in USER_SETTINGS_KEYS)}
        return self

    # -- reads -------------------------------------------------------------------------------
    def get_group(self, name: str) -> Optional[dict]:
        if ("group", name) in self.unread:
            self.unread.discard(("group", name))
            self._put(self.groups, name, self.client.get_group(name))
        found = self.groups.get(name)
        return copy.deepcopy(found) if found is not None else None

    def list_groups(self) -> list:
        """Every group: those DSS listed first, then those the plan creates (in planning); full where read."""
        return [copy.deepcopy(group) for group in self.groups.values()]

    def get_user(self, login: str) -> Optional[dict]:
        if ("user", login) in self.unread:
            self.unread.discard(("user", login))
            self._put(self.users, login, self.client.get_user(login))
        found = self.users.get(login)
        return copy.deepcopy(found) if found is not None else None

    def auth_identifier(self) -> Optional[str]:
        """The login the API key acts as: asked once per run."""
        if self._auth is _UNSET:
            self._auth = self.client.auth_identifier()
        return self._auth

    def licensed_profiles(self) -> list:
        """The licence's user profiles: read once per run."""
        if self._profiles is None:
            self._profiles = list(self.client.licensed_profiles())
        return list(self._profiles)

    # -- writes (to DSS, and to the snapshot) ------------------------------------------------
    def create_group(self, body: dict) -> None:
        self.client.create_group(body)
        self.plan_store("group", body["name"], body)
        self.unread.add(("group", body["name"]))

    def update_group(self, name: str, definition: dict) -> None:
        self.client.update_group(name, definition)
        self.plan_store("group", name, definition)

    def delete_group(self, name: str) -> None:
        self.client.delete_group(name)
        self.plan_drop("group", name)

    def create_user(self, body: dict) -> None:
        self.client.create_user(body)
        self.plan_store("user", body["login"], body)
        self.unread.add(("user", body["login"]))

    def update_user(self, login: str, definition: dict) -> None:
        self.client.update_user(login, definition)
        self.plan_store("user", login, definition)

    def delete_user(self, login: str, *, allow_self_deletion: bool = False) -> None:
        self.client.delete_user(login, allow_self_deletion=allow_self_deletion)
        self.plan_drop("user", login)

    # -- the plan's changes (no call) --------------------------------------------------------
    def plan_store(self, kind: str, name: str, definition: dict) -> None:
        """The object as a write leaves it (never with a password)."""
        if kind == "group":
            self._put(self.groups, name, copy.deepcopy(definition))
        else:
            self._put(self.users, name, _user_without_password(definition))

    def plan_drop(self, kind: str, name: str) -> None:
        """The object deleted; a deleted group also leaves its users' groups, as DSS does."""
        self.unread.discard((kind, name))
        if kind == "user":
            self.users.pop(name, None)
            return
        self.groups.pop(name, None)
        for user in self.users.values():
            if name in (user.get("groups") or []):
                user["groups"] = [group for group in user["groups"] if group != name]

    def mark(self) -> tuple:
        return copy.deepcopy((self.groups, self.users, self.unread))

    def restore(self, mark: tuple) -> None:
        self.groups, self.users, self.unread = copy.deepcopy(mark)

    @staticmethod
    def _put(store: dict, name: str, definition: Optional[dict]) -> None:
        if definition is None:
            store.pop(name, None)
        else:
            store[name] = definition
