"""The chat transcript on screen: a list model over ``channels.chat.Chat`` (turns in time
order, inserted incrementally so a flood costs one insert per batch) and a delegate that
draws bubbles: the customer on the left, the agent on the right, system lines centred,
internal notes full width in amber; each with author and time, and a "Seen" tick under the
newest agent message the customer has seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    QTime,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..channels.chat import Chat, Speaker, TranscriptChange, Turn
from ..protocol import views as v

TURN_ROLE = Qt.ItemDataRole.UserRole + 1
SEEN_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

#: (background, border) per speaker
BUBBLE = {Speaker.CUSTOMER: ("#f1f3f5", "#dde1e6"), Speaker.AGENT: ("#dcebfc", "#b9d4f5"),
          Speaker.NOTE: ("#fff6dc", "#f0d48a")}
PAD, GAP, MARGIN = 8, 3, 10


def note_turn(note: v.NoteView) -> Turn:
    return Turn(f"n{note.id}", Speaker.NOTE, note.body, note.at, note.author)


def time_text(at: datetime) -> str:
    local = at.astimezone()
    return QLocale().toString(QTime(local.hour, local.minute, local.second),
                              QLocale.FormatType.ShortFormat)


def heading(turn: Turn) -> str:
    when = time_text(turn.at)
    if turn.speaker == Speaker.NOTE:
        who = QCoreApplication.translate("ChatTranscript", "Internal note · %1").replace(
            "%1", turn.author)
    else:
        who = turn.author
    return f"{who} · {when}" if who else when


class TranscriptModel(QAbstractListModel):
    """Rows are the chat's turns. ``add`` returns the ``TranscriptChange`` (with the count
    of new customer turns, for unread badges)."""

    def __init__(self, chat: Chat, parent: Any = None) -> None:
        super().__init__(parent)
        self.chat = chat
        self._count = len(chat)  # what the views know; changes only inside begin/end
        self._seen_row: int | None = chat.last_seen_row()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        turn = self.chat[index.row()]
        if role == TURN_ROLE:
            return turn
        if role == SEEN_ROLE:
            return index.row() == self._seen_row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = f"{heading(turn)}: {turn.text}"
            if index.row() == self._seen_row:
                text += " · " + QCoreApplication.translate("ChatTranscript", "Seen")
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return turn.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return None

    def add(self, items: Iterable[Turn | v.MessageView | v.NoteView]) -> TranscriptChange:
        turns = [note_turn(x) if isinstance(x, v.NoteView) else x for x in items]
        change = self.chat.add_many(turns)
        if change.reset:
            self.beginResetModel()
            self._count = len(self.chat)
            self._seen_row = self.chat.last_seen_row()
            self.endResetModel()
            return change
        for row in change.updated:
            ix = self.index(row)
            self.dataChanged.emit(ix, ix)
        if change.inserted:
            self.beginInsertRows(QModelIndex(), change.first_row,
                                 change.first_row + change.inserted - 1)
            self._count = len(self.chat)
            self.endInsertRows()
        self._refresh_seen()
        return change

    def mark_seen(self, until: datetime | None) -> None:
        if until is not None:
            self.chat.mark_seen(until)
            self._refresh_seen()

    def seen_row(self) -> int | None:
        return self._seen_row

    def _refresh_seen(self) -> None:
        row = self.chat.last_seen_row()
        if row == self._seen_row:
            return
        old, self._seen_row = self._seen_row, row
        for r in (old, row):
            if r is not None and r < self._count:
                ix = self.index(r)
                self.dataChanged.emit(ix, ix)


# A layout: (bubble rect, text rect, row height), relative to (0, 0) of the row.
Layout = tuple[QRect, QRect, int]


class BubbleDelegate(QStyledItemDelegate):
    """Draws one turn as a bubble; heights follow the view's width.

    Layouts are cached per (viewport width, font) and, within that, per (turn, seen): a
    ``Turn`` is immutable and compared by value, so a turn whose text changes (or the
    "Seen" tick moving to another row) is a different key and is laid out afresh. The
    layouts of the current and the previous width are kept (a scroll bar that comes and
    goes switches between two widths); ``invalidate`` drops them all (style, language)."""

    GENERATIONS = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seen_text = QCoreApplication.translate("ChatTranscript", "Seen")
        self._cache: dict[tuple[int, str], dict[tuple[Turn, bool], Layout]] = {}
        self.computed = 0  # layouts computed (not found in the cache): for tests and benches

    def invalidate(self) -> None:
        self._cache.clear()

    @staticmethod
    def _width(option: QStyleOptionViewItem) -> int:
        w = option.widget
        if isinstance(w, QAbstractScrollArea):
            return max(120, w.viewport().width())
        return max(120, option.rect.width())

    @staticmethod
    def _flags(text: str) -> int:
        long_word = any(len(w) > 40 for w in text.split())
        wrap = Qt.TextFlag.TextWrapAnywhere if long_word else Qt.TextFlag.TextWordWrap
        return int(wrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)

    @staticmethod
    def _small(font: QFont) -> QFont:
        f = QFont(font)
        f.setPointSizeF(max(6.0, f.pointSizeF() * 0.85))
        return f

    def _cached(self, option: QStyleOptionViewItem, turn: Turn, seen: bool) -> Layout:
        """The layout shared with the cache: callers must not change its rects."""
        full = self._width(option)
        key = (full, option.font.key())
        gen = self._cache.pop(key, None)  # re-inserted last: the most recently used
        if gen is None:
            gen = {}
            while len(self._cache) >= self.GENERATIONS:
                del self._cache[next(iter(self._cache))]
        self._cache[key] = gen
        hit = gen.get((turn, seen))
        if hit is None:
            hit = gen[(turn, seen)] = self._compute(option, full, turn, seen)
            self.computed += 1
        return hit

    def _layout(self, option: QStyleOptionViewItem, turn: Turn, seen: bool) -> Layout:
        """(bubble rect, text rect, total height) relative to (0, 0) of the row (copies)."""
        bubble, text, height = self._cached(option, turn, seen)
        return QRect(bubble), QRect(text), height

    def _compute(self, option: QStyleOptionViewItem, full: int, turn: Turn, seen: bool
                 ) -> Layout:
        fm, small = QFontMetrics(option.font), QFontMetrics(self._small(option.font))
        if turn.speaker == Speaker.SYSTEM:
            max_w = full - 2 * MARGIN
            r = fm.boundingRect(QRect(0, 0, max_w, 100000), self._flags(turn.text)
                                | int(Qt.AlignmentFlag.AlignHCenter), turn.text)
            text = QRect((full - r.width()) // 2, GAP + small.height() + 1, r.width(),
                         r.height())
            return QRect(text), text, text.bottom() + GAP + 2
        max_w = full - 2 * MARGIN if turn.speaker == Speaker.NOTE else int(full * 0.72)
        inner = max(60, max_w - 2 * PAD)
        r = fm.boundingRect(QRect(0, 0, inner, 100000), self._flags(turn.text), turn.text)
        head_w = small.horizontalAdvance(heading(turn))
        w = min(max_w, max(r.width(), head_w) + 2 * PAD)
        if turn.speaker == Speaker.NOTE:
            w = max_w
        x = full - MARGIN - w if turn.speaker == Speaker.AGENT else MARGIN
        top = GAP + small.height() + 2
        bubble = QRect(x, top, w, r.height() + 2 * PAD - 2)
        text = bubble.adjusted(PAD, PAD - 1, -PAD, -PAD + 1)
        height = bubble.bottom() + GAP + (small.height() + 2 if seen else 0) + 2
        return bubble, text, height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        turn = index.data(TURN_ROLE)
        if turn is None:
            return super().sizeHint(option, index)
        return QSize(self._width(option),
                     self._cached(option, turn, bool(index.data(SEEN_ROLE)))[2])

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        turn: Turn | None = index.data(TURN_ROLE)
        if turn is None:
            return
        seen = bool(index.data(SEEN_ROLE))
        bubble, text, _h = self._layout(option, turn, seen)
        origin = option.rect.topLeft()
        bubble.translate(origin)
        text.translate(origin)
        pal = option.palette
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        small = self._small(option.font)
        sfm = QFontMetrics(small)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        head_y = option.rect.top() + GAP
        painter.setFont(small)
        painter.setPen(muted)
        head = heading(turn)
        if turn.speaker == Speaker.SYSTEM:
            painter.drawText(QRect(option.rect.left(), head_y, option.rect.width(),
                                   sfm.height()), int(Qt.AlignmentFlag.AlignHCenter), head)
            f = QFont(option.font)
            f.setItalic(True)
            painter.setFont(f)
            painter.drawText(text, self._flags(turn.text) | int(Qt.AlignmentFlag.AlignHCenter),
                             turn.text)
        else:
            align = (Qt.AlignmentFlag.AlignRight if turn.speaker == Speaker.AGENT
                     else Qt.AlignmentFlag.AlignLeft)
            painter.drawText(QRect(bubble.left() + 2, head_y, bubble.width() - 4,
                                   sfm.height()), int(align), head)
            bg, border = BUBBLE[turn.speaker]
            if option.state & QStyle.StateFlag.State_Selected:
                border = pal.color(QPalette.ColorRole.Highlight).name()
            painter.setPen(QPen(QColor(border), 1))
            painter.setBrush(QColor(bg))
            painter.drawRoundedRect(bubble.adjusted(0, 0, -1, -1), 8, 8)
            painter.setPen(QColor("#1f2328"))
            painter.setFont(option.font)
            painter.drawText(text, self._flags(turn.text), turn.text)
            if seen:
                self._paint_seen(painter, bubble, small)
        painter.restore()

    def _paint_seen(self, painter: QPainter, bubble: QRect, font: QFont) -> None:
        fm = QFontMetrics(font)
        tw = fm.horizontalAdvance(self.seen_text)
        tick = fm.height() * 0.7
        right = bubble.right() - 2
        y = bubble.bottom() + GAP
        painter.setFont(font)
        painter.setPen(QColor("#2e7d32"))
        painter.drawText(QRect(int(right - tw), y, tw + 1, fm.height()),
                         int(Qt.AlignmentFlag.AlignRight), self.seen_text)
        x0 = right - tw - tick - 4
        path = QPainterPath(QPointF(x0, y + fm.height() * 0.5))
        path.lineTo(QPointF(x0 + tick * 0.35, y + fm.height() * 0.78))
        path.lineTo(QPointF(x0 + tick, y + fm.height() * 0.22))
        painter.setPen(QPen(QColor("#2e7d32"), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
