"""The backend server: store, engine, hub, connectors and the ticker, behind a websocket
endpoint. ``Server`` is also the ``ContactSink`` connectors report to."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from websockets.asyncio.server import Server as WsServer
from websockets.asyncio.server import serve

from ..protocol.messages import TRANSPORT_MAX_BYTES
from . import email_in
from .auth import ACCESS_TTL_S, REFRESH_TTL_S, LoginThrottle
from .clock import Clock
from .connectors import Connector, InboundAttachment, InboundContact
from .engine import Engine
from .hub import Hub
from .lifecycle import Settings
from .migrate import upgrade
from .presence import Presence, mark_seen, room_info
from .reference import ensure_reference_data
from .store import Store
from .tx import Tx

log = logging.getLogger("agent_desk.server")
T = TypeVar("T")


@dataclass
class ServerConfig:
    offer_timeout_s: float = 20.0
    wrap_up_limit_s: float = 120.0
    max_pending_offers: int = 1
    access_ttl_s: float = ACCESS_TTL_S
    refresh_ttl_s: float = REFRESH_TTL_S
    tick_interval_s: float | None = 0.25  # None: no ticker (tests call ``tick()``)
    disconnect_grace_s: float = 60.0
    retention_s: float = 3600.0
    retention_min_events: int = 1000
    max_queue: int = 2000
    auth_timeout_s: float = 10.0
    keepalive_s: float = 20.0
    origins: Sequence[Any] | None = None  # allowed Origin headers (None = any)
    demo: bool = False
    #: the organisation's name as customers know it (reply templates' ``{company.name}``)
    company_name: str = ""
    #: the public address of a knowledge-base article, with ``{id}`` ("Insert link")
    kb_link: str = ""
    demo_password_log_n: int = 12
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    #: Fault injection for resilience tests: called with ("before_apply" | "after_apply",
    #: command); returning True aborts the TCP connection at that point (no ack is sent).
    fault_injector: Callable[[str, Any], bool] | None = None


class Server:
    def __init__(self, db: str, *, clock: Clock | None = None,
                 config: ServerConfig | None = None,
                 connectors: Sequence[Connector] = ()) -> None:
        self.config = config or ServerConfig()
        self.clock = clock or Clock()
        self.store = Store(db)
        self.engine = Engine(self.clock, Settings(self.config.offer_timeout_s,
                                                  self.config.wrap_up_limit_s,
                                                  self.config.max_pending_offers,
                                                  self.config.company_name,
                                                  self.config.kb_link))
        self.hub = Hub()
        self.presence = Presence(self.hub, self.clock.now, self._agent_typing)
        self.connectors = list(connectors)
        self.port = 0
        self._ws: WsServer | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._gone: dict[int, float] = {}
        self._last_prune = 0.0
        self._prepared = False

    # ---- start / stop ---------------------------------------------------------------------

    def prepare(self) -> None:
        """Create or migrate the schema, then reference (and demo) data. Synchronous."""
        if self._prepared:
            return
        self._prepared = True
        upgrade(self.store.engine)
        self.store.run_sync(ensure_reference_data)
        if self.config.demo:
            from .demo import seed_demo

            now = self.clock.now()
            self.store.run_sync(lambda s: seed_demo(
                s, now, password_log_n=self.config.demo_password_log_n))

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        await asyncio.get_running_loop().run_in_executor(None, self.prepare)
        from .session import handle_connection

        self._ws = await serve(
            lambda ws: handle_connection(self, ws), host, port,
            compression=None,  # permessage-deflate costs ~3.5x CPU per small event
            max_size=TRANSPORT_MAX_BYTES, max_queue=64,
            ping_interval=self.config.keepalive_s, ping_timeout=self.config.keepalive_s,
            origins=self.config.origins,
        )
        sock = next(iter(self._ws.sockets))
        self.port = int(sock.getsockname()[1])
        for c in self.connectors:
            await c.start(self)
        if self.config.tick_interval_s:
            self._ticker = asyncio.create_task(self._tick_loop(), name="ticker")
        log.info("listening on ws://%s:%d", host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for c in self.connectors:
            with contextlib.suppress(Exception):
                await c.stop()
        if self._ws is not None:
            self._ws.close(close_connections=True)
            await self._ws.wait_closed()
        for t in list(self._tasks):
            t.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.get_running_loop().run_in_executor(None, self.store.close)

    # ---- running store work and publishing its results ------------------------------------

    async def apply(self, fn: Callable[[Session], Tx]) -> Tx:
        """Run a transaction that returns a ``Tx``; publish its events after the commit."""
        tx = await self.store.run(fn)
        self.after_commit(tx)
        return tx

    def after_commit(self, tx: Tx) -> None:
        self.hub.publish(tx.events)
        for c in self.connectors:
            for msg in tx.outbound:
                self._spawn(c.deliver(msg))
            for lc in tx.lifecycle:
                self._spawn(c.lifecycle(lc))
            for req in tx.surveys:
                self._spawn(c.request_survey(req))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("connector task failed", exc_info=task.exception())

    # ---- time -----------------------------------------------------------------------------

    async def tick(self) -> None:
        """Timers (offers, SLA, wrap-up), routing, token expiry, disconnected agents."""
        await self.apply(self.engine.tick)
        self.presence.expire()
        now = self.clock.now()
        for conn in list(self.hub.conns):
            if conn.expires_at <= now and not conn.closed:
                from .session import expire

                expire(conn)
        for agent_id, since in list(self._gone.items()):
            if self.hub.connected(agent_id):
                del self._gone[agent_id]
            elif now - since >= self.config.disconnect_grace_s:
                del self._gone[agent_id]
                await self._sign_off(agent_id)
        if now - self._last_prune >= 60.0:
            self._last_prune = now
            keep, minimum = self.config.retention_s, self.config.retention_min_events
            await self.store.run(lambda s: self.engine.prune_events(s, keep, minimum))

    async def _sign_off(self, agent_id: int) -> None:
        await self.apply(lambda s: self.engine.agent_gone(s, agent_id))

    async def _tick_loop(self) -> None:
        assert self.config.tick_interval_s
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("tick failed")
            await asyncio.sleep(self.config.tick_interval_s)

    def disconnected(self, agent_id: int) -> None:
        if not self.hub.connected(agent_id):
            self._gone[agent_id] = self.clock.now()

    # ---- ContactSink ----------------------------------------------------------------------

    async def inbound_contact(self, contact: InboundContact) -> int:
        if contact.raw_mime is not None:  # parse a (maybe 20 MB) message off the loop
            contact = await asyncio.to_thread(email_in.prepare, contact)
        result: dict[str, int] = {}

        def run(s: Session) -> Tx:
            result["id"], tx = self.engine.inbound(s, contact)
            return tx

        await self.apply(run)
        # route in a transaction of its own: the contact is visible (``created``) one routing
        # pass sooner, and routing still follows before this returns
        try:
            await self.apply(self.engine.settle)
        except Exception:  # the contact is recorded: the ticker's next pass routes it
            log.exception("routing after inbound contact %s failed", result["id"])
        return result["id"]

    async def customer_message(self, interaction_id: int, body: str, html: str | None = None,
                               attachments: list[InboundAttachment] | None = None) -> None:
        await self.apply(lambda s: self.engine.customer_message(
            s, interaction_id, body, html, attachments))
        self.presence.customer_stopped(interaction_id)

    async def customer_left(self, interaction_id: int, reason: str = "customer left") -> None:
        await self.apply(lambda s: self.engine.customer_left(s, interaction_id, reason))

    async def customer_identities(self, limit: int = 200) -> list[dict[str, str]]:
        return await self.store.run(lambda s: self.engine.customer_identities(s, limit))

    # ---- issue 4 sink methods: helper C (typing, seen) and helper B (surveys) fill these in

    async def customer_typing(self, interaction_id: int, typing: bool) -> None:
        info = await self.store.run(lambda s: room_info(s, None, interaction_id))
        if info is None:
            log.info("typing for unknown interaction %s ignored", interaction_id)
            return
        self.presence.customer_typing(info, typing)

    async def customer_seen(self, interaction_id: int) -> None:
        await self.apply(lambda s: mark_seen(self.engine.tx(s), interaction_id))

    def _agent_typing(self, interaction_id: int, typing: bool) -> None:
        """A chat's assignee started/stopped typing: the connectors tell the customer."""
        for c in self.connectors:
            self._spawn(c.agent_typing(interaction_id, typing))

    async def survey_answer(self, interaction_id: int, csat: int | None, nps: int | None = None,
                            ces: int | None = None, comment: str = "") -> None:
        """Stored once; invalid or repeated answers are logged and ignored."""
        await self.apply(lambda s: self.engine.survey_answer(s, interaction_id, csat, nps, ces,
                                                             comment))
