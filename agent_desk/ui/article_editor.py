"""The knowledge-base article editor: the list of articles (filter by state, review
overdue, mine, title text), and the selected article's latest version to write or edit
(title, language, product, tags, review date, Markdown body with a preview), its history,
and the lifecycle actions the signed-in role may take: everyone saves drafts and submits
them for review; KB editors (leads, admins) publish, reject with a note, archive and mark
a published article reviewed. Agents reach it with "Turn this answer into an article"
(prefilled from a resolved conversation). Everything goes through the server
(``kb_save_article`` / ``kb_article_action``); a save based on an older version is refused
by the server and said here, with the text kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..client.connection import Connection
from ..protocol import kb
from ..protocol import messages as m
from ..protocol.enums import ArticleState
from .article_list_model import ARTICLE_ID_ROLE, COL_TITLE, ArticleListModel, state_text
from .editor_commands import send_for_result
from .language_combo import LanguageCombo
from .markdown_view import MarkdownView
from .tasks import TaskSet
from .text_style import mute, notice_label
from .view_context import ViewContext

EDITOR_ROLES = ("lead", "admin")


class ArticleEditor(QDialog):
    """Signals:
        sig_listed(): the list was (re)loaded.
        sig_shown(str): an article's latest version is in the editor.
        sig_saved(object): the server has the new state (``kb.ArticleView``).
        sig_failed(str): a load, save or action failed (the text is also shown).
    """

    sig_listed = Signal()
    sig_shown = Signal(str)
    sig_saved = Signal(object)
    sig_failed = Signal(str)

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._tasks = TaskSet("article editor")
        self.current: kb.ArticleView | None = None
        self._source_interaction: int | None = None
        self._dirty = False
        self.setWindowTitle(self.tr("Knowledge base articles"))
        self.setAccessibleName(self.tr("Article editor"))
        self.resize(1100, 680)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(self._build_filters())
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_list())
        split.addWidget(self._build_form())
        split.setSizes([560, 540])
        lay.addWidget(split, 1)
        self._set_form_enabled(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    # ---- construction ------------------------------------------------------------------

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setAccessibleName(self.tr("Show"))
        for text, data in ((self.tr("All articles"), "all"), (self.tr("Drafts"), "draft"),
                           (self.tr("In review"), "in_review"),
                           (self.tr("Published"), "published"),
                           (self.tr("Review overdue"), "review_due"),
                           (self.tr("Archived"), "archived"), (self.tr("Mine"), "mine")):
            self.filter.addItem(text, data)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Title contains…"))
        self.search.setAccessibleName(self.tr("Find articles by title"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.reload)
        self.overdue = mute(QLabel(self))
        self.btn_new = QPushButton(self.tr("&New article"), self)
        self.btn_new.clicked.connect(self.new_article)
        self.btn_reload = QPushButton(self.tr("Re&fresh"), self)
        self.btn_reload.clicked.connect(self.reload)
        row.addWidget(self.filter)
        row.addWidget(self.search, 1)
        row.addWidget(self.overdue)
        row.addWidget(self.btn_new)
        row.addWidget(self.btn_reload)
        return row

    def _build_list(self) -> QWidget:
        self.model = ArticleListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Articles"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        hh.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        return self.table

    def _build_form(self) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 0, 0, 0)
        self.banner = notice_label(box, self.tr("Article editor notice"))
        lay.addWidget(self.banner)
        self.status = mute(QLabel(box))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Article state"))
        lay.addWidget(self.status)
        form = QFormLayout()
        self.title = QLineEdit(box)
        self.language = LanguageCombo(box)
        self.product = QLineEdit(box)
        self.tags = QLineEdit(box)
        self.tags.setPlaceholderText(self.tr("refund, returns, 退款"))
        due_row = QHBoxLayout()
        self.has_due = QCheckBox(self.tr("Review by"), box)
        self.due = QDateEdit(box)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate.currentDate().addDays(180))
        self.has_due.toggled.connect(self.due.setEnabled)
        self.due.setEnabled(False)
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        for label, w in ((self.tr("&Title"), self.title), (self.tr("&Language"), self.language),
                         (self.tr("&Product"), self.product), (self.tr("Ta&gs"), self.tags)):
            form.addRow(label, w)
            lbl = form.labelForField(w)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(w)
            w.setAccessibleName(label.replace("&", ""))
        form.addRow(self.tr("Review"), due_row)
        lay.addLayout(form)
        self.tabs = QTabWidget(box)
        self.body = QPlainTextEdit(box)
        self.body.setAccessibleName(self.tr("Article text (Markdown)"))
        self.body.setPlaceholderText(self.tr("Start with a one-paragraph answer; details, "
                                             "steps and exceptions below."))
        self.preview = MarkdownView(box)
        self.preview.setAccessibleName(self.tr("Preview"))
        self.tabs.addTab(self.body, self.tr("&Write"))
        self.tabs.addTab(self.preview, self.tr("Pre&view"))
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        self.versions = QListWidget(box)
        self.versions.setAccessibleName(self.tr("Versions"))
        self.versions.setMaximumHeight(90)
        lay.addWidget(mute(QLabel(self.tr("History"), box)))
        lay.addWidget(self.versions)
        for w in (self.title, self.product, self.tags):
            w.textEdited.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.language.currentIndexChanged.connect(self._edited)
        buttons = QHBoxLayout()
        self.btn_save = QPushButton(self.tr("&Save draft"), box)
        self.btn_submit = QPushButton(self.tr("Su&bmit for review"), box)
        self.btn_publish = QPushButton(self.tr("&Publish"), box)
        self.btn_reject = QPushButton(self.tr("&Reject…"), box)
        self.btn_archive = QPushButton(self.tr("&Archive"), box)
        self.btn_reviewed = QPushButton(self.tr("&Mark reviewed"), box)
        self.btn_save.clicked.connect(self.save)
        self.btn_submit.clicked.connect(lambda: self.act("submit"))
        self.btn_publish.clicked.connect(lambda: self.act("publish"))
        self.btn_reject.clicked.connect(self._reject)
        self.btn_archive.clicked.connect(lambda: self.act("archive"))
        self.btn_reviewed.clicked.connect(lambda: self.act("reviewed"))
        for b in (self.btn_save, self.btn_submit, self.btn_publish, self.btn_reject,
                  self.btn_archive, self.btn_reviewed):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        return box

    # ---- roles and state ---------------------------------------------------------------

    @property
    def is_editor(self) -> bool:
        me = self.ctx.state.me
        return me is not None and str(me.role) in EDITOR_ROLES

    def _set_form_enabled(self, on: bool) -> None:
        for w in (self.title, self.language, self.product, self.tags, self.has_due,
                  self.body):
            w.setEnabled(on)
        self.due.setEnabled(on and self.has_due.isChecked())
        self._update_buttons(on)

    def _update_buttons(self, on: bool = True) -> None:
        a = self.current
        state = a.state if a is not None else ArticleState.DRAFT
        mine = a is None or a.author_id == self.ctx.my_id
        editor = self.is_editor
        self.btn_save.setEnabled(on and (editor or (mine and state == ArticleState.DRAFT)))
        self.btn_submit.setEnabled(on and a is not None and state == ArticleState.DRAFT
                                   and (editor or mine) and not self._dirty)
        for b, ok in ((self.btn_publish, state in (ArticleState.DRAFT, ArticleState.IN_REVIEW)),
                      (self.btn_reject, state == ArticleState.IN_REVIEW),
                      (self.btn_archive, state != ArticleState.ARCHIVED),
                      (self.btn_reviewed, state == ArticleState.PUBLISHED)):
            b.setVisible(editor)
            b.setEnabled(on and editor and a is not None and ok and not self._dirty)

    def _edited(self, *_a: Any) -> None:
        if self.title.isEnabled():
            self._dirty = True
            self._update_buttons()

    # ---- list --------------------------------------------------------------------------

    def reload(self) -> None:
        self._tasks.spawn(self._load_list())

    async def _load_list(self) -> None:
        kind = self.filter.currentData()
        q = kb.KbListArticles(
            state=ArticleState(kind) if kind in {s.value for s in ArticleState} else None,
            review_due=kind == "review_due", mine=kind == "mine",
            text=self.search.text().strip()[:200])
        try:
            result = await self.ctx.controller.ask(q, kb.ArticleList)
        except Exception as exc:  # QueryFailed carries a translated text
            self._fail(getattr(exc, "text", str(exc)))
            return
        self.model.set_articles(result.articles)
        self.overdue.setText(self.tr("%n overdue for review", "", result.review_overdue)
                             if result.review_overdue else "")
        self.sig_listed.emit()

    def _row_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        article_id = cur.data(ARTICLE_ID_ROLE) if cur.isValid() else None
        if article_id and (self.current is None or self.current.id != article_id):
            if not self._confirm_discard():
                return
            self.open_article(str(article_id))

    def _confirm_discard(self) -> bool:
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("This article has changes that are not saved. Discard them?"))
        return answer == QMessageBox.StandardButton.Yes

    # ---- one article -------------------------------------------------------------------

    def open_article(self, article_id: str) -> None:
        self._tasks.spawn(self._load_article(article_id))

    async def _load_article(self, article_id: str) -> None:
        try:
            detail = await self.ctx.controller.ask(kb.KbGetArticle(article_id=article_id),
                                                   kb.ArticleDetail)
        except Exception as exc:
            self._fail(getattr(exc, "text", str(exc)))
            return
        self._show(detail.article, detail.versions)

    def new_article(self, *, title: str = "", body: str = "", language: str = "",
                    source_interaction_id: int | None = None) -> None:
        """An empty form (or one prefilled from a conversation) for a new article."""
        if not self._confirm_discard():
            return
        self.current = None
        self._source_interaction = source_interaction_id
        self.table.clearSelection()
        self._fill(title, body, [], language or "en", None, None)
        self.versions.clear()
        self.status.setText(self.tr("New article — not saved yet") if source_interaction_id
                            is None else self.tr("New article from conversation %1 — not "
                                                 "saved yet").replace(
                                                     "%1", str(source_interaction_id)))
        self._dirty = bool(title or body)
        self._set_form_enabled(True)
        self.title.setFocus()

    def _fill(self, title: str, body: str, tags: list[str], language: str,
              product: str | None, due: date | None) -> None:
        widgets = (self.title, self.body, self.language)
        for w in widgets:
            w.blockSignals(True)
        self.title.setText(title)
        self.body.setPlainText(body)
        self.language.set_code(language)
        for w in widgets:
            w.blockSignals(False)
        self.tags.setText(", ".join(tags))
        self.product.setText(product or "")
        self.has_due.setChecked(due is not None)
        if due is not None:
            self.due.setDate(QDate(due.year, due.month, due.day))
        self.banner.hide()
        self._tab_changed(self.tabs.currentIndex())

    def _show(self, a: kb.ArticleView, versions: list[kb.ArticleVersionView] | None = None
              ) -> None:
        self.current = a
        self._source_interaction = None
        self._fill(a.title, a.body, list(a.tags), a.language, a.product, a.review_due)
        self._dirty = False
        parts = [state_text(a.state), self.tr("version %1").replace("%1", str(a.version))]
        if a.author_name:
            parts.append(self.tr("by %1").replace("%1", a.author_name))
        if a.published_version is not None and a.published_version != a.version:
            parts.append(self.tr("agents see version %1").replace(
                "%1", str(a.published_version)))
        parts.append(self.tr("used %1 times, helped %2 times").replace(
            "%1", str(a.usage_count)).replace("%2", str(a.helped_count)))
        self.status.setText(" · ".join(parts))
        if a.review_note and a.state == ArticleState.DRAFT:
            self.banner.setText(self.tr("Returned by the reviewer: %1").replace(
                "%1", a.review_note))
            self.banner.show()
        if versions is not None:
            self.versions.clear()
            for ver in versions:
                who = ver.editor_name or "—"
                self.versions.addItem(self.tr("Version %1 · %2 · %3").replace(
                    "%1", str(ver.version)).replace("%2", who).replace(
                        "%3", ver.created_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        self._set_form_enabled(True)
        if self.model.row_of(a.id) is not None:
            self.model.upsert(a)
        self.sig_shown.emit(a.id)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.preview:
            self.preview.show_markdown(self.body.toPlainText())

    # ---- saving and actions ------------------------------------------------------------

    def _tags(self) -> list[str]:
        parts = self.tags.text().replace("，", ",").split(",")
        return [p.strip()[:60] for p in parts if p.strip()][:30]

    def problems(self) -> list[str]:
        out = []
        if not self.title.text().strip():
            out.append(self.tr("Give the article a title."))
        if not self.body.toPlainText().strip():
            out.append(self.tr("Write the article's text."))
        lang = self.language.code()
        if not lang or not lang.replace("_", "").replace("-", "").isalnum():
            out.append(self.tr("Choose the article's language (en, zh, …)."))
        if len(self.body.toPlainText()) > 300_000:
            out.append(self.tr("The text is too long (at most 300,000 characters)."))
        return out

    def save(self) -> None:
        if not self.title.isEnabled():
            return
        problems = self.problems()
        if problems:
            self._fail(" ".join(problems))
            return
        self._tasks.spawn(self._save())

    async def _save(self) -> None:
        a = self.current
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        cmd = kb.KbSaveArticle(
            key=Connection.new_key(), article_id=a.id if a else None,
            base_version=a.version if a else None, title=self.title.text().strip()[:300],
            body=self.body.toPlainText(), tags=self._tags(),
            language=self.language.code(),
            product=self.product.text().strip()[:100] or None,
            review_due=due if isinstance(due, date) else None,
            source_interaction_id=self._source_interaction)
        await self._run(cmd, self.tr("Could not save the article"))

    def act(self, action: str, note: str = "") -> None:
        if self.current is None:
            return
        cmd = kb.KbArticleAction(key=Connection.new_key(), article_id=self.current.id,
                                 action=action, note=note[:500])  # type: ignore[arg-type]
        self._tasks.spawn(self._run(cmd, self.tr("Could not change the article")))

    def _reject(self) -> None:
        note, ok = QInputDialog.getMultiLineText(
            self, self.tr("Return to the author"),
            self.tr("What should change before it can be published?"))
        if ok and note.strip():
            self.act("reject", note.strip())

    async def _run(self, cmd: m.Command, failed: str) -> None:
        article = await send_for_result(self.ctx, cmd, kb.ArticleView, failed, self._fail)
        if article is None:
            return
        self.model.upsert(article)
        row = self.model.row_of(article.id)
        if row is not None:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)
        self._show(article)
        self.open_article(article.id)  # the history changed too
        self.sig_saved.emit(article)

    def _fail(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.sig_failed.emit(text)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self._confirm_discard():
            event.ignore()
            return
        self._tasks.cancel_all()
        super().closeEvent(event)
