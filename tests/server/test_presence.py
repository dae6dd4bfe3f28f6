"""Live presence through real websocket connections: who has an interaction open, who is
typing (expiring on the server clock), disconnect clean-up, visibility; the customer's
typing and "seen" state of a chat; and a chat flood of 100 customer messages at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import ErrorCode
from agent_desk.server.connectors import Connector, ContactSink
from agent_desk.server.models import Interaction, Message
from agent_desk.server.presence import TYPING_TTL_S
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient


class TypingRecorder(Connector):
    """Records what the connectors are told of the assignee's typing."""

    name = "recorder"

    def __init__(self) -> None:
        self.typing: list[tuple[int, bool]] = []
        self._changed = asyncio.Event()

    async def start(self, sink: ContactSink) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def agent_typing(self, interaction_id: int, typing: bool) -> None:
        self.typing.append((interaction_id, typing))
        self._changed.set()

    async def wait(self, want: list[tuple[int, bool]]) -> None:
        async def until() -> None:
            while self.typing != want:
                self._changed.clear()
                await self._changed.wait()
        try:
            await asyncio.wait_for(until(), 5)
        except TimeoutError:
            raise AssertionError(self.typing) from None


async def _chat_for(world: World, who: str = "ann") -> tuple[WsClient, int]:
    agent = await world.login(who, available=True)
    iid = await world.contact("chat", body="Hi, anyone there?")
    await agent.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                           and d.change == "offered" and d.interaction.id == iid)
    assert (await agent.cmd(m.Accept, interaction_id=iid)).ok
    return agent, iid


def _mark(c: WsClient) -> set[int]:
    return {id(f) for f in c.frames}


async def _presence(c: WsClient, seen: set[int], pred: Callable[[m.Presence], bool]
                    ) -> m.Presence:
    """The first presence frame after ``seen`` matching ``pred``."""
    f = await c.wait_for(lambda f: isinstance(f, m.Presence) and id(f) not in seen
                         and pred(f))
    assert isinstance(f, m.Presence)
    return f


def _who(p: m.Presence) -> list[tuple[str, bool]]:
    return [(v.name, v.typing) for v in p.viewers]


async def _synced(c: WsClient, tag: str) -> None:
    """Everything pushed to ``c`` before now has arrived (frames keep their order)."""
    await c.send(m.Ping(id=tag))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == tag)


async def test_viewing_typing_leaving_and_disconnect(world: World) -> None:
    rec = TypingRecorder()
    world.server.connectors.append(rec)
    ann, iid = await _chat_for(world)
    bob = await world.login("bob")
    lead = await world.login("lead")

    s_ann = _mark(ann)
    await ann.send(m.Activity(interaction_id=iid))
    p = await _presence(ann, s_ann, lambda p: p.interaction_id == iid)
    assert _who(p) == [("Ann", False)] and not p.customer_typing
    assert p.viewers[0].agent_id == world.agent_id("ann") and p.viewers[0].role == "agent"

    s_ann, s_bob = _mark(ann), _mark(bob)
    await bob.send(m.Activity(interaction_id=iid))
    for c, s in ((ann, s_ann), (bob, s_bob)):
        p = await _presence(c, s, lambda p: len(p.viewers) == 2)
        assert _who(p) == [("Ann", False), ("Bob", False)]

    s_ann, s_bob = _mark(ann), _mark(bob)
    await bob.send(m.Activity(interaction_id=iid, typing=True))
    for c, s in ((ann, s_ann), (bob, s_bob)):
        p = await _presence(c, s, lambda p: ("Bob", True) in _who(p))
        assert _who(p) == [("Ann", False), ("Bob", True)]
    assert rec.typing == []  # bob is not the assignee: nothing goes to the customer

    s_ann, s_lead = _mark(ann), _mark(lead)
    await lead.send(m.Activity(interaction_id=iid))
    for c, s in ((ann, s_ann), (lead, s_lead)):
        p = await _presence(c, s, lambda p: len(p.viewers) == 3)
        assert [v.role for v in p.viewers] == ["agent", "agent", "lead"]

    s_ann, s_lead = _mark(ann), _mark(lead)
    await bob.send(m.Activity(interaction_id=iid, viewing=False))
    for c, s in ((ann, s_ann), (lead, s_lead)):
        p = await _presence(c, s, lambda p: len(p.viewers) == 2)
        assert _who(p) == [("Ann", False), ("Lead", False)]

    s_ann = _mark(ann)
    await lead.close()  # the connection closing removes its entries
    p = await _presence(ann, s_ann, lambda p: len(p.viewers) == 1)
    assert _who(p) == [("Ann", False)]

    # the assignee types: the customer is told; without a refresh it lapses after ~6 s
    s_ann = _mark(ann)
    await ann.send(m.Activity(interaction_id=iid, typing=True))
    await _presence(ann, s_ann, lambda p: _who(p) == [("Ann", True)])
    await rec.wait([(iid, True)])
    world.clock.advance(TYPING_TTL_S - 3)
    await ann.send(m.Activity(interaction_id=iid, typing=True))  # a refresh
    await _synced(ann, "refreshed")  # (frames of a connection are handled in order)
    await world.advance(3.5)  # 6.5 s after the first, 3.5 s after the refresh: still typing
    await _synced(ann, "still")
    assert _who([f for f in ann.frames if isinstance(f, m.Presence)][-1]) == [("Ann", True)]
    s_ann = _mark(ann)
    await world.advance(TYPING_TTL_S)
    p = await _presence(ann, s_ann, lambda p: p.interaction_id == iid)
    assert _who(p) == [("Ann", False)]
    await rec.wait([(iid, True), (iid, False)])

    # bob (who closed it) gets nothing more; the assignee sees the others leave too
    s_bob = _mark(bob)
    await _synced(bob, "bob")
    assert not any(isinstance(f, m.Presence) and id(f) not in s_bob for f in bob.frames)


