"""Phone controls, warm transfers, callbacks, escalation and transfer targets through real
websocket clients on a real server (SQLite file, manual clock)."""

from __future__ import annotations

import itertools
import pathlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from agent_desk.client.state import ClientState
from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import ErrorCode
from agent_desk.protocol.enums import Channel
from agent_desk.protocol.views import InteractionView
from agent_desk.server.clock import ManualClock, to_dt
from agent_desk.server.errors import CommandError
from agent_desk.server.models import Interaction, Queue
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient, new_key

_pings = itertools.count(1)


# ---- helpers ------------------------------------------------------------------------------

async def wait_change(c: WsClient, iid: int, change: str) -> InteractionView:
    ev = await c.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                            and d.interaction.id == iid and d.change == change)
    assert isinstance(ev.data, m.InteractionChanged)
    return ev.data.interaction


async def wait_agent(c: WsClient, agent_id: int, pred: Any) -> m.AgentChanged:
    ev = await c.wait_event(lambda d: isinstance(d, m.AgentChanged) and d.agent.id == agent_id
                            and pred(d.agent))
    assert isinstance(ev.data, m.AgentChanged)
    return ev.data


def last_agent(c: WsClient, agent_id: int) -> Any:
    """The newest ``AgentView`` of ``agent_id`` that ``c`` received (call after a barrier)."""
    return [e.data.agent for e in c.events
            if isinstance(e.data, m.AgentChanged) and e.data.agent.id == agent_id][-1]


async def barrier(c: WsClient) -> None:
    """Everything the server queued for ``c`` so far has arrived (pongs share the queue)."""
    pid = f"calls-sync{next(_pings)}"
    await c.send(m.Ping(id=pid))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == pid)


def changes(c: WsClient, iid: int) -> list[str]:
    return [e.data.change for e in c.events
            if isinstance(e.data, m.InteractionChanged) and e.data.interaction.id == iid]


def refused(ack: m.Ack, code: ErrorCode, *words: str) -> None:
    assert not ack.ok and ack.error is not None, ack
    assert ack.error.code == code, ack.error
    for w in words:
        assert w in ack.error.message, ack.error.message


def row(world: World, iid: int) -> dict[str, Any]:
    def read(s: Any) -> dict[str, Any]:
        i = s.get(Interaction, iid)
        return {c.name: getattr(i, c.name) for c in Interaction.__table__.columns}
    return world.server.store.run_sync(read)


def queue_id(world: World, name: str) -> int:
    return world.server.store.run_sync(lambda s: s.query(Queue).filter_by(name=name).one().id)


async def answered_call(world: World, agent: WsClient, who: str = "carol",
                        queue: str = "General") -> int:
    iid = await world.contact("phone", who, queue=queue)
    await wait_change(agent, iid, "offered")
    assert (await agent.cmd(m.Accept, interaction_id=iid)).ok
    return iid


async def detail(c: WsClient, iid: int) -> dict[str, Any]:
    ack = await c.request(m.GetInteraction(interaction_id=iid))
    assert ack.ok, ack
    return ack.result  # type: ignore[no-any-return]


# ---- warm transfer --------------------------------------------------------------------------

