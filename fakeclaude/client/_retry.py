"""When to retry a failed attempt and how long to wait: the official SDK's rules."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

from ._options import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY

__all__ = ["parse_retry_after", "retry_delay", "should_retry_failure", "should_retry_status"]

_MAX_WAIT = 4_294_967.0  # time.sleep's limit on some platforms


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """``x-should-retry`` decides when present; otherwise 408, 409, 429 and every 5xx are retried."""
    verdict = headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    return status in (408, 409, 429) or status >= 500


def should_retry_failure(headers: Mapping[str, str] | None) -> bool:
    """Whether an attempt that failed in transport is retried: yes, unless its answer's headers had arrived
    saying ``x-should-retry: false`` (the SDK's rule since 2.17)."""
    return headers is None or headers.get("x-should-retry") != "false"


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked to wait: ``retry-after-ms``, then ``retry-after`` (seconds or HTTP date)."""
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return float(email.utils.mktime_tz(parsed) - time.time())


def retry_delay(retries_taken: int, headers: Mapping[str, str] | None, rng: random.Random | None = None) -> float:
    """The wait before the next attempt: as the server asks, else 0.5 s doubling to 8 s, minus up to 25 % jitter."""
    asked = parse_retry_after(headers)
    if asked is not None and asked > 0:
        return min(asked, _MAX_WAIT)
    base = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_taken, 1000), MAX_RETRY_DELAY)
    jitter = 1 - 0.25 * (rng or random).random()
    return max(base * jitter, 0.0)
