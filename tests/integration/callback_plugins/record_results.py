# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result as one JSON line to $RECORD_RESULTS_FILE."""

from __future__ import annotations

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Record task results as JSON lines (dataops.iam tests only)
description:
  - Writes one JSON object per task result to the file named by E(RECORD_RESULTS_FILE).
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os

from ansible.plugins.callback import CallbackBase

try:  # ansible-core >= 2.19: "tagless" writes plain values ("legacy" wraps strings as {"__ansible_unsafe": ...})
    from ansible.module_utils.common.json import get_encoder

    ENCODER = get_encoder("tagless")
except ImportError:  # older ansible-core
    from ansible.module_utils.common.json import AnsibleJSONEncoder as ENCODER


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("RECORD_RESULTS_FILE")

    def _record(self, result, status):
        if not self._path:
            return
        entry = {
            "task": result.task_name,
            "action": result._task.action,
            "host": result._host.get_name(),
            "status": status,
            "no_log": bool(result._task.no_log),
            "result": result._result,
        }
        with open(self._path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, cls=ENCODER) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")
