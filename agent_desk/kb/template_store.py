"""Reply templates and the team's successful replies, in the knowledge-base file.

Both live in the same SQLite file as the articles (:class:`~.store.KBStore`), on its
connection and inside its :meth:`~.store.KBStore.transaction`, each with a **contentless
FTS5** index fed with the :mod:`.text` analyser's pre-tokenised text, exactly like the
articles (see ``store.py``: removing a row re-computes its token strings from the row):

- ``kb_template`` (id, title, body with ``{variables}``, language, tags, shortcut,
  refusal, version, active) and ``kb_template_fts`` (title, tags, body). Only *active*
  templates are indexed; an inactive one is kept (its version still guards against an
  older copy arriving later) but is never found. ``shortcut_key`` is the shortcut without
  ``#``, case-folded, for the composer's ``#refund`` expansion.
- ``kb_reply`` (id, customer_text, reply_text, language, channel, score) and
  ``kb_reply_fts`` (customer, reply): the customer's message is what a new message will
  resemble, so it is the main column; the reply is indexed too, weighted lower by the
  suggester. Only the first :data:`MAX_INDEXED_CHARS` characters of each are indexed.

Both FTS tables have an ``fts5vocab`` view (term → rows) so the suggester can skip terms
found in most rows. The analyser version the tables were indexed with is kept in
``kb_meta`` (``template_analyzer_version``); another version re-indexes them on open.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import text
from .store import KBStore

MAX_INDEXED_CHARS = 20_000
META_ANALYZER = "template_analyzer_version"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS kb_template (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        language TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        shortcut TEXT,
        shortcut_key TEXT,
        refusal INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS kb_template_shortcut ON kb_template(shortcut_key)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS kb_template_fts USING fts5(
        title, tags, body, content='', tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_template_vocab USING fts5vocab(kb_template_fts, "
    "'row')",
    """CREATE TABLE IF NOT EXISTS kb_reply (
        id INTEGER PRIMARY KEY,
        customer_text TEXT NOT NULL,
        reply_text TEXT NOT NULL,
        language TEXT NOT NULL,
        channel TEXT NOT NULL DEFAULT 'chat',
        score REAL NOT NULL DEFAULT 1.0,
        updated_at REAL NOT NULL)""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS kb_reply_fts USING fts5(
        customer, reply, content='', tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_reply_vocab USING fts5vocab(kb_reply_fts, 'row')",
)


@dataclass
class Template:
    id: str
    title: str
    body: str
    language: str
    tags: list[str] = field(default_factory=list)
    shortcut: str | None = None
    refusal: bool = False
    version: int = 1
    active: bool = True


@dataclass
class ReplyExample:
    """A reply the team sent that worked (``reply_text`` already anonymised: variables)."""

    id: int
    customer_text: str
    reply_text: str
    language: str
    channel: str = "chat"
    score: float = 1.0


def shortcut_key(shortcut: str | None) -> str | None:
    """``#Refund`` → ``refund``; blank → None."""
    if shortcut is None:
        return None
    key = shortcut.strip().lstrip("#").strip().casefold()
    return key or None


def template_fts_columns(t: Template) -> tuple[str, str, str]:
    return (text.index_text(t.title[:MAX_INDEXED_CHARS]),
            text.index_text(" ".join(t.tags)),
            text.index_text(t.body[:MAX_INDEXED_CHARS]))


def reply_fts_columns(r: ReplyExample) -> tuple[str, str]:
    return (text.index_text(r.customer_text[:MAX_INDEXED_CHARS]),
            text.index_text(r.reply_text[:MAX_INDEXED_CHARS]))


_T_COLUMNS = "rowid, id, title, body, language, tags, shortcut, refusal, version, active"
_R_COLUMNS = "id, customer_text, reply_text, language, channel, score"


def _row_to_template(row: Sequence[Any]) -> Template:
    return Template(id=str(row[1]), title=str(row[2]), body=str(row[3]), language=str(row[4]),
                    tags=[str(t) for t in json.loads(str(row[5]))],
                    shortcut=None if row[6] is None else str(row[6]), refusal=bool(row[7]),
                    version=int(row[8]), active=bool(row[9]))


def _row_to_reply(row: Sequence[Any]) -> ReplyExample:
    return ReplyExample(id=int(row[0]), customer_text=str(row[1]), reply_text=str(row[2]),
                        language=str(row[3]), channel=str(row[4]), score=float(row[5]))


def _primary(language: str | None) -> str | None:
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].lower() or None


