"""The term statistics and top lists beside the FTS5 index (``kb/termindex.py``) agree with
FTS5 itself: document frequencies with ``fts5vocab``, list scores with ``bm25()``, and the
list-based relevance of a query with FTS5's BM25 of the whole OR — built in one go, kept
up to date article by article, rolled back with the transaction, rebuilt for another
version. Thresholds are lowered so the 60 sample articles have lists of every kind, and
lists are longer than the corpus so they are complete (comparable one to one)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desk.kb import search as search_mod
from agent_desk.kb import termindex
from agent_desk.kb.importer import import_path
from agent_desk.kb.search import Searcher
from agent_desk.kb.store import Article, KBStore
from tests.kb.conftest import SAMPLES, article


@pytest.fixture
def low_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    for mod in (termindex, search_mod):
        monkeypatch.setattr(mod, "DENSE_DF", 12)
        monkeypatch.setattr(mod, "MID_DF", 3)
        monkeypatch.setattr(mod, "LIST_SIZE", 100)
    monkeypatch.setattr(termindex, "HEAD_MIN", 3)


@pytest.fixture(params=["incremental", "bulk"])
def store(request: pytest.FixtureRequest, low_thresholds: None, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[KBStore]:
    if request.param == "bulk":
        monkeypatch.setattr(termindex, "BULK_CHANGES", 10)
    s = KBStore(tmp_path / "kb.db")
    assert import_path(s, SAMPLES).imported == 60
    yield s
    s.close()


def fts_scores(store: KBStore, expression: str) -> dict[int, float]:
    return {int(r): -float(s) for r, s in store.conn.execute(
        "SELECT rowid, bm25(kb_fts, 4, 3, 1) FROM kb_fts WHERE kb_fts MATCH ?", (expression,))}


def all_lists(store: KBStore) -> dict[str, termindex.TopList]:
    terms = [str(t) for (t,) in store.conn.execute("SELECT term FROM kb_top")]
    store.terms.clear_cache()
    return store.top_lists(terms)


def assert_consistent(store: KBStore, rel: float = 1e-9) -> None:
    """kb_term = fts5vocab, token_total = the FTS5 lengths, every list = FTS5's scores."""
    vocab = {str(t): int(d) for t, d in store.conn.execute("SELECT term, doc FROM kb_vocab")}
    terms = {str(t): int(d) for t, d in store.conn.execute("SELECT term, df FROM kb_term")}
    assert terms == vocab
    sizes = sum(termindex.doc_length(bytes(b)) for (b,) in store.conn.execute(
        "SELECT sz FROM kb_fts_docsize"))
    assert store.terms.token_total() == sizes
    lists = all_lists(store)
    assert {lst.kind for lst in lists.values()} == {termindex.HEAD, termindex.FULL}
    assert set(lists) == {t for t, d in vocab.items() if d > termindex.MID_DF}
    n = store.count()
    dense_full = 0
    for term, lst in lists.items():
        head = fts_scores(store, '{title tags} : "' + term + '"')
        if vocab[term] > termindex.DENSE_DF and (len(head) < termindex.HEAD_MIN
                                                  and vocab[term] * 2 <= n):
            assert lst.kind == termindex.FULL, term  # hardly ever in titles and tags
            dense_full += 1
        else:
            assert lst.kind == termindex.list_kind(vocab[term]), term
        expected = head if lst.kind == termindex.HEAD else fts_scores(store, f'"{term}"')
        if lst.kind == termindex.HEAD:
            assert lst.n_hit == len(expected), term
        assert set(lst.rowids) == set(expected), term
        for rowid, score in lst.scores(n, vocab[term]):
            assert math.isclose(score, expected[rowid], rel_tol=rel), (term, rowid)
        assert list(lst.parts) == sorted(lst.parts, reverse=True)
    assert dense_full


def test_built_lists_are_fts5s_scores(store: KBStore) -> None:
    assert_consistent(store)


