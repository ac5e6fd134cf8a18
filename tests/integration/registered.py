"""Read what a play registered: the results that carry a secret (a new session's nonce, a new Postgres-gateway
user's password) are hidden from the output and from the recorded results, as no_log hides them; the registered
variable holds them all, as the tasks that follow see it."""

from __future__ import annotations

import json
from pathlib import Path


def keep_task(path: Path, names: list) -> dict:
    """A no_log task that writes the registered variables ``names`` to ``path`` as JSON (0600)."""
    content = "{{ {%s} | to_json }}" % ", ".join("'%s': %s" % (name, name) for name in names)
    return {"name": "keep", "ansible.builtin.copy": {"content": content, "dest": str(path), "mode": "0600"}, "no_log": True}


def kept(path: Path) -> dict:
    """What ``keep_task`` wrote."""
    return json.loads(Path(path).read_text())
