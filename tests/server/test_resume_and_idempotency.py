"""Resuming after a disconnect (replay of exactly the missed visible events, or a snapshot
when the cursor is unknown), exactly-once command effects while the server aborts
connections around commands, and backpressure (a client that stops reading is dropped
with 4008 while others keep receiving everything)."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agent_desk.protocol import messages as m
from agent_desk.server.clock import ManualClock
from agent_desk.server.engine import Engine, Viewer
from agent_desk.server.lifecycle import add_note
from agent_desk.server.models import Agent, EventRow, Interaction, Note
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient, new_key

_ping_ids = itertools.count(1)


# ---- helpers ------------------------------------------------------------------------------

async def barrier(c: WsClient) -> None:
    """Everything the server queued for ``c`` before this point has arrived."""
    pid = f"sync{next(_ping_ids)}"
    await c.send(m.Ping(id=pid))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == pid)


async def resume(world: World, first: Callable[[int], m.ClientFrame], last: int) -> WsClient:
    """Open a connection whose event chain continues at ``last`` (the seq the client has
    applied) and authenticate with ``first(last)``; wait for the replay or snapshot."""
    ws = await connect(world.url, compression=None, max_size=16 * 1024 * 1024)
    c = WsClient(ws)
    c.last_seq = last  # set before any frame can arrive: gaps are judged from here
    world.clients.append(c)
    await c.send(first(last))
    await c.wait_for(lambda f: isinstance(f, (m.Snapshot, m.ReplayDone)))
    return c


def login_frame(username: str) -> Callable[[int], m.ClientFrame]:
    return lambda last: m.Login(id="login", username=username, password=f"{username}-pw",
                                resume_from=last)


def replayed(c: WsClient) -> list[m.Event]:
    done = c.frames.index(c.first(m.ReplayDone))
    return [f for f in c.frames[:done] if isinstance(f, m.Event)]


def visible_seqs(world: World, username: str, after: int) -> list[int]:
    """What the events table says ``username`` may see after ``after`` (the audience rule)."""
    def q(s: Any) -> list[int]:
        a = s.query(Agent).filter_by(username=username).one()
        v = Viewer(a.id, a.role, frozenset(x.id for x in a.queues))
        return [r.seq for r in s.query(EventRow).filter(EventRow.seq > after)
                .order_by(EventRow.seq)
                if v.sees(frozenset(r.audience_agents), frozenset(r.audience_queues),
                          bool(r.broadcast))]
    return world.server.store.run_sync(q)


def newest_seq(world: World) -> int:
    return world.server.store.run_sync(lambda s: Engine.last_seq(world.server.engine, s))


def reached(seq: int) -> Callable[[m.ServerFrame], bool]:
    return lambda f: isinstance(f, m.Event) and f.seq >= seq


def is_created(iid: int) -> Callable[[Any], bool]:
    return lambda d: (isinstance(d, m.InteractionChanged) and d.change == "created"
                      and d.interaction.id == iid)


# ---- resume: replay -----------------------------------------------------------------------

async def test_resume_replays_exactly_the_missed_visible_events(world: World) -> None:
    lead = await world.login("lead")
    ann = await world.login("ann")
    bob = await world.login("bob")
    general = await world.contact("chat", body="first")
    await ann.wait_event(is_created(general))
    cursor = ann.last_seq
    assert cursor == lead.last_seq
    await ann.close()

    # the world moves on while ann is away
    chinese = await world.contact("chat", "wang", queue="Chinese")  # not ann's queue
    email = await world.contact("email", "victor", subject="Upgrade")  # ann's queue
    assert (await bob.cmd(m.SetState, state="available")).ok  # bob's own agent events
    await bob.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                         and d.interaction.id == general and d.change == "offered")
    assert (await lead.cmd(m.AddNote, interaction_id=chinese, body="VIP next week")).ok
    assert (await lead.cmd(m.SetPriority, interaction_id=email, priority="urgent")).ok
    assert (await bob.cmd(m.Accept, interaction_id=general)).ok  # leaves ann's queue
    assert (await bob.cmd(m.SendMessage, interaction_id=general, body="Hi!")).ok  # bob's
    await world.advance(50)  # SLA warnings
    await barrier(lead)
    missed_by_lead = [e for e in lead.events if e.seq > cursor]

    ann2 = await resume(world, login_frame("ann"), cursor)
    assert ann2.first(m.Welcome).resume == "replay"
    got = replayed(ann2)
    expected = visible_seqs(world, "ann", cursor)
    assert [e.seq for e in got] == expected
    assert len(expected) >= 6
    # ann got neither the Chinese queue's events nor bob's private ones ...
    hidden = [e for e in missed_by_lead if e.seq not in set(expected)]
    assert any(isinstance(e.data, m.NoteAdded) for e in hidden)
    assert any(isinstance(e.data, m.AgentChanged) for e in hidden)
    assert any(isinstance(e.data, m.MessageAdded) for e in hidden)
    assert any(isinstance(e.data, m.InteractionChanged) and e.data.interaction.id == chinese
               for e in hidden)
    # ... but everything about her queue, identical to what the lead saw live
    by_seq = {e.seq: e for e in missed_by_lead}
    for e in got:
        assert e.data == by_seq[e.seq].data and e.at == by_seq[e.seq].at
    changes = [(e.data.interaction.id, e.data.change) for e in got
               if isinstance(e.data, m.InteractionChanged)]
    for step in [(email, "created"), (general, "offered"), (email, "offered"),
                 (email, "priority"), (general, "accepted")]:
        assert step in changes
    assert got[0].prev == cursor
    assert [e.prev for e in got[1:]] == [e.seq for e in got[:-1]]
    assert ann2.gaps == []
    assert ann2.first(m.ReplayDone).seq == got[-1].seq

    # live events continue the chain
    later = await world.contact("chat", body="later")
    live = await ann2.wait_event(is_created(later))
    assert live.prev == got[-1].seq
    assert ann2.gaps == []


async def test_resume_with_nothing_missed_and_with_a_refresh_token(world: World) -> None:
    ann = await world.login("ann")
    iid = await world.contact("chat")
    await ann.wait_event(is_created(iid))
    cursor = ann.last_seq
    refresh = ann.first(m.Welcome).refresh_token
    assert refresh
    await ann.close()
    await world.contact("chat", "wang", queue="Chinese")  # invisible to ann

    ann2 = await resume(world, lambda last: m.Refresh(refresh_token=refresh,
                                                      resume_from=last), cursor)
    welcome = ann2.first(m.Welcome)
    assert welcome.resume == "replay" and welcome.refresh_token not in (None, refresh)
    assert replayed(ann2) == [] and ann2.first(m.ReplayDone).seq == cursor
    later = await world.contact("email")
    ev = await ann2.wait_event(is_created(later))
    assert ev.prev == cursor and ann2.gaps == []


async def test_a_lead_replay_is_every_event(world: World) -> None:
    lead = await world.login("lead")
    cursor = lead.last_seq
    await lead.close()
    for who, queue in (("carol", "General"), ("wang", "Chinese"), ("victor", "Billing")):
        await world.contact("chat", who, queue=queue)
    ann = await world.login("ann", available=True)
    await world.advance(60)
    lead2 = await resume(world, login_frame("lead"), cursor)
    seqs = [e.seq for e in replayed(lead2)]
    assert seqs == list(range(cursor + 1, newest_seq(world) + 1))
    assert lead2.gaps == [] and ann.gaps == []


# ---- resume: too old or unknown -------------------------------------------------------------

async def test_cursor_older_than_retention_gets_resume_too_old_and_a_snapshot(
        world: World) -> None:
    ann = await world.login("ann")
    first = await world.contact("chat")
    await ann.wait_event(is_created(first))
    cursor = ann.last_seq
    await ann.close()
    for _ in range(3):
        await world.contact("chat")
    before = newest_seq(world)
    world.clock.advance(10)
    pruned = await world.server.store.run(
        lambda s: world.server.engine.prune_events(s, keep_s=0, keep_min=0))
    assert pruned > 0

    ann2 = await resume(world, login_frame("ann"), cursor)
    assert ann2.first(m.Welcome).resume == "snapshot"
    kinds = [type(f) for f in ann2.frames]
    assert kinds == [m.Welcome, m.Error, m.Snapshot]
    err = ann2.first(m.Error)
    assert err.code == "resume_too_old" and not err.fatal
    snap = ann2.first(m.Snapshot)
    # the sequence never goes backwards, even when every old event was pruned
    assert snap.seq >= before
    assert len([i for i in snap.interactions if i.state == "queued"]) == 4
    later = await world.contact("chat")
    ev = await ann2.wait_event(is_created(later))
    assert ev.seq > before and ev.prev == snap.seq and ann2.gaps == []


async def test_sequence_stays_monotonic_after_pruning_everything(world: World) -> None:
    for _ in range(3):
        await world.contact("chat")
    before = newest_seq(world)
    world.clock.advance(10)
    await world.server.store.run(
        lambda s: world.server.engine.prune_events(s, keep_s=0, keep_min=0))
    lead = await world.login("lead")
    assert lead.first(m.Snapshot).seq >= before
    iid = await world.contact("chat")
    ev = await lead.wait_event(is_created(iid))
    assert ev.seq > before


async def test_cursor_newer_than_the_newest_event_gets_a_snapshot(world: World) -> None:
    await world.contact("chat")
    newest = newest_seq(world)
    ann = await resume(world, login_frame("ann"), newest + 100)
    assert [type(f) for f in ann.frames] == [m.Welcome, m.Error, m.Snapshot]
    assert ann.first(m.Error).code == "resume_too_old"
    assert ann.first(m.Welcome).resume == "snapshot"
    assert ann.first(m.Snapshot).seq == newest


# ---- exactly-once under connection loss -----------------------------------------------------

N_NOTES = 60


class Faults:
    """Aborts the TCP connection around ~20 % of first attempts (and some second
    attempts): half before the command is applied, half after (before the ack)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.plan: dict[tuple[str, int], str] = {}
        self.attempts: dict[str, int] = {}
        self.fired: list[tuple[str, str]] = []

    def __call__(self, phase: str, cmd: Any) -> bool:
        if phase == "before_apply":
            n = self.attempts[cmd.key] = self.attempts.get(cmd.key, -1) + 1
        else:
            n = self.attempts[cmd.key]
        if (cmd.key, n) not in self.plan:
            r = self.rng.random()
            p = 0.2 if n == 0 else 0.1 if n == 1 else 0.0
            self.plan[(cmd.key, n)] = ("before_apply" if r < p / 2 else
                                       "after_apply" if r < p else "")
        if self.plan[(cmd.key, n)] == phase:
            self.fired.append((phase, cmd.key))
            return True
        return False


