"""The local KB sync (``client/kb_sync.py``) on real SQLite files in ``tmp_path``.

``..._fake_server`` tests feed pages through a stand-in for ``kb_sync`` (``kb_fake.py``):
paging, publish/archive, templates and replies, an interrupted sync (the file holds exactly
the completed pages, search works on them meanwhile, the next sync completes without
duplicates), a page that fails half-way (rolled back whole), the disk full (a real
``SQLITE_FULL`` through ``PRAGMA max_page_count``), a server whose cursor went backwards
(full resync), coalesced triggers, bad answers, and that the file is written only on the
syncer's worker thread. The real-server tests are in ``test_kb_sync_server.py``."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from agent_desk.client import kb_sync as ks
from agent_desk.client.kb_sync import CURSOR_KEY, KBSyncer, SyncState
from agent_desk.client.state import Change, ClientState
from agent_desk.client.status import ConnectionStatus, NotConnected, Status
from agent_desk.kb.search import Searcher
from agent_desk.kb.store import KBStore
from agent_desk.kb.template_store import TemplateStore
from agent_desk.protocol import messages as m
from agent_desk.protocol.enums import ArticleState
from agent_desk.protocol.kb import KBChanged
from tests.client.kb_fake import NOW, FakeKB, fail_after, refused

TOPICS = ["refund", "invoice", "warranty", "delivery", "password"]


def fill(fake: FakeKB, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        topic = TOPICS[i % len(TOPICS)]
        fake.article(f"a{i}", f"{topic.title()} guide {i}",
                     f"How to handle a {topic} request, case {i}.")


def ids(path: Path) -> list[str]:
    with KBStore(path) as store:
        return [str(r[0]) for r in store.conn.execute("SELECT id FROM kb_article ORDER BY id")]


def stored_cursor(path: Path) -> int:
    with KBStore(path) as store:
        return int(store.meta(CURSOR_KEY) or 0)


def search_ids(path: Path, query: str) -> set[str]:
    with KBStore(path) as store:
        return {h.id for h in Searcher(store).search(query, limit=100)}


def at_cursor(cursor: int, event: asyncio.Event) -> Callable[[ks.KBSyncStatus], None]:
    """A status listener setting ``event`` once the local cursor reaches ``cursor``."""
    def listener(status: ks.KBSyncStatus) -> None:
        if status.cursor == cursor:
            event.set()
    return listener


@pytest.fixture
def kb_path(tmp_path: Path) -> Path:
    return tmp_path / "kb.db"


async def test_initial_sync_of_articles_templates_replies_fake_server(kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 25)
    for i in range(5):
        fake.template(f"t{i}", f"Refund reply {i}", "Hello {customer.name}, your refund.",
                      shortcut=f"refund{i}")
    for i in range(3):
        fake.reply(i + 1, "I want my money back", "Hi {customer.name}, refund started.")
    syncer = KBSyncer(kb_path, fake.query, page_limit=10)
    statuses: list[ks.KBSyncStatus] = []
    syncer.on_status(statuses.append)
    changed: list[int] = []
    syncer.on_changed(changed.append)
    try:
        result = await syncer.sync()
    finally:
        await syncer.stop()
    assert changed == [10, 20, 30, 33]
    assert result.ok and result.pages == 4 and result.cursor == fake.counter == 33
    assert (result.articles, result.templates, result.replies) == (25, 5, 3)
    assert [q.since for q in fake.queries] == [0, 10, 20, 30]
    assert [s.state for s in statuses] == [SyncState.SYNCING] * 5 + [SyncState.IDLE]
    assert [s.cursor for s in statuses] == [None, 10, 20, 30, 33, 33]  # progress per page
    assert statuses[-1].cursor == 33 and statuses[-1].synced_at is not None
    assert len(ids(kb_path)) == 25 and stored_cursor(kb_path) == 33
    assert search_ids(kb_path, "refund") == {f"a{i}" for i in range(0, 25, 5)}
    with KBStore(kb_path) as store:
        templates = TemplateStore(store)
        assert len(templates.templates()) == 5
        found = templates.by_shortcut("#refund3")
        assert found is not None and found.id == "t3"
        assert templates.reply(2) is not None
        art = store.get("a7")
        assert art is not None and art.state == "published" and art.version == 1


async def test_unpublished_articles_never_reach_the_index_fake_server(kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 3)
    fake.article("d1", "Draft refund idea", "not yet", state=ArticleState.DRAFT)
    fake.article("r1", "Refund in review", "not yet", state=ArticleState.IN_REVIEW)
    syncer = KBSyncer(kb_path, fake.query)
    try:
        result = await syncer.sync()
    finally:
        await syncer.stop()
    assert result.ok and result.articles == 3  # removing what was never there: no change
    assert ids(kb_path) == ["a0", "a1", "a2"]


async def test_publish_archive_and_retire_reach_the_index_after_the_event_fake_server(
        kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 3)
    fake.template("t1", "Refund", "Your refund {order.number}", shortcut="refund")
    fake.reply(7, "where is my parcel", "It is on its way.")
    syncer = KBSyncer(kb_path, fake.query)
    state = ClientState()
    state.subscribe(syncer.state_changed)
    synced: list[ks.SyncResult] = []
    syncer.on_synced(synced.append)
    seq = 0

    async def event(cursor: int) -> None:
        nonlocal seq
        seq += 1
        state.apply_event(m.Event(seq=seq, prev=seq - 1, at=NOW, data=KBChanged(cursor=cursor)))
        await syncer.wait_idle()

    try:
        await syncer.sync()
        fake.article("new", "Warranty for tablets", "Two years on tablets.")
        fake.article("a1", "x", "x", state=ArticleState.ARCHIVED, version=2)
        fake.template("t1", "Refund", "Your refund", shortcut="refund", active=False,
                      version=2)
        fake.reply(7, "where is my parcel", "It is on its way.", active=False)
        await event(fake.counter)
        assert synced[-1].ok and synced[-1].changed
        assert ids(kb_path) == ["a0", "a2", "new"]
        assert search_ids(kb_path, "tablets") == {"new"}
        with KBStore(kb_path) as store:
            templates = TemplateStore(store)
            assert templates.by_shortcut("refund") is None and templates.templates() == []
            assert templates.reply(7) is None
        # an event announcing the cursor we already have: no query
        asked = len(fake.queries)
        await event(fake.counter)
        assert len(fake.queries) == asked
        # republished with a new version: back in the index
        fake.article("a1", "Invoice guide again", "Invoices by e-mail.", version=3)
        await event(fake.counter)
        assert "a1" in search_ids(kb_path, "invoices")
    finally:
        await syncer.stop()


def test_kb_event_is_a_change_of_the_state() -> None:
    state = ClientState()
    seen: list[Change] = []
    state.subscribe(seen.append)
    ch = state.apply_event(m.Event(seq=1, prev=0, at=NOW, data=KBChanged(cursor=42)))
    assert ch.kb is not None and ch.kb.cursor == 42 and seen == [ch]
    assert state.seq == 1 and not ch.upserted and not ch.removed


async def test_interrupted_sync_keeps_completed_pages_and_resumes_fake_server(
        kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 50)
    held = asyncio.Event()
    release = asyncio.Event()

    async def hold_third_page(q: object) -> None:
        if len(fake.queries) == 3:
            held.set()
            await release.wait()
            raise NotConnected("connection lost")

    fake.before = hold_third_page
    syncer = KBSyncer(kb_path, fake.query, page_limit=10)
    two_pages = asyncio.Event()
    syncer.on_status(at_cursor(20, two_pages))
    try:
        running = asyncio.ensure_future(syncer.sync())
        await held.wait()  # page 3 requested (while page 2 is applied)
        await two_pages.wait()
        # search keeps working meanwhile, on its own connection
        assert search_ids(kb_path, "warranty") == {"a2", "a7", "a12", "a17"}
        release.set()
        result = await running
        assert result.error == ks.OFFLINE and result.pages == 2 and result.cursor == 20
        assert syncer.status.state == SyncState.ERROR and syncer.status.error == ks.OFFLINE
        assert ids(kb_path) == sorted(f"a{i}" for i in range(20))  # exactly those pages
        assert stored_cursor(kb_path) == 20
        assert search_ids(kb_path, "warranty") == {"a2", "a7", "a12", "a17"}

        fake.before = None
        fill(fake, 5, start=50)  # the KB moved on meanwhile
        again = await syncer.sync()
        assert again.ok and again.pages == 4 and fake.queries[-4].since == 20
        assert again.cursor == stored_cursor(kb_path) == 55
        assert ids(kb_path) == sorted(f"a{i}" for i in range(55))  # no duplicates
        assert len(search_ids(kb_path, "warranty")) == 11
        with KBStore(kb_path) as store:
            assert store.count() == 55
    finally:
        await syncer.stop()


async def test_a_page_failing_half_way_is_rolled_back_whole_fake_server(
        kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKB()
    fill(fake, 30)
    calls = 0
    real_upsert = KBStore.upsert

    def upsert(self: KBStore, article: object) -> bool:
        nonlocal calls
        calls += 1
        if calls == 15:  # the 5th article of page 2
            raise sqlite3.OperationalError("database or disk is full")
        return real_upsert(self, article)  # type: ignore[arg-type]

    monkeypatch.setattr(KBStore, "upsert", upsert)
    syncer = KBSyncer(kb_path, fake.query, page_limit=10)
    try:
        result = await syncer.sync()
        assert result.error == ks.DISK and "disk is full" in result.detail
        assert result.pages == 1 and result.cursor == 10
        assert ids(kb_path) == sorted(f"a{i}" for i in range(10))  # not 14
        assert stored_cursor(kb_path) == 10
        again = await syncer.sync()  # the file is opened afresh and the sync completes
        assert again.ok and again.cursor == 30 and len(ids(kb_path)) == 30
    finally:
        await syncer.stop()


async def test_disk_full_sqlite_full_reports_and_loses_nothing_fake_server(
        kb_path: Path) -> None:
    """A real ``SQLITE_FULL``: the writer's connection may not grow the file beyond a few
    pages more than it has after the first sync."""
    fake = FakeKB()
    fill(fake, 10)
    first = KBSyncer(kb_path, fake.query, page_limit=10)
    assert (await first.sync()).ok
    await first.stop()

    def small_disk(path: Path) -> KBStore:
        store = KBStore(path)
        pages = int(store.conn.execute("PRAGMA page_count").fetchone()[0])
        store.conn.execute(f"PRAGMA max_page_count={pages + 2}")
        return store

    for i in range(40):  # big articles: they cannot fit
        fake.article(f"big{i}", f"Delivery manual {i}", "delivery steps " * 400)
    syncer = KBSyncer(kb_path, fake.query, page_limit=10, open_store=small_disk)
    statuses: list[ks.KBSyncStatus] = []
    syncer.on_status(statuses.append)
    try:
        result = await syncer.sync()
    finally:
        await syncer.stop()
    assert result.error == ks.DISK and "full" in result.detail
    assert statuses[-1].state == SyncState.ERROR and statuses[-1].error == ks.DISK
    assert ids(kb_path) == sorted(f"a{i}" for i in range(10))  # nothing lost
    assert stored_cursor(kb_path) == 10 and len(search_ids(kb_path, "refund")) == 2

    roomy = KBSyncer(kb_path, fake.query, page_limit=10)  # space again
    try:
        result = await roomy.sync()
    finally:
        await roomy.stop()
    assert result.ok and result.cursor == fake.counter and len(ids(kb_path)) == 50


async def test_server_cursor_backwards_wipes_and_resyncs_fake_server(kb_path: Path) -> None:
    old = FakeKB()
    fill(old, 30)
    old.template("t-old", "Old template", "Old body", shortcut="old")
    fresh = FakeKB()  # a new server database behind the same address
    fresh.article("n1", "Refund guide", "Refunds in five days.")
    fresh.article("n2", "Invoice guide", "Invoices in your account.")
    server = old

    async def query(q: m.Query) -> m.Ack:
        return await server.query(q)

    syncer = KBSyncer(kb_path, query, page_limit=10)
    try:
        assert (await syncer.sync()).cursor == 31
        server = fresh
        # the reset's first page fails: the old KB (and cursor) stay as they were
        fresh.before = fail_after(fresh, 1)
        failed = await syncer.sync()
        assert failed.error == ks.OFFLINE and [q.since for q in fresh.queries] == [31, 0]
        assert len(ids(kb_path)) == 30 and stored_cursor(kb_path) == 31
        fresh.before = None
        syncer.notify(fresh.counter)  # the kb event: 2 < 31
        await syncer.wait_idle()
        result = syncer.status.last
        assert result is not None and result.ok and result.reset and result.cursor == 2
        assert ids(kb_path) == ["n1", "n2"] and stored_cursor(kb_path) == 2
        assert search_ids(kb_path, "refund") == {"n1"}
        with KBStore(kb_path) as store:
            assert store.count() == 2
            assert TemplateStore(store).templates(include_inactive=True) == []
        fresh.article("n3", "Warranty guide", "Two years.")
        assert (await syncer.sync()).cursor == 3 and len(ids(kb_path)) == 3
    finally:
        await syncer.stop()


async def test_another_server_epoch_wipes_even_with_a_higher_cursor_fake_server(
        kb_path: Path) -> None:
    """A new server database whose counter has already passed the local cursor: only the
    epoch tells it from the old one."""
    old = FakeKB(epoch="a" * 32)
    fill(old, 5, start=100)  # a100 … a104: articles the new server does not have
    fresh = FakeKB(epoch="b" * 32)
    fill(fresh, 40)  # cursor 40 > 5: the cursor alone would look like "more changes"
    fresh.article("only-new", "Delivery guide", "Parcels in two days.")
    server = old

    async def query(q: m.Query) -> m.Ack:
        return await server.query(q)

    syncer = KBSyncer(kb_path, query, page_limit=10)
    try:
        assert (await syncer.sync()).cursor == 5
        assert len(ids(kb_path)) == 5
        server = fresh
        result = await syncer.sync()
        assert result.ok and result.reset and result.cursor == fresh.counter
        assert [q.since for q in fresh.queries][:2] == [5, 0]  # asked, saw the epoch, restarted
        assert "only-new" in ids(kb_path) and len(ids(kb_path)) == 41
        assert not any(i.startswith("a10") and len(i) == 4 for i in ids(kb_path))
        again = await syncer.sync()  # the new epoch is remembered: no second wipe
        assert again.ok and not again.reset
    finally:
        await syncer.stop()


async def test_triggers_during_a_sync_coalesce_into_one_more_fake_server(
        kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 5)
    gate = asyncio.Event()
    entered = asyncio.Event()

    async def slow(_q: object) -> None:
        entered.set()
        await gate.wait()

    fake.before = slow
    syncer = KBSyncer(kb_path, fake.query)
    try:
        syncer.trigger()
        await entered.wait()
        for _ in range(5):
            syncer.trigger()
        fill(fake, 1, start=5)
        syncer.notify(fake.counter)
        gate.set()
        await syncer.wait_idle()
        assert len(fake.queries) == 2  # the running sync and one more
        assert syncer.cursor == 6 and len(ids(kb_path)) == 6

        # an event during a sync that already fetches past it: no extra sync
        gate.clear()
        entered.clear()
        fill(fake, 1, start=6)
        syncer.notify(fake.counter)
        await entered.wait()
        syncer.notify(fake.counter)  # e.g. a second event for the same change
        gate.set()
        await syncer.wait_idle()
        assert len(fake.queries) == 3 and syncer.cursor == 7
    finally:
        await syncer.stop()


async def test_connected_triggers_once_per_connection_fake_server(kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 2)
    syncer = KBSyncer(kb_path, fake.query)
    try:
        connected = ConnectionStatus(status=Status.CONNECTED)
        syncer.connection_status(connected)
        syncer.connection_status(ConnectionStatus(status=Status.CONNECTED, queued=1))
        await syncer.wait_idle()
        assert len(fake.queries) == 1 and len(ids(kb_path)) == 2
        syncer.connection_status(ConnectionStatus(status=Status.RECONNECTING))
        syncer.connection_status(connected)
        await syncer.wait_idle()
        assert len(fake.queries) == 2
    finally:
        await syncer.stop()


@pytest.mark.parametrize("answer, error", [
    ("refused", ks.REFUSED), ("garbage", ks.BAD_FRAME), ("no_progress", ks.BAD_FRAME),
    ("timeout", ks.TIMEOUT), ("offline", ks.OFFLINE),
])
async def test_bad_answers_are_reported_never_raised_fake_server(
        kb_path: Path, answer: str, error: str) -> None:
    fake = FakeKB()
    fill(fake, 3)

    async def query(q: m.Query) -> m.Ack:
        if answer == "refused":
            return refused(q)
        if answer == "garbage":
            return m.Ack(ok=True, result={"articles": [{"id": 1}], "cursor": "x"})
        if answer == "no_progress":
            return m.Ack(ok=True, result={"cursor": 0, "more": True})
        raise TimeoutError if answer == "timeout" else NotConnected("no session")

    syncer = KBSyncer(kb_path, query)
    try:
        result = await syncer.sync()
        assert result.error == error and result.pages == 0 and not result.changed
        assert syncer.status.state == SyncState.ERROR and syncer.status.error == error
        assert ids(kb_path) == [] and stored_cursor(kb_path) == 0
        if answer == "refused":
            assert result.detail == "forbidden"
    finally:
        await syncer.stop()


async def test_the_file_is_written_only_on_the_worker_thread_fake_server(
        kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKB()
    fill(fake, 12)
    fake.template("t", "T", "Body")
    threads: set[str] = set()
    real_set_meta, real_upsert = KBStore.set_meta, KBStore.upsert

    def set_meta(self: KBStore, key: str, value: str) -> None:
        threads.add(threading.current_thread().name)
        real_set_meta(self, key, value)

    def upsert(self: KBStore, article: object) -> bool:
        threads.add(threading.current_thread().name)
        return real_upsert(self, article)  # type: ignore[arg-type]

    monkeypatch.setattr(KBStore, "set_meta", set_meta)
    monkeypatch.setattr(KBStore, "upsert", upsert)
    syncer = KBSyncer(kb_path, fake.query, page_limit=5)
    try:
        assert (await syncer.sync()).ok
    finally:
        await syncer.stop()
    assert threads and threading.current_thread().name not in threads
    assert len(threads) == 1 and next(iter(threads)).startswith("kb-sync")


async def test_stop_during_a_sync_keeps_the_pages_and_closes_fake_server(
        kb_path: Path) -> None:
    fake = FakeKB()
    fill(fake, 30)
    entered = asyncio.Event()

    async def hang_on_page_2(_q: object) -> None:
        if len(fake.queries) == 2:
            entered.set()
            await asyncio.Event().wait()

    fake.before = hang_on_page_2
    syncer = KBSyncer(kb_path, fake.query, page_limit=10)
    page_1 = asyncio.Event()
    syncer.on_status(at_cursor(10, page_1))
    syncer.trigger()
    await entered.wait()
    await page_1.wait()
    await syncer.stop()  # while the query for page 2 hangs
    assert stored_cursor(kb_path) == 10 and len(ids(kb_path)) == 10
    assert (await syncer.sync()).error == ks.STOPPED
    syncer.trigger()  # ignored after stop
    assert syncer._runner is not None and syncer._runner.done()
