# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: when each task started and how it ended, as JSON lines in $TASK_TIMES_FILE."""

from __future__ import annotations

DOCUMENTATION = r"""
name: task_times
type: aggregate
short_description: Record when each task started and whether it changed anything (dataops.iam benchmarks only)
description:
  - Writes one JSON object per task start and per task result to the file named by E(TASK_TIMES_FILE).
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("TASK_TIMES_FILE")

    def _write(self, entry):
        if self._path:
            with open(self._path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._write({"event": "start", "task": task.get_name(), "time": time.time()})

    def v2_runner_on_ok(self, result):
        self._write({"event": "end", "task": result.task_name, "changed": bool(result._result.get("changed"))})

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write({"event": "end", "task": result.task_name, "failed": True})
