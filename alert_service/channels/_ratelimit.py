"""What HTTP services say about their rate limits, in seconds to wait.

Slack answers 429 with `Retry-After: <seconds>`; Discord with a JSON body `{"retry_after":
1.5}` (seconds, fractional) plus `Retry-After` and `X-RateLimit-*` headers, and announces an
exhausted allowance on successful answers (`X-RateLimit-Remaining: 0`,
`X-RateLimit-Reset-After: <seconds>`). Other receivers may send an HTTP date instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import orjson

# A service asking for more than this is not taken literally (a clock gone wrong, a typo).
MAX_WAIT_SECONDS = 3600.0


def _seconds(value: object) -> float | None:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


def _header_seconds(value: str | None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date (RFC 9110 allows both)."""
    if value is None:
        return None
    seconds = _seconds(value.strip())
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return _seconds((when - datetime.now(UTC)).total_seconds())


def _body_seconds(response: httpx.Response) -> float | None:
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None
    return _seconds(body.get("retry_after")) if isinstance(body, dict) else None


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429 asks to wait, or None when it does not say."""
    for found in (
        _body_seconds(response),
        _header_seconds(response.headers.get("retry-after")),
        _seconds(response.headers.get("x-ratelimit-reset-after")),
    ):
        if found is not None:
            return found
    return None


def exhausted_for(headers: Mapping[str, str]) -> float | None:
    """After a success: seconds until the allowance the service announces is back, when this
    request used it up (X-RateLimit-Remaining: 0); None otherwise."""
    if headers.get("x-ratelimit-remaining", "").strip() != "0":
        return None
    return _seconds(headers.get("x-ratelimit-reset-after"))
