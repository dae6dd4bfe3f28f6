"""The agent's side of a phone call as a pure state machine (no Qt, no network, no audio).

States and the actions that leave them (``TRANSITIONS`` is the full table)::

    ringing     answer -> connected, decline -> ended
    connected   hold -> on_hold, warm_transfer_start -> consulting,
                blind_transfer / hang_up -> ended
    on_hold     resume -> connected, warm_transfer_start -> consulting,
                blind_transfer / hang_up -> ended
    consulting  warm_transfer_complete -> ended, conference -> conference,
                warm_transfer_cancel -> back to connected or on_hold (where it started)
    conference  warm_transfer_cancel -> connected, hang_up -> ended
    ended       wrap_up -> wrap_up

``mute``/``unmute`` (a local flag), ``dtmf`` and ``request_callback`` do not change the
state; they are allowed where the table lists them. The caller hanging up is an event
(:meth:`PhoneCall.caller_hung_up`), not an action.

Every action method checks the transition table, updates the timers and returns a
:class:`CallCommand` that a thin adapter turns into a protocol frame; the machine itself sends
nothing. ``allowed_actions()`` tells the UI which buttons to enable. Time comes from an
injected clock (``now``, epoch seconds) so the call and hold timers are testable and can be
restored from the server's timestamps (:meth:`PhoneCall.from_server`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal

from agent_desk.protocol.enums import Channel, InteractionState
from agent_desk.protocol.views import InteractionView

from .errors import ChannelError, InvalidInput, InvalidTransition

Clock = Callable[[], float]


class CallState(StrEnum):
    RINGING = "ringing"
    CONNECTED = "connected"
    ON_HOLD = "on_hold"
    CONSULTING = "consulting"  # customer held while the agent talks to a colleague/queue
    CONFERENCE = "conference"  # agent, customer and the consulted party together
    ENDED = "ended"
    WRAP_UP = "wrap_up"


class CallAction(StrEnum):
    ANSWER = "answer"
    DECLINE = "decline"
    HOLD = "hold"
    RESUME = "resume"
    MUTE = "mute"
    UNMUTE = "unmute"
    BLIND_TRANSFER = "blind_transfer"
    WARM_TRANSFER_START = "warm_transfer_start"
    WARM_TRANSFER_COMPLETE = "warm_transfer_complete"
    WARM_TRANSFER_CANCEL = "warm_transfer_cancel"
    CONFERENCE = "conference"
    HANG_UP = "hang_up"
    DTMF = "dtmf"
    REQUEST_CALLBACK = "request_callback"
    WRAP_UP = "wrap_up"


class EndReason(StrEnum):
    HUNG_UP = "hung_up"  # the agent hung up
    CALLER_HUNG_UP = "caller_hung_up"
    DECLINED = "declined"
    TRANSFERRED = "transferred"
    ABANDONED = "abandoned"  # the caller gave up before the call was answered
    CLOSED = "closed"  # known only from the server


_PREVIOUS = "previous"  # cancel returns to the state the consultation started from
_S, _A = CallState, CallAction
_LIVE_ANY = {_A.MUTE: None, _A.UNMUTE: None}  # None: the state does not change
#: state -> action -> next state (None: unchanged; _PREVIOUS: back to where consulting began)
TRANSITIONS: dict[CallState, dict[CallAction, CallState | str | None]] = {
    _S.RINGING: {_A.ANSWER: _S.CONNECTED, _A.DECLINE: _S.ENDED},
    _S.CONNECTED: {
        _A.HOLD: _S.ON_HOLD, **_LIVE_ANY, _A.BLIND_TRANSFER: _S.ENDED,
        _A.WARM_TRANSFER_START: _S.CONSULTING, _A.HANG_UP: _S.ENDED, _A.DTMF: None,
        _A.REQUEST_CALLBACK: None,
    },
    _S.ON_HOLD: {
        _A.RESUME: _S.CONNECTED, **_LIVE_ANY, _A.BLIND_TRANSFER: _S.ENDED,
        _A.WARM_TRANSFER_START: _S.CONSULTING, _A.HANG_UP: _S.ENDED,
        _A.REQUEST_CALLBACK: None,
    },
    _S.CONSULTING: {
        _A.WARM_TRANSFER_COMPLETE: _S.ENDED, _A.WARM_TRANSFER_CANCEL: _PREVIOUS,
        _A.CONFERENCE: _S.CONFERENCE, **_LIVE_ANY, _A.DTMF: None,
    },
    _S.CONFERENCE: {
        _A.WARM_TRANSFER_CANCEL: _S.CONNECTED, _A.HANG_UP: _S.ENDED, **_LIVE_ANY,
        _A.DTMF: None,
    },
    _S.ENDED: {_A.WRAP_UP: _S.WRAP_UP, _A.REQUEST_CALLBACK: None},
    _S.WRAP_UP: {_A.REQUEST_CALLBACK: None},
}
#: States in which the customer hears hold music (the hold timer runs).
HOLD_STATES = frozenset({CallState.ON_HOLD, CallState.CONSULTING})
LIVE_STATES = frozenset(
    {CallState.CONNECTED, CallState.ON_HOLD, CallState.CONSULTING, CallState.CONFERENCE})

DTMF_DIGITS = frozenset("0123456789*#ABCD")
MAX_DTMF = 32
#: Shortest and farthest-ahead callback windows accepted.
MIN_CALLBACK_WINDOW = timedelta(minutes=10)
MAX_CALLBACK_AHEAD = timedelta(days=30)
_NUMBER_SEPARATORS = re.compile(r"[\s().\-/]")


@dataclass(frozen=True, slots=True)
class TransferTarget:
    """Another agent or a queue to transfer or consult to."""

    kind: Literal["agent", "queue"]
    id: int
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("agent", "queue"):
            raise InvalidInput(f"transfer target kind must be agent or queue, not {self.kind!r}",
                               code="bad_target")
        if isinstance(self.id, bool) or not isinstance(self.id, int) or self.id < 1:
            raise InvalidInput(f"transfer target id must be a positive integer, not {self.id!r}",
                               code="bad_target")


@dataclass(frozen=True, slots=True)
class CallbackRequest:
    """A queued callback for the caller: E.164-like number and an aware UTC time window."""

    number: str
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True, slots=True)
class CallCommand:
    """What the adapter must tell the backend after an action (the machine's output)."""

    action: CallAction
    target: TransferTarget | None = None
    digits: str | None = None
    callback: CallbackRequest | None = None


def validate_dtmf(digits: str) -> str:
    """Upper-cased DTMF digits (0-9 * # A-D, spaces ignored) or :class:`InvalidInput`."""
    cleaned = "".join(digits.split()).upper()
    if not cleaned:
        raise InvalidInput("no DTMF digits given", code="dtmf_empty")
    bad = sorted({c for c in cleaned if c not in DTMF_DIGITS})
    if bad:
        raise InvalidInput(f"not DTMF digits: {' '.join(repr(c) for c in bad)} "
                           "(allowed: 0-9 * # A-D)", code="dtmf_invalid")
    if len(cleaned) > MAX_DTMF:
        raise InvalidInput(f"at most {MAX_DTMF} DTMF digits at once", code="dtmf_too_long")
    return cleaned


def validate_callback_number(number: str) -> str:
    """The number without separators (``+49 (30) 1234-56`` -> ``+4930123456``)."""
    cleaned = _NUMBER_SEPARATORS.sub("", number.strip())
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    digits = cleaned[1:] if cleaned.startswith("+") else cleaned
    if not digits.isascii() or not digits.isdigit():
        raise InvalidInput(f"callback number {number!r} must contain only digits, an optional "
                           "leading + and separators", code="callback_number_invalid")
    if not 3 <= len(digits) <= 15:
        raise InvalidInput(f"callback number {number!r} must have 3 to 15 digits",
                           code="callback_number_length")
    return cleaned


def validate_callback_window(start: datetime, end: datetime, now: datetime) -> tuple[
        datetime, datetime]:
    """Checks a callback window against ``now``; returns it in UTC."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("callback window times must carry a time zone",
                           code="callback_window_naive")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise InvalidInput("callback window must end after it starts",
                           code="callback_window_order")
    if end - start < MIN_CALLBACK_WINDOW:
        minutes = int(MIN_CALLBACK_WINDOW.total_seconds() // 60)
        raise InvalidInput(f"callback window must be at least {minutes} minutes long",
                           code="callback_window_short")
    if end <= now + MIN_CALLBACK_WINDOW:
        raise InvalidInput("callback window is in the past or ends too soon",
                           code="callback_window_past")
    if start > now + MAX_CALLBACK_AHEAD:
        raise InvalidInput(f"callback window starts more than {MAX_CALLBACK_AHEAD.days} days "
                           "ahead", code="callback_window_far")
    return max(start, now), end


class PhoneCall:
    """One call as the agent sees it. Not thread-safe; drive it from the UI thread."""

    def __init__(self, interaction_id: int | None = None, *, now: Clock = time.time,
                 state: CallState = CallState.RINGING) -> None:
        self.interaction_id = interaction_id
        self._now = now
        self.state = state
        self.muted = False
        self.end_reason: EndReason | None = None
        self.consult_target: TransferTarget | None = None
        self._consult_from: CallState | None = None
        t = now()
        self.ringing_since: float = t
        self.answered_at: float | None = t if state in LIVE_STATES else None
        self.ended_at: float | None = t if state in (CallState.ENDED, CallState.WRAP_UP) else None
        self.wrap_up_since: float | None = t if state == CallState.WRAP_UP else None
        self.hold_started_at: float | None = t if state in HOLD_STATES else None
        self.hold_count = 1 if state in HOLD_STATES else 0
        self._hold_done = 0.0  # seconds of finished holds

    # ---- queries -----------------------------------------------------------------------
    def allowed_actions(self) -> frozenset[CallAction]:
        """The actions that would not raise now (for enabling buttons)."""
        acts = set(TRANSITIONS[self.state])
        acts.discard(CallAction.UNMUTE if not self.muted else CallAction.MUTE)
        return frozenset(acts)

    def can(self, action: CallAction) -> bool:
        return action in self.allowed_actions()

    def call_seconds(self) -> float:
        """Time since the call was answered (frozen when it ended); 0 before answering."""
        if self.answered_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else self._now()
        return max(0.0, end - self.answered_at)

    def current_hold_seconds(self) -> float:
        """Length of the hold in progress (0 when the customer is not on hold)."""
        if self.hold_started_at is None:
            return 0.0
        return max(0.0, self._now() - self.hold_started_at)

    def hold_seconds(self) -> float:
        """All hold time of this call so far, including the hold in progress."""
        return self._hold_done + self.current_hold_seconds()

    def ring_seconds(self) -> float:
        end = self.answered_at if self.answered_at is not None else self.ended_at
        if end is None:
            end = self._now()
        return max(0.0, end - self.ringing_since)

    def wrap_up_seconds(self) -> float:
        return 0.0 if self.wrap_up_since is None else max(0.0, self._now() - self.wrap_up_since)

    # ---- agent actions -----------------------------------------------------------------
    def answer(self) -> CallCommand:
        return self._go(CallAction.ANSWER)

    def decline(self) -> CallCommand:
        return self._go(CallAction.DECLINE, reason=EndReason.DECLINED)

    def hold(self) -> CallCommand:
        return self._go(CallAction.HOLD)

    def resume(self) -> CallCommand:
        return self._go(CallAction.RESUME)

    def mute(self) -> CallCommand:
        self._check(CallAction.MUTE)
        self.muted = True
        return CallCommand(CallAction.MUTE)

    def unmute(self) -> CallCommand:
        self._check(CallAction.UNMUTE)
        self.muted = False
        return CallCommand(CallAction.UNMUTE)

    def blind_transfer(self, target: TransferTarget) -> CallCommand:
        self._check(CallAction.BLIND_TRANSFER)
        self._go(CallAction.BLIND_TRANSFER, reason=EndReason.TRANSFERRED)
        return CallCommand(CallAction.BLIND_TRANSFER, target=target)

    def warm_transfer_start(self, target: TransferTarget) -> CallCommand:
        self._check(CallAction.WARM_TRANSFER_START)
        self._consult_from = self.state
        self.consult_target = target
        self._go(CallAction.WARM_TRANSFER_START)
        return CallCommand(CallAction.WARM_TRANSFER_START, target=target)

    def warm_transfer_complete(self) -> CallCommand:
        target = self.consult_target
        self._go(CallAction.WARM_TRANSFER_COMPLETE, reason=EndReason.TRANSFERRED)
        return CallCommand(CallAction.WARM_TRANSFER_COMPLETE, target=target)

    def warm_transfer_cancel(self) -> CallCommand:
        target = self.consult_target
        self._go(CallAction.WARM_TRANSFER_CANCEL)
        return CallCommand(CallAction.WARM_TRANSFER_CANCEL, target=target)

    def conference(self) -> CallCommand:
        target = self.consult_target
        self._go(CallAction.CONFERENCE)
        return CallCommand(CallAction.CONFERENCE, target=target)

    def hang_up(self) -> CallCommand:
        return self._go(CallAction.HANG_UP, reason=EndReason.HUNG_UP)

    def dtmf(self, digits: str) -> CallCommand:
        self._check(CallAction.DTMF)
        return CallCommand(CallAction.DTMF, digits=validate_dtmf(digits))

    def request_callback(self, number: str, window_start: datetime,
                         window_end: datetime) -> CallCommand:
        self._check(CallAction.REQUEST_CALLBACK)
        now = datetime.fromtimestamp(self._now(), UTC)
        start, end = validate_callback_window(window_start, window_end, now)
        req = CallbackRequest(validate_callback_number(number), start, end)
        return CallCommand(CallAction.REQUEST_CALLBACK, callback=req)

    def wrap_up(self) -> CallCommand:
        return self._go(CallAction.WRAP_UP)

    # ---- events from the other side -----------------------------------------------------
    def caller_hung_up(self) -> None:
        """The caller left (an event, not an agent action); ignored once the call has ended."""
        if self.state in (CallState.ENDED, CallState.WRAP_UP):
            return
        reason = (EndReason.ABANDONED if self.state == CallState.RINGING
                  else EndReason.CALLER_HUNG_UP)
        self._enter(CallState.ENDED, reason)

    @classmethod
    def from_server(cls, view: InteractionView, *, now: Clock = time.time) -> PhoneCall:
        """A machine in the state the server reports, timers restored from its timestamps."""
        call = cls(view.id, now=now)
        call.apply_server(view)
        return call

    def apply_server(self, view: InteractionView) -> None:
        """Follows the server's state. Local refinements it cannot express (consulting,
        conference) are kept while the server's state is compatible with them."""
        if view.channel != Channel.PHONE:
            raise ChannelError(f"interaction {view.id} is a {view.channel} interaction, not a "
                               "phone call", code="not_a_call")
        target = _SERVER_STATES.get(view.state)
        if target is None:
            raise ChannelError(f"interaction {view.id} is {view.state}, not offered to an agent",
                               code="not_offered")
        if view.offered_at is not None:
            self.ringing_since = view.offered_at.timestamp()
        if view.answered_at is not None:
            self.answered_at = view.answered_at.timestamp()
        if self.state == target or (self.state == CallState.WRAP_UP
                                     and target == CallState.ENDED) or (
                self.state in (CallState.CONSULTING, CallState.CONFERENCE)
                and target in (CallState.CONNECTED, CallState.ON_HOLD)):
            return
        reason = {InteractionState.ABANDONED: EndReason.ABANDONED,
                  InteractionState.CLOSED: EndReason.CLOSED}.get(view.state)
        when = view.wrap_up_at or view.closed_at
        self._enter(target, reason, at=when.timestamp() if when is not None else None)

    # ---- internals ---------------------------------------------------------------------
    def _check(self, action: CallAction) -> None:
        if action not in self.allowed_actions():
            allowed = tuple(a.value for a in CallAction if a in self.allowed_actions())
            raise InvalidTransition(self.state.value, action.value, allowed)

    def _go(self, action: CallAction, *, reason: EndReason | None = None) -> CallCommand:
        self._check(action)
        nxt = TRANSITIONS[self.state][action]
        if nxt == _PREVIOUS:
            nxt = self._consult_from or CallState.CONNECTED
        if isinstance(nxt, CallState):
            self._enter(nxt, reason)
        return CallCommand(action)

    def _enter(self, new: CallState, reason: EndReason | None,
               at: float | None = None) -> None:
        t = self._now()
        if new in LIVE_STATES and self.answered_at is None:
            self.answered_at = t
        if new in HOLD_STATES and self.hold_started_at is None:
            self.hold_started_at = t
            self.hold_count += 1
        elif new not in HOLD_STATES and self.hold_started_at is not None:
            self._hold_done += max(0.0, t - self.hold_started_at)
            self.hold_started_at = None
        if new not in (CallState.CONSULTING, CallState.CONFERENCE):
            self.consult_target = None
            self._consult_from = None
        if new in (CallState.ENDED, CallState.WRAP_UP):
            self.muted = False
            if self.ended_at is None:
                self.ended_at = at if at is not None else t
            if self.end_reason is None:
                self.end_reason = reason or EndReason.CLOSED
        if new == CallState.WRAP_UP:
            self.wrap_up_since = at if at is not None else t
        self.state = new


_SERVER_STATES: dict[InteractionState, CallState] = {
    InteractionState.OFFERED: CallState.RINGING,
    InteractionState.ASSIGNED: CallState.CONNECTED,
    InteractionState.ON_HOLD: CallState.ON_HOLD,
    InteractionState.WRAP_UP: CallState.WRAP_UP,
    InteractionState.CLOSED: CallState.ENDED,
    InteractionState.ABANDONED: CallState.ENDED,
}
