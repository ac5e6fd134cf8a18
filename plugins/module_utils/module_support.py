# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers every module uses: library checks and turning API errors into failures."""

from __future__ import annotations

import importlib
import traceback
from typing import Any

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
