"""The client connection against the real backend on 127.0.0.1: sign-in, refusals,
reconnect with resume after a server restart (missed events applied once), a resume point
too old for the server (fresh snapshot), an expired access token (renewed with the refresh
token), backoff that does not spin on a server that accepts and then closes, and the outbox
delivering exactly once (also across a client restart, and when the server drops the
connection just before or just after applying a command)."""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from websockets.asyncio.server import ServerConnection, serve

from agent_desk.client.backoff import Backoff
from agent_desk.client.connection import Connection, ConnectionStatus, Fatal, Status
from agent_desk.client.outbox import Outbox
from agent_desk.client.state import ClientState
from agent_desk.protocol import messages as m
from agent_desk.server.app import Server, ServerConfig
from agent_desk.server.auth import ACCESS_TTL_S
from agent_desk.server.clock import ManualClock
from agent_desk.server.models import Note
from tests.helpers.world import World, build_world

FAST = dict(initial_s=0.05, max_s=0.2, floor_s=0.05, jitter=0.1)


def make_conn(url: str, tmp_path: Path, name: str = "outbox.db") -> Connection:
    return Connection(url, ClientState(), Outbox(tmp_path / name), backoff=Backoff(**FAST),
                      open_timeout=5)


async def until(conn: Connection, pred: Callable[[], bool], timeout: float = 10) -> None:
    """Wait until ``pred()`` holds, re-checking on every status or state change."""
    changed = asyncio.Event()
    conn.on_status(lambda _s: changed.set())
    conn.state.subscribe(lambda _c: changed.set())

    async def watch() -> None:
        while not pred():
            changed.clear()
            await changed.wait()
    await asyncio.wait_for(watch(), timeout)


async def wait_status(conn: Connection, status: Status, timeout: float = 10) -> None:
    await until(conn, lambda: conn.status.status == status, timeout)


async def test_sign_in_gets_snapshot_and_refresh_token(world: World, tmp_path: Path) -> None:
    conn = make_conn(world.url, tmp_path)
    tokens: list[str] = []
    conn.on_refresh_token(tokens.append)
    await conn.sign_in("ann", "ann-pw")
    try:
        assert conn.status.status == Status.CONNECTED
        assert conn.state.me is not None and conn.state.me.username == "ann"
        assert conn.state.queues and tokens and conn.refresh_token == tokens[-1]
        assert conn._password is None  # never kept after sign-in
    finally:
        await conn.stop()
        conn.outbox.close()


async def test_wrong_password_is_fatal_and_stops(world: World, tmp_path: Path) -> None:
    conn = make_conn(world.url, tmp_path)
    with pytest.raises(Fatal) as info:
        await conn.sign_in("ann", "nope")
    assert info.value.code == "auth_failed"
    assert conn.status.status == Status.OFFLINE
    conn.outbox.close()


