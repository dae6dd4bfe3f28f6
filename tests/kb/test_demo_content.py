"""The demo knowledge base in ``resources/kb``: bilingual articles (``demo_articles.jsonl``),
reply templates (``demo_templates.jsonl``) and the team's successful past replies
(``demo_replies.jsonl``), written for the demo traffic (a home-appliance and electronics
shop: orders ``ORD-…``, deliveries, returns, warranty, repairs).

Checked here: every file is UTF-8 JSON Lines; the articles import with no error or warning;
every topic exists in English and Chinese; templates and replies only use variables the
composer can fill; the refusal templates follow "decline → reason → alternative" (the tone
checker gives them no hint, and they say no before they explain why); no template or reply
makes a promise the policy does not allow; and what customers type — two-character Chinese
words, whole Chinese sentences, English typos, inflections and synonyms — finds the right
article in the top 3."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_desk.kb.importer import ImportReport, import_path
from agent_desk.kb.search import Searcher
from agent_desk.kb.store import KBStore
from agent_desk.kb.templates import KNOWN_VARIABLES
from agent_desk.kb.tone import (
    DECLINE_NO_ALTERNATIVE,
    DECLINE_NO_REASON,
    FORBIDDEN_PROMISE,
    check_reply,
)

KB_DIR = Path(__file__).resolve().parents[2] / "resources" / "kb"
ARTICLES = KB_DIR / "demo_articles.jsonl"
TEMPLATES = KB_DIR / "demo_templates.jsonl"
REPLIES = KB_DIR / "demo_replies.jsonl"

LANGUAGES = ("en", "zh")
MIN_TOPICS = 45
MIN_TEMPLATES = 32
MIN_REFUSALS = 8
VARIABLE_RE = re.compile(r"\{([a-z_]+\.[a-z_]+|today)\}")
BRACES_RE = re.compile(r"\{([^{}]*)\}")
ARTICLE_ID_RE = re.compile(r"^kb-([a-z0-9]+(?:-[a-z0-9]+)*)-(en|zh)$")
TEMPLATE_ID_RE = re.compile(r"^tpl-([a-z0-9]+(?:-[a-z0-9]+)*)-(en|zh)$")
SHORTCUT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
#: the words Chinese customers type; each must appear in some Chinese article
ZH_CUSTOMER_WORDS = ("退款", "发票", "保修", "物流", "快递", "退货", "换货", "安装", "维修",
                     "优惠券", "会员", "密码", "积分", "取消", "地址", "投诉", "礼品卡", "分期")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    records = []
    for number, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        line = raw.decode("utf-8")  # raises on anything that is not UTF-8
        data = json.loads(line)
        assert isinstance(data, dict), f"{path.name}:{number} is not a JSON object"
        records.append(data)
    return records


def stem_of(article_id: str) -> str:
    m = ARTICLE_ID_RE.match(article_id)
    assert m, article_id
    return m.group(1)


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return read_jsonl(ARTICLES)


@pytest.fixture(scope="module")
def templates() -> list[dict[str, Any]]:
    return read_jsonl(TEMPLATES)


@pytest.fixture(scope="module")
def replies() -> list[dict[str, Any]]:
    return read_jsonl(REPLIES)


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Searcher, ImportReport]]:
    store = KBStore(tmp_path_factory.mktemp("demo-kb") / "kb.db")
    report = import_path(store, ARTICLES)
    yield Searcher(store), report
    store.close()


# --- articles -------------------------------------------------------------------------------


def test_files_are_json_lines() -> None:
    for path in (ARTICLES, TEMPLATES, REPLIES):
        text = path.read_text("utf-8")
        assert text.endswith("\n") and "\n\n" not in text, path.name
        assert not text.startswith("\ufeff"), path.name
        assert len(read_jsonl(path)) == text.count("\n"), path.name


def test_articles_import_cleanly(demo_kb: tuple[Searcher, ImportReport],
                                 articles: list[dict[str, Any]]) -> None:
    searcher, report = demo_kb
    assert report.errors == []
    assert report.warnings == []
    assert report.imported == len(articles) == searcher.store.count()


def test_every_topic_in_english_and_chinese(articles: list[dict[str, Any]]) -> None:
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), "duplicate article ids"
    by_stem: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        m = ARTICLE_ID_RE.match(a["id"])
        assert m, f"id {a['id']!r} is not kb-<topic>-en|zh"
        assert a["language"] == m.group(2), a["id"]
        by_stem[m.group(1)].add(m.group(2))
    assert len(by_stem) >= MIN_TOPICS
    missing = {stem: langs for stem, langs in by_stem.items() if langs != set(LANGUAGES)}
    assert not missing, f"topics without both languages: {missing}"


def test_article_fields_and_shape(articles: list[dict[str, Any]]) -> None:
    for a in articles:
        assert set(a) == {"id", "title", "body", "tags", "language", "product"}, a["id"]
        assert a["title"].strip() and a["product"].strip(), a["id"]
        assert a["tags"] and all(isinstance(t, str) and t.strip() for t in a["tags"]), a["id"]
        first, _, rest = a["body"].partition("\n\n")
        # the suggestion panel uses the first paragraph: a direct answer in plain prose
        assert rest, f"{a['id']}: a direct answer, then details"
        assert not first.startswith(("#", "-", "*", "|", "1.")), a["id"]
        if a["language"] == "en":
            words = len(re.findall(r"[A-Za-z0-9'’]+", a["body"]))
            assert 80 <= words <= 300, f"{a['id']}: {words} words"
            assert not CJK_RE.search(a["body"]), a["id"]
        else:
            chars = len(CJK_RE.findall(a["body"]))
            assert chars >= 150, f"{a['id']}: {chars} Chinese characters"
            assert CJK_RE.search(a["title"]), a["id"]


def test_article_answers_need_no_tone_hint(articles: list[dict[str, Any]]) -> None:
    """The first paragraph is what a suggestion inserts: when it says no, it says why and
    what can be done, and it promises nothing the policy does not allow."""
    for a in articles:
        first = a["body"].split("\n\n", 1)[0]
        assert check_reply(first, a["language"]) == [], a["id"]
        promises = [h.phrase for h in check_reply(a["body"], a["language"])
                    if h.kind == FORBIDDEN_PROMISE]
        assert not promises, (a["id"], promises)


def test_chinese_articles_use_customers_words(articles: list[dict[str, Any]]) -> None:
    zh = [a["title"] + a["body"] + " ".join(a["tags"]) for a in articles
          if a["language"] == "zh"]
    for word in ZH_CUSTOMER_WORDS:
        assert any(word in text for text in zh), word


# --- search ---------------------------------------------------------------------------------

ZH_WORD_QUERIES = [
    ("退款", {"refund-policy", "refund-status"}),
    ("发票", {"invoice-request", "invoice-correction"}),
    ("保修", {"warranty-coverage", "warranty-claim"}),
    ("物流", {"tracking", "delayed-delivery", "delivery-times", "lost-parcel"}),
    ("快递", {"tracking", "delivery-times", "delayed-delivery", "shipping-costs"}),
    ("退货", {"return-policy", "return-how"}),
    ("换货", {"exchange"}),
    ("安装", {"installation"}),
    ("维修", {"repair-visit", "out-of-warranty-repair", "warranty-claim"}),
    ("优惠券", {"coupons", "coupon-not-working"}),
    ("会员", {"membership-tiers", "membership-subscription"}),
    ("密码", {"password-reset"}),
]

ZH_SENTENCE_QUERIES = [  # as the simulated customers write them
    ("你好，我两周前退了货，到现在还没收到退款。", {"refund-status"}),
    ("你好，我的订单迟迟没到，物流好几天没更新了。", {"delayed-delivery"}),
    ("你好，我的账户登录不了，收不到重置密码的邮件。", {"password-reset", "account-locked"}),
    ("你好，支付显示失败，但钱被扣了。", {"payment-failed"}),
    ("你好，结账时我的优惠券用不了。", {"coupon-not-working"}),
    ("你好，我新买的空气净化器连不上 Wi-Fi。", {"smart-device-setup"}),
    ("别家更便宜能退差价吗", {"price-match"}),
    ("能寄到香港吗", {"international-shipping"}),
]

EN_QUERIES = [
    ("money back", {"refund-policy", "refund-status"}),                  # synonym
    ("I did not recieve my parcel", {"lost-parcel", "delayed-delivery"}),  # typo
    ("warrenty", {"warranty-coverage", "warranty-claim"}),                 # typo
    ("refunded", {"refund-policy", "refund-status"}),                      # stem
    ("installments", {"instalments"}),                                     # spelling
    ("where is my package", {"tracking", "delayed-delivery"}),             # synonym
    ("vat invoice", {"invoice-request", "invoice-correction"}),
    ("technician visit", {"repair-visit"}),
    ("promo code", {"coupons", "coupon-not-working"}),
    ("forgot password", {"password-reset"}),
    ("two-factor", {"two-factor"}),
    ("do you ship to Canada", {"international-shipping"}),
    ("recycle my old fridge", {"recycling"}),
    ("user manual", {"manuals"}),
    ("price match", {"price-match"}),
    ("cancel my order", {"cancel-order"}),
    ("broken on arrival", {"damaged-goods"}),
    ("charged twice", {"double-charge"}),
    ("Hi, I returned an item two weeks ago and I'm still waiting for my refund.",
     {"refund-status"}),
    ("Hi, my payment failed but I was still charged.", {"payment-failed"}),
]


def _top3_stems(searcher: Searcher, query: str) -> list[str]:
    return [stem_of(h.id) for h in searcher.search(query, limit=3)]


@pytest.mark.parametrize(("query", "expected"), ZH_WORD_QUERIES + ZH_SENTENCE_QUERIES)
def test_chinese_queries_find_their_article(demo_kb: tuple[Searcher, ImportReport],
                                            query: str, expected: set[str]) -> None:
    got = _top3_stems(demo_kb[0], query)
    assert expected & set(got), f"{query!r}: expected one of {expected}, got {got}"
    hits = demo_kb[0].search(query, limit=1)
    assert hits[0].language == "zh"


@pytest.mark.parametrize(("query", "expected"), EN_QUERIES)
def test_english_queries_find_their_article(demo_kb: tuple[Searcher, ImportReport],
                                            query: str, expected: set[str]) -> None:
    got = _top3_stems(demo_kb[0], query)
    assert expected & set(got), f"{query!r}: expected one of {expected}, got {got}"


# --- templates ------------------------------------------------------------------------------


def _variables_ok(text: str, where: str) -> None:
    for name in BRACES_RE.findall(text):
        assert VARIABLE_RE.fullmatch("{" + name + "}"), f"{where}: {{{name}}} is no variable"
        assert name in KNOWN_VARIABLES, f"{where}: unknown variable {{{name}}}"


def test_template_fields(templates: list[dict[str, Any]]) -> None:
    assert len(templates) >= MIN_TEMPLATES
    ids = [t["id"] for t in templates]
    assert len(ids) == len(set(ids)), "duplicate template ids"
    keys: dict[str, set[str]] = defaultdict(set)
    for t in templates:
        assert set(t) == {"id", "title", "body", "language", "tags", "shortcut", "refusal"}
        m = TEMPLATE_ID_RE.match(t["id"])
        assert m and m.group(2) == t["language"], t["id"]
        keys[m.group(1)].add(t["language"])
        assert t["title"].strip() and t["body"].strip(), t["id"]
        assert t["tags"] and all(isinstance(x, str) and x for x in t["tags"]), t["id"]
        assert isinstance(t["refusal"], bool), t["id"]
        assert isinstance(t["shortcut"], str) and SHORTCUT_RE.match(t["shortcut"]), t["id"]
        if t["language"] == "zh":
            assert CJK_RE.search(t["body"]), t["id"]
    assert all(langs == set(LANGUAGES) for langs in keys.values()), keys


def test_template_variables_are_known(templates: list[dict[str, Any]]) -> None:
    used: set[str] = set()
    for t in templates:
        _variables_ok(t["body"], t["id"])
        used.update(VARIABLE_RE.findall(t["body"]))
    # the common ones are used somewhere
    assert {"customer.first_name", "customer.name", "order.number", "agent.first_name",
            "agent.name", "customer.tier"} <= used


def test_shortcuts_unique_per_language(templates: list[dict[str, Any]]) -> None:
    for lang in LANGUAGES:
        shortcuts = [t["shortcut"] for t in templates if t["language"] == lang]
        assert len(shortcuts) == len(set(shortcuts)), lang
    # the client prefers the customer's language, so both languages share each shortcut
    en = {t["shortcut"] for t in templates if t["language"] == "en"}
    zh = {t["shortcut"] for t in templates if t["language"] == "zh"}
    assert en == zh
    assert {"refund", "tracking", "warranty", "invoice", "return"} <= en


def test_refusal_templates_count(templates: list[dict[str, Any]]) -> None:
    refusals = [t for t in templates if t["refusal"]]
    assert len(refusals) >= MIN_REFUSALS
    topics: dict[str, set[str]] = defaultdict(set)
    for t in refusals:
        topics[t["id"].rsplit("-", 1)[0]].add(t["language"])
    assert len(topics) >= MIN_REFUSALS // 2
    assert all(langs == set(LANGUAGES) for langs in topics.values())


def test_refusal_templates_decline_reason_alternative(templates: list[dict[str, Any]]) -> None:
    for t in (t for t in templates if t["refusal"]):
        kinds = {h.kind for h in check_reply(t["body"], t["language"])}
        assert not kinds & {DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE}, (t["id"], kinds)
        # the "no" comes early, before the reason
        marker = "因为" if t["language"] == "zh" else "because"
        assert marker in t["body"], t["id"]
        before = t["body"].split(marker, 1)[0]
        # (a decline hint on the text before the reason = the checker sees a "no" there)
        early = {h.kind for h in check_reply(before, t["language"])}
        assert early & {DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE}, \
            f"{t['id']}: no clear 'no' before the reason"


def test_no_forbidden_promises(templates: list[dict[str, Any]],
                               replies: list[dict[str, Any]]) -> None:
    texts = [(t["id"], t["body"], t["language"]) for t in templates]
    texts += [(f"reply {r['id']}", r["reply_text"], r["language"]) for r in replies]
    for where, text, lang in texts:
        promises = [h.phrase for h in check_reply(text, lang) if h.kind == FORBIDDEN_PROMISE]
        assert not promises, f"{where}: {promises}"
        # and none in the other language's list either
        promises = [h.phrase for h in check_reply(text) if h.kind == FORBIDDEN_PROMISE]
        assert not promises, f"{where}: {promises}"


def test_non_refusal_templates_get_no_decline_hints(templates: list[dict[str, Any]]) -> None:
    for t in (t for t in templates if not t["refusal"]):
        assert check_reply(t["body"], t["language"]) == [], t["id"]


# --- past replies ---------------------------------------------------------------------------


def test_replies(replies: list[dict[str, Any]]) -> None:
    assert len(replies) >= 30
    ids = [r["id"] for r in replies]
    assert all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    assert len(ids) == len(set(ids))
    assert {r["language"] for r in replies} == set(LANGUAGES)
    assert {r["channel"] for r in replies} == {"chat", "email"}
    for r in replies:
        assert set(r) == {"id", "customer_text", "reply_text", "language", "channel", "score"}
        assert r["score"] == 1.0
        for field in ("customer_text", "reply_text"):
            text = r[field]
            assert text.strip(), r["id"]
            _variables_ok(text, f"reply {r['id']}")
            # anonymised: no order numbers, e-mail addresses or phone numbers left
            assert not re.search(r"ORD-\d|@|\+?\d[\d -]{7,}\d", text), (r["id"], field)
        if r["language"] == "zh":
            assert CJK_RE.search(r["reply_text"]), r["id"]
        else:
            assert not CJK_RE.search(r["reply_text"]), r["id"]
        kinds = {h.kind for h in check_reply(r["reply_text"], r["language"])}
        assert not kinds, (r["id"], kinds)
