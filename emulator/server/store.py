"""In-memory state of the emulator, its seeds, and JSON persistence.

The persisted state is one JSON document, ``{"version": 1, <key>: ...}``: each API area owns some top-level keys
and registers their seeders (``register_seed``) before ``open()``. With a state file, ``open()`` loads it (seeding
and writing it when absent) and the store rewrites it atomically after every successful mutation: a temporary file
in the same folder, flushed and fsynced, then renamed over the old one, so a process killed at any point leaves
either the previous file or the new one, never a part of either (a temporary file left by a kill is removed on the
next ``open()``). Access tokens are kept by their SHA-256 only (``issuedTokens`` in the file, not in ``state``): a
restarted emulator still takes the tokens it issued, as an identity provider's tokens outlive an API restart.
Session nonces and what areas keep in ``memory`` never reach the disk.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.server.secretlog import SecretLog

Seeder = Callable[[], Any]
STATE_VERSION = 1
#: The state file's key for the issued access tokens (SHA-256 -> grant); never part of ``Store.state``.
TOKENS_KEY = "issuedTokens"


def secret_hash(secret: str) -> str:
    """How secrets are kept in the state: their SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


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
    """A session nonce (CDF sessions): single use, bound to one session of one project, short-lived."""

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
    ) -> None:
        self.path = Path(state_file) if state_file else None
        #: Every secret seeded, received or issued (``GET /_emulator/secrets``; memory only).
        self.secret_log = secret_log if secret_log is not None else SecretLog()
        self.token_ttl = token_ttl
        self.nonce_ttl = nonce_ttl
        #: Issued access tokens by their SHA-256 (``secret_hash``): the token itself is never kept.
        self.tokens: dict[str, TokenGrant] = {}
        self.nonces: dict[str, NonceGrant] = {}
        self._seeders: dict[str, Seeder] = {}
        self._required: set[str] = set()
        self._issuers: dict[str, str] = {}
        self._memory_factories: dict[str, Callable[[Any], Any]] = {}
        #: What areas keep in memory only, by key (``register_memory``): renewed on every reset.
        self.memory: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.state: dict[str, Any] = {}

    # ---- what the areas register -------------------------------------------------------------------

    def register_seed(self, key: str, seeder: Seeder, *, required: bool = False, secrets: Iterable[str] = ()) -> None:
        """Let an area own ``state[key]``: seeded when absent and on every reset. ``required``: a state file
        without it is not an emulator state file. ``secrets``: the seed's secrets, for the secrets list."""
        self._seeders[key] = seeder
        if required:
            self._required.add(key)
        self.secret_log.add_all(list(secrets), "seed")

    def register_clients(self, registry: str, issuer: str) -> None:
        """``state[registry]`` holds OAuth clients (``{id: {"secretSha256", ...}}``) whose tokens ``issuer`` issues."""
        self._issuers[registry] = issuer

    def issuer_of(self, client_id: str) -> tuple[str, str]:
        """(registry, issuer) of a client; the first registered registry when no registry knows it."""
        for registry, issuer in self._issuers.items():
            if client_id in self.state.get(registry, {}):
                return registry, issuer
        return next(iter(self._issuers.items()), ("clients", "idp"))

    def register_memory(self, key: str, factory: Callable[[Any], Any]) -> None:
        """Memory-only state of an area: ``memory[key] = factory(previous or None)`` now and on every reset."""
        self._memory_factories[key] = factory
        self.memory[key] = factory(None)

    def open(self) -> Store:
        """Load the state file, or seed (and write it); seed any registered key the file lacks."""
        self.state = self._load_or_seed()
        missing = [key for key in self._seeders if key not in self.state]
        for key in missing:
            self.state[key] = self._seeders[key]()
        if missing:
            self.save()
        return self

    def seed_state(self) -> dict[str, Any]:
        """A fresh copy of the whole seed state, from every registered seeder (JSON-serialisable)."""
        state: dict[str, Any] = {"version": STATE_VERSION}
        for key, seeder in self._seeders.items():
            state[key] = seeder()
        return state

    def reset(self) -> None:
        """Restore the seed state (access tokens stay valid: they belong to the identity provider)."""
        self.state = self.seed_state()
        self.nonces.clear()
        for key, factory in self._memory_factories.items():
            self.memory[key] = factory(self.memory.get(key))
        self.save()

    # ---- persistence -----------------------------------------------------------------------------

    def _load_or_seed(self) -> dict[str, Any]:
        if self.path is not None:
            self._remove_stale_temporaries()
        if self.path is None or not self.path.exists():
            state = self.seed_state()
            if self.path is not None:
                self._write(state)
            return state
        try:
            with self.path.open(encoding="utf-8") as handle:
                state = json.load(handle)
        except (OSError, ValueError) as exc:
            raise StateFileError(f"cannot read state file {self.path}: {exc}") from exc
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not self._required <= set(state):
            raise StateFileError(f"{self.path} is not an emulator state file (version {STATE_VERSION})")
        self._load_tokens(state.pop(TOKENS_KEY, None))
        return state

    def _load_tokens(self, records: Any) -> None:
        """The grants of the tokens an earlier run of the emulator issued (expired ones are dropped)."""
        now = time.time()
        for digest, record in (records or {}).items() if isinstance(records, dict) else ():
            try:
                grant = TokenGrant(
                    client_id=str(record["clientId"]),
                    expires_at=float(record["expiresAt"]),
                    scope=str(record.get("scope", "")),
                    issuer=str(record.get("issuer", "idp")),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise StateFileError(f"{self.path}: an entry of {TOKENS_KEY} is not a token grant: {exc}") from exc
            if grant.expires_at > now:
                self.tokens[digest] = grant

    def _token_records(self) -> dict[str, Any]:
        now = time.time()
        return {
            digest: {"clientId": g.client_id, "expiresAt": g.expires_at, "scope": g.scope, "issuer": g.issuer}
            for digest, g in self.tokens.items()
            if g.expires_at > now
        }

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of ``_write`` that a killed emulator left (the state file itself is always whole)."""
        assert self.path is not None
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass

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
                    json.dump({**state, TOKENS_KEY: self._token_records()}, handle, indent=1, sort_keys=True)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise

    # ---- accessors -------------------------------------------------------------------------------

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
        self.tokens[secret_hash(token)] = grant
        self.secret_log.add(token, "issued")
        self.save()
        return grant

    def token(self, token: str) -> TokenGrant | None:
        digest = secret_hash(token)
        grant = self.tokens.get(digest)
        if grant is None:
            return None
        if grant.expires_at <= time.time():
            del self.tokens[digest]
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
