"""Routing through real websocket clients on a real server with a manual clock: skills,
capacity, least loaded / longest idle, offer timeouts, declines, presence, picking,
urgency order, transfers, calls with wrap-up (and its time limit), agent state events."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from agent_desk.protocol import messages as m
from agent_desk.protocol.views import InteractionView
from agent_desk.server.clock import ManualClock
from agent_desk.server.models import Interaction, Queue, Transition
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient

_ping_ids = itertools.count(1)


# ---- helpers ------------------------------------------------------------------------------

def _is_change(iid: int, change: str | None = None):  # type: ignore[no-untyped-def]
    return lambda d: (isinstance(d, m.InteractionChanged) and d.interaction.id == iid
                      and (change is None or d.change == change))


async def wait_change(c: WsClient, iid: int, change: str) -> InteractionView:
    ev = await c.wait_event(_is_change(iid, change))
    assert isinstance(ev.data, m.InteractionChanged)
    return ev.data.interaction


async def wait_offer(c: WsClient, iid: int, agent_id: int) -> InteractionView:
    """Wait until ``c`` hears that ``iid`` was offered to ``agent_id``."""
    ev = await c.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                            and d.interaction.id == iid and d.change == "offered"
                            and d.interaction.offered_agent_id == agent_id)
    assert isinstance(ev.data, m.InteractionChanged)
    return ev.data.interaction


def changes(c: WsClient, iid: int) -> list[str]:
    return [e.data.change for e in c.events
            if isinstance(e.data, m.InteractionChanged) and e.data.interaction.id == iid]


def agent_events(c: WsClient, agent_id: int) -> list[m.AgentChanged]:
    return [e.data for e in c.events
            if isinstance(e.data, m.AgentChanged) and e.data.agent.id == agent_id]


async def barrier(c: WsClient) -> None:
    """Everything the server queued for ``c`` before this point has arrived (a ping's pong
    travels through the same per-connection send queue as events)."""
    pid = f"sync{next(_ping_ids)}"
    await c.send(m.Ping(id=pid))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == pid)


def row(world: World, iid: int) -> tuple[str, int | None, int | None]:
    """The interaction's state, offeree and assignee as stored."""
    def q(s: Session) -> tuple[str, int | None, int | None]:
        i = s.get_one(Interaction, iid)
        return i.state, i.offered_agent_id, i.assigned_agent_id
    return world.server.store.run_sync(q)


def queue_ids(world: World) -> dict[str, int]:
    return world.server.store.run_sync(lambda s: {q.name: q.id for q in s.query(Queue)})


def at(world: World) -> datetime:
    return datetime.fromtimestamp(world.clock.now(), UTC)


def ids(world: World, *names: str) -> list[int]:
    return [world.agent_id(n) for n in names]


# ---- skills -------------------------------------------------------------------------------

async def test_chinese_contact_goes_only_to_li(world: World) -> None:
    ann = await world.login("ann", available=True)
    bob = await world.login("bob", available=True)
    li = await world.login("li", available=True)
    lead = await world.login("lead")
    li_id = world.agent_id("li")

    iid = await world.contact("chat", "wang", queue="Chinese", body="你好，我的订单在哪里？")
    view = await wait_change(li, iid, "offered")
    assert view.offered_agent_id == li_id and view.queue_id == queue_ids(world)["Chinese"]
    await wait_offer(lead, iid, li_id)
    for other in (ann, bob):  # not members of the Chinese queue: they hear nothing of it
        await barrier(other)
        assert changes(other, iid) == []


async def test_billing_contact_needs_the_billing_skill(world: World) -> None:
    # ann is idle longer, so without the skill rule she would get it
    ann = await world.login("ann", available=True)
    await world.advance(30)
    bob = await world.login("bob", available=True)
    ann_id, bob_id = ids(world, "ann", "bob")

    iid = await world.contact("chat", queue="Billing", subject="Refund")
    await wait_offer(bob, iid, bob_id)
    # ann belongs to the Billing queue, so she sees it waiting, offered to bob
    await wait_offer(ann, iid, bob_id)
    # the same kind of contact in General goes to ann (idle longer, equally able)
    gid = await world.contact("chat", queue="General")
    await wait_offer(ann, gid, ann_id)
    assert row(world, iid) == ("offered", bob_id, None)


