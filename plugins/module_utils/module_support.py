# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runtime's helpers (runtime.py): the library check and the message of an unexpected failure. Internal to the
collection."""

from __future__ import annotations

import importlib
import traceback
from typing import Any, Optional

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.dataops.iam.plugins.module_utils.http import HAS_HTTPX, HTTPX_IMPORT_ERROR, PIP_HINT
from ansible_collections.dataops.iam.plugins.module_utils.input_checks import SHOWN_MAX, shown


def library_problem(pydantic: bool = False) -> Optional[tuple]:
    """``(message, traceback)`` when httpx (or, with ``pydantic=True``, pydantic) is not importable, else None.

    Only the modules that read answers through module_utils/cdf/models.py ask for pydantic; the others (group
    above all) never import it, not even here.
    """
    if not HAS_HTTPX:
        return missing_required_lib("httpx") + " Install the collection's requirements: " + PIP_HINT, HTTPX_IMPORT_ERROR
    if pydantic:
        try:
            importlib.import_module("pydantic")  # already imported (or tried) by models.py: a dictionary look-up
        except ImportError:
            return (missing_required_lib("pydantic") + " Install the collection's requirements: " + PIP_HINT,
                    traceback.format_exc())
    return None


#: The options that name what a module works on, in the order they are looked for.
SUBJECT_OPTIONS = ("name", "login", "username", "group", "principal", "email", "id", "search")


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
            return "%s=%s" % (option, shown(value))
    return ""


def brief_params(params: dict) -> dict:
    """``params`` for a message's ``{name!r}``: a string longer than ``SHOWN_MAX`` cut there, marked with ``...``
    (the message of a 1 MB name names it, but does not hold it)."""
    return {
        key: value[:SHOWN_MAX] + "..." if isinstance(value, str) and len(value) > SHOWN_MAX else value
        for key, value in params.items()
    }
