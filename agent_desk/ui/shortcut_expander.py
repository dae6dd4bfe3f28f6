"""``#refund`` + Space (or Tab) in a reply composer expands the reply template with that
shortcut, and inserting reply text at the cursor (suggestions, the KB panel).

- ``ShortcutExpander``: an event filter on a composer's text edit. On Space or Tab (no
  Ctrl/Alt/Meta), ``kb.templates.shortcut_at`` looks for ``#name`` right before the
  cursor; the template is looked up in the session's shortcut table
  (``SuggestWorker.shortcut``: a dict, nothing blocks the key press), the customer's
  language preferred, and its variables filled (``ReplyValues``). The shortcut is replaced
  in **one edit block**, so Ctrl+Z brings ``#refund`` back. An unknown shortcut does
  nothing: the Space is typed, Tab moves the focus as usual.
- ``insert_text``: insert at the cursor as one edit block, select the first ``{variable}``
  left in what was inserted (the agent types over it) and focus the edit.
- ``ReplyAids``: what the chat composer and the email body get: the expander, the
  ``ReplyHint`` line, the template problems flagged in it, ``insert`` for suggestions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ..kb.templates import KNOWN_VARIABLES, canonical, fill, shortcut_at
from ..protocol import views as v
from .reply_hint import ReplyHint
from .reply_values import ReplyValues, placeholders
from .suggest_worker import SuggestWorker
from .tasks import TaskSet
from .view_context import ViewContext

Edit = QPlainTextEdit | QTextEdit
_BLOCKING_MODS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                  | Qt.KeyboardModifier.MetaModifier)


def insert_text(edit: Edit, text: str) -> list[tuple[str, str]]:
    """Insert ``text`` at the cursor (replacing a selection) as one undo step, select the
    first ``{variable}`` left in it and focus ``edit``. Returns the variables left:
    ``(name, "unknown" | "missing")``."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    start = cursor.selectionStart()
    cursor.insertText(text)
    cursor.endEditBlock()
    left = placeholders(text)
    if left:
        first_start, first_end, _ = left[0]
        cursor.setPosition(start + first_start)
        cursor.setPosition(start + first_end, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()
    edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return [(name, "missing" if canonical(name) in KNOWN_VARIABLES else "unknown")
            for _s, _e, name in left]


class ShortcutExpander(QObject):
    """Signals:
        sig_expanded(str, list): a template (id) was expanded; the variables it left
            (``(name, "unknown" | "missing")``).
    """

    sig_expanded = Signal(str, list)

    def __init__(self, edit: Edit, lookup: Callable[[str, str | None], object | None],
                 values: Callable[[], dict[str, str]], language: Callable[[], str | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else edit)
        self.edit = edit
        self._lookup = lookup
        self._values = values
        self._language = language
        edit.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.edit and isinstance(event, QKeyEvent) and (
                event.type() == QEvent.Type.KeyPress):
            if (event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Tab)
                    and not event.modifiers() & _BLOCKING_MODS
                    and not self.edit.isReadOnly() and self.expand()):
                return True
        return super().eventFilter(obj, event)

    def expand(self) -> bool:
        """Expand the ``#shortcut`` ending at the cursor; False when there is none."""
        cursor = self.edit.textCursor()
        if cursor.hasSelection():
            return False
        block = cursor.block()
        found = shortcut_at(block.text(), cursor.positionInBlock())
        if found is None:
            return False
        start, end, name = found
        template = self._lookup(name, self._language())
        if template is None:
            return False
        filled = fill(str(getattr(template, "body", "")), self._values())
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cursor)
        left = insert_text(self.edit, filled.text)
        self.sig_expanded.emit(str(getattr(template, "id", "")), left)
        return True


class ReplyAids(QObject):
    """The ``#shortcut`` expander and the hint line of one reply composer.

    ``interaction`` gives the view's current interaction (values, the customer's
    language); ``active`` says whether the text is a reply to the customer (not an
    internal note), for the hint."""

    def __init__(self, ctx: ViewContext, edit: Edit,
                 interaction: Callable[[], v.InteractionView], parent: QWidget, *,
                 active: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.edit = edit
        self._interaction = interaction
        self.values = ReplyValues.of(ctx)
        self.worker = SuggestWorker.shared(ctx, self)
        self._tasks = TaskSet("reply values", level=logging.INFO)
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())
        self.hint = ReplyHint(edit, self.language, parent, active=active)
        self.expander: ShortcutExpander | None = None
        if self.worker is not None:
            self.expander = ShortcutExpander(edit, self._lookup, self.current_values,
                                             self.language, self)
            self.expander.sig_expanded.connect(lambda _id, left: self.hint.expect(left))
        self.prime()

    def language(self) -> str | None:
        return self._interaction().customer.language or None

    def current_values(self) -> dict[str, str]:
        return self.values.values(self._interaction())

    def prime(self) -> None:
        """Load the customer's record if it is not yet known (values for ``#shortcuts``)."""
        cid = self._interaction().customer.id
        if self.values.customer(cid) is None:
            self._tasks.spawn(self.values.load(cid))

    def _lookup(self, name: str, language: str | None) -> object | None:
        worker = self.worker
        return worker.shortcut(name, language) if worker is not None else None

    def insert(self, text: str) -> bool:
        """Insert reply text at the cursor (see ``insert_text``) and flag what it left."""
        if self.edit.isReadOnly() or not self.edit.isEnabled():
            return False
        self.hint.expect(insert_text(self.edit, text))
        return True
