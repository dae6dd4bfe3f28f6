"""The notes box of a call: what the agent jots down while talking. Kept locally through the
account's ``DraftStore`` (key ``"<interaction id>:call_notes"``) every few seconds while
typing and at once on ``flush`` (hang-up, closing the view), and restored when the call is
opened again, also after a crash or restart. The phone view hands the text to the wrap-up
panel when the call ends and ``discard``s the draft once the wrap-up is done."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from .autosave import Autosaver
from .text_style import mute
from .view_context import ViewContext

#: Largest note kept (characters): far beyond any call, well inside the draft limit.
MAX_NOTES = 100_000


def notes_key(interaction_id: int) -> str:
    return f"{interaction_id}:call_notes"


class CallNotes(QWidget):
    """Signals:
        sig_edited(): the agent typed (the view reports typing for collision detection).
    """

    sig_edited = Signal()

    def __init__(self, ctx: ViewContext, interaction_id: int, parent: QWidget | None = None,
                 *, interval_ms: int = 3000) -> None:
        super().__init__(parent)
        self.interaction_id = interaction_id
        self.saver = Autosaver(ctx.drafts, notes_key(interaction_id), self._data,
                               interval_ms, self)
        self.saver.sig_saved.connect(self._saved)
        self.saver.sig_failed.connect(self._failed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        head = QHBoxLayout()
        self.label = QLabel(self.tr("Call &notes"), self)
        self.status = mute(QLabel(self))
        self.status.setAccessibleName(self.tr("Notes saving status"))
        head.addWidget(self.label)
        head.addStretch(1)
        head.addWidget(self.status)
        lay.addLayout(head)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(self.tr("Call notes"))
        self.edit.setPlaceholderText(self.tr("Notes while you talk: kept on this computer "
                                             "and offered for the wrap-up."))
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(70)
        self.label.setBuddy(self.edit)
        lay.addWidget(self.edit, 1)
        restored = self.saver.load()
        text = restored.get("text") if isinstance(restored, dict) else None
        if isinstance(text, str) and text:
            self.edit.setPlainText(text[:MAX_NOTES])
            self.status.setText(self.tr("Restored from this computer"))
        elif ctx.drafts is None:
            self.status.setText(self.tr("Not kept on this computer"))
        self.edit.textChanged.connect(self._changed)

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_read_only(self, on: bool) -> None:
        self.edit.setReadOnly(on)

    def insert(self, text: str) -> bool:
        """Insert ``text`` at the cursor (a suggested answer to read out, a KB passage) and
        focus the notes; False when they are read-only for this agent."""
        if self.edit.isReadOnly():
            return False
        from .shortcut_expander import insert_text

        insert_text(self.edit, text)
        return True

    @Slot()
    def flush(self) -> bool:
        """Write the notes now (hang-up, closing). True when they are on disk."""
        return self.saver.flush()

    @Slot()
    def discard(self) -> None:
        """The call is wrapped up: forget the kept notes."""
        self.saver.discard()

    def _data(self) -> dict[str, str]:
        text = self.edit.toPlainText()[:MAX_NOTES]
        return {"text": text} if text.strip() else {}

    @Slot()
    def _changed(self) -> None:
        self.saver.touch()
        self.sig_edited.emit()

    @Slot(str)
    def _saved(self, _key: str) -> None:
        self.status.setText(self.tr("Saved on this computer") if self.text().strip() else "")

    @Slot(str)
    def _failed(self, _why: str) -> None:
        self.status.setText(self.tr("Could not save the notes locally; keep this tab open."))