async def test_answer_hold_resume_consult_conference_complete_hang_up_wrap_up(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id, bob_id = world.agent_id("ann"), world.agent_id("bob")
    iid = await answered_call(world, ann)
    bob = await world.login("bob", available=True)

    assert (await ann.cmd(m.Hold, interaction_id=iid)).ok
    await world.advance(10)
    assert (await ann.cmd(m.Unhold, interaction_id=iid)).ok
    resumed = await wait_change(ann, iid, "unheld")
    assert resumed.hold_total_s == 10 and resumed.hold_started_at is None
    ack = await ann.cmd(m.Mute, interaction_id=iid)
    assert ack.ok and ack.result == {"muted": True}
    assert (await wait_change(ann, iid, "muted")).muted

    t_consult = world.clock.now()
    ack = await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=bob_id)
    assert ack.ok and ack.result == {"state": "on_hold", "consult_agent_id": bob_id}
    seen = await wait_change(bob, iid, "consult")  # the consulted agent hears of it
    assert seen.state == "on_hold" and seen.assigned_agent_id == ann_id
    assert seen.consult is not None and seen.consult.state == "consulting"
    assert (seen.consult.agent_id, seen.consult.agent_name) == (bob_id, "Bob")
    assert seen.hold_started_at == to_dt(t_consult)
    # the call counts as bob's: busy, phone load 1, so routing offers him no other call
    await wait_agent(bob, bob_id, lambda a: a.state == "busy" and a.load.phone == 1)
    other = await world.contact("phone", "victor")
    await barrier(bob)
    assert row(world, other)["state"] == "queued"
    # the caller is on hold for a consultation: no plain resume, no second consultation
    refused(await ann.cmd(m.Unhold, interaction_id=iid), ErrorCode.INVALID_STATE,
            "consultation")
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=bob_id),
            ErrorCode.INVALID_STATE)
    refused(await bob.cmd(m.CompleteTransfer, interaction_id=iid), ErrorCode.FORBIDDEN)

    # a fresh connection of the consulted agent has it in the snapshot (and in the view)
    bob2 = await world.login("bob")
    snap = bob2.first(m.Snapshot)
    assert iid in {i.id for i in snap.interactions}
    state = ClientState()
    state.apply_snapshot(snap)
    assert iid in state.interactions

    await world.advance(20)
    ack = await ann.cmd(m.Conference, interaction_id=iid)
    assert ack.ok and ack.result == {"state": "assigned"}
    conf = await wait_change(bob, iid, "conference")
    assert conf.consult is not None and conf.consult.state == "conference"
    assert conf.state == "assigned" and conf.hold_started_at is None
    assert conf.hold_total_s == 30
    refused(await ann.cmd(m.Hold, interaction_id=iid), ErrorCode.INVALID_STATE)

    ack = await ann.cmd(m.CompleteTransfer, interaction_id=iid)
    assert ack.ok and ack.result == {"state": "assigned", "assigned_agent_id": bob_id}
    done = await wait_change(ann, iid, "transferred")
    assert done.assigned_agent_id == bob_id and done.consult is None and not done.muted
    assert (await wait_change(bob, iid, "transferred")).assigned_agent_id == bob_id
    # ann left without wrap-up: she is free, and the waiting call is offered to her
    offered = await wait_change(ann, other, "offered")
    assert offered.offered_agent_id == ann_id
    refused(await ann.cmd(m.HangUp, interaction_id=iid), ErrorCode.FORBIDDEN)

    ack = await bob.cmd(m.HangUp, interaction_id=iid)
    assert ack.ok and ack.result["state"] == "wrap_up"
    await wait_agent(bob, bob_id, lambda a: a.state == "wrap_up")
    assert (await bob.cmd(m.WrapUp, interaction_id=iid, disposition="resolved",
                          kb_article_ids=["kb-12", "kb-12", "kb-7"])).ok
    assert (await wait_change(bob, iid, "closed")).state == "closed"
    await barrier(bob)
    assert last_agent(bob, bob_id).state == "available"

    info = await detail(bob, iid)
    assert info["kb_article_ids"] == ["kb-12", "kb-7"]
    trans = [(t["from_state"], t["to_state"], t["actor_agent_id"], t["reason"])
             for t in info["transitions"]]
    assert trans[2:] == [
        ("offered", "assigned", ann_id, None), ("assigned", "on_hold", ann_id, None),
        ("on_hold", "assigned", ann_id, None),
        ("assigned", "on_hold", ann_id, "consulting Bob"),
        ("on_hold", "assigned", ann_id, "conference"),
        ("assigned", "assigned", ann_id, "warm transfer to Bob"),
        ("assigned", "wrap_up", bob_id, "agent hung up"),
        ("wrap_up", "closed", bob_id, "wrapped up")]


