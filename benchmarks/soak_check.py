"""The fault soak's checks (benchmarks/bench_soak.py), as pure functions over plain data, so that they are tested
on their own (tests/unit/tools/test_soak_check.py): a checker that cannot fail would prove nothing.

A *model* is ``{kind: {name: wanted fields}}`` (the objects that must exist, each with the fields compared); the
*live* objects are ``{kind: [(name, fields, id), ...]}`` as read from the emulator, every object of the soak's
names, including those that should not be there. ``managed`` names every name a kind has ever used, so that an
object the model deleted is noticed if it is still there.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

#: The requests whose repetition would make a second object: (method, path).
CREATE_PATHS = (
    ("POST", "/api/v1/projects/demo/groups"),
    ("POST", "/api/v1/projects/demo/securitycategories"),
    ("POST", "/api/v1/projects/demo/postgresgateway"),
    ("POST", "/public/api/admin/users/"),
    ("POST", "/public/api/admin/groups/"),
)


def duplicates(live: dict) -> list:
    """``(kind, name, count)`` for every name that more than one live object of a kind has."""
    out = []
    for kind, objects in sorted(live.items()):
        counts = Counter(name for name, _fields, _id in objects)
        out += [(kind, name, count) for name, count in sorted(counts.items()) if count > 1]
    return out


def lost(model: dict, live: dict) -> list:
    """``(kind, name, why)`` for every wanted object that is not there (``missing``) or not as wanted (``differs:
    field, ...``); with duplicates, it is enough that one of them is as wanted (duplicates are counted apart)."""
    out = []
    for kind, wanted in sorted(model.items()):
        found: dict = {}
        for name, fields, _id in live.get(kind, []):
            found.setdefault(name, []).append(fields)
        for name, fields in sorted(wanted.items()):
            if name not in found:
                out.append((kind, name, "missing"))
            elif fields not in found[name]:
                first = found[name][0]
                keys = sorted(key for key in set(fields) | set(first) if fields.get(key) != first.get(key))
                out.append((kind, name, "differs: " + ", ".join(keys)))
    return out


def stale(model: dict, live: dict, managed: dict) -> list:
    """``(kind, name)`` for every live object of a managed name that the model does not want (deleted, or never made)."""
    out = []
    for kind, objects in sorted(live.items()):
        wanted = model.get(kind, {})
        names = managed.get(kind, set())
        out += sorted({(kind, name) for name, _fields, _id in objects if name in names and name not in wanted})
    return out


def half_replaced(replaced: dict, live: dict) -> list:
    """``(kind, name, id)`` for every object this round replaced (``replaced``: ``{kind: {name: old ids}}``, the ids
    live before the round) that is still there: its new object was made, its old one never deleted."""
    live_ids = {kind: {object_id for _name, _fields, object_id in objects} for kind, objects in live.items()}
    out = []
    for kind, names in sorted(replaced.items()):
        for name, ids in sorted(names.items()):
            out += [(kind, name, old) for old in sorted(ids) if old in live_ids.get(kind, set())]
    return out


def needless_replacements(kept: dict, live: dict) -> list:
    """``(kind, name, id)`` for every object the round did not change whose id is gone (replaced although equal)."""
    live_ids = {kind: {object_id for _name, _fields, object_id in objects} for kind, objects in live.items()}
    out = []
    for kind, names in sorted(kept.items()):
        for name, ids in sorted(names.items()):
            out += [(kind, name, old) for old in sorted(ids) if old not in live_ids.get(kind, set())]
    return out


def check(model: dict, live: dict, managed: dict, replaced: dict, kept: dict) -> dict:
    """Every problem of a round's end state, by check; all lists empty when the round converged."""
    return {
        "duplicates": duplicates(live),
        "lost": lost(model, live),
        "stale": stale(model, live, managed),
        "half_replaced": half_replaced(replaced, live),
        "needless_replacements": needless_replacements(kept, live),
    }


def ids_by_name(live: dict, kinds: Iterable[str], names: dict) -> dict:
    """``{kind: {name: {ids}}}`` of the live objects of ``names[kind]`` (the ids before a round)."""
    out: dict = {}
    for kind in kinds:
        wanted = names.get(kind, set())
        for name, _fields, object_id in live.get(kind, []):
            if name in wanted:
                out.setdefault(kind, {}).setdefault(name, set()).add(object_id)
    return out


def same_request(one: dict, other: dict) -> bool:
    keys = ("method", "path", "query", "body")
    return all(one.get(key) == other.get(key) for key in keys)


def blind_creates(log: list, failure_ids: set) -> list:
    """The creates whose outcome was unknown (a failure other than 429: the write may have taken effect) that the
    next request sent again unchanged, without reading first: ``(method, path)`` each (test_faults_converge.py's
    check). ``log`` is one playbook run's request log, in order."""
    return [
        (entry["method"], entry["path"])
        for entry, following in itertools.pairwise(log)
        if entry["write"]
        and entry["fault"] in failure_ids
        and entry["status"] != 429
        and (entry["method"], entry["path"]) in CREATE_PATHS
        and same_request(entry, following)
    ]
