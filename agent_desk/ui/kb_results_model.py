"""The knowledge-base results list: a model of search hits and the delegate painting them.

``KbResultsModel`` holds one ``ResultRow`` per hit with everything precomputed (the HTML of
the title and snippet with the matched words marked, the language, the tags), so
``data()`` is a lookup. ``set_hits`` applies a new result set **incrementally**, by article
id: rows no longer found are removed, rows that stay are moved to their new place
(``beginMoveRows``) and updated (``dataChanged``), new ones inserted — so the selection
(a persistent index) stays on its article while the agent types on ("refu" → "refund").

``KbResultDelegate`` paints a row as a small rich-text block: the title (bold), the snippet
(secondary colour) and the language and tags, with the matched words marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .kb_preview import meta_text
from .keyed_rows import sync_rows

if TYPE_CHECKING:
    from ..kb.search import Hit

#: ``data()`` roles.
IdRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2
SnippetRole = Qt.ItemDataRole.UserRole + 3
LanguageRole = Qt.ItemDataRole.UserRole + 4
TagsRole = Qt.ItemDataRole.UserRole + 5

#: How a matched word looks (readable on a selected row as on a plain one).
MARK_STYLE = "background-color:#fde68a; color:#1f2937;"
#: Stand-in for the secondary text colour, filled in when painting (light or dark).
MUTED = "%MUTED%"
_ROOT = QModelIndex()
_CHANGED_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                  Qt.ItemDataRole.AccessibleTextRole, HtmlRole, SnippetRole, LanguageRole,
                  TagsRole]


def marked_html(s: str, spans: Iterable[tuple[int, int]]) -> str:
    """``s`` as HTML with the ``(start, end)`` spans marked."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        end = min(end, len(s))
        if end <= start:
            continue
        out.append(escape(s[pos:start]))
        out.append(f'<span style="{MARK_STYLE}">{escape(s[start:end])}</span>')
        pos = end
    out.append(escape(s[pos:]))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class ResultRow:
    id: str
    title: str
    snippet: str
    language: str
    tags: tuple[str, ...]
    html: str         # title, snippet, language and tags; ``MUTED`` stands for the colour
    accessible: str   # what a screen reader says

    @classmethod
    def of(cls, hit: Hit) -> ResultRow:
        meta = meta_text(hit.language, hit.tags)
        html = (f'<div style="font-weight:600">{marked_html(hit.title, hit.title_highlights)}'
                f'</div>')
        if hit.snippet:
            html += (f'<div style="color:{MUTED}">{marked_html(hit.snippet, hit.highlights)}'
                     f'</div>')
        if meta:
            html += f'<div style="color:{MUTED}; font-size:small">{escape(meta)}</div>'
        accessible = ". ".join(p for p in (hit.title, hit.snippet, meta) if p)
        return cls(hit.id, hit.title, hit.snippet, hit.language, tuple(hit.tags), html,
                   accessible)


class KbResultsModel(QAbstractListModel):
    """The hits of the current query, best first (see the module docstring)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []

    # ---- Qt API -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == IdRole:
            return row.id
        if role == HtmlRole:
            return row.html
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.accessible
        if role == SnippetRole:
            return row.snippet
        if role == LanguageRole:
            return row.language
        if role == TagsRole:
            return list(row.tags)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemNeverHasChildren

    # ---- rows -------------------------------------------------------------------------------

    def rows(self) -> list[ResultRow]:
        return list(self._rows)

    def ids(self) -> list[str]:
        return [r.id for r in self._rows]

    def row(self, n: int) -> ResultRow | None:
        return self._rows[n] if 0 <= n < len(self._rows) else None

    def row_of(self, article_id: str) -> int:
        for n, r in enumerate(self._rows):
            if r.id == article_id:
                return n
        return -1

    def clear(self) -> None:
        self.set_rows([])

    def set_hits(self, hits: Sequence[Hit]) -> None:
        self.set_rows([ResultRow.of(h) for h in hits])

    def set_rows(self, rows: Sequence[ResultRow]) -> None:
        """Make the model show ``rows`` (in this order) with the fewest structural
        changes: removals, moves and inserts, then one ``dataChanged``."""
        sync_rows(self, self._rows, rows, lambda r: r.id, lambda first, last:
                  self.dataChanged.emit(self.index(first), self.index(last), _CHANGED_ROLES))


class KbResultDelegate(QStyledItemDelegate):
    """Paints a result as rich text (title, snippet, language and tags) as wide as the
    view; the documents are cached by content, width and colours."""

    PAD = 6
    MAX_CACHED = 200

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._docs: dict[tuple[str, int, str, str], QTextDocument] = {}

    def _doc(self, html: str, option: QStyleOptionViewItem, muted: str) -> QTextDocument:
        width = max(80, self._view.viewport().width() - 2 * self.PAD)
        key = (html, width, muted, option.font.key())
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) >= self.MAX_CACHED:
                self._docs.clear()
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(option.font)
            doc.setHtml(html.replace(MUTED, muted))
            doc.setTextWidth(width)
            self._docs[key] = doc
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text = pal.color(QPalette.ColorRole.HighlightedText if selected
                         else QPalette.ColorRole.Text)
        muted = text.name() if selected else pal.color(
            QPalette.ColorRole.PlaceholderText).name()
        doc = self._doc(str(index.data(HtmlRole) or ""), opt, muted)
        painter.save()
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.translate(QPointF(rect.topLeft()))
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, text)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        doc = self._doc(str(index.data(HtmlRole) or ""), option, "#808080")
        return QSize(int(doc.idealWidth()) + 2 * self.PAD,
                     int(doc.size().height()) + 2 * self.PAD)

    def clear_cache(self) -> None:
        self._docs.clear()