async def test_unreachable_server_is_reported(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conn = make_conn(f"ws://127.0.0.1:{port}", tmp_path)
    with pytest.raises(Fatal) as info:
        await conn.sign_in("ann", "ann-pw")
    assert info.value.code == "unreachable"
    conn.outbox.close()


async def test_server_restart_resumes_and_flushes_outbox_once(
        tmp_path: Path, clock: ManualClock) -> None:
    db = str(tmp_path / "server.db")
    world = await build_world(db, clock)
    port = world.server.port
    conn = make_conn(world.url, tmp_path)
    await conn.sign_in("ann", "ann-pw")
    await (await conn.command(m.SetState(key=conn.new_key(), state="available")))
    iid = await world.contact("chat")
    await until(conn, lambda: iid in conn.state.interactions)
    accept = await conn.command(m.Accept(key=conn.new_key(), interaction_id=iid))
    assert (await accept).ok

    await world.server.stop()  # the server dies
    await wait_status(conn, Status.RECONNECTING)
    futures = [await conn.command(m.AddNote(key=conn.new_key(), interaction_id=iid,
                                            body=f"note {n}")) for n in range(5)]
    assert conn.status.queued == 5  # actions taken while offline are kept

    server = Server(db, clock=clock, config=ServerConfig(tick_interval_s=None))
    await server.start("127.0.0.1", port)  # ... and comes back on the same address
    try:
        acks = await asyncio.wait_for(asyncio.gather(*futures), 15)
        assert all(a.ok for a in acks)
        await wait_status(conn, Status.CONNECTED)
        notes = server.store.run_sync(
            lambda s: sorted(n.body for n in s.query(Note).filter_by(interaction_id=iid)))
        assert notes == [f"note {n}" for n in range(5)]  # each exactly once
        assert conn.status.queued == 0
        assert conn.state.interactions[iid].assigned_agent_id == conn.state.my_id
    finally:
        await conn.stop()
        conn.outbox.close()
        await server.stop()


async def test_actions_queued_before_a_client_restart_are_delivered(
        world: World, tmp_path: Path) -> None:
    iid = await world.contact("email")
    lead = make_conn(world.url, tmp_path, "lead-outbox.db")
    await lead.sign_in("lead", "lead-pw")
    await lead.stop()  # now offline: the action waits in the outbox file
    await lead.command(m.AddNote(key=lead.new_key(), interaction_id=iid, body="from before"))
    lead.outbox.close()

    again = make_conn(world.url, tmp_path, "lead-outbox.db")  # the app restarted
    assert await again.outbox.open() == 1
    await again.sign_in("lead", "lead-pw")
    try:
        await until(again, lambda: again.outbox.count == 0)
        bodies = world.server.store.run_sync(
            lambda s: [n.body for n in s.query(Note).filter_by(interaction_id=iid)])
        assert bodies == ["from before"]
    finally:
        await again.stop()
        again.outbox.close()


def test_an_event_of_an_unknown_kind_moves_the_sequence_on(tmp_path: Path) -> None:
    """A newer server's event kind is skipped without being mistaken for a gap."""
    conn = make_conn("ws://127.0.0.1:9", tmp_path)
    conn.state.seq = 5
    raw = '{"v":1,"type":"event","seq":7,"prev":5,"at":"2026-11-23T00:00:00Z",' \
          '"data":{"kind":"hologram","x":1}}'
    assert conn._decode(raw) is None
    assert conn.state.seq == 7
    assert conn._decode(raw.replace('"prev":5', '"prev":6')) is None
    assert conn.state.seq == 7  # not our chain: left for the gap check
    conn.outbox.close()


async def test_stopping_during_sign_in_ends_the_wait(tmp_path: Path) -> None:
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)  # never answers
    port = listener.sockets[0].getsockname()[1]
    conn = make_conn(f"ws://127.0.0.1:{port}", tmp_path)
    signing_in = asyncio.ensure_future(conn.sign_in("ann", "ann-pw"))
    await until(conn, lambda: conn.status.status == Status.CONNECTING)
    await conn.stop()
    with pytest.raises(Fatal):
        await asyncio.wait_for(signing_in, 5)
    listener.close()
    await listener.wait_closed()
    conn.outbox.close()


async def test_events_missed_while_disconnected_are_applied_once(
        tmp_path: Path, clock: ManualClock) -> None:
    """The server dies and comes back; contacts arrive before the client is back: they are
    replayed from the last applied ``seq`` (no snapshot), each event applied once."""
    db = str(tmp_path / "server.db")
    world = await build_world(db, clock)
    port = world.server.port
    slow = Backoff(initial_s=30, max_s=30, floor_s=30, jitter=0)  # waits for reconnect_now
    conn = Connection(world.url, ClientState(), Outbox(tmp_path / "outbox.db"), backoff=slow,
                      open_timeout=5)
    applied: list[int] = []
    resets: list[bool] = []
    apply_event = conn.state.apply_event

    def spy(ev: m.Event) -> object:
        applied.append(ev.seq)
        return apply_event(ev)

    conn.state.apply_event = spy  # type: ignore[method-assign]
    conn.state.subscribe(lambda ch: resets.append(True) if ch.reset else None)
    await conn.sign_in("lead", "lead-pw")
    first = await world.contact("chat")
    await until(conn, lambda: first in conn.state.interactions)
    await world.server.stop()
    await wait_status(conn, Status.RECONNECTING)

    server = Server(db, clock=clock, config=ServerConfig(tick_interval_s=None))
    await server.start("127.0.0.1", port)
    again = World(server, clock)
    missed = [await again.contact(ch) for ch in ("phone", "email", "chat")]
    try:
        conn.reconnect_now()
        await until(conn, lambda: all(i in conn.state.interactions for i in missed), 15)
        assert conn.status.status == Status.CONNECTED
        assert resets == [True]  # only the first sign-in's snapshot: this was a replay
        assert applied == sorted(set(applied))  # in order, none twice
        created = [i for i in missed if conn.state.interactions[i].state == "queued"]
        assert created == missed
    finally:
        await conn.stop()
        conn.outbox.close()
        await server.stop()


