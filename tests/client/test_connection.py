"""The client connection against the real backend on 127.0.0.1: sign-in, refusals,
reconnect with resume after a server restart, the outbox delivering exactly once (also
across a client restart)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from agent_desk.client.backoff import Backoff
from agent_desk.client.connection import Connection, Fatal, Status
from agent_desk.client.outbox import Outbox
from agent_desk.client.state import ClientState
from agent_desk.protocol import messages as m
from agent_desk.server.app import Server, ServerConfig
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