async def test_cancel_consult_and_hang_up_during_consult(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await answered_call(world, ann)
    bob = await world.login("bob", available=True)
    bob_id = world.agent_id("bob")

    # started from hold: cancelling still goes back to the caller (assigned)
    assert (await ann.cmd(m.Hold, interaction_id=iid)).ok
    assert (await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=bob_id)).ok
    await wait_agent(bob, bob_id, lambda a: a.load.phone == 1)
    refused(await ann.cmd(m.CompleteTransfer, interaction_id=iid + 100), ErrorCode.NOT_FOUND)
    ack = await ann.cmd(m.CancelConsult, interaction_id=iid)
    assert ack.ok and ack.result == {"state": "assigned"}
    back = await wait_change(bob, iid, "consult_cancelled")  # bob hears he is out of it
    assert back.consult is None and back.state == "assigned" and back.hold_started_at is None
    await barrier(bob)
    assert (last_agent(bob, bob_id).load.phone, last_agent(bob, bob_id).state) == (
        0, "available")
    for cls in (m.CancelConsult, m.Conference, m.CompleteTransfer):
        refused(await ann.cmd(cls, interaction_id=iid), ErrorCode.INVALID_STATE,
                "no consultation")
    assert row(world, iid)["consult_from_state"] is None

    # hanging up while consulting ends the consultation with the call
    assert (await ann.cmd(m.Mute, interaction_id=iid)).ok
    assert (await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=bob_id)).ok
    await barrier(bob)
    assert last_agent(bob, bob_id).load.phone == 1
    assert (await ann.cmd(m.HangUp, interaction_id=iid)).ok
    ended = await wait_change(bob, iid, "wrap_up")
    assert ended.consult is None and not ended.muted and ended.state == "wrap_up"
    await barrier(bob)
    assert last_agent(bob, bob_id).load.phone == 0
    refused(await ann.cmd(m.Mute, interaction_id=iid), ErrorCode.INVALID_STATE)


async def test_consult_a_queue_picks_its_longest_idle_available_member(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await answered_call(world, ann)
    chinese, billing = queue_id(world, "Chinese"), queue_id(world, "Billing")
    before = row(world, iid)
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_queue_id=chinese),
            ErrorCode.UNAVAILABLE, "nobody in Chinese")
    refused(await ann.cmd(m.Consult, interaction_id=iid), ErrorCode.INVALID, "exactly one")
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_queue_id=999), ErrorCode.NOT_FOUND)
    assert row(world, iid) == before

    bob = await world.login("bob", available=True)
    await world.advance(5)
    await world.login("lead", available=True)  # also in Billing with its skills, idle less
    bob_id = world.agent_id("bob")
    ack = await ann.cmd(m.Consult, interaction_id=iid, to_queue_id=billing)
    assert ack.ok and ack.result["consult_agent_id"] == bob_id
    seen = await wait_change(bob, iid, "consult")
    assert seen.consult is not None
    assert (seen.consult.agent_id, seen.consult.queue_id) == (bob_id, billing)
    assert (await ann.cmd(m.CompleteTransfer, interaction_id=iid)).ok
    moved = await wait_change(bob, iid, "transferred")
    assert moved.queue_id == billing and moved.assigned_agent_id == bob_id


