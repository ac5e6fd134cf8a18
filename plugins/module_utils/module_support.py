# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers every module uses: library checks and turning API errors into failures."""

from __future__ import annotations

import importlib
import traceback
from typing import Any, Callable, Optional

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.dataops.iam.plugins.module_utils.http import HAS_HTTPX, HTTPX_IMPORT_ERROR, PIP_HINT


def require_libraries(module: Any, pydantic: bool = False) -> None:
    """Fail with the pip command when httpx (or, with ``pydantic=True``, pydantic) is not importable.

    Only the modules that read answers through module_utils/cdf/models.py ask for pydantic; the others (group
    above all) never import it, not even here.
    """
    if not HAS_HTTPX:
        module.fail_json(
            msg=missing_required_lib("httpx") + " Install the collection's requirements: " + PIP_HINT,
            exception=HTTPX_IMPORT_ERROR,
        )
    if pydantic:
        try:
            importlib.import_module("pydantic")  # already imported (or tried) by models.py: a dictionary look-up
        except ImportError:
            module.fail_json(
                msg=missing_required_lib("pydantic") + " Install the collection's requirements: " + PIP_HINT,
                exception=traceback.format_exc(),
            )


def fail_api_error(module: Any, error: Any, doing: str, **extra: Any) -> None:
    """fail_json for an ApiError, saying what the module was doing when it happened."""
    result = error.to_result()
    result.update(extra)
    module.fail_json(msg="%s failed: %s" % (doing, error), **result)


#: The options that name what a module works on, in the order they are looked for.
SUBJECT_OPTIONS = ("name", "login", "username", "group", "principal", "email", "id", "search")


def run_guarded(module: Any, body: Callable[[], Any], subject: Optional[str] = None) -> None:
    """Run the module's ``body``; an exception of the module's own code becomes ``fail_json``, never a traceback.

    ``exit_json`` and ``fail_json`` end a run with SystemExit (AnsibleModule) or ModuleExit, a SystemExit too (the
    in-worker runs), which pass through. Anything else fails the task with the error's type and message and what the
    module was working on (``subject``, else the first of ``SUBJECT_OPTIONS`` the task sets); the traceback goes to
    ``exception`` (shown with -vvv), never into ``msg``.
    """
    try:
        body()
    except Exception as exc:  # the last resort: every error the module expects is handled where it happens
        module.fail_json(msg=unexpected_failure_message(module, exc, subject), exception=traceback.format_exc())


def run_main(main: Callable[[], Any]) -> None:
    """A module's ``main()`` under the last-resort handler of ``run_guarded``.

    The module object is the one ``main`` made: found in the failing call's frames (the AnsibleModule, so that
    fail_json masks the task's no_log values). An exception raised before it exists is not the module's work on a
    task (AnsibleModule itself failed, or ansible-test's import check stopped it on purpose): it propagates.
    """
    try:
        main()
    except Exception as exc:
        module = _module_in(exc.__traceback__)
        if module is None:
            raise
        message = unexpected_failure_message(module, exc, fallback_name=getattr(main, "__module__", ""))
        module.fail_json(msg=message, exception=traceback.format_exc())


def _module_in(tb: Any) -> Any:
    """The outermost module object (an object with ``fail_json`` and ``params``) in the frames of ``tb``."""
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if not isinstance(value, type) and callable(getattr(value, "fail_json", None)) and hasattr(value, "params"):
                return value
        tb = tb.tb_next
    return None


def unexpected_failure_message(
    module: Any, exc: BaseException, subject: Optional[str] = None, fallback_name: str = ""
) -> str:
    """``<module> failed unexpectedly: <Type>: <message> (while working on <object>)``, one line."""
    name = module_name(module, fallback_name)
    text = " ".join(str(exc).split()) or "(no message)"
    where = subject or working_on(getattr(module, "params", None) or {})
    return "%s failed unexpectedly: %s: %s%s. This is a bug in dataops.iam; please report it with the output of -vvv" % (
        name,
        type(exc).__name__,
        text,
        " (while working on %s)" % where if where else "",
    )


def module_name(module: Any, fallback: str = "") -> str:
    """The module's short name: from the task (``_ansible_module_name``), else ``fallback`` (a Python module path)."""
    for candidate in (str(getattr(module, "_name", "") or ""), fallback or ""):
        if candidate and not candidate.endswith(".py") and candidate != "__main__":
            return candidate.rpartition(".")[2]
    return "the module"


def working_on(params: dict) -> str:
    """What the task names, e.g. ``name='admins'``; empty when it names nothing."""
    for option in SUBJECT_OPTIONS:
        value = params.get(option)
        if value not in (None, "", [], {}):
            return "%s=%r" % (option, value)
    return ""
