"""The preview of a knowledge-base article in the KB panel: its title, language and tags,
its Markdown body rendered without HTML in a ``SafeBrowser`` (nothing remote is ever
loaded; a link opens in the system browser only after asking, never ``javascript:`` or
``file:``; a very long body is cut at :data:`PREVIEW_CHARS`, Insert and Copy take it all),
and the buttons Insert / Insert link / Copy / This helped (``sig_action``).

"Insert link" inserts the title and the article's public help-centre address,
:data:`PUBLIC_KB_URL` (``https://help.example.com/kb/<id>``) unless the server gives its own
(``snapshot.kb_link``, ``agent-desk serve --kb-link``) or the ``AGENT_DESK_KB_URL``
environment variable does (a URL containing ``{id}``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from urllib.parse import quote

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .kb_search_worker import ArticleText
from .labels import language_text
from .safe_browser import SafeBrowser
from .text_style import emphasize, mute

#: Longest article body shown (characters).
PREVIEW_CHARS = 200_000
#: The public address of an article, for "Insert link" (``{id}``: the article id).
PUBLIC_KB_URL = "https://help.example.com/kb/{id}"
_MD = QTextDocument.MarkdownFeature


def article_link(title: str, article_id: str, template: str | None = None) -> str:
    """What "Insert link" inserts: ``Title — https://help.example.com/kb/<id>``."""
    template = template or os.environ.get("AGENT_DESK_KB_URL") or PUBLIC_KB_URL
    if "{id}" not in template:
        template = PUBLIC_KB_URL
    return f"{title} — {template.replace('{id}', quote(article_id, safe=''))}"


def meta_text(language: str, tags: Sequence[str]) -> str:
    """``English · refund, policy`` (the language named in the interface's language)."""
    return " · ".join(p for p in (language_text(language) if language else "",
                                  ", ".join(tags)) if p)


class ArticlePreview(QWidget):
    """Signals:
        sig_action(str): a button was pressed: ``insert``, ``link``, ``copy``, ``helped``.
    """

    sig_action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: ArticleText | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.title = emphasize(QLabel(self))
        self.title.setWordWrap(True)
        self.title.setAccessibleName(self.tr("Article title"))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = mute(QLabel(self))
        self.meta.setAccessibleName(self.tr("Article language and tags"))
        self.meta.setWordWrap(True)
        self.browser = SafeBrowser(self)
        self.browser.setAccessibleName(self.tr("Article preview"))
        self.browser.setMinimumHeight(80)
        lay.addWidget(self.title)
        lay.addWidget(self.meta)
        lay.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.setContentsMargins(0, 4, 0, 0)
        self.insert_button = self._button(
            "insert", self.tr("Insert"),
            self.tr("Insert the article's answer into the reply (Enter)"))
        self.link_button = self._button(
            "link", self.tr("Insert link"),
            self.tr("Insert the article's title and its public address into the reply"))
        self.copy_button = self._button(
            "copy", self.tr("Copy"), self.tr("Copy the article's answer to the clipboard"))
        self.helped_button = self._button(
            "helped", self.tr("This helped"),
            self.tr("Tell the team this article helped the customer"))
        for b in (self.insert_button, self.link_button, self.copy_button, self.helped_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

    def _button(self, action: str, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setAccessibleName(text)
        b.setToolTip(tip)
        b.setAutoDefault(False)
        b.clicked.connect(lambda: self.sig_action.emit(action))
        return b

    def show_heading(self, title: str, language: str, tags: Sequence[str]) -> None:
        """What the result list knows already, while the body loads."""
        self.title.setText(title)
        self.meta.setText(meta_text(language, tags))

    def show_article(self, doc: ArticleText | None) -> None:
        self.article = doc
        if doc is None:
            self.browser.clear()
            return
        a = doc.article
        self.show_heading(a.title, a.language, a.tags)
        body = a.body if len(a.body) <= PREVIEW_CHARS else a.body[:PREVIEW_CHARS] + "\n\n…"
        self.browser.safe = None
        self.browser.document().setMarkdown(body, _MD.MarkdownDialectGitHub
                                            | _MD.MarkdownNoHTML)
        self.browser.verticalScrollBar().setValue(0)
