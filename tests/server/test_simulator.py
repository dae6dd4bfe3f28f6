"""The traffic simulator against ``RecordingSink``, an in-test stand-in for the engine that
records every call (contacts, customer messages, customers leaving). Synchronisation is by
an ``asyncio.Event`` the sink sets on every call, never by fixed sleeps."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable

import pytest

from agent_desk.server import simulator_texts as texts
from agent_desk.server.connectors import InboundContact, Lifecycle, OutboundMessage
from agent_desk.server.simulator import TrafficSimulator

CUSTOMERS = [
    {"name": "Carol Smith", "language": "en", "tier": "standard", "phone": "+15550001",
     "email": "carol@example.com", "chat": "chat:carol"},
    {"name": "Victor Vip", "language": "en", "tier": "vip", "phone": "+15550002",
     "email": "victor@example.com", "chat": "chat:victor"},
    {"name": "王芳", "language": "zh", "tier": "gold", "phone": "+8613800000003",
     "email": "wangfang@example.cn", "chat": "chat:wang"},
]
CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGE_ID = re.compile(r"^<[0-9a-f-]{36}@customer\.example>$")
QUEUE_BY_MENU = {"billing": "Billing", "technical": "Technical", "orders": "General",
                 "general": "General"}


class RecordingSink:
    """Records what the simulator reports; ``changed`` is set on every call."""

    def __init__(self, customers: list[dict[str, str]] | None = None,
                 fail_first: int = 0) -> None:
        self.customers = CUSTOMERS if customers is None else customers
        self.contacts: dict[int, InboundContact] = {}
        self.messages: list[tuple[int, str]] = []
        self.left: list[tuple[int, str]] = []
        self.changed = asyncio.Event()
        self.fail_first = fail_first
        self._next_id = 100

    async def inbound_contact(self, contact: InboundContact) -> int:
        if self.fail_first > 0:
            self.fail_first -= 1
            self.changed.set()
            raise RuntimeError("store unavailable")
        self._next_id += 1
        self.contacts[self._next_id] = contact
        self.changed.set()
        return self._next_id

    async def customer_message(self, interaction_id: int, body: str) -> None:
        self.messages.append((interaction_id, body))
        self.changed.set()

    async def customer_left(self, interaction_id: int, reason: str = "customer left") -> None:
        self.left.append((interaction_id, reason))
        self.changed.set()

    async def customer_identities(self, limit: int = 200) -> list[dict[str, str]]:
        return [dict(c) for c in self.customers[:limit]]

    def messages_for(self, interaction_id: int) -> list[str]:
        return [body for iid, body in self.messages if iid == interaction_id]

    async def wait_for_messages(self, interaction_id: int, count: int) -> None:
        await self.wait_for(lambda: len(self.messages_for(interaction_id)) >= count)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


@contextlib.asynccontextmanager
async def running(sim: TrafficSimulator, sink: RecordingSink) -> AsyncIterator[TrafficSimulator]:
    await sim.start(sink)
    try:
        yield sim
    finally:
        await sim.stop()


def agent_says(iid: int, channel: str, body: str = "Hello, how can I help?") -> OutboundMessage:
    return OutboundMessage(interaction_id=iid, channel=channel, body=body, agent_name="Ann")


def topic_of_chat(contact: InboundContact) -> texts.Topic:
    for topic in texts.TOPICS:
        opening = topic.chat_opening.lang(contact.language)
        if re.fullmatch(re.escape(opening).replace(r"\{product\}", ".+"), contact.body):
            return topic
    raise AssertionError(f"no topic opens with {contact.body!r}")


async def test_simulator_with_recording_sink_creates_valid_contacts_per_channel() -> None:
    sink = RecordingSink()
    async with running(TrafficSimulator(0, seed=1), sink) as sim:
        ids = {ch: [await sim.generate_one(ch) for _ in range(8)]
               for ch in ("phone", "email", "chat")}
    assert sim.created == {"phone": 8, "email": 8, "chat": 8}
    known = {c[k] for c in CUSTOMERS for k in ("phone", "email", "chat")}
    for channel, iids in ids.items():
        for iid in iids:
            c = sink.contacts[iid]
            assert c.channel == c.identity_kind == channel
            assert c.identity in known and c.customer_name
            assert c.priority in {"low", "normal", "high", "urgent"}
            assert c.queue in {"General", "Billing", "Technical", "Chinese", "VIP"}
            assert c.subject
            if channel == "email":
                assert MESSAGE_ID.match(c.external_ref or ""), c.external_ref
                assert c.to == ["support@agentdesk.example"]
                assert c.body.count("\n") >= 3 and c.customer_name in c.body
            elif channel == "chat":
                assert c.body and "\n" not in c.body
                assert re.fullmatch(r"chat-[0-9a-f-]{36}", c.external_ref or "")
            else:
                assert c.body == "" and c.priority != "low"
                assert c.subject.startswith(("Inbound call: ", "来电："))
                assert c.ivr_data["menu"] in QUEUE_BY_MENU
                assert c.ivr_data["verified"] in {"yes", "no"}
                if c.ivr_data["verified"] == "yes":
                    assert re.fullmatch(r"ORD-\d{4,5}", c.ivr_data["order_number"])


async def test_simulator_with_recording_sink_sends_chinese_customers_to_chinese_queue() -> None:
    sink = RecordingSink([c for c in CUSTOMERS if c["language"] == "zh"])
    async with running(TrafficSimulator(0, seed=2), sink) as sim:
        for channel in ("phone", "email", "chat") * 4:
            await sim.generate_one(channel)
    for c in sink.contacts.values():
        assert c.language == "zh" and c.queue == "Chinese" and c.customer_name == "王芳"
        assert CJK.search(c.subject), c.subject
        if c.channel != "phone":
            assert CJK.search(c.body), c.body


async def test_simulator_with_recording_sink_routes_by_topic_and_vip_tier() -> None:
    standard = RecordingSink([CUSTOMERS[0]])
    async with running(TrafficSimulator(0, seed=3), standard) as sim:
        for _ in range(30):
            await sim.generate_one("phone")
    for c in standard.contacts.values():
        assert c.language == "en" and not CJK.search(c.subject)
        assert c.queue == QUEUE_BY_MENU[c.ivr_data["menu"]]
    assert {c.queue for c in standard.contacts.values()} == {"General", "Billing", "Technical"}

    vip = RecordingSink([CUSTOMERS[1]])
    async with running(TrafficSimulator(0, seed=3, vip_queue_share=1.0), vip) as sim:
        for channel in ("phone", "email", "chat"):
            await sim.generate_one(channel)
    assert {c.queue for c in vip.contacts.values()} == {"VIP"}


async def test_simulator_with_recording_sink_plays_the_chat_script_then_acknowledges() -> None:
    sink = RecordingSink([CUSTOMERS[0]])
    sim = TrafficSimulator(0, seed=4, chat_reply_delay=(0.0, 0.01))
    async with running(sim, sink):
        iid = await sim.generate_one("chat")
        script = topic_of_chat(sink.contacts[iid]).chat_script
        assert 2 <= len(script) <= 4
        for turn in range(1, len(script) + 2):
            await sim.deliver(agent_says(iid, "chat"))
            await sink.wait_for_messages(iid, turn)
        replies = sink.messages_for(iid)
    assert not any("{" in r for r in replies)
    assert "thank" in replies[len(script) - 1].lower()
    assert replies[-1] in {a.en for a in texts.ACKNOWLEDGEMENTS}
    assert sim.replies_sent == len(script) + 1 and sink.left == []


async def test_simulator_with_recording_sink_chats_in_chinese() -> None:
    sink = RecordingSink([CUSTOMERS[2]])
    sim = TrafficSimulator(0, seed=5, chat_reply_delay=(0.0, 0.01))
    async with running(sim, sink):
        iid = await sim.generate_one("chat")
        await sim.deliver(agent_says(iid, "chat", "您好，请问有什么可以帮您？"))
        await sink.wait_for(lambda: bool(sink.messages_for(iid)))
    assert CJK.search(sink.messages_for(iid)[0])


async def test_simulator_with_recording_sink_replies_to_an_email_at_most_once() -> None:
    sink = RecordingSink([CUSTOMERS[0]])
    sim = TrafficSimulator(0, seed=6, email_reply_chance=1.0, email_reply_delay=(0.0, 0.01))
    async with running(sim, sink):
        first = await sim.generate_one("email")
        await sim.deliver(agent_says(first, "email", "We are looking into it."))
        await sim.deliver(agent_says(first, "email", "One more detail."))
        await sink.wait_for(lambda: bool(sink.messages_for(first)))
        await sim.deliver(agent_says(first, "email", "Anything else?"))
        second = await sim.generate_one("email")
        await sim.deliver(agent_says(second, "email"))
        await sink.wait_for(lambda: bool(sink.messages_for(second)))
    (reply,) = sink.messages_for(first)
    assert "Carol Smith" in reply and reply.count("\n") >= 3
    assert sim.replies_sent == 2


async def test_simulator_with_recording_sink_abandons_unanswered_call_and_chat() -> None:
    sink = RecordingSink()
    sim = TrafficSimulator(0, seed=7, patience=(0.01, 0.02))
    async with running(sim, sink):
        call = await sim.generate_one("phone")
        chat = await sim.generate_one("chat")
        await sink.wait_for(lambda: len(sink.left) == 2)
        assert sim.tracked == 0
    assert sorted(sink.left) == sorted([(call, "caller hung up"), (chat, "visitor left")])
    assert sim.abandoned == 2


async def test_simulator_with_recording_sink_keeps_answered_contacts_and_emails() -> None:
    sink = RecordingSink()
    sim = TrafficSimulator(0, seed=8, patience=(0.01, 0.01))
    async with running(sim, sink):
        call = await sim.generate_one("phone")
        chat = await sim.generate_one("chat")
        email = await sim.generate_one("email")
        for iid, channel in ((call, "phone"), (chat, "chat")):
            await sim.lifecycle(Lifecycle(iid, channel, "assigned", "accepted"))
        waiting = await sim.generate_one("phone")  # created last, so it gives up last
        await sink.wait_for(lambda: bool(sink.left))
        assert sink.left == [(waiting, "caller hung up")] and sim.abandoned == 1
        assert sim.tracked == 2  # the answered chat and the email; the call needs nothing
        await sim.lifecycle(Lifecycle(chat, "chat", "closed", "closed"))
        await sim.lifecycle(Lifecycle(email, "email", "closed", "closed"))
        assert sim.tracked == 0


async def test_simulator_with_recording_sink_generates_automatically_and_stops() -> None:
    sink = RecordingSink()
    sim = TrafficSimulator(6000, seed=9)  # ~100 a second
    async with running(sim, sink):
        await sink.wait_for(lambda: len(sink.contacts) >= 10)
    count = len(sink.contacts)
    assert sum(sim.created.values()) == count and sim.tracked == 0
    await sim.stop()  # stopping twice is harmless
    assert len(sink.contacts) == count


async def test_simulator_with_recording_sink_survives_sink_errors(
        caplog: pytest.LogCaptureFixture) -> None:
    sink = RecordingSink(fail_first=3)
    with caplog.at_level(logging.ERROR, logger="agent_desk.simulator"):
        async with running(TrafficSimulator(6000, seed=10), sink):
            await sink.wait_for(lambda: len(sink.contacts) >= 2)
    assert sink.fail_first == 0
    assert sum("simulated contact failed" in r.getMessage() for r in caplog.records) == 3


async def test_simulator_with_recording_sink_uses_synthetic_customers_if_none_known() -> None:
    sink = RecordingSink([])
    async with running(TrafficSimulator(0, seed=11), sink) as sim:
        for channel in ("phone", "email", "chat"):
            await sim.generate_one(channel)
    synthetic = {c[k] for c in texts.SYNTHETIC_CUSTOMERS for k in ("phone", "email", "chat")}
    assert {c.identity for c in sink.contacts.values()} <= synthetic


async def test_simulator_with_recording_sink_picks_customers_having_the_identity() -> None:
    no_phone = {k: v for k, v in CUSTOMERS[0].items() if k != "phone"}
    sink = RecordingSink([no_phone, CUSTOMERS[2]])
    async with running(TrafficSimulator(0, seed=12), sink) as sim:
        for _ in range(5):
            await sim.generate_one("phone")
    assert {c.identity for c in sink.contacts.values()} == {CUSTOMERS[2]["phone"]}


async def test_simulator_with_recording_sink_is_deterministic_with_a_seed() -> None:
    async def run(seed: int) -> list[InboundContact]:
        sink = RecordingSink()
        async with running(TrafficSimulator(0, seed=seed), sink) as sim:
            for _ in range(12):
                await sim.generate_one()
        return list(sink.contacts.values())

    first, again, other = await run(42), await run(42), await run(43)
    assert first == again and first != other
    assert len({c.channel for c in first}) > 1


async def test_simulator_with_recording_sink_bounds_its_bookkeeping() -> None:
    sink = RecordingSink()
    async with running(TrafficSimulator(0, seed=13, max_tracked=3), sink) as sim:
        for _ in range(10):
            await sim.generate_one("email")
        assert sim.tracked == 3


def test_simulator_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        TrafficSimulator(-1)
    with pytest.raises(ValueError):
        TrafficSimulator(1, mix={"fax": 1.0})
    with pytest.raises(ValueError):
        TrafficSimulator(1, patience=(5.0, 1.0))
    with pytest.raises(ValueError):
        TrafficSimulator(1, urgent_share=0.5, high_share=0.6)
