# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module runtime: every module is a definition (its options) plus ``run(module, client)``; one flow runs it.

Internal to the collection. ``CdfModule``, ``AuthApiModule`` and ``DssModule`` each know their service: the doc
fragment's options merged into the module's own, the libraries it needs, how its client is made, and how a
failure of its connection options reads. ``ModuleDefinition.execute`` is the one flow, the same in a module
process (``main``) and in Ansible's worker (plugins/action/<module>.py, plugins/plugin_utils/in_worker.py):

1. the libraries (httpx; pydantic for the modules that read answers through models.py), first, as AnsibleModule
   based modules check theirs: the pip command is the first thing to fix;
2. the task's own problems (``problems(params)``), then its connection options': one failure naming each, before
   any call;
3. the client, made for check mode when the task runs in check mode: it refuses every write (http.ApiClient);
4. ``run(module, client)`` returns the result. A ``TaskError`` fails the task with its message; an ApiError with
   what the task was doing (``doing``), ``changed`` from the client's one record of writes and what the task had
   done (``ApiError.partial``); any other exception is a bug, failed in one clear line, never a traceback;
5. the client is closed.

The shared code below the modules never calls ``fail_json``: it raises, and this flow fails the task once.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable, Optional, Union

from ansible_collections.dataops.iam.plugins.module_utils.connection_checks import (
    masked_url_options,
    url_option_problems,
)
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import strict_spec
from ansible_collections.dataops.iam.plugins.module_utils.module_support import (
    brief_params,
    library_problem,
    unexpected_failure_message,
)
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

Params = dict
Run = Callable[[Any, Any], dict]


