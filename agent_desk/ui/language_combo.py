"""Choosing the language of a knowledge-base article or reply template: the languages by
name in the interface's language ("English", "中文"), the code (``en``, ``zh``) as the
value; a code this list does not know (set from a record) is kept and shown as it is."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from .labels import language_text

KNOWN = ("en", "zh")


class LanguageCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code in KNOWN:
            self.addItem(language_text(code), code)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0 and code:
            self.addItem(language_text(code), code)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))
