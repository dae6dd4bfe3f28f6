"""Knowledge-base searches off the GUI thread.

``KbSearchWorker`` (a QObject on the GUI thread) owns a ``QThread`` in which a backend
opens its own :class:`~agent_desk.kb.store.KBStore` and
:class:`~agent_desk.kb.search.Searcher` (SQLite connections never cross threads; the
``agent_desk.kb`` modules are imported there, on first use, not at start-up). The thread
starts with the first request.

- ``request(query, lang, limit, prefix_last, lane=...)`` returns a token at once; the hits
  come back as ``sig_results(token, hits)``. Requests are **coalesced per lane**: a search
  still queued when a newer one of the same lane arrives is dropped (the latest query
  wins), so typing fast never builds a backlog. Several widgets share one worker, each with
  its own lane (the KB panel, each wrap-up article picker) and keep only their own tokens.
- ``article(id)`` fetches one article (body and the answer text to insert) for a preview:
  ``sig_article(token, ArticleText | None)``; latest wins per lane too.
- ``record_use(id, helped)`` counts a use / "this helped" in the local file
  (``KBStore.record_use``); every one is applied, in order: ``sig_recorded(id, helped)``.
- Failures never raise into the GUI: ``sig_error(token, message)`` (0 when not a search).
- ``sig_status(str)``: ``"ready"``, ``"empty"`` (no published article yet), ``"missing"``
  (no knowledge-base file yet: it is synced after sign-in) or ``"error"``.
- ``sig_changed()``: the file changed under us (a sync by another connection, or the file
  appeared or was replaced) — checked every :data:`POLL_MS` with ``PRAGMA data_version``;
  the widgets run their query again.
- ``stop()`` closes the store in its thread and joins it (the window's close).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

if TYPE_CHECKING:
    from ..kb.search import Searcher
    from ..kb.store import KBStore, StoredArticle

log = logging.getLogger("agent_desk.ui.kb_search_worker")

#: How often the worker looks whether another connection changed the file (ms).
POLL_MS = 2000
#: Longest wait for the thread to finish at ``stop()`` (ms).
STOP_WAIT_MS = 5000

READY, EMPTY, MISSING, ERROR = "ready", "empty", "missing", "error"
#: Threads that did not stop in time: kept referenced so they are never destroyed running.
_STUCK: list[tuple[QThread, QObject]] = []


@dataclass(frozen=True)
class ArticleText:
    """An article for the preview: the stored record and the answer text to insert (its
    Markdown as plain text, paragraphs and list items kept)."""

    article: StoredArticle
    answer: str


@dataclass(frozen=True)
class _Search:
    token: int
    query: str
    lang: str | None
    limit: int
    prefix_last: bool


_MD_ANSWER = [
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),                        # images
    (re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)"), r"\1 (\2)"),    # web links
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),                    # other links
    (re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+"), ""),                     # headings
    (re.compile(r"(?m)^[ \t]{0,3}>[ \t]?"), ""),                          # quotes
    (re.compile(r"(?m)^([ \t]*)[*+][ \t]+"), r"\1- "),                    # bullets
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),                    # strong
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),    # emphasis
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`+"), ""),                                              # code
    (re.compile(r"~~"), ""),
    (re.compile(r"[ \t]+\n"), "\n"),
    (re.compile(r"\n{3,}"), "\n\n"),
]


def answer_text(markdown: str) -> str:
    """An article body as the plain text an agent sends: Markdown marks removed, web links
    written out, paragraphs and list items kept (pure Python: any thread)."""
    out = markdown.replace("\r\n", "\n")
    for rx, repl in _MD_ANSWER:
        out = rx.sub(repl, out)
    return out.strip()


def has_kb_file(path: Path | None) -> bool:
    """A knowledge-base file is there (a stat: not yet known whether it is usable)."""
    try:
        return path is not None and os.stat(path).st_size > 0
    except OSError:
        return False


class _Inbox:
    """What the GUI thread asked for and the backend has not done yet (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.searches: dict[str, _Search] = {}
        self.articles: dict[str, tuple[int, str]] = {}
        self.uses: deque[tuple[str, bool]] = deque()
        self.dropped = 0  # searches replaced before they ran (coalesced)

    def take(self) -> tuple[str, Any] | None:
        with self.lock:
            if self.uses:
                return "use", self.uses.popleft()
            if self.articles:
                lane = next(iter(self.articles))
                return "article", self.articles.pop(lane)
            if self.searches:
                lane = next(iter(self.searches))
                return "search", self.searches.pop(lane)
        return None


class _Backend(QObject):
    """Lives in the worker thread: the store, the searcher and the poll timer."""

    sig_results = Signal(int, object)
    sig_article = Signal(int, object)
    sig_recorded = Signal(str, bool)
    sig_error = Signal(int, str)
    sig_status = Signal(str)
    sig_changed = Signal()

    def __init__(self, path: Path | None, inbox: _Inbox) -> None:
        super().__init__()
        self.path = path
        self.inbox = inbox
        self.store: KBStore | None = None
        self.searcher: Searcher | None = None
        self._identity: tuple[int, int] | None = None
        self._version = -1
        self._status = ""
        self._timer: QTimer | None = None
        self._had_file = False

    # ---- lifetime (in the thread) -----------------------------------------------------------

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self._had_file = self._file_identity() is not None

    @Slot()
    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._close()
        thread = QThread.currentThread()
        app = QCoreApplication.instance()
        if app is not None:  # back to the GUI thread, where Python drops it
            self.moveToThread(app.thread())
        thread.quit()

    # ---- the store --------------------------------------------------------------------------

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino) if st.st_size > 0 else None

    def _close(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # pragma: no cover - closing a broken connection
                log.debug("closing the knowledge base failed", exc_info=True)
        self.store = None
        self.searcher = None
        self._identity = None

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.sig_status.emit(status)

    def _open(self) -> KBStore | None:
        """The store, (re)opened when the file appeared or was replaced; None without one."""
        ident = self._file_identity()
        if self.store is not None and ident == self._identity:
            return self.store
        self._close()
        if ident is None or self.path is None:
            self._set_status(MISSING)
            return None
        from ..kb.search import Searcher
        from ..kb.store import KBStore, KBStoreError

        try:
            store = KBStore(self.path, create=False)
        except (FileNotFoundError, KBStoreError) as exc:
            log.info("no usable knowledge base yet: %s", exc)
            self._set_status(MISSING)
            return None
        self.store, self.searcher, self._identity = store, Searcher(store), ident
        self._version = self._data_version()
        return store

    def _data_version(self) -> int:
        if self.store is None:
            return -1
        return int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])

    # ---- work -------------------------------------------------------------------------------

    @Slot()
    def drain(self) -> None:
        """Do everything asked for so far (several wake-ups may find nothing left)."""
        while (job := self.inbox.take()) is not None:
            kind, what = job
            token = what[0] if kind == "article" else (
                what.token if kind == "search" else 0)
            try:
                if kind == "use":
                    self._record(*what)
                elif kind == "article":
                    self._article(*what)
                else:
                    self._search(what)
            except Exception as exc:
                log.exception("knowledge-base %s failed", kind)
                self._set_status(ERROR)
                self.sig_error.emit(token, str(exc) or type(exc).__name__)
                self._close()  # opened again by the next request

    def _search(self, s: _Search) -> None:
        store = self._open()
        if store is None or self.searcher is None:
            self.sig_results.emit(s.token, [])
            return
        hits = self.searcher.search(s.query, limit=s.limit, lang=s.lang,
                                    prefix_last=s.prefix_last) if s.query.strip() else []
        self._set_status(READY if store.count() else EMPTY)
        self.sig_results.emit(s.token, hits)

    def _article(self, token: int, article_id: str) -> None:
        store = self._open()
        art = store.get(article_id) if store is not None else None
        self.sig_article.emit(token, ArticleText(art, answer_text(art.body))
                              if art is not None else None)

    def _record(self, article_id: str, helped: bool) -> None:
        store = self._open()
        if store is None:
            return
        store.record_use(article_id, helped=helped)
        self._version = self._data_version()
        self.sig_recorded.emit(article_id, helped)

    @Slot()
    def poll(self) -> None:
        """Tell the widgets when the file changed (sync) or appeared/was replaced."""
        try:
            ident = self._file_identity()
            if self.store is None:
                if ident is not None and not self._had_file:
                    self._had_file = True
                    self.sig_changed.emit()
                self._had_file = ident is not None
                return
            if ident != self._identity:
                self._close()
                self._had_file = ident is not None
                self.sig_changed.emit()
                return
            version = self._data_version()
            if version != self._version:
                self._version = version
                self.sig_changed.emit()
        except Exception:
            log.debug("polling the knowledge base failed", exc_info=True)
            self._close()


