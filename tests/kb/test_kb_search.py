"""Search behaviour on the sample corpus and on small hand-made stores: Chinese words and
sentences, stemming, typos, synonyms (both directions, data-driven), language preference,
title/tag boosts, helpfulness, snippets, the article lifecycle in the index."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agent_desk.kb.search import Searcher
from agent_desk.kb.store import Article
from agent_desk.kb.synonyms import Synonyms
from tests.kb.conftest import article


def ids(searcher: Searcher, query: str, **kw: object) -> list[str]:
    return [h.id for h in searcher.search(query, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "expected"), [
    ("退款", "refund-policy-zh"), ("发票", "invoice-request-zh"),
    ("保修", "warranty-coverage-zh"), ("物流", "tracking-zh"),
])
def test_two_character_chinese_words(sample_kb: Searcher, query: str, expected: str) -> None:
    got = ids(sample_kb, query, limit=3)
    assert expected in got
    assert all(i.endswith("-zh") for i in got[:2])


def test_whole_chinese_sentence_without_spaces(sample_kb: Searcher) -> None:
    assert ids(sample_kb, "发票抬头写错了怎么改", limit=1) == ["invoice-correction-zh"]
    assert ids(sample_kb, "忘记密码了怎么办", limit=1) == ["password-reset-zh"]


def test_single_character_and_no_shared_bigram(sample_kb: Searcher) -> None:
    assert sample_kb.search("票", limit=3)  # a unigram query
    # no article shares a bigram with this sentence: single characters still find it
    assert "exchange-zh" in ids(sample_kb, "我想把衣服换成大一号的", limit=3)


@pytest.mark.parametrize("query", ["refund", "refunds", "refunded", "refunding", "REFUNDED"])
def test_stemming(sample_kb: Searcher, query: str) -> None:
    assert ids(sample_kb, query, limit=1)[0] in ("refund-policy-en", "refund-status-en")


@pytest.mark.parametrize(("query", "expected"), [
    ("pasword reset", "password-reset-en"), ("refnud", "refund-policy-en"),
    ("warrenty", "warranty-coverage-en"), ("trackign number", "tracking-en"),
])
def test_typos(sample_kb: Searcher, query: str, expected: str) -> None:
    assert expected in ids(sample_kb, query, limit=3)


def test_synonyms_from_the_shipped_file(sample_kb: Searcher) -> None:
    assert ids(sample_kb, "how do I get my money back", limit=1) == ["refund-policy-en"]
    assert "coupon-how-en" in ids(sample_kb, "voucher", limit=2)


def test_synonyms_both_ways(make_kb: Callable[..., Searcher]) -> None:
    kb = make_kb(article("a", "包裹查询", "请提供物流单号。", "zh"),
                 article("b", "送达时间", "快递一般三天送达。", "zh"),
                 article("c", "会员", "积分规则。", "zh"))
    assert ids(kb, "快递")[0] == "b" and "a" in ids(kb, "快递")
    assert ids(kb, "物流")[0] == "a" and "b" in ids(kb, "物流")
    assert "c" not in ids(kb, "快递")


def test_synonyms_are_data(make_kb: Callable[..., Searcher]) -> None:
    kb = make_kb(article("r", "Refund rules", "How we give refunds."),
                 article("x", "Other", "Something else entirely."))
    assert ids(kb, "reimbursement") == ["r"]  # shipped: refund ≡ reimbursement
    custom = Searcher(kb.store, Synonyms.from_data({"one_way": {"cash back": ["refund"]}}))
    assert ids(custom, "cash back") == ["r"]
    assert ids(custom, "reimbursement") == []
    with pytest.raises(ValueError):
        Synonyms.from_data({"equivalent": "not a list"})


def test_language_preference(sample_kb: Searcher) -> None:
    assert ids(sample_kb, "refund", limit=1)[0].endswith("-en")  # guessed from the query
    zh = ids(sample_kb, "refund", limit=2, lang="zh")  # the customer is Chinese
    assert all(i.endswith("-zh") for i in zh), zh
    assert ids(sample_kb, "保修", limit=1, lang="en_GB")[0].endswith("-en")
    assert ids(sample_kb, "保修", limit=1, lang="zh_CN")[0].endswith("-zh")


def test_mixed_language_query(sample_kb: Searcher) -> None:
    assert ids(sample_kb, "refund 怎么办", limit=1)[0] in ("refund-policy-zh",
                                                          "refund-status-zh")
    assert ids(sample_kb, "PayPal 付款失败", limit=1) == ["payment-failed-zh"]


def test_title_and_tag_boosts(make_kb: Callable[..., Searcher]) -> None:
    filler = "Some words about orders and parcels. " * 3
    kb = make_kb(article("body", "General questions", filler + "A voucher may help."),
                 article("title", "Voucher rules", filler),
                 article("tag", "Promotions", filler, tags=["voucher"]))
    assert ids(kb, "voucher") == ["title", "tag", "body"]


def test_helpfulness_breaks_ties(make_kb: Callable[..., Searcher]) -> None:
    body = "Returns are accepted within thirty days."
    kb = make_kb(article("plain", "Returns", body),
                 article("helpful", "Returns", body, usage_count=40, helped_count=25))
    assert ids(kb, "returns") == ["helpful", "plain"]
    kb.store.record_use("plain", helped=True)
    assert kb.store.get("plain").helped_count == 1  # type: ignore[union-attr]


def test_snippet_highlights_matched_words(sample_kb: Searcher) -> None:
    hit = sample_kb.search("refunded", limit=1)[0]
    assert "**refund" in hit.marked_snippet().lower()
    for a, b in hit.highlights:
        assert hit.snippet[a:b].lower().startswith("refund")
    assert hit.title_highlights and hit.title[slice(*hit.title_highlights[0])] == "Refund"
    zh = sample_kb.search("退款", limit=1)[0]
    assert "**退款**" in zh.marked_snippet()
    assert len(zh.snippet) <= 170


def test_snippet_prefers_the_passage_with_the_matches(make_kb: Callable[..., Searcher]
                                                      ) -> None:
    body = ("Unrelated opening text. " * 30 + "Here the invoice correction steps start. "
            + "Closing words. " * 30)
    kb = make_kb(article("a", "Billing", body))
    hit = kb.search("invoice correction")[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "**invoice** **correction**" in hit.marked_snippet()


def test_search_as_you_type(sample_kb: Searcher) -> None:
    assert ids(sample_kb, "refu", limit=1, prefix_last=True)[0].startswith("refund")
    assert ids(sample_kb, "refu", limit=1) == []  # a finished word is not a prefix


def test_only_published_articles_are_found(make_kb: Callable[..., Searcher]) -> None:
    kb = make_kb(article("p", "Warranty", "Two years."),
                 article("d", "Warranty draft", "Three years.", state="draft"))
    assert ids(kb, "warranty") == ["p"]
    store = kb.store
    store.upsert(Article("d", "Warranty draft", "Three years.", "en", state="published"))
    assert sorted(ids(kb, "warranty")) == ["d", "p"]
    store.upsert(Article("p", "Warranty", "Two years.", "en", state="archived"))
    assert ids(kb, "warranty") == ["d"]
    assert store.delete("d") and not store.delete("d")
    assert ids(kb, "warranty") == [] and store.count() == 0


def test_edits_replace_the_indexed_text(make_kb: Callable[..., Searcher]) -> None:
    kb = make_kb(article("a", "Coupons", "Enter the promo code."))
    kb.store.upsert(Article("a", "Gift cards", "Check the balance.", "en"))
    assert ids(kb, "coupon") == [] and ids(kb, "balance") == ["a"]
    assert kb.store.get("a").version == 2  # type: ignore[union-attr]


def test_an_older_version_does_not_overwrite(make_kb: Callable[..., Searcher]) -> None:
    kb = make_kb(Article("a", "New title", "new", "en", version=5))
    assert not kb.store.upsert(Article("a", "Old title", "old", "en", version=4))
    assert kb.store.get("a").title == "New title"  # type: ignore[union-attr]


def test_an_index_from_another_analyser_version_is_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from agent_desk.kb.store import KBStore

    store = KBStore(tmp_path / "kb.db")
    store.upsert(Article("a", "Refunds", "Money back.", "en"))
    store.set_meta("analyzer_version", "0")
    store.conn.execute("INSERT INTO kb_fts(kb_fts) VALUES('delete-all')")
    store.close()
    store = KBStore(tmp_path / "kb.db", create=False)
    assert [h.id for h in Searcher(store).search("refund")] == ["a"]
    store.close()


def test_results_are_best_first_and_limited(sample_kb: Searcher) -> None:
    hits = sample_kb.search("delivery", limit=4)
    assert len(hits) == 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert sample_kb.search("delivery", limit=0) == []
