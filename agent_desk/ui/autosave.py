"""Autosave for anything the agent types (email drafts, call notes, chat lines).

``Autosaver(store, key, getter)``: call ``touch()`` on every edit; at most every
``interval_ms`` (3 s by default) the text is read with ``getter()`` and written to the
``DraftStore`` under ``key``, so a crash loses at most the last few seconds. ``flush()``
writes now (on close), ``discard()`` forgets the draft (after it was sent). A getter that
returns an empty dict means "nothing worth keeping": the stored draft is deleted.
With ``store=None`` (drafts not kept for this session) every call is a no-op."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..client.drafts import DraftError, DraftStore

log = logging.getLogger("agent_desk.ui.autosave")


class Autosaver(QObject):
    """Signals:
        sig_saved(str): the draft was written (its key).
        sig_failed(str): it could not be written; the reason (not translated: for logs and
            tooltips; views show their own translated text).
    """

    sig_saved = Signal(str)
    sig_failed = Signal(str)

    def __init__(self, store: DraftStore | None, key: str, getter: Callable[[], dict[str, Any]],
                 interval_ms: int = 3000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.key = key
        self._getter = getter
        self._dirty = False
        self.saves = 0  # how many times the draft was written (tests, diagnostics)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def load(self) -> dict[str, Any] | None:
        """The kept draft, if any (to restore on open)."""
        return self.store.load(self.key) if self.store is not None else None

    @Slot()
    def touch(self) -> None:
        """Something changed: save within ``interval_ms`` (not on every keystroke)."""
        if self.store is None:
            return
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> bool:
        """Write now if anything changed. True when the draft is on disk (or was clean)."""
        self._timer.stop()
        if self.store is None or not self._dirty:
            return True
        try:
            data = self._getter()
            if data:
                self.store.save(self.key, data)
            else:
                self.store.delete(self.key)
        except (DraftError, TypeError, ValueError) as exc:
            log.warning("autosave of %s failed: %s", self.key, exc)
            self.sig_failed.emit(str(exc))
            self._timer.start()  # try again later; the text is still in the widget
            return False
        self._dirty = False
        self.saves += 1
        self.sig_saved.emit(self.key)
        return True

    @Slot()
    def discard(self) -> None:
        """Forget the draft (it was sent): stop the timer and delete what was kept."""
        self._timer.stop()
        self._dirty = False
        if self.store is None:
            return
        try:
            self.store.delete(self.key)
        except DraftError as exc:
            log.warning("could not delete draft %s: %s", self.key, exc)
