# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of a whole-model task (``access``, ``dss_access``): one row per object, what the run does and why.

Internal to the collection. Both modules build their plan before any write, in check mode exactly as in a real
run, and then carry it out row by row: the plan a ``--check`` run shows is what the real run does. A row is a
plain dict, as the result returns it::

    {"kind": "group", "name": "data-engineers", "action": "replace", "reason": "capabilities differ: ..."}

``protect`` holds the names and regular expressions of the objects a purge never touches (``Protect``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Optional

#: Every action a row may have, in the order the counts list them.
ACTIONS = ("create", "replace", "update", "delete", "purge", "unchanged", "protected")
#: The actions that change something.
CHANGES = frozenset({"create", "replace", "update", "delete", "purge"})


def row(kind: str, name: str, action: str, reason: str = "", **fields: Any) -> dict:
    """One row of the plan; ``fields`` adds e.g. the ids a row is about."""
    if action not in ACTIONS:
        raise ValueError("unknown plan action %r" % action)
    entry = {"kind": kind, "name": name, "action": action, "reason": reason}
    entry.update({key: value for key, value in fields.items() if value is not None})
    return entry


#: The actions of each service's rows: CDF groups are replaced (no update call), DSS objects updated in place.
CDF_ACTIONS = tuple(action for action in ACTIONS if action != "update")
DSS_ACTIONS = tuple(action for action in ACTIONS if action != "replace")


def counts(plan: Iterable[dict], actions: Iterable[str] = ACTIONS) -> dict:
    """How many rows of each of ``actions`` (every one named, 0 when none)."""
    found = Counter(entry["action"] for entry in plan)
    return {action: found.get(action, 0) for action in actions}


def changes(plan: Iterable[dict]) -> bool:
    return any(entry["action"] in CHANGES for entry in plan)


def duplicate_names(names: Iterable[str]) -> list:
    """The names that occur more than once, in order of their first repeat."""
    seen: set = set()
    repeated: list = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


class Protect:
    """The ``protect`` option: an object is protected when an entry is its exact name, or matches the whole name
    as a Python regular expression (``team-.*`` protects every name that starts with ``team-``)."""

    def __init__(self, entries: Optional[list]) -> None:
        self.entries = [str(entry) for entry in entries or []]
        #: (entry, its compiled pattern or None when it is not a regular expression)
        self.pairs: list = []
        for entry in self.entries:
            try:
                self.pairs.append((entry, re.compile(entry)))
            except re.error:
                self.pairs.append((entry, None))

    def problems(self) -> list:
        """An entry that is not a regular expression is refused before any call (escape it to mean the name)."""
        return [
            "protect: %r is not a regular expression (%s); escape special characters to name an object literally"
            % (entry, _regex_error(entry))
            for entry, pattern in self.pairs
            if pattern is None
        ] + ["protect must not contain empty entries" for entry in self.entries if not entry.strip()][:1]

    def match(self, name: str) -> Optional[str]:
        """The entry that protects ``name``, or None."""
        for entry, pattern in self.pairs:
            if entry == name or (pattern is not None and pattern.fullmatch(name)):
                return entry
        return None


def _regex_error(entry: str) -> str:
    try:
        re.compile(entry)
    except re.error as exc:
        return str(exc)
    return ""
