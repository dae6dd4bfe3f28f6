"""SLA through real websocket clients: due times from the policies (channel × priority ×
tier), the warning at exactly 80 % and the breach at 100 % (each once), first responses
that meet the target, priority changes by a lead, and who hears SLA events."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from agent_desk.protocol import messages as m
from agent_desk.protocol.views import InteractionView
from agent_desk.server import sla
from agent_desk.server.clock import ManualClock
from agent_desk.server.models import Interaction
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient

_ping_ids = itertools.count(1)
TIER_OF = {"carol": "standard", "victor": "vip", "wang": "gold"}


async def barrier(c: WsClient) -> None:
    """Everything the server queued for ``c`` before this point has arrived."""
    pid = f"sync{next(_ping_ids)}"
    await c.send(m.Ping(id=pid))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == pid)


def alerts(c: WsClient, iid: int, target: str | None = None) -> list[tuple[str, str]]:
    return [(e.data.target, e.data.level) for e in c.events
            if isinstance(e.data, m.SlaAlert) and e.data.interaction_id == iid
            and (target is None or e.data.target == target)]


async def wait_change(c: WsClient, iid: int, change: str) -> InteractionView:
    ev = await c.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                            and d.interaction.id == iid and d.change == change)
    assert isinstance(ev.data, m.InteractionChanged)
    return ev.data.interaction


async def wait_alert(c: WsClient, iid: int, target: str, level: str) -> m.SlaAlert:
    ev = await c.wait_event(lambda d: isinstance(d, m.SlaAlert) and d.interaction_id == iid
                            and d.target == target and d.level == level)
    assert isinstance(ev.data, m.SlaAlert)
    return ev.data


def secs(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds()


def created_at(world: World, iid: int) -> float:
    return world.server.store.run_sync(lambda s: s.get_one(Interaction, iid).created_at)


def dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


# ---- due times ----------------------------------------------------------------------------

async def test_due_times_follow_the_policy_for_channel_priority_and_tier(world: World
                                                                         ) -> None:
    lead = await world.login("lead")
    snap = lead.first(m.Snapshot)
    policy = {(p.channel, p.priority, p.tier): p for p in snap.sla_policies}
    assert len(policy) == 36
    # the documented examples
    assert policy[("phone", "normal", "vip")].first_response_s == 20
    assert policy[("chat", "normal", "standard")].first_response_s == 60
    assert policy[("email", "normal", "standard")].first_response_s == 3600
    assert policy[("chat", "urgent", "standard")].first_response_s == 30

    made: dict[int, tuple[str, str, str]] = {}
    for channel in ("phone", "chat", "email"):
        for who, tier in TIER_OF.items():
            for priority in ("low", "normal", "high", "urgent"):
                iid = await world.contact(channel, who, queue="General", priority=priority)
                made[iid] = (channel, priority, tier)
                world.clock.advance(0.25)  # distinct creation times
    last = max(made)
    await wait_change(lead, last, "created")
    views = {e.data.interaction.id: e.data.interaction for e in lead.events
             if isinstance(e.data, m.InteractionChanged) and e.data.change == "created"}
    assert set(views) == set(made)
    for iid, key in made.items():
        v, p = views[iid], policy[key]
        assert (v.channel, v.priority, v.customer.tier) == key
        assert secs(v.first_response_due_at, v.created_at) == p.first_response_s, key
        assert secs(v.resolution_due_at, v.created_at) == p.resolution_s, key
        assert v.sla_first_response == "on_track" and v.sla_resolution == "on_track"
    # stricter for better customers and more urgent work
    vip, std = views[next(i for i, k in made.items() if k == ("phone", "normal", "vip"))], \
        views[next(i for i, k in made.items() if k == ("phone", "normal", "standard"))]
    assert secs(vip.first_response_due_at, vip.created_at) < secs(
        std.first_response_due_at, std.created_at)


# ---- warning at 80 %, breach at 100 %, once each ------------------------------------------

async def test_warning_at_exactly_80_percent_and_breach_at_100_percent_once(
        db_path: str, clock: ManualClock) -> None:
    # hours pass in this test: sessions must outlive the default 15-minute access token
    world = await build_world(db_path, clock, access_ttl_s=86400.0)
    try:
        await _warning_and_breach(world)
    finally:
        await world.close()


async def _warning_and_breach(world: World) -> None:
    lead = await world.login("lead")
    iid = await world.contact("chat")  # standard chat: first response 60 s, resolution 8 h
    t0 = created_at(world, iid)
    warn_at = sla.warning_at(t0, t0 + 60)
    assert warn_at == t0 + 48

    await world.advance(47.5)
    await world.advance(0)  # ticking again changes nothing
    await barrier(lead)
    assert alerts(lead, iid) == []
    await world.advance(0.5)  # exactly 80 %
    assert world.clock.now() == warn_at
    warning = await wait_alert(lead, iid, "first_response", "warning")
    assert warning.due_at == dt(t0 + 60)
    view = await wait_change(lead, iid, "sla")
    assert view.sla_first_response == "warning" and view.sla_resolution == "on_track"

    await world.advance(11.5)
    await barrier(lead)
    assert alerts(lead, iid) == [("first_response", "warning")]
    await world.advance(0.5)  # exactly 100 %
    breach = await wait_alert(lead, iid, "first_response", "breach")
    assert breach.due_at == dt(t0 + 60)
    for _ in range(3):
        await world.advance(0)
    await world.advance(30)
    await barrier(lead)
    assert alerts(lead, iid) == [("first_response", "warning"), ("first_response", "breach")]
    sla_views = [e.data.interaction for e in lead.events
                 if isinstance(e.data, m.InteractionChanged) and e.data.change == "sla"
                 and e.data.interaction.id == iid]
    assert [v.sla_first_response for v in sla_views] == ["warning", "breached"]

    # the resolution target (8 h) follows the same rule
    res_warn = sla.warning_at(t0, t0 + 8 * 3600)
    await world.advance(res_warn - world.clock.now() - 1)
    await barrier(lead)
    assert alerts(lead, iid, "resolution") == []
    await world.advance(1)
    await wait_alert(lead, iid, "resolution", "warning")
    await world.advance(t0 + 8 * 3600 - world.clock.now() - 0.5)
    await barrier(lead)
    assert alerts(lead, iid, "resolution") == [("resolution", "warning")]
    await world.advance(0.5)
    await wait_alert(lead, iid, "resolution", "breach")
    await world.advance(3600)
    await barrier(lead)
    assert alerts(lead, iid) == [("first_response", "warning"), ("first_response", "breach"),
                                 ("resolution", "warning"), ("resolution", "breach")]


async def test_a_late_tick_emits_warning_and_breach_together_once(world: World) -> None:
    lead = await world.login("lead")
    iid = await world.contact("phone", "victor")  # VIP call: answer within 20 s
    await world.advance(45)
    await wait_alert(lead, iid, "first_response", "breach")
    await world.advance(1)
    await barrier(lead)
    assert alerts(lead, iid) == [("first_response", "warning"), ("first_response", "breach")]


# ---- met in time ------------------------------------------------------------------------------

async def test_first_response_in_time_is_met_and_never_breaches(world: World) -> None:
    ann = await world.login("ann", available=True)
    lead = await world.login("lead")
    iid = await world.contact("chat", body="Is my order shipped?")
    await wait_change(ann, iid, "offered")
    await world.advance(5)
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    accepted = await wait_change(ann, iid, "accepted")
    assert accepted.sla_first_response == "on_track"  # accepting a chat is no response yet
    await world.advance(10)
    assert (await ann.cmd(m.SendMessage, interaction_id=iid, body="Yes, it left today.")).ok
    replied = await wait_change(ann, iid, "replied")
    assert replied.sla_first_response == "met" and replied.first_response_at is not None
    for _ in range(4):
        await world.advance(60)
    await barrier(ann)
    await barrier(lead)
    assert alerts(ann, iid, "first_response") == []
    assert alerts(lead, iid, "first_response") == []
    assert alerts(lead, iid, "resolution") == []  # 8 h: still far away


async def test_answering_a_call_in_time_meets_the_first_response(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await world.contact("phone", "victor")
    await wait_change(ann, iid, "offered")
    await world.advance(15.5)  # warned at 16 s, due at 20 s
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    view = await wait_change(ann, iid, "accepted")
    assert view.sla_first_response == "met"
    await world.advance(60)
    await barrier(ann)
    assert alerts(ann, iid) == []


async def test_a_late_first_response_is_missed(world: World) -> None:
    ann = await world.login("ann")
    iid = await world.contact("chat")
    await world.advance(70)
    await wait_alert(ann, iid, "first_response", "breach")  # ann is in the queue
    assert (await ann.cmd(m.SetState, state="available")).ok
    await wait_change(ann, iid, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    assert (await ann.cmd(m.SendMessage, interaction_id=iid, body="Sorry for the wait")).ok
    assert (await wait_change(ann, iid, "replied")).sla_first_response == "missed"


# ---- priority changes ---------------------------------------------------------------------

async def test_lead_setting_urgent_moves_due_times_earlier(world: World) -> None:
    lead = await world.login("lead")
    ann = await world.login("ann")
    iid = await world.contact("chat")  # standard chat: 60 s / 8 h; urgent: 30 s / 4 h
    t0 = created_at(world, iid)
    await world.advance(25)
    await barrier(lead)
    assert alerts(lead, iid) == []  # not yet 80 % of 60 s

    denied = await ann.cmd(m.SetPriority, interaction_id=iid, priority="urgent")
    assert not denied.ok and denied.error is not None and denied.error.code == "forbidden"
    ack = await lead.cmd(m.SetPriority, interaction_id=iid, priority="urgent")
    assert ack.ok and ack.result == {"priority": "urgent"}
    view = await wait_change(lead, iid, "priority")
    assert view.priority == "urgent"
    assert view.first_response_due_at == dt(t0 + 30)
    assert view.resolution_due_at == dt(t0 + 4 * 3600)
    assert (await wait_change(ann, iid, "priority")).first_response_due_at == dt(t0 + 30)

    await world.advance(0)  # 25 s is past 80 % of the new 30 s target
    warning = await wait_alert(lead, iid, "first_response", "warning")
    assert warning.due_at == dt(t0 + 30)
    await world.advance(4.5)
    await barrier(lead)
    assert ("first_response", "breach") not in alerts(lead, iid)
    await world.advance(0.5)
    assert (await wait_alert(lead, iid, "first_response", "breach")).due_at == dt(t0 + 30)


# ---- audience -----------------------------------------------------------------------------

async def test_queue_members_see_sla_events_of_waiting_items(world: World) -> None:
    ann = await world.login("ann")
    bob = await world.login("bob")
    li = await world.login("li")  # not a member of General
    lead = await world.login("lead")
    iid = await world.contact("chat")
    await world.advance(48)
    for c in (ann, bob, lead):
        await wait_alert(c, iid, "first_response", "warning")
    await barrier(li)
    assert alerts(li, iid) == []

    # once ann holds it, the breach goes to her (and the leads), no longer to the queue
    assert (await ann.cmd(m.SetState, state="available")).ok
    await wait_change(ann, iid, "offered")
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
    await wait_change(bob, iid, "accepted")  # bob sees it leave the queue
    await world.advance(12)
    await wait_alert(ann, iid, "first_response", "breach")
    await wait_alert(lead, iid, "first_response", "breach")
    await barrier(bob)
    await barrier(li)
    assert alerts(bob, iid) == [("first_response", "warning")]
    assert alerts(li, iid) == []
