"""Time source for the backend. Production uses the wall clock; tests use ``ManualClock``
so SLA warnings, offer timeouts and token expiry can be driven without sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    def now(self) -> float:
        """UTC epoch seconds."""
        return time.time()


class ManualClock(Clock):
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        self._now += seconds
        return self._now


def to_dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def to_dt_opt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def iso(ts: float) -> str:
    """RFC 3339 UTC with milliseconds, e.g. ``2026-11-23T16:40:00.123Z``."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z"
    )