class ModuleDefinition:
    """A module of the collection: its own options and ``run``; the service's part is the subclass's."""

    #: The doc fragment's options and rules, the message prefix of their problems (set by each service).
    connection_prefix = "Connection options are incomplete or invalid: "
    #: Whether the task's own problems and its connection options' fail together, under ``invalid``.
    problems_together = False

    def __init__(
        self,
        options: dict,
        run: Run,
        *,
        doing: Union[str, Callable[[Params], str]],
        problems: Optional[Callable[[Params], list]] = None,
        invalid: Union[str, Callable[[Params], str]] = "Invalid options",
        pydantic: bool = False,
        mutually_exclusive: Optional[list] = None,
        required_if: Optional[list] = None,
        required_one_of: Optional[list] = None,
        required_together: Optional[list] = None,
        supports_check_mode: bool = True,
        secret_result: Optional[str] = None,
    ) -> None:
        """``doing``: what the task does, for the message of a failed call ("Managing group {name!r}": formatted
        with the params, or a function of them); ``invalid``: the prefix of the message of the task's own
        ``problems``; ``pydantic``: the module reads answers through models.py; ``secret_result``: where the result
        holds a secret, a key or a dotted path (``"token"``, ``"session.nonce"``): the action hides a successful
        result that carries one from the output, as no_log would (see ``carries_secret``)."""
        self.options = options
        self.run = run
        self.doing = doing
        self.problems = problems
        self.invalid = invalid
        self.pydantic = pydantic
        self.rules = dict(
            mutually_exclusive=list(mutually_exclusive or []),
            required_if=required_if,
            required_one_of=required_one_of,
            required_together=required_together,
        )
        self.supports_check_mode = supports_check_mode
        self.secret_result = secret_result

    def carries_secret(self, result: dict) -> bool:
        """Whether ``result`` is a success that holds the secret at ``secret_result`` (a failure never does: it
        stays readable, and so does every result without the secret, e.g. in check mode)."""
        if not self.secret_result or result.get("failed"):
            return False
        value: Any = result
        for key in self.secret_result.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return bool(value)

    # -- the service's part ----------------------------------------------------------------------
    def connection_spec(self) -> dict:
        """The options of the service's doc fragment."""
        return {}

    def connection_rules(self) -> dict:
        """The doc fragment's own rules (e.g. mutually exclusive options), merged with the module's."""
        return {}

    def connection_problems(self, params: Params) -> list:
        return []

    def client(self, module: Any) -> Any:
        """The service's client for the task, read-only in check mode."""
        raise NotImplementedError

    # -- the definition ---------------------------------------------------------------------------
    def argument_spec(self) -> dict:
        """The doc fragment's options and the module's own; a list or mapping given to a string option is refused
        (input_checks.strict_spec), for every module."""
        spec = self.connection_spec()
        spec.update(self.options)
        return strict_spec(spec)

    def module_kwargs(self) -> dict:
        """The keyword arguments of AnsibleModule (the worker validates the task's arguments with them too)."""
        kwargs: dict = dict(argument_spec=self.argument_spec(), supports_check_mode=self.supports_check_mode)
        for name, rules in self.rules.items():
            merged = list(self.connection_rules().get(name) or []) + list(rules or [])
            if merged:
                kwargs[name] = merged
        return kwargs

    def main(self) -> None:
        """The module process: AnsibleModule validates the task's arguments, then the one flow."""
        self.execute(url_masking_module()(**self.module_kwargs()))

    def execute(self, module: Any) -> None:
        """The one flow (see the module docstring); ends with ``exit_json`` or ``fail_json``."""
        params = module.params
        missing = library_problem(self.pydantic)
        if missing:
            module.fail_json(msg=missing[0], exception=missing[1])
        self.fail_on_problems(module)
        client = None
        try:
            client = self.client(module)
            result = self.run(module, client)
        except TaskError as exc:
            fields = dict(exc.result)
            fields.setdefault("changed", bool(client is not None and client.may_have_written))
            module.fail_json(msg=exc.msg, **fields)
        except ApiError as exc:
            fields = exc.to_result()
            fields["changed"] = bool(client is not None and client.may_have_written)
            fields.update(exc.partial)
            doing = self.doing(params) if callable(self.doing) else self.doing.format(**brief_params(params))
            module.fail_json(msg="%s failed: %s" % (doing, exc), **fields)
        except Exception as exc:  # the last resort: every error the module expects is handled where it happens
            module.fail_json(msg=unexpected_failure_message(module, exc), exception=traceback.format_exc())
        finally:
            if client is not None:
                client.close()
        module.exit_json(**result)

    def fail_on_problems(self, module: Any) -> None:
        """Fail, before any call, on a URL option with credentials in it (connection_checks.url_option_problems),
        then on the task's own problems, then on those of its connection options."""
        params = module.params
        refused = url_option_problems(params, self.argument_spec())
        if refused:  # first; fail_json masks them in the invocation (WorkerModule, url_masking_module)
            module.fail_json(msg=self.connection_prefix + "; ".join(refused))
        own = list(self.problems(params)) if self.problems else []
        connection = self.connection_problems(params)
        if self.problems_together:
            own, connection = list(dict.fromkeys(own + connection)), []
        if own:
            prefix = self.invalid(params) if callable(self.invalid) else self.invalid.format(**brief_params(params))
            module.fail_json(msg="%s: %s" % (prefix, "; ".join(own)))
        if connection:
            module.fail_json(msg=self.connection_prefix + "; ".join(connection))


def url_masking_module() -> type:
    """``AnsibleModule`` whose failures show a URL option's credentials masked, as the worker's ``WorkerModule``
    does: a failure's ``invocation`` echoes the options, also when AnsibleModule's own validation fails (such a URL
    is always refused, by ``fail_on_problems``, so nothing else ever reads it)."""
    from ansible.module_utils.basic import AnsibleModule

    class UrlMaskingModule(AnsibleModule):
        params: dict

        def fail_json(self, msg: str, **kwargs: Any) -> Any:
            self.params = masked_url_options(self.params)
            return super().fail_json(msg, **kwargs)

    return UrlMaskingModule


def worker_cache(module: Any, name: str) -> Optional[dict]:
    """A dict kept across the runs of one Ansible worker (the items of one loop), or None in a module process.

    The worker's stand-in for AnsibleModule (plugins/plugin_utils/in_worker.py) has a ``worker_cache``.
    """
    cache = getattr(module, "worker_cache", None)
    return None if cache is None else cache.setdefault(name, {})
