# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users' activity and the dormant-account filter of ``dss_user_info``.

DSS keeps, per user, the last successful login, the last failed login and the last session activity (the last time
the user had DSS open in a browser tab), as milliseconds since the epoch (dataiku-api-client 15.2
``DSSUserActivity``). A value that is missing, null, zero or negative means "never": dataikuapi's
``_timestamp_ms_to_zoned_datetime`` reads only values above zero.

A user is *dormant* after ``inactive_days`` when it is enabled and its last activity (the later of the last
successful login and the last session activity) is more than that many days ago; a user who was never active counts
from its creation date, so an account created yesterday and not yet used is not dormant. A failed login is not
activity. A user with neither activity nor a creation date is dormant (nothing shows it was ever used).
Calls made with a user's API key are not activity either: DSS records logins and browser sessions only, so a service
account that works through its key looks dormant; the review decides (``playbooks/dss_dormant.yml`` keeps the API
key's own user and any login it is told to protect).

Internal to the collection: not a public API.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

ACTIVITY_FIELDS = ("lastSuccessfulLogin", "lastFailedLogin", "lastSessionActivity")
#: What counts as activity: a failed login does not.
ACTIVE_FIELDS = ("lastSuccessfulLogin", "lastSessionActivity")
DAY_MS = 86_400_000


def moment(value: Any) -> Optional[int]:
    """A DSS timestamp (ms) or None for "never" (missing, null, not a number, zero or negative)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return int(value)


def iso(ms: Optional[int]) -> Optional[str]:
    """``1767225600000`` -> ``"2026-01-01T00:00:00Z"``; None stays None."""
    if ms is None:
        return None
    when = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def summary(raw: Optional[dict], created: Any, now_ms: int) -> dict:
    """The activity a user's result carries: DSS's three timestamps (None for never), the last activity (ms and
    ISO 8601, UTC) and the whole days since it (since the creation date when never active; None when unknown)."""
    raw = raw or {}
    stamps = {field: moment(raw.get(field)) for field in ACTIVITY_FIELDS}
    active = [stamp for stamp in (stamps[field] for field in ACTIVE_FIELDS) if stamp is not None]
    last: Optional[int] = max(active) if active else None
    since = last if last is not None else moment(created)
    return dict(
        stamps,
        lastActive=last,
        lastActiveDate=iso(last),
        daysInactive=None if since is None else max(0, (now_ms - since) // DAY_MS),
    )


def is_dormant(user: dict, activity: dict, inactive_days: int, now_ms: int) -> bool:
    """Whether an enabled ``user`` has been inactive for more than ``inactive_days`` days (see the module docstring)."""
    if user.get("enabled") is False:
        return False
    since = activity["lastActive"] if activity["lastActive"] is not None else moment(user.get("creationDate"))
    return since is None or now_ms - since > inactive_days * DAY_MS
