"""The unified queue pane: phone calls, emails and chats of every queue the agent works, in
one table ordered by urgency, with a channel/text filter bar, an offer bar (Accept /
Decline with a reason) and keyboard shortcuts.

Data flow: ``ClientBridge`` batches (every 30 ms) → ``QueueModel.apply_batch`` (incremental) →
``QTableView`` painted by ``QueueDelegate``. Ticking values are repainted once a second (one
viewport update, aligned to the server clock's second); ringing calls pulse at ~12 fps,
repainting only their rows."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..protocol.enums import Channel
from ..protocol.views import InteractionView
from .bridge import ClientBridge
from .queue_delegate import QueueDelegate
from .queue_filter_bar import QueueFilterBar
from .queue_model import (
    COL_CHANNEL,
    COL_CUSTOMER,
    COL_PRIORITY,
    COL_QUEUE,
    COL_SLA,
    COL_STATE,
    COL_SUBJECT,
    COL_WAITING,
    COLUMN_COUNT,
    QueueModel,
    QueueRow,
)
from .queue_offer_bar import QueueOfferBar

#: Column widths (logical px): fixed ones, and (weight, minimum) of those sharing the rest
#: until the user resizes a column by hand.
FIXED_WIDTHS = {COL_CHANNEL: 34, COL_PRIORITY: 88, COL_WAITING: 66, COL_SLA: 142}
FLEX_WIDTHS = {COL_CUSTOMER: (3.0, 110), COL_SUBJECT: (5.0, 110), COL_QUEUE: (1.4, 70),
               COL_STATE: (3.2, 130)}
RING_INTERVAL_MS = 80

#: (key sequence, description) of every shortcut; descriptions are translated on request.
_SHORTCUTS: tuple[tuple[str, object], ...] = (  # labels: QT_TRANSLATE_NOOP
    ("Ctrl+Shift+A", QT_TRANSLATE_NOOP("QueuePane", "Accept the offer")),
    ("Ctrl+Shift+D", QT_TRANSLATE_NOOP("QueuePane", "Decline the offer with a reason")),
    ("Ctrl+Shift+N", QT_TRANSLATE_NOOP("QueuePane", "Select the next most urgent interaction")),
    ("Ctrl+F", QT_TRANSLATE_NOOP("QueuePane", "Filter the queue by text")),
    ("Alt+1", QT_TRANSLATE_NOOP("QueuePane", "Show every channel")),
    ("Alt+2", QT_TRANSLATE_NOOP("QueuePane", "Show only phone calls")),
    ("Alt+3", QT_TRANSLATE_NOOP("QueuePane", "Show only emails")),
    ("Alt+4", QT_TRANSLATE_NOOP("QueuePane", "Show only chats")),
    ("Up, Down", QT_TRANSLATE_NOOP("QueuePane", "Move through the queue")),
    ("Return", QT_TRANSLATE_NOOP("QueuePane", "Open the selected interaction")),
    ("Esc", QT_TRANSLATE_NOOP("QueuePane",
                              "Clear the text filter and return to the queue")),
)


class QueueView(QTableView):
    """The queue table: Enter opens the current row on every platform; columns share the
    width (see ``FIXED_WIDTHS``/``FLEX_WIDTHS``) until the user resizes one.

    Signals:
        sig_open_current(): Enter/Return was pressed on a current row.
    """

    sig_open_current = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fitting = False
        self.user_sized = False

    def setup_columns(self) -> None:
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(COL_CHANNEL, QHeaderView.ResizeMode.Fixed)
        hh.sectionResized.connect(self._on_section_resized)
        self.fit_columns()

    def fit_columns(self) -> None:
        if self.user_sized:
            return
        # every flexible column gets its minimum, the rest is shared by weight
        extra = max(0, self.viewport().width() - sum(FIXED_WIDTHS.values())
                    - sum(m for _, m in FLEX_WIDTHS.values()))
        total = sum(w for w, _ in FLEX_WIDTHS.values())
        hh = self.horizontalHeader()
        self._fitting = True
        try:
            for col, width in FIXED_WIDTHS.items():
                hh.resizeSection(col, width)
            cols = sorted(FLEX_WIDTHS)
            left = extra
            for col in cols:
                weight, minimum = FLEX_WIDTHS[col]
                share = left if col == cols[-1] else int(extra * weight / total)
                hh.resizeSection(col, minimum + share)
                left -= share
        finally:
            self._fitting = False

    @Slot(int, int, int)
    def _on_section_resized(self, _col: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.user_sized = True

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:  # also when a scroll bar comes or goes
            self.fit_columns()
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
                ~Qt.KeyboardModifier.KeypadModifier):
            if self.currentIndex().isValid():
                self.sig_open_current.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class QueuePane(QWidget):
    """Signals:
        sig_open_requested(int): open an interaction (Enter or double-click on its row).
        sig_accept_requested(int): accept an offer to me (button or Ctrl+Shift+A).
        sig_decline_requested(int, str): decline an offer with a reason code ("busy",
            "skill", "language", "break") or the agent's own words ("Other…").
        sig_counts_changed(dict): ``{"all", "phone", "email", "chat", "offers", "mine"}``
            counts changed (meaning: ``QueueModel``'s module docstring).
    """

    sig_open_requested = Signal(int)
    sig_accept_requested = Signal(int)
    sig_decline_requested = Signal(int, str)
    sig_counts_changed = Signal(dict)

    def __init__(self, bridge: ClientBridge, parent: QWidget | None = None, *,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._now = now
        self._urgent_cursor: int | None = None
        self.model = QueueModel(bridge.state, self, now=now)
        self.filter_bar = QueueFilterBar(self)
        self.offer_bar = QueueOfferBar(self)
        self.view = QueueView(self)
        self.delegate = QueueDelegate(self.model, self.view)
        self._setup_view()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(6)
        lay.addWidget(self.filter_bar)
        lay.addWidget(self.offer_bar)
        lay.addWidget(self.view, 1)
        self._tick_timer = QTimer(self)
        self._tick_timer.setSingleShot(True)
        self._tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._ring_timer = QTimer(self)
        self._ring_timer.setInterval(RING_INTERVAL_MS)
        self._shortcuts: dict[str, QShortcut] = {}
        self._make_shortcuts()
        self._connect_signals()
        self.setTabOrder(self.filter_bar.buttons()[-1], self.filter_bar.text_edit)
        self.setTabOrder(self.filter_bar.text_edit, self.offer_bar.accept_button)
        self.setTabOrder(self.offer_bar.accept_button, self.offer_bar.decline_button)
        self.setTabOrder(self.offer_bar.decline_button, self.view)
        self.retranslate()
        self.model.reset_from_state()
        self._schedule_tick()

    # ---- construction -------------------------------------------------------------------

    def _setup_view(self) -> None:
        v = self.view
        v.setModel(self.model)
        v.setItemDelegate(self.delegate)
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        v.setShowGrid(False)
        v.setAlternatingRowColors(True)
        v.setWordWrap(False)
        v.setTabKeyNavigation(False)
        v.setCornerButtonEnabled(False)
        v.setMouseTracking(False)
        vh = v.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(max(28, v.fontMetrics().height() + 12))
        hh = v.horizontalHeader()
        hh.setSectionsClickable(True)
        hh.setSortIndicatorShown(True)
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        hh.setMinimumSectionSize(30)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        v.setup_columns()
        hh.setSortIndicator(COL_SLA, Qt.SortOrder.AscendingOrder)

    def _make_shortcuts(self) -> None:
        window = Qt.ShortcutContext.WindowShortcut
        local = Qt.ShortcutContext.WidgetWithChildrenShortcut
        actions: dict[str, tuple[Callable[[], None], Qt.ShortcutContext]] = {
            "Ctrl+Shift+A": (self.accept_offer, window),
            "Ctrl+Shift+D": (self.decline_offer, window),
            "Ctrl+Shift+N": (self.select_next_most_urgent, window),
            "Ctrl+F": (self._focus_filter, local),
            "Alt+1": (lambda: self.filter_bar.set_channel(None), local),
            "Alt+2": (lambda: self.filter_bar.set_channel(Channel.PHONE), local),
            "Alt+3": (lambda: self.filter_bar.set_channel(Channel.EMAIL), local),
            "Alt+4": (lambda: self.filter_bar.set_channel(Channel.CHAT), local),
        }
        for keys, (fn, context) in actions.items():
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(context)
            sc.activated.connect(fn)
            self._shortcuts[keys] = sc

    def _connect_signals(self) -> None:
        b = self._bridge
        b.sig_reset.connect(self._on_reset)
        b.sig_interactions_changed.connect(self._on_batch)
        b.sig_offered.connect(self._on_offered)
        b.sig_me_changed.connect(self._on_me_changed)
        self.model.sig_counts_changed.connect(self._on_counts)
        self.model.sig_offers_changed.connect(self._refresh_offer_bar)
        self.filter_bar.sig_channel_changed.connect(self.model.set_channel_filter)
        self.filter_bar.sig_text_changed.connect(self.model.set_text_filter)
        self.filter_bar.sig_escape_pressed.connect(self.view.setFocus)
        self.offer_bar.sig_accept_clicked.connect(self.accept_offer)
        self.offer_bar.sig_decline_chosen.connect(self._on_decline_chosen)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self.model.sort)
        self.view.sig_open_current.connect(self._open_current)
        self.view.doubleClicked.connect(self._open_index)
        self.view.selectionModel().currentRowChanged.connect(self._refresh_offer_bar)
        self._tick_timer.timeout.connect(self._tick)
        self._ring_timer.timeout.connect(self._ring)

    def retranslate(self) -> None:
        self.model.retranslate()
        self.delegate.retranslate()
        self.filter_bar.retranslate()
        self.offer_bar.retranslate()
        self.view.setAccessibleName(self.tr("Queue"))
        self.view.setAccessibleDescription(
            self.tr("Interactions waiting in your queues, offered to you or yours, most "
                    "urgent first. Press Enter to open the selected one."))
        self.setAccessibleName(self.tr("Queue pane"))
        self._refresh_offer_bar()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- public API ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return self.model.counts()

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        """(key sequence as shown to the user, translated description) for the help dialog."""
        out = []
        for keys, text in _SHORTCUTS:
            shown = ", ".join(QKeySequence(k.strip()).toString(
                QKeySequence.SequenceFormat.NativeText) for k in keys.split(","))
            out.append((shown, QCoreApplication.translate("QueuePane", str(text))))
        return out

    def selected_id(self) -> int | None:
        idx = self.view.currentIndex()
        if not idx.isValid() or not self.view.selectionModel().isRowSelected(idx.row()):
            return None
        return self.model.row_at(idx.row()).iid

    def select_id(self, iid: int) -> bool:
        """Select and show the row of interaction ``iid`` (False: not shown)."""
        row = self.model.row_of(iid)
        if row is None:
            return False
        idx = self.model.index(row, COL_CUSTOMER)
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx)
        return True

    def select_next_most_urgent(self) -> None:
        """Select the most urgent interaction (offers to me first); pressed again right
        after, walk down the urgency order."""
        order = self.model.urgency_order()
        if not order:
            return
        current = self.selected_id()
        nxt = order[0]
        if current is not None and current == self._urgent_cursor:
            for i, r in enumerate(order):
                if r.iid == current:
                    nxt = order[(i + 1) % len(order)]
                    break
        self._urgent_cursor = nxt.iid
        self.select_id(nxt.iid)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def target_offer(self) -> QueueRow | None:
        """The offer Accept/Decline act on: the selected row if it is an offer to me,
        otherwise the first (most urgent) offer."""
        offers = self.model.offers()
        if not offers:
            return None
        iid = self.selected_id()
        for r in offers:
            if r.iid == iid:
                return r
        return offers[0]

    @Slot()
    def accept_offer(self) -> None:
        row = self.target_offer()
        if row is not None:
            self.sig_accept_requested.emit(row.iid)

    @Slot()
    def decline_offer(self) -> None:
        """Ask for a reason (menu) and then emit ``sig_decline_requested``."""
        if self.target_offer() is not None:
            self._refresh_offer_bar()
            self.offer_bar.open_decline_menu()

    # ---- slots --------------------------------------------------------------------------

    @Slot()
    def _on_reset(self) -> None:
        self._urgent_cursor = None
        self.model.reset_from_state()

    @Slot(list, list)
    def _on_batch(self, upserted: list[InteractionView], removed: list[int]) -> None:
        self.model.apply_batch(upserted, removed)

    @Slot(object)
    def _on_offered(self, view: InteractionView) -> None:
        if view.channel == Channel.PHONE and self.window().isVisible():
            QApplication.alert(self.window(), 0)

    @Slot(object)
    def _on_me_changed(self, me: object) -> None:
        if self._bridge.state.my_id != self.model.my_id():
            self.model.reset_from_state()

    @Slot(dict)
    def _on_counts(self, counts: dict[str, int]) -> None:
        self.filter_bar.set_counts(counts)
        self.sig_counts_changed.emit(counts)

    @Slot()
    def _refresh_offer_bar(self) -> None:
        offers = self.model.offers()
        row = self.target_offer()
        self.offer_bar.show_offer(row, max(0, len(offers) - 1), self._now())
        ringing = any(r.channel == Channel.PHONE for r in offers)
        if ringing and not self._ring_timer.isActive():
            self._ring_timer.start()
        elif not ringing and self._ring_timer.isActive():
            self._ring_timer.stop()

    @Slot(int, str)
    def _on_decline_chosen(self, iid: int, reason: str) -> None:
        row = self.model.get(iid)
        if row is not None and row.offered_to_me:  # not timed out meanwhile
            self.sig_decline_requested.emit(iid, reason)

    @Slot()
    def _open_current(self) -> None:
        self._open_index(self.view.currentIndex())

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_open_requested.emit(self.model.row_at(index.row()).iid)

    @Slot()
    def _focus_filter(self) -> None:
        self.filter_bar.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.text_edit.selectAll()

    def _schedule_tick(self) -> None:
        """Next tick just after the server clock's next whole second."""
        frac = self._now() % 1.0
        self._tick_timer.start(int((1.0 - frac) * 1000) + 5)

    @Slot()
    def _tick(self) -> None:
        if self.view.isVisible():
            self.view.viewport().update()
        self.offer_bar.tick(self._now())
        self._schedule_tick()

    @Slot()
    def _ring(self) -> None:
        """Repaint only the rows of ringing calls (pinned at the top)."""
        if not self.view.isVisible():
            return
        vp = self.view.viewport()
        for i, r in enumerate(self.model.offers()):  # pinned: rows 0…n-1
            if r.channel == Channel.PHONE:
                y = self.view.rowViewportPosition(i)
                h = self.view.rowHeight(i)
                if y + h >= 0 and y <= vp.height():
                    vp.update(QRect(0, y, vp.width(), h))


__all__ = ["COLUMN_COUNT", "QueuePane", "QueueView"]
