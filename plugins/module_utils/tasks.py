# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two task shapes of the collection's managing modules; internal to the collection.

``ObjectTask``: one object brought to ``present`` or ``absent`` (a group, a category, a user). ``BatchTask``: several
objects of one kind brought to one state by batched writes (revoking sessions). A subclass says how to find the
objects and how to write them; the flow, check mode (nothing is written: the task's client refuses writes too,
see http.ApiClient) and the result (``changed``, the object under ``key``, ``diff`` with ``--diff``) are here.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError


class TaskError(Exception):
    """A failure the module's code names: the runtime fails the task once with ``msg`` and the ``result`` fields."""

    def __init__(self, msg: str, **result: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result = result


class Task:
    """What both shapes share: the module's params, check mode, diff mode, the client, extra result fields."""

    #: The result's key for what the task manages.
    key = "object"

    def __init__(self, module: Any, client: Any) -> None:
        self.module = module
        self.client = client
        self.params: dict = module.params
        self.check_mode: bool = bool(module.check_mode)
        #: Fields the task adds to its result (e.g. ``deleted_ids``).
        self.extra: dict = {}

    def view(self, obj: dict) -> dict:
        """An object as ``--diff`` shows it: stable, readable, no secrets."""
        return obj

    def partial(self) -> dict:
        """What was already done when a call failed, so that a failure never hides a half-done change."""
        return {}

    def run(self) -> dict:
        """The task's result; an ApiError leaves with what was done before it (``ApiError.partial``)."""
        try:
            return self.apply()
        except ApiError as exc:
            exc.partial = dict(self.partial(), **exc.partial)
            raise

    def apply(self) -> dict:
        raise NotImplementedError

    def result(self, changed: bool, before: Any, after: Any, obj: Any) -> dict:
        result = {"changed": changed, self.key: obj}
        result.update(self.extra)
        if self.module._diff:
            result["diff"] = {"before": before or {}, "after": after or {}}
        return result


class ObjectTask(Task):
    """One object brought to the task's ``state`` (``present`` or ``absent``).

    A subclass gives ``find``, ``desired``, ``differs``, ``create``, ``update`` (or none: the object cannot change),
    ``delete``, ``view``, and may guard the writes (``before_change``, e.g. a lockout guard, raising TaskError).
    """

    @property
    def state(self) -> str:
        return str(self.params.get("state") or "present")

    def find(self) -> Optional[dict]:
        raise NotImplementedError

    def desired(self, current: Optional[dict]) -> dict:
        """The whole object the task asks for (for ``present``): ``current`` with the task's fields over it."""
        raise NotImplementedError

    def differs(self, current: dict, desired: dict) -> bool:
        return False

    def create(self, desired: dict) -> dict:
        raise NotImplementedError

    def update(self, current: dict, desired: dict) -> dict:
        raise TaskError("%s cannot be changed in place" % self.key)

    def delete(self, current: dict) -> None:
        raise NotImplementedError

    def before_change(self, current: Optional[dict], desired: Optional[dict]) -> None:
        """Called before any change (in check mode too, so that a plan never shows what the run would refuse)."""

    def apply(self) -> dict:
        current = self.find()
        if self.state == "absent":
            if current is None:
                return self.result(False, None, None, None)
            self.before_change(current, None)
            if not self.check_mode:
                self.delete(current)
            return self.result(True, self.view(current), None, None)
        desired = self.desired(current)
        if current is None:
            self.before_change(None, desired)
            obj = desired if self.check_mode else self.create(desired)
            return self.result(True, None, self.view(obj), obj)
        if not self.differs(current, desired):
            shown = self.view(current)
            return self.result(False, shown, shown, current)
        self.before_change(current, desired)
        obj = desired if self.check_mode else self.update(current, desired)
        return self.result(True, self.view(current), self.view(obj), obj)


class BatchTask(Task):
    """Several objects of one kind brought to one state by batched writes; those already there are no change.

    A subclass gives ``targets`` (the objects the task is about, all found), ``label``, ``pending`` (still to
    change), ``changed`` (an object as the change makes it), ``write`` (the batched writes; returns the answered
    objects by label), ``view``, and ``done_key``, the result's list of the changed labels.
    """

    done_key = "changed_labels"  # never "changed": the result's boolean

    def targets(self) -> list:
        raise NotImplementedError

    def label(self, obj: dict) -> Any:
        raise NotImplementedError

    def pending(self, obj: dict) -> bool:
        raise NotImplementedError

    def changed(self, obj: dict) -> dict:
        raise NotImplementedError

    def write(self, objs: list) -> dict:
        raise NotImplementedError

    def returned(self, obj: dict) -> dict:
        """An object as the result lists it under ``key``: its ``view``, unless the subclass returns more."""
        return self.view(obj)

    def apply(self) -> dict:
        targets = self.targets()
        pending = [obj for obj in targets if self.pending(obj)]
        answered = self.write(pending) if pending and not self.check_mode else {}
        labels = {self.label(obj) for obj in pending}
        now = []
        for obj in targets:
            label = self.label(obj)
            now.append(dict(self.changed(obj), **answered.get(label, {})) if label in labels else obj)
        before = {str(self.label(obj)): self.view(obj) for obj in targets}
        after = {str(self.label(obj)): self.view(obj) for obj in now}
        self.extra[self.done_key] = [self.label(obj) for obj in pending]
        return self.result(bool(pending), before, after, [self.returned(obj) for obj in now])
