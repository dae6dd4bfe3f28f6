"""Term statistics and per-term top lists kept beside the FTS5 index (see ``store.py``).

FTS5 answers a query by walking the whole posting list of every query term and scoring
every article on it (BM25, ~1 µs each), and counts a term's articles (``fts5vocab``) the
same way: a term in 20,000 articles costs 20 ms per query whatever else the query holds.
So the store keeps, updated in the same transaction as the index:

- ``kb_term`` (term → number of published articles containing it, ``df``): document
  frequencies in one B-tree lookup, and the completions of a prefix, most common first
  (search-as-you-type).
- ``kb_top``: for each term in more than :data:`MID_DF` articles, the best
  :data:`LIST_SIZE` articles for it with the term-frequency part of their BM25 score;
  search reads the term's scores from there instead of walking its posting list. Scores
  are FTS5's own ``bm25`` (k1 1.2, b 0.75, IDF floored at 1e-6, weights title 4, tags 3,
  body 1, the article's length over all columns), so listed and FTS5-scored terms add up
  on one scale; the IDF part (``n_hit``: the articles the term's clause matches) is
  applied at query time. Two kinds:

  - **head** lists for *dense* terms (in more than :data:`DENSE_DF` articles), which
    search only counts where an article is about them, its title and tags: the score of
    ``{title tags} : "term"``, computed here from the titles and tags;
  - **full** lists for the others, and for dense terms in fewer than :data:`HEAD_MIN`
    titles and tags ("fee", "goodwill": only bodies say anything about them): the score
    of ``"term"``, taken from FTS5.

- ``token_total`` in ``kb_meta``: the number of tokens of all published articles (the
  average article length of BM25).

Changes are collected per transaction and applied just before it commits: document
frequencies by delta, lists by inserting/removing the changed articles (a term that
crosses a threshold gets its new list from the FTS5 index, as does a list that lost too
many entries). A transaction changing more than :data:`BULK_CHANGES` articles (an
import, a first sync, a re-index) rebuilds everything instead: one scan of the
vocabulary, one pass over titles and tags, one FTS5 query per mid-frequency term.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from array import array
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass

from . import bm25, text
from .bm25 import FULL, HEAD, Change, TopList, doc_length, idf, weighted_freqs

__all__ = ["DENSE_DF", "FULL", "HEAD", "LIST_SIZE", "MID_DF", "TermIndex", "TopList",
           "doc_length", "idf", "list_kind"]

INDEX_VERSION = 3
DENSE_DF = 2_000
MID_DF = 500
HEAD_MIN = 20
LIST_SIZE = 200
BULK_CHANGES = 2_000
_CHUNK = 500

SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_term (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kb_top (term TEXT PRIMARY KEY, kind INTEGER NOT NULL,
                                   n_hit INTEGER NOT NULL, rowids BLOB NOT NULL,
                                   parts BLOB NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS kb_article_gone AFTER DELETE ON kb_article BEGIN
    INSERT INTO kb_meta(key, value) VALUES('termindex_deletes', 1)
        ON CONFLICT(key) DO UPDATE SET value = value + 1;
END;
"""

Columns = tuple[str, str, str]  # an article's pre-tokenised title, tags and body


def list_kind(df: int) -> int | None:
    return HEAD if df > DENSE_DF else FULL if df > MID_DF else None


def _tokens(s: str) -> int:
    return s.count(" ") + 1 if s else 0


@dataclass(frozen=True)
class _Doc:
    """An article as the index sees it: weighted title/tag (HEAD) and all (FULL)
    occurrences of its terms, and its length in tokens."""

    freqs: tuple[dict[str, float], dict[str, float]]
    length: int

    @classmethod
    def of(cls, columns: Columns) -> _Doc:
        title, tags, body = (c.split() for c in columns)
        head = weighted_freqs((title, bm25.TITLE_WEIGHT), (tags, bm25.TAGS_WEIGHT))
        full = weighted_freqs((body, bm25.BODY_WEIGHT))
        for t, f in head.items():
            full[t] = full.get(t, 0.0) + f
        return cls((head, full), len(title) + len(tags) + len(body))


