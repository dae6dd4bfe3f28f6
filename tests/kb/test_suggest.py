"""Suggested replies: templates, KB answers and the team's replies ranked for a new
customer message (a real SQLite file with the bilingual sample articles, plus templates
and replies made here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desk.kb.importer import import_path
from agent_desk.kb.store import KBStore
from agent_desk.kb.suggest import Suggester, Suggestion, answer_text, reply_title
from agent_desk.kb.suggest_analysis import condense
from agent_desk.kb.template_store import ReplyExample, Template, TemplateStore
from tests.kb.conftest import SAMPLES

TEMPLATES = [
    Template("refund-damaged-en", "Refund for a damaged item",
             "Hi {customer.name}, I'm sorry your order {order.number} arrived damaged. I've "
             "issued a full refund to your original payment method; you'll see it within 3-5 "
             "business days.", "en", ["refund", "damaged"], "#refund"),
    Template("delivery-late-en", "Delivery is late",
             "Hi {customer.name}, I checked order {order.number}: the parcel is with the "
             "courier and should arrive within 2 days. Here is the tracking link.",
             "en", ["delivery", "late"], "#late"),
    Template("refund-decline-en", "Refund not possible after 30 days",
             "I'm sorry, we can't refund order {order.number} because the 30-day return "
             "period has ended. Instead, we can offer a repair under warranty or store credit.",
             "en", ["refund"], "#norefund", refusal=True),
    Template("password-en", "Password reset steps",
             "You can reset your password from the login page: click 'Forgot password' and "
             "follow the e-mail.", "en", ["password", "login"], "#pw"),
    Template("refund-damaged-zh", "商品破损退款",
             "{customer.name}您好，很抱歉订单{order.number}的商品有破损，我们已为您办理全额退款，"
             "3-5个工作日内原路退回。", "zh", ["退款", "破损"], "#refund"),
    Template("delivery-late-zh", "快递延迟安抚",
             "{customer.name}您好，您的快递正在派送途中，预计两天内送达，这是物流单号，请您耐心等待。",
             "zh", ["快递", "物流", "延迟"], "#late"),
    Template("refund-decline-zh", "超过30天无法退款",
             "很抱歉，订单{order.number}已超过30天退货期，无法退款。不过我们可以为您提供保修维修或商城余额。",
             "zh", ["退款", "拒绝"], "#norefund", refusal=True),
]
REPLIES = [
    ReplyExample(1, "My blender came cracked, I want my money back",
                 "So sorry about the cracked blender! I've refunded order {order.number} in "
                 "full; it will show on your card in 5-10 days.", "en"),
    ReplyExample(2, "Where is my parcel? It has been a week",
                 "I checked with the courier: your parcel {order.number} is at the local depot "
                 "and will be delivered tomorrow.", "en"),
    ReplyExample(3, "我的快递怎么还没到",
                 "您好，已帮您催促快递公司，包裹预计明天送达，请留意电话。", "zh"),
    ReplyExample(4, "收到的杯子碎了，要退款",
                 "非常抱歉！已为您办理退款，款项将在3个工作日内退回。", "zh"),
]
REFUND_MESSAGE = "Hi, I want my money back for order 12345, the kettle arrived broken"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suggester]:
    store = KBStore(tmp_path_factory.mktemp("suggest") / "kb.db")
    report = import_path(store, SAMPLES)
    assert report.imported == 60 and not report.errors
    ts = TemplateStore(store)
    with store.transaction():
        for t in TEMPLATES:
            ts.upsert_template(t)
        for r in REPLIES:
            ts.upsert_reply(r)
    yield Suggester(store, ts)
    store.close()


def refs(found: list[Suggestion]) -> list[str]:
    return [s.ref_id for s in found]


def test_refund_message_gets_refund_answers_from_several_sources(kb: Suggester) -> None:
    found = kb.suggest(REFUND_MESSAGE)
    assert 3 <= len(found) <= 5
    top3 = refs(found[:3])
    assert "refund-damaged-en" in top3
    assert {"refund-policy-en", "damaged-goods-en", "1"} & set(top3)
    assert len({s.kind for s in found}) >= 2  # the sources mix
    best = found[0]
    assert best.kind == "template" and best.title == "Refund for a damaged item"
    assert "{customer.name}" in best.text  # variables are filled later, by the UI
    assert "money back" in best.matched and "broken" in best.matched
    assert all(s.language == "en" for s in found)
    assert all(s.score > 0 for s in found)


def test_matched_words_are_few_and_from_the_message(kb: Suggester) -> None:
    for s in kb.suggest(REFUND_MESSAGE):
        assert 1 <= len(s.matched) <= 5
        assert all(m and m in REFUND_MESSAGE.lower() for m in s.matched)


@pytest.mark.parametrize("message", ["快递没到", "我的快递三天了还没到", "快递没到，怎么回事？"])
def test_chinese_delivery_message_gets_delivery_answers(kb: Suggester, message: str) -> None:
    found = kb.suggest(message)
    top3 = refs(found[:3])
    assert {"delivery-late-zh", "3", "delayed-delivery-zh", "tracking-zh",
            "delivery-times-zh"} & set(top3)
    assert "delivery-late-zh" in refs(found)
    assert all(s.language == "zh" for s in found[:3])
    assert any("快递" in m for s in found for m in s.matched)


def test_chinese_refund_with_two_character_word(kb: Suggester) -> None:
    found = kb.suggest("退款")
    assert found and all("退款" in s.matched for s in found)
    assert {"refund-damaged-zh", "refund-policy-zh", "4"} & set(refs(found[:3]))


def test_customer_language_is_preferred(kb: Suggester) -> None:
    # an English word from a Chinese-speaking customer: Chinese answers first
    zh = kb.suggest("refund", lang="zh")
    assert zh and zh[0].language == "zh"
    assert sum(s.language == "zh" for s in zh[:3]) >= 2
    en = kb.suggest("refund", lang="en")
    assert en and all(s.language == "en" for s in en[:3])
    # no language given: guessed from the script
    assert kb.suggest("退款")[0].language == "zh"
    assert kb.suggest("refund")[0].language == "en"


def test_refusal_templates_are_suggested_and_marked(kb: Suggester) -> None:
    found = kb.suggest("Can I still get a refund? I bought it two months ago")
    refusals = [s for s in found if s.refusal]
    assert [s.ref_id for s in refusals] == ["refund-decline-en"]
    assert all(not s.refusal for s in found if s.ref_id != "refund-decline-en")


def test_near_identical_texts_are_returned_once(tmp_path: Path) -> None:
    with KBStore(tmp_path / "kb.db") as store:
        ts = TemplateStore(store)
        body = TEMPLATES[0].body
        ts.upsert_template(TEMPLATES[0])
        ts.upsert_template(Template("refund-copy", "Refund (copy)", body + " Thanks!", "en",
                                    ["refund"]))
        ts.upsert_reply(ReplyExample(9, "my kettle arrived damaged, refund please", body, "en"))
        found = Suggester(store, ts).suggest("My kettle arrived damaged, I want a refund")
        assert len(found) == 1
        assert found[0].ref_id in {"refund-damaged-en", "refund-copy", "9"}


@pytest.mark.parametrize("message", [
    "", "   \n\t ", "😀😀😀", '" * NEAR - ( )', 'refund" OR NEAR(a b) * -delivery (',
    "x" * 10_000, "退款" * 5_000, "order 12345 67890", "ok thanks", "\x00\x01\ufffd",
    "refund 退款 😀 Rückerstattung возврат",
])
def test_bad_input_never_raises(kb: Suggester, message: str) -> None:
    found = kb.suggest(message)
    assert isinstance(found, list) and len(found) <= 5
    assert all(isinstance(s, Suggestion) for s in found)


@pytest.mark.parametrize("message", ["", "   ", "😀😀", '" * ( ) -', "ok thanks", "hi",
                                     "12345", "谢谢", "你好"])
def test_empty_or_meaningless_input_gives_nothing(kb: Suggester, message: str) -> None:
    assert kb.suggest(message) == []


def test_fts_syntax_in_a_real_message(kb: Suggester) -> None:
    found = kb.suggest('"refund" NEAR (broken*) -kettle')
    assert "refund-damaged-en" in refs(found)


def test_long_email_is_condensed(kb: Suggester) -> None:
    filler = "We moved house last spring and the garden needs a lot of work. " * 150
    email = ("Dear team,\n\n" + filler[:9_000] + "\n\nAnyway: the kettle arrived broken and "
             "I want my money back please.\n\nBest regards,\nJane\n\n"
             "On Mon, 3 Jun 2024, Support wrote:\n> Your order has shipped.\n> Tracking 123")
    assert len(email) > 9_000
    short = condense(email)
    assert len(short) < 1_100
    assert "kettle arrived broken" in short and "Support wrote" not in short
    found = kb.suggest(email)
    assert "refund-damaged-en" in refs(found[:3])


def test_limit(kb: Suggester) -> None:
    assert len(kb.suggest(REFUND_MESSAGE, limit=2)) == 2
    assert kb.suggest(REFUND_MESSAGE, limit=0) == []


def test_context_adds_its_words(kb: Suggester) -> None:
    plain = kb.suggest("it is broken")
    with_context = kb.suggest("it is broken", context="Refund request for order 12345")
    assert "refund" not in {m for s in plain for m in s.matched}
    assert "refund" in {m for s in with_context for m in s.matched}
    assert with_context[0].ref_id == "refund-damaged-en"


def test_article_suggestion_is_a_short_plain_answer(kb: Suggester) -> None:
    articles = [s for s in kb.suggest("How do I get a refund?") if s.kind == "article"]
    assert articles
    for s in articles:
        assert 0 < len(s.text) <= 520
        assert "**" not in s.text and not s.text.startswith(("#", "-", "*"))
        assert s.title and s.title in {a.title for a in [kb.store.get(s.ref_id)] if a}


def test_reply_suggestion(kb: Suggester) -> None:
    replies = [s for s in kb.suggest("Where is my parcel?") if s.kind == "reply"]
    assert [s.ref_id for s in replies] == ["2"]
    assert replies[0].text == REPLIES[1].reply_text
    assert replies[0].title == reply_title(REPLIES[1].reply_text)
    assert replies[0].title.endswith("…")


def test_inactive_template_disappears_and_older_version_is_ignored(tmp_path: Path) -> None:
    with KBStore(tmp_path / "kb.db") as store:
        ts = TemplateStore(store)
        s = Suggester(store, ts)
        ts.upsert_template(Template("pw", "Password reset steps", "Use Forgot password.", "en",
                                    ["password"], version=2))
        assert refs(s.suggest("I forgot my password")) == ["pw"]
        ts.upsert_template(Template("pw", "Old title", "Old text about passwords.", "en",
                                    ["password"], version=1))
        assert s.suggest("I forgot my password")[0].title == "Password reset steps"
        ts.upsert_template(Template("pw", "Password reset steps", "Use Forgot password.",
                                    "en", ["password"], version=3, active=False))
        assert s.suggest("I forgot my password") == []
        ts.upsert_template(Template("pw", "Password help", "Use Forgot password.", "en",
                                    ["password"], version=4))
        assert s.suggest("I forgot my password")[0].title == "Password help"


def test_changes_from_another_connection_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with KBStore(path) as reader_store, KBStore(path) as writer_store:
        reader = Suggester(reader_store)
        assert reader.suggest("I forgot my password") == []
        TemplateStore(writer_store).upsert_template(
            Template("pw", "Password reset steps", "Use Forgot password.", "en", ["password"]))
        assert refs(reader.suggest("I forgot my password")) == ["pw"]


def test_empty_store_and_articles_only(tmp_path: Path) -> None:
    with KBStore(tmp_path / "empty.db") as store:
        assert Suggester(store).suggest(REFUND_MESSAGE) == []
    with KBStore(tmp_path / "articles.db") as store:
        import_path(store, SAMPLES)
        found = Suggester(store).suggest(REFUND_MESSAGE)  # creates the template tables
        assert found and {s.kind for s in found} == {"article"}


def test_a_failing_source_never_raises(kb: Suggester, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    def boom(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kb.searcher, "search", boom)
    assert kb.suggest(REFUND_MESSAGE) == []
    assert "suggestions failed" in caplog.text


def test_answer_text() -> None:
    body = ("# Refunds\n\nWe refund to the **original payment method** within 3 days.\n\n"
            "- Card: 5-10 days.\n- [Alipay](https://example.com): 1-3 days.\n\n"
            "Shipping is refunded only for faulty items.\n\n" + "More detail. " * 100)
    out = answer_text(body)
    assert out.startswith("We refund to the original payment method within 3 days.")
    assert "Card: 5-10 days.\nAlipay: 1-3 days." in out
    assert "#" not in out and "**" not in out and "](" not in out
    assert len(out) <= 500
    long_para = "First sentence is here. " + "word " * 300
    cut = answer_text(long_para)
    assert cut == "First sentence is here." or cut.endswith("…")
    assert len(answer_text("x" * 5_000)) <= 501
    assert answer_text("") == "" and answer_text("# Only a heading") == ""


def test_condense_keeps_short_messages_and_drops_quotes() -> None:
    assert condense("  Where is my parcel?  ") == "Where is my parcel?"
    quoted = "Still broken.\n\n> On Monday you said it was fixed\n> Regards"
    assert condense(quoted) == "Still broken."
    assert condense("> only a quote") == ""
