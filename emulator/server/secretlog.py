"""Every secret the emulator knows, saw or issued: for the tests that scan output for leaked secrets.

The list holds the seeded credentials (OAuth client secrets, DSS API keys and passwords, seeded secret
values), every secret a request carried (bearer tokens, HTTP basic credentials, the token endpoint's
``client_secret``, JSON body fields named like a secret: ``clientSecret``, ``nonce``, ``password``, ``apiKey``,
... and each ``value`` under ``secrets``) and every secret it issued (access tokens, session nonces,
Postgres-gateway passwords). ``GET /_emulator/secrets`` returns it (loopback callers only); it lives in
memory only, is never persisted or logged, and survives a reset (tokens do too). Values shorter than
``MIN_LENGTH`` characters are not kept: a scan for ``"x"`` would find it everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

MIN_LENGTH = 6
MAX_SECRETS = 100_000


class SecretLog:
    """A thread-safe set of secret strings with their kind (``seed``, ``received`` or ``issued``)."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(self, value: Any, kind: str = "received") -> None:
        if not isinstance(value, str) or len(value) < MIN_LENGTH:
            return
        with self._lock:
            if value not in self._secrets and len(self._secrets) < MAX_SECRETS:
                self._secrets[value] = kind

    def add_all(self, values: Iterable[Any], kind: str = "received") -> None:
        for value in values:
            self.add(value, kind)

    def items(self) -> list[dict[str, str]]:
        with self._lock:
            return [{"value": value, "kind": kind} for value, kind in self._secrets.items()]


#: DSS user and admin properties are the user's own data (visible to the user in DSS), whatever their keys are
#: called: a property named ``password`` is not a secret the collection must keep out of its output.
PLAIN_DATA_KEYS = frozenset({"userproperties", "adminproperties"})


def secret_fields(value: Any, secret_keys: frozenset[str], in_secrets: bool = False) -> list[str]:
    """The string values of every field named like a secret in a parsed JSON body (and ``value`` under
    ``secrets``), outside DSS's user and admin properties."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = key.lower() if isinstance(key, str) else ""
            if name in PLAIN_DATA_KEYS:
                continue
            if (name in secret_keys or (in_secrets and name == "value")) and isinstance(item, str):
                found.append(item)
            else:
                found.extend(secret_fields(item, secret_keys, in_secrets or name == "secrets"))
    elif isinstance(value, list):
        for item in value:
            found.extend(secret_fields(item, secret_keys, in_secrets))
    return found
