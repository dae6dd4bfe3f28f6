"""The chat transcript's view: a ``QListView`` that keeps its own row geometry, so a batch of
new lines (or the "Seen" tick moving) costs the same however long the transcript is; the
bubbles are drawn by ``chat_transcript.BubbleDelegate``."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QRegion,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from .chat_transcript import TURN_ROLE, BubbleDelegate, Index, TranscriptModel


class TranscriptView(QListView):
    """The list of bubbles; stays at the bottom while new turns arrive if it was there.

    ``QListView`` lays every row out again (a ``sizeHint`` per row) whenever rows are
    inserted, so a flood into a long chat cost more and more per batch. This view keeps
    the geometry itself: the rows' heights and tops (in contents coordinates) for one
    viewport width. Appended rows are measured and added (cost per batch proportional to
    the batch, not to the transcript); a changed row (the "Seen" tick moving) is measured
    again and the rows below it move. The whole layout is done again only where Qt asks
    for it (``doItemsLayout``: the view's width or font changed, the model was reset).
    ``QListView``'s own layout is never run: this class answers every geometry question
    (``visualRect``, ``indexAt``, ``scrollTo``, ``moveCursor``, selection rectangles, the
    scroll bars) and paints the rows itself, as ``QListView`` does in list mode, top to
    bottom with no spacing, no hidden rows and no alternating row colours. It stays a
    ``QListView`` for the accessibility interface (a list of items)."""

    def __init__(self, model: TranscriptModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: list[int] = []
        self._widths: list[int] = []
        self._tops: list[int] = [0]  # row r spans [_tops[r], _tops[r + 1]); the last: total
        self._content_width = 0
        self._laid_for = -1  # the viewport width the rows were measured at
        self.full_layouts = 0  # for tests and benches
        self.setModel(model)
        self.setItemDelegate(BubbleDelegate(self))
        self.setAccessibleName(self.tr("Chat transcript"))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setSpacing(0)
        self._stick = True
        model.rowsAboutToBeInserted.connect(self._remember_bottom)
        model.modelAboutToBeReset.connect(self._remember_bottom)
        model.rowsInserted.connect(self._follow)
        model.modelReset.connect(self._follow)

    def _remember_bottom(self, *_args: object) -> None:
        bar = self.verticalScrollBar()
        self._stick = bar.value() >= bar.maximum() - 4

    def _follow(self, *_args: object) -> None:
        if self._stick:
            self.scrollToBottom()

    def copy_selected(self) -> str:
        """The selected turn's text (Ctrl+C copies it)."""
        ix = self.currentIndex()
        turn = ix.data(TURN_ROLE) if ix.isValid() else None
        return turn.text if turn is not None else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy) and self.copy_selected():
            QGuiApplication.clipboard().setText(self.copy_selected())
            return
        super().keyPressEvent(event)

    # ---- layout ------------------------------------------------------------------------

    def _index(self, row: int) -> QModelIndex:
        return self.model().index(row, self.modelColumn(), self.rootIndex())

    def _measure(self, first: int, last: int) -> tuple[list[int], list[int]]:
        """(widths, heights) of rows ``first`` .. ``last`` from their delegates."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.viewport().rect()
        widths: list[int] = []
        heights: list[int] = []
        for row in range(first, last + 1):
            ix = self._index(row)
            delegate = self.itemDelegateForIndex(ix)
            size = delegate.sizeHint(option, ix) if delegate is not None else QSize()
            widths.append(max(0, size.width()))
            heights.append(max(0, size.height()))
        return widths, heights

    def _retop(self, row: int) -> None:
        """Tops from ``row`` on, after heights changed there."""
        tops, heights = self._tops, self._heights
        del tops[row + 1:]
        y = tops[row]
        for h in heights[row:]:
            y += h
            tops.append(y)

    def _rows(self) -> int:
        model = self.model()
        return 0 if model is None else model.rowCount(self.rootIndex())

    def _current(self) -> bool:
        """The rows were measured at this width and none is missing."""
        return (self._laid_for == self.viewport().width()
                and len(self._heights) == self._rows())

    def doItemsLayout(self) -> None:  # noqa: N802
        old = self.state()
        self.setState(QAbstractItemView.State.ExpandingState)  # (as QListView does)
        n = self._rows()
        self._widths, self._heights = self._measure(0, n - 1)
        self._tops = [0]
        self._retop(0)
        self._content_width = max(self._widths, default=0)
        self._laid_for = self.viewport().width()
        self.full_layouts += 1
        QAbstractItemView.doItemsLayout(self)  # ends the posted layout, updateGeometries
        self.setState(old)

    def reset(self) -> None:
        self._widths, self._heights, self._tops = [], [], [0]
        self._laid_for = -1
        super().reset()  # posts a layout

    def rowsInserted(self, parent: Index, start: int, end: int) -> None:  # noqa: N802
        # not QListView's: it throws its layout away and lays every row out again
        if parent == self.rootIndex() and self._laid_for == self.viewport().width() \
                and len(self._heights) + end - start + 1 == self._rows() \
                and 0 <= start <= len(self._heights):
            widths, heights = self._measure(start, end)
            self._widths[start:start] = widths
            self._heights[start:start] = heights
            self._retop(start)
            self._content_width = max(self._content_width, *widths)
            self.updateGeometries()
            top = self._tops[start] - self.verticalOffset()
            self.viewport().update(QRect(0, top, self.viewport().width(),
                                         self.viewport().height() - top))
        elif parent == self.rootIndex():
            self.scheduleDelayedItemsLayout()
        QAbstractItemView.rowsInserted(self, parent, start, end)

    def dataChanged(self, top_left: Index, bottom_right: Index,  # noqa: N802
                    roles: Iterable[int] = ()) -> None:
        if top_left.isValid() and top_left.parent() == self.rootIndex() and self._current():
            first, last = top_left.row(), min(bottom_right.row(), len(self._heights) - 1)
            if first <= last:
                widths, heights = self._measure(first, last)
                if heights != self._heights[first:last + 1] \
                        or widths != self._widths[first:last + 1]:
                    bar = self.verticalScrollBar()
                    at_bottom = bar.value() >= bar.maximum() - 4
                    self._widths[first:last + 1] = widths
                    self._heights[first:last + 1] = heights
                    self._retop(first)
                    self._content_width = max(self._widths, default=0)
                    self.updateGeometries()
                    self.viewport().update()
                    if at_bottom:
                        bar.setValue(bar.maximum())
        super().dataChanged(top_left, bottom_right, list(roles))

    def updateGeometries(self) -> None:  # noqa: N802
        hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
        if self.geometry().isEmpty() or not self._heights or not self._rows():
            hbar.setRange(0, 0)
            vbar.setRange(0, 0)
        else:  # as QListView (QCommonListViewBase::update*ScrollBar)
            vp = self.viewport()
            cw, ch = self._content_width, self._tops[-1]
            room = self.contentsRect().marginsRemoved(self.viewportMargins()).size()
            both_auto = (self.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
                         and self.horizontalScrollBarPolicy()
                         == Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            hbar.setSingleStep(self._widths[0] + self.spacing())
            hbar.setPageStep(vp.width())
            v_wants = ch > room.height()
            h_wants = cw > room.width() - (vbar.width() if v_wants else 0)
            hbar.setRange(0, 0 if both_auto and not h_wants else cw - vp.width())
            vbar.setSingleStep(self._heights[0] + self.spacing())
            vbar.setPageStep(vp.height())
            h_wants = cw > room.width()
            v_wants = ch > room.height() - (hbar.height() if h_wants else 0)
            vbar.setRange(0, 0 if both_auto and not v_wants else ch - vp.height())
        QAbstractItemView.updateGeometries(self)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)  # stops a pending auto scroll; moves nothing, as
        # QListView's layout (which it would scroll by) is empty
        dx = -dx if self.isRightToLeft() else dx
        self.scrollDirtyRegion(dx, dy)
        self.viewport().scroll(dx, dy)

    # ---- geometry ----------------------------------------------------------------------

    def horizontalOffset(self) -> int:  # noqa: N802
        bar = self.horizontalScrollBar()
        return bar.maximum() - bar.value() if self.isRightToLeft() else bar.value()

    def verticalOffset(self) -> int:  # noqa: N802
        return self.verticalScrollBar().value()

    def _row_span(self, top: int, bottom: int) -> range:
        """Rows meeting contents lines ``top`` .. ``bottom`` (inclusive)."""
        n = len(self._heights)
        first = max(0, bisect_right(self._tops, top) - 1)
        last = min(n - 1, bisect_right(self._tops, bottom) - 1)
        return range(first, last + 1)

    def _ours(self, index: Index) -> bool:
        return (index.isValid() and index.row() < len(self._heights)
                and index.column() == self.modelColumn() and index.parent() == self.rootIndex())

    def _row_rect(self, row: int) -> QRect:
        """Row ``row`` in contents coordinates (as wide as the viewport, or wider)."""
        width = max(self._widths[row], self._content_width, self.viewport().width())
        return QRect(0, self._tops[row], width, self._heights[row])

    def visualRect(self, index: Index) -> QRect:  # noqa: N802
        if not self._ours(index):
            return QRect()
        return self._row_rect(index.row()).translated(-self.horizontalOffset(),
                                                        -self.verticalOffset())

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802
        y = point.y() + self.verticalOffset()
        for row in self._row_span(y, y):
            ix = self._index(row)
            if self.visualRect(ix).contains(point):
                return ix
        return QModelIndex()

    def scrollTo(self, index: Index,  # noqa: N802
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        rect = self.visualRect(index)
        if not rect.isValid():
            return
        area = self.viewport().rect()
        hints = QAbstractItemView.ScrollHint
        if hint == hints.EnsureVisible and area.contains(rect):
            self.viewport().update(rect)
            return
        bar = self.verticalScrollBar()  # as QCommonListViewBase::verticalScrollToValue
        value = bar.value()
        if hint == hints.PositionAtTop or (hint == hints.EnsureVisible
                                           and rect.top() < area.top()):
            value += rect.top()
        elif hint == hints.PositionAtBottom or (hint == hints.EnsureVisible
                                                and rect.bottom() > area.bottom()):
            value += min(rect.top(), rect.bottom() - area.height() + 1)
        elif hint == hints.PositionAtCenter:
            value += rect.top() - (area.height() - rect.height()) // 2
        bar.setValue(value)

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        n = len(self._heights)
        current = self.currentIndex()
        if n == 0:
            return QModelIndex()
        if not self._ours(current):
            return self._index(0)
        row, act = current.row(), QAbstractItemView.CursorAction
        vh = self.viewport().height()
        if action in (act.MovePageUp, act.MovePageDown) and self._heights[row] >= vh:
            action = act.MoveUp if action == act.MovePageUp else act.MoveDown
        if action in (act.MoveUp, act.MovePrevious):
            row = max(0, row - 1)
        elif action in (act.MoveDown, act.MoveNext):
            row = min(n - 1, row + 1)
        elif action == act.MoveHome:
            row = 0
        elif action == act.MoveEnd:
            row = n - 1
        elif action == act.MovePageUp:  # the highest row a page above still fully shown
            limit = self._tops[row + 1] - 1 - vh
            row = min(row, bisect_right(self._tops, limit)) if limit >= 0 else 0
        elif action == act.MovePageDown:  # the lowest row a page below still fully shown
            row = max(row, min(n - 1, bisect_right(self._tops, self._tops[row] + vh) - 2))
        return self._index(row)

    def setSelection(self, rect: QRect,  # noqa: N802
                     command: QItemSelectionModel.SelectionFlag) -> None:
        area = rect.normalized().translated(self.horizontalOffset(), self.verticalOffset())
        rows = [r for r in self._row_span(area.top(), area.bottom())
                if self._row_rect(r).intersects(area)
                and self._index(r).flags() & Qt.ItemFlag.ItemIsEnabled]
        selection = QItemSelection()
        if rows:
            first = rows[-1] if rect.width() == 1 and rect.height() == 1 else rows[0]
            selection.select(self._index(first), self._index(rows[-1]))
        self.selectionModel().select(selection, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:  # noqa: N802
        region = QRegion()
        area = self.viewport().rect()
        for i in range(selection.size()):
            part = selection.at(i)
            if not part.isValid() or part.parent() != self.rootIndex():
                continue
            top, bottom = part.topLeft(), part.bottomRight()
            if not (self._ours(top) and self._ours(bottom)):
                continue
            rect = QRect(self.visualRect(top).topLeft(), self.visualRect(bottom).bottomRight())
            if area.intersects(rect):
                region += rect
        return region

    # ---- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The rows the event's rectangle meets, as ``QListView::paintEvent`` paints them."""
        if self.itemDelegate() is None or not self._heights:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        state = option.state
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        editing = self.state() == QAbstractItemView.State.EditingState
        current = self.currentIndex()
        focus = (self.hasFocus() or self.viewport().hasFocus()) and current.isValid()
        selections = self.selectionModel()
        vp = self.viewport()
        hover = (self.indexAt(vp.mapFromGlobal(QCursor.pos())) if vp.underMouse()
                 else QModelIndex())
        max_width = max(vp.width(), self._content_width)
        area = event.rect().translated(self.horizontalOffset(), self.verticalOffset())
        painter = QPainter(vp)
        try:
            for row in self._row_span(area.top(), area.bottom()):
                ix = self._index(row)
                if not ix.isValid():
                    continue
                rect = self.visualRect(ix)
                rect.setWidth(min(max_width, rect.width()))
                option.rect = rect
                s = state
                if selections is not None and selections.isSelected(ix):
                    s |= QStyle.StateFlag.State_Selected
                if enabled:
                    group = QPalette.ColorGroup.Normal
                    if not ix.flags() & Qt.ItemFlag.ItemIsEnabled:
                        s &= ~QStyle.StateFlag.State_Enabled
                        group = QPalette.ColorGroup.Disabled
                    if option.palette.currentColorGroup() != group:
                        palette = QPalette(option.palette)
                        palette.setCurrentColorGroup(group)
                        option.palette = palette
                if focus and ix == current:
                    s |= QStyle.StateFlag.State_HasFocus
                    if editing:
                        s |= QStyle.StateFlag.State_Editing
                if ix == hover:
                    s |= QStyle.StateFlag.State_MouseOver
                option.state = s
                delegate = self.itemDelegateForIndex(ix)
                if delegate is not None:
                    delegate.paint(painter, option, ix)
        finally:
            painter.end()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.StyleChange, QEvent.Type.FontChange,
                    QEvent.Type.LanguageChange, QEvent.Type.LocaleChange):
            delegate = self.itemDelegate()
            if isinstance(delegate, BubbleDelegate):
                delegate.invalidate()
            self.scheduleDelayedItemsLayout()
        super().changeEvent(event)