class KbSearchWorker(QObject):
    """Signals:
        sig_results(int, list): the hits (``agent_desk.kb.search.Hit``) of a request.
        sig_article(int, object): an ``ArticleText`` (None when no such article).
        sig_recorded(str, bool): a use (helped or not) was counted in the local file.
        sig_error(int, str): a request failed (token; 0 when not a search).
        sig_status(str): ``ready``, ``empty``, ``missing`` or ``error``.
        sig_changed(): the knowledge base changed; run the query again.
    """

    sig_results = Signal(int, object)
    sig_article = Signal(int, object)
    sig_recorded = Signal(str, bool)
    sig_error = Signal(int, str)
    sig_status = Signal(str)
    sig_changed = Signal()
    _sig_wake = Signal()
    _sig_shutdown = Signal()

    def __init__(self, path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.status = ""
        self._inbox = _Inbox()
        self._token = 0
        self._thread: QThread | None = None
        self._backend: _Backend | None = None
        self._stopped = False
        self.sig_status.connect(self._remember_status)
        app = QCoreApplication.instance()
        if app is not None:  # never leave a running thread behind at exit
            app.aboutToQuit.connect(self.stop)

    # ---- requests ---------------------------------------------------------------------------

    def request(self, query: str, lang: str | None = None, limit: int = 10,
                prefix_last: bool = False, *, lane: str = "") -> int:
        """Search; the hits come as ``sig_results(token, hits)`` (a newer request of the
        same ``lane`` replaces this one if it has not started yet)."""
        token = self._next()
        with self._inbox.lock:
            if lane in self._inbox.searches:
                self._inbox.dropped += 1
            self._inbox.searches[lane] = _Search(token, query, lang or None, max(0, limit),
                                                 prefix_last)
        self._wake()
        return token

    def article(self, article_id: str, *, lane: str = "") -> int:
        """Fetch one article: ``sig_article(token, ArticleText | None)``."""
        token = self._next()
        with self._inbox.lock:
            self._inbox.articles[lane] = (token, article_id)
        self._wake()
        return token

    def check(self) -> None:
        """Start the thread if needed and report the file's state (``sig_status``); from
        then on a file that appears or changes is noticed (``sig_changed``)."""
        self.request("", lane="\0status")

    def record_use(self, article_id: str, helped: bool = False) -> None:
        """Count a use of the article (``helped``: "this helped") in the local file."""
        with self._inbox.lock:
            self._inbox.uses.append((article_id, helped))
        self._wake()

    @property
    def dropped(self) -> int:
        """Searches replaced by a newer one before they ran."""
        return self._inbox.dropped

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    # ---- the thread -------------------------------------------------------------------------

    def _next(self) -> int:
        self._token += 1
        return self._token

    def _wake(self) -> None:
        if self._stopped:
            return
        if self._thread is None:
            self._start()
        self._sig_wake.emit()

    def _start(self) -> None:
        thread = QThread()
        thread.setObjectName("kb-search")
        backend = _Backend(self.path, self._inbox)
        backend.moveToThread(thread)
        thread.started.connect(backend.start)
        self._sig_wake.connect(backend.drain)
        self._sig_shutdown.connect(backend.shutdown)
        backend.sig_results.connect(self.sig_results)
        backend.sig_article.connect(self.sig_article)
        backend.sig_recorded.connect(self.sig_recorded)
        backend.sig_error.connect(self.sig_error)
        backend.sig_status.connect(self.sig_status)
        backend.sig_changed.connect(self.sig_changed)
        self._thread, self._backend = thread, backend
        thread.start()

    @Slot(str)
    def _remember_status(self, status: str) -> None:
        self.status = status

    @Slot()
    def stop(self) -> None:
        """Close the store in its thread and wait for the thread to end (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        thread, backend = self._thread, self._backend
        self._thread = self._backend = None
        if thread is None or backend is None:
            return
        try:
            self._sig_shutdown.emit()
            if not thread.wait(STOP_WAIT_MS):
                log.warning("the knowledge-base thread did not stop in time")
                thread.quit()
                thread.wait(STOP_WAIT_MS)
        except RuntimeError:  # the Qt objects are already gone (interpreter exit)
            return
        if thread.isRunning():  # never destroy a running QThread (that aborts)
            _STUCK.append((thread, backend))
            return
        backend._close()  # the thread has ended: closing here is safe
