"""The template editor's list: one row per reply template of the local knowledge base
(title, language, ``#shortcut``, refusal), updated in place by id so the selection survives
a refresh; the proxy that filters it by language (primary subtag) and text (title,
shortcut, tags, body); and ``read_templates``, which reads them from the local file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ..kb.template_store import Template, TemplateStore
from .keyed_rows import sync_rows

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


class TemplateListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Template] = []

    # ---- updates -------------------------------------------------------------------------

    def set_templates(self, templates: list[Template]) -> None:
        """Make the rows equal ``templates`` (in that order) in place (``keyed_rows``), so
        the selected template stays selected."""
        sync_rows(self, self._rows, templates, lambda t: t.id, lambda first, last:
                  self.dataChanged.emit(self.index(first, 0), self.index(last, _COLUMNS - 1)))

    def upsert(self, t: Template) -> None:
        """One template was saved: replace it (an inactive one is removed), or add it on
        top."""
        row = self.row_of(t.id)
        if not t.active:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        elif row is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, t)
            self.endInsertRows()
        else:
            self._rows[row] = t
            self.dataChanged.emit(self.index(row, 0), self.index(row, _COLUMNS - 1))

    def row_of(self, template_id: str) -> int | None:
        for i, t in enumerate(self._rows):
            if t.id == template_id:
                return i
        return None

    def template(self, row: int) -> Template | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def templates(self) -> list[Template]:
        return list(self._rows)

    # ---- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _headers()[section]
        return None

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