async def test_consult_transfer_escalate_to_unavailable_agents_change_nothing(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await answered_call(world, ann)
    li_id, lead_id, bob_id = (world.agent_id(u) for u in ("li", "lead", "bob"))
    await barrier(ann)
    before, n_events = row(world, iid), len(ann.events)

    refused(await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=li_id),
            ErrorCode.UNAVAILABLE, "Li is offline")
    refused(await ann.cmd(m.Transfer, interaction_id=iid, to_agent_id=li_id),
            ErrorCode.UNAVAILABLE, "Li is offline")
    refused(await ann.cmd(m.Escalate, interaction_id=iid, to_agent_id=lead_id,
                          reason="angry"), ErrorCode.UNAVAILABLE, "Lead is offline")
    refused(await ann.cmd(m.Escalate, interaction_id=iid, to_agent_id=bob_id,
                          reason="angry"), ErrorCode.INVALID, "a lead or a queue")
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=world.agent_id("ann")),
            ErrorCode.INVALID, "yourself")

    li = await world.login("li")
    assert (await li.cmd(m.SetState, state="away", reason="lunch")).ok
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=li_id),
            ErrorCode.UNAVAILABLE, "Li is away")
    assert (await li.cmd(m.SetState, state="available")).ok
    wang = await answered_call(world, li, "wang", "Chinese")
    refused(await ann.cmd(m.Consult, interaction_id=iid, to_agent_id=li_id),
            ErrorCode.UNAVAILABLE, "Li is on another call")
    refused(await ann.cmd(m.Transfer, interaction_id=iid, to_agent_id=li_id),
            ErrorCode.UNAVAILABLE, "Li is on another call")
    lead = await world.login("lead")
    refused(await lead.cmd(m.Reassign, interaction_id=wang, agent_id=bob_id),
            ErrorCode.UNAVAILABLE, "Bob is offline")

    await barrier(ann)
    assert row(world, iid) == before  # nothing changed: same state, same version
    assert [e for e in ann.events[n_events:] if isinstance(e.data, m.InteractionChanged)
            and e.data.interaction.id == iid] == []


# ---- DTMF -----------------------------------------------------------------------------------

async def test_dtmf_is_validated_and_the_digits_are_never_stored(world: World,
                                                                   db_path: str) -> None:
    ann = await world.login("ann", available=True)
    iid = await answered_call(world, ann)
    card = "4111222233334444"
    refused(await ann.cmd(m.SendDtmf, interaction_id=iid, digits="12x"), ErrorCode.INVALID,
            "'X'")
    ack = await ann.cmd(m.SendDtmf, interaction_id=iid, digits=f"{card}#")
    assert ack.ok and ack.result == {"sent": 17}
    msg = await ann.wait_event(lambda d: isinstance(d, m.MessageAdded))
    assert isinstance(msg.data, m.MessageAdded)
    assert (msg.data.message.direction, msg.data.message.body) == ("system",
                                                                   "DTMF sent (17 digits)")
    await wait_change(ann, iid, "dtmf")
    # more digits than allowed: limit_exceeded (the wire caps the field too; the engine is
    # asked directly here to reach its own check)
    ann_id = world.agent_id("ann")
    too_long = m.SendDtmf(key=new_key(), interaction_id=iid, digits="1" * 40)
    with pytest.raises(CommandError) as err:
        world.server.store.run_sync(lambda s: world.server.engine.execute(s, ann_id, too_long))
    assert err.value.code == ErrorCode.LIMIT_EXCEEDED and "32" in err.value.message

    assert (await ann.cmd(m.Hold, interaction_id=iid)).ok
    refused(await ann.cmd(m.SendDtmf, interaction_id=iid, digits="1"), ErrorCode.INVALID_STATE)
    bodies = [x["body"] for x in (await detail(ann, iid))["messages"]]
    assert bodies == ["DTMF sent (17 digits)"]
    # not in the store at all (events, command log, messages): read every database file
    await barrier(ann)
    stored = b"".join(p.read_bytes() for p in pathlib.Path(db_path).parent.iterdir()
                      if p.name.startswith(pathlib.Path(db_path).name))
    assert card.encode() not in stored


# ---- callbacks ------------------------------------------------------------------------------

@pytest.fixture
async def long_world(db_path: str, clock: ManualClock) -> AsyncIterator[World]:
    """A world whose access tokens outlive the hour the test's clock moves on."""
    w = await build_world(db_path, clock, access_ttl_s=86400.0)
    try:
        yield w
    finally:
        await w.close()