def test_kept_up_to_date_article_by_article(store: KBStore) -> None:
    s = store
    refund = s.get("refund-policy-en")
    assert refund is not None
    s.upsert(Article(refund.id, "Refund and refund policy", refund.body + " Refunds again.",
                     "en", list(refund.tags)))
    s.upsert(article("new-1", "Delivery refund", "Refund of the delivery fee.", "en",
                     tags=["delivery", "refund"]))
    s.upsert(article("new-2", "物流查询", "物流单号在订单页。", "zh", tags=["物流"]))
    assert s.delete("tracking-en")
    s.upsert(Article("invoice-request-en", "Invoice", "Archived.", "en", state="archived"))
    s.upsert(Article("invoice-request-en", "Invoice request", "Ask for an invoice.", "en",
                     tags=["invoice"]))
    # the lengths of unchanged articles were normalised with an older average
    assert_consistent(s, rel=0.05)
    s.optimize()  # articles changed one by one since the lists were built: rebuilt
    assert not s.terms.stale()
    assert_consistent(s)


def test_a_rolled_back_transaction_changes_nothing(store: KBStore) -> None:
    before = all_lists(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert(article("x", "Refund refund refund", "refund " * 50))
        raise RuntimeError
    assert all_lists(store) == before
    assert_consistent(store)


def test_a_wipe_behind_the_stores_back_is_noticed(store: KBStore, tmp_path: Path) -> None:
    """A sync that starts over wipes the file with plain SQL (``client/kb_local.py``) and
    applies its first page in the same transaction: the lists are rebuilt."""
    with store.transaction():
        store.conn.execute("DELETE FROM kb_article")
        store.conn.execute("INSERT INTO kb_fts(kb_fts) VALUES('delete-all')")
        assert import_path(store, SAMPLES).imported == 60  # joins the transaction
    assert_consistent(store)
    with store.transaction():  # and an empty first page
        store.conn.execute("DELETE FROM kb_article")
        store.conn.execute("INSERT INTO kb_fts(kb_fts) VALUES('delete-all')")
    assert store.count() == 0 and all_lists(store) == {}
    assert store.doc_freqs(["refund"]) == {} and Searcher(store).search("refund") == []
    assert import_path(store, SAMPLES).imported == 60
    assert store.delete("tracking-en")  # the store's own deletes are no wipe
    assert_consistent(store, rel=0.05)
    assert store.terms.stale()


def test_relevance_from_lists_is_fts5s_bm25_of_the_query(store: KBStore) -> None:
    searcher = Searcher(store)
    for query in ["refund", "refund order delivery", "退款 物流 订单", "track my parcel",
                  "customer account order", "发票 invoice"]:
        parsed = searcher.parse(query)
        assert any(c.df > termindex.MID_DF for c in parsed.clauses), query
        from_lists: dict[int, float] = {}
        searcher._add(from_lists, parsed.clauses, 1000, 1.0)
        exact = searcher._bm25(parsed.clauses, 1000)
        assert from_lists.keys() == exact.keys(), query
        for rowid, score in exact.items():
            assert math.isclose(from_lists[rowid], score, rel_tol=1e-9), (query, rowid)


def test_completions_and_document_frequencies(store: KBStore) -> None:
    done = store.completions("re", 4)
    assert len(done) == 4 and all(t.startswith("re") for t, _ in done)
    assert [d for _, d in done] == sorted((d for _, d in done), reverse=True)
    assert store.completions("zzzz", 4) == []
    df = store.doc_freqs(["refund", "退款", "nosuchterm"])
    assert set(df) == {"refund", "退款"} and df["refund"] > 1


def test_another_version_is_rebuilt_on_open(store: KBStore) -> None:
    path = store.path
    store.conn.execute("DROP TABLE kb_top")
    store.conn.execute("CREATE TABLE kb_top (term TEXT PRIMARY KEY, old BLOB)")
    store.set_meta("termindex_version", "1")
    store.close()
    with KBStore(path, create=False) as reopened:
        assert_consistent(reopened)


def test_document_lengths_of_long_articles(tmp_path: Path) -> None:
    body = "Refund words here. " * 3000 + "退款说明" * 500
    with KBStore(tmp_path / "kb.db") as s:
        s.upsert(article("long", "Long", body, "en"))
        (size,) = s.conn.execute("SELECT sz FROM kb_fts_docsize").fetchone()
        from agent_desk.kb import text
        assert termindex.doc_length(bytes(size)) == len(text.index_terms("Long")) + len(
            text.index_terms(body))
        assert s.terms.token_total() == termindex.doc_length(bytes(size))
