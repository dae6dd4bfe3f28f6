"""Reconnect delays: exponential backoff with jitter, and a floor even after a connection
that succeeded, so a server that accepts and then closes cannot cause a tight loop."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    initial_s: float = 0.5
    factor: float = 2.0
    max_s: float = 30.0
    jitter: float = 0.2  # ± fraction
    floor_s: float = 1.0  # minimum delay between two connection attempts
    stable_after_s: float = 30.0  # a connection that lived this long resets the backoff
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        base = min(self.initial_s * (self.factor ** self.attempt), self.max_s)
        self.attempt += 1
        spread = base * self.jitter
        return max(self.floor_s, base + self.rng.uniform(-spread, spread))

    def connected_for(self, seconds: float) -> None:
        """Report how long the last connection lived; long-lived ones reset the backoff."""
        if seconds >= self.stable_after_s:
            self.attempt = 0
