"""In-memory state of the emulator, its seeds, and JSON persistence.

The persisted state is one JSON document (see ``seeds.build_seed_state``). With a state file, the
store loads it on start (seeding and writing it when absent) and rewrites it atomically after every
successful mutation. Access tokens and session nonces live in memory only: they never reach the disk.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.secretlog import SecretLog
from emulator.seeds import build_seed_state, seed_secrets

Seeder = Callable[[], dict[str, Any]]

#: CDF's limit of groups per project, soft-deleted ones included (cognite-sdk's integration tests skip group
#: creation for it: "There can only be 1500 undeleted or deleted groups per project").
GROUP_LIMIT = 1500


@dataclass(frozen=True)
class TokenGrant:
    """What an access token stands for: the client it was issued to, until when, and who issued it (``idp``: the
    project's identity provider; ``auth``: the auth API, whose tokens only the auth API takes)."""

    client_id: str
    expires_at: float
    scope: str
    issuer: str = "idp"


@dataclass(frozen=True)
class NonceGrant:
    """A session nonce: single use, bound to one session of one project, short-lived."""

    project: str
    session_id: int
    expires_at: float


class StateFileError(RuntimeError):
    """The state file exists but cannot be used."""


class Store:
    """All emulator state. Area modules read and change ``store.state`` and call no I/O themselves."""

    def __init__(
        self,
        state_file: str | os.PathLike[str] | None = None,
        token_ttl: int = 3600,
        nonce_ttl: float = 60.0,
        secret_log: SecretLog | None = None,
        group_limit: int = GROUP_LIMIT,
    ) -> None:
        self.path = Path(state_file) if state_file else None
        #: Every secret seeded, received or issued (``GET /_emulator/secrets``; memory only).
        self.secret_log = secret_log if secret_log is not None else SecretLog()
        self.secret_log.add_all(seed_secrets(), "seed")
        self.token_ttl = token_ttl
        self.nonce_ttl = nonce_ttl
        self.tokens: dict[str, TokenGrant] = {}
        self.nonces: dict[str, NonceGrant] = {}
        self._seeders: dict[str, Seeder] = {}
        #: Groups per project, deleted ones included (``--group-limit``).
        self.group_limit = group_limit
        self._group_switches()
        self._lock = threading.Lock()
        self.state: dict[str, Any] = self._load_or_seed()

    # ---- seeds and extension areas ---------------------------------------------------------------

    def register_seed(self, key: str, seeder: Seeder) -> None:
        """Let an extension area (e.g. DSS) own ``state[key]``: seeded when absent and on every reset."""
        self._seeders[key] = seeder
        if key not in self.state:
            self.state[key] = seeder()
            self.save()

    def _seed(self) -> dict[str, Any]:
        state = build_seed_state()
        for key, seeder in self._seeders.items():
            state[key] = seeder()
        return state

    def reset(self) -> None:
        """Restore the seed state (access tokens stay valid: they belong to the identity provider)."""
        self.state = self._seed()
        self.nonces.clear()
        self._group_switches()
        self.save()

    def _group_switches(self) -> None:
        """The group behaviours the control API switches (memory only; a reset turns them off)."""
        #: Answer as an Entra ID cluster does: members groups carry a service-populated ``sourceId``.
        self.entra_responses = False
        #: Seconds before the access a new group grants applies (0: at once).
        self.group_apply_delay = 0.0
        self.group_applies_at: dict[int, float] = {}

    def group_applied(self, group: dict[str, Any]) -> bool:
        """Whether the access ``group`` grants has taken effect (see ``group_apply_delay``)."""
        return time.time() >= self.group_applies_at.get(group.get("id", 0), 0.0)

    # ---- persistence -----------------------------------------------------------------------------

    def _load_or_seed(self) -> dict[str, Any]:
        if self.path is None or not self.path.exists():
            state = self._seed()
            if self.path is not None:
                self._write(state)
            return state
        try:
            with self.path.open(encoding="utf-8") as handle:
                state = json.load(handle)
        except (OSError, ValueError) as exc:
            raise StateFileError(f"cannot read state file {self.path}: {exc}") from exc
        if not isinstance(state, dict) or state.get("version") != 1 or "projects" not in state:
            raise StateFileError(f"{self.path} is not an emulator state file (version 1)")
        return state

    def save(self) -> None:
        """Write the state file atomically (temporary file + rename); a no-op without one."""
        if self.path is not None:
            self._write(self.state)

    def _write(self, state: dict[str, Any]) -> None:
        assert self.path is not None
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(state, handle, indent=1, sort_keys=True)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise

    # ---- accessors -------------------------------------------------------------------------------

    def project(self, name: str) -> dict[str, Any] | None:
        return self.state["projects"].get(name)

    def next_id(self, counter: str) -> int:
        value = self.state["counters"][counter]
        self.state["counters"][counter] = value + 1
        return int(value)

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.state)

    # ---- tokens and nonces (memory only) ---------------------------------------------------------

    def issue_token(self, token: str, client_id: str, scope: str, issuer: str = "idp") -> TokenGrant:
        self._drop_expired()
        grant = TokenGrant(client_id=client_id, expires_at=time.time() + self.token_ttl, scope=scope, issuer=issuer)
        self.tokens[token] = grant
        self.secret_log.add(token, "issued")
        return grant

    def token(self, token: str) -> TokenGrant | None:
        grant = self.tokens.get(token)
        if grant is None:
            return None
        if grant.expires_at <= time.time():
            del self.tokens[token]
            return None
        return grant

    def issue_nonce(self, nonce: str, project: str, session_id: int) -> None:
        self._drop_expired()
        self.nonces[nonce] = NonceGrant(project, session_id, time.time() + self.nonce_ttl)
        self.secret_log.add(nonce, "issued")

    def consume_nonce(self, nonce: str, project: str) -> int | None:
        """The session id a valid, unused nonce of ``project`` is bound to; the nonce is spent."""
        grant = self.nonces.get(nonce)
        if grant is None or grant.project != project:
            return None
        del self.nonces[nonce]
        if grant.expires_at <= time.time():
            return None
        return grant.session_id

    def _drop_expired(self) -> None:
        now = time.time()
        for token in [t for t, g in self.tokens.items() if g.expires_at <= now]:
            del self.tokens[token]
        for nonce in [n for n, g in self.nonces.items() if g.expires_at <= now]:
            del self.nonces[nonce]
