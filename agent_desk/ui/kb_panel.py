"""The knowledge-base panel beside the conversation: search as you type, a preview of the
selected article, and Insert / Insert link / Copy / This helped.

- Every keystroke searches the account's **local** knowledge-base file through the
  ``KbSearchWorker`` thread (nothing on the GUI thread, no network: it works offline), the
  last word matching as a prefix, the current customer's language preferred. Only the
  newest answer is shown; the selection stays on its article while the query narrows.
- Up/Down/Page keys in the search box move through the results, Enter inserts the selected
  article (also Enter on the list). The main window's Ctrl+4 shows the panel with its
  search box focused (``focus_search``). (Not Ctrl+Shift+K: that is the call keypad.)
- The preview (``ArticlePreview``) renders the article's Markdown without HTML in a
  ``SafeBrowser``: nothing remote is ever loaded, links open only after asking.
- **Insert** emits ``sig_insert`` with the article's answer (plain text), **Insert link**
  the title and its public address (``kb_preview.article_link``); **Copy** puts the answer
  on the clipboard; **This helped** records that it helped. Each is counted once per
  article and interaction, locally and on the server (``kb_feedback.UseRecorder``);
  ``sig_used`` lets the window pre-link the article in the wrap-up.
- ``prefill(text)`` searches for the customer's last message, unless the agent is typing
  in the box right now.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..protocol import views as v
from .kb_feedback import UseRecorder
from .kb_preview import ArticlePreview, article_link
from .kb_results_model import KbResultDelegate, KbResultsModel
from .kb_search_worker import MISSING, ArticleText, KbSearchWorker, has_kb_file
from .list_keys import ListKeys
from .text_style import mute
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.kb_panel")

RESULT_LIMIT = 20
PREFILL_CHARS = 200
#: The box counts as "being typed in" this long after the agent's last edit (seconds).
TYPING_GRACE_S = 4.0
LANE = "kb-panel"
#: (keys, description) of the panel's keys, for the F1 help.
SHORTCUTS: tuple[tuple[str, object], ...] = (
    ("Down, Up", QT_TRANSLATE_NOOP("KnowledgePanel", "Knowledge base (in its search box): "
                                   "move through the results")),
    ("Enter", QT_TRANSLATE_NOOP("KnowledgePanel", "Knowledge base: insert the selected "
                                "article into the reply")),
)


def trim_message(text: str, limit: int = PREFILL_CHARS) -> str:
    """A customer message as a query: one line, at most ``limit`` characters (cut at a
    space when there is one near the end)."""
    one = " ".join(text.split())
    if len(one) <= limit:
        return one
    cut = one[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.6 else cut


class KnowledgePanel(QWidget):
    """Signals:
        sig_insert(str): insert this text into the current reply.
        sig_used(int, str, str): an article was used in this interaction (interaction id,
            article id, title): link it in the wrap-up.
        sig_feedback(str, str): feedback recorded (article id, ``used`` or ``helped``).
    """

    sig_insert = Signal(str)
    sig_used = Signal(int, str, str)
    sig_feedback = Signal(str, str)

    def __init__(self, ctx: ViewContext | None, parent: QWidget | None = None, *,
                 worker: KbSearchWorker | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._own_worker = worker is None
        self.worker = worker or KbSearchWorker(ctx.kb_path if ctx is not None else None)
        self._now = now
        self.interaction: v.InteractionView | None = None
        self.language: str | None = None
        self.link_template: str | None = None
        self._issued: list[int] = []       # our search tokens not answered yet
        self._answered = False             # the current query has results on screen
        self._prefix = False
        self._fresh = False
        self._edited_at = -1e9
        self._article_token = 0
        self._preview_id: str | None = None
        self._doc: ArticleText | None = None
        self._pending: tuple[str, str] | None = None  # (action, article id) waiting for it
        self._queries: dict[int, str] = {}
        self._error = False
        self.uses = UseRecorder(self.worker, ctx)
        self.setAccessibleName(self.tr("Knowledge base"))
        self.setMinimumWidth(260)
        self._build()
        self._connect()
        self._missing = not has_kb_file(self.worker.path)
        self._checked = False
        self._show_state()

    # ---- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.setSpacing(6)
        self.search = QLineEdit(self)
        self.search.setAccessibleName(self.tr("Search the knowledge base"))
        self.search.setPlaceholderText(self.tr("Search the knowledge base (Ctrl+4)"))
        self.search.setClearButtonEnabled(True)
        for b in self.search.findChildren(QToolButton):  # the clear button
            b.setAccessibleName(self.tr("Clear the search"))
        self.search.setMaxLength(10_000)
        lay.addWidget(self.search)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setChildrenCollapsible(False)
        self.stack = QStackedWidget(self.split)
        self.message = mute(QLabel(self.stack))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setContentsMargins(2, 6, 2, 6)
        self.message.setAccessibleName(self.tr("Knowledge-base message"))
        self.stack.addWidget(self.message)
        self.model = KbResultsModel(self)
        self.results = QListView(self.stack)
        self.results.setAccessibleName(self.tr("Knowledge-base results"))
        self.results.setModel(self.model)
        self.results.setItemDelegate(KbResultDelegate(self.results))
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setWordWrap(True)
        self.results.setMinimumHeight(90)
        self.stack.addWidget(self.results)
        self.preview_box = ArticlePreview(self.split)
        self.preview = self.preview_box.browser
        self.preview_title = self.preview_box.title
        self.split.addWidget(self.stack)
        self.split.addWidget(self.preview_box)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([300, 200])
        lay.addWidget(self.split, 1)
        pv = self.preview_box
        self.insert_button, self.link_button = pv.insert_button, pv.link_button
        self.copy_button, self.helped_button = pv.copy_button, pv.helped_button
        self.note = mute(QLabel(self))
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Knowledge-base notice"))
        self.note.hide()
        lay.addWidget(self.note)
        self.setFocusProxy(self.search)

    def _connect(self) -> None:
        self.search.textEdited.connect(self._on_edited)
        self.keys = ListKeys(self.search, self.results, lambda: self.act("insert"))
        self.results.doubleClicked.connect(lambda _i: self.act("insert"))
        self.results.selectionModel().currentChanged.connect(self._on_current)
        w = self.worker
        w.sig_results.connect(self._on_results)
        w.sig_article.connect(self._on_article)
        w.sig_status.connect(self._on_status)
        w.sig_error.connect(self._on_error)
        w.sig_changed.connect(self.refresh)
        self.preview.sig_notice.connect(self._say)
        self.preview_box.sig_action.connect(self.act)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._checked:  # the first time it is seen: is there a knowledge base?
            self._checked = True
            self.worker.check()

    # ---- public -----------------------------------------------------------------------------

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        """(keys, translated description) for the help dialog."""
        return [(k, QCoreApplication.translate("KnowledgePanel", str(t))) for k, t in SHORTCUTS]

    def query(self) -> str:
        return self.search.text()

    def set_query(self, text: str, *, prefix_last: bool = True) -> None:
        """Put ``text`` in the box and search it (as if typed)."""
        self.search.setText(text)
        self._run(prefix_last, fresh=True)

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def is_typing(self) -> bool:
        """The agent is typing in the box right now (prefills wait)."""
        return self.search.hasFocus() and self._now() - self._edited_at < TYPING_GRACE_S

    @Slot(str)
    def prefill(self, text: str) -> bool:
        """Search for the customer's last message (trimmed), unless the agent is typing
        in the box right now. True when it was put in the box."""
        q = trim_message(text)
        if not q or self.is_typing():
            return False
        if q != self.search.text():
            self.search.setText(q)
            self.search.setCursorPosition(0)
            self._run(False, fresh=True)
        return True

    @Slot(object)
    def set_interaction(self, i: v.InteractionView | None) -> None:
        """The conversation the panel works for (its customer's language is preferred;
        the query typed for each interaction comes back with it)."""
        old = self.interaction
        if old is not None:
            self._queries[old.id] = self.search.text()
        self.interaction = i
        lang = (i.customer.language or None) if i is not None else None
        changed_lang = lang != self.language
        self.language = lang
        if i is None:
            return
        if old is None or old.id != i.id:
            kept = self._queries.get(i.id)
            if kept is not None and not self.is_typing():
                if kept != self.search.text():
                    self.set_query(kept, prefix_last=False)
                    return
            elif kept is None and (i.preview or i.subject) and self.prefill(i.preview or
                                                                             i.subject):
                return
        if changed_lang and self.search.text().strip():
            self._run(self._prefix)

    @Slot()
    def refresh(self) -> None:
        """Search again (the knowledge base changed) and reload the previewed article;
        with nothing to search, find out whether the knowledge base is there now."""
        if self.search.text().strip():
            self._run(self._prefix)
        else:
            self.worker.check()
        if self._preview_id is not None:
            art, self._preview_id = self._preview_id, None
            self._load_preview(art)

    def current_id(self) -> str | None:
        row = self.model.row(self.results.currentIndex().row())
        return row.id if row is not None else None

    def select(self, article_id: str) -> bool:
        n = self.model.row_of(article_id)
        if n >= 0:
            self.results.setCurrentIndex(self.model.index(n))
        return n >= 0

    def shutdown(self) -> None:
        """Stop the worker if the panel made its own (the window stops a shared one)."""
        if self._own_worker:
            self.worker.stop()

    # ---- searching --------------------------------------------------------------------------

    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        self._edited_at = self._now()
        self._run(True)

    def _run(self, prefix_last: bool, *, fresh: bool = False) -> None:
        """Search the box's text; ``fresh`` (a new query, not typed on): select the best
        result rather than keep the selected article."""
        self._prefix = prefix_last
        self._fresh = self._fresh or fresh
        q = self.search.text()
        if not q.strip():
            self._issued.clear()
            self._answered = False
            self.model.clear()
            self._preview_id = None
            self._show_preview(None)
            self._show_state()
            return
        self._issued.append(self.worker.request(q, self.language, RESULT_LIMIT, prefix_last,
                                                lane=LANE))

    @Slot(int, object)
    def _on_results(self, token: int, hits: list[object]) -> None:
        if token not in self._issued:
            return
        del self._issued[:self._issued.index(token) + 1]
        self._error = False
        self._answered = True
        self.model.set_hits(hits)  # type: ignore[arg-type]
        fresh, self._fresh = self._fresh, False
        if self.model.rowCount() and (fresh or not self.results.currentIndex().isValid()):
            self.results.setCurrentIndex(self.model.index(0))
            self.results.scrollToTop()
        self._show_state()
        self._on_current(self.results.currentIndex())

    @Slot(str)
    def _on_status(self, status: str) -> None:
        self._missing = status == MISSING
        self._show_state()

    @Slot(int, str)
    def _on_error(self, token: int, message: str) -> None:
        log.warning("knowledge-base request failed: %s", message[:300])
        if token in self._issued:
            self._issued.remove(token)
            self._error = True
            self._show_state()

    def _show_state(self) -> None:
        q = self.search.text().strip()
        rows = self.model.rowCount()
        if self._missing:
            text = self.tr("The knowledge base is not available offline yet")
        elif self._error and not rows:
            text = self.tr("The knowledge base could not be searched. Try again.")
        elif not q:
            text = self.tr("Type to search the knowledge base")
        elif not rows and self._answered:
            shown = q if len(q) <= 60 else q[:59] + "…"
            text = self.tr("No articles match “%1”.").replace("%1", shown)
        elif not rows:
            text = ""
        else:
            self.stack.setCurrentWidget(self.results)
            self.preview_box.setVisible(self._preview_id is not None)
            self._enable(True)
            return
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.preview_box.setVisible(False)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for b in (self.insert_button, self.link_button, self.copy_button, self.helped_button):
            b.setEnabled(on)
        if on:
            self._update_helped()

    # ---- preview ----------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        if row is None:
            return
        self._update_helped()
        if row.id == self._preview_id:
            return
        self._preview_id = row.id
        self.preview_box.setVisible(True)
        self.preview_box.show_heading(row.title, row.language, row.tags)
        self._load_preview(row.id)

    def _load_preview(self, article_id: str) -> None:
        self._preview_id = article_id
        self._article_token = self.worker.article(article_id, lane=LANE)

    @Slot(int, object)
    def _on_article(self, token: int, doc: ArticleText | None) -> None:
        if token != self._article_token:
            return
        self._show_preview(doc)
        pending, self._pending = self._pending, None
        if doc is not None and pending is not None and pending[1] == doc.article.id:
            self.act(pending[0])

    def _show_preview(self, doc: ArticleText | None) -> None:
        self._doc = doc
        self.preview_box.show_article(doc)

    # ---- actions ----------------------------------------------------------------------------

    @Slot(str)
    def act(self, action: str) -> bool:
        """``insert``, ``link``, ``copy`` or ``helped`` on the selected article. Insert and
        copy wait for the article's text when it is still loading. True when done now."""
        row = self.model.row(self.results.currentIndex().row())
        if row is None:
            return False
        doc = self._doc if self._doc is not None and self._doc.article.id == row.id else None
        if action in ("insert", "copy") and doc is None:
            self._pending = (action, row.id)
            if self._preview_id != row.id:
                self._on_current(self.results.currentIndex())
            return False
        if action == "insert" and doc is not None:
            self.sig_insert.emit(doc.answer)
        elif action == "copy" and doc is not None:
            QGuiApplication.clipboard().setText(doc.answer)
            self._say(self.tr("Copied “%1”.").replace("%1", row.title))
        elif action == "link":
            server = self.ctx.state.kb_link if self.ctx is not None else ""
            self.sig_insert.emit(article_link(row.title, row.id,
                                              self.link_template or server or None))
        elif action == "helped":
            self._feedback(row.id, row.title, "helped")
            self._say(self.tr("Thank you: noted that “%1” helped.").replace("%1", row.title))
            self._update_helped()
            return True
        else:
            return False
        self._feedback(row.id, row.title, "used")
        return True

    def _update_helped(self) -> None:
        row = self.model.row(self.results.currentIndex().row())
        iid = self.interaction.id if self.interaction is not None else None
        done = row is not None and self.uses.counted(iid, row.id, "helped")
        self.helped_button.setEnabled(row is not None and not done)

    def _feedback(self, article_id: str, title: str, kind: str) -> None:
        """Count the use (once per article and interaction) and have it linked in the
        interaction's wrap-up."""
        iid = self.interaction.id if self.interaction is not None else None
        if self.uses.record(iid, article_id, kind):
            self.sig_feedback.emit(article_id, kind)
            if iid is not None:
                self.sig_used.emit(iid, article_id, title)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
