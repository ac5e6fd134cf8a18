# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module of this collection inside Ansible's worker process when its task runs on the controller.

Every module of the collection is a definition (``MODULE``, module_utils/runtime.py) whose code is
``run(module, client)``. Every module has an action of its name (plugins/action/<module>.py), a declaration of one
line: ``InWorkerAction`` with the module's ``MODULE``. This class is the one action code: it runs the definition's
one flow here, or runs the module as usual when it must (see below).

Why an action file per module, not one action routed to from meta/runtime.yml: ansible-playbook's strategy loads
a task's action plugin by the task's name before it forks the task's worker, so an action of the module's name,
with the module's definition, httpx and the TLS context, is imported once per run; a module routed to a shared
action (``action_plugin`` in meta/runtime.yml) loads nothing before the fork and pays those imports in every task
(measured: 0.55x an ``ansible.builtin.ping`` task against 0.16x), and an action ``redirect`` makes the task's
resolved action the shared one, so that ``module_defaults`` groups no longer match. ansible-test's
action-plugin-docs check, too, wants a module for each action.

The collection's modules talk to HTTP APIs and run on the controller (``connection: local``). Run as modules,
each task pays for a new Python interpreter, ``AnsibleModule`` and the module's imports, and for building and
writing the module's AnsiballZ payload: about as much as an ``ansible.builtin.ping`` task, several times the cost
of the API calls themselves. An action plugin with the module's name can run the same module_utils code in the
worker that already runs the task (as some API collections do): no module transfer, no new interpreter.

``InWorkerAction`` does that with the same inputs and outputs as the module run:

* the task's arguments (after ``module_defaults``, which Ansible applies before any action runs) go through
  the JSON encoding a module gets, and are validated by the module's own argument spec with
  ``ModuleArgumentSpecValidator``, the public validator ``AnsibleModule`` uses (defaults, types, environment
  fallbacks with the task's ``environment``, mutually exclusive options, the same error messages); the values to
  mask are those of the spec's ``no_log`` options and sub-options, found as AnsibleModule finds them
  (``no_log_values``; a unit test holds it to the validator's own list);
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
not one per item, and the ``group`` module the project's group list. That list is the one difference of meaning
between the two paths, documented (getting_started.rst) and tested: the items of a ``group`` loop in the worker
see the list the first item read (with the loop's own writes), up to 60 s old, where module processes each read
it again. A task with ``until`` gets no shared cache (each attempt reads afresh).

On import (in the parent ansible-playbook process, see above), the default TLS context is made once, so that
each task's worker does not load the CA bundle again.

Internal to the collection: not a public API.
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


from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import masked_url_options
from ansible_collections.dataops.iam.plugins.module_utils.http import HAS_HTTPX, warm_up

IN_WORKER_VAR = "dataops_iam_in_worker"
PROFILE = "legacy"  # the serialization profile of Python modules


class ModuleExit(SystemExit):
    """Raised by ``WorkerModule.exit_json`` / ``fail_json``: the end of the module run, with its result.

    A SystemExit, as AnsibleModule's exits are: ``except Exception`` in module code (runtime.ModuleDefinition.execute,
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
        # A traceback string (``exception``) is for a library missing from the module's Python or a bug of the
        # module's code; the message says which, and the worker's own traceback display is Ansible's.
        kwargs.pop("exception", None)

        kwargs.update(failed=True, msg=str(msg))
        self.params = masked_url_options(self.params)  # a URL's user:password@ never shows (connection_checks.py)
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


def validate(kwargs: dict, args: dict) -> t.Any:
    """``args`` validated as AnsibleModule(**kwargs) validates a task's arguments (the public validator it uses)."""
    validator = ModuleArgumentSpecValidator(
        kwargs["argument_spec"],
        kwargs.get("mutually_exclusive"),
        kwargs.get("required_together"),
        kwargs.get("required_one_of"),
        kwargs.get("required_if"),
        kwargs.get("required_by"),
    )
    return validator.validate(args)


def no_log_values(spec: dict, params: t.Any) -> set:
    """The values AnsibleModule masks in a result: those of every ``no_log`` option and sub-option of ``spec`` in
    the validated ``params``, as strings (the values inside a list or dict one, too)."""
    found: set = set()
    if not isinstance(params, dict):
        return found
    for name, option in spec.items():
        value = params.get(name)
        if option.get("no_log") and value:
            found.update(_scalars(value))
        if option.get("options") and value is not None:
            for item in value if isinstance(value, list) else [value]:
                found.update(no_log_values(option["options"], item))
    return found


def _scalars(value: t.Any) -> t.Iterator[str]:
    """The strings of every scalar in ``value`` (booleans and None are never secrets)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _scalars(item)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _scalars(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


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
    """The action of every module of the collection (its subclass names the module's ``definition``); see the
    module docstring."""

    #: The module's runtime definition (``MODULE`` of plugins/modules/<name>.py).
    definition: t.Any = None
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp: t.Any = None, task_vars: t.Optional[dict] = None) -> dict:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        definition = self.definition
        if not self._runs_in_worker(task_vars):
            wrap_async = bool(self._task.async_val and not self._connection.has_native_async)
            result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        else:
            result.update(self._run_in_worker(definition, task_vars))
        if definition.carries_secret(result):
            # A result that carries a secret (cdf_token's token, a new session's nonce, a new Postgres-gateway
            # user's password) is hidden as no_log hides one, on both paths; the registered variable keeps it.
            result["_ansible_no_log"] = True
        return result

    def _runs_in_worker(self, task_vars: dict) -> bool:
        if not HAS_HTTPX or self._task.async_val or self._play_context.become:
            return False
        if getattr(self._connection, "transport", None) != "local":
            return False
        wanted = task_vars.get(IN_WORKER_VAR, True)
        return boolean(self._templar.template(wanted), strict=False)

    def _run_in_worker(self, definition: t.Any, task_vars: dict) -> dict:
        # The internal arguments a module run would get (_ansible_check_mode, _ansible_diff, and since
        # ansible-core 2.21 _ansible_inject_invocation): what this ansible-core tells its modules, read the same way.
        internal: dict = {}
        self._update_module_args(self._task.action, internal, task_vars)
        environment: dict = {}
        self._compute_environment_string(environment)
        with _environment(environment):
            result = self._run_module_code(definition, internal)
        return as_module_task_result(result)

    def _run_module_code(self, definition: t.Any, internal: dict) -> dict:
        name = self._task.action
        kwargs = definition.module_kwargs()
        args = _through_json(dict(self._task.args), to_module=True)
        validation = validate(kwargs, args)
        args.update(validation.validated_parameters)
        module = WorkerModule(
            name,
            args,
            no_log_values(kwargs["argument_spec"], args),
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
            definition.execute(module)
        except ModuleExit as done:
            return _through_json(done.result, to_module=False)
        return {"failed": True, "msg": "module %s ended without a result" % name}  # pragma: no cover


# ansible-playbook imports this (with the action plugins) before it forks the worker of each task.
warm_up()
