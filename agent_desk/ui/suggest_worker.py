"""Suggested replies computed off the GUI thread, and the ``#shortcut`` table.

``SuggestWorker`` is the GUI-side face of an engine that lives in its own ``QThread`` and
owns its own ``KBStore(path)`` (a connection of its own on the WAL file, which the sync
writes through another), ``TemplateStore`` and ``Suggester``:

- ``request(message, lang, limit=5)`` returns a token at once; ``sig_suggestions(token,
  list[Suggestion])`` follows. **Latest wins**: a request still queued when a newer one
  arrives is skipped without being computed, and a late answer to an older token is
  dropped, so a burst of customer messages costs one suggestion run, for the last one.
- Failures (the file cannot be opened, the suggester raises) arrive as ``sig_failed(token,
  text)``; nothing is raised into the GUI.
- ``record_use(article_id)`` counts an inserted article in the local file (a write, so it
  runs on the worker thread too).
- ``stop()`` closes the store on the worker thread and ends the thread (waits for it). It
  is also called when the application quits and when the worker object is destroyed, so a
  thread is never left running behind a deleted ``QThread``.

**The shortcut table** (``shortcut(name, lang)``): the ``#refund`` expansion must decide on
the key press whether Space/Tab is consumed, so it cannot wait for a thread. Instead of a
second SQLite connection on the GUI thread (opening a ``KBStore`` writes its schema and
can wait on the sync's write lock), the engine reads every active template that has a
shortcut (a few hundred at most) and sends the table to the GUI thread; the lookup is then
a dict access (microseconds, never blocks). The engine re-reads it when the file changes
(``PRAGMA data_version``, checked every :data:`WATCH_MS`, after each request and when the
bridge says a sync applied changes), so a template that arrives by sync works at once.

One worker per session and file: ``SuggestWorker.shared(ctx, user)`` (a child of the
bridge), used by the suggestions panel and by the composers' shortcut expanders alike; it
stops when the last of them is destroyed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from shiboken6 import isValid

from ..kb.template_store import Template, shortcut_key

if TYPE_CHECKING:
    from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.suggest_worker")

#: ``sig_failed``'s reason when there is no knowledge-base file yet (before the first sync).
MISSING = "missing"
#: Threads that did not stop in time: kept referenced so they are never destroyed running.
_STUCK: list[tuple[QThread, QObject]] = []
#: How often the engine checks whether the file changed (templates arrived by sync), ms.
WATCH_MS = 2000


@dataclass
class _Latest:
    """The newest token, shared with the engine (an int read is atomic under the GIL)."""

    token: int = 0


def _primary(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


class _Engine(QObject):
    """Lives in the worker thread; every slot runs there."""

    sig_done = Signal(int, object)
    sig_failed = Signal(int, str)
    sig_shortcuts = Signal(object)  # dict[str, list[Template]]

    def __init__(self, path: Path, latest: _Latest) -> None:
        super().__init__()
        self.path = path
        self.latest = latest
        self.store: Any = None
        self.templates: Any = None
        self.suggester: Any = None
        self._version = -1
        self._warned = ""
        self._timer: QTimer | None = None

    def _open(self) -> None:
        if self.suggester is not None:
            return
        from ..kb.store import KBStore
        from ..kb.suggest import Suggester
        from ..kb.template_store import TemplateStore

        store = KBStore(self.path, create=False)  # the sync creates it
        try:
            self.templates = TemplateStore(store)
            self.suggester = Suggester(store, self.templates)
        except BaseException:
            store.close()
            raise
        self.store = store

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_MS)
        self._timer.timeout.connect(self.watch)
        self._timer.start()
        self.watch()

    @Slot()
    def watch(self) -> None:
        """Re-read the shortcut table when another connection changed the file."""
        try:
            self._open()
            version = int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])
        except FileNotFoundError:
            return  # not synced yet: looked for again at the next tick
        except Exception as exc:
            self._warn(f"knowledge base {self.path} not readable: {exc}")
            return
        if version == self._version:
            return
        try:
            table: dict[str, list[Template]] = {}
            for t in self.templates.templates():
                key = shortcut_key(t.shortcut)
                if key is not None:
                    table.setdefault(key, []).append(t)
        except Exception as exc:
            self._warn(f"shortcuts of {self.path} not readable: {exc}")
            return
        self._version = version
        self.sig_shortcuts.emit(table)

    def _warn(self, text: str) -> None:
        if text != self._warned:  # not every two seconds
            self._warned = text
            log.warning("%s", text)

    @Slot(int, str, str, int, str)
    def suggest(self, token: int, message: str, lang: str, limit: int, context: str) -> None:
        if token != self.latest.token:
            return  # a newer request is queued behind this one
        try:
            self._open()
            found = self.suggester.suggest(message, lang=lang or None, limit=limit,
                                           context=context)
        except FileNotFoundError:
            self.sig_failed.emit(token, MISSING)
            return
        except Exception as exc:
            log.warning("suggestions failed: %s", exc)
            self.sig_failed.emit(token, str(exc))
            return
        self.sig_done.emit(token, found)
        self.watch()

    @Slot(str, bool)
    def record_use(self, article_id: str, helped: bool) -> None:
        try:
            self._open()
            self.store.record_use(article_id, helped=helped)
        except Exception as exc:
            log.warning("article use not recorded: %s", exc)

    @Slot()
    def finish(self) -> None:
        """Close the store and end the thread (queued after any request in progress)."""
        if self._timer is not None:
            self._timer.stop()
        try:
            if self.store is not None:
                self.store.close()
        finally:
            self.store = self.templates = self.suggester = None
            self.thread().quit()


class SuggestWorker(QObject):
    """Signals:
        sig_suggestions(int, list): the suggestions (``kb.suggest.Suggestion``) for the
            request with this token (only the latest request's answer is delivered).
        sig_failed(int, str): the request with this token failed: ``MISSING`` (no
            knowledge-base file yet) or a technical reason.
        sig_shortcuts_changed(): the shortcut table was (re)loaded.
    """

    sig_suggestions = Signal(int, list)
    sig_failed = Signal(int, str)
    sig_shortcuts_changed = Signal()
    _sig_suggest = Signal(int, str, str, int, str)
    _sig_record = Signal(str, bool)
    _sig_watch = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._latest = _Latest()
        self._shortcuts: dict[str, list[Template]] = {}
        self.shortcuts_loaded = False
        self.stopped = False
        self._users = 0
        self._thread = QThread()
        self._thread.setObjectName("kb-suggest")
        self._engine = _Engine(self.path, self._latest)
        self._engine.moveToThread(self._thread)
        self._thread.started.connect(self._engine.start)
        self._thread.finished.connect(self._engine.deleteLater)
        self._sig_suggest.connect(self._engine.suggest)
        self._sig_record.connect(self._engine.record_use)
        self._sig_watch.connect(self._engine.watch)
        self._engine.sig_done.connect(self._done)
        self._engine.sig_failed.connect(self._failed)
        self._engine.sig_shortcuts.connect(self._got_shortcuts)
        thread, engine = self._thread, self._engine
        self.destroyed.connect(lambda *_: _finish(thread, engine))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        self._thread.start()

    @classmethod
    def shared(cls, ctx: ViewContext, user: QObject) -> SuggestWorker | None:
        """The session's worker for ``ctx.kb_path`` (None without one), used by ``user``:
        it stops when its last user is destroyed (the window closes). A worker for
        another file (another account) is stopped."""
        if ctx.kb_path is None:
            return None
        path = Path(ctx.kb_path)
        found = None
        for w in ctx.bridge.findChildren(SuggestWorker):
            if w.path == path and not w.stopped:
                found = w
            else:
                w.stop()
        worker = found
        if worker is None:
            worker = cls(path, ctx.bridge)
            ctx.bridge.sig_kb_changed.connect(worker.refresh)  # a sync applied changes
        worker._users += 1
        user.destroyed.connect(worker._user_gone)
        return worker

    @Slot()
    def _user_gone(self) -> None:
        self._users -= 1
        if self._users <= 0:
            self.stop()
            self.deleteLater()

    # ---- requests ----------------------------------------------------------------------------

    def request(self, message: str, lang: str | None, limit: int = 5, *,
                context: str = "") -> int:
        """Ask for suggestions for ``message`` (a customer's message or call notes); the
        answer comes as ``sig_suggestions(token, ...)``. Returns the token."""
        self._latest.token += 1
        token = self._latest.token
        if not self.stopped:
            self._sig_suggest.emit(token, message, lang or "", int(limit), context)
        return token

    @Slot()
    def refresh(self) -> None:
        """Re-read the shortcut table now (the sync changed the file)."""
        if not self.stopped:
            self._sig_watch.emit()

    def cancel(self) -> None:
        """Forget the pending request (its answer will not be delivered)."""
        self._latest.token += 1

    def record_use(self, article_id: str, *, helped: bool = False) -> None:
        if not self.stopped:
            self._sig_record.emit(article_id, helped)

    def shortcut(self, name: str, language: str | None = None) -> Template | None:
        """The active template with shortcut ``name`` (``#`` optional, any case): the one
        in ``language`` (exact tag, then primary subtag) if there is one, else the first."""
        found = self._shortcuts.get(shortcut_key(name) or "")
        if not found:
            return None
        if language:
            tag = language.replace("_", "-").lower()
            for t in found:
                if t.language.replace("_", "-").lower() == tag:
                    return t
            for t in found:
                if _primary(t.language) == _primary(language):
                    return t
        return found[0]

    # ---- answers -----------------------------------------------------------------------------

    @Slot(int, object)
    def _done(self, token: int, found: object) -> None:
        if token == self._latest.token and isinstance(found, list):
            self.sig_suggestions.emit(token, found)

    @Slot(int, str)
    def _failed(self, token: int, why: str) -> None:
        if token == self._latest.token:
            self.sig_failed.emit(token, why)

    @Slot(object)
    def _got_shortcuts(self, table: object) -> None:
        if isinstance(table, dict):
            self._shortcuts = {str(k): list(v) for k, v in table.items()}
            for ts in self._shortcuts.values():
                ts.sort(key=lambda t: t.id)
            self.shortcuts_loaded = True
            self.sig_shortcuts_changed.emit()

    # ---- the end -----------------------------------------------------------------------------

    @Slot()
    def stop(self) -> None:
        """Close the store on the worker thread and end the thread (idempotent)."""
        if self.stopped:
            return
        self.stopped = True
        self._latest.token += 1
        _finish(self._thread, self._engine)


def _finish(thread: QThread, engine: _Engine) -> None:
    """Have the engine close its store and quit its thread (after the request it may be
    computing), and wait for that."""
    if not isValid(thread) or not thread.isRunning():
        return
    if isValid(engine):
        QMetaObject.invokeMethod(engine, "finish", Qt.ConnectionType.QueuedConnection)
    else:
        thread.quit()
    if not thread.wait(10_000):
        log.error("the suggestion thread did not stop")
        _STUCK.append((thread, engine))
