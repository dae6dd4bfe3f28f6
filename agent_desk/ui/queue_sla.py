"""The queue's ticking values, computed at paint time from stored due times (never stored).

An interaction's SLA clock runs towards ``first_response_due_at`` until the first response is
made, then towards ``resolution_due_at``. Both targets run from ``created_at`` (as on the
server, ``agent_desk.server.sla.warning_at``): the status is *at risk* once 80 % of the
target's span has elapsed and *breached* from the due time on."""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication

from ..protocol.enums import SlaStatus, SlaTarget
from ..protocol.views import InteractionView

#: Fraction of a target's span after which it is at risk (the server warns at the same point).
WARNING_FRACTION = 0.8


class SlaClock(NamedTuple):
    """Which SLA target an interaction currently runs against (static between events)."""

    target: SlaTarget
    start_ts: float
    due_ts: float


class SlaReading(NamedTuple):
    """The SLA state of one interaction at one instant."""

    status: SlaStatus  # ON_TRACK, WARNING (at risk) or BREACHED
    target: SlaTarget
    remaining_s: float  # negative once breached
    elapsed_fraction: float


def sla_clock(view: InteractionView) -> SlaClock:
    """The target ``view`` is measured against now: first response until it is made, then
    resolution."""
    start = view.created_at.timestamp()
    if view.first_response_at is None:
        return SlaClock(SlaTarget.FIRST_RESPONSE, start, view.first_response_due_at.timestamp())
    return SlaClock(SlaTarget.RESOLUTION, start, view.resolution_due_at.timestamp())


def sla_status(start_ts: float, due_ts: float, now: float) -> SlaStatus:
    """On track, at risk (``WARNING``: ≥ 80 % of the span elapsed) or breached (due time
    reached)."""
    if now >= due_ts:
        return SlaStatus.BREACHED
    if now >= start_ts + WARNING_FRACTION * (due_ts - start_ts):
        return SlaStatus.WARNING
    return SlaStatus.ON_TRACK


def sla_reading(clock: SlaClock, now: float) -> SlaReading:
    span = clock.due_ts - clock.start_ts
    fraction = (now - clock.start_ts) / span if span > 0 else 1.0
    return SlaReading(sla_status(clock.start_ts, clock.due_ts, now), clock.target,
                      clock.due_ts - now, fraction)


def format_duration(seconds: float) -> str:
    """A compact elapsed time: ``4:05`` (minutes:seconds), ``1:02:05`` (hours) or, from one
    day on, ``2 d 3 h`` (translated). Negative values are shown as their magnitude."""
    s = int(abs(seconds))
    if s < 3600:
        return f"{s // 60}:{s % 60:02d}"
    if s < 86400:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    text = QCoreApplication.translate("QueueTime", "%1 d %2 h")  # literal: lupdate sees it
    return text.replace("%1", str(s // 86400)).replace("%2", str(s % 86400 // 3600))


def format_countdown(remaining_s: float) -> str:
    """Time left, rounded up so ``0:00`` is shown only at the due time; overdue time gets a
    leading minus sign (``−1:23``)."""
    if remaining_s > 0:
        return format_duration(math.ceil(remaining_s))
    overdue = math.floor(-remaining_s)
    return "\u2212" + format_duration(overdue) if overdue > 0 else format_duration(0)


__all__ = [
    "WARNING_FRACTION", "SlaClock", "SlaReading", "format_countdown", "format_duration",
    "sla_clock", "sla_reading", "sla_status",
]
