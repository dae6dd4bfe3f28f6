"""BM25 as SQLite's FTS5 computes it (``fts5_aux.c``: ``fts5Bm25Function``), for scores
computed outside FTS5 that must add up with its own (see :mod:`.termindex`): per phrase,
IDF × f·(k1+1) / (f + k1·(1 − b + b·D/avgdl)), f the phrase's occurrences weighted by
column, D the article's length in tokens over all columns, avgdl the average length,
IDF = ln((N − n + 0.5) / (n + 0.5)) floored at 1e-6 (n: articles the phrase matches);
and a term's top list: its best articles with the f-and-D part of their score.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 4.0
TAGS_WEIGHT = 3.0
BODY_WEIGHT = 1.0
HEAD, FULL = 0, 1  # the kinds of top list (see termindex)
Change = tuple[int, int, float, int]  # sign (+1 in, -1 out), rowid, weighted freq, length


def idf(n_docs: int, n_hit: int) -> float:
    """FTS5's BM25 IDF (floored just above zero for terms in more than half the articles)."""
    value = math.log((n_docs - n_hit + 0.5) / (n_hit + 0.5)) if n_docs > 0 else 0.0
    return value if value > 0 else 1e-6


def tf_part(freq: float, length: int, avgdl: float) -> float:
    """The term-frequency part of BM25: ``freq`` weighted occurrences in an article of
    ``length`` tokens."""
    return freq * (K1 + 1) / (freq + K1 * (1 - B + B * length / max(avgdl, 1e-9)))


def doc_length(docsize: bytes) -> int:
    """Total tokens of an FTS5 ``%_docsize`` record (one SQLite varint per column)."""
    total, i, n = 0, 0, len(docsize)
    while i < n:
        value = 0
        for k in range(9):
            byte = docsize[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        total += value
    return total


def weighted_freqs(*columns: tuple[Iterable[str], float]) -> dict[str, float]:
    """Weighted occurrences of each term in (terms, weight) columns."""
    freq: dict[str, float] = {}
    for terms, weight in columns:
        for t in terms:
            freq[t] = freq.get(t, 0.0) + weight
    return freq


@dataclass(frozen=True)
class TopList:
    """A term's best articles: ``rowids`` and their BM25 ``parts``, best first."""

    kind: int  # HEAD or FULL
    n_hit: int  # HEAD: articles with the term in their title or tags; FULL: its df when built
    rowids: Sequence[int]
    parts: Sequence[float]
    size: int = 200  # the most entries it keeps

    def idf(self, n_docs: int, df: int) -> float:
        """The IDF of its scores in a store of ``n_docs`` articles, ``df`` with the term."""
        return idf(n_docs, self.n_hit if self.kind == HEAD else df)

    def scores(self, n_docs: int, df: int) -> Iterator[tuple[int, float]]:
        """(rowid, BM25) in a store of ``n_docs`` articles, ``df`` of them with the term."""
        weight = self.idf(n_docs, df)
        return ((r, weight * p) for r, p in zip(self.rowids, self.parts, strict=True))

    def updated(self, changes: list[Change], avgdl: float, df: int | None) -> TopList:
        """The list after articles left (-1) or entered (+1) the index; ``df``: the term's
        new df for a FULL list (a HEAD list counts its articles from the changes). The
        list itself when nothing changed (a FULL list's n_hit is only kept when built).
        An article has at most one -1 (its old version) and one +1 (its new one)."""
        count = self.n_hit if df is None else df
        # a list shorter than n_hit leaves out articles scoring at most its last entry: a
        # changed article only enters when it beats that (else it may not be among the best)
        floor = self.parts[-1] if self.parts and len(self.rowids) < count else -1.0
        gone = {rowid for sign, rowid, _, _ in changes if sign < 0 and rowid in self.rowids}
        new = [(-part, rowid) for sign, rowid, freq, length in changes if sign > 0
               and (part := tf_part(freq, length, avgdl)) >= floor]
        if df is None:
            count += sum(sign for sign, _, _, _ in changes)
        if not gone and not new:
            return self if df is not None or count == self.n_hit else replace(self, n_hit=count)
        kept = [(-p, r) for r, p in zip(self.rowids, self.parts, strict=True) if r not in gone]
        best = list(islice(heapq.merge(kept, sorted(new)), self.size))
        return TopList(self.kind, max(count, len(kept) + len(new)), tuple(r for _, r in best),
                       tuple(-p for p, _ in best), self.size)
