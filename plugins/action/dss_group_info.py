# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of dataops.iam.dss_group_info: its module's code in Ansible's worker (see plugins/plugin_utils/in_worker.py)."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.modules.dss_group_info import MODULE
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import InWorkerAction


class ActionModule(InWorkerAction):
    definition = MODULE
