"""The interaction lifecycle through real websocket clients: routing, offers, replies,
calls, wrap-up, transfers, with every transition recorded."""

from __future__ import annotations

from agent_desk.protocol import messages as m
from agent_desk.server.models import Transition
from tests.helpers.world import World


def _inter(ev: m.Event) -> m.InteractionChanged:
    assert isinstance(ev.data, m.InteractionChanged)
    return ev.data


async def test_login_gives_welcome_tokens_and_snapshot(world: World) -> None:
    ann = await world.login("ann")
    welcome = ann.first(m.Welcome)
    snap = ann.first(m.Snapshot)
    assert welcome.agent.username == "ann" and welcome.resume == "snapshot"
    assert welcome.access_token and welcome.refresh_token
    assert {q.name for q in snap.queues} >= {"General", "Billing", "Chinese"}
    assert "available" in snap.settable_states and len(snap.sla_policies) == 36
    assert {c.code for c in snap.away_reasons} >= {"break", "lunch", "training", "meeting"}
    assert snap.wrap_up_codes


async def test_chat_is_offered_accepted_answered_and_wrapped_up(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await world.contact("chat", body="Where is my parcel?")
    offered = await ann.wait_event(
        lambda d: isinstance(d, m.InteractionChanged) and d.change == "offered")
    view = _inter(offered).interaction
    assert view.id == iid and view.offered_agent_id == world.agent_id("ann")
    assert view.offer_expires_at is not None

    ack = await ann.cmd(m.Accept, interaction_id=iid)
    assert ack.ok and ack.result["state"] == "assigned"
    ack = await ann.cmd(m.SendMessage, interaction_id=iid, body="Let me check that for you.")
    assert ack.ok
    replied = await ann.wait_event(
        lambda d: isinstance(d, m.InteractionChanged) and d.change == "replied")
    assert _inter(replied).interaction.sla_first_response == "met"
    assert (await ann.cmd(m.Close, interaction_id=iid)).ok
    bad = await ann.cmd(m.WrapUp, interaction_id=iid, disposition="no-such-code")
    assert not bad.ok and bad.error and bad.error.code == "invalid"
    ack = await ann.cmd(m.WrapUp, interaction_id=iid, disposition="resolved",
                        resolved_first_contact=True)
    assert ack.ok
    closed = await ann.wait_event(
        lambda d: isinstance(d, m.InteractionChanged) and d.change == "closed")
    assert _inter(closed).interaction.disposition == "resolved"
    states = world.server.store.run_sync(lambda s: [
        (t.from_state, t.to_state, t.actor_agent_id) for t in
        s.query(Transition).filter_by(interaction_id=iid).order_by(Transition.id)])
    ann_id = world.agent_id("ann")
    assert states == [(None, "queued", None), ("queued", "offered", None),
                      ("offered", "assigned", ann_id), ("assigned", "wrap_up", ann_id),
                      ("wrap_up", "closed", ann_id)]
