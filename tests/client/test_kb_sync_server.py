"""The local KB sync against the real backend on 127.0.0.1 (``world`` population; the lead
is the KB editor), with the client's real ``Connection`` and a real SQLite file: the first
sync on connecting (drafts and articles in review never arrive), publish / archive /
retire reaching the index through the ``kb`` event, a sync interrupted by the server
dying after k pages (the file holds exactly those pages, search works on them, the sync
completes without duplicates once the server is back), and a fresh server database behind
the same address (full resync)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from agent_desk.client.backoff import Backoff
from agent_desk.client.connection import Connection
from agent_desk.client.kb_sync import KBSyncer, KBSyncStatus, SyncState
from agent_desk.client.outbox import Outbox
from agent_desk.client.state import ClientState
from agent_desk.kb.store import KBStore
from agent_desk.kb.template_store import TemplateStore
from agent_desk.protocol import messages as m
from agent_desk.protocol.kb import KbArticleAction, KbSaveArticle, KbSaveTemplate
from agent_desk.server.app import Server, ServerConfig
from agent_desk.server.clock import ManualClock
from tests.client.test_kb_sync_client import ids, search_ids, stored_cursor
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient


def fast_backoff() -> Backoff:
    return Backoff(initial_s=0.05, max_s=0.2, floor_s=0.05, jitter=0.1)
TOPICS = ["refund", "invoice", "warranty", "delivery", "password"]


async def publish(editor: WsClient, title: str, body: str, *, language: str = "en") -> str:
    """A new article, published; its id (the server assigns it)."""
    ack = await editor.cmd(KbSaveArticle, title=title, body=body, language=language)
    assert ack.ok, ack
    article_id = str(ack.result["id"])
    ack = await editor.cmd(KbArticleAction, article_id=article_id, action="publish")
    assert ack.ok, ack
    return article_id


async def publish_many(editor: WsClient, n: int) -> list[str]:
    """Articles 0..n-1 about ``TOPICS`` in turn (article i: ``TOPICS[i % 5]``)."""
    return [await publish(editor, f"{TOPICS[i % 5].title()} guide {i}",
                          f"How to handle a {TOPICS[i % 5]} request, case {i}.")
            for i in range(n)]


async def template(editor: WsClient, title: str, shortcut: str, *, active: bool = True
                   ) -> str:
    ack = await editor.cmd(KbSaveTemplate, title=title, body="Hello {customer.name}",
                           language="en", shortcut=shortcut)
    assert ack.ok, ack
    if not active:
        tid = str(ack.result["id"])
        ack = await editor.cmd(KbSaveTemplate, template_id=tid, title=title,
                               body="Hello {customer.name}", language="en", active=False)
        assert ack.ok, ack
    return str(ack.result["id"])


class Client:
    """Ann's connection with a KB syncer wired as the controller wires it."""

    def __init__(self, url: str, tmp_path: Path, kb_path: Path, page_limit: int = 200
                 ) -> None:
        self.conn = Connection(url, ClientState(), Outbox(tmp_path / "outbox.db"),
                               backoff=fast_backoff(), open_timeout=5)
        self.kb = KBSyncer(kb_path, self.conn.query, page_limit=page_limit)
        self.conn.on_status(self.kb.connection_status)
        self.conn.state.subscribe(self.kb.state_changed)
        self._changed = asyncio.Event()
        self.kb.on_status(lambda _s: self._changed.set())

    async def until(self, pred: Callable[[KBSyncStatus], bool], timeout: float = 15) -> None:
        """Wait until the syncer's status satisfies ``pred`` (checked on every change)."""
        async def watch() -> None:
            while not pred(self.kb.status):
                self._changed.clear()
                await self._changed.wait()
        await asyncio.wait_for(watch(), timeout)

    async def synced_to(self, cursor: int) -> None:
        await self.until(lambda s: s.state == SyncState.IDLE and s.cursor == cursor)

    async def close(self) -> None:
        await self.conn.stop()
        await self.kb.stop()
        self.conn.outbox.close()


def server_cursor(world: World) -> int:
    from agent_desk.server import kb_counter

    return world.server.store.run_sync(kb_counter.current)


async def test_first_sync_brings_published_articles_and_templates(
        world: World, tmp_path: Path) -> None:
    lead = await world.login("lead")
    arts = await publish_many(lead, 12)
    assert (await lead.cmd(KbSaveArticle, title="Refund draft", body="not yet",
                           language="en")).ok
    assert (await lead.cmd(KbSaveArticle, title="Refund in review", body="not yet",
                           language="en", submit=True)).ok
    tpls = [await template(lead, f"Refund {i}", f"refund{i}", active=i < 2) for i in range(3)]
    kb_path = tmp_path / "kb.db"
    ann = Client(world.url, tmp_path, kb_path, page_limit=5)
    try:
        await ann.conn.sign_in("ann", "ann-pw")
        await ann.synced_to(server_cursor(world))
        last = ann.kb.status.last
        assert last is not None and last.ok and last.pages >= 3
        assert ids(kb_path) == sorted(arts)  # no draft, nothing in review
        assert search_ids(kb_path, "warranty") == {arts[2], arts[7]}
        with KBStore(kb_path) as store:
            templates = TemplateStore(store)
            assert sorted(t.id for t in templates.templates()) == sorted(tpls[:2])
            found = templates.by_shortcut("#refund1")
            assert found is not None and found.id == tpls[1]
            assert templates.by_shortcut("refund2") is None
    finally:
        await ann.close()


