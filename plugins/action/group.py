# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""dataops.iam.group: the module's code, run in Ansible's worker when the task runs on the controller.

The module (plugins/modules/group.py, with the documentation) and this action run the same code,
``module_kwargs`` and ``run_module`` of module_utils/cdf/group_state.py; see plugin_utils/in_worker.py for
when the worker runs it and when the module does.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_state import module_kwargs, run_module
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import InWorkerAction


class ActionModule(InWorkerAction):
    def module_kwargs(self) -> dict:
        return module_kwargs()

    def run_module(self, module: Any) -> None:
        run_module(module)
