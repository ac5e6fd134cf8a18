# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How often and how long http.py retries a request: the statuses it retries, the ``retries`` option's default and
bound, the backoff, and ``Retry-After``. The table of what is retried: docs/docsite/rst/reliability.rst.
Internal to the collection."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

#: 500 too, with its own smaller budget (``RetryPolicy.server_error_attempts``): a read is safe to repeat, and a
#: write is repeated only after its recheck or when sending it twice leaves the same state (see ``send``).
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Retries after the first attempt, as cognite-sdk's ``global_config.max_retries`` (10): 11 attempts in all.
#: At 30% failed requests, 1 call in about 560,000 still fails. The ``retries`` option sets it per task.
DEFAULT_RETRIES = 10
MAX_RETRIES = 30


@dataclass
class RetryPolicy:
    """How often and how long to retry; ``sleep`` is injectable for tests."""

    max_attempts: int = DEFAULT_RETRIES + 1
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    connect_attempts: int = 3  # a host that refuses or cannot be resolved is a setting more often than an outage
    #: An HTTP 500 that CDF does not mark auto-retryable is more often a server's bug than an outage: cognite-sdk
    #: does not retry it at all (its ``status_forcelist`` is {429, 502, 503, 504}); a read tries it 3 times.
    server_error_attempts: int = 3
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def with_retries(cls, retries: Optional[int]) -> "RetryPolicy":
        """The policy of the ``retries`` option: that many retries after the first attempt (None: the default)."""
        return cls(max_attempts=(DEFAULT_RETRIES if retries is None else retries) + 1)

    def delay(self, attempt: int, response: Any = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        retry_after = parse_retry_after(response.headers.get("retry-after")) if response is not None else None
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        return random.uniform(0, min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