async def test_a_resume_point_the_server_no_longer_keeps_brings_a_snapshot(
        world: World, tmp_path: Path) -> None:
    conn = make_conn(world.url, tmp_path)
    resets: list[bool] = []
    conn.state.subscribe(lambda ch: resets.append(True) if ch.reset else None)
    await conn.sign_in("lead", "lead-pw")
    old = conn.state.seq
    await conn.stop()
    later = [await world.contact("chat") for _ in range(3)]
    world.clock.advance(10)
    pruned = await world.server.store.run(
        lambda s: world.server.engine.prune_events(s, keep_s=0, keep_min=0))
    assert pruned > 0
    await conn.sign_in("lead", "lead-pw")  # resumes from ``old``: too old by now
    try:
        assert conn.status.status == Status.CONNECTED
        assert len(resets) == 2 and conn.state.seq > old  # a fresh snapshot replaced all
        assert set(later) <= set(conn.state.interactions)
    finally:
        await conn.stop()
        conn.outbox.close()


async def test_an_expired_access_token_is_renewed_with_the_refresh_token(
        world: World, tmp_path: Path) -> None:
    conn = make_conn(world.url, tmp_path)
    tokens: list[str] = []
    seen: list[Status] = []
    conn.on_refresh_token(tokens.append)
    conn.on_status(lambda s: seen.append(s.status))
    await conn.sign_in("ann", "ann-pw")
    try:
        await world.advance(ACCESS_TTL_S + 1)  # the server closes the connection (4002)
        await until(conn, lambda: len(tokens) >= 2 and conn.status.status == Status.CONNECTED)
        assert Status.RECONNECTING in seen and Status.SIGNED_OUT not in seen
        assert tokens[-1] != tokens[0]  # rotated
        ack = await (await conn.command(m.SetState(key=conn.new_key(), state="available")))
        assert ack.ok
    finally:
        await conn.stop()
        conn.outbox.close()


class RunningClock(ManualClock):
    """A server clock weeks ahead of this machine's that runs at the normal speed."""

    def __init__(self) -> None:
        super().__init__()
        self._t0 = time.monotonic()

    def now(self) -> float:
        return self._now + time.monotonic() - self._t0


async def test_the_access_token_is_refreshed_before_it_expires_again_and_again(
        tmp_path: Path) -> None:
    """In band, without dropping the connection, each time the new token nears its
    expiry; the expiry is read on the server's clock (weeks ahead of this machine's)."""
    world = await build_world(str(tmp_path / "server.db"), RunningClock(),
                              access_ttl_s=0.8)  # refreshed a quarter early: every ~0.6 s
    conn = make_conn(world.url, tmp_path)
    tokens: list[str] = []
    seen: list[Status] = []
    four = asyncio.Event()

    def got(token: str) -> None:
        tokens.append(token)
        if len(tokens) >= 4:
            four.set()

    conn.on_refresh_token(got)
    await conn.sign_in("ann", "ann-pw")
    conn.on_status(lambda s: seen.append(s.status))
    try:
        await asyncio.wait_for(four.wait(), 15)
        assert len(set(tokens)) == len(tokens)  # rotated each time
        assert Status.RECONNECTING not in seen and conn.status.status == Status.CONNECTED
    finally:
        await conn.stop()
        conn.outbox.close()
        await world.close()


