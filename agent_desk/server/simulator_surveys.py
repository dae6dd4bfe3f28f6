"""How the simulator's customers answer satisfaction surveys: what they remember of an
interaction (``Journey``: how long they waited for the first answer, transfers, holds) and
a realistic answer drawn from it with the simulator's seeded random generator. Most
customers answer; CSAT is skewed by the experience; NPS and CES come sometimes, comments
more often after a bad experience, in the customer's language."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import simulator_texts as texts
from .connectors import Lifecycle

#: Waiting longer than this for the first answer (seconds) lowers the score.
SLOW_FIRST_RESPONSE_S: dict[str, float] = {"phone": 45.0, "chat": 60.0, "email": 900.0}
#: Interaction changes that pass the customer on to someone else.
HAND_OVERS = frozenset({"transferred", "reassigned", "escalated", "offer_timeout"})
#: How likely a customer answers, relative to the simulator's chance, per survey method.
METHOD_RESPONSE: dict[str, float] = {"chat_widget": 1.15, "email_link": 0.9, "sms_ivr": 0.9}
_NPS = {5: (9, 10), 4: (7, 9), 3: (5, 8), 2: (2, 6), 1: (0, 4)}
_CES = {5: (6, 7), 4: (5, 7), 3: (3, 5), 2: (2, 4), 1: (1, 3)}


@dataclass(eq=False)
class Journey:
    """What a simulated customer remembers of one interaction (event-loop times)."""

    id: int
    channel: str
    created: float
    first_response: float | None = None  # answered call, or the first agent message
    hand_overs: int = 0
    holds: int = 0
    callback: bool = False


@dataclass(frozen=True)
class Answer:
    csat: int
    nps: int | None = None
    ces: int | None = None
    comment: str = ""


def penalty(journey: Journey, now: float) -> float:
    """How much worse than usual the interaction felt (0 = as expected)."""
    waited = (journey.first_response if journey.first_response is not None else now)
    slow = SLOW_FIRST_RESPONSE_S.get(journey.channel, 60.0)
    late = (waited - journey.created) / slow
    score = min(2.0, late - 0.5) if late > 1.0 else 0.0
    return score + 0.8 * journey.hand_overs + 0.3 * journey.holds


def answer(rng: random.Random, journey: Journey, method: str, language: str, now: float,
           chance: float) -> Answer | None:
    """The customer's answer to the survey, or None when they ignore it."""
    if rng.random() >= min(1.0, chance * METHOD_RESPONSE.get(method, 1.0)):
        return None
    base = rng.choices((5, 4, 3, 2, 1), weights=(52, 28, 10, 6, 4))[0]
    csat = max(1, base - int(penalty(journey, now) + rng.random()))
    nps = rng.randint(*_NPS[csat]) if rng.random() < 0.5 else None
    ces = rng.randint(*_CES[csat]) if rng.random() < 0.4 else None
    comment = ""
    if rng.random() < (0.6 if csat <= 2 else 0.25):
        mood = "bad" if csat <= 2 else "ok" if csat == 3 else "good"
        comment = rng.choice(texts.SURVEY_COMMENTS[mood]).lang(language)
    return Answer(csat, nps, ces, comment)


class Journeys:
    """The journeys of the interactions a simulator plays, until their survey (bounded:
    the oldest are forgotten first)."""

    def __init__(self, max_tracked: int) -> None:
        self.max_tracked = max(1, max_tracked)
        self._by_id: dict[int, Journey] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def keep(self, journey: Journey) -> None:
        self._by_id[journey.id] = journey
        while len(self._by_id) > self.max_tracked:
            self._by_id.pop(next(iter(self._by_id)))

    def pop(self, interaction_id: int) -> Journey | None:
        return self._by_id.pop(interaction_id, None)

    def clear(self) -> None:
        self._by_id.clear()

    def responded(self, interaction_id: int, now: float) -> None:
        """An agent message reached the customer."""
        journey = self._by_id.get(interaction_id)
        if journey is not None and journey.first_response is None:
            journey.first_response = now

    def remember(self, change: Lifecycle, now: float, known: bool) -> bool:
        """Note what the customer will judge the interaction by. A callback (``kind``) being
        accepted is a call the agent places: it is picked up like an answered call (returns
        True)."""
        journey = self._by_id.get(change.interaction_id)
        picked_up = False
        if journey is None:
            if change.kind != "callback" or change.change != "accepted" or known:
                return False
            journey = Journey(change.interaction_id, change.channel, now, callback=True)
            self.keep(journey)
            picked_up = True
        if change.state == "abandoned":
            self._by_id.pop(journey.id, None)
        elif change.change in HAND_OVERS:
            journey.hand_overs += 1
        elif change.change == "held":
            journey.holds += 1
        if (journey.first_response is None and journey.channel == "phone"
                and change.state in ("assigned", "on_hold", "wrap_up")):
            journey.first_response = now
        return picked_up
