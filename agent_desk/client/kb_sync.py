"""The local knowledge base, kept in step with the server's (asyncio; no Qt, no widgets).

``KBSyncer`` asks ``kb_sync`` for what changed after the cursor stored in the local file
(``kb_meta`` ``sync_cursor``), a page at a time (the next page is fetched while one is
applied), and applies each page **in one SQLite transaction together with its cursor**:

- an interrupted sync (connection lost, timeout, the app killed) keeps every page it
  completed and never half a page; the next sync resumes from the stored cursor;
- the file is opened and written only on the syncer's one worker thread, never on the GUI
  thread; readers (search, suggestions) open their own ``KBStore`` and keep working during
  a sync (WAL);
- one sync at a time: triggers during a sync (connected, a ``kb`` event newer than the
  local cursor) run **one** more sync after it, however many arrived;
- errors (offline, timeout, a refusal, an unreadable answer, the disk full or read-only)
  are logged and reported in ``status`` and the ``SyncResult``, never raised.

How a page is applied (``docs/protocol.md`` §15): ``kb_local.py``.

Schema reset: a server with another KB (a fresh server database behind the same address,
e.g. the demo started again) answers ``kb_sync`` with another ``epoch`` than the one the
file was synced from, or (a server that does not say) with a cursor **below** ``since``:
the local KB is wiped and synced from 0. The wipe is in the transaction of the
new sync's first page, so searches see the old KB until that page replaces it, and an
interruption before it leaves the old KB and cursor as they were (the next sync detects
the reset again). A ``kb`` event below the local cursor only starts a sync: an event can
arrive after a sync already fetched past it, so only the server's answer decides.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from ..kb.store import KBStore, KBStoreError
from ..protocol.kb import KBChanges, KbSync
from ..protocol.messages import Ack, Query
from .kb_local import CURSOR_KEY, LocalKB
from .state import Change
from .status import ConnectionStatus, NotConnected, Status

log = logging.getLogger("agent_desk.client.kb_sync")

PAGE_LIMIT = 200

QueryFn = Callable[[Query], Awaitable[Ack]]
T = TypeVar("T")

# why a sync stopped (``SyncResult.error`` / ``KBSyncStatus.error``)
OFFLINE = "offline"  # no connection (or it was lost during the sync)
TIMEOUT = "timeout"  # the server did not answer in time
REFUSED = "refused"  # the server refused the query (``detail``: its error code)
BAD_FRAME = "bad_frame"  # an answer this version cannot read, or one that makes no sense
DISK = "disk"  # the local file could not be opened or written (disk full, read-only, ...)
INTERNAL = "internal"  # a bug: logged with its traceback
STOPPED = "stopped"  # the syncer was stopped


class SyncState(StrEnum):
    IDLE = "idle"
    SYNCING = "syncing"
    ERROR = "error"  # the last sync failed (``error`` says why); the next trigger retries


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: pages applied, items added/replaced/removed, the cursor now."""

    pages: int = 0
    articles: int = 0
    templates: int = 0
    replies: int = 0
    cursor: int = 0
    reset: bool = False  # the server's KB was new: the local one was wiped and re-synced
    error: str | None = None  # None: complete; else one of the codes above
    detail: str = ""  # for the log and a tooltip (English)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        """The local KB changed (search results may differ)."""
        return self.reset or bool(self.articles or self.templates or self.replies)


@dataclass(frozen=True)
class KBSyncStatus:
    state: SyncState = SyncState.IDLE
    cursor: int | None = None  # the local cursor (None: the file was not read yet)
    error: str | None = None
    detail: str = ""
    synced_at: float | None = None  # time.time() of the last complete sync
    last: SyncResult | None = None