class TermIndex:
    """The derived tables of one store (same connection; writes inside its transactions)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # this transaction's changes: each article's columns before it and after it (None:
        # not in the index); in bulk mode only the titles, tags and lengths after it
        self._before: dict[int, Columns | None] = {}
        self._after: dict[int, Columns | None] = {}
        self._bulk: dict[int, tuple[str, str, int] | None] | None = None
        self._deletes = 0  # articles deleted through the store in this transaction
        self._df: dict[str, int] = {}
        self._lists: dict[str, TopList | None] = {}

    def reset(self) -> None:
        """Drop the tables (another version's) and create them empty (outside a
        transaction; fill them with :meth:`rebuild_on_commit`)."""
        self.conn.executescript("DROP TABLE IF EXISTS kb_top; DROP TABLE IF EXISTS kb_term;"
                                + SCHEMA)
        self.clear_cache()

    # --- changes (called by the store inside a transaction) -------------------------------

    def changed(self, sign: int, rowid: int, columns: Columns) -> None:
        """An article entered (``sign`` +1) or left (-1) the FTS5 index."""
        if self._bulk is not None:
            self._bulk[rowid] = (columns[0], columns[1], sum(map(_tokens, columns))) \
                if sign > 0 else None
            return
        if rowid not in self._before:
            self._before[rowid] = columns if sign < 0 else None
        self._after[rowid] = columns if sign > 0 else None
        if len(self._after) > BULK_CHANGES:
            self.rebuild_on_commit()

    def rebuild_on_commit(self) -> None:
        """Rebuild everything when the transaction commits (bulk changes)."""
        if self._bulk is None:
            self._bulk = {r: None if c is None else (c[0], c[1], sum(map(_tokens, c)))
                          for r, c in self._after.items()}
        self._before, self._after = {}, {}

    def deleting(self) -> None:
        """The store deletes an article row (after taking it out of the index)."""
        self._deletes += 1

    def discard(self) -> None:
        """The transaction was rolled back."""
        self._before, self._after, self._bulk = {}, {}, None
        self._deletes = 0
        self.clear_cache()

    def flush(self) -> bool:
        """Apply the transaction's changes (before its COMMIT). True when anything was.
        Article rows deleted behind the store's back (a trigger counts them: a sync's
        ``DELETE FROM kb_article`` + FTS5 ``delete-all`` wipe) mean the whole index may
        have changed: everything is rebuilt."""
        row = self.conn.execute(
            "SELECT value FROM kb_meta WHERE key='termindex_deletes'").fetchone()
        deletes, self._deletes = self._deletes, 0
        if row is not None and int(row[0]) != deletes:
            self.rebuild_on_commit()
        elif row is not None:
            self.conn.execute("DELETE FROM kb_meta WHERE key='termindex_deletes'")
        if self._bulk is not None:
            self.rebuild()
            return True
        if not self._after:
            return False
        before, after = self._before, self._after
        self._before, self._after = {}, {}
        self._apply(before, after)
        self.conn.execute("INSERT INTO kb_meta(key, value) VALUES('termindex_changes', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value=value + excluded.value",
                          (len(after),))
        self.clear_cache()
        return True

    def stale(self) -> bool:
        """Articles changed since the last rebuild (lists may have drifted a little)."""
        row = self.conn.execute(
            "SELECT value FROM kb_meta WHERE key='termindex_changes'").fetchone()
        return row is not None and int(row[0]) > 0

    def clear_cache(self) -> None:
        self._df, self._lists = {}, {}

    # --- reading ----------------------------------------------------------------------------

    def doc_freqs(self, terms: Iterable[str]) -> dict[str, int]:
        """Number of published articles containing each term (absent terms: left out)."""
        cache = self._df
        terms = set(terms)
        wanted = [t for t in terms if t not in cache]
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            for t in chunk:
                cache[t] = 0
            marks = ",".join("?" * len(chunk))
            for term, df in self.conn.execute(
                    f"SELECT term, df FROM kb_term WHERE term IN ({marks})", chunk):
                cache[str(term)] = int(df)
        if len(cache) > 200_000:
            self._df = {}
        return {t: cache[t] for t in terms if cache.get(t)}

    def completions(self, prefix: str, limit: int, scan: int = 5_000) -> list[tuple[str, int]]:
        """The ``limit`` most common terms starting with ``prefix`` (of the first ``scan``
        in alphabetical order), most common first."""
        if not prefix:
            return []
        rows = self.conn.execute(
            "SELECT term, df FROM (SELECT term, df FROM kb_term WHERE term >= ? AND term < ? "
            "LIMIT ?) ORDER BY df DESC, term LIMIT ?",
            (prefix, prefix + "\U0010ffff", scan, limit)).fetchall()
        out = [(str(t), int(d)) for t, d in rows]
        self._df.update(out)
        return out

    def top_lists(self, terms: Iterable[str]) -> dict[str, TopList]:
        """The lists of those of ``terms`` that have one."""
        cache = self._lists
        terms = set(terms)
        wanted = [t for t in terms if t not in cache]
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            for t in chunk:
                cache[t] = None
            marks = ",".join("?" * len(chunk))
            for term, kind, n_hit, rowids, parts in self.conn.execute(
                    "SELECT term, kind, n_hit, rowids, parts FROM kb_top "
                    f"WHERE term IN ({marks})", chunk):
                r, p = array("q"), array("d")
                r.frombytes(rowids)
                p.frombytes(parts)
                cache[str(term)] = TopList(int(kind), int(n_hit), r, p, LIST_SIZE)
        if len(cache) > 20_000:
            self._lists = {}
        return {t: lst for t in terms if (lst := cache.get(t)) is not None}

    def token_total(self) -> int:
        row = self.conn.execute("SELECT value FROM kb_meta WHERE key='token_total'").fetchone()
        return int(row[0]) if row else 0

    # --- writing ----------------------------------------------------------------------------

    def _stats(self, token_delta: int | None = None) -> tuple[int, float]:
        """(published articles, average length), after adding ``token_delta`` tokens to
        the total (None: counting them again)."""
        if token_delta is None:
            total = sum(doc_length(bytes(sz)) for (sz,) in self.conn.execute(
                "SELECT sz FROM kb_fts_docsize"))
        else:
            total = max(0, self.token_total() + token_delta)
        self.conn.execute("INSERT INTO kb_meta(key, value) VALUES('token_total', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (str(total),))
        n_docs = int(self.conn.execute("SELECT published FROM kb_count").fetchone()[0])
        return n_docs, (total / n_docs if n_docs else 1.0)

    def _apply(self, before: dict[int, Columns | None], after: dict[int, Columns | None]
               ) -> None:
        df_delta: Counter[str] = Counter()
        docs: list[tuple[int, _Doc | None, _Doc | None]] = []
        tokens = 0
        for rowid, new_cols in after.items():
            old_cols = before.get(rowid)
            if old_cols == new_cols:
                continue
            old = _Doc.of(old_cols) if old_cols is not None else None
            new = _Doc.of(new_cols) if new_cols is not None else None
            docs.append((rowid, old, new))
            old_terms = old.freqs[FULL].keys() if old else set()
            new_terms = new.freqs[FULL].keys() if new else set()
            for term in new_terms - old_terms:
                df_delta[term] += 1
            for term in old_terms - new_terms:
                df_delta[term] -= 1
            tokens += (new.length if new else 0) - (old.length if old else 0)
        c = self.conn
        c.executemany("INSERT INTO kb_term(term, df) VALUES(?, ?) ON CONFLICT(term) DO UPDATE "
                      "SET df = df + excluded.df", [(t, d) for t, d in df_delta.items() if d])
        c.executemany("DELETE FROM kb_term WHERE term = ? AND df <= 0",
                      [(t,) for t, d in df_delta.items() if d < 0])
        n_docs, avgdl = self._stats(tokens)
        self.clear_cache()
        df = self.doc_freqs(t for _, old, new in docs for d in (old, new) if d
                            for t in d.freqs[FULL])
        # the changes to the lists: terms that have or need one (one may have to go when
        # its df went down), each article's old entry out and new one in
        touched = {t for t, d in df.items() if d > MID_DF} | {
            t for t, d in df_delta.items() if d < 0}
        changes: tuple[dict[str, list[Change]], dict[str, list[Change]]] = ({}, {})
        for rowid, old, new in docs:
            same_length = old is not None and new is not None and old.length == new.length
            for kind in (HEAD, FULL):
                was = old.freqs[kind] if old else {}
                now = new.freqs[kind] if new else {}
                for term in was.keys() | now.keys():
                    if term not in touched or (same_length and was.get(term) == now.get(term)):
                        continue
                    todo = changes[kind].setdefault(term, [])
                    if old is not None and term in was:
                        todo.append((-1, rowid, was[term], old.length))
                    if new is not None and term in now:
                        todo.append((+1, rowid, now[term], new.length))
        lists = self.top_lists(touched)
        build: tuple[set[str], set[str]] = (set(), set())
        for term in touched:
            want, lst = list_kind(df.get(term, 0)), lists.get(term)
            if want == HEAD and lst is not None and lst.kind == FULL:
                want = FULL  # hardly ever in a title or tag (until the next rebuild)
            if want is None:
                if lst is not None:
                    c.execute("DELETE FROM kb_top WHERE term=?", (term,))
            elif lst is None or lst.kind != want:
                build[want].add(term)
            else:
                updated = lst.updated(changes[want].get(term, []), avgdl,
                                      df[term] if want == FULL else None)
                if updated is lst:
                    continue
                if len(updated.rowids) < min(updated.n_hit, LIST_SIZE // 2):
                    build[want].add(term)  # lost too many entries: the next ones are unknown
                else:
                    self._store_list(term, updated)
        build[FULL].update(self._build_head(build[HEAD], n_docs, avgdl, df))
        self._build_full(build[FULL], n_docs, df)

    def _store_list(self, term: str, lst: TopList) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO kb_top(term, kind, n_hit, rowids, parts) "
            "VALUES(?, ?, ?, ?, ?)", (term, lst.kind, lst.n_hit, array("q", lst.rowids).tobytes(),
                                      array("d", lst.parts).tobytes()))

    def _build_full(self, terms: Iterable[str], n_docs: int, df: dict[str, int]) -> None:
        """FULL lists from FTS5: the best articles for ``"term"``."""
        for term in terms:
            weight = idf(n_docs, df[term])
            rows = self.conn.execute(
                "SELECT rowid, bm25(kb_fts, ?, ?, ?) AS s FROM kb_fts WHERE kb_fts MATCH ? "
                "ORDER BY s LIMIT ?", (bm25.TITLE_WEIGHT, bm25.TAGS_WEIGHT, bm25.BODY_WEIGHT,
                                       '"' + term + '"', LIST_SIZE)).fetchall()
            self._store_list(term, TopList(FULL, df[term], tuple(int(r) for r, _ in rows),
                                           tuple(-float(s) / weight for _, s in rows),
                                           LIST_SIZE))

    def _build_head(self, terms: set[str], n_docs: int, avgdl: float, df: dict[str, int]
                    ) -> set[str]:
        """HEAD lists from the articles having the terms in their title or tags; returns
        the terms that should have a FULL list instead (see :meth:`_store_heaps`)."""
        if not terms:
            return set()
        rowids: set[int] = set()
        for term in terms:
            rowids.update(int(r) for (r,) in self.conn.execute(
                "SELECT rowid FROM kb_fts WHERE kb_fts MATCH ?",
                ('{title tags} : "' + term + '"',)))
        ids = sorted(rowids)
        heaps: dict[str, list[tuple[float, int]]] = {t: [] for t in terms}
        n_hit: Counter[str] = Counter()
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            self._score(self._stored(f"a.rowid IN ({','.join('?' * len(chunk))})", chunk),
                        heaps, n_hit, avgdl)
        return self._store_heaps(heaps, n_hit, n_docs, df)

    @staticmethod
    def _score(articles: Iterable[tuple[int, dict[str, float], int]],
               heaps: dict[str, list[tuple[float, int]]], n_hit: Counter[str],
               avgdl: float) -> None:
        """Push each article (rowid, title/tag frequencies, length) into the heaps of its
        title/tag terms that have one."""
        k1, b, size = bm25.K1, bm25.B, LIST_SIZE
        for rowid, freqs, length in articles:
            norm = k1 * (1 - b + b * length / avgdl)
            for term, freq in freqs.items():
                heap = heaps.get(term)
                if heap is None:
                    continue
                n_hit[term] += 1
                item = (freq * (k1 + 1) / (freq + norm), rowid)
                if len(heap) < size:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)

    def _store_heaps(self, heaps: dict[str, list[tuple[float, int]]], n_hit: Counter[str],
                     n_docs: int, df: dict[str, int]) -> set[str]:
        """Store the HEAD lists, except of the terms in fewer than :data:`HEAD_MIN` titles
        and tags (but not in most articles): returned, they get a FULL list — titles and
        tags say nothing about them, so their body matches count instead."""
        full: set[str] = set()
        for term, heap in heaps.items():
            if n_hit[term] < HEAD_MIN and df[term] * 2 <= n_docs:
                full.add(term)
                continue
            best = sorted(heap, key=lambda x: (-x[0], x[1]))
            self._store_list(term, TopList(HEAD, n_hit[term], tuple(r for _, r in best),
                                           tuple(p for p, _ in best), LIST_SIZE))
        return full

    def _stored(self, where: str, params: Iterable[object] = (), skip: Container[int] = ()
                ) -> Iterator[tuple[int, dict[str, float], int]]:
        """(rowid, title/tag frequencies, length) of the indexed articles ``where`` says,
        re-tokenising their titles and tags."""
        for rowid, title, tags, size in self.conn.execute(
                "SELECT a.rowid, a.title, a.tags, d.sz FROM kb_article a JOIN kb_fts_docsize d "
                f"ON d.id = a.rowid WHERE {where}", tuple(params)):
            if rowid in skip:
                continue
            yield (int(rowid), weighted_freqs(
                (text.index_terms(str(title)), bm25.TITLE_WEIGHT),
                (text.index_terms(" ".join(json.loads(str(tags)))), bm25.TAGS_WEIGHT)),
                doc_length(bytes(size)))

    def rebuild(self) -> None:
        """Everything from the FTS5 index and the articles (inside a transaction)."""
        bulk = self._bulk or {}
        self._before, self._after, self._bulk = {}, {}, None
        c = self.conn
        c.execute("DELETE FROM kb_term")
        c.execute("INSERT INTO kb_term(term, df) SELECT term, doc FROM kb_vocab")
        c.execute("DELETE FROM kb_top")
        n_docs, avgdl = self._stats()
        df = {str(t): int(d) for t, d in c.execute("SELECT term, df FROM kb_term WHERE df > ?",
                                                   (MID_DF,))}
        heaps: dict[str, list[tuple[float, int]]] = {t: [] for t, d in df.items()
                                                      if list_kind(d) == HEAD}
        full = {t for t, d in df.items() if list_kind(d) == FULL}
        if heaps:
            n_hit: Counter[str] = Counter()
            known = [(r, weighted_freqs((v[0].split(), bm25.TITLE_WEIGHT),
                                        (v[1].split(), bm25.TAGS_WEIGHT)), v[2])
                     for r, v in bulk.items() if v is not None]
            self._score(known, heaps, n_hit, avgdl)
            if n_docs > len(known):  # articles indexed before this transaction
                self._score(self._stored("a.state = 'published'", skip=bulk), heaps,
                            n_hit, avgdl)
            full |= self._store_heaps(heaps, n_hit, n_docs, df)
        self._build_full(full, n_docs, df)
        c.executemany("INSERT INTO kb_meta(key, value) VALUES(?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                      [("termindex_version", str(INDEX_VERSION)), ("termindex_changes", "0")])
        c.execute("DELETE FROM kb_meta WHERE key='termindex_deletes'")
        self.clear_cache()
