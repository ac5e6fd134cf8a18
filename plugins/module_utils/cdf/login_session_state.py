# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moved to module_utils/auth_api/login_session_state.py; kept for old imports."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_session_state import (  # noqa: F401
    RevokeTask,
    UnknownLoginSessions,
)
