"""The chat model without widgets: transcript order and de-duplication, seen state, the
customer's typing indicator, unread counts and "waited longest", flood coalescing, the
agent's typing throttle, and the composer's Enter rule. All time is a fake clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from agent_desk.channels.chat import (
    CUSTOMER_TYPING_TTL,
    Chat,
    ChatWorkspace,
    InboundCoalescer,
    KeyAction,
    Speaker,
    Turn,
    TypingSignal,
    TypingThrottle,
    composer_key_action,
    turn_from_message,
)
from agent_desk.protocol.enums import Direction
from agent_desk.protocol.views import MessageView

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.t = T0.timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def turn(key: str, speaker: Speaker, seconds: float, text: str = "") -> Turn:
    return Turn(key, speaker, text or key, T0 + timedelta(seconds=seconds))


C, A, SYS = Speaker.CUSTOMER, Speaker.AGENT, Speaker.SYSTEM


def test_message_views_become_turns() -> None:
    m = MessageView(id=9, interaction_id=1, direction=Direction.INBOUND, author="Ada",
                    body="hi", at=T0)
    assert turn_from_message(m) == Turn("9", C, "hi", T0, "Ada")
    chat = Chat(1, now=FakeClock())
    chat.add(m)
    chat.add(MessageView(id=10, interaction_id=1, direction=Direction.INTERNAL, author="Bea",
                         body="note", at=T0))
    assert [t.speaker for t in chat] == [C, Speaker.NOTE]


def test_transcript_keeps_time_order_and_ignores_repeats() -> None:
    chat = Chat(1, now=FakeClock())
    change = chat.add_many([turn("b", C, 2), turn("a", C, 1)])
    assert [t.key for t in chat] == ["a", "b"] and (change.first_row, change.inserted) == (0, 2)
    change = chat.add_many([turn("c", A, 3), turn("a", C, 1)])  # "a" replayed after a resume
    assert (change.first_row, change.inserted, change.reset) == (2, 1, False)
    change = chat.add(turn("b", C, 2, "edited"))
    assert change.updated == (1,) and chat[1].text == "edited" and change.inserted == 0
    change = chat.add(turn("early", SYS, 0))  # older than the newest: merged, view reset
    assert change.reset and [t.key for t in chat] == ["early", "a", "b", "c"]


def test_seen_state() -> None:
    chat = Chat(1, now=FakeClock())
    chat.add_many([turn("c1", C, 1), turn("a1", A, 2), turn("a2", A, 3), turn("c2", C, 4)])
    assert chat.last_seen_row() is None and not chat.is_seen(1)
    chat.mark_seen("a1")
    assert chat.is_seen(1) and not chat.is_seen(2) and not chat.is_seen(0)
    assert chat.last_seen_row() == 1
    chat.mark_seen(T0 + timedelta(seconds=10))
    assert chat.last_seen_row() == 2
    chat.mark_seen("a1")  # never goes back
    assert chat.last_seen_row() == 2
    chat.mark_seen("unknown")
    assert chat.last_seen_row() == 2


def test_customer_typing_indicator_expires() -> None:
    clock = FakeClock()
    chat = Chat(1, now=clock)
    chat.customer_typing()
    assert chat.customer_is_typing()
    assert chat.typing_expires_at() == clock.t + CUSTOMER_TYPING_TTL
    clock.advance(CUSTOMER_TYPING_TTL - 0.1)
    assert chat.customer_is_typing()
    clock.advance(0.2)
    assert not chat.customer_is_typing() and chat.typing_expires_at() is None
    chat.customer_typing()
    chat.add(turn("c", C, 1))  # their message ends their typing
    assert not chat.customer_is_typing()
    chat.customer_typing()
    chat.customer_typing(False)
    assert not chat.customer_is_typing()


def test_waiting_since() -> None:
    chat = Chat(1, now=FakeClock())
    assert chat.waiting_since() is None
    chat.add_many([turn("c1", C, 1), turn("s", SYS, 2), turn("c2", C, 3)])
    assert chat.waiting_since() == T0 + timedelta(seconds=1)
    chat.add(turn("a1", A, 4))
    assert chat.waiting_since() is None
    chat.add(turn("c3", C, 5))
    assert chat.waiting_since() == T0 + timedelta(seconds=5)
    chat.add(turn("a0", A, 4.5))  # late agent message before c3: c3 still waits
    assert chat.waiting_since() == T0 + timedelta(seconds=5)
    chat.add(turn("a2", A, 6))
    assert chat.waiting_since() is None


def test_workspace_unread_and_longest_waiting() -> None:
    clock = FakeClock()
    ws = ChatWorkspace(capacity=2)
    one, two = Chat(1, now=clock), Chat(2, now=clock)
    ws.open(one)
    ws.open(two)
    assert ws.focused_id == 1 and not ws.has_room()
    one.add(turn("x", C, 5))
    two.add_many([turn("y", C, 3), turn("z", C, 4)])
    assert ws.unread_counts() == {1: 0, 2: 2}
    assert ws.longest_waiting() == 2
    ws.focus(2)
    assert ws.unread_counts() == {1: 0, 2: 0}
    two.add(turn("a", A, 6))
    assert ws.longest_waiting() == 1
    one.add(turn("b", A, 7))
    assert ws.longest_waiting() is None
    one.add(turn("w", C, 8))
    assert ws.unread_counts()[1] == 1
    ws.close(2)
    assert ws.focused_id == 1 and ws.unread_counts() == {1: 0} and ws.has_room()


def test_flood_of_ten_thousand_messages_is_coalesced_quickly() -> None:
    clock = FakeClock()
    chat = Chat(1, now=clock)
    coalescer: InboundCoalescer[Turn] = InboundCoalescer(now=clock, interval=0.1)
    flushes = 0
    started = time.perf_counter()
    for i in range(10_000):  # 100 messages per second for 100 s
        clock.advance(0.01)
        if coalescer.push(turn(f"m{i}", C, i / 100)):
            chat.add_many(coalescer.drain())
            flushes += 1
    chat.add_many(coalescer.drain())
    elapsed = time.perf_counter() - started
    assert len(chat) == 10_000 and chat.unread == 10_000
    assert [t.key for t in chat.turns[:3]] == ["m0", "m1", "m2"]
    assert 900 <= flushes <= 1_001  # about ten messages per view update, not one each
    assert elapsed < 3


def test_add_many_of_a_big_burst_in_one_step() -> None:
    chat = Chat(1, now=FakeClock())
    burst = [turn(f"m{i}", C, i / 100) for i in range(10_000)]
    started = time.perf_counter()
    change = chat.add_many(reversed(burst))
    change2 = chat.add_many(burst)  # replay: nothing new
    assert change.inserted == 10_000 and change2.inserted == 0
    assert chat[0].key == "m0" and chat[-1].key == "m9999"
    assert time.perf_counter() - started < 2


def test_coalescer_due_rules() -> None:
    clock = FakeClock()
    co: InboundCoalescer[int] = InboundCoalescer(now=clock, interval=0.5, max_batch=3)
    assert co.next_flush_at() is None and not co.due()
    assert co.push(1)  # first after quiet: at once
    assert co.drain() == [1]
    assert not co.push(2) and co.next_flush_at() == clock.t + 0.5
    assert not co.push(3)
    assert co.push(4)  # max_batch reached
    assert co.drain() == [2, 3, 4]
    co.push(5)
    clock.advance(0.5)
    assert co.due() and co.drain() == [5]


def test_typing_throttle() -> None:
    clock = FakeClock()
    th = TypingThrottle(now=clock, interval=3, idle=5)
    sent = []
    for _ in range(28):  # a key every 0.25 s for 7 s
        sent.append((clock.t - T0.timestamp(), th.keystroke()))
        clock.advance(0.25)
    assert [t for t, s in sent if s == TypingSignal.TYPING] == [0.0, 3.0, 6.0]
    assert th.poll() is None and th.next_deadline() == clock.t - 0.25 + 5
    clock.advance(4.5)
    assert th.poll() is None
    clock.advance(0.25)
    assert th.poll() == TypingSignal.STOPPED
    assert th.poll() is None and th.next_deadline() is None
    assert th.keystroke() == TypingSignal.TYPING  # typing again after a stop: at once
    assert th.text_cleared() == TypingSignal.STOPPED and th.text_cleared() is None
    th.keystroke()
    th.message_sent()
    assert th.poll() is None and th.keystroke() == TypingSignal.TYPING


@pytest.mark.parametrize(("text", "key", "mods", "composing", "want"), [
    ("hi", "Return", (), False, KeyAction.SEND),
    ("hi", "Enter", ("keypad",), False, KeyAction.SEND),
    ("hi", "Return", ("shift",), False, KeyAction.NEWLINE),
    ("", "Return", ("Shift",), False, KeyAction.NEWLINE),
    ("hi", "Return", ("ctrl",), False, KeyAction.SEND),
    ("   \n", "Return", (), False, KeyAction.IGNORE),
    ("你好", "Return", (), True, KeyAction.DEFAULT),
    ("hi", "Return", ("alt",), False, KeyAction.DEFAULT),
    ("hi", "A", (), False, KeyAction.DEFAULT),
])
def test_enter_to_send(text: str, key: str, mods: tuple[str, ...], composing: bool,
                       want: KeyAction) -> None:
    assert composer_key_action(text, key, mods, composing=composing) == want
