"""SLA policies: targets per channel × priority × customer tier, due times, and which
warnings/breaches are due. Warning at 80 % of a target, breach at 100 %."""

from __future__ import annotations

from dataclasses import dataclass

from ..protocol.enums import Channel, Priority, Tier

WARNING_FRACTION = 0.8

#: Base targets (first response, resolution) in seconds for priority "normal".
_BASE: dict[tuple[Channel, Tier], tuple[int, int]] = {
    (Channel.PHONE, Tier.VIP): (20, 4 * 3600),
    (Channel.PHONE, Tier.GOLD): (30, 6 * 3600),
    (Channel.PHONE, Tier.STANDARD): (60, 8 * 3600),
    (Channel.CHAT, Tier.VIP): (30, 2 * 3600),
    (Channel.CHAT, Tier.GOLD): (45, 4 * 3600),
    (Channel.CHAT, Tier.STANDARD): (60, 8 * 3600),
    (Channel.EMAIL, Tier.VIP): (30 * 60, 4 * 3600),
    (Channel.EMAIL, Tier.GOLD): (45 * 60, 6 * 3600),
    (Channel.EMAIL, Tier.STANDARD): (60 * 60, 8 * 3600),
}
#: Priority scales the normal targets (urgent work is due sooner).
_PRIORITY_FACTOR: dict[Priority, float] = {
    Priority.URGENT: 0.5,
    Priority.HIGH: 0.75,
    Priority.NORMAL: 1.0,
    Priority.LOW: 1.5,
}


@dataclass(frozen=True)
class Targets:
    first_response_s: int
    resolution_s: int


def default_policies() -> list[tuple[Channel, Priority, Tier, Targets]]:
    """The 36 default policies (3 channels × 4 priorities × 3 tiers)."""
    out = []
    for (channel, tier), (fr, res) in _BASE.items():
        for prio, f in _PRIORITY_FACTOR.items():
            out.append((channel, prio, tier, Targets(round(fr * f), round(res * f))))
    return out


def fallback_targets(channel: str, priority: str, tier: str) -> Targets:
    """Targets when no policy row exists for a combination (defaults above)."""
    fr, res = _BASE.get((Channel(channel), Tier(tier)), _BASE[(Channel(channel), Tier.STANDARD)])
    f = _PRIORITY_FACTOR.get(Priority(priority), 1.0)
    return Targets(round(fr * f), round(res * f))


def warning_at(start: float, due: float) -> float:
    """When the 80 % warning for a target running from ``start`` to ``due`` fires."""
    return start + WARNING_FRACTION * (due - start)