async def test_exactly_once_effects_when_connections_drop_around_commands(
        db_path: str, clock: ManualClock) -> None:
    faults = Faults(seed=20261123)
    world = await build_world(db_path, clock, fault_injector=faults)
    try:
        await _outbox_run(world, faults)
    finally:
        await world.close()


async def _outbox_run(world: World, faults: Faults) -> None:
    iid = await world.contact("chat", body="notes go here")  # waits in General (ann's)
    window = 4  # commands in flight at once
    outbox: list[m.AddNote] = []  # "durable": written before the command is sent
    todo = list(range(N_NOTES))
    acks: dict[str, m.Ack] = {}
    applied: list[m.Event] = []  # events applied by the client, across connections
    last, duplicates_ignored, connections = 0, 0, 0
    refresh: str | None = None

    def first_frame(cursor: int) -> m.ClientFrame:
        if refresh is None:
            return m.Login(id="login", username="ann", password="ann-pw",
                           resume_from=cursor if cursor else None)
        return m.Refresh(id="refresh", refresh_token=refresh, resume_from=cursor)

    while todo or outbox:
        connections += 1
        assert connections < 60, "no progress"
        c = await resume(world, first_frame, last)
        welcome = c.first(m.Welcome)
        refresh = welcome.refresh_token
        assert welcome.resume == ("snapshot" if last == 0 else "replay")
        if last == 0:
            last = c.first(m.Snapshot).seq
        inflight: list[tuple[m.AddNote, asyncio.Task[m.Ack]]] = []
        try:
            # after the replay: resend everything still in the outbox, same keys, in order
            for cmd in outbox:
                inflight.append((cmd, asyncio.create_task(c.request(cmd))))
            while todo or inflight:
                while todo and len(inflight) < window:
                    n = todo.pop(0)
                    cmd = m.AddNote(id=f"note-{n}", key=new_key(), interaction_id=iid,
                                    body=f"note number {n}")
                    outbox.append(cmd)
                    inflight.append((cmd, asyncio.create_task(c.request(cmd))))
                cmd, task = inflight.pop(0)
                ack = await task
                assert ack.ok and ack.key == cmd.key, ack
                acks[cmd.key] = ack
                outbox.remove(cmd)
        except (ConnectionError, ConnectionClosed):
            await asyncio.gather(*(t for _, t in inflight), return_exceptions=True)
            await c.close()
            # requests whose send already failed left their ack futures behind; the
            # closed connection failed them: retrieve that so asyncio does not complain
            for fut in c._acks.values():
                if fut.done() and not fut.cancelled():
                    fut.exception()
        # apply what this connection delivered with the seq/prev rule
        assert c.gaps == []
        for ev in (f for f in c.frames if isinstance(f, m.Event)):
            if ev.seq <= last:
                duplicates_ignored += 1
                continue
            assert ev.prev == last, (ev.prev, last)
            applied.append(ev)
            last = ev.seq

    # every action acknowledged exactly once and applied exactly once
    assert outbox == [] and len(acks) == N_NOTES
    notes = world.server.store.run_sync(lambda s: sorted(
        n.body for n in s.query(Note).filter_by(interaction_id=iid)))
    assert notes == sorted(f"note number {n}" for n in range(N_NOTES))
    after = [k for phase, k in faults.fired if phase == "after_apply"]
    before = [k for phase, k in faults.fired if phase == "before_apply"]
    assert after and before, faults.fired
    dup_keys = {k for k, a in acks.items() if a.duplicate}
    assert set(after) <= dup_keys  # applied, ack lost, resent: the original result again
    note_ids = sorted(a.result["note_id"] for a in acks.values())
    assert len(set(note_ids)) == N_NOTES  # every ack names its own note
    # the client's event stream: gap-free, no duplicates, one note event per note
    seqs = [e.seq for e in applied]
    assert seqs == sorted(set(seqs))
    assert [e.prev for e in applied[1:]] == seqs[:-1]
    note_events = [e.data.note for e in applied if isinstance(e.data, m.NoteAdded)]
    assert sorted(n.id for n in note_events) == note_ids
    assert sorted(n.body for n in note_events) == notes
    assert connections >= 1 + len({k for _, k in faults.fired}) // window
    assert duplicates_ignored >= 0


