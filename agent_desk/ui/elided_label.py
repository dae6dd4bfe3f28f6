"""A one-line label that shows as much of its text as fits and ends with "…": customers'
subjects and names can be any length, and must never make a pane (or the window) wider.
The full text is in the tooltip and the accessible description."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: The narrowest the label asks to be (characters are cut below its text's width).
MIN_WIDTH = 60


class ElidedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def text(self) -> str:
        """The whole text (what is painted may be cut with "…")."""
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setAccessibleDescription(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), MIN_WIDTH), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4,
                     super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(self.width(), 1))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")  # the whole text, if cut