class _Failed(Exception):
    """Ends a sync; ``error`` is one of the codes above."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail


# ---- the syncer ---------------------------------------------------------------------------


class KBSyncer:
    """Keeps the KB file at ``path`` in step with the server, through ``query`` (e.g.
    ``Connection.query``: sends a query, returns its ``Ack``; raises ``NotConnected`` or
    ``TimeoutError``). Use from the event loop's thread; ``stop()`` when done."""

    def __init__(self, path: str | Path, query: QueryFn, *, page_limit: int = PAGE_LIMIT,
                 open_store: Callable[[Path], KBStore] = KBStore) -> None:
        self.path = Path(path)
        self.query = query  # replaceable: e.g. a new connection of the same account
        self.page_limit = page_limit
        self._local = LocalKB(self.path, open_store)
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()
        self._runner: asyncio.Task[None] | None = None
        self._fetches: set[asyncio.Task[KBChanges]] = set()  # queries in flight
        self._again = False  # a trigger arrived during the running sync: run again
        self._event_during = False  # a ``kb`` event arrived during the running sync
        self._wanted = 0  # the server cursor the last ``kb`` event announced
        self._stopped = False
        self.cursor: int | None = None  # the local cursor (None until the file was read)
        self.status = KBSyncStatus()
        self._status_listeners: list[Callable[[KBSyncStatus], object]] = []
        self._result_listeners: list[Callable[[SyncResult], object]] = []
        self._change_listeners: list[Callable[[int], object]] = []
        self._was_connected = False

    # ---- observers ------------------------------------------------------------------------

    def on_status(self, fn: Callable[[KBSyncStatus], object]) -> None:
        self._status_listeners.append(fn)

    def on_synced(self, fn: Callable[[SyncResult], object]) -> None:
        """``fn(result)`` after every sync, complete or not."""
        self._result_listeners.append(fn)

    def on_changed(self, fn: Callable[[int], object]) -> None:
        """``fn(cursor)`` after every applied page that changed the local KB (so a long
        first sync shows its articles as they arrive)."""
        self._change_listeners.append(fn)

    def _call(self, listeners: list[Callable[[T], object]], arg: T) -> None:
        for fn in list(listeners):
            try:
                fn(arg)
            except Exception:
                log.exception("KB sync listener failed")

    def _set_status(self, **kw: Any) -> None:
        self.status = replace(self.status, cursor=self.cursor, **kw)
        self._call(self._status_listeners, self.status)

    # ---- triggers -------------------------------------------------------------------------

    def trigger(self) -> None:
        """Sync soon: now, or once more after the running sync (triggers coalesce)."""
        self._schedule(force=True)

    def notify(self, server_cursor: int) -> None:
        """A ``kb`` event: the server's KB is at ``server_cursor``. Syncs when it is newer
        than the local cursor; below it (perhaps a new server database) a sync checks."""
        if self.cursor is not None and server_cursor == self.cursor:
            return
        if self.cursor is not None and server_cursor < self.cursor:
            log.info("server KB cursor %d below the local %d: checking", server_cursor,
                     self.cursor)
            self._schedule(force=True)
            return
        self._wanted = server_cursor
        self._schedule(force=False)

    def _schedule(self, *, force: bool) -> None:
        if self._stopped:
            return
        if self._runner is not None and not self._runner.done():
            if force:
                self._again = True
            else:
                self._event_during = True
            return
        self._runner = asyncio.get_running_loop().create_task(self._run(), name="kb-sync")

    def connection_status(self, status: ConnectionStatus) -> None:
        """A ``Connection`` status listener: sync on every (re)connection, i.e. once the
        snapshot or the replay of missed events is done."""
        connected = status.status == Status.CONNECTED
        if connected and not self._was_connected:
            self.trigger()
        self._was_connected = connected

    def state_changed(self, change: Change) -> None:
        """A ``ClientState`` listener: the ``kb`` event."""
        if change.kb is not None:
            self.notify(change.kb.cursor)

    async def _run(self) -> None:
        while not self._stopped:
            self._again = self._event_during = False
            await self.sync()
            # once more if forced during the sync, or an event announced a cursor this sync
            # did not reach; never in a loop on its own (a failed sync waits for a trigger)
            if not (self._again or (self._event_during
                                    and self._wanted > (self.cursor or 0))):
                return

    async def wait_idle(self) -> None:
        """Until no sync is running or scheduled (tests; shutting down)."""
        while self._runner is not None and not self._runner.done():
            await asyncio.wait([self._runner])

    # ---- syncing --------------------------------------------------------------------------

    async def _in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the worker thread; storage errors become ``_Failed(DISK)``."""
        if self._executor is None:
            if self._stopped:
                raise _Failed(STOPPED, "stopped")
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="kb-sync")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        except (sqlite3.Error, KBStoreError, OSError) as exc:
            raise _Failed(DISK, f"{type(exc).__name__}: {exc}") from exc

    async def read_cursor(self) -> int:
        """The cursor stored in the local file (opens it, on the worker thread)."""
        self.cursor = await self._in_worker(self._local.cursor)
        return self.cursor

    async def sync(self) -> SyncResult:
        """Fetch and apply everything that changed since the local cursor. Never raises
        (except ``CancelledError``); the result says how far it got and why it stopped."""
        async with self._lock:
            if self._stopped:
                return SyncResult(cursor=self.cursor or 0, error=STOPPED)
            self._set_status(state=SyncState.SYNCING)
            result = await self._sync()
            if result.ok:
                self._set_status(state=SyncState.IDLE, error=None, detail="",
                                 synced_at=time.time(), last=result)
            else:
                self._set_status(state=SyncState.ERROR, error=result.error,
                                 detail=result.detail, last=result)
        self._call(self._result_listeners, result)
        return result

    async def _fetch(self, since: int) -> KBChanges:
        ack = await self.query(KbSync(since=since, limit=self.page_limit))
        if not ack.ok:
            raise _Failed(REFUSED, str(ack.error.code) if ack.error else "internal")
        return msgspec.convert(ack.result, KBChanges)

    def _prefetch(self, since: int) -> asyncio.Task[KBChanges]:
        task = asyncio.get_running_loop().create_task(self._fetch(since))
        self._fetches.add(task)
        task.add_done_callback(self._fetched)
        return task

    def _fetched(self, task: asyncio.Task[KBChanges]) -> None:
        self._fetches.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" warning

    async def _sync(self) -> SyncResult:
        pages = articles = templates = replies = 0
        reset = wipe = False
        error: str | None = None
        detail = ""
        pending: asyncio.Task[KBChanges] | None = None
        try:
            since = await self.read_cursor()
            known_epoch = await self._in_worker(self._local.epoch)
            pending = fetching = self._prefetch(since)
            while True:
                page = await fetching
                pending = None
                if since and not wipe and known_epoch and page.epoch \
                        and page.epoch != known_epoch:
                    log.warning("the server's KB is another one (epoch %s, the local copy "
                                "came from %s): wiping the local KB, syncing from 0",
                                page.epoch, known_epoch)
                    known_epoch = page.epoch
                    reset = wipe = True
                    since = 0
                    pending = fetching = self._prefetch(0)
                    continue
                if page.cursor < since:
                    if wipe or page.cursor < 0:
                        raise _Failed(BAD_FRAME, f"cursor {page.cursor} below {since}")
                    log.warning("the server's KB cursor %d is below the local %d (a new "
                                "server database): wiping the local KB, syncing from 0",
                                page.cursor, since)
                    reset = wipe = True
                    since = 0
                    pending = fetching = self._prefetch(0)
                    continue
                if page.more and page.cursor <= since:
                    raise _Failed(BAD_FRAME, f"more=true without progress from {since}")
                if page.more:
                    pending = fetching = self._prefetch(page.cursor)
                a, t, r = await self._in_worker(self._local.apply, page, wipe)
                since = self.cursor = page.cursor
                pages += 1
                self._set_status()  # the new cursor (progress)
                articles, templates, replies = articles + a, templates + t, replies + r
                if wipe or a or t or r:
                    self._call(self._change_listeners, page.cursor)
                wipe = False
                if not page.more:
                    break
                if self._stopped:
                    raise _Failed(STOPPED, "stopped")
        except _Failed as exc:
            error, detail = exc.error, exc.detail
            if error == DISK:
                await self._reopen_later()
        except NotConnected as exc:
            error, detail = OFFLINE, str(exc)
        except TimeoutError:
            error, detail = TIMEOUT, "no answer to kb_sync"
        except msgspec.ValidationError as exc:
            error, detail = BAD_FRAME, str(exc)
        except OSError as exc:  # the network (the file's errors are ``_Failed(DISK)``)
            error, detail = OFFLINE, f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            log.exception("KB sync failed")
            error, detail = INTERNAL, f"{type(exc).__name__}: {exc}"
        finally:
            if pending is not None:
                pending.cancel()
        result = SyncResult(pages=pages, articles=articles, templates=templates,
                            replies=replies, cursor=self.cursor or 0, reset=reset,
                            error=error, detail=detail)
        if error is None:
            if result.changed or reset:
                log.info("KB synced to %d: %d page(s), %d article(s), %d template(s), "
                         "%d reply example(s)%s", result.cursor, pages, articles, templates,
                         replies, " after a reset" if reset else "")
        else:
            log.warning("KB sync stopped at cursor %d after %d page(s): %s (%s)",
                        result.cursor, pages, error, detail)
        return result

    async def _reopen_later(self) -> None:
        """After a disk error: drop the connection, the next sync opens the file afresh."""
        try:
            await self._in_worker(self._local.close)
        except _Failed:
            log.exception("closing the local KB failed")

    # ---- stopping -------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop syncing and close the file (a page being applied finishes or rolls back
        first: the close runs after it on the same worker thread)."""
        self._stopped = True
        runner = self._runner
        if runner is not None and not runner.done():
            runner.cancel()
            await asyncio.wait([runner])
        if self._fetches:  # cancelled with the sync: let them finish cancelling
            await asyncio.wait(list(self._fetches))
        async with self._lock:  # a sync() called directly stops after its current page
            executor, self._executor = self._executor, None
            if executor is not None:
                try:
                    await asyncio.get_running_loop().run_in_executor(executor,
                                                                     self._local.close)
                except Exception:
                    log.exception("closing the local KB failed")
                executor.shutdown(wait=False)


__all__ = ["CURSOR_KEY", "KBSyncStatus", "KBSyncer", "PAGE_LIMIT", "SyncResult", "SyncState"]