def test_backoff_is_exponential_with_jitter_and_a_floor() -> None:
    b = Backoff(initial_s=0.5, factor=2.0, max_s=8.0, jitter=0.2, floor_s=1.0,
                rng=random.Random(7))
    delays = [b.next_delay() for _ in range(8)]
    for n, d in enumerate(delays):
        base = min(0.5 * 2 ** n, 8.0)
        assert max(1.0, base * 0.8) <= d <= max(1.0, base * 1.2), (n, d)
    assert len({round(d, 6) for d in delays[4:]}) > 1  # jittered, also at the cap
    b.connected_for(60)  # a connection that lived long resets it
    assert b.attempt == 0


@pytest.mark.parametrize("close_code", [1000, 4008])
async def test_a_server_that_accepts_and_then_closes_is_not_hammered(
        tmp_path: Path, close_code: int) -> None:
    """Also with a close code that asks for an immediate retry (4008 slow consumer): the
    client may retry at once, but never twice in a row without the backoff floor."""
    attempts = 0
    four = asyncio.Event()
    delays: list[float] = []  # the waits the client scheduled before each new attempt

    async def handler(ws: ServerConnection) -> None:
        nonlocal attempts
        attempts += 1
        if attempts >= 4:
            four.set()
        await ws.recv()
        await ws.close(close_code, "bye")

    def scheduled(st: ConnectionStatus) -> None:
        if st.status == Status.RECONNECTING and st.retry_at is not None:
            delays.append(st.retry_at - time.monotonic())

    async with serve(handler, "127.0.0.1", 0) as listener:
        port = next(iter(listener.sockets)).getsockname()[1]
        floor = 0.2
        conn = Connection(f"ws://127.0.0.1:{port}", ClientState(), Outbox(tmp_path / "o.db"),
                          backoff=Backoff(initial_s=0.1, max_s=0.4, floor_s=floor, jitter=0.1),
                          open_timeout=5)
        conn.on_status(scheduled)
        await conn.resume("a-refresh-token")  # keeps trying in the background
        await asyncio.wait_for(four.wait(), 15)
        await conn.stop()
        conn.outbox.close()
    assert len(delays) >= 3, delays
    immediate = [d < floor / 2 for d in delays]
    assert not any(a and b for a, b in zip(immediate, immediate[1:], strict=False)), delays


async def test_commands_lost_with_a_dropped_connection_are_applied_exactly_once(
        db_path: str, clock: ManualClock, tmp_path: Path) -> None:
    """The server aborts TCP around ~20 % of the commands, half before applying them and
    half after (the ack is lost): the outbox resends with the same keys after each
    reconnect, and every note exists exactly once."""
    from tests.server.test_resume_and_idempotency import Faults

    faults = Faults(seed=20261124)
    world = await build_world(db_path, clock, fault_injector=faults)
    conn = make_conn(world.url, tmp_path)
    try:
        iid = await world.contact("chat", body="notes go here")  # waits in General (ann's)
        await conn.sign_in("ann", "ann-pw")
        await until(conn, lambda: iid in conn.state.interactions)
        futures = [await conn.command(m.AddNote(key=conn.new_key(), interaction_id=iid,
                                                body=f"note {n}")) for n in range(60)]
        acks = await asyncio.wait_for(asyncio.gather(*futures), 30)
        assert all(a.ok for a in acks)
        await until(conn, lambda: conn.outbox.count == 0)
        notes = world.server.store.run_sync(lambda s: sorted(
            n.body for n in s.query(Note).filter_by(interaction_id=iid)))
        assert notes == sorted(f"note {n}" for n in range(60))  # each exactly once
        fired = {phase for phase, _key in faults.fired}
        assert fired == {"before_apply", "after_apply"}, faults.fired  # both kinds of loss
        assert any(a.duplicate for a in acks)  # applied, ack lost, resent: same result
    finally:
        await conn.stop()
        conn.outbox.close()
        await world.close()
