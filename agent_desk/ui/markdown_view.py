"""A read-only view of our own Markdown (knowledge-base articles, previews): rendered by
Qt's Markdown reader, with every external resource refused (images and style sheets are
never fetched) and links never followed (they are shown, not opened)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget


class MarkdownView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.resource_requests = 0  # counted: tests assert nothing was loaded

    def show_markdown(self, text: str) -> None:
        self.document().setMarkdown(text)

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt API
        self.resource_requests += 1
        return None
