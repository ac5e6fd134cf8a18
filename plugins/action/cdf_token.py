# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""dataops.iam.cdf_token: the module's code, run in Ansible's worker when the task runs on the controller.

Its result carries a secret: a successful result (from the worker or from the module) is hidden from the output
as ``no_log: true`` would hide it; the registered variable keeps the token. See plugin_utils/in_worker.py for when the worker runs the code.
"""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.cdf_token import module_kwargs, run_module
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import InWorkerAction


class ActionModule(InWorkerAction):
    def module_kwargs(self) -> dict:
        return module_kwargs()

    def run_module(self, module: Any) -> None:
        run_module(module)

    def run(self, tmp: Any = None, task_vars: Optional[dict] = None) -> dict:
        result = super().run(tmp, task_vars)
        if result.get("token") and not result.get("failed"):
            result["_ansible_no_log"] = True
        return result
