"""The analyser shared by indexing and queries: normalisation, stemming, CJK bigrams and
unigrams, typo candidates — and that its tokens survive SQLite's unicode61 tokenizer
unchanged (the FTS5 table is fed pre-tokenised text)."""

from __future__ import annotations

import random
import sqlite3

import pytest

from agent_desk.kb import text


@pytest.mark.parametrize("group", [
    ["refund", "refunds", "refunded", "refunding", "Refunded"],
    ["charge", "charges", "charged", "charging"],
    ["cancel", "cancels", "cancelled", "canceled", "cancelling"],
    ["delivery", "deliveries"],
    ["invoice", "invoices", "invoiced"],
    ["ship", "shipping", "shipped", "ships"],
    ["warranty", "warranties"],
    ["address", "addresses"],
    ["password", "passwords"],
])
def test_inflections_share_one_index_term(group: list[str]) -> None:
    assert len({text.index_text(w) for w in group}) == 1, [text.index_text(w) for w in group]


def test_different_words_stay_apart() -> None:
    terms = [text.index_text(w) for w in ("refund", "return", "receipt", "repair", "status",
                                          "bus", "analysis")]
    assert len(set(terms)) == len(terms)


def test_normalisation() -> None:
    assert text.index_text("Ｒｅｆｕｎｄ　ＣＡＦÉ") == text.index_text("refund cafe")
    assert text.index_text("customer's") == "customer"
    assert text.index_text("the a to of") == ""  # stop words
    assert text.index_text("😀 ¿¡ — … ✓ ★") == ""


def test_cjk_is_indexed_as_bigrams_and_unigrams() -> None:
    assert text.index_terms("我要退款") == ["我要", "要退", "退款", "我", "要", "退", "款"]
    assert text.query_terms_of_run("退款") == ["退款"]
    assert text.query_terms_of_run("退") == ["退"]
    assert text.query_terms_of_run("怎么退款") == ["怎么", "么退", "退款"]


def test_mixed_scripts_split_between_scripts() -> None:
    assert text.index_terms("iPhone退款") == ["iphon", "退款", "退", "款"]
    assert "привет" in text.index_terms("Привет мир")
    assert "한국" in text.index_terms("한국어")


def test_typo_candidates() -> None:
    assert "refund" in text.typo_candidates("refnud")
    assert text.stem("receive") in text.typo_candidates("recieve")
    assert "password" in text.typo_candidates("pasword")
    assert text.typo_candidates("near") == set()  # too short to guess
    assert text.typo_candidates("退款退款") == set()


def test_tokens_survive_unicode61_unchanged() -> None:
    """Whatever the text, the FTS5 tokenizer must see exactly our tokens: they are letters
    and digits only, so unicode61 splits them only at our spaces."""
    rnd = random.Random(7)
    alphabet = ("abcXYZ019 ÀéßøĀ退款物流发票保修我的ｶﾀｶﾅ한국어Привет"
                "٣٤ا ب،.,;:!?\"'*()-_/\\[]{}<>@#$%^&|~`+=😀👍🏽\u200b\u00a0\t\n\u0301\u3000")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 "
                 "remove_diacritics 0')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    for i in range(300):
        sample = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60)))
        terms = text.index_terms(sample)
        conn.execute("INSERT INTO t(rowid, x) VALUES(?, ?)", (i, " ".join(terms)))
        got = [r[0] for r in conn.execute("SELECT term FROM v WHERE doc=? ORDER BY offset",
                                          (i,))]
        assert got == terms, sample


def test_a_megabyte_is_analysed_quickly() -> None:
    import time

    body = ("退款流程说明 The refunded orders ship quickly. " * 25_000)[:1_000_000]
    start = time.perf_counter()
    terms = text.index_terms(body)
    assert time.perf_counter() - start < 5
    assert "退款" in terms and "refund" in terms
