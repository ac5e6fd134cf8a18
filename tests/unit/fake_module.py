"""The one fake module of the unit tests: the worker's own stand-in for AnsibleModule, with validated params.

``make_module(definition, args)`` validates ``args`` with the module's real argument spec (defaults, types,
aliases), as a task would be, and gives the object the module code gets; ``execute(definition, module)`` runs the
definition's one flow (runtime.py) and returns the result, failed or not.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import (
    ModuleExit,
    WorkerModule,
    no_log_values,
    validate,
)


def make_module(
    definition: Any, args: Optional[dict] = None, *, check_mode: bool = False, diff: bool = False,
    worker_cache: Optional[dict] = None, name: str = "test",
) -> WorkerModule:
    """A module object for ``definition`` (a runtime.ModuleDefinition, e.g. ``MODULE`` of a module file) and the
    task's ``args``; raises AssertionError when the arguments do not validate."""
    kwargs = definition.module_kwargs()
    validation = validate(kwargs, dict(args or {}))
    assert not validation.errors.errors, validation.errors.msg
    params = validation.validated_parameters
    return WorkerModule(
        name, params, no_log_values(kwargs["argument_spec"], params), check_mode=check_mode, diff=diff,
        worker_cache={} if worker_cache is None else worker_cache,
    )


def execute(definition: Any, module: WorkerModule) -> dict:
    """The result of the definition's one flow on ``module`` (``failed: true`` and ``msg`` when it failed)."""
    try:
        definition.execute(module)
    except ModuleExit as done:
        return done.result
    raise AssertionError("the module ended without exit_json or fail_json")
