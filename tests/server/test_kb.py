"""The knowledge base on a real server: the article lifecycle (also on PostgreSQL), who may
do what, concurrent edits, review dates, feedback and wrap-up counts, reply examples learnt
from resolved contacts and retired by a low CSAT, bodies at the size limits, templates, and
the ``kb`` event reaching every connection (and replayed)."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from agent_desk.protocol import messages as m
from agent_desk.protocol.codec import encode
from agent_desk.protocol.codes import ErrorCode
from agent_desk.protocol.enums import ArticleState
from agent_desk.protocol.kb import (
    KbArticleAction,
    KBChanged,
    KbFeedback,
    KbGetArticle,
    KbListArticles,
    KbSaveArticle,
    KbSaveTemplate,
    KbSync,
)
from agent_desk.server.clock import ManualClock
from agent_desk.server.models import (
    AuditEntry,
    Customer,
    Interaction,
    KbArticle,
    KbReplyExample,
    Order,
)
from tests.helpers.world import World, build_world
from tests.helpers.wsclient import WsClient, new_key

_pings = itertools.count(1)
DAY = 86400.0


# ---- helpers ------------------------------------------------------------------------------

async def barrier(c: WsClient) -> None:
    pid = f"kb-sync{next(_pings)}"
    await c.send(m.Ping(id=pid))
    await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == pid)


def refused(ack: m.Ack, code: ErrorCode, *words: str) -> None:
    assert not ack.ok and ack.error is not None, ack
    assert ack.error.code == code, ack.error
    for w in words:
        assert w in ack.error.message, ack.error.message


def ok(ack: m.Ack) -> Any:
    assert ack.ok, ack
    return ack.result


async def draft(c: WsClient, title: str = "Refund for a damaged parcel", body: str = "v1",
                **kw: Any) -> dict[str, Any]:
    return ok(await c.cmd(KbSaveArticle, title=title, body=body,
                          language=kw.pop("language", "en"), **kw))


async def act(c: WsClient, article_id: str, action: str, **kw: Any) -> m.Ack:
    return await c.cmd(KbArticleAction, article_id=article_id, action=action, **kw)


async def publish(editor: WsClient, title: str, body: str = "How it works.",
                  review_due: date | None = None, **kw: Any) -> dict[str, Any]:
    art = await draft(editor, title, body, **kw)
    return ok(await act(editor, art["id"], "publish", review_due=review_due))


async def sync(c: WsClient, since: int = 0, limit: int = 200) -> dict[str, Any]:
    return ok(await c.request(KbSync(since=since, limit=limit)))


async def get(c: WsClient, article_id: str) -> m.Ack:
    return await c.request(KbGetArticle(article_id=article_id))


def kb_events(c: WsClient) -> list[KBChanged]:
    return [e.data for e in c.events if isinstance(e.data, KBChanged)]


def today(world: World) -> date:
    from agent_desk.server.kb_views import today as day

    return day(world.clock.now())


# ---- lifecycle ------------------------------------------------------------------------------

async def test_article_lifecycle_from_draft_to_archive(store_url: str,
                                                       clock: ManualClock) -> None:
    world = await build_world(store_url, clock)
    try:
        ann, lead, bob = [await world.login(u) for u in ("ann", "lead", "bob")]
        art = await draft(ann, tags=["refund", " Refund ", "damaged"])
        aid = art["id"]
        assert re.fullmatch(r"refund-for-a-damaged-parcel-\d+", aid)
        assert (art["state"], art["version"], art["published_version"]) == ("draft", 1, None)
        assert art["author_name"] == "Ann" and art["tags"] == ["refund", "damaged"]

        assert ok(await act(ann, aid, "submit"))["state"] == "in_review"
        refused(await act(lead, aid, "reject"), ErrorCode.INVALID, "note")
        rejected = ok(await act(lead, aid, "reject", note="Say how long the refund takes."))
        assert (rejected["state"], rejected["reviewer_name"]) == ("draft", "Lead")
        assert rejected["review_note"] == "Say how long the refund takes."

        v2 = await draft(ann, body="v2: 3 business days.", article_id=aid, base_version=1,
                         submit=True)
        assert (v2["state"], v2["version"]) == ("in_review", 2)
        published = ok(await act(lead, aid, "publish"))
        assert (published["state"], published["published_version"]) == ("published", 2)
        assert published["review_due"] == (today(world) + timedelta(180)).isoformat()

        first = await sync(bob)
        [seen] = first["articles"]
        assert (seen["id"], seen["state"], seen["version"]) == (aid, "published", 2)
        assert seen["body"] == "v2: 3 business days."

        # a new draft: agents keep seeing version 2 until it is published
        v3 = await draft(lead, title="Refunds for damaged parcels", body="v3", article_id=aid,
                         base_version=2)
        assert (v3["state"], v3["version"], v3["published_version"]) == ("draft", 3, 2)
        assert (await sync(bob, first["cursor"]))["articles"] == []
        as_agent = ok(await get(bob, aid))
        assert as_agent["article"]["body"] == "v2: 3 business days."
        assert as_agent["versions"] == []
        as_editor = ok(await get(lead, aid))
        assert as_editor["article"]["body"] == "v3"
        assert [v["version"] for v in as_editor["versions"]] == [3, 2, 1]
        assert [v["editor_name"] for v in as_editor["versions"]] == ["Lead", "Ann", "Ann"]
        assert as_editor["versions"][2]["body"] == "v1"

        ok(await act(lead, aid, "publish"))
        after_v3 = await sync(bob, first["cursor"])
        assert [(a["version"], a["title"]) for a in after_v3["articles"]] == [
            (3, "Refunds for damaged parcels")]

        archived = ok(await act(lead, aid, "archive"))
        assert (archived["state"], archived["published_version"]) == ("archived", None)
        gone = await sync(bob, after_v3["cursor"])
        assert [(a["id"], a["state"], a["body"]) for a in gone["articles"]] == [
            (aid, "archived", "")]
        refused(await act(lead, aid, "publish"), ErrorCode.INVALID_STATE, "archived")
        refused(await act(lead, aid, "archive"), ErrorCode.INVALID_STATE, "archived")
        refused(await get(bob, aid), ErrorCode.NOT_FOUND)  # no longer published
    finally:
        await world.close()


async def test_who_may_do_what(world: World) -> None:
    ann, bob, lead, admin = [await world.login(u) for u in ("ann", "bob", "lead", "admin")]
    art = await draft(ann)
    aid = art["id"]
    refused(await bob.cmd(KbSaveArticle, article_id=aid, title="x", body="y", language="en"),
            ErrorCode.FORBIDDEN, "not yours")
    refused(await act(bob, aid, "submit"), ErrorCode.FORBIDDEN, "not yours")
    for action in ("publish", "reject", "archive", "reviewed"):
        refused(await act(ann, aid, action), ErrorCode.FORBIDDEN, "KB editors")
    refused(await ann.cmd(KbSaveArticle, title="t", body="b", language="en",
                          review_due=today(world) + timedelta(5)),
            ErrorCode.FORBIDDEN, "review dates")
    ok(await act(ann, aid, "submit"))
    refused(await ann.cmd(KbSaveArticle, article_id=aid, title="t", body="b", language="en"),
            ErrorCode.FORBIDDEN, "in review", "KB editors")
    refused(await act(ann, aid, "submit"), ErrorCode.INVALID_STATE, "in review")
    refused(await act(lead, aid, "reviewed"), ErrorCode.INVALID_STATE, "in review")
    refused(await act(lead, "no-such-article", "publish"), ErrorCode.NOT_FOUND)
    ok(await act(admin, aid, "publish"))  # admins are editors too
    refused(await ann.cmd(KbSaveTemplate, title="Hi", body="Hello", language="en"),
            ErrorCode.FORBIDDEN, "KB editors")
    # a published article: its author edits it no more, an editor does
    refused(await ann.cmd(KbSaveArticle, article_id=aid, title="t", body="b", language="en"),
            ErrorCode.FORBIDDEN, "published")
    ok(await lead.cmd(KbSaveArticle, article_id=aid, title="t", body="b", language="en"))
    # the refusals were audited like any other
    audited = world.server.store.run_sync(
        lambda s: s.query(AuditEntry).filter_by(result="forbidden").count())
    assert audited >= 8


async def test_base_version_conflict_saves_nothing(world: World) -> None:
    ann, lead = await world.login("ann"), await world.login("lead")
    aid = (await draft(ann))["id"]
    await draft(lead, body="the lead's version", article_id=aid, base_version=1)
    late = await ann.cmd(KbSaveArticle, article_id=aid, base_version=1, title="mine",
                         body="ann's", language="en")
    refused(late, ErrorCode.INVALID_STATE, "saved meanwhile by Lead as version 2")
    detail = ok(await get(ann, aid))
    assert detail["article"]["version"] == 2 and detail["article"]["body"] == "the lead's version"
    assert len(detail["versions"]) == 2


async def test_proposing_an_article_from_an_interaction(world: World) -> None:
    ann, bob = await world.login("ann", available=True), await world.login("bob")
    iid = await world.contact("chat", body="My parcel arrived crushed")
    await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                         and d.interaction.id == iid and d.interaction.state == "offered")
    ok(await ann.cmd(m.Accept, interaction_id=iid))
    refused(await ann.cmd(KbSaveArticle, title="Crushed parcels", body="b", language="en",
                          source_interaction_id=iid), ErrorCode.INVALID_STATE, "resolved")
    ok(await ann.cmd(m.Close, interaction_id=iid))
    refused(await bob.cmd(KbSaveArticle, title="Crushed parcels", body="b", language="en",
                          source_interaction_id=iid), ErrorCode.FORBIDDEN, "did not handle")
    art = await draft(ann, "Crushed parcels", source_interaction_id=iid, submit=True)
    assert art["source_interaction_id"] == iid and art["state"] == "in_review"
    refused(await ann.cmd(KbSaveArticle, title="x", body="b", language="en",
                          source_interaction_id=99999), ErrorCode.NOT_FOUND)
    zh = await draft(ann, "退款多久到账", language="zh")
    assert re.fullmatch(r"kb-\d+", zh["id"])  # no ASCII words: a numbered id


# ---- review dates ---------------------------------------------------------------------------

async def test_review_due_listing_and_reviewed(world: World) -> None:
    lead, ann = await world.login("lead"), await world.login("ann")
    soon = await publish(lead, "Delivery times", review_due=today(world) + timedelta(1))
    invoices = await publish(lead, "Invoices")
    mine = await draft(ann, "My idea")
    world.clock.advance(2 * DAY)  # no tick: the connections' tokens stay good
    late = ok(await lead.request(KbListArticles(review_due=True)))
    assert [a["id"] for a in late["articles"]] == [soon["id"]]
    assert late["total"] == 1 and late["review_overdue"] == 1
    assert all(a["body"] == "" for a in late["articles"])  # lists leave bodies out
    everything = ok(await lead.request(KbListArticles()))
    assert everything["total"] == 3 and everything["review_overdue"] == 1
    hidden = await draft(lead, "An editor's draft")
    agent_view = ok(await ann.request(KbListArticles()))
    assert {a["id"] for a in agent_view["articles"]} == {soon["id"], invoices["id"],
                                                           mine["id"]}
    assert hidden["id"] in {a["id"] for a in ok(await lead.request(
        KbListArticles(state=ArticleState.DRAFT)))["articles"]}
    assert ok(await ann.request(KbListArticles(mine=True)))["total"] == 1
    assert ok(await lead.request(KbListArticles(text="DELIV")))["total"] == 1
    refused(await act(lead, soon["id"], "reviewed",
                      review_due=today(world) - timedelta(1)), ErrorCode.INVALID, "after today")
    checked = ok(await act(lead, soon["id"], "reviewed", note="still right"))
    assert checked["review_due"] == (today(world) + timedelta(180)).isoformat()
    assert checked["state"] == "published" and checked["review_note"] == "still right"
    after = ok(await lead.request(KbListArticles(review_due=True)))
    assert after["articles"] == [] and after["review_overdue"] == 0


# ---- counts -------------------------------------------------------------------------------

async def test_feedback_counts_and_coarse_change_numbers(world: World) -> None:
    lead, ann = await world.login("lead"), await world.login("ann")
    art = await publish(lead, "Coupons")
    cursor = (await sync(ann))["cursor"]
    changed_at = []
    for n in range(1, 6):
        counts = ok(await ann.cmd(KbFeedback, article_id=art["id"], kind="used"))
        assert counts == {"usage_count": n, "helped_count": 0}
        page = await sync(ann, cursor)
        if page["articles"]:
            changed_at.append(page["articles"][0]["usage_count"])
        cursor = page["cursor"]
    assert changed_at == [1, 2, 4]  # the sync sees the counts at steps only
    assert ok(await ann.cmd(KbFeedback, article_id=art["id"], kind="helped")) == {
        "usage_count": 5, "helped_count": 1}
    unpublished = await draft(ann)
    refused(await ann.cmd(KbFeedback, article_id=unpublished["id"], kind="used"),
            ErrorCode.INVALID_STATE, "draft")
    refused(await ann.cmd(KbFeedback, article_id=art["id"], kind="used", interaction_id=424242),
            ErrorCode.NOT_FOUND)


async def _chat_to_wrap_up(world: World, ann: WsClient, body: str) -> int:
    iid = await world.contact("chat", body=body)
    await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                         and d.interaction.id == iid and d.interaction.state == "offered")
    ok(await ann.cmd(m.Accept, interaction_id=iid))
    return iid


async def test_wrap_up_links_count_as_used_and_helped(world: World) -> None:
    lead, ann = await world.login("lead"), await world.login("ann", available=True)
    a1, a2 = await publish(lead, "Returns"), await publish(lead, "Exchanges")
    iid = await _chat_to_wrap_up(world, ann, "Can I return this?")
    ok(await ann.cmd(m.Close, interaction_id=iid))
    ok(await ann.cmd(m.WrapUp, interaction_id=iid, disposition="resolved",
                     kb_article_ids=[a1["id"], "no-such-article", a1["id"], a2["id"]]))
    counts = world.server.store.run_sync(lambda s: {
        a.id: (a.usage_count, a.helped_count) for a in s.query(KbArticle)})
    assert counts == {a1["id"]: (1, 1), a2["id"]: (1, 1)}
    stored = world.server.store.run_sync(lambda s: s.get(Interaction, iid).kb_article_ids)  # type: ignore[union-attr]
    assert stored == [a1["id"], "no-such-article", a2["id"]]


# ---- reply examples -----------------------------------------------------------------------

def _give_carol_an_order(world: World) -> None:
    def add(s: Any) -> None:
        carol = s.query(Customer).filter_by(name="Carol Smith").one()
        s.add(Order(customer_id=carol.id, number="ORD-77001", placed_at=world.clock.now(),
                    status="shipped", total="19.90", currency="USD", items="1 × Mug"))
    world.server.store.run_sync(add)


async def test_resolved_wrap_up_keeps_anonymised_reply_examples_until_a_low_csat(
        world: World) -> None:
    _give_carol_an_order(world)
    ann, bob = await world.login("ann", available=True), await world.login("bob")
    iid = await _chat_to_wrap_up(world, ann, "Hi, where is my order ORD-77001?")
    await world.server.customer_message(iid, "It is late.")  # both are answered at once
    ok(await ann.cmd(m.SendMessage, interaction_id=iid,
                     body="Hi Carol, I'm Ann. Order ORD-77001 left our warehouse today; "
                          "you'll get tracking at carol@example.com within the hour."))
    await world.server.customer_message(iid, "Thanks")
    ok(await ann.cmd(m.SendMessage, interaction_id=iid, body="ok"))  # too short: skipped
    await world.server.customer_message(iid, "And can I change the delivery address?")
    ok(await ann.cmd(m.SendMessage, interaction_id=iid,
                     body="Yes, Carol: call us on +1 555 010 9999 before it ships."))
    ok(await ann.cmd(m.Close, interaction_id=iid))
    await barrier(bob)
    seen = len(kb_events(bob))
    ok(await ann.cmd(m.WrapUp, interaction_id=iid, disposition="resolved",
                     resolved_first_contact=True))
    await barrier(bob)
    assert len(kb_events(bob)) == seen + 1  # one event for the transaction

    page = await sync(bob)
    replies = page["replies"]
    assert [r["channel"] for r in replies] == ["chat", "chat"]
    first, second = replies
    assert first["customer_text"] == "Hi, where is my order {order.number}?\nIt is late."
    assert first["reply_text"] == ("Hi {customer.first_name}, I'm {agent.name}. Order "
                                   "{order.number} left our warehouse today; you'll get "
                                   "tracking at [email] within the hour.")
    assert second["customer_text"] == "And can I change the delivery address?"
    assert second["reply_text"] == ("Yes, {customer.first_name}: call us on [phone] before "
                                    "it ships.")
    assert all(r["language"] == "en" and r["active"] for r in replies)

    await world.server.survey_answer(iid, 1, comment="still waiting")
    retired = await sync(bob, page["cursor"])
    assert {(r["id"], r["active"]) for r in retired["replies"]} == {
        (first["id"], False), (second["id"], False)}
    assert kb_events(bob)[-1].cursor == retired["cursor"]


async def test_no_examples_without_first_contact_resolution_or_on_calls(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await _chat_to_wrap_up(world, ann, "Where is my parcel, please?")
    ok(await ann.cmd(m.SendMessage, interaction_id=iid, body="It arrives tomorrow morning."))
    ok(await ann.cmd(m.Close, interaction_id=iid))
    ok(await ann.cmd(m.WrapUp, interaction_id=iid, disposition="resolved"))
    call = await world.contact("phone")
    await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                         and d.interaction.id == call and d.interaction.state == "offered")
    ok(await ann.cmd(m.Accept, interaction_id=call))
    ok(await ann.cmd(m.HangUp, interaction_id=call))
    ok(await ann.cmd(m.WrapUp, interaction_id=call, disposition="resolved",
                     resolved_first_contact=True))
    assert world.server.store.run_sync(lambda s: s.query(KbReplyExample).count()) == 0


# ---- size limits ----------------------------------------------------------------------------

async def test_a_290k_character_chinese_body_round_trips(world: World) -> None:
    lead, ann = await world.login("lead"), await world.login("ann")
    body = ("退款将在三个工作日内原路退回。" * 20_000)[:290_000]
    art = await publish(lead, "长文：退款说明", body, language="zh")
    detail = ok(await get(lead, art["id"]))
    assert detail["article"]["body"] == body and detail["versions"][0]["body"] == body
    [synced] = (await sync(ann))["articles"]
    assert synced["body"] == body


def _error_for(frame_id: str) -> Callable[[m.ServerFrame], bool]:
    return lambda f: isinstance(f, m.Error) and f.re == frame_id


async def test_oversized_bodies_are_refused_by_the_protocol(world: World) -> None:
    lead = await world.login("lead")
    for fid, body, code in (("huge", "x" * (1024 * 1024), ErrorCode.TOO_LARGE),
                            ("long", "x" * 300_001, ErrorCode.INVALID)):
        frame = KbSaveArticle(id=fid, key=new_key(), title="t", body="", language="en")
        raw = json.loads(encode(frame))
        raw["body"] = body
        await lead.send(json.dumps(raw))
        err = await lead.wait_for(_error_for(fid))
        assert isinstance(err, m.Error) and err.code == code and not err.fatal
    assert world.server.store.run_sync(lambda s: s.query(KbArticle).count()) == 0
    ok(await lead.cmd(KbSaveArticle, title="still fine", body="b", language="en"))


# ---- the kb event -----------------------------------------------------------------------------

async def test_kb_event_reaches_every_connection_and_is_replayed(world: World) -> None:
    lead = await world.login("lead")
    others = {u: await world.login(u) for u in ("bob", "li", "trainer")}
    art = await publish(lead, "Warranty")
    for c in others.values():
        ev = await c.wait_event(lambda d: isinstance(d, KBChanged))
        assert isinstance(ev.data, KBChanged)
    cursor = kb_events(others["bob"])[-1].cursor
    assert cursor == (await sync(others["bob"]))["cursor"]

    trainer = others["trainer"]
    last = trainer.last_seq
    await trainer.close()
    ok(await act(lead, art["id"], "archive"))
    back = await world.login("trainer", resume_from=last)
    assert back.first(m.Welcome).resume == "replay"
    replayed = await back.wait_event(lambda d: isinstance(d, KBChanged) and d.cursor > cursor)
    assert back.frames.index(replayed) < back.frames.index(back.first(m.ReplayDone))


# ---- templates --------------------------------------------------------------------------------

async def test_templates_are_versioned_and_shortcuts_unique_per_language(world: World) -> None:
    lead, ann = await world.login("lead"), await world.login("ann")
    t = ok(await lead.cmd(KbSaveTemplate, title="Refund on its way", body="Hi {customer.name}",
                          language="en", shortcut="refund", tags=["refund"]))
    assert re.fullmatch(r"refund-on-its-way-\d+", t["id"]) and t["version"] == 1
    refused(await lead.cmd(KbSaveTemplate, title="Other", body="b", language="en",
                           shortcut="REFUND"), ErrorCode.INVALID, "#REFUND", t["id"])
    ok(await lead.cmd(KbSaveTemplate, title="退款", body="您好", language="zh", shortcut="refund"))
    changed = ok(await lead.cmd(KbSaveTemplate, template_id=t["id"], title="Refund sent",
                                body="Hi {customer.first_name}", language="en",
                                shortcut="refund", refusal=False))
    assert changed["version"] == 2
    retired = ok(await lead.cmd(KbSaveTemplate, template_id=t["id"], title="Refund sent",
                                body="Hi", language="en", active=False))
    assert retired["active"] is False
    refused(await lead.cmd(KbSaveTemplate, template_id="no-such", title="x", body="y",
                           language="en"), ErrorCode.NOT_FOUND)
    page = await sync(ann)
    assert [(x["id"], x["active"], x["version"]) for x in page["templates"]
            if x["id"] == t["id"]] == [(t["id"], False, 3)]
