# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moved to module_utils/auth_api/login_sessions.py (the auth API has its own client); kept for old imports."""

from __future__ import annotations

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.login_sessions import (  # noqa: F401
    DEFAULT_AUTH_URL,
    MAX_PAGE_SIZE,
    ORG_PATTERN,
    REVOKE_BATCH,
    STATUSES,
    LoginSessions,
    login_session_view,
    next_cursor,
    target_problems,
)