async def test_publish_and_archive_reach_the_index_after_the_kb_event(
        world: World, tmp_path: Path) -> None:
    lead = await world.login("lead")
    arts = await publish_many(lead, 3)
    kb_path = tmp_path / "kb.db"
    ann = Client(world.url, tmp_path, kb_path)
    try:
        await ann.conn.sign_in("ann", "ann-pw")
        await ann.synced_to(server_cursor(world))
        queries = ann.kb.status.last
        assert queries is not None and queries.articles == 3

        tablets = await publish(lead, "Tablet warranty", "Two years on tablets.")
        await ann.synced_to(server_cursor(world))  # the kb event started a sync
        assert search_ids(kb_path, "tablets") == {tablets}

        assert (await lead.cmd(KbArticleAction, article_id=arts[1], action="archive")).ok
        await ann.synced_to(server_cursor(world))
        assert ids(kb_path) == sorted([arts[0], arts[2], tablets])

        # a new draft version of a published article: agents keep the published one
        assert (await lead.cmd(KbSaveArticle, article_id=arts[0], base_version=1,
                               title="Refund guide (rewritten)", body="Draft text.",
                               language="en")).ok
        later = await publish(lead, "Later article", "Published after the draft.")
        await ann.synced_to(server_cursor(world))
        with KBStore(kb_path) as store:
            a0 = store.get(arts[0])
            assert a0 is not None and a0.title == "Refund guide 0"
            assert store.get(later) is not None

        assert (await lead.cmd(KbArticleAction, article_id=arts[0], action="publish")).ok
        await ann.synced_to(server_cursor(world))
        with KBStore(kb_path) as store:
            a0 = store.get(arts[0])
            assert a0 is not None and a0.title == "Refund guide (rewritten)"
            assert a0.version == 2
    finally:
        await ann.close()


async def test_sync_interrupted_by_the_server_dying_resumes_without_duplicates(
        tmp_path: Path, clock: ManualClock) -> None:
    db = str(tmp_path / "server.db")
    world = await build_world(db, clock)
    port = world.server.port
    lead = await world.login("lead")
    arts = await publish_many(lead, 30)
    await lead.close()
    world.clients.clear()
    total = server_cursor(world)
    kb_path = tmp_path / "kb.db"
    ann = Client(world.url, tmp_path, kb_path, page_limit=5)
    pages = 0

    async def query_then_die(q: m.Query) -> m.Ack:
        nonlocal pages
        ack = await ann.conn.query(q)
        pages += 1
        if pages == 3:
            await world.server.stop()  # the server dies while page 3 is on its way
        return ack

    ann.kb.query = query_then_die
    try:
        await ann.conn.sign_in("ann", "ann-pw")
        await ann.until(lambda s: s.state == SyncState.ERROR)
        status = ann.kb.status
        assert status.error == "offline" and status.last is not None
        assert status.last.pages == 3 and status.cursor == stored_cursor(kb_path)
        assert 0 < stored_cursor(kb_path) < total
        assert ids(kb_path) == sorted(arts[:15])  # exactly the 3 pages
        assert search_ids(kb_path, "warranty") == {arts[2], arts[7], arts[12]}  # search works

        server = Server(db, clock=clock, config=ServerConfig(tick_interval_s=None))
        await server.start("127.0.0.1", port)  # back on the same address
        world.server = server
        await ann.synced_to(total)  # reconnecting triggers the sync
        assert ids(kb_path) == sorted(arts)
        with KBStore(kb_path) as store:
            assert store.count() == 30  # no duplicates in the index either
        assert len(search_ids(kb_path, "warranty")) == 6
    finally:
        await ann.close()
        await world.close()


async def test_a_fresh_server_database_means_a_full_resync(
        tmp_path: Path, clock: ManualClock) -> None:
    kb_path = tmp_path / "kb.db"
    first = await build_world(str(tmp_path / "one.db"), clock)
    try:
        lead = await first.login("lead")
        await publish_many(lead, 10)
        ann = Client(first.url, tmp_path, kb_path)
        try:
            await ann.conn.sign_in("ann", "ann-pw")
            await ann.synced_to(server_cursor(first))
        finally:
            await ann.close()
    finally:
        await first.close()
    assert len(ids(kb_path)) == 10

    second = await build_world(str(tmp_path / "two.db"), clock)  # e.g. the demo restarted
    try:
        lead = await second.login("lead")
        fresh = await publish(lead, "Refund rules", "Refunds within five days.")
        assert server_cursor(second) < stored_cursor(kb_path)
        ann = Client(second.url, tmp_path, kb_path)
        try:
            await ann.conn.sign_in("ann", "ann-pw")
            await ann.synced_to(server_cursor(second))
            last = ann.kb.status.last
            assert last is not None and last.reset
            assert ids(kb_path) == [fresh]
            assert search_ids(kb_path, "refund") == {fresh}
        finally:
            await ann.close()
    finally:
        await second.close()