async def test_assignee_is_told_without_viewing_and_typing_stops_on_disconnect(
        world: World) -> None:
    rec = TypingRecorder()
    world.server.connectors.append(rec)
    ann, iid = await _chat_for(world)
    lead = await world.login("lead")
    s_ann = _mark(ann)
    await lead.send(m.Activity(interaction_id=iid, typing=True))
    p = await _presence(ann, s_ann, lambda p: p.interaction_id == iid)  # ann is not viewing
    assert _who(p) == [("Lead", True)]

    ann2 = await world.login("ann")  # ann's second window
    await ann2.send(m.Activity(interaction_id=iid, typing=True))
    await rec.wait([(iid, True)])
    s_ann = _mark(ann)
    await ann2.close()  # her only typing connection goes: she stops typing for the customer
    p = await _presence(ann, s_ann, lambda p: len(p.viewers) == 1)
    assert _who(p) == [("Lead", True)]
    await rec.wait([(iid, True), (iid, False)])


async def test_activity_for_an_invisible_interaction_is_not_found(world: World) -> None:
    ann, iid = await _chat_for(world)
    li = await world.login("li")  # Chinese queue only: not hers to see
    await li.send(m.Activity(id="a1", interaction_id=iid))
    err = await li.wait_for(lambda f: isinstance(f, m.Error) and f.re == "a1")
    assert isinstance(err, m.Error) and err.code == ErrorCode.NOT_FOUND and not err.fatal
    await li.send(m.Activity(id="a2", interaction_id=987_654))
    err = await li.wait_for(lambda f: isinstance(f, m.Error) and f.re == "a2")
    assert isinstance(err, m.Error) and err.code == ErrorCode.NOT_FOUND
    await _synced(ann, "ann")
    assert not any(isinstance(f, m.Presence) for f in ann.frames)  # nobody was told
    await _synced(li, "li")  # li's connection keeps working


async def test_customer_typing_and_seen(world: World) -> None:
    ann, iid = await _chat_for(world)
    s_ann = _mark(ann)
    await ann.send(m.Activity(interaction_id=iid))
    await _presence(ann, s_ann, lambda p: _who(p) == [("Ann", False)])

    s_ann = _mark(ann)
    await world.server.customer_typing(iid, True)
    p = await _presence(ann, s_ann, lambda p: p.customer_typing)
    assert _who(p) == [("Ann", False)]
    s_ann = _mark(ann)
    await world.server.customer_message(iid, "It is order 1234")  # the message ends typing
    await _presence(ann, s_ann, lambda p: not p.customer_typing)

    s_ann = _mark(ann)
    await world.server.customer_typing(iid, True)
    await _presence(ann, s_ann, lambda p: p.customer_typing)
    s_ann = _mark(ann)
    await world.advance(TYPING_TTL_S + 0.5)  # no refresh from the widget: it lapses
    await _presence(ann, s_ann, lambda p: not p.customer_typing)
    await world.server.customer_typing(987_654, True)  # unknown: ignored, nothing breaks

    # seen: only after an agent message, once per new message
    await world.server.customer_seen(iid)
    assert (await ann.cmd(m.SendMessage, interaction_id=iid, body="Let me look.")).ok
    world.clock.advance(2)
    await world.server.customer_seen(iid)
    ev = await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                              and d.change == "seen")
    assert isinstance(ev.data, m.InteractionChanged)
    seen_at = ev.data.interaction.customer_seen_at
    assert seen_at is not None and seen_at.timestamp() == world.clock.now()
    world.clock.advance(2)
    await world.server.customer_seen(iid)  # nothing new since: ignored
    await _synced(ann, "seen")
    seen = [e for e in ann.events if isinstance(e.data, m.InteractionChanged)
            and e.data.change == "seen"]
    assert len(seen) == 1
    stored = world.server.store.run_sync(lambda s: s.get_one(Interaction, iid).customer_seen_at)
    assert stored == seen_at.timestamp()


async def test_chat_flood_of_100_messages_is_stored_and_delivered_in_order(
        world: World) -> None:
    ann, iid = await _chat_for(world)
    bodies = [f"flood {i:03d}" for i in range(100)]
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(world.server.customer_message(iid, b) for b in bodies))
    assert loop.time() - started < 5  # the flood is absorbed at >= 20 messages/s at worst

    def got() -> list[str]:
        return [e.data.message.body for e in ann.events if isinstance(e.data, m.MessageAdded)]

    await ann.wait_for(lambda f: len(got()) >= 100)
    assert got() == bodies and ann.gaps == [] and ann.closed is None
    stored = world.server.store.run_sync(lambda s: [
        x.body for x in s.query(Message).filter_by(interaction_id=iid)
        .order_by(Message.at, Message.id)])
    assert stored == ["Hi, anyone there?", *bodies]
    # the connection is healthy: commands still work, and the detail has every message
    assert (await ann.cmd(m.SendMessage, interaction_id=iid, body="Got them all")).ok
    detail = await ann.request(m.GetInteraction(interaction_id=iid))
    assert [x["body"] for x in detail.result["messages"]][1:101] == bodies
