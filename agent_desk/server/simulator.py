"""The traffic simulator: a connector that plays the customers.

It creates phone calls, emails and chats from the backend's known customers as a Poisson
process, answers agents in chats following a short per-topic script (in the customer's
language; it shows that it has seen the agent's messages and is typing first), sometimes
answers an email once, abandons calls and chats that wait longer than the customer's
patience, picks up callbacks, and answers satisfaction surveys the way the interaction
went (``simulator_surveys``). What each new contact is (customer, queue, priority, text)
comes from ``simulator_contacts``. Pure asyncio: no Qt, no network of its own.

Bookkeeping is per interaction this simulator created and is dropped when the interaction is
closed or abandoned (and capped in size, since emails can wait forever)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from ..protocol.enums import ACTIVE_STATES, FINAL_STATES, Channel, InteractionState
from . import simulator_contacts as contacts
from . import simulator_surveys as surveys
from . import simulator_texts as texts
from .connectors import Connector, ContactSink, Lifecycle, OutboundMessage, SurveyRequest
from .simulator_contacts import CATEGORY_QUEUES, CHINESE_QUEUE, VIP_QUEUE

log = logging.getLogger("agent_desk.simulator")

CHANNELS: tuple[str, ...] = ("phone", "email", "chat")
DEFAULT_MIX: dict[str, float] = {"phone": 0.35, "email": 0.35, "chat": 0.30}
LEAVE_REASONS: dict[str, str] = {"phone": "caller hung up", "chat": "visitor left"}


@dataclass(eq=False)
class _Contact:
    """What the simulator remembers about one interaction it created."""

    id: int
    channel: str
    language: str
    topic: texts.Topic
    values: dict[str, str]
    name: str = ""
    answered: bool = False
    turn: int = 0  # chat: script lines already sent
    email_decided: bool = False  # email: whether to reply once was already decided
    patience: asyncio.Task[None] | None = None
    reply: asyncio.Task[None] | None = None


def _check_range(name: str, value: tuple[float, float]) -> tuple[float, float]:
    lo, hi = value
    if lo < 0 or hi < lo:
        raise ValueError(f"{name} must be (low, high) with 0 <= low <= high, got {value!r}")
    return (float(lo), float(hi))


def _check_share(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return float(value)


class TrafficSimulator(Connector):
    name = "simulator"

    def __init__(
        self,
        rate_per_min: float,
        *,
        seed: int | None = None,
        mix: dict[str, float] | None = None,
        chat_reply_delay: tuple[float, float] = (2.0, 8.0),
        patience: tuple[float, float] = (60.0, 300.0),
        email_reply_chance: float = 0.3,
        email_reply_delay: tuple[float, float] = (60.0, 600.0),
        vip_share: float = 0.1,
        vip_queue_share: float = 0.85,
        urgent_share: float = 0.03,
        high_share: float = 0.15,
        low_share: float = 0.1,
        max_tracked: int = 5000,
        survey_answer_chance: float = 0.7,
        survey_delay: tuple[float, float] = (5.0, 90.0),
    ) -> None:
        """``rate_per_min``: mean contacts per minute (0 = only ``generate_one``).
        ``mix``: relative weight per channel. ``chat_reply_delay``/``email_reply_delay``:
        seconds before a customer answers. ``patience``: seconds a caller or chat visitor
        waits to be answered before leaving. ``vip_share``: share of contacts from VIP-tier
        customers (when any are known); ``vip_queue_share``: share of those sent to the VIP
        queue. ``urgent_share``/``high_share``: priority shares; ``low_share``: share of
        emails with low priority. ``max_tracked``: interactions remembered at most.
        ``survey_answer_chance``: share of surveys answered (the survey method shifts it a
        little); ``survey_delay``: seconds before an answer arrives."""
        if rate_per_min < 0:
            raise ValueError(f"rate_per_min must be >= 0, got {rate_per_min!r}")
        mix = dict(DEFAULT_MIX if mix is None else mix)
        unknown = set(mix) - set(CHANNELS)
        if unknown or any(w < 0 for w in mix.values()) or sum(mix.values()) <= 0:
            raise ValueError(f"mix needs non-negative weights for {CHANNELS}, got {mix!r}")
        self.rate_per_min = float(rate_per_min)
        self.mix = mix
        self.chat_reply_delay = _check_range("chat_reply_delay", chat_reply_delay)
        self.patience = _check_range("patience", patience)
        self.email_reply_delay = _check_range("email_reply_delay", email_reply_delay)
        self.email_reply_chance = _check_share("email_reply_chance", email_reply_chance)
        self.vip_share = _check_share("vip_share", vip_share)
        self.vip_queue_share = _check_share("vip_queue_share", vip_queue_share)
        self.urgent_share = _check_share("urgent_share", urgent_share)
        self.high_share = _check_share("high_share", high_share)
        self.low_share = _check_share("low_share", low_share)
        if self.urgent_share + self.high_share + self.low_share > 1.0:
            raise ValueError("urgent_share + high_share + low_share must not exceed 1")
        self.max_tracked = max(1, max_tracked)
        self.survey_answer_chance = _check_share("survey_answer_chance", survey_answer_chance)
        self.survey_delay = _check_range("survey_delay", survey_delay)
        self.rng = random.Random(seed)
        #: Contacts created per channel, customer messages sent, contacts abandoned.
        self.created: dict[str, int] = {c: 0 for c in CHANNELS}
        self.replies_sent = 0
        self.abandoned = 0
        self.surveys_answered = 0
        self.callbacks_picked_up = 0
        self._sink: ContactSink | None = None
        self._customers: list[dict[str, str]] = []
        self._pools: dict[str, list[dict[str, str]]] = {}
        self._contacts: dict[int, _Contact] = {}
        self._journeys = surveys.Journeys(self.max_tracked)  # until their survey
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None

    # ---- Connector ------------------------------------------------------------------------

    async def start(self, sink: ContactSink) -> None:
        if self._sink is not None:
            raise RuntimeError("simulator already started")
        self._sink = sink
        await self.refresh_customers()
        if self.rate_per_min > 0:
            self._loop_task = asyncio.create_task(self._run(), name="simulator")

    async def stop(self) -> None:
        tasks = [*self._tasks, *([self._loop_task] if self._loop_task else [])]
        self._sink = None
        self._loop_task = None
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        self._contacts.clear()
        self._journeys.clear()

    async def deliver(self, message: OutboundMessage) -> None:
        self._journeys.responded(message.interaction_id, _now())
        rec = self._contacts.get(message.interaction_id)
        if rec is None or self._sink is None:
            return
        if rec.channel == Channel.CHAT:
            self._mark_answered(rec)
            if rec.reply is None:  # one answer to a burst of agent messages
                rec.reply = self._spawn(self._chat_reply(rec), f"sim-chat-{rec.id}")
        elif rec.channel == Channel.EMAIL and not rec.email_decided:
            rec.email_decided = True
            if self.rng.random() < self.email_reply_chance:
                rec.reply = self._spawn(self._email_reply(rec), f"sim-email-{rec.id}")

    async def lifecycle(self, change: Lifecycle) -> None:
        if self._journeys.remember(change, _now(), change.interaction_id in self._contacts):
            self.callbacks_picked_up += 1
        rec = self._contacts.get(change.interaction_id)
        if rec is None:
            return
        state = change.state
        if state in FINAL_STATES:
            # an email's pending follow-up still arrives (and reopens the thread)
            self._forget(rec.id, cancel_reply=rec.channel != Channel.EMAIL)
        elif state in ACTIVE_STATES:
            self._mark_answered(rec)
            if rec.channel == Channel.PHONE or (
                    rec.channel == Channel.CHAT and state == InteractionState.WRAP_UP):
                self._forget(rec.id)

    async def request_survey(self, request: SurveyRequest) -> None:
        """Answer (most of) the surveys of the customers this simulator plays."""
        journey = self._journeys.pop(request.interaction_id)
        if journey is None or self._sink is None:
            return  # another connector's customer
        reply = surveys.answer(self.rng, journey, request.method, request.language, _now(),
                               self.survey_answer_chance)
        if reply is not None:
            delay = self.rng.uniform(*self.survey_delay)
            self._spawn(self._answer_survey(journey.id, reply, delay),
                        f"sim-survey-{journey.id}")

    async def _answer_survey(self, interaction_id: int, reply: surveys.Answer,
                             delay: float) -> None:
        await asyncio.sleep(delay)
        if await self._notify("survey_answer", interaction_id, reply.csat, reply.nps,
                              reply.ces, reply.comment):
            self.surveys_answered += 1

    async def _notify(self, method: str, *args: Any) -> bool:
        """Call an optional sink method (typing, seen, surveys); False if it failed or the
        sink has none."""
        fn = getattr(self._sink, method, None)
        if fn is None:
            return False
        try:
            await fn(*args)
        except NotImplementedError:
            return False
        except Exception:
            log.warning("simulated %s on %s failed", method, args[0], exc_info=True)
            return False
        return True

    # ---- generating contacts ----------------------------------------------------------------

    async def refresh_customers(self) -> None:
        """Fetch the known customers from the sink (the built-in ones if it has none)."""
        if self._sink is None:
            raise RuntimeError("simulator not started")
        try:
            customers = await self._sink.customer_identities()
        except Exception:
            log.exception("cannot fetch customer identities; using synthetic customers")
            customers = []
        # sorted: the sink may return them in random order, the seed should still decide
        self._customers = sorted((c for c in customers if c.get("name")),
                                 key=lambda c: sorted(c.items()))
        self._pools = {ch: [c for c in self._customers if c.get(ch)] for ch in CHANNELS}

    async def generate_one(self, channel: str | None = None) -> int:
        """Create one contact now (on ``channel``, or one drawn from the mix); returns the
        interaction id the sink gave it."""
        sink = self._sink
        if sink is None:
            raise RuntimeError("simulator not started")
        if channel is None:
            channel = self.rng.choices(list(self.mix), weights=list(self.mix.values()))[0]
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        channel = str(channel)
        rng = self.rng  # the draws' order is fixed: a seed always gives the same traffic
        customer = contacts.pick_customer(rng, self._pools.get(channel, []), self.vip_share)
        language = "zh" if customer.get("language") == "zh" else "en"
        topic = rng.choice(texts.TOPICS)
        values = contacts.story_values(rng, language)
        queue = contacts.queue_for(rng, customer, language, topic, self.vip_queue_share)
        priority = contacts.priority_for(rng, channel, self.urgent_share, self.high_share,
                                         self.low_share)
        contact = contacts.compose(rng, channel, customer, language, topic, values,
                                   queue=queue, priority=priority)
        patience = self.rng.uniform(*self.patience)
        iid = await sink.inbound_contact(contact)
        self.created[channel] += 1
        if self._sink is not sink:  # stopped meanwhile
            return iid
        rec = _Contact(iid, channel, language, topic, values, customer.get("name", ""))
        self._track(rec)
        self._journeys.keep(surveys.Journey(iid, channel, _now()))
        if channel != Channel.EMAIL:
            rec.patience = self._spawn(self._wait_patiently(rec, patience), f"sim-wait-{iid}")
        return iid

    async def _run(self) -> None:
        last_refresh = asyncio.get_running_loop().time()
        while True:
            rate = self.rate_per_min
            await asyncio.sleep(self.rng.expovariate(rate / 60.0) if rate > 0 else 1.0)
            if rate <= 0:
                continue
            try:
                now = asyncio.get_running_loop().time()
                if not self._customers and now - last_refresh >= 60.0:
                    last_refresh = now
                    await self.refresh_customers()
                await self.generate_one()
            except Exception:
                log.exception("simulated contact failed")

    # ---- playing the customer -------------------------------------------------------------

    async def _chat_reply(self, rec: _Contact) -> None:
        try:
            # reads the agent's message, types a while, then answers
            delay = self.rng.uniform(*self.chat_reply_delay)
            await asyncio.sleep(delay * 0.25)
            await self._notify("customer_seen", rec.id)
            await asyncio.sleep(delay * 0.15)
            await self._notify("customer_typing", rec.id, True)
            await asyncio.sleep(delay * 0.6)
            script = rec.topic.chat_script
            if rec.turn < len(script):
                line = script[rec.turn]
            else:
                line = self.rng.choice(texts.ACKNOWLEDGEMENTS)
            rec.turn += 1
            rec.reply = None  # agent messages from now on get their own answer
            await self._notify("customer_typing", rec.id, False)
            await self._send(rec, line.lang(rec.language).format_map(rec.values))
        finally:
            if rec.reply is asyncio.current_task():
                rec.reply = None

    async def _email_reply(self, rec: _Contact) -> None:
        await asyncio.sleep(self.rng.uniform(*self.email_reply_delay))
        text = contacts.email_text(self.rng, rec.topic.email_follow_up, rec.language,
                                   rec.values, rec.name)
        await self._send(rec, text)

    async def _send(self, rec: _Contact, text: str) -> None:
        sink = self._sink
        if sink is None:
            return
        try:
            await sink.customer_message(rec.id, text)
        except Exception:
            log.warning("simulated customer message on %d failed", rec.id, exc_info=True)
            return
        self.replies_sent += 1

    async def _wait_patiently(self, rec: _Contact, seconds: float) -> None:
        await asyncio.sleep(seconds)
        sink = self._sink
        if rec.answered or sink is None or self._contacts.get(rec.id) is not rec:
            return
        rec.patience = None
        self._forget(rec.id)
        try:
            await sink.customer_left(rec.id, LEAVE_REASONS[rec.channel])
        except Exception:
            log.warning("simulated abandon of %d failed", rec.id, exc_info=True)
            return
        self.abandoned += 1

    # ---- bookkeeping ------------------------------------------------------------------------

    @property
    def tracked(self) -> int:
        """Interactions currently remembered (waiting, or in a conversation)."""
        return len(self._contacts)

    def _track(self, rec: _Contact) -> None:
        self._contacts[rec.id] = rec
        while len(self._contacts) > self.max_tracked:
            self._forget(next(iter(self._contacts)))

    def _mark_answered(self, rec: _Contact) -> None:
        rec.answered = True
        if rec.patience is not None:
            _cancel(rec.patience)
            rec.patience = None

    def _forget(self, interaction_id: int, *, cancel_reply: bool = True) -> None:
        rec = self._contacts.pop(interaction_id, None)
        if rec is None:
            return
        if rec.patience is not None:
            _cancel(rec.patience)
            rec.patience = None
        if cancel_reply and rec.reply is not None:
            _cancel(rec.reply)
            rec.reply = None

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("simulator task %s failed", task.get_name(), exc_info=task.exception())


def _now() -> float:
    return asyncio.get_running_loop().time()


def _cancel(task: asyncio.Task[None]) -> None:
    if task is not asyncio.current_task():
        task.cancel()


__all__ = ["TrafficSimulator", "DEFAULT_MIX", "CHINESE_QUEUE", "VIP_QUEUE", "CATEGORY_QUEUES"]
