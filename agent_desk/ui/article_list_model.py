"""The article editor's list: one row per knowledge-base article (title, language, state,
review date, author, last change), updated in place by id so the selection survives a
refresh. Articles whose review date has passed are flagged (bold red date, tooltip)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ..protocol import kb
from ..protocol.enums import ArticleState
from .keyed_rows import IdTableModel

COL_TITLE, COL_LANG, COL_STATE, COL_DUE, COL_AUTHOR, COL_UPDATED = range(6)
_COLUMNS = 6
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
_OVERDUE = QColor("#b3261e")
Index = QModelIndex | QPersistentModelIndex


def state_text(state: ArticleState | str) -> str:
    return {
        "draft": QCoreApplication.translate("ArticleState", "Draft"),
        "in_review": QCoreApplication.translate("ArticleState", "In review"),
        "published": QCoreApplication.translate("ArticleState", "Published"),
        "archived": QCoreApplication.translate("ArticleState", "Archived"),
    }.get(str(state), str(state))


def _headers() -> tuple[str, ...]:
    return (QCoreApplication.translate("ArticleListModel", "Title"),
            QCoreApplication.translate("ArticleListModel", "Language"),
            QCoreApplication.translate("ArticleListModel", "State"),
            QCoreApplication.translate("ArticleListModel", "Review due"),
            QCoreApplication.translate("ArticleListModel", "Author"),
            QCoreApplication.translate("ArticleListModel", "Changed"))


def is_overdue(a: kb.ArticleView, today: date | None = None) -> bool:
    """A published article whose review date has passed (the server lists the same)."""
    return (a.state == ArticleState.PUBLISHED and a.review_due is not None
            and a.review_due < (today or date.today()))


class ArticleListModel(IdTableModel):
    COLUMNS = _COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = date.today()

    def headers(self) -> tuple[str, ...]:
        return _headers()

    def set_articles(self, articles: list[kb.ArticleView]) -> None:
        """The list (in that order), updated in place (``keyed_rows``)."""
        self._today = date.today()
        self.set_rows(articles)

    def article(self, row: int) -> kb.ArticleView | None:
        a = self.record(row)
        return a if isinstance(a, kb.ArticleView) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self.article(index.row())
        if a is None:
            return None
        col = index.column()
        overdue = is_overdue(a, self._today)
        if role == ARTICLE_ID_ROLE:
            return a.id
        if role == OVERDUE_ROLE:
            return overdue
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return a.title
            if col == COL_LANG:
                return a.language
            if col == COL_STATE:
                text = state_text(a.state)
                if a.published_version is not None and a.state != ArticleState.PUBLISHED:
                    text += " · " + QCoreApplication.translate(
                        "ArticleListModel", "v%1 published").replace(
                            "%1", str(a.published_version))
                return text
            if col == COL_DUE:
                return a.review_due.isoformat() if a.review_due else "—"
            if col == COL_AUTHOR:
                return a.author_name or "—"
            if col == COL_UPDATED:
                return a.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_DUE and overdue:
            return QCoreApplication.translate(
                "ArticleListModel", "Review overdue: check that this article is still right")
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_DUE and overdue:
            return QBrush(_OVERDUE)
        if role == Qt.ItemDataRole.FontRole and col == COL_DUE and overdue:
            f = QFont()
            f.setBold(True)
            return f
        return None
