"""The local knowledge-base index: one SQLite file.

- ``kb_article``: the articles as received (title, body, tags, language, state, version,
  usage and "helped resolve" counts). Bodies are kept whole for previews and snippets.
- ``kb_fts``: a **contentless FTS5** table (title, tags, body) holding only the inverted
  index of the *published* articles, fed with pre-tokenised text from :mod:`.text` (CJK
  bigrams + unigrams, stemmed words) through the ``unicode61`` tokenizer, which splits it
  back exactly on the spaces. Contentless, because the text is already in ``kb_article``:
  storing the token strings again would double the file. Removing an article re-computes
  its token strings from ``kb_article`` (the analyser is deterministic; its version is kept
  in ``kb_meta`` and a store built by another version is re-indexed on open).
- ``kb_vocab``: an ``fts5vocab`` view of the index (term → number of articles); it counts
  by walking posting lists, so it is only read to rebuild ``kb_term``.
- ``kb_term``, ``kb_top`` (:mod:`.termindex`): each term's number of articles (typo
  correction, dropping query terms present in most articles, prefix completion), and the
  best articles of each common term with their BM25 scores, so that search need not walk
  long posting lists.
- ``kb_meta``: key/value (analyser and term-index versions, the sync cursor, …).

Writes go through :meth:`KBStore.transaction` (one ``BEGIN IMMEDIATE`` … ``COMMIT``; on
any exception, including ``KeyboardInterrupt``, everything since ``BEGIN`` is rolled back).
The term index is brought up to date just before the ``COMMIT``, in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bm25, termindex, text

SCHEMA_VERSION = 1
STATES = ("draft", "in_review", "published", "archived")
PUBLISHED = "published"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kb_article (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL,
    product TEXT,
    state TEXT NOT NULL DEFAULT 'published',
    version INTEGER NOT NULL DEFAULT 1,
    usage_count INTEGER NOT NULL DEFAULT 0,
    helped_count INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS kb_count (one INTEGER PRIMARY KEY CHECK (one = 1),
                                     published INTEGER NOT NULL);
INSERT INTO kb_count(one, published)
    SELECT 1, (SELECT COUNT(*) FROM kb_article WHERE state = 'published')
    WHERE NOT EXISTS (SELECT 1 FROM kb_count);
CREATE TRIGGER IF NOT EXISTS kb_count_ins AFTER INSERT ON kb_article
    WHEN new.state = 'published' BEGIN UPDATE kb_count SET published = published + 1; END;
CREATE TRIGGER IF NOT EXISTS kb_count_del AFTER DELETE ON kb_article
    WHEN old.state = 'published' BEGIN UPDATE kb_count SET published = published - 1; END;
CREATE TRIGGER IF NOT EXISTS kb_count_upd AFTER UPDATE OF state ON kb_article
    WHEN (old.state = 'published') <> (new.state = 'published') BEGIN
        UPDATE kb_count SET published = published
            + (new.state = 'published') - (old.state = 'published');
    END;
CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
    title, tags, body, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');
""" + termindex.SCHEMA


@dataclass
class Article:
    id: str
    title: str
    body: str
    language: str
    tags: list[str] = field(default_factory=list)
    product: str | None = None
    state: str = PUBLISHED
    version: int | None = None  # None: one more than the stored version (imports)
    usage_count: int = 0
    helped_count: int = 0


@dataclass(frozen=True)
class StoredArticle:
    rowid: int
    id: str
    title: str
    body: str
    tags: tuple[str, ...]
    language: str
    product: str | None
    state: str
    version: int
    usage_count: int
    helped_count: int


_COLUMNS = ("rowid, id, title, body, tags, language, product, state, version, usage_count, "
            "helped_count")


def _row_to_article(row: Sequence[Any]) -> StoredArticle:
    tags = json.loads(str(row[4]))
    return StoredArticle(int(row[0]), str(row[1]), str(row[2]), str(row[3]), tuple(tags),
                         str(row[5]), None if row[6] is None else str(row[6]), str(row[7]),
                         int(row[8]), int(row[9]), int(row[10]))


def fts_columns(title: str, tags: Sequence[str], body: str) -> tuple[str, str, str]:
    """The pre-tokenised (title, tags, body) an article is indexed as."""
    return text.index_text(title), text.index_text(" ".join(tags)), text.index_text(body)


class KBStoreError(Exception):
    pass


