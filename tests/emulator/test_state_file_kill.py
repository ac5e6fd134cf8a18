"""The state file survives a kill at any moment: a process that rewrites a large state file in a loop is killed
(SIGKILL) at random points, and the file is always a whole emulator state, never older than what was last read; the
next start removes the temporary files a kill left. A write straight into the file fails this test (tried: a
2 MB state rewritten with ``open(path, "w")`` was caught half-written within the first kills)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from emulator.server.store import STATE_VERSION, TOKENS_KEY, Store, TokenGrant, secret_hash

REPO_ROOT = Path(__file__).resolve().parents[2]
KILLS = 25
WRITER = textwrap.dedent(
    """
    import sys
    from emulator.server.store import Store

    store = Store(sys.argv[1])
    store.register_seed("counters", lambda: {"writes": 0}, required=True)
    store.register_seed("bulk", lambda: ["x" * 100 for _ in range(20_000)])  # about 2 MB of JSON
    store.open()
    print("ready", flush=True)
    while True:
        store.state["counters"]["writes"] += 1
        store.save()
    """
)


def read_state(path: Path) -> dict:
    state = json.loads(path.read_text(encoding="utf-8"))
    assert state["version"] == STATE_VERSION and TOKENS_KEY in state
    assert len(state["bulk"]) == 20_000
    return state


def test_a_kill_mid_write_never_leaves_a_broken_state_file(tmp_path):
    path = tmp_path / "state.json"
    rng = random.Random(16)
    last = -1
    left_behind = 0
    for _kill in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == b"ready", writer.stderr
        time.sleep(rng.uniform(0.02, 0.25))
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
        writer.stdout.close()
        writer.stderr.close()
        writes = read_state(path)["counters"]["writes"]
        assert writes >= last, "a kill must not lose a write that had completed"
        last = writes
        left_behind += len(list(tmp_path.glob(".state.json.*.tmp")))
    assert last > KILLS, "the writer rewrote the file many times"
    store = Store(path)
    store.register_seed("counters", lambda: {"writes": 0}, required=True)
    store.open()
    assert store.state["counters"]["writes"] == last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"], "the temporary files of kills are removed"
    print(f"{KILLS} kills, {last} writes survived, {left_behind} temporary files left by kills (removed on open)")


def test_tokens_survive_a_restart_by_their_hash_only(tmp_path):
    path = tmp_path / "state.json"
    first = Store(path)
    first.register_seed("counters", lambda: {}, required=True)
    first.open()
    token = "a-token-of-the-first-run-0123456789"
    first.issue_token(token, "admin", "scope-a")
    first.tokens[secret_hash("an-expired-token-0123456789")] = TokenGrant("admin", time.time() - 1, "")
    first.save()
    text = path.read_text(encoding="utf-8")
    assert token not in text and "an-expired-token" not in text
    second = Store(path)
    second.register_seed("counters", lambda: {}, required=True)
    second.open()
    grant = second.token(token)
    assert grant is not None and (grant.client_id, grant.scope) == ("admin", "scope-a")
    assert second.token("an-expired-token-0123456789") is None
    assert len(json.loads(path.read_text(encoding="utf-8"))[TOKENS_KEY]) == 1
    assert TOKENS_KEY not in second.state, "the tokens are not part of the state the control API shows"