async def test_callback_waits_for_its_window_then_is_offered(long_world: World) -> None:
    world = long_world
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    iid = await answered_call(world, ann)
    now = to_dt(world.clock.now())
    start, end = now + timedelta(hours=1), now + timedelta(hours=2)

    for fields, code in [
        ({"number": "call me maybe", "window_start": start, "window_end": end},
         ErrorCode.INVALID),
        ({"number": "+1 555 0001", "window_start": start, "window_end": start},
         ErrorCode.INVALID),
        ({"number": "+1 555 0001", "window_start": start.replace(tzinfo=None),
          "window_end": end.replace(tzinfo=None)}, ErrorCode.INVALID),
        ({"number": "+1 555 0001", "window_start": now - timedelta(hours=3),
          "window_end": now - timedelta(hours=2)}, ErrorCode.INVALID),
    ]:
        refused(await ann.cmd(m.RequestCallback, interaction_id=iid, **fields), code)
    mail = await world.contact("email", "wang", queue="Chinese")  # nobody there: queued
    refused(await ann.cmd(m.RequestCallback, interaction_id=mail, number="+15550002",
                          window_start=start, window_end=end), ErrorCode.FORBIDDEN)

    ack = await ann.cmd(m.RequestCallback, interaction_id=iid, number="+1 (555) 000-1",
                        window_start=start, window_end=end, note="after the meeting")
    assert ack.ok
    cb_id = ack.result["callback_interaction_id"]
    created = await wait_change(ann, cb_id, "created")  # ann is a member of its queue
    assert (created.kind, created.parent_id, created.channel) == ("callback", iid, "phone")
    assert created.state == "queued" and created.subject == "Callback: Help please"
    assert created.callback is not None
    assert (created.callback.number, created.callback.note) == ("+15550001",
                                                                 "after the meeting")
    assert (created.callback.window_start, created.callback.window_end) == (start, end)
    assert created.first_response_due_at == start + timedelta(seconds=60)
    original = await wait_change(ann, iid, "callback_requested")
    assert original.state == "assigned"

    assert (await ann.cmd(m.HangUp, interaction_id=iid)).ok
    assert (await ann.cmd(m.WrapUp, interaction_id=iid, disposition="callback_scheduled")).ok
    await wait_agent(ann, ann_id, lambda a: a.state == "available")
    await world.advance(30 * 60)  # free agent, window not open: not offered, no SLA alarm
    await world.advance(29 * 60)
    await barrier(ann)
    assert row(world, cb_id)["state"] == "queued" and changes(ann, cb_id) == ["created"]
    assert not [e for e in ann.events if isinstance(e.data, m.SlaAlert)
                and e.data.interaction_id == cb_id]
    assert last_agent(ann, ann_id).state == "available"
    await world.advance(60)  # the window opens: the next tick routes it
    offered = await wait_change(ann, cb_id, "offered")
    assert offered.offered_agent_id == ann_id and offered.offered_at == start


async def test_follow_up_tasks_are_never_offered(world: World) -> None:
    lead = await world.login("lead", available=True)
    general = queue_id(world, "General")

    def add_follow_up(s: Any) -> int:
        now = world.clock.now()
        task = Interaction(channel="phone", kind="follow_up", customer_id=1, queue_id=general,
                           subject="Low CSAT", state="queued", created_at=now, queued_at=now,
                           first_response_due_at=now + 60, resolution_due_at=now + 3600,
                           declined_by=[])
        s.add(task)
        s.flush()
        return task.id
    task = world.server.store.run_sync(add_follow_up)
    await world.advance(1)
    call = await world.contact("phone", "victor")
    assert (await wait_change(lead, call, "offered")).offered_agent_id == world.agent_id("lead")
    assert row(world, task)["state"] == "queued"


# ---- escalation -----------------------------------------------------------------------------

