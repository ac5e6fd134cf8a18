"""The mix of faults that the fault test (tests/integration/test_faults_converge.py) and the fault soak
(benchmarks/bench_soak.py) inject: 30% of all requests fail, on every path, and 10% more are slowed.

Each entry is ``(label, share of all requests, rule)``; :func:`mix_rules` turns them into fault rules of the
emulator (emulator/server/faults.py) that fire, drawn from seeded generators, on about that share each.
"""

from __future__ import annotations

from typing import Any

#: The failures: their shares add up to 30%. "after the effect": the request takes effect, then the answer is lost.
FAILURES: list[tuple[str, float, dict[str, Any]]] = [
    ("429 Retry-After: 1", 0.04, {"status": 429, "retryAfter": 1}),
    ("500", 0.04, {"status": 500}),
    ("502", 0.03, {"status": 502}),
    ("503", 0.04, {"status": 503}),
    ("504", 0.03, {"status": 504}),
    ("connection reset", 0.03, {"reset": True}),
    ("503 after the effect", 0.03, {"status": 503, "after": True}),
    ("answer cut off after the effect", 0.03, {"drop": True, "after": True}),
    ("connection reset after the effect", 0.03, {"reset": True, "after": True}),
]
LATENCY: tuple[str, float, dict[str, Any]] = ("100 ms latency", 0.10, {"delayMs": 100})


def mix_rules(seed: int) -> list[dict[str, Any]]:
    """The failures as a mix (rule i fires with share_i / (1 - shares before it)), then the latency."""
    rules, left = [], 1.0
    for index, (_label, share, rule) in enumerate(FAILURES + [LATENCY]):
        rules.append({**rule, "pathPrefix": "/", "times": -1, "probability": min(1.0, share / left), "seed": seed + index})
        left -= share
    return rules
