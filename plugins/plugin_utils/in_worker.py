# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module of this collection inside Ansible's worker process when its task runs on the controller.

The collection's modules talk to HTTP APIs and run on the controller (``connection: local``). Run as modules,
each task pays for a new Python interpreter, ``AnsibleModule`` and the module's imports, and for building and
writing the module's AnsiballZ payload: about as much as an ``ansible.builtin.ping`` task, several times the cost
of the API calls themselves. An action plugin with the module's name can run the same module_utils code in the
worker that already runs the task (as some API collections do): no module transfer, no new interpreter.

``InWorkerAction`` does that with the same inputs and outputs as the module run:

* the task's arguments (after ``module_defaults``, which Ansible applies before any action runs) go through
  the JSON encoding a module gets, and are validated by the module's own argument spec with
  ``ModuleArgumentSpecValidator``, the validator ``AnsibleModule`` uses (defaults, types, environment
  fallbacks with the task's ``environment``, mutually exclusive options, the same error messages);
* check mode and diff mode come from the task, as ``_ansible_check_mode`` / ``_ansible_diff`` would;
* ``WorkerModule`` gives the module code the part of ``AnsibleModule`` it uses (``params``, ``check_mode``,
  ``_diff``, ``warn``, ``exit_json``, ``fail_json``); the result is formatted as ``AnsibleModule`` formats it
  (``invocation``, warnings, values of ``no_log`` options masked everywhere) and goes through the JSON a
  module result goes through.

It falls back to running the module the usual way whenever the two could differ: a connection other than
``local``, ``become``, ``async``, a controller Python without httpx, or the variable
``dataops_iam_in_worker: false``.

``WorkerModule.shared`` (the module's ``worker_cache``) lives as long as the worker process, that is one task on
one host with all its loop items: the CDF client keeps the tokens it fetched there, so a loop fetches one token,
not one per item, and the ``group`` module the project's group list (see group_state.py). On
import (which ansible-playbook does before it forks the workers), the default TLS context is made once, so
that each task's worker does not load the CA bundle again.
"""

from __future__ import annotations

import json
import os
import typing as t
from contextlib import contextmanager

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

try:  # ansible-core >= 2.19: the JSON profiles that module arguments and results are sent with
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
except ImportError:  # ansible-core < 2.19: plain JSON both ways
    Direction = get_module_decoder = get_module_encoder = None


from ansible_collections.dataops.iam.plugins.module_utils.http import HAS_HTTPX, warm_up
from ansible_collections.dataops.iam.plugins.module_utils.module_support import run_guarded

IN_WORKER_VAR = "dataops_iam_in_worker"
PROFILE = "legacy"  # the serialization profile of Python modules


class ModuleExit(SystemExit):
    """Raised by ``WorkerModule.exit_json`` / ``fail_json``: the end of the module run, with its result.

    A SystemExit, as AnsibleModule's exits are: ``except Exception`` in module code (module_support.run_guarded,
    the last-resort handler) never takes it for an error."""

    def __init__(self, result: dict) -> None:
        super().__init__(1 if result.get("failed") else 0)
        self.result = result


class WorkerModule:
    """The part of ``AnsibleModule`` the collection's module code uses, for a run in the worker."""

    shared: dict = {}

    def __init__(
        self,
        name: str,
        params: dict,
        no_log_values: set,
        *,
        check_mode: bool,
        diff: bool,
        invocation: bool = True,
        worker_cache: t.Optional[dict] = None,
    ) -> None:
        self._name = name
        self.params = params
        self.no_log_values = no_log_values
        self.check_mode = check_mode
        self._diff = diff
        self._invocation = invocation
        self._warnings: list = []
        self.worker_cache = WorkerModule.shared if worker_cache is None else worker_cache

    def warn(self, warning: str) -> None:
        self._warnings.append(str(warning))

    def exit_json(self, **kwargs: t.Any) -> t.NoReturn:
        raise ModuleExit(self._formatted(kwargs))

    def fail_json(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        # A traceback string (``exception``) is for a library missing from the module's Python; the worker only
        # runs modules when the controller has the libraries, so there is none to show.
        kwargs.pop("exception", None)
        kwargs.update(failed=True, msg=str(msg))
        raise ModuleExit(self._formatted(kwargs))

    def _formatted(self, kwargs: dict) -> dict:
        """As ``AnsibleModule._return_formatted``: invocation, warnings, no_log values masked (not None/booleans)."""
        if self._invocation:
            kwargs.setdefault("invocation", {"module_args": self.params})
        else:  # ansible-core >= 2.21 leaves it out unless INJECT_INVOCATION is set
            kwargs.pop("invocation", None)
        if self._warnings:
            kwargs["warnings"] = list(self._warnings)
        preserved = {key: value for key, value in kwargs.items() if value is None or isinstance(value, bool)}
        kwargs = remove_values(kwargs, self.no_log_values)
        kwargs.update(preserved)
        return kwargs


def _through_json(value: t.Any, to_module: bool) -> t.Any:
    """``value`` as the other side of a module run reads it: the same JSON encoding and decoding, the same types."""
    if get_module_encoder is None:
        return json.loads(json.dumps(value, cls=AnsibleJSONEncoder))
    direction = Direction.CONTROLLER_TO_MODULE if to_module else Direction.MODULE_TO_CONTROLLER
    encoded = json.dumps(value, cls=get_module_encoder(PROFILE, direction))
    return json.loads(encoded, cls=get_module_decoder(PROFILE, direction))


def as_module_task_result(result: dict) -> dict:
    """``result`` marked as a parsed module result, as ActionBase._execute_module marks one.

    Only public interfaces, so one difference remains: ansible-core 2.19+ shows a failure of a module process as
    "Module failed: <msg>" and this one as "Action failed: <msg>" (the message is the same; telling the two apart
    needs ansible-core internals).
    """
    result["_ansible_parsed"] = True
    return result


@contextmanager
def _environment(extra: dict) -> t.Iterator[None]:
    """The task's ``environment`` in ``os.environ`` during the run, as a module process would have it (for the
    options' environment fallbacks, and httpx's proxy and CA bundle variables)."""
    saved = {key: os.environ.get(key) for key in extra}
    os.environ.update({str(key): str(value) for key, value in extra.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class InWorkerAction(ActionBase):
    """Base of an action plugin that runs its module's code in the worker; see the module docstring."""

    _supports_check_mode = True
    _supports_async = True

    def module_kwargs(self) -> dict:
        """The module's AnsibleModule keyword arguments (argument_spec, mutually_exclusive, ...)."""
        raise NotImplementedError

    def run_module(self, module: WorkerModule) -> None:
        """The module's run: ends by raising ModuleExit through ``module.exit_json`` or ``module.fail_json``."""
        raise NotImplementedError

    def run(self, tmp: t.Any = None, task_vars: t.Optional[dict] = None) -> dict:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        if not self._runs_in_worker(task_vars):
            wrap_async = bool(self._task.async_val and not self._connection.has_native_async)
            result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        result.update(self._run_in_worker(task_vars))
        return result

    def _runs_in_worker(self, task_vars: dict) -> bool:
        if not HAS_HTTPX or self._task.async_val or self._play_context.become:
            return False
        if getattr(self._connection, "transport", None) != "local":
            return False
        wanted = task_vars.get(IN_WORKER_VAR, True)
        return boolean(self._templar.template(wanted), strict=False)

    def _run_in_worker(self, task_vars: dict) -> dict:
        # The internal arguments a module run would get (_ansible_check_mode, _ansible_diff, and since
        # ansible-core 2.21 _ansible_inject_invocation): what this ansible-core tells its modules, read the same way.
        internal: dict = {}
        self._update_module_args(self._task.action, internal, task_vars)
        environment: dict = {}
        self._compute_environment_string(environment)
        with _environment(environment):
            result = self._run_module_code(internal)
        return as_module_task_result(result)

    def _run_module_code(self, internal: dict) -> dict:
        name = self._task.action
        kwargs = self.module_kwargs()
        args = _through_json(dict(self._task.args), to_module=True)
        validator = ModuleArgumentSpecValidator(
            kwargs["argument_spec"],
            kwargs.get("mutually_exclusive"),
            kwargs.get("required_together"),
            kwargs.get("required_one_of"),
            kwargs.get("required_if"),
            kwargs.get("required_by"),
        )
        validation = validator.validate(args)
        args.update(validation.validated_parameters)
        module = WorkerModule(
            name,
            args,
            set(validation._no_log_values),
            check_mode=boolean(internal.get("_ansible_check_mode", False)),
            diff=boolean(internal.get("_ansible_diff", False)),
            invocation=boolean(internal.get("_ansible_inject_invocation", True)),
            # A task that retries until something changes must see each attempt afresh: no shared cache.
            worker_cache={} if self._task.until else None,
        )
        try:
            if validation.errors.errors:
                message = validation.errors.msg
                if isinstance(validation.errors[0], UnsupportedError):
                    message = "Unsupported parameters for (%s) module: %s" % (name, message)
                module.fail_json(msg=message)
            if module.check_mode and not kwargs.get("supports_check_mode"):
                module.exit_json(skipped=True, msg="remote module (%s) does not support check mode" % name)
            run_guarded(module, lambda: self.run_module(module))
        except ModuleExit as done:
            return _through_json(done.result, to_module=False)
        return {"failed": True, "msg": "module %s ended without a result" % name}  # pragma: no cover


# ansible-playbook imports this (with the action plugins) before it forks the worker of each task.
warm_up()
