"""``kb_sync`` on SQLite and PostgreSQL: pages in change-number order across articles,
templates and reply examples, resumed from any cursor without loss or repeats, removals,
the text budget of a page, a reset server, the cost of a page on a large KB (a fixed
number of indexed queries), the change counter under concurrent writers, the demo KB, and
``agent-desk kb publish`` into a running server's database."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from agent_desk.__main__ import main as cli_main
from agent_desk.protocol.kb import (
    KbArticleAction,
    KBChanged,
    KbListArticles,
    KbSaveArticle,
    KbSaveTemplate,
    KbSync,
)
from agent_desk.server import kb_counter, kb_sync
from agent_desk.server.clock import ManualClock
from agent_desk.server.demo_kb import OVERDUE_DAYS, seed_demo_kb
from agent_desk.server.kb_import import (
    ArticleLine,
    PublishReport,
    ReplyLine,
    add_replies,
    publish_articles,
)
from agent_desk.server.kb_views import today
from agent_desk.server.migrate import upgrade
from agent_desk.server.models import Agent, KbArticle, KbReplyExample, KbTemplate
from agent_desk.server.store import normalise_url
from tests.helpers.world import World, build_world, populate
from tests.helpers.wsclient import WsClient


def ok(ack: Any) -> Any:
    assert ack.ok, ack
    return ack.result


async def sync(c: WsClient, since: int = 0) -> dict[str, Any]:
    return ok(await c.request(KbSync(since=since)))


async def pages(c: WsClient, since: int, limit: int) -> list[dict[str, Any]]:
    """Every page from ``since`` until ``more`` is false."""
    out = []
    while True:
        page = ok(await c.request(KbSync(since=since, limit=limit)))
        out.append(page)
        assert page["cursor"] >= since
        since = page["cursor"]
        if not page["more"]:
            return out


def items(page: dict[str, Any]) -> list[tuple[str, str]]:
    return ([("article", a["id"]) for a in page["articles"]]
            + [("template", t["id"]) for t in page["templates"]]
            + [("reply", str(r["id"])) for r in page["replies"]])


def _lines(n: int, prefix: str = "a", body: str = "Body text.") -> list[tuple[str, ArticleLine]]:
    return [(f"x:{i}", ArticleLine(id=f"{prefix}-{i}", title=f"Article {i}", body=body,
                                   language="en" if i % 2 else "zh")) for i in range(n)]


def _replies(n: int) -> list[ReplyLine]:
    return [ReplyLine(customer_text=f"question {i}", reply_text=f"answer number {i}",
                      language="en") for i in range(n)]


async def test_paging_resumes_from_the_cursor_and_yields_everything_once(
        store_url: str, clock: ManualClock) -> None:
    world = await build_world(store_url, clock)
    try:
        lead, ann = await world.login("lead"), await world.login("ann")
        published = []
        for i in range(7):
            art = ok(await lead.cmd(KbSaveArticle, title=f"Topic {i}", body=f"text {i}",
                                    language="en"))
            if i != 3:  # one stays a draft: agents never get it
                ok(await lead.cmd(KbArticleAction, article_id=art["id"], action="publish"))
                published.append(art["id"])
            if i % 2 == 0:
                ok(await lead.cmd(KbSaveTemplate, title=f"Template {i}", body="Hi",
                                  language="en"))
        world.server.store.run_sync(
            lambda s: add_replies(s, _replies(4), PublishReport(), now=clock.now()))

        whole = await pages(ann, 0, 200)
        assert len(whole) == 1 and not whole[0]["more"]
        expected = items(whole[0])
        assert sorted(i for k, i in expected if k == "article") == sorted(published)
        assert len(expected) == 6 + 4 + 4
        for limit in (1, 3, 5):
            got = await pages(ann, 0, limit)
            flat = [x for p in got for x in items(p)]
            assert sorted(flat) == sorted(expected) and len(set(flat)) == len(flat)
            assert all(len(items(p)) <= limit for p in got)
            cursors = [p["cursor"] for p in got]
            assert cursors == sorted(set(cursors)) and cursors[-1] == whole[0]["cursor"]
        # an interrupted sync: resume from the cursor of the second page of three
        first_two = (await pages(ann, 0, 5))[:2]
        rest = await pages(ann, first_two[-1]["cursor"], 5)
        assert sorted([x for p in first_two + rest for x in items(p)]) == sorted(expected)

        # removals reach the sync: an archived article, a retired template
        cursor = whole[0]["cursor"]
        ok(await lead.cmd(KbArticleAction, article_id=published[0], action="archive"))
        tpl = next(t for t in whole[0]["templates"])
        ok(await lead.cmd(KbSaveTemplate, template_id=tpl["id"], title=tpl["title"],
                          body="Hi", language="en", active=False))
        [after] = await pages(ann, cursor, 200)
        assert [(a["id"], a["state"]) for a in after["articles"]] == [
            (published[0], "archived")]
        assert [(t["id"], t["active"]) for t in after["templates"]] == [(tpl["id"], False)]
        assert after["replies"] == []
        # nothing new: the same cursor comes back
        [idle] = await pages(ann, after["cursor"], 200)
        assert items(idle) == [] and idle["cursor"] == after["cursor"]
        # a cursor from a server whose KB was reset: the answer's cursor is below it
        reset = ok(await ann.request(KbSync(since=after["cursor"] + 1000)))
        assert reset["cursor"] == after["cursor"] and not reset["more"] and not items(reset)
        # every page names the database's KB (one epoch, made with the database)
        epochs = {p["epoch"] for p in [*whole, after, idle, reset]}
        assert len(epochs) == 1 and len(epochs.pop()) == 32
    finally:
        await world.close()


async def test_another_database_has_another_epoch(tmp_path: Any, clock: ManualClock) -> None:
    seen = []
    for name in ("one.db", "two.db"):
        world = await build_world(str(tmp_path / name), clock)
        try:
            seen.append((await sync(await world.login("ann")))["epoch"])
        finally:
            await world.close()
    assert all(seen) and seen[0] != seen[1]


async def test_a_page_keeps_to_its_text_budget(world: World) -> None:
    big = "长" * 290_000
    world.server.store.run_sync(lambda s: publish_articles(
        s, _lines(5, "big", big), PublishReport(), now=world.clock.now(), author_id=None))
    ann = await world.login("ann")
    got = await pages(ann, 0, 200)
    sizes = [len(p["articles"]) for p in got]
    assert sum(sizes) == 5 and max(sizes) * 290_000 <= kb_sync.MAX_PAGE_CHARS
    assert all(p["more"] for p in got[:-1]) and len(got) >= 2


@contextmanager
def counting(engine: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.slow
def test_a_page_of_a_large_kb_costs_four_indexed_queries(tmp_path: Any) -> None:
    engine = create_engine(normalise_url(str(tmp_path / "large.db")))
    upgrade(engine)
    now = 1_800_000_000.0
    with Session(engine) as s, s.begin():
        populate(s, now)
        s.flush()
        lead = s.query(Agent).filter_by(username="lead").one()
        publish_articles(s, _lines(5000, body="Refunds take three business days. " * 20),
                         PublishReport(), now=now, author_id=lead.id)
        add_replies(s, _replies(300), PublishReport(), now=now)
    with Session(engine) as s:
        plan = " ".join(str(r) for r in s.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM kb_articles WHERE change_no > 10 "
            "ORDER BY change_no LIMIT 201").all())
        assert "ix_kb_articles_change_no" in plan
        with counting(engine) as statements:
            started = time.perf_counter()
            cursor, seen, pages_ = 0, 0, 0
            while True:
                page = kb_sync.sync(s, cursor, 200)
                seen += len(page.articles) + len(page.replies)
                cursor, pages_ = page.cursor, pages_ + 1
                if not page.more:
                    break
            elapsed = time.perf_counter() - started
        assert seen == 5300 and pages_ == 27
        assert len(statements) == 4 * pages_  # the counter and one query per kind
        assert elapsed / pages_ < 0.25, f"{elapsed / pages_:.3f} s per page"
        admin = s.query(Agent).filter_by(username="admin").one()
        with counting(engine) as statements:
            listed = kb_sync.list_articles(s, admin, KbListArticles(limit=500), now)
        assert listed.total == 5000 and len(listed.articles) == 500
        assert len(statements) == 3
    engine.dispose()


def test_the_counter_serialises_concurrent_writers(store_url: str) -> None:
    engine = create_engine(normalise_url(store_url), pool_size=8)
    upgrade(engine)
    sessions = sessionmaker(engine)
    taken: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                with sessions() as s, s.begin():
                    first = kb_counter.take(s, 3)
                with lock:
                    taken.extend(range(first - 2, first + 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(taken) == list(range(1, 6 * 10 * 3 + 1))  # no number lost or given twice
    with sessions() as s:
        assert kb_counter.current(s) == 180
    engine.dispose()


def test_demo_kb_is_seeded_once_with_overdue_and_in_review_articles(tmp_path: Any) -> None:
    from agent_desk.server.demo import seed_demo

    now = 1_800_000_000.0
    engine = create_engine(normalise_url(str(tmp_path / "demo.db")))
    upgrade(engine)
    with Session(engine) as s, s.begin():
        seed_demo(s, now, password_log_n=4)
    with Session(engine) as s, s.begin():
        articles = s.query(KbArticle).all()
        assert len(articles) >= 40
        assert {a.language for a in articles} >= {"en", "zh"}
        admin = s.query(Agent).filter_by(username="admin").one()
        published = [a for a in articles if a.state == "published"]
        assert all(a.author_id == admin.id for a in published)
        [proposal] = [a for a in articles if a.state == "in_review"]
        assert proposal.author_id == s.query(Agent).filter_by(username="agent").one().id
        overdue = sorted((today(now) - a.review_due).days for a in published
                         if a.review_due is not None and a.review_due < today(now))
        assert overdue == sorted(OVERDUE_DAYS)
        assert s.query(KbTemplate).count() >= 30
        assert s.query(KbTemplate).filter_by(refusal=True).count() >= 1
        assert s.query(KbReplyExample).count() >= 1
        page = kb_sync.sync(s, 0, 500)
        assert len(page.articles) == len(published) and not page.more
        again = seed_demo_kb(s, now + 10)  # idempotent: seeded once
        assert again.published == 0 and s.query(KbArticle).count() == len(articles)
    engine.dispose()


async def test_kb_publish_cli_reaches_a_running_server(world: World, db_path: str,
                                                       tmp_path: Path) -> None:
    bob = await world.login("bob")
    await world.advance(1)  # the server's tick has seen the counter
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join([
        json.dumps({"id": "ship-en", "title": "Shipping", "body": "2-3 days", "tags": ["ship"],
                    "language": "en"}),
        json.dumps({"id": "bad id!", "title": "x", "body": "y", "language": "en"}),
        "{not json",
        json.dumps({"id": "ship-zh", "title": "配送", "body": "两到三天", "language": "zh"}),
    ]) + "\n", "utf-8")
    templates = tmp_path / "templates.jsonl"
    templates.write_text(json.dumps({"id": "tpl-hi", "title": "Hi", "body": "Hi {customer.name}",
                                     "language": "en", "shortcut": "hi"}) + "\n", "utf-8")
    code = await asyncio.to_thread(cli_main, ["kb", "publish", str(articles), "--db", db_path,
                                              "--templates", str(templates)])
    assert code == 1  # two lines skipped, the rest published
    await world.advance(1)
    ev = await bob.wait_event(lambda d: isinstance(d, KBChanged))
    assert isinstance(ev.data, KBChanged)
    page = await sync(bob)
    assert sorted(a["id"] for a in page["articles"]) == ["ship-en", "ship-zh"]
    assert [t["shortcut"] for t in page["templates"]] == ["hi"]
    assert page["cursor"] == ev.data.cursor
    again = await asyncio.to_thread(cli_main, ["kb", "publish", str(articles), "--db", db_path])
    assert again == 1
    assert (await sync(bob, page["cursor"]))["articles"] == []  # unchanged: nothing new
    missing = await asyncio.to_thread(cli_main, ["kb", "publish", str(tmp_path / "nope.jsonl"),
                                                 "--db", db_path])
    assert missing == 2
