"""One suggested reply in the suggestions panel: its number (Alt+N), kind, title, the line
that says what it is about, why it was suggested, and the refusal marker; click or Enter
inserts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from .elided_label import ElidedLabel
from .text_style import emphasize, mute

if TYPE_CHECKING:
    from ..kb.suggest import Suggestion

_CARD_STYLE = ("QFrame#suggestionCard { border: 1px solid palette(mid); border-radius: 6px; }"
               "QFrame#suggestionCard:hover, QFrame#suggestionCard:focus "
               "{ border-color: palette(highlight); }")
_BADGE_STYLE = ("QLabel { background: palette(highlight); color: palette(highlighted-text);"
                " border-radius: 9px; font-weight: bold; }")
_REFUSAL_STYLE = "QLabel { color: #8a4b00; }"



def preview_line(text: str) -> str:
    """The line that says what a reply is about: the first one, unless it is only a
    greeting ("Hi Aisha," / "王女士，您好！"), then the next one."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and _is_greeting(lines[0]):
        return lines[1]
    return lines[0] if lines else ""


def _is_greeting(line: str) -> bool:
    return len(line) <= 30 and line[-1] in ",，!！:："

class SuggestionCard(QFrame):
    """One suggestion. Signals:
        sig_activated(int): clicked, or Enter/Space while focused (its number, 1-based).
    """

    sig_activated = Signal(int)

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setObjectName("suggestionCard")
        self.setStyleSheet(_CARD_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.badge = QLabel(str(number), self)
        self.badge.setFixedSize(18, 18)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setStyleSheet(_BADGE_STYLE)
        grid.addWidget(self.badge, 0, 0, Qt.AlignmentFlag.AlignTop)
        head = QHBoxLayout()
        head.setSpacing(6)
        self.kind = mute(QLabel(self))
        self.title = emphasize(ElidedLabel(self))
        head.addWidget(self.kind)
        head.addWidget(self.title, 1)
        grid.addLayout(head, 0, 1)
        self.preview = ElidedLabel(self)
        grid.addWidget(self.preview, 1, 1)
        self.why = mute(QLabel(self))
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.why, 2, 1)
        self.refusal = QLabel(self)
        self.refusal.setStyleSheet(_REFUSAL_STYLE)
        self.refusal.setWordWrap(True)
        grid.addWidget(self.refusal, 3, 1)
        grid.setColumnStretch(1, 1)

    def show_suggestion(self, s: Suggestion, text: str, kind: str, why: str,
                        refusal: str) -> None:
        """``text``: what would be inserted (variables filled as far as known)."""
        self.kind.setText(kind)
        title, preview = s.title, preview_line(text)
        if s.kind == "reply":  # a team reply's title is its first words: show them filled
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()] or [title]
            if len(lines) > 1 and _is_greeting(lines[0]):
                lines = lines[1:]
            # the second line, unless it is only the sign-off ("Alex Morgan")
            title, preview = lines[0], (lines[1] if len(lines) > 2 or (
                len(lines) == 2 and len(lines[1]) > 30) else "")
        self.title.setText(title)
        self.preview.setText(preview)
        self.preview.setVisible(bool(preview))
        self.why.setText(why)
        self.why.setVisible(bool(why))
        self.refusal.setText(refusal)
        self.refusal.setVisible(bool(refusal))
        keys = QKeySequence(f"Alt+{self.number}").toString(
            QKeySequence.SequenceFormat.NativeText)
        self.setAccessibleName(self.tr("Suggestion %1: %2 — %3").replace(
            "%1", str(self.number)).replace("%2", kind).replace("%3", s.title))
        self.setAccessibleDescription(text[:500])
        self.setToolTip(self.tr("%1\n\nClick or press %2 to insert it into your reply.")
                        .replace("%1", text[:600]).replace("%2", keys))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.sig_activated.emit(self.number)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.sig_activated.emit(self.number)
            return
        super().keyPressEvent(event)


