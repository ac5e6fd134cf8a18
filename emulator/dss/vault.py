"""The values of DSS user secrets, in memory only, for ``GET /auth/info?withSecrets=true``.

The state (and its file) keeps a user secret as its SHA-256 only (``valueSha256``). DSS hands a user their own
secret values (dataikuapi ``get_auth_info(with_secrets=True)``), so the emulator keeps each value it was given,
by its SHA-256, in ``store.memory`` (never persisted, never logged): seeded with the analyst's secret, filled by
every user PUT that carries a value, kept across resets. Every value here also reached the secrets list
(``GET /_emulator/secrets``), as a seed or as a secret a request carried. A secret whose value this process was
never given (set before a restart from a state file) is answered without ``value``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from emulator.dss.seeds import SEED_SECRET_VALUE, key_hash
from emulator.server.store import Store

VAULT_KEY = "dss-secret-values"


def _renewed(previous: dict[str, str] | None) -> dict[str, str]:
    return {**(previous or {}), key_hash(SEED_SECRET_VALUE): SEED_SECRET_VALUE}


def register(store: Store) -> None:
    """Give the store the (memory-only) vault."""
    store.register_memory(VAULT_KEY, _renewed)


def vault(request: Request) -> dict[str, str]:
    """SHA-256 -> value of every secret value the emulator was given."""
    return request.app.state.store.memory[VAULT_KEY]


def own_secrets(request: Request, user: dict[str, Any]) -> list[dict[str, Any]]:
    """The user's secrets as ``/auth/info?withSecrets=true`` lists them: ``{"key", "value"}`` (public code that
    calls dataikuapi ``get_auth_info(with_secrets=True)`` reads ``secret["key"]`` and ``secret["value"]``)."""
    known = vault(request)
    entries = []
    for item in user["secrets"]:
        entry: dict[str, Any] = {"key": item["name"]}
        if item["valueSha256"] in known:
            entry["value"] = known[item["valueSha256"]]
        entries.append(entry)
    return entries
