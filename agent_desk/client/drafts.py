"""Local drafts: what the agent is writing (email replies, call notes, chat lines), kept in a
small SQLite file per account so it survives a crash or a restart.

Each draft is a JSON object under a string key such as ``"42:email"`` (interaction 42's
email composer) or ``"signature"``. Every ``save`` is one committed transaction (journal in
WAL mode, ``synchronous=FULL``): after it returns the draft is on disk, and a crash in the
middle of a write leaves the previous version. A row that cannot be read (a damaged file,
a hand edit) is reported as missing, never as an exception in the composer.

No Qt here; the calls are short and synchronous (a few hundred microseconds), so widgets may
call them directly. ``ui.autosave.Autosaver`` calls ``save`` every few seconds while typing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("agent_desk.client.drafts")

#: Largest draft kept (JSON characters): a little over the protocol's body limit twice
#: (plain text and HTML), so a maximal email fits and a runaway one cannot fill the disk.
MAX_DRAFT_CHARS = 1_000_000
MAX_KEY_CHARS = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    saved_at REAL NOT NULL
)
"""


class DraftError(Exception):
    """A draft could not be written (disk full, read-only folder, too large...)."""


class DraftStore:
    """Drafts of one account in the SQLite file ``path`` (created with its folder)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self._lock = threading.Lock()
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path) if self.path else ":memory:",
                                       check_same_thread=False, isolation_level=None)
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise DraftError(f"cannot open the drafts file {path}: {exc}") from exc

    @staticmethod
    def _check_key(key: str) -> None:
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_CHARS:
            raise ValueError(f"a draft key is 1-{MAX_KEY_CHARS} characters, got {key!r}")

    def save(self, key: str, data: dict[str, Any]) -> None:
        """Keep ``data`` (JSON-able) under ``key``, replacing what was there, atomically."""
        self._check_key(key)
        if not isinstance(data, dict):
            raise TypeError(f"a draft is a dict, got {type(data).__name__}")
        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise DraftError(f"draft {key!r} cannot be stored: {exc}") from exc
        if len(text) > MAX_DRAFT_CHARS:
            raise DraftError(f"draft {key!r} is too large to keep ({len(text):,} characters; "
                             f"at most {MAX_DRAFT_CHARS:,})")
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO drafts (key, data, saved_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET data = excluded.data, "
                    "saved_at = excluded.saved_at", (key, text, time.time()))
            except sqlite3.Error as exc:
                raise DraftError(f"cannot save draft {key!r}: {exc}") from exc

    def load(self, key: str) -> dict[str, Any] | None:
        """The draft under ``key``, or None (none kept, or unreadable: logged)."""
        self._check_key(key)
        with self._lock:
            try:
                row = self._db.execute("SELECT data FROM drafts WHERE key = ?",
                                       (key,)).fetchone()
            except sqlite3.Error as exc:
                log.warning("cannot read draft %r: %s", key, exc)
                return None
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except (TypeError, ValueError) as exc:
            log.warning("draft %r is damaged and was ignored: %s", key, exc)
            return None
        if not isinstance(data, dict):
            log.warning("draft %r is not an object and was ignored", key)
            return None
        return data

    def saved_at(self, key: str) -> float | None:
        """When the draft under ``key`` was last saved (epoch seconds), or None."""
        self._check_key(key)
        with self._lock:
            row = self._db.execute("SELECT saved_at FROM drafts WHERE key = ?",
                                   (key,)).fetchone()
        return float(row[0]) if row is not None else None

    def delete(self, key: str) -> None:
        """Forget the draft under ``key`` (nothing happens when there is none)."""
        self._check_key(key)
        with self._lock:
            try:
                self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))
            except sqlite3.Error as exc:
                raise DraftError(f"cannot delete draft {key!r}: {exc}") from exc

    def keys(self) -> list[str]:
        """Every kept key, oldest saved first."""
        with self._lock:
            rows = self._db.execute("SELECT key FROM drafts ORDER BY saved_at, key").fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
