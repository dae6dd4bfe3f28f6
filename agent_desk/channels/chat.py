"""Live chat without widgets: the transcript model, typing indicators both ways, unread
counts and "waited longest" across several chats, flood coalescing, and the composer's
Enter/Shift+Enter rule. Time comes from an injected clock (epoch seconds)."""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from agent_desk.protocol.enums import Direction
from agent_desk.protocol.views import MessageView

Clock = Callable[[], float]
T = TypeVar("T")

#: How long the customer's "typing" lasts after their last typing signal.
CUSTOMER_TYPING_TTL = 6.0
#: The agent's typing notification: at most one per interval; "stopped" after idle.
TYPING_SEND_INTERVAL = 3.0
TYPING_IDLE_STOP = 5.0


class Speaker(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    NOTE = "note"  # internal note between agents, never shown to the customer


_SPEAKERS = {Direction.INBOUND: Speaker.CUSTOMER, Direction.OUTBOUND: Speaker.AGENT,
             Direction.SYSTEM: Speaker.SYSTEM, Direction.INTERNAL: Speaker.NOTE}


@dataclass(frozen=True, slots=True)
class Turn:
    key: str  # unique within the chat (the server's message id)
    speaker: Speaker
    text: str
    at: datetime
    author: str = ""


def turn_from_message(message: MessageView) -> Turn:
    return Turn(str(message.id), _SPEAKERS[message.direction], message.body, message.at,
                message.author)


@dataclass(frozen=True, slots=True)
class TranscriptChange:
    """What a view must refresh: rows ``first_row`` .. ``first_row + inserted - 1`` were
    inserted at the end, ``updated`` rows changed in place; ``reset`` means re-read all."""

    first_row: int = 0
    inserted: int = 0
    updated: tuple[int, ...] = ()
    reset: bool = False
    new_customer_turns: int = 0


class Chat:
    """One conversation: its transcript in time order plus the per-chat live state."""

    def __init__(self, chat_id: int | str = 0, *, now: Clock = time.time) -> None:
        self.chat_id = chat_id
        self._now = now
        self._turns: list[Turn] = []
        self._times: list[datetime] = []
        self._rows: dict[str, int] = {}
        self._seen_until: datetime | None = None
        self._waiting_since: datetime | None = None
        self._typing_until: float | None = None
        self.unread = 0
        self.focused = False

    # ---- transcript --------------------------------------------------------------------
    @property
    def turns(self) -> Sequence[Turn]:
        return self._turns

    def __len__(self) -> int:
        return len(self._turns)

    def __getitem__(self, row: int) -> Turn:
        return self._turns[row]

    def __iter__(self) -> Iterator[Turn]:
        return iter(self._turns)

    def add(self, turn: Turn | MessageView) -> TranscriptChange:
        return self.add_many([turn])

    def add_many(self, items: Iterable[Turn | MessageView]) -> TranscriptChange:
        """Adds a burst in one step: repeats (by key) update in place, new turns are sorted
        once and appended; only turns older than the last one force a linear merge. Cost is
        O(k log k) for k new turns (plus O(n) when the merge is needed), never O(n * k)."""
        fresh: dict[str, Turn] = {}
        updated: list[int] = []
        for item in items:
            turn = item if isinstance(item, Turn) else turn_from_message(item)
            row = self._rows.get(turn.key)
            if row is not None:
                if self._turns[row] != turn:
                    self._turns[row] = turn
                    updated.append(row)
                continue
            fresh[turn.key] = turn
        if not fresh:
            return TranscriptChange(len(self._turns), 0, tuple(updated))
        batch = sorted(fresh.values(), key=lambda t: t.at)
        first = len(self._turns)
        reset = bool(self._turns) and batch[0].at < self._times[-1]
        if reset:
            merged = sorted([*self._turns, *batch], key=lambda t: t.at)  # timsort: ~linear
            self._turns = merged
            self._times = [t.at for t in merged]
            self._rows = {t.key: i for i, t in enumerate(merged)}
        else:
            for i, turn in enumerate(batch, start=first):
                self._rows[turn.key] = i
            self._turns.extend(batch)
            self._times.extend(t.at for t in batch)
        customers = sum(1 for t in batch if t.speaker == Speaker.CUSTOMER)
        if customers:
            self._typing_until = None  # their message ends their typing
            if not self.focused:
                self.unread += customers
        self._update_waiting(batch, full=reset)
        return TranscriptChange(0 if reset else first, len(batch),
                                () if reset else tuple(updated), reset, customers)

    def _update_waiting(self, batch: list[Turn], *, full: bool) -> None:
        if full:
            self._waiting_since = None
            batch = self._turns
        for turn in batch:
            if turn.speaker == Speaker.AGENT:
                self._waiting_since = None
            elif turn.speaker == Speaker.CUSTOMER and self._waiting_since is None:
                self._waiting_since = turn.at

    def waiting_since(self) -> datetime | None:
        """When the customer's oldest unanswered message arrived (None: nothing waits)."""
        return self._waiting_since

    # ---- seen --------------------------------------------------------------------------
    def mark_seen(self, until: datetime | str) -> None:
        """The customer has seen the agent's messages up to a time or a message key."""
        if isinstance(until, str):
            row = self._rows.get(until)
            if row is None:
                return
            until = self._turns[row].at
        if self._seen_until is None or until > self._seen_until:
            self._seen_until = until

    def is_seen(self, row: int) -> bool:
        turn = self._turns[row]
        return (turn.speaker == Speaker.AGENT and self._seen_until is not None
                and turn.at <= self._seen_until)

    def last_seen_row(self) -> int | None:
        """Row of the newest agent message the customer has seen (for one "Seen" label)."""
        if self._seen_until is None:
            return None
        for row in range(bisect_right(self._times, self._seen_until) - 1, -1, -1):
            if self._turns[row].speaker == Speaker.AGENT:
                return row
        return None

    # ---- unread and focus ----------------------------------------------------------------
    def focus(self) -> None:
        self.focused = True
        self.unread = 0

    def blur(self) -> None:
        self.focused = False

    # ---- customer typing -------------------------------------------------------------------
    def customer_typing(self, typing: bool = True) -> None:
        self._typing_until = self._now() + CUSTOMER_TYPING_TTL if typing else None

    def customer_is_typing(self) -> bool:
        return self._typing_until is not None and self._now() < self._typing_until

    def typing_expires_at(self) -> float | None:
        """When to re-check the indicator (None when it is not shown)."""
        return self._typing_until if self.customer_is_typing() else None


class ChatWorkspace:
    """The agent's open chats (tabs): capacity, focus, unread badges, who waited longest."""

    def __init__(self, capacity: int = 3) -> None:
        self.capacity = capacity
        self._chats: dict[int | str, Chat] = {}
        self.focused_id: int | str | None = None

    @property
    def chats(self) -> dict[int | str, Chat]:
        return dict(self._chats)

    def has_room(self) -> bool:
        return len(self._chats) < self.capacity

    def open(self, chat: Chat) -> None:
        """Adds a chat (over capacity only when the server assigned it anyway: the server
        owns capacity; ``has_room`` is for the UI's own checks)."""
        self._chats[chat.chat_id] = chat
        if self.focused_id is None:
            self.focus(chat.chat_id)

    def close(self, chat_id: int | str) -> None:
        self._chats.pop(chat_id, None)
        if self.focused_id == chat_id:
            self.focused_id = None
            if self._chats:
                self.focus(next(iter(self._chats)))

    def focus(self, chat_id: int | str) -> None:
        for cid, chat in self._chats.items():
            if cid == chat_id:
                chat.focus()
            else:
                chat.blur()
        self.focused_id = chat_id if chat_id in self._chats else None

    def unread_counts(self) -> dict[int | str, int]:
        return {cid: chat.unread for cid, chat in self._chats.items()}

    def longest_waiting(self) -> int | str | None:
        """The chat whose customer has waited longest for a reply (None: nobody waits)."""
        best: tuple[datetime, int | str] | None = None
        for cid, chat in self._chats.items():
            since = chat.waiting_since()
            if since is not None and (best is None or since < best[0]):
                best = (since, cid)
        return best[1] if best is not None else None


class InboundCoalescer(Generic[T]):
    """Batches a burst of incoming items (a flood of 100 messages/s) so the transcript and
    the view are updated at most once per ``interval``: the first item after a quiet
    period is due at once, later ones wait for the next flush."""

    def __init__(self, *, now: Clock = time.time, interval: float = 0.1,
                 max_batch: int = 1000) -> None:
        self._now = now
        self.interval = interval
        self.max_batch = max_batch
        self._pending: list[T] = []
        self._last_flush = float("-inf")

    def push(self, item: T) -> bool:
        """Queues ``item``; True when the adapter should :meth:`drain` now (otherwise at
        :meth:`next_flush_at`)."""
        self._pending.append(item)
        return self.due()

    def due(self) -> bool:
        return bool(self._pending) and (len(self._pending) >= self.max_batch
                                        or self._now() >= self._last_flush + self.interval)

    def next_flush_at(self) -> float | None:
        return self._last_flush + self.interval if self._pending else None

    def drain(self) -> list[T]:
        batch, self._pending = self._pending, []
        self._last_flush = self._now()
        return batch


class TypingSignal(StrEnum):
    TYPING = "typing"
    STOPPED = "stopped"


class TypingThrottle:
    """The agent's own typing notifications: ``typing`` at most once per ``interval`` while
    keys are pressed, ``stopped`` once after ``idle`` seconds without a key (call
    :meth:`poll` at :meth:`next_deadline`) or when the text is cleared."""

    def __init__(self, *, now: Clock = time.time, interval: float = TYPING_SEND_INTERVAL,
                 idle: float = TYPING_IDLE_STOP) -> None:
        self._now = now
        self.interval = interval
        self.idle = idle
        self.active = False
        self._last_key = 0.0
        self._last_sent = float("-inf")

    def keystroke(self) -> TypingSignal | None:
        t = self._now()
        self._last_key = t
        if not self.active or t - self._last_sent >= self.interval:
            self.active = True
            self._last_sent = t
            return TypingSignal.TYPING
        return None

    def poll(self) -> TypingSignal | None:
        if self.active and self._now() - self._last_key >= self.idle:
            self.active = False
            return TypingSignal.STOPPED
        return None

    def text_cleared(self) -> TypingSignal | None:
        if self.active:
            self.active = False
            return TypingSignal.STOPPED
        return None

    def message_sent(self) -> None:
        """The message itself ends "typing" on the customer's side: nothing to send."""
        self.active = False

    def next_deadline(self) -> float | None:
        return self._last_key + self.idle if self.active else None


class KeyAction(StrEnum):
    SEND = "send"
    NEWLINE = "newline"
    IGNORE = "ignore"  # Enter on an empty composer: swallow it
    DEFAULT = "default"  # not ours: let the editor handle the key


ENTER_KEYS = frozenset({"enter", "return"})


def composer_key_action(text: str, key: str, modifiers: Iterable[str] = (), *,
                        composing: bool = False) -> KeyAction:
    """Enter sends, Shift+Enter inserts a newline, Ctrl+Enter sends too; Enter while an
    input method is composing (Chinese, Japanese) only confirms the composition.
    ``modifiers`` are names such as ``shift``, ``ctrl``, ``alt``, ``meta``, ``keypad``."""
    mods = {m.lower() for m in modifiers} - {"keypad"}
    if key.lower() not in ENTER_KEYS or composing:
        return KeyAction.DEFAULT
    if "shift" in mods:
        return KeyAction.NEWLINE
    if mods - {"ctrl", "control"}:
        return KeyAction.DEFAULT
    return KeyAction.SEND if text.strip() else KeyAction.IGNORE