async def test_escalate_to_a_lead_and_to_a_queue(world: World) -> None:
    ann = await world.login("ann", available=True)
    ann_id = world.agent_id("ann")
    chat = await world.contact("chat", body="This is the third time I write!")
    await wait_change(ann, chat, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=chat)).ok
    lead = await world.login("lead", available=True)
    lead_id = world.agent_id("lead")
    before = row(world, chat)

    refused(await ann.cmd(m.Escalate, interaction_id=chat, to_agent_id=lead_id, reason="  "),
            ErrorCode.INVALID, "reason")
    bob = await world.login("bob")
    refused(await bob.cmd(m.Escalate, interaction_id=chat, to_agent_id=lead_id,
                          reason="mine now"), ErrorCode.FORBIDDEN)
    ack = await ann.cmd(m.Escalate, interaction_id=chat, to_agent_id=lead_id,
                        reason="wants a manager")
    assert ack.ok and ack.result == {"state": "offered", "offered_agent_id": lead_id}
    esc = await wait_change(lead, chat, "escalated")
    assert esc.escalated and esc.escalation_reason == "wants a manager"
    assert esc.offered_agent_id == lead_id and esc.assigned_agent_id is None
    assert esc.priority == "high"
    assert esc.first_response_due_at < to_dt(before["first_response_due_at"])
    note = await lead.wait_event(lambda d: isinstance(d, m.NoteAdded))
    assert isinstance(note.data, m.NoteAdded)
    assert note.data.note.body == "Escalated: wants a manager"
    await barrier(ann)
    assert last_agent(ann, ann_id).load.chat == 0
    info = await detail(lead, chat)
    assert [n["body"] for n in info["notes"]] == ["Escalated: wants a manager"]
    assert "escalated to Lead by Ann: wants a manager" in [
        t["reason"] for t in info["transitions"]]

    # to a queue, by a lead; an urgent interaction stays urgent
    call = await world.contact("phone", "victor", priority="urgent")
    await wait_change(ann, call, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=call)).ok
    billing = queue_id(world, "Billing")
    ack = await lead.cmd(m.Escalate, interaction_id=call, to_queue_id=billing,
                         reason="refund over the limit")
    assert ack.ok and ack.result == {"state": "queued", "queue_id": billing}
    moved = await wait_change(ann, call, "escalated")
    assert moved.queue_id == billing and moved.priority == "urgent" and moved.escalated
    assert moved.assigned_agent_id is None


# ---- transfer targets -----------------------------------------------------------------------

async def test_transfer_targets_say_who_can_take_it_now(world: World) -> None:
    ann = await world.login("ann", available=True)
    await world.advance(5)
    bob = await world.login("bob", available=True)
    await world.login("lead", available=True)
    await answered_call(world, ann)  # ann has been idle longest: hers
    await world.contact("email", "wang", queue="Chinese")  # li is offline: the lead's

    ack = await bob.request(m.GetTransferTargets(channel=Channel.PHONE))
    assert ack.ok
    agents = {a["name"]: a for a in ack.result["agents"]}
    assert set(agents) == {"Ann", "Li", "Lead", "Admin", "Trainer"}  # not yourself
    assert (agents["Ann"]["state"], agents["Ann"]["available"]) == ("busy", False)
    assert (agents["Li"]["state"], agents["Li"]["available"]) == ("offline", False)
    assert agents["Lead"]["available"] is True and agents["Lead"]["role"] == "lead"
    assert sorted(agents["Lead"]["queue_ids"]) == sorted(
        queue_id(world, q) for q in ("General", "Billing", "Chinese"))
    queues = {q["name"]: q for q in ack.result["queues"]}
    assert (queues["Chinese"]["waiting"], queues["General"]["waiting"]) == (1, 0)
    # General: bob and the lead can take a call now (ann is on one); Chinese: the lead
    assert queues["General"]["available_agents"] == 2
    assert queues["Chinese"]["available_agents"] == 1

    chat = await bob.request(m.GetTransferTargets(channel=Channel.CHAT))
    assert {a["name"] for a in chat.result["agents"] if a["available"]} == {"Ann", "Lead"}
    anyway = await bob.request(m.GetTransferTargets())  # presence only
    assert {a["name"] for a in anyway.result["agents"] if a["available"]} == {"Ann", "Lead"}
