"""Search quality on the labelled evaluation set ``eval_set.json``: 112 queries over the
60-article bilingual sample corpus (30 topics × English and Chinese), written the way
customers and agents type — plain English, inflections, typos, synonyms, two-character
Chinese words, whole Chinese sentences without spaces, Chinese synonyms, mixed English and
Chinese, and queries in the other language than the customer's.

Why the thresholds: the issue asks that every agent "find the standard answer in a
second", i.e. in the first few results, so the bar is high. When the thresholds were set,
recall@3 was 111/112 = 0.991 (MRR 0.961; the miss: "receipt for my purchase", where the
gift-card and warranty articles legitimately mention the purchase receipt). 0.95 allows at
most five misses of 112 — about one query in twenty pointing the agent at the wrong article.
Each kind has 7–28 queries and must stay at 0.85, so losing a whole feature fails the test
(measured by switching each off: without synonyms recall@3 falls to 0.911 and the "cross"
kind to 0; without typo correction the "typo" kind falls to 0.64). MRR ≥ 0.85 keeps the
standard answer near the top, not just in the top three (0.956 measured). The language
preference hardly moves recall@3 here; ``test_kb_search.test_language_preference`` guards
it."""

from __future__ import annotations

from agent_desk.kb.evaluation import evaluate, load_eval_set
from agent_desk.kb.search import Searcher
from tests.kb.conftest import EVAL_SET

RECALL_AT_3 = 0.95
MRR = 0.85
PER_KIND_RECALL_AT_3 = 0.85


def test_recall_at_3(sample_kb: Searcher) -> None:
    queries = load_eval_set(EVAL_SET)
    assert len(queries) >= 100
    kinds = {q.kind for q in queries}
    assert {"typo", "synonym", "zh2", "zh_sentence", "mixed", "cross"} <= kinds
    assert {q.expect[0].rsplit("-", 1)[1] for q in queries} == {"en", "zh"}
    result = evaluate(sample_kb, queries, k=3)
    misses = "\n".join(f"  {q.kind}: {q.q!r} expected {q.expect}, got {got}"
                       for q, got in result.misses)
    assert result.recall >= RECALL_AT_3, f"recall@3 {result.recall:.3f}\n{misses}"
    assert result.mrr >= MRR, f"MRR {result.mrr:.3f}"
    for kind, recall in result.by_kind.items():
        assert recall >= PER_KIND_RECALL_AT_3, f"{kind}: {recall:.2f}\n{misses}"


def test_expected_ids_exist(sample_kb: Searcher) -> None:
    for q in load_eval_set(EVAL_SET):
        for article_id in q.expect:
            assert sample_kb.store.get(article_id) is not None, article_id
