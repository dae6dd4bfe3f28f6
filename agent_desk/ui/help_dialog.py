"""The keyboard help (F1): every shortcut of the main window and of the queue pane."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def native(keys: str) -> str:
    """``"Ctrl+W"`` as this platform writes it (``⌘W`` on macOS)."""
    seq = QKeySequence(keys)
    text = seq.toString(QKeySequence.SequenceFormat.NativeText)
    return text or keys


class HelpDialog(QDialog):
    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]],
                 parent: QWidget | None = None) -> None:
        """``sections``: (title, [(keys, what it does), ...]) in display order."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Everything in Agent Desk can be done from the keyboard."), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        rows = sum(len(items) + 1 for _title, items in sections)
        self.table = QTableWidget(rows, 2, self)
        self.table.setAccessibleName(self.tr("Shortcut list"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row = 0
        for title, items in sections:
            head = QTableWidgetItem(title)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, head)
            self.table.setSpan(row, 0, 1, 2)
            row += 1
            for keys, what in items:
                self.table.setItem(row, 0, QTableWidgetItem(native(keys)))
                self.table.setItem(row, 1, QTableWidgetItem(what))
                row += 1
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            self.tr("Close"))
        lay.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            a, b = self.table.item(r, 0), self.table.item(r, 1)
            if a is not None and b is not None:
                out.append((a.text(), b.text()))
        return out