# ---- backpressure -------------------------------------------------------------------------

async def test_a_client_that_stops_reading_is_dropped_with_4008(
        db_path: str, clock: ManualClock) -> None:
    world = await build_world(db_path, clock, max_queue=50)
    try:
        await _slow_consumer(world)
    finally:
        await world.close()


async def _slow_consumer(world: World) -> None:
    server = world.server
    iid = await world.contact("email", subject="A long thread")
    lead_id = world.agent_id("lead")
    slow = await world.login("lead")  # a lead receives every event
    admin = await world.login("admin")  # another supervisor that keeps reading
    ann = await world.login("ann")
    slow_conn = next(c for c in server.hub.conns if c.agent_id == lead_id)
    # stop reading: nothing more is taken from the socket, so the server's send path
    # (kernel buffers, transport buffer, then the connection's queue) fills up
    assert slow.ws.transport is not None
    slow.ws.transport.pause_reading()

    body = "x" * 4000
    batch, produced, batches = 25, 0, 0  # a batch is one transaction (under max_queue)

    def notes(s: Any) -> Any:
        tx = server.engine.tx(s)
        lead = s.get(Agent, lead_id)
        for _ in range(batch):
            add_note(tx, lead, m.AddNote(key=new_key(), interaction_id=iid, body=body),
                     server.engine.settings)
        return tx

    while not slow_conn.closed:
        batches += 1
        assert batches <= 400, "the slow connection was never dropped"
        tx = await server.apply(notes)
        produced += batch
        # the reading supervisor gets each batch promptly (before the next one is made)
        await admin.wait_for(reached(tx.events[-1].seq))
    assert produced >= 500
    # the others are unaffected: ann keeps working and the admin saw everything
    assert (await ann.cmd(m.SetState, state="available")).ok
    offered = await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                                   and d.change == "offered" and d.interaction.id == iid)
    await barrier(admin)
    assert admin.last_seq >= offered.seq
    assert admin.gaps == [] and ann.gaps == []
    admin_notes = [e for e in admin.events if isinstance(e.data, m.NoteAdded)]
    assert len(admin_notes) == produced

    # once the slow client reads again it finds the 4008 close after what was sent
    slow.ws.transport.resume_reading()
    closed = await slow.wait_closed()
    assert closed.rcvd is not None and closed.rcvd.code == 4008
    assert slow.gaps == []
    slow_notes = [e for e in slow.events if isinstance(e.data, m.NoteAdded)]
    assert 0 < len(slow_notes) < produced
    # the server forgot the dropped connection (memory stays bounded)
    await asyncio.wait_for(slow_conn.ws.wait_closed(), 10)
    for _ in range(100):
        if slow_conn not in server.hub.conns:
            break
        await asyncio.sleep(0)
    assert slow_conn not in server.hub.conns
    assert slow_conn.queue.qsize() == 0
    assert all(c.agent_id != lead_id for c in server.hub.conns)
    # and it resumes where it stopped: nothing is lost
    again = await resume(world, login_frame("lead"), slow.last_seq)
    assert again.first(m.Welcome).resume == "replay"
    missed = [e for e in replayed(again) if isinstance(e.data, m.NoteAdded)]
    assert len(slow_notes) + len(missed) == produced
    assert again.gaps == []
    assert world.server.store.run_sync(
        lambda s: s.query(Note).filter_by(interaction_id=iid).count()) == produced
    assert world.server.store.run_sync(lambda s: s.get_one(Interaction, iid).state) == "offered"
