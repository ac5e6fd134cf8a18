# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one present/absent loop every managing module uses.

find (done by the caller) -> desired -> compare -> apply unless check mode ->
result ``{changed, diff: {before, after}, <key>: object}``. The comparison and
the writes are the module's; the order, check mode and the result shape are here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

Obj = dict


@dataclass
class Outcome:
    """What happened (or, in check mode, what would have)."""

    changed: bool
    before: Optional[Obj]
    after: Optional[Obj]
    obj: Optional[Obj]
    extra: dict = field(default_factory=dict)

    def result(self, key: str, *, with_diff: bool) -> dict:
        """The module result: ``changed``, the object under ``key``, ``diff`` when asked for."""
        result = {"changed": self.changed, key: self.obj}
        result.update(self.extra)
        if with_diff:
            result["diff"] = {"before": self.before or {}, "after": self.after or {}}
        return result


def reconcile(
    *,
    state: str,
    current: Optional[Obj],
    check_mode: bool,
    view: Callable[[Obj], Obj],
    delete: Callable[[Obj], Any],
    desired: Optional[Obj] = None,
    differs: Optional[Callable[[Obj, Obj], bool]] = None,
    create: Optional[Callable[[Obj], Obj]] = None,
    update: Optional[Callable[[Obj, Obj], Obj]] = None,
) -> Outcome:
    """Bring one object to ``state``; ``desired`` is the full intended object (current merged with the task).

    ``view`` renders an object for the diff (stable, readable, no secrets).
    ``update`` may be None for objects that cannot change (then a difference is an error of the caller).
    """
    if state == "absent":
        if current is None:
            return Outcome(False, None, None, None)
        if not check_mode:
            delete(current)
        return Outcome(True, view(current), None, None)

    if desired is None or create is None or differs is None:
        raise ValueError("state=present needs desired, create and differs")
    if current is None:
        obj = desired if check_mode else create(desired)
        return Outcome(True, None, view(obj), obj)
    if not differs(current, desired):
        shown = view(current)
        return Outcome(False, shown, shown, current)
    if update is None:
        raise ValueError("this object cannot be updated in place")
    obj = desired if check_mode else update(current, desired)
    return Outcome(True, view(current), view(obj), obj)


def combine(outcomes: dict, obj: Any) -> Outcome:
    """One Outcome for a task that brings several objects to their state (e.g. revoking a list of sessions).

    ``outcomes`` maps a label (the object's id) to its own Outcome; the diff shows each labelled object
    that exists before or after, and ``obj`` is what the module returns under its key.
    """
    before = {label: o.before for label, o in outcomes.items() if o.before is not None}
    after = {label: o.after for label, o in outcomes.items() if o.after is not None}
    return Outcome(any(o.changed for o in outcomes.values()), before, after, obj)