class KBStore:
    """One knowledge-base file. Not thread-safe: one store per thread."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise FileNotFoundError(f"no knowledge base at {self.path}")
        self.conn = sqlite3.connect(str(self.path), isolation_level=None,
                                    check_same_thread=False)
        self._in_tx = False
        self._count: int | None = None
        self._fts_top: dict[str, list[tuple[int, float]]] = {}
        self._data_version = -1
        self.terms = termindex.TermIndex(self.conn)
        try:
            if not create and self.conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name='kb_article'").fetchone() is None:
                raise sqlite3.DatabaseError("no knowledge-base tables")
            self._setup()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise KBStoreError(f"{self.path} is not a knowledge base: {exc}") from exc

    def _setup(self) -> None:
        c = self.conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        c.execute("PRAGMA cache_size=-32000")
        c.executescript(_SCHEMA)
        if self.meta("schema_version") is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        if self.meta("termindex_version") != str(termindex.INDEX_VERSION):
            self.terms.reset()
            with self.transaction():
                self.terms.rebuild_on_commit()
        if self.meta("analyzer_version") != str(text.ANALYZER_VERSION):
            self.reindex()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> KBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and metadata ----------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        if self._in_tx:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
            self.terms.flush()
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.terms.discard()
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_tx = False
            self._invalidate()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM kb_meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO kb_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO "
                          "UPDATE SET value=excluded.value", (key, value))

    # --- writing ----------------------------------------------------------------------------

    def _fts_insert(self, rowid: int, title: str, tags: Sequence[str], body: str) -> None:
        columns = fts_columns(title, tags, body)
        self.conn.execute("INSERT INTO kb_fts(rowid, title, tags, body) VALUES(?, ?, ?, ?)",
                          (rowid, *columns))
        self.terms.changed(+1, rowid, columns)

    def _fts_delete(self, rowid: int, title: str, tags: Sequence[str], body: str) -> None:
        columns = fts_columns(title, tags, body)
        self.conn.execute("INSERT INTO kb_fts(kb_fts, rowid, title, tags, body) "
                          "VALUES('delete', ?, ?, ?, ?)", (rowid, *columns))
        self.terms.changed(-1, rowid, columns)

    def upsert(self, article: Article) -> bool:
        """Insert or replace one article (by id). Returns False when the stored copy has a
        newer version (an out-of-order sync). Only published articles are indexed."""
        if article.state not in STATES:
            raise ValueError(f"unknown article state {article.state!r}")
        with self.transaction():
            old = self.get(article.id)
            if old is not None and article.version is not None and old.version > article.version:
                return False
            version = article.version if article.version is not None else (
                old.version + 1 if old is not None else 1)
            tags_json = json.dumps(list(article.tags), ensure_ascii=False)
            now = time.time()
            if old is None:
                cur = self.conn.execute(
                    "INSERT INTO kb_article(id, title, body, tags, language, product, state, "
                    "version, usage_count, helped_count, updated_at) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article.id, article.title, article.body, tags_json, article.language,
                     article.product, article.state, version, article.usage_count,
                     article.helped_count, now))
                rowid = int(cur.lastrowid or 0)
            else:
                rowid = old.rowid
                if old.state == PUBLISHED:
                    self._fts_delete(rowid, old.title, old.tags, old.body)
                self.conn.execute(
                    "UPDATE kb_article SET title=?, body=?, tags=?, language=?, product=?, "
                    "state=?, version=?, usage_count=MAX(usage_count, ?), "
                    "helped_count=MAX(helped_count, ?), updated_at=? WHERE rowid=?",
                    (article.title, article.body, tags_json, article.language, article.product,
                     article.state, version, article.usage_count, article.helped_count, now,
                     rowid))
            if article.state == PUBLISHED:
                self._fts_insert(rowid, article.title, article.tags, article.body)
        return True

    def delete(self, article_id: str) -> bool:
        with self.transaction():
            old = self.get(article_id)
            if old is None:
                return False
            if old.state == PUBLISHED:
                self._fts_delete(old.rowid, old.title, old.tags, old.body)
            self.terms.deleting()
            self.conn.execute("DELETE FROM kb_article WHERE rowid=?", (old.rowid,))
        return True

    def record_use(self, article_id: str, *, helped: bool = False) -> None:
        """An agent used (inserted, copied) the article; ``helped``: "this helped"."""
        with self.transaction():
            self.conn.execute("UPDATE kb_article SET usage_count=usage_count+1, "
                              "helped_count=helped_count+? WHERE id=?",
                              (1 if helped else 0, article_id))

    def reindex(self) -> None:
        """Rebuild the FTS index from ``kb_article`` (after an analyser change)."""
        with self.transaction():
            self.terms.rebuild_on_commit()
            self.conn.execute("INSERT INTO kb_fts(kb_fts) VALUES('delete-all')")
            rows = self.conn.execute("SELECT rowid, title, tags, body FROM kb_article "
                                     "WHERE state=?", (PUBLISHED,)).fetchall()
            for rowid, title, tags, body in rows:
                self._fts_insert(int(rowid), str(title), json.loads(str(tags)), str(body))
            self.set_meta("analyzer_version", str(text.ANALYZER_VERSION))

    def optimize(self) -> None:
        """Merge the index into one b-tree (after a bulk import: faster queries), and
        rebuild the term lists if articles changed one by one since they were built."""
        self.conn.execute("INSERT INTO kb_fts(kb_fts) VALUES('optimize')")
        if self.terms.stale():
            with self.transaction():
                self.terms.rebuild_on_commit()

    # --- reading ----------------------------------------------------------------------------

    def get(self, article_id: str) -> StoredArticle | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM kb_article WHERE id=?",
                                (article_id,)).fetchone()
        return None if row is None else _row_to_article(row)

    def by_rowids(self, rowids: Iterable[int], *, with_body: bool = True
                  ) -> dict[int, StoredArticle]:
        """Articles by rowid; ``with_body=False`` leaves ``body`` empty (ranking only needs
        the rest, and a body can be a megabyte)."""
        ids = list(rowids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cols = _COLUMNS if with_body else _COLUMNS.replace("body", "''")
        rows = self.conn.execute(f"SELECT {cols} FROM kb_article WHERE rowid IN ({marks})",
                                 ids).fetchall()
        return {int(r[0]): _row_to_article(r) for r in rows}

    def rank_info(self, rowids: Iterable[int]) -> dict[int, tuple[str, str, int, int]]:
        """rowid → (id, language, usage count, helped count): what ranking needs."""
        ids = list(rowids)
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT rowid, id, language, usage_count, helped_count FROM kb_article "
            f"WHERE rowid IN ({marks})", ids).fetchall()
        return {int(r): (str(i), str(lang), int(u), int(h)) for r, i, lang, u, h in rows}

    def bodies(self, rowids: Iterable[int]) -> dict[int, str]:
        ids = list(rowids)
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT rowid, body FROM kb_article WHERE rowid IN ({marks})",
                                 ids).fetchall()
        return {int(r[0]): str(r[1]) for r in rows}

    def count(self) -> int:
        """Number of published articles (a counter kept by triggers: O(1))."""
        self._check_cache()
        if self._count is None:
            self._count = int(self.conn.execute(
                "SELECT published FROM kb_count").fetchone()[0])
        return self._count

    def doc_freqs(self, terms: Iterable[str]) -> dict[str, int]:
        """Number of published articles containing each term (absent terms: left out)."""
        self._check_cache()
        return self.terms.doc_freqs(terms)

    def completions(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most common index terms starting with ``prefix``, with their
        document frequencies, most common first."""
        self._check_cache()
        return self.terms.completions(prefix, limit)

    def top_lists(self, terms: Iterable[str]) -> dict[str, termindex.TopList]:
        """The best articles of those of ``terms`` in more than
        :data:`~.termindex.DENSE_DF` articles (see :mod:`.termindex`)."""
        self._check_cache()
        return self.terms.top_lists(terms)

    def fts_top(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """(rowid, BM25 score) of the best ``limit`` articles for an FTS5 expression,
        cached until the file changes (for common phrases, whose posting lists are long)."""
        self._check_cache()
        key = f"{limit}\x00{expression}"
        hit = self._fts_top.get(key)
        if hit is None:
            hit = [(int(r), -float(s)) for r, s in self.conn.execute(
                "SELECT rowid, bm25(kb_fts, ?, ?, ?) AS s FROM kb_fts WHERE kb_fts MATCH ? "
                "ORDER BY s LIMIT ?", (bm25.TITLE_WEIGHT, bm25.TAGS_WEIGHT,
                                       bm25.BODY_WEIGHT, expression, limit))]
            if len(self._fts_top) > 1_000:
                self._fts_top = {}
            self._fts_top[key] = hit
        return hit

    def _check_cache(self) -> None:
        """Drop cached counts when another connection changed the file."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._data_version = version
            self._invalidate()

    def _invalidate(self) -> None:
        self._count = None
        self._fts_top = {}
        self.terms.clear_cache()
