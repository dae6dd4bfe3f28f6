"""The template editor's list: one row per reply template of the local knowledge base
(title, language, ``#shortcut``, refusal), updated in place by id so the selection survives
a refresh; the proxy that filters it by language (primary subtag) and text (title,
shortcut, tags, body); and ``read_templates``, which reads them from the local file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ..kb.template_store import Template, TemplateStore
from .keyed_rows import IdTableModel

COL_TITLE, COL_LANG, COL_SHORTCUT, COL_REFUSAL = range(4)
_COLUMNS = 4
TEMPLATE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: "title shortcut tags body" in lower case, for the text filter
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
LANGUAGE_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex


def primary(language: str | None) -> str:
    """``zh-CN`` / ``zh_CN`` → ``zh``."""
    return (language or "").replace("_", "-").split("-")[0].lower()


def read_templates(path: Path) -> list[Template] | None:
    """Every template of the local KB file (retired ones too), with a store of its own
    (call it off the GUI thread); None when the sync has not created the file yet."""
    from ..kb.store import KBStore, KBStoreError

    try:
        store = KBStore(path, create=False)
    except (FileNotFoundError, KBStoreError):
        return None
    try:
        return TemplateStore(store).templates(include_inactive=True)
    finally:
        store.close()


def _headers() -> tuple[str, ...]:
    return (QCoreApplication.translate("TemplateListModel", "Title"),
            QCoreApplication.translate("TemplateListModel", "Language"),
            QCoreApplication.translate("TemplateListModel", "Shortcut"),
            QCoreApplication.translate("TemplateListModel", "Refusal"))


class TemplateListModel(IdTableModel):
    COLUMNS = _COLUMNS

    def headers(self) -> tuple[str, ...]:
        return _headers()

    def set_templates(self, templates: list[Template]) -> None:
        """The list (in that order), updated in place (``keyed_rows``)."""
        self.set_rows(templates)

    def upsert(self, t: Template) -> None:
        """One template was saved: replace it (an inactive one is removed), or add it on
        top."""
        if t.active:
            super().upsert(t)
        else:
            self.remove(t.id)

    def template(self, row: int) -> Template | None:
        t = self.record(row)
        return t if isinstance(t, Template) else None

    def templates(self) -> list[Template]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self.template(index.row())
        if t is None:
            return None
        col = index.column()
        if role == TEMPLATE_ID_ROLE:
            return t.id
        if role == LANGUAGE_ROLE:
            return primary(t.language)
        if role == SEARCH_ROLE:
            return " ".join((t.title, "#" + (t.shortcut or ""), " ".join(t.tags),
                             t.body)).casefold()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return t.title
            if col == COL_LANG:
                return t.language
            if col == COL_SHORTCUT:
                return "#" + t.shortcut if t.shortcut else ""
            if col == COL_REFUSAL:
                return QCoreApplication.translate("TemplateListModel", "Refusal") \
                    if t.refusal else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_REFUSAL and t.refusal:
            return QCoreApplication.translate(
                "TemplateListModel", "Says no in the decline → reason → alternative pattern")
        return None


class TemplateFilter(QSortFilterProxyModel):
    """Rows of one language (primary subtag; "" = all) containing every word of a text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._language = ""
        self._words: list[str] = []

    def set_filter(self, language: str, text: str) -> None:
        self.beginFilterChange()
        self._language = primary(language)
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        idx = model.index(source_row, 0, source_parent)
        if self._language and idx.data(LANGUAGE_ROLE) != self._language:
            return False
        hay = str(idx.data(SEARCH_ROLE) or "")
        return all(w in hay for w in self._words)
