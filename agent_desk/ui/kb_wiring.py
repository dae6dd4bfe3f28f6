"""The window's knowledge-base glue: text from the KB panel or a suggested reply goes into
the current conversation's reply; the articles used in an interaction (inserted from
either panel) are counted once and pre-linked in its wrap-up; the article editor (one per
window) opens from the menu or, prefilled, from "Turn this answer into an article"; so
does the reply-template editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from shiboken6 import isValid

from ..protocol import views as v
from .kb_feedback import USED

if TYPE_CHECKING:
    from .article_editor import ArticleEditor
    from .main_window import MainWindow
    from .template_editor import TemplateEditor


class KnowledgeWiring(QObject):
    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        #: articles used per interaction (id → title), pre-linked in its wrap-up
        self.used: dict[int, dict[str, str]] = {}
        self.editor: ArticleEditor | None = None
        self.templates: TemplateEditor | None = None
        win.context.propose_article = self.propose_article
        win.kb.sig_insert.connect(self.insert_reply)
        win.kb.sig_used.connect(self.article_used)
        win.bridge.sig_kb_changed.connect(win.kb.refresh)  # a sync applied changes
        win.bridge.sig_interactions_changed.connect(self.push_links)  # after the views
        s = win.suggestions
        if s is not None:
            s.sig_insert.connect(self.insert_reply)
            s.sig_customer_text.connect(win.kb.prefill)
            s.sig_article_used.connect(self.suggestion_used)
            s.install_shortcuts(win.workspace)

    @Slot(str)
    def insert_reply(self, text: str) -> None:
        if not self.win.workspace.insert_reply(text):
            self.win.status.show_notice(self.tr("Open a conversation to insert a reply"))

    @Slot(int, str, str)
    def suggestion_used(self, interaction_id: int, article_id: str, title: str) -> None:
        """An article suggestion was inserted: counted like one from the KB panel."""
        self.win.kb.uses.record(interaction_id, article_id, USED)
        self.article_used(interaction_id, article_id, title)

    @Slot(int, str, str)
    def article_used(self, interaction_id: int, article_id: str, title: str) -> None:
        self.used.setdefault(interaction_id, {}).setdefault(article_id, title)
        i = self.win.state.interactions.get(interaction_id)
        if i is not None:
            self.push_links([i], [])

    @Slot(list, list)
    def push_links(self, upserted: list[v.InteractionView], _removed: list[int]) -> None:
        """Pre-link the articles used in an interaction in its wrap-up panel (the views
        create that panel when the interaction enters wrap-up)."""
        for i in upserted:
            used = self.used.get(i.id)
            view = self.win.workspace.view(i.id) if used else None
            panel = getattr(view, "wrap_up", None)
            if used and panel is not None and hasattr(panel, "prelink"):
                for article_id, title in used.items():
                    panel.prelink(article_id, title)

    # ---- the article editor ----------------------------------------------------------------

    def open_editor(self) -> ArticleEditor:
        from .article_editor import ArticleEditor

        if self.editor is None or not isValid(self.editor):
            self.editor = ArticleEditor(self.win.context, self.win)
            self.editor.reload()
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()
        return self.editor

    def open_templates(self) -> TemplateEditor:
        from .template_editor import TemplateEditor

        if self.templates is None or not isValid(self.templates):
            self.templates = TemplateEditor(self.win.context, self.win)
            self.templates.reload()
        self.templates.show()
        self.templates.raise_()
        self.templates.activateWindow()
        return self.templates

    def propose_article(self, title: str, body: str, language: str,
                        interaction_id: int) -> None:
        self.open_editor().new_article(title=title, body=body, language=language,
                                       source_interaction_id=interaction_id)