# ---- capacity -----------------------------------------------------------------------------

async def test_fourth_chat_waits_until_a_chat_is_wrapped_up(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    chats = [await world.contact("chat", body=f"chat {n}") for n in range(4)]
    for iid in chats[:3]:  # offered one at a time, each as the previous one is accepted
        await wait_offer(ann, iid, ann_id)
        assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    assert row(world, chats[3]) == ("queued", None, None)  # three chats: capacity reached
    assert (await ann.cmd(m.SendMessage, interaction_id=chats[0], body="Done, bye!")).ok
    assert (await ann.cmd(m.Close, interaction_id=chats[0])).ok
    # one chat is free, but an agent in wrap-up gets no new work
    assert row(world, chats[3]) == ("queued", None, None)
    assert (await ann.cmd(m.WrapUp, interaction_id=chats[0], disposition="resolved")).ok
    assert (await wait_change(ann, chats[3], "offered")).offered_agent_id == ann_id
    snap_load = agent_events(ann, ann_id)[-1].agent.load
    assert (snap_load.chat, snap_load.phone, snap_load.email) == (3, 0, 0)


async def test_second_call_waits_until_the_first_ends(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    first = await world.contact("phone")
    await wait_offer(ann, first, ann_id)
    second = await world.contact("phone", "victor")
    assert row(world, second) == ("queued", None, None)
    chat = await world.contact("chat")
    assert row(world, chat) == ("queued", None, None)  # the call is still ringing

    assert (await ann.cmd(m.Accept, interaction_id=first)).ok
    # a chat still fits beside the call (capacities are per channel); a second call not
    await wait_offer(ann, chat, ann_id)
    assert (await ann.cmd(m.Decline, interaction_id=chat, reason="on a call")).ok
    assert row(world, second) == ("queued", None, None)
    assert (await ann.cmd(m.HangUp, interaction_id=first)).ok
    assert row(world, second) == ("queued", None, None)  # ann is in wrap-up
    assert (await ann.cmd(m.WrapUp, interaction_id=first, disposition="info_provided")).ok
    await wait_offer(ann, second, ann_id)


# ---- longest idle ---------------------------------------------------------------------------

async def test_longest_idle_agent_gets_the_work(world: World) -> None:
    # bob becomes available first (and has the higher id): he has been idle longer
    bob = await world.login("bob", available=True)
    await world.advance(15)
    ann = await world.login("ann", available=True)
    ann_id, bob_id = ids(world, "ann", "bob")

    first = await world.contact("chat")
    await wait_offer(bob, first, bob_id)
    assert (await bob.cmd(m.Accept, interaction_id=first)).ok
    # now bob holds one chat: the least loaded (ann) comes before the longest idle
    second = await world.contact("chat")
    await wait_offer(ann, second, ann_id)
    assert (await ann.cmd(m.Accept, interaction_id=second)).ok
    # both loaded equally again: bob, still idle longer, gets the third
    third = await world.contact("chat")
    await wait_offer(bob, third, bob_id)


async def test_idle_time_restarts_when_an_agent_becomes_available_again(world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(10)
    bob = await world.login("bob", available=True)
    ann_id, bob_id = ids(world, "ann", "bob")
    await world.advance(10)
    # ann takes a break and comes back: her idle time starts again, after bob's
    assert (await ann.cmd(m.SetState, state="away", reason="break")).ok
    await world.advance(10)
    assert (await ann.cmd(m.SetState, state="available")).ok
    iid = await world.contact("chat")
    await wait_offer(bob, iid, bob_id)
    assert row(world, iid) == ("offered", bob_id, None)
    assert ann_id != bob_id


# ---- offer timeout, decline, presence --------------------------------------------------------

async def test_offer_times_out_moves_on_and_sets_the_agent_away(world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(5)
    bob = await world.login("bob", available=True)
    lead = await world.login("lead")
    ann_id, bob_id = ids(world, "ann", "bob")

    iid = await world.contact("chat")
    offer = await wait_change(ann, iid, "offered")
    assert offer.offered_agent_id == ann_id
    assert offer.offer_expires_at is not None and offer.offered_at is not None
    assert (offer.offer_expires_at - offer.offered_at).total_seconds() == 20

    await world.advance(19.5)
    assert row(world, iid) == ("offered", ann_id, None)
    await world.advance(0.5)
    timed_out = await wait_change(ann, iid, "offer_timeout")
    assert timed_out.state == "queued" and timed_out.offered_agent_id is None
    await wait_offer(bob, iid, bob_id)
    away = await ann.wait_event(lambda d: isinstance(d, m.AgentChanged)
                                and d.agent.state == "away")
    assert isinstance(away.data, m.AgentChanged)
    assert away.data.agent.away_reason == "missed_offer"
    assert away.data.agent.state_since == at(world)
    # the lead saw the whole story
    await wait_change(lead, iid, "offered")
    await barrier(lead)
    assert changes(lead, iid) == ["created", "offered", "offer_timeout", "offered"]
    # too late to accept
    late = await ann.cmd(m.Accept, interaction_id=iid)
    assert not late.ok and late.error is not None and late.error.code == "invalid_state"


async def test_one_offer_rings_at_a_time(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    first, second = (await world.contact("chat"), await world.contact("email"))
    await wait_offer(ann, first, ann_id)
    assert row(world, second) == ("queued", None, None)
    assert (await ann.cmd(m.Decline, interaction_id=first, reason="busy")).ok
    await wait_offer(ann, second, ann_id)  # the next one rings once the first is answered


async def test_several_offers_timing_out_together_are_each_timed_out_once(
        db_path: str, clock: ManualClock) -> None:
    world = await build_world(db_path, clock, max_pending_offers=3)  # a multi-offer site
    try:
        await _several_offers_time_out(world)
    finally:
        await world.close()


async def _several_offers_time_out(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    chats = [await world.contact("chat", body=f"chat {n}") for n in range(3)]
    for iid in chats:
        await wait_change(ann, iid, "offered")
    await world.advance(20)
    await ann.wait_event(lambda d: isinstance(d, m.AgentChanged) and d.agent.state == "away")
    await barrier(ann)
    for iid in chats:
        assert changes(ann, iid) == ["created", "offered", "offer_timeout"], iid
        assert row(world, iid) == ("queued", None, None)
    trans = world.server.store.run_sync(lambda s: [
        (t.interaction_id, t.from_state, t.to_state) for t in
        s.query(Transition).filter(Transition.interaction_id.in_(chats))
        .order_by(Transition.id)])
    for iid in chats:
        assert [(f, t) for i, f, t in trans if i == iid] == [
            (None, "queued"), ("queued", "offered"), ("offered", "queued")]
    runs = [a.agent.state for a in agent_events(ann, ann_id)]
    runs = [st for n, st in enumerate(runs) if n == 0 or runs[n - 1] != st]
    assert runs == ["available", "busy", "away"]


async def test_decline_goes_to_the_other_agent_and_not_back_within_two_minutes(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(5)
    bob = await world.login("bob", available=True)
    ann_id, bob_id = ids(world, "ann", "bob")

    iid = await world.contact("chat")
    await wait_offer(ann, iid, ann_id)
    ack = await ann.cmd(m.Decline, interaction_id=iid, reason="not my topic")
    assert ack.ok and ack.result["state"] == "queued"
    await wait_change(ann, iid, "offer_declined")
    await wait_offer(bob, iid, bob_id)
    assert (await bob.cmd(m.Decline, interaction_id=iid)).ok
    # both declined: nobody gets it for two minutes, though both are available and free
    assert row(world, iid) == ("queued", None, None)
    await world.advance(60)
    assert row(world, iid) == ("queued", None, None)
    await world.advance(59.5)
    assert row(world, iid) == ("queued", None, None)
    await world.advance(0.5)
    state, offered, _ = row(world, iid)
    assert state == "offered" and offered in (ann_id, bob_id)
    # a decliner keeps their presence (unlike an offer that rings out)
    await barrier(ann)
    assert agent_events(ann, ann_id)[-1].agent.state in ("available", "busy")


async def test_decliner_alone_is_not_offered_it_again_for_two_minutes(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    iid = await world.contact("chat")
    await wait_change(ann, iid, "offered")
    assert (await ann.cmd(m.Decline, interaction_id=iid)).ok
    other = await world.contact("chat")  # ann still gets other work meanwhile
    await wait_offer(ann, other, ann_id)
    assert (await ann.cmd(m.Accept, interaction_id=other)).ok
    await world.advance(119.5)
    assert row(world, iid) == ("queued", None, None)
    await world.advance(0.5)
    assert row(world, iid) == ("offered", ann_id, None)


async def test_nothing_routes_to_away_or_offline_agents(world: World) -> None:
    ann = await world.login("ann")
    bob = await world.login("bob")  # never chose available: offline
    lead = await world.login("lead")
    ann_id = world.agent_id("ann")
    assert (await ann.cmd(m.SetState, state="away", reason="lunch")).ok
    iid = await world.contact("chat")
    email = await world.contact("email", subject="Invoice")
    await world.advance(30)
    await barrier(lead)
    assert row(world, iid) == ("queued", None, None)
    assert row(world, email) == ("queued", None, None)
    assert "offered" not in changes(lead, iid) + changes(lead, email)
    await barrier(bob)
    assert "offered" not in changes(bob, iid)
    # back from lunch: the waiting work is offered at once
    assert (await ann.cmd(m.SetState, state="available")).ok
    await wait_offer(ann, iid, ann_id)
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok  # one offer rings at a time
    await wait_offer(ann, email, ann_id)


async def test_going_away_withdraws_the_pending_offer(world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(5)
    bob = await world.login("bob", available=True)
    ann_id, bob_id = ids(world, "ann", "bob")
    iid = await world.contact("chat")
    await wait_offer(ann, iid, ann_id)

    ack = await ann.cmd(m.SetState, state="away", reason="meeting")
    assert ack.ok and ack.result == {"state": "away"}
    withdrawn = await wait_change(ann, iid, "offer_withdrawn")
    assert withdrawn.offered_agent_id is None
    await wait_offer(bob, iid, bob_id)
    # going offline does the same
    assert (await bob.cmd(m.SetState, state="offline")).ok
    await wait_change(bob, iid, "offer_withdrawn")
    assert row(world, iid) == ("queued", None, None)


# ---- picking emails -------------------------------------------------------------------------

async def test_pick_a_queued_email(world: World) -> None:
    ann = await world.login("ann")
    bob = await world.login("bob")
    li = await world.login("li")
    ann_id = world.agent_id("ann")
    email = await world.contact("email", subject="Warranty question")
    chat = await world.contact("chat")
    assert row(world, email) == ("queued", None, None)

    denied = await li.cmd(m.Pick, interaction_id=email)  # li is not in General
    assert not denied.ok and denied.error is not None and denied.error.code == "forbidden"
    not_email = await ann.cmd(m.Pick, interaction_id=chat)
    assert not not_email.ok and not_email.error is not None
    assert not_email.error.code == "invalid_state"

    ack = await ann.cmd(m.Pick, interaction_id=email)
    assert ack.ok and ack.result == {"interaction_id": email, "state": "assigned"}
    picked = await wait_change(ann, email, "picked")
    assert picked.assigned_agent_id == ann_id and picked.state == "assigned"
    # bob (same queue) sees it leave the queue, and cannot pick it any more
    assert (await wait_change(bob, email, "picked")).assigned_agent_id == ann_id
    again = await bob.cmd(m.Pick, interaction_id=email)
    assert not again.ok and again.error is not None and again.error.code == "invalid_state"
    assert row(world, email) == ("assigned", None, ann_id)


# ---- most urgent first ------------------------------------------------------------------------

async def test_vip_call_is_offered_before_an_earlier_standard_call(world: World) -> None:
    ann = await world.login("ann")
    ann_id = world.agent_id("ann")
    assert (await ann.cmd(m.SetState, state="away", reason="break")).ok
    standard = await world.contact("phone", "carol")  # answer within 60 s
    await world.advance(1)
    vip = await world.contact("phone", "victor")  # answer within 20 s: due earlier
    assert (await ann.cmd(m.SetState, state="available")).ok
    await wait_offer(ann, vip, ann_id)
    assert row(world, standard) == ("queued", None, None)


async def test_urgent_call_is_offered_before_an_earlier_normal_call(world: World) -> None:
    ann = await world.login("ann")
    ann_id = world.agent_id("ann")
    assert (await ann.cmd(m.SetState, state="away", reason="break")).ok
    normal = await world.contact("phone", "carol")
    await world.advance(1)
    urgent = await world.contact("phone", "carol", priority="urgent")
    await world.advance(1)
    low = await world.contact("phone", "carol", priority="low")
    assert (await ann.cmd(m.SetState, state="available")).ok
    await wait_offer(ann, urgent, ann_id)
    assert (await ann.cmd(m.Accept, interaction_id=urgent)).ok
    assert (await ann.cmd(m.HangUp, interaction_id=urgent)).ok
    assert (await ann.cmd(m.WrapUp, interaction_id=urgent, disposition="resolved")).ok
    await wait_offer(ann, normal, ann_id)
    assert row(world, low) == ("queued", None, None)


# ---- transfers ------------------------------------------------------------------------------

async def test_transfer_to_a_queue_then_to_an_agent(world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(5)
    bob = await world.login("bob", available=True)
    li = await world.login("li", available=True)
    ann_id, bob_id, li_id = ids(world, "ann", "bob", "li")
    billing = queue_ids(world)["Billing"]

    iid = await world.contact("chat", body="I was charged twice")
    await wait_change(ann, iid, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    ack = await ann.cmd(m.Transfer, interaction_id=iid, to_queue_id=billing,
                        note="double charge, needs billing")
    assert ack.ok and ack.result == {"state": "queued", "queue_id": billing}
    moved = await wait_change(ann, iid, "transferred")
    assert moved.state == "queued" and moved.queue_id == billing
    assert moved.assigned_agent_id is None
    # Billing needs the billing skill: bob, not ann (who is also free and in Billing)
    await wait_offer(bob, iid, bob_id)
    assert (await bob.cmd(m.Accept, interaction_id=iid)).ok
    # ann is no longer busy with it
    await ann.wait_event(lambda d: isinstance(d, m.AgentChanged) and d.agent.id == ann_id
                         and d.agent.state == "available" and d.agent.load.chat == 0)

    # bob hands it to li directly (transfer to an agent needs no queue membership)
    ack = await bob.cmd(m.Transfer, interaction_id=iid, to_agent_id=li_id,
                        note="customer prefers Chinese")
    assert ack.ok and ack.result == {"state": "offered", "offered_agent_id": li_id}
    offer = await wait_change(li, iid, "transferred")  # an offer, named for how it came
    assert offer.state == "offered"
    assert offer.offered_agent_id == li_id and offer.assigned_agent_id is None
    assert (await li.cmd(m.Accept, interaction_id=iid)).ok
    assert row(world, iid) == ("assigned", None, li_id)
    bad = await ann.cmd(m.Transfer, interaction_id=iid, to_queue_id=billing)
    assert not bad.ok and bad.error is not None and bad.error.code == "forbidden"

    detail = await li.request(m.GetInteraction(interaction_id=iid))
    notes = [n["body"] for n in detail.result["notes"]]
    assert notes == ["Transfer note: double charge, needs billing",
                     "Transfer note: customer prefers Chinese"]
    trans = [(t["from_state"], t["to_state"]) for t in detail.result["transitions"]]
    assert trans == [(None, "queued"), ("queued", "offered"), ("offered", "assigned"),
                     ("assigned", "queued"), ("queued", "offered"), ("offered", "assigned"),
                     ("assigned", "offered"), ("offered", "assigned")]


# ---- calls: hold, hang up, wrap-up and its time limit, agent states ---------------------------

async def test_call_hold_hang_up_and_wrap_up_time_limit(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    iid = await world.contact("phone")
    await wait_change(ann, iid, "offered")
    await world.advance(3)
    t_answer = at(world)
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    assert (await wait_change(ann, iid, "accepted")).answered_at == t_answer

    nope = await ann.cmd(m.Unhold, interaction_id=iid)
    assert not nope.ok and nope.error is not None and nope.error.code == "invalid_state"
    await world.advance(10)
    ack = await ann.cmd(m.Hold, interaction_id=iid)
    assert ack.ok and ack.result == {"state": "on_hold"}
    assert (await wait_change(ann, iid, "held")).state == "on_hold"
    await world.advance(10)
    assert (await ann.cmd(m.Unhold, interaction_id=iid)).ok
    assert (await wait_change(ann, iid, "unheld")).state == "assigned"
    await world.advance(5)
    t_hang = at(world)
    ack = await ann.cmd(m.HangUp, interaction_id=iid)
    assert ack.ok and ack.result == {"state": "wrap_up", "wrap_up_limit_s": 120}
    wrap = await wait_change(ann, iid, "wrap_up")
    assert wrap.wrap_up_at == t_hang

    await world.advance(119.5)
    assert row(world, iid)[0] == "wrap_up"
    await world.advance(1)
    t_close = at(world)
    closed = await wait_change(ann, iid, "closed")
    assert closed.state == "closed" and closed.disposition is None
    assert closed.closed_at == t_close
    await ann.wait_event(lambda d: isinstance(d, m.AgentChanged) and d.agent.id == ann_id
                         and d.agent.state == "available" and d.agent.state_since == t_close)
    # the agent's states, each with the moment it began
    seen: list[tuple[str, datetime]] = []
    for a in agent_events(ann, ann_id):
        if not seen or seen[-1][0] != a.agent.state:
            seen.append((a.agent.state, a.agent.state_since))
    assert [s for s, _ in seen] == ["available", "busy", "wrap_up", "available"]
    assert seen[2][1] == t_hang and seen[3][1] == t_close
    assert seen[1][1] < t_answer  # busy from the offer on (offers count as load)
    detail = await ann.request(m.GetInteraction(interaction_id=iid))
    assert detail.result["transitions"][-1]["reason"] == "wrap-up time limit reached"
    # free again: the next call is offered to ann
    nxt = await world.contact("phone", "victor")
    await wait_offer(ann, nxt, ann_id)


async def test_wrap_up_with_disposition_ends_wrap_up_state(world: World) -> None:
    ann = await world.login("ann", available=True)
    lead = await world.login("lead")
    ann_id = world.agent_id("ann")
    iid = await world.contact("phone")
    await wait_change(ann, iid, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    assert (await ann.cmd(m.HangUp, interaction_id=iid)).ok
    await lead.wait_event(lambda d: isinstance(d, m.AgentChanged) and d.agent.id == ann_id
                          and d.agent.state == "wrap_up")
    await world.advance(30)
    t_done = at(world)
    assert (await ann.cmd(m.WrapUp, interaction_id=iid, disposition="resolved",
                          notes="all good")).ok
    ev = await lead.wait_event(lambda d: isinstance(d, m.AgentChanged)
                               and d.agent.id == ann_id and d.agent.state == "available")
    assert isinstance(ev.data, m.AgentChanged) and ev.data.agent.state_since == t_done
    closed = await wait_change(lead, iid, "closed")
    assert closed.disposition == "resolved"
    await world.advance(200)  # the time limit no longer applies
    await barrier(lead)
    assert changes(lead, iid).count("closed") == 1
