"""Connections and event fan-out.

Each connection has a bounded send queue drained by its own writer task, so a slow client
never stalls the others: when its queue is full it is closed with 4008 (slow consumer) and
recovers by reconnecting with ``resume_from``. Events are encoded once; only the ``prev``
field is framed per connection. Recipients are found through indexes by agent and queue
(supervisors get everything; a broadcast event, e.g. ``kb``, goes to every connection)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterable

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from ..protocol.codec import event_frame
from ..protocol.codes import CloseCode
from .engine import Viewer
from .tx import PublishedEvent

log = logging.getLogger("agent_desk.server.hub")


class Conn:
    def __init__(self, ws: ServerConnection, viewer: Viewer, expires_at: float,
                 max_queue: int) -> None:
        self.ws = ws
        self.viewer = viewer
        self.expires_at = expires_at
        self.last_seq = 0
        self.max_queue = max_queue
        self.pending: list[PublishedEvent] | None = []  # buffering until live
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=max_queue)
        self.closed = False
        self.writer: asyncio.Task[None] | None = None
        self.sent_events = 0

    @property
    def agent_id(self) -> int:
        return self.viewer.agent_id

    def event(self, ev: PublishedEvent) -> None:
        if self.closed:
            return
        if self.pending is not None:
            self.pending.append(ev)
            if len(self.pending) > self.max_queue:
                self.kill(CloseCode.SLOW_CONSUMER, "too many events while starting")
            return
        if ev.seq <= self.last_seq:
            return
        frame = event_frame(ev.seq, self.last_seq, ev.at_iso, ev.data)
        self.last_seq = ev.seq
        self.sent_events += 1
        self.push(frame)

    def push(self, frame: bytes) -> None:
        if self.closed:
            return
        if self._write_now(frame):
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.kill(CloseCode.SLOW_CONSUMER, "client too slow: reconnect and resume")

    def _write_now(self, frame: bytes) -> bool:
        """Hand ``frame`` to the transport right away when nothing is queued before it and
        the transport accepts data (what the writer task would do on its next turn, minus
        the task switch): the common case. Otherwise (queued frames, transport paused by
        flow control, connection closing) the writer task sends it in order."""
        ws = self.ws
        if (self.writer is None or not self.queue.empty() or ws.paused
                or ws.send_in_progress is not None or ws.protocol.state is not State.OPEN
                or ws.transport.is_closing()):
            return False
        try:
            ws.protocol.send_text(frame)
            ws.send_data()
        except Exception:  # pragma: no cover - defensive: never break the fan-out
            log.exception("writing to agent %s failed", self.agent_id)
            self.closed = True
            ws.transport.abort()
        return True

    def go_live(self) -> None:
        """Stop buffering: deliver what arrived meanwhile (minus what was replayed)."""
        pending, self.pending = self.pending or [], None
        for ev in pending:
            self.event(ev)
        self.writer = asyncio.create_task(self._write(), name=f"writer-{self.agent_id}")

    async def _write(self) -> None:
        try:
            while True:
                frame = await self.queue.get()
                if frame is None:
                    return
                await self.ws.send(frame, text=True)
        except ConnectionClosed:
            pass
        except Exception:  # pragma: no cover - defensive: never kill the server
            log.exception("writer for agent %s failed", self.agent_id)
        finally:
            self.closed = True

    def kill(self, code: CloseCode, reason: str, last: bytes | None = None) -> None:
        """Close with ``code``; ``last`` (e.g. a fatal ``error``) is sent just before."""
        if self.closed:
            return
        self.closed = True
        log.warning("closing connection of agent %s: %s (%d)", self.agent_id, reason, code)
        # drop what is queued: the client will resume from its last applied event
        while not self.queue.empty():
            self.queue.get_nowait()
        asyncio.ensure_future(self._close(code, reason, last))

    async def _close(self, code: CloseCode, reason: str, last: bytes | None) -> None:
        if last is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(last, text=True)
        await self.ws.close(code, reason)

    async def finish(self) -> None:
        self.closed = True
        if self.writer is not None:
            self.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.writer


class Hub:
    def __init__(self) -> None:
        self.conns: set[Conn] = set()
        self._by_agent: dict[int, set[Conn]] = defaultdict(set)
        self._by_queue: dict[int, set[Conn]] = defaultdict(set)
        self._supervisors: set[Conn] = set()

    def add(self, conn: Conn) -> None:
        self.conns.add(conn)
        self._by_agent[conn.agent_id].add(conn)
        for q in conn.viewer.queue_ids:
            self._by_queue[q].add(conn)
        if conn.viewer.supervisor:
            self._supervisors.add(conn)

    def remove(self, conn: Conn) -> None:
        self.conns.discard(conn)
        self._supervisors.discard(conn)
        for index, keys in ((self._by_agent, [conn.agent_id]),
                            (self._by_queue, conn.viewer.queue_ids)):
            for k in keys:
                s = index.get(k)
                if s is not None:
                    s.discard(conn)
                    if not s:
                        del index[k]

    def connected(self, agent_id: int) -> bool:
        return bool(self._by_agent.get(agent_id))

    def conns_of(self, agent_id: int | None) -> set[Conn]:
        """The open connections of one agent (none for ``None``)."""
        if agent_id is None:
            return set()
        return {c for c in self._by_agent.get(agent_id, ()) if not c.closed}

    def publish(self, events: Iterable[PublishedEvent]) -> None:
        for ev in events:
            if ev.everyone:
                for conn in list(self.conns):
                    conn.event(ev)
                continue
            targets: set[Conn] = set(self._supervisors)
            for a in ev.agents:
                targets.update(self._by_agent.get(a, ()))
            for q in ev.queues:
                targets.update(self._by_queue.get(q, ()))
            for conn in targets:
                conn.event(ev)
