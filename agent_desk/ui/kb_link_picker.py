"""Choosing the knowledge-base articles a wrap-up links: a search box whose popup lists
matching published articles of the local knowledge base (searched in the
``KbSearchWorker`` thread, as in the KB panel) and the list of chosen articles (title;
Delete or "Remove" takes one out).

An article id typed as it is (``refund-policy-en``, or several separated by commas) and
confirmed with Enter is accepted too, also without a local knowledge base. Articles used
in the KB panel during the interaction arrive through ``prelink`` (once: one the agent
removed is not added again). ``ids()`` gives the chosen ids in order."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .kb_search_worker import KbSearchWorker
from .text_style import mute

MAX_LINKED = 20
MAX_ID_CHARS = 500
SUGGESTIONS = 8
VISIBLE_ROWS = 4
#: What a typed article id may look like (the protocol's article ids).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
IdRole = Qt.ItemDataRole.UserRole + 1
TitleRole = Qt.ItemDataRole.UserRole + 2


def split_ids(text: str) -> list[str]:
    """Comma-separated ids (also the full-width comma), blanks dropped."""
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    return [p[:MAX_ID_CHARS] for p in parts if p]


class KbLinkPicker(QWidget):
    """Signals:
        sig_changed(): an article was added or removed.
    """

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 worker: KbSearchWorker | None = None) -> None:
        super().__init__(parent)
        self.worker: KbSearchWorker | None = None
        self.language: str | None = None
        self._token = 0
        self._offered: set[str] = set()   # pre-linked once (not again after a removal)
        self._lane = f"kb-link-picker-{id(self)}"
        self.setAccessibleName(self.tr("Linked knowledge-base articles"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(self.tr("Find an article to link"))
        self.edit.setPlaceholderText(self.tr("Search articles, or type an id and press Enter"))
        self.edit.setToolTip(self.tr("Type words to find an article and press Enter to link "
                                     "the highlighted one. To link an id as typed, close the "
                                     "list with Escape, then press Enter."))
        self.edit.setClearButtonEnabled(True)
        for b in self.edit.findChildren(QToolButton):  # the clear button
            b.setAccessibleName(self.tr("Clear the search"))
        self.edit.setMaxLength(10_000)
        lay.addWidget(self.edit)
        self.hint = mute(QLabel(self))
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("Article link hint"))
        self.hint.hide()
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.chosen = QListWidget(self)
        self.chosen.setAccessibleName(self.tr("Chosen articles"))
        self.chosen.setAlternatingRowColors(True)
        self.chosen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.chosen.setUniformItemSizes(True)
        self.chosen.setResizeMode(QListView.ResizeMode.Adjust)
        self.chosen.hide()
        row.addWidget(self.chosen, 1)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected article"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.hide()
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(row)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(SUGGESTIONS)
        self.popup = QListView()
        self.popup.setAccessibleName(self.tr("Matching articles"))
        self.completer.setPopup(self.popup)  # the completer owns it from now on
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(  # type: ignore[index]
            self._on_activated)
        self.edit.textEdited.connect(self._search)
        self.edit.returnPressed.connect(self.confirm)
        self.chosen.installEventFilter(self)
        self.chosen.currentRowChanged.connect(
            lambda r: self.remove_button.setEnabled(r >= 0))
        self.remove_button.clicked.connect(self.remove_current)
        self.setFocusProxy(self.edit)
        if worker is not None:
            self.set_worker(worker)

    # ---- public -----------------------------------------------------------------------------

    def set_worker(self, worker: KbSearchWorker | None) -> None:
        """Search through ``worker`` (None: ids only)."""
        if self.worker is not None:
            self.worker.sig_results.disconnect(self._on_results)
        self.worker = worker
        if worker is not None:
            worker.sig_results.connect(self._on_results)

    def set_language(self, language: str | None) -> None:
        """The customer's language, preferred in the suggestions."""
        self.language = language or None

    def ids(self) -> list[str]:
        return [str(self.chosen.item(n).data(IdRole)) for n in range(self.chosen.count())]

    def titles(self) -> list[str]:
        return [str(self.chosen.item(n).data(TitleRole)) for n in range(self.chosen.count())]

    def add(self, article_id: str, title: str = "") -> bool:
        """Choose an article (False when it already is, or the list is full)."""
        article_id = article_id.strip()[:MAX_ID_CHARS]
        if not article_id or article_id in self.ids() or self.chosen.count() >= MAX_LINKED:
            return False
        shown = f"{title} ({article_id})" if title and title != article_id else article_id
        item = QListWidgetItem(shown, self.chosen)
        item.setData(IdRole, article_id)
        item.setData(TitleRole, title or article_id)
        item.setToolTip(shown)
        self._update_list()
        self.sig_changed.emit()
        return True

    def remove(self, article_id: str) -> bool:
        for n in range(self.chosen.count()):
            if self.chosen.item(n).data(IdRole) == article_id:
                self.chosen.takeItem(n)
                self._update_list()
                self.sig_changed.emit()
                return True
        return False

    @Slot()
    def remove_current(self) -> None:
        item = self.chosen.currentItem()
        if item is not None:
            self.remove(str(item.data(IdRole)))

    def prelink(self, article_id: str, title: str = "") -> bool:
        """An article used during the interaction: chosen, unless it was offered before
        (the agent may have removed it)."""
        if article_id in self._offered:
            return False
        self._offered.add(article_id)
        return self.add(article_id, title)

    def text(self) -> str:
        """The chosen ids, comma-separated (as the old line edit held them)."""
        return ", ".join(self.ids())

    def setText(self, text: str) -> None:  # noqa: N802 - the line edit's API, kept
        """Replace the chosen articles with the comma-separated ids in ``text``."""
        self.chosen.clear()
        for article_id in split_ids(text):
            self.add(article_id)
        self._update_list()
        self.sig_changed.emit()

    def suggestions(self) -> list[tuple[str, str]]:
        """(id, title) of the articles the popup offers now."""
        return [(str(self.model.item(n).data(IdRole)), str(self.model.item(n).data(TitleRole)))
                for n in range(self.model.rowCount())]

    def pick(self, row: int) -> bool:
        """Choose the ``row``-th suggestion (as clicking it in the popup does)."""
        index = self.model.index(row, 0)
        if not index.isValid():
            return False
        self._on_activated(index)
        return True

    # ---- searching --------------------------------------------------------------------------

    @Slot(str)
    def _search(self, text: str) -> None:
        self.hint.hide()
        if self.worker is None or not text.strip():
            self._token = 0
            self.model.clear()
            self.popup.hide()
            return
        self._token = self.worker.request(text, self.language, SUGGESTIONS + MAX_LINKED,
                                          True, lane=self._lane)

    @Slot(int, object)
    def _on_results(self, token: int, hits: list[object]) -> None:
        if token != self._token or not self.edit.text().strip():
            return
        chosen = set(self.ids())
        self.model.clear()
        for hit in hits:
            article_id, title = str(getattr(hit, "id", "")), str(getattr(hit, "title", ""))
            if not article_id or article_id in chosen:
                continue
            item = QStandardItem(f"{title} ({article_id})")
            item.setData(article_id, IdRole)
            item.setData(title, TitleRole)
            item.setToolTip(title)
            item.setEditable(False)
            self.model.appendRow(item)
            if self.model.rowCount() >= SUGGESTIONS:
                break
        if self.model.rowCount():
            self.completer.complete()  # Enter takes the best match, as in a combo box
            self.popup.setCurrentIndex(self.model.index(0, 0))
        else:
            self.popup.hide()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        article_id = index.data(IdRole)
        if article_id:
            self.add(str(article_id), str(index.data(TitleRole) or ""))
        self._reset_edit()

    @Slot()
    def confirm(self) -> None:
        """Enter in the box: the highlighted suggestion (the best one unless the agent
        moved), or — with no suggestion shown (none found, or closed with Escape) — the
        typed id(s)."""
        popup = self.popup
        if popup.isVisible() and popup.currentIndex().isValid():
            self._on_activated(popup.currentIndex())
            return
        text = self.edit.text().strip()
        if not text:
            return
        ids = split_ids(text)
        known = {i: t for i, t in self.suggestions()}
        if not ids or not all(i in known or ID_PATTERN.match(i) for i in ids):
            self.hint.setText(self.tr("Choose an article from the list, or type its id."))
            self.hint.show()
            return
        for article_id in ids:
            self.add(article_id, known.get(article_id, ""))
        self._reset_edit()

    def _reset_edit(self) -> None:
        self._token = 0
        self.edit.clear()
        self.model.clear()
        self.popup.hide()
        self.hint.hide()

    def _update_list(self) -> None:
        n = self.chosen.count()
        rows = max(1, min(n, VISIBLE_ROWS))  # as tall as its articles, then it scrolls
        row_h = self.chosen.sizeHintForRow(0) if n else self.fontMetrics().height() + 4
        self.chosen.setFixedHeight(rows * max(row_h, 1) + 2 * self.chosen.frameWidth())
        self.chosen.setVisible(n > 0)
        self.remove_button.setVisible(n > 0)
        self.remove_button.setEnabled(self.chosen.currentRow() >= 0)
        self.edit.setEnabled(n < MAX_LINKED)

    # ---- keys -------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.chosen and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_current()
            return True
        return super().eventFilter(obj, event)
