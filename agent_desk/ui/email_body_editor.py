"""The composer's text: plain text, or simple rich text (bold, italic, bulleted list, link)
once the agent formats something. Pasted HTML arrives as plain text, so nothing in the
editor can ever load a resource; the HTML sent is sanitised like received HTML. The reply
hint line (``add_hint``) sits under the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QTextCharFormat, QTextListFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..channels.email import html_to_text, sanitize_html

LINK_SCHEMES = ("http", "https", "mailto")


class BodyEditor(QWidget):
    """Signals:
        sig_edited(): the text or its formatting changed (not while loading).
        sig_problem(str): a translated problem (a link target that is not allowed).
    """

    sig_edited = Signal()
    sig_problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rich = False
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.tools = QHBoxLayout()
        self.tools.setSpacing(2)
        self.bold = self._tool(self.tr("B"), self.tr("Bold (Ctrl+B)"), "Ctrl+B", self._bold)
        self.italic = self._tool(self.tr("I"), self.tr("Italic (Ctrl+I)"), "Ctrl+I",
                                 self._italic)
        self.bullets = self._tool(self.tr("• List"), self.tr("Bulleted list (Ctrl+Shift+L)"),
                                  "Ctrl+Shift+L", self._list)
        self.link = self._tool(self.tr("Link…"), self.tr("Insert a link (Ctrl+K)"), "Ctrl+K",
                               self._ask_link)
        f = QFont(self.bold.font())
        f.setBold(True)
        self.bold.setFont(f)
        f = QFont(self.italic.font())
        f.setItalic(True)
        self.italic.setFont(f)
        for b in (self.bold, self.italic, self.bullets, self.link):
            self.tools.addWidget(b)
        self.tools.addStretch(1)
        lay.addLayout(self.tools)
        self.edit = QTextEdit(self)
        self.edit.setAcceptRichText(False)  # pasted HTML becomes text: nothing to load
        self.edit.setAccessibleName(self.tr("Message"))
        self.edit.setMinimumHeight(140)
        self.edit.textChanged.connect(self._changed)
        lay.addWidget(self.edit, 1)

    def add_hint(self, hint: QWidget) -> None:
        """Show ``hint`` (the reply hint line) under the text."""
        lay = self.layout()
        if isinstance(lay, QVBoxLayout):
            lay.addWidget(hint)

    def _tool(self, text: str, tip: str, keys: str, slot: Any) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setShortcut(QKeySequence(keys))
        b.clicked.connect(slot)
        return b

    # ---- content ----------------------------------------------------------------------------

    def set_plain(self, text: str) -> None:
        self._loading = True
        try:
            self.rich = False
            self.edit.setPlainText(text)
        finally:
            self._loading = False

    def set_html(self, html: str) -> None:
        """Restore formatted text (sanitised first: nothing in it can load)."""
        self._loading = True
        try:
            self.edit.setHtml(sanitize_html(html).html)
            self.rich = True
        finally:
            self._loading = False

    def plain_text(self) -> str:
        return html_to_text(self.edit.toHtml()) if self.rich else self.edit.toPlainText()

    def html(self) -> str | None:
        """The simple HTML alternative (only when the agent formatted something)."""
        return sanitize_html(self.edit.toHtml()).html if self.rich else None

    def raw_html(self) -> str | None:
        return self.edit.toHtml() if self.rich else None

    @Slot()
    def _changed(self) -> None:
        if not self._loading:
            self.sig_edited.emit()

    # ---- formatting -------------------------------------------------------------------------

    def _merge(self, fmt: QTextCharFormat) -> None:
        self.rich = True
        self.edit.mergeCurrentCharFormat(fmt)
        self.edit.setFocus()
        self.sig_edited.emit()

    def _bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Normal if self.edit.fontWeight() > QFont.Weight.Normal
                          else QFont.Weight.Bold)
        self._merge(fmt)

    def _italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.edit.fontItalic())
        self._merge(fmt)

    def _list(self) -> None:
        self.rich = True
        self.edit.textCursor().createList(QTextListFormat.Style.ListDisc)
        self.sig_edited.emit()

    def insert_link(self, url: str, text: str = "") -> bool:
        """Insert a link; only http(s) and mailto targets are accepted."""
        url = url.strip()
        if ":" not in url or url.split(":", 1)[0].lower() not in LINK_SCHEMES:
            self.sig_problem.emit(self.tr("Links must start with https://, http:// or "
                                          "mailto:."))
            return False
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        cursor = self.edit.textCursor()
        cursor.insertText(text or cursor.selectedText() or url, fmt)
        cursor.insertText(" ", QTextCharFormat())
        self.rich = True
        self.sig_edited.emit()
        return True

    def _ask_link(self) -> None:
        url, ok = QInputDialog.getText(self, self.tr("Insert link"), self.tr("Address:"),
                                       QLineEdit.EchoMode.Normal, "https://")
        if ok:
            self.insert_link(url)
