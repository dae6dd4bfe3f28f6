"""The chat composer: Enter sends, Shift+Enter starts a new line (``composer_key_action``:
Enter while an input method is composing only confirms the composition), a Send button,
and "Internal note" for text only agents see. For someone who is not the assignee it is
note-only. Nothing typed is cleared here: the view clears it once the server has it.
``keep_drafts`` autosaves the text and the note flag (and restores a kept draft);
``add_hint`` puts the reply hint line under the text."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..channels.chat import KeyAction, composer_key_action

if TYPE_CHECKING:
    from ..client.drafts import DraftStore
    from .autosave import Autosaver

log = logging.getLogger("agent_desk.ui.chat_composer")

_MODS = ((Qt.KeyboardModifier.ShiftModifier, "shift"),
         (Qt.KeyboardModifier.ControlModifier, "ctrl"),
         (Qt.KeyboardModifier.AltModifier, "alt"),
         (Qt.KeyboardModifier.MetaModifier, "meta"),
         (Qt.KeyboardModifier.KeypadModifier, "keypad"))
_KEYS = {Qt.Key.Key_Return: "return", Qt.Key.Key_Enter: "enter"}


class ComposerEdit(QPlainTextEdit):
    """Signals:
        sig_submit(): Enter (or Ctrl+Enter) with text.
        sig_keystroke(): a key that edits the text was pressed.
    """

    sig_submit = Signal()
    sig_keystroke = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._composing = False

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)
        self.sig_keystroke.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = _KEYS.get(Qt.Key(event.key()), "")
        mods = [name for flag, name in _MODS if event.modifiers() & flag]
        action = composer_key_action(self.toPlainText(), key, mods, composing=self._composing)
        if action == KeyAction.SEND:
            self.sig_submit.emit()
            return
        if action == KeyAction.IGNORE:
            return
        if action == KeyAction.NEWLINE:
            self.textCursor().insertText("\n")
            self.sig_keystroke.emit()
            return
        before = self.toPlainText()
        super().keyPressEvent(event)
        if self.toPlainText() != before:
            self.sig_keystroke.emit()


class ChatComposer(QWidget):
    """Signals:
        sig_submit(str, bool): send this text (True: as an internal note).
        sig_keystroke(): the agent is typing.
        sig_cleared(): the text became empty.
        sig_changed(): the text or the note flag changed (autosave).
    """

    sig_submit = Signal(str, bool)
    sig_keystroke = Signal()
    sig_cleared = Signal()
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._note_only = False
        self._busy = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.edit = ComposerEdit(self)
        self.edit.setAccessibleName(self.tr("Message"))
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(56)
        self.edit.setMaximumHeight(96)
        lay.addWidget(self.edit)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.note = QCheckBox(self.tr("Internal &note"), self)
        self.note.setAccessibleName(self.tr("Internal note (only agents see it)"))
        self.note.setToolTip(self.tr("Only agents see internal notes; the customer does not."))
        row.addWidget(self.note)
        row.addStretch(1)
        self.send = QPushButton(self.tr("&Send"), self)
        self.send.setAccessibleName(self.tr("Send"))
        self.send.setDefault(False)
        self.send.setAutoDefault(False)
        row.addWidget(self.send)
        lay.addLayout(row)
        self.edit.sig_submit.connect(self._submit)
        self.edit.sig_keystroke.connect(self.sig_keystroke)
        self.edit.textChanged.connect(self._text_changed)
        self.note.toggled.connect(self._note_toggled)
        self.send.clicked.connect(self._submit)
        self._apply_mode()

    def keep_drafts(self, drafts: DraftStore | None, key: str) -> Autosaver:
        """Autosave the text and the note flag under ``key``; a kept draft is restored."""
        from .autosave import Autosaver

        saver = Autosaver(drafts, key, self._draft, 3000, self)
        try:
            kept = saver.load()
        except Exception as exc:  # an unreadable draft must not stop the chat opening
            log.warning("draft %s not loaded: %s", key, exc)
            kept = None
        if kept and isinstance(kept.get("text"), str):
            self.set_text(kept["text"])
            self.set_note(bool(kept.get("note")))
        self.sig_changed.connect(saver.touch)
        return saver

    def _draft(self) -> dict[str, Any]:
        text = self.text()
        return {"text": text, "note": self.is_note()} if text.strip() else {}

    def add_hint(self, hint: QWidget) -> None:
        """Show ``hint`` (the reply hint line) under the text, above the buttons."""
        lay = self.layout()
        if isinstance(lay, QVBoxLayout):
            lay.insertWidget(1, hint)

    def can_reply(self) -> bool:
        """A reply to the customer can be written here now (the assignee's live chat)."""
        return not self._note_only and not self.isHidden() and not self.edit.isReadOnly()

    # ---- state ------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def clear(self) -> None:
        self.edit.clear()

    def is_note(self) -> bool:
        return self._note_only or self.note.isChecked()

    def set_note(self, on: bool) -> None:
        self.note.setChecked(on)

    def set_note_only(self, on: bool) -> None:
        """Not the assignee: only internal notes can be written here."""
        if on != self._note_only:
            self._note_only = on
            if not on:  # the note box was ticked for them: back to replying
                self.note.blockSignals(True)
                self.note.setChecked(False)
                self.note.blockSignals(False)
            self._apply_mode()

    def set_busy(self, busy: bool) -> None:
        """A send is in flight: the button waits (the text stays editable)."""
        self._busy = busy
        self._apply_mode()

    def set_enabled(self, on: bool) -> None:
        self.edit.setReadOnly(not on)
        self.setEnabled(on)

    @Slot(bool)
    def _note_toggled(self, _on: bool) -> None:
        self._apply_mode()
        self.sig_changed.emit()

    def _apply_mode(self) -> None:
        note = self.is_note()
        self.note.setEnabled(not self._note_only)
        if self._note_only and not self.note.isChecked():
            self.note.blockSignals(True)
            self.note.setChecked(True)
            self.note.blockSignals(False)
        self.edit.setPlaceholderText(
            self.tr("Write an internal note — only agents see it") if note else
            self.tr("Write a message — Enter sends, Shift+Enter for a new line"))
        self.send.setText(self.tr("Add &note") if note else self.tr("&Send"))
        self.send.setAccessibleName(self.tr("Add the internal note") if note else
                                    self.tr("Send the message"))
        self.send.setEnabled(not self._busy)
        self.edit.setStyleSheet("QPlainTextEdit { background: #fffbea; }" if note else "")

    # ---- sending ------------------------------------------------------------------------------

    @Slot()
    def _submit(self) -> None:
        text = self.text()
        if self._busy or not text.strip():
            return
        self.sig_submit.emit(text.strip("\n"), self.is_note())

    @Slot()
    def _text_changed(self) -> None:
        if not self.text():
            self.sig_cleared.emit()
        self.sig_changed.emit()
