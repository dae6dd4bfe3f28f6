"""The controller's queries, and the account's local stores behind them.

``ask`` runs any query over the session's connection without blocking the GUI thread and
converts its result, raising ``QueryFailed`` with a translated text. The customer record
and an interaction's detail also go into the account's local customer cache, which answers
for them (marked stale) when the server cannot be reached. ``drafts`` is the account's
local store of unsent texts.

``ControllerQueries`` is a base class of ``controller.Controller`` (import both names from
there); the controller provides the session, its connection, the account's stores and the
texts of refusal codes."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import msgspec
from PySide6.QtCore import QObject

from ..client.connection import NotConnected
from ..protocol import messages as m
from ..protocol import views as v
from . import paths

if TYPE_CHECKING:  # SQLAlchemy is imported on first use, not at start-up
    from ..client.connection import Connection
    from ..client.customer_cache import Cached, CustomerCache
    from ..client.drafts import DraftStore
    from .account_stores import AccountStores

log = logging.getLogger("agent_desk.ui.controller")  # the controller's log

T = TypeVar("T")


class QueryFailed(Exception):
    def __init__(self, text: str, *, offline: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.offline = offline


class _Account(Protocol):
    """Which account is signed in (the controller's session)."""

    url: str
    username: str


class ControllerQueries(QObject):
    if TYPE_CHECKING:  # provided by ``Controller``
        session: _Account | None
        stores: AccountStores

        @property
        def connection(self) -> Connection | None: ...

        def explain_refusal(self, code: str) -> str: ...

    async def customer(self, customer_id: int) -> Cached[v.Customer360]:
        """The Customer 360 record; offline, the locally cached copy (``stale``) if any."""
        return await self._cached(
            m.GetCustomer(customer_id=customer_id), v.Customer360,
            self.tr("Offline — customer history is not available right now."),
            lambda c: c.get_customer(customer_id), lambda c, x: c.put_customer(x))

    async def interaction_detail(self, interaction_id: int) -> Cached[v.InteractionDetail]:
        """Messages, notes and transitions; offline, the cached copy (``stale``) if any."""
        return await self._cached(
            m.GetInteraction(interaction_id=interaction_id), v.InteractionDetail,
            self.tr("Offline — this conversation is not available right now."),
            lambda c: c.get_detail(interaction_id), lambda c, x: c.put_detail(x))

    async def _cached(self, query: m.Query, result_type: type[T], offline_text: str,
                      get: Callable[[CustomerCache], Awaitable[Cached[T] | None]],
                      put: Callable[[CustomerCache, T], Awaitable[None]]) -> Cached[T]:
        cache = self._customer_cache()
        try:
            value = await self.ask(query, result_type, offline_text)
        except QueryFailed as exc:
            hit = await get(cache) if exc.offline and cache is not None else None
            if hit is None:
                raise
            return hit
        if cache is not None:
            await put(cache, value)
        from ..client.customer_cache import Cached

        return Cached(value, time.time())

    def _customer_cache(self) -> CustomerCache | None:
        """The account's local customer cache (opened on first use)."""
        s = self.session
        return self.stores.cache(s.url, s.username) if s is not None else None

    def drafts(self) -> DraftStore | None:
        """The account's local drafts (None when not signed in or not available)."""
        s = self.session
        return self.stores.drafts(s.url, s.username) if s is not None else None

    def kb_path(self) -> Path | None:
        """The account's local knowledge-base file (None when not signed in)."""
        s = self.session
        return paths.kb_file(s.url, s.username) if s is not None else None

    async def ask(self, query: m.Query, result_type: type[T], offline_text: str = "") -> T:
        """Run a query and convert its result. Raises ``QueryFailed`` with a translated
        text (``offline=True`` when not connected: ``offline_text`` or a generic one)."""
        conn = self.connection
        try:
            if conn is None:
                raise NotConnected("no session")
            ack = await conn.query(query)
        except (NotConnected, TimeoutError):
            raise QueryFailed(offline_text or self.tr("Offline — not available right now."),
                              offline=True) from None
        if not ack.ok:
            code = str(ack.error.code) if ack.error else "internal"
            raise QueryFailed(self.explain_refusal(code))
        try:
            return msgspec.convert(ack.result, result_type)
        except msgspec.ValidationError as exc:
            log.warning("malformed %s result: %s", type(query).__name__, exc)
            raise QueryFailed(self.tr("The server sent a record this version cannot "
                                      "read.")) from None
