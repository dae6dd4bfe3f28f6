"""Real websocket traffic through the qasync loop, the way the app runs: the server in a
background thread with its own asyncio loop, the client (connection, state, bridge and the
whole main window) in a ``qasync.QEventLoop`` on the main thread.

This is the test that catches the PySide6 6.12 crash (``Fatal Python error: none_dealloc``
in qasync's ``timerEvent`` during websocket traffic): keep it running real traffic.

The second test is a hostile server: malformed frames and a burst of 5,000 events. The
window must stay responsive (a chained timer keeps ticking), apply every event exactly
once and end with the right rows."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from agent_desk.client.connection import Status
from agent_desk.protocol import messages as m
from agent_desk.protocol import views as v
from agent_desk.protocol.codec import encode
from agent_desk.server.models import EventRow
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    qloop_fixture,
    run,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)

CONTACTS = 120
BURST = 5000
ROWS = 1500


async def open_window(client: Any, url: str, user: str, password: str) -> Any:
    task = asyncio.ensure_future(client.run())
    await until(lambda: client.dialog is not None)
    dlg = client.dialog
    dlg.url.setText(url)
    dlg.username.setText(user)
    dlg.password.setText(password)
    dlg.sign_in.click()
    await until(lambda: client.window is not None
                and client.controller.status.status == Status.CONNECTED, 15)
    return task


def test_real_traffic_through_the_qasync_loop(qloop, server: ServerThread, ui_env, qapp
                                              ) -> None:
    client = ui_env.client(qapp)

    async def traffic(w: Any) -> None:
        for n in range(CONTACTS):
            channel = ("phone", "email", "chat")[n % 3]
            await w.contact(channel, who=("carol", "victor", "wang")[n % 3],
                            queue=("General", "Billing", "Chinese")[n % 3],
                            subject=f"Contact {n}")
        await w.advance(60)  # SLA warnings for the waiting calls and chats

    async def scenario() -> None:
        task = await open_window(client, server.url, "lead", "lead-pw")
        win = client.window
        ticks: list[float] = []
        win.bridge.sig_interactions_changed.connect(lambda *_a: ticks.append(time.monotonic()))
        await server.acall(traffic)
        last = server.sync(lambda s: s.query(EventRow.seq).order_by(EventRow.seq.desc())
                           .first()[0])
        await until(lambda: win.state.seq == last, 30, what=f"event {last}")
        await until(lambda: win.queue.counts()["all"] == CONTACTS, what="all rows")
        print(f"real traffic: {last} events through the qasync loop")
        assert last >= 2 * CONTACTS  # a few hundred events went through the loop
        assert len(ticks) >= 2  # applied in batches, not one at a time or all at once
        assert win.queue.counts() == {"all": CONTACTS, "phone": 40, "email": 40, "chat": 40,
                                      "offers": 0, "mine": 0}
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 90)


# ---- a hostile server ----------------------------------------------------------------------

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LEAD = v.AgentView(id=1, username="lead", name="Lead", role="lead",  # type: ignore[arg-type]
                   state="available", state_since=NOW, queue_ids=[1])  # type: ignore[arg-type]


def view(iid: int, version: int) -> v.InteractionView:
    return v.InteractionView(
        id=iid, channel=("phone", "email", "chat")[iid % 3],  # type: ignore[arg-type]
        state="queued", queue_id=1, subject=f"Burst {iid}",  # type: ignore[arg-type]
        customer=v.CustomerBrief(id=iid, name=f"客户 {iid}", tier="standard",  # type: ignore[arg-type]
                                 language="zh"),
        priority=("low", "normal", "high", "urgent")[version % 4],  # type: ignore[arg-type]
        created_at=NOW, first_response_due_at=NOW + timedelta(seconds=600 + version % 97),
        resolution_due_at=NOW + timedelta(hours=8), version=version)


class HostileServer:
    """Welcome, snapshot, three malformed frames, then ``BURST`` events as fast as it can."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self._stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self.loop.run_until_complete,
                                       args=(self._main(),), daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        async with serve(self._handle, "127.0.0.1", 0, compression=None) as s:
            self.port = next(iter(s.sockets)).getsockname()[1]
            self.ready.set()
            await self._stop.wait()

    async def _handle(self, ws: ServerConnection) -> None:
        await ws.recv()  # login
        await ws.send(encode(m.Welcome(
            re="auth", agent=LEAD, resume="snapshot", server_time=NOW,
            access_token="a" * 32, refresh_token="r" * 32,
            access_expires_at=NOW + timedelta(hours=1))).decode())
        await ws.send(encode(m.Snapshot(
            seq=0, agent=LEAD, agents=[LEAD], queues=[v.QueueView(id=1, name="General")],
            interactions=[], settable_states=["available", "away", "offline"],  # type: ignore[list-item]
            away_reasons=[], wrap_up_codes=[], sla_policies=[], server_time=NOW)).decode())
        for junk in ("this is not json", '{"v":1,"type":"from_the_future"}',
                     '{"v":1,"type":"event","seq":"one","prev":0}', "[1, 2, 3]"):
            await ws.send(junk)
        for seq in range(1, BURST + 1):
            data = m.InteractionChanged(change="priority", interaction=view(seq % ROWS + 1,
                                                                              seq))
            await ws.send(encode(m.Event(seq=seq, prev=seq - 1, at=NOW, data=data)).decode())
        await ws.wait_closed()

    def close(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(10)
        self.loop.close()


def test_malformed_frames_and_a_burst_of_5000_events(qloop, ui_env, qapp) -> None:
    hostile = HostileServer()
    client = ui_env.client(qapp)
    lateness: list[float] = []
    seen_seq: list[int] = []  # where the burst was each time the heartbeat got the loop

    async def heartbeat(stop: asyncio.Event) -> None:
        """A chained 20 ms timer: it runs only when the loop is free, so beats that land
        in the middle of the burst prove the UI kept breathing while applying it."""
        while not stop.is_set():
            t = time.monotonic()
            await asyncio.sleep(0.02)
            lateness.append(time.monotonic() - t - 0.02)
            win = client.window
            if win is not None:
                seen_seq.append(win.state.seq)

    async def scenario() -> None:
        stop = asyncio.Event()
        beat = asyncio.ensure_future(heartbeat(stop))
        task = await open_window(client, f"ws://127.0.0.1:{hostile.port}", "lead", "x")
        win = client.window
        await until(lambda: win.state.seq == BURST, 60, what="the whole burst")
        await until(lambda: win.queue.counts()["all"] == ROWS, what="rows")
        stop.set()
        await beat
        assert win.controller.status.status == Status.CONNECTED  # malformed frames ignored
        assert all(i.version > BURST - ROWS for i in win.state.interactions.values())
        print(f"burst of {BURST}: worst event-loop lateness {max(lateness) * 1000:.0f} ms"
              " (measured properly by bench/queue_pane.py)")
        mid_burst = {q for q in seen_seq if 0 < q < BURST}
        assert mid_burst, "the loop never ran while the burst was being applied: UI froze"
        assert await stop_client(client, task) == 0

    try:
        run(qloop, scenario(), 120)
    finally:
        hostile.close()