class TemplateStore:
    """Templates and reply examples of one :class:`KBStore` (same thread as the store)."""

    def __init__(self, store: KBStore) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        self._counts: dict[str, int] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._data_version = -1
        self._generation = 0
        exists = self.conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('kb_template', 'kb_reply_vocab')"
        ).fetchone()[0] == 2
        if not exists:
            with store.transaction():
                for statement in _SCHEMA:
                    self.conn.execute(statement)
        if store.meta(META_ANALYZER) != str(text.ANALYZER_VERSION):
            self.reindex()

    # --- templates --------------------------------------------------------------------------

    def _template_row(self, template_id: str) -> tuple[int, Template] | None:
        row = self.conn.execute(f"SELECT {_T_COLUMNS} FROM kb_template WHERE id=?",
                                (template_id,)).fetchone()
        return None if row is None else (int(row[0]), _row_to_template(row))

    def _t_fts(self, op: str, rowid: int, t: Template) -> None:
        if op == "insert":
            self.conn.execute("INSERT INTO kb_template_fts(rowid, title, tags, body) "
                              "VALUES(?, ?, ?, ?)", (rowid, *template_fts_columns(t)))
        else:
            self.conn.execute("INSERT INTO kb_template_fts(kb_template_fts, rowid, title, "
                              "tags, body) VALUES('delete', ?, ?, ?, ?)",
                              (rowid, *template_fts_columns(t)))

    def upsert_template(self, t: Template) -> bool:
        """Insert or replace a template (by id). Returns False (and changes nothing) when
        the stored copy has a newer version. ``active=False`` keeps the row but removes it
        from the index (never suggested, no shortcut)."""
        tags_json = json.dumps([str(x) for x in t.tags], ensure_ascii=False)
        with self.store.transaction():
            old = self._template_row(t.id)
            if old is not None and old[1].version > t.version:
                return False
            values = (t.title, t.body, t.language, tags_json, t.shortcut,
                      shortcut_key(t.shortcut), int(t.refusal), t.version, int(t.active),
                      time.time())
            if old is None:
                cur = self.conn.execute(
                    "INSERT INTO kb_template(title, body, language, tags, shortcut, "
                    "shortcut_key, refusal, version, active, updated_at, id) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, t.id))
                rowid = int(cur.lastrowid or 0)
            else:
                rowid = old[0]
                if old[1].active:
                    self._t_fts("delete", rowid, old[1])
                self.conn.execute(
                    "UPDATE kb_template SET title=?, body=?, language=?, tags=?, shortcut=?, "
                    "shortcut_key=?, refusal=?, version=?, active=?, updated_at=? "
                    "WHERE rowid=?", (*values, rowid))
            if t.active:
                self._t_fts("insert", rowid, t)
            self._invalidate()
        return True

    def remove_template(self, template_id: str) -> bool:
        with self.store.transaction():
            old = self._template_row(template_id)
            if old is None:
                return False
            if old[1].active:
                self._t_fts("delete", old[0], old[1])
            self.conn.execute("DELETE FROM kb_template WHERE rowid=?", (old[0],))
            self._invalidate()
        return True

    def template(self, template_id: str) -> Template | None:
        """The template with this id, active or not."""
        found = self._template_row(template_id)
        return None if found is None else found[1]

    def templates(self, language: str | None = None, *, include_inactive: bool = False
                  ) -> list[Template]:
        """Templates (active only unless asked), optionally of one language (primary
        subtag: ``zh`` matches ``zh-CN``), sorted by title."""
        rows = self.conn.execute(
            f"SELECT {_T_COLUMNS} FROM kb_template"
            + ("" if include_inactive else " WHERE active=1")
            + " ORDER BY title, id").fetchall()
        out = [_row_to_template(r) for r in rows]
        want = _primary(language)
        return out if want is None else [t for t in out if _primary(t.language) == want]

    def templates_by_rowid(self, rowids: Sequence[int]) -> dict[int, Template]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self.conn.execute(f"SELECT {_T_COLUMNS} FROM kb_template WHERE rowid IN "
                                 f"({marks})", list(rowids)).fetchall()
        return {int(r[0]): _row_to_template(r) for r in rows}

    def by_shortcut(self, shortcut: str, language: str | None = None) -> Template | None:
        """The active template with this shortcut (``#`` optional, case-insensitive): one in
        ``language`` (exact tag first, then primary subtag) if there is one, else any."""
        key = shortcut_key(shortcut)
        if key is None:
            return None
        rows = self.conn.execute(f"SELECT {_T_COLUMNS} FROM kb_template WHERE shortcut_key=? "
                                 "AND active=1 ORDER BY id", (key,)).fetchall()
        found = [_row_to_template(r) for r in rows]
        if not found:
            return None
        if language:
            for t in found:
                if t.language.replace("_", "-").lower() == language.replace("_", "-").lower():
                    return t
            for t in found:
                if _primary(t.language) == _primary(language):
                    return t
        return found[0]

    # --- reply examples ---------------------------------------------------------------------

    def _reply_row(self, reply_id: int) -> ReplyExample | None:
        row = self.conn.execute(f"SELECT {_R_COLUMNS} FROM kb_reply WHERE id=?",
                                (reply_id,)).fetchone()
        return None if row is None else _row_to_reply(row)

    def upsert_reply(self, r: ReplyExample) -> None:
        with self.store.transaction():
            old = self._reply_row(r.id)
            if old is not None:
                self.conn.execute("INSERT INTO kb_reply_fts(kb_reply_fts, rowid, customer, "
                                  "reply) VALUES('delete', ?, ?, ?)",
                                  (old.id, *reply_fts_columns(old)))
            self.conn.execute(
                "INSERT INTO kb_reply(id, customer_text, reply_text, language, channel, score, "
                "updated_at) VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "customer_text=excluded.customer_text, reply_text=excluded.reply_text, "
                "language=excluded.language, channel=excluded.channel, score=excluded.score, "
                "updated_at=excluded.updated_at",
                (r.id, r.customer_text, r.reply_text, r.language, r.channel, float(r.score),
                 time.time()))
            self.conn.execute("INSERT INTO kb_reply_fts(rowid, customer, reply) "
                              "VALUES(?, ?, ?)", (r.id, *reply_fts_columns(r)))
            self._invalidate()

    def remove_reply(self, reply_id: int) -> bool:
        with self.store.transaction():
            old = self._reply_row(reply_id)
            if old is None:
                return False
            self.conn.execute("INSERT INTO kb_reply_fts(kb_reply_fts, rowid, customer, reply) "
                              "VALUES('delete', ?, ?, ?)", (old.id, *reply_fts_columns(old)))
            self.conn.execute("DELETE FROM kb_reply WHERE id=?", (reply_id,))
            self._invalidate()
        return True

    def reply(self, reply_id: int) -> ReplyExample | None:
        return self._reply_row(reply_id)

    def replies_by_id(self, ids: Sequence[int]) -> dict[int, ReplyExample]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT {_R_COLUMNS} FROM kb_reply WHERE id IN ({marks})",
                                 list(ids)).fetchall()
        return {int(r[0]): _row_to_reply(r) for r in rows}

    # --- index maintenance and statistics ---------------------------------------------------

    def reindex(self) -> None:
        """Rebuild both FTS indexes from the rows (after an analyser change)."""
        with self.store.transaction():
            self.conn.execute("INSERT INTO kb_template_fts(kb_template_fts) VALUES('delete-all')")
            for row in self.conn.execute(f"SELECT {_T_COLUMNS} FROM kb_template "
                                         "WHERE active=1").fetchall():
                self._t_fts("insert", int(row[0]), _row_to_template(row))
            self.conn.execute("INSERT INTO kb_reply_fts(kb_reply_fts) VALUES('delete-all')")
            for row in self.conn.execute(f"SELECT {_R_COLUMNS} FROM kb_reply").fetchall():
                r = _row_to_reply(row)
                self.conn.execute("INSERT INTO kb_reply_fts(rowid, customer, reply) "
                                  "VALUES(?, ?, ?)", (r.id, *reply_fts_columns(r)))
            self.store.set_meta(META_ANALYZER, str(text.ANALYZER_VERSION))
            self._invalidate()

    def clear(self) -> None:
        """Remove every template and reply (a full re-sync)."""
        with self.store.transaction():
            self.conn.execute("DELETE FROM kb_template")
            self.conn.execute("INSERT INTO kb_template_fts(kb_template_fts) VALUES('delete-all')")
            self.conn.execute("DELETE FROM kb_reply")
            self.conn.execute("INSERT INTO kb_reply_fts(kb_reply_fts) VALUES('delete-all')")
            self._invalidate()

    def count(self, table: str) -> int:
        """Indexed rows: ``"template"`` (active templates) or ``"reply"``."""
        self._check_cache()
        if table not in self._counts:
            sql = ("SELECT COUNT(*) FROM kb_template WHERE active=1" if table == "template"
                   else "SELECT COUNT(*) FROM kb_reply")
            self._counts[table] = int(self.conn.execute(sql).fetchone()[0])
        return self._counts[table]

    def doc_freqs(self, table: str, terms: Sequence[str]) -> dict[str, int]:
        """Rows of ``table`` (``"template"`` or ``"reply"``) containing each term (absent
        terms left out). Cached until the file changes."""
        self._check_cache()
        vocab = "kb_template_vocab" if table == "template" else "kb_reply_vocab"
        wanted = list({t for t in terms if (table, t) not in self._df})
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for t in chunk:
                self._df[(table, t)] = 0
            marks = ",".join("?" * len(chunk))
            for term, doc in self.conn.execute(
                    f"SELECT term, doc FROM {vocab} WHERE term IN ({marks})", chunk):
                self._df[(table, str(term))] = int(doc)
        if len(self._df) > 100_000:
            self._df = {}
            return self.doc_freqs(table, terms)
        return {t: self._df[(table, t)] for t in terms if self._df.get((table, t))}

    def generation(self) -> int:
        """A number that changes whenever the file may have changed (a write through this
        store, or any commit by another connection): for caches built on these tables."""
        self._check_cache()
        return self._generation

    def _check_cache(self) -> None:
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._data_version = version
            self._invalidate()

    def _invalidate(self) -> None:
        self._generation += 1
        self._counts = {}
        self._df = {}
