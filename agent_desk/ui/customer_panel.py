"""The customer side panel: profile (name, tier, language), identities, and the list of past
interactions on every channel (date, channel, subject, disposition). Loaded with the
``get_customer`` query without blocking the GUI thread; offline it says so calmly and
retries when the connection returns. Full history detail comes with issue 4."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..protocol import views as v
from .labels import channel_icon, channel_text, disposition_text, language_text, tier_text

log = logging.getLogger("agent_desk.ui.customer_panel")
CACHE_S = 60.0
HISTORY_CHANNEL_ROLE = Qt.ItemDataRole.UserRole + 1
Loader = Callable[[int], Awaitable[v.Customer360]]

TIER_STYLE = {"vip": ("#6a1b9a", "#f3e5f5"), "gold": ("#8d6e00", "#fff8e1"),
              "standard": ("#37474f", "#eceff1")}


def emphasize(label: QLabel, scale: float = 1.0, *, bold: bool = True) -> QLabel:
    """Make ``label`` a heading: bold and ``scale`` times the base font size."""
    f = QFont(label.font())
    f.setBold(bold)
    if scale != 1.0:
        f.setPointSizeF(f.pointSizeF() * scale)
    label.setFont(f)
    return label


def mute(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour (readable in light and dark)."""
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(pal)
    return label


class CustomerPanel(QWidget):
    """Signals:
        sig_loaded(int): the customer with this id is shown.
    """

    sig_loaded = Signal(int)

    def __init__(self, loader: Loader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._brief: v.CustomerBrief | None = None
        self._task: asyncio.Task[None] | None = None
        self._cache: dict[int, tuple[float, v.Customer360]] = {}
        self.setAccessibleName(self.tr("Customer"))
        self.setMinimumWidth(280)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(8)
        self.title = mute(emphasize(QLabel(self.tr("CUSTOMER"), self), 0.85))
        outer.addWidget(self.title)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack, 1)
        # page 0: a message (nothing selected / loading / offline / error)
        msg_page = QWidget(self.stack)
        ml = QVBoxLayout(msg_page)
        ml.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(msg_page)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setAccessibleName(self.tr("Customer panel message"))
        self.retry = QPushButton(self.tr("Try again"), msg_page)
        self.retry.setAccessibleName(self.tr("Load the customer again"))
        self.retry.clicked.connect(self.refresh)
        ml.addWidget(self.message)
        ml.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        ml.addStretch(1)
        self.stack.addWidget(msg_page)
        # page 1: the customer
        self.stack.addWidget(self._build_profile())
        self._show_message(self.tr("Open an interaction to see its customer here."))

    def _build_profile(self) -> QWidget:
        page = QWidget(self.stack)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        head = QHBoxLayout()
        self.name = emphasize(QLabel(page), 1.4)
        self.name.setAccessibleName(self.tr("Customer name"))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setWordWrap(True)
        self.tier = QLabel(page)
        self.tier.setAccessibleName(self.tr("Customer tier"))
        head.addWidget(self.name, 1)
        head.addWidget(self.tier, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(3)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        lay.addLayout(self.form)
        self.history_title = emphasize(QLabel(page))
        self.history_title.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(self.history_title)
        self.history = QTreeWidget(page)
        self.history.setAccessibleName(self.tr("Past interactions"))
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setAlternatingRowColors(True)
        self.history.setHeaderLabels([self.tr("Date · channel"), self.tr("Subject"),
                                      self.tr("Disposition")])
        self.history.setIconSize(QSize(14, 14))
        hdr = self.history.header()
        hdr.setStretchLastSection(False)
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.ResizeToContents)):
            hdr.setSectionResizeMode(col, mode)
        lay.addWidget(self.history, 1)
        return page

    # ---- public ---------------------------------------------------------------------------

    @property
    def customer_id(self) -> int | None:
        return self._brief.id if self._brief else None

    def show_customer(self, brief: v.CustomerBrief | None) -> None:
        """Show ``brief`` (None: nothing). Loads the full record in the background."""
        if brief is not None and self._brief is not None and brief.id == self._brief.id \
                and self.stack.currentIndex() == 1:
            return
        self._brief = brief
        self._cancel()
        if brief is None:
            self._show_message(self.tr("Open an interaction to see its customer here."))
            return
        cached = self._cache.get(brief.id)
        if cached and time.monotonic() - cached[0] < CACHE_S:
            self._render(cached[1])
            return
        self._start_load(brief.id)

    @Slot()
    def refresh(self) -> None:
        """Load the current customer again (after reconnecting, or "Try again")."""
        if self._brief is None:
            return
        self._cache.pop(self._brief.id, None)
        self._cancel()
        self._start_load(self._brief.id)

    def offline_shown(self) -> bool:
        return self.stack.currentIndex() == 0 and not self.retry.isHidden()

    # ---- loading --------------------------------------------------------------------------

    def _start_load(self, cid: int) -> None:
        name = self._brief.name if self._brief else ""
        self._show_message(self.tr("Loading %1…").replace("%1", name), retry=False)
        self._task = asyncio.ensure_future(self._load(cid))

    async def _load(self, cid: int) -> None:
        from .controller import QueryFailed

        try:
            c = await self._loader(cid)
        except asyncio.CancelledError:
            raise
        except QueryFailed as exc:
            if self.customer_id == cid:
                self._show_message(exc.text, retry=True)
            return
        except Exception:
            log.exception("could not load customer %d", cid)
            if self.customer_id == cid:
                self._show_message(self.tr("The customer could not be loaded."), retry=True)
            return
        self._cache[cid] = (time.monotonic(), c)
        if self.customer_id == cid:
            self._render(c)

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    # ---- rendering ------------------------------------------------------------------------

    def _show_message(self, text: str, *, retry: bool = False) -> None:
        self.message.setText(text)
        self.retry.setVisible(retry)
        self.stack.setCurrentIndex(0)

    def _render(self, c: v.Customer360) -> None:
        self.name.setText(c.name)
        fg, bg = TIER_STYLE.get(str(c.tier), TIER_STYLE["standard"])
        self.tier.setText(tier_text(str(c.tier)))
        self.tier.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid "
                                f"{fg}; border-radius: 3px; padding: 1px 6px; font-weight: 600; }}")
        while self.form.rowCount():
            self.form.removeRow(0)
        self._row(self.tr("Language"), language_text(c.language))
        for ident in c.identities:
            self._row(channel_text(ident.kind), ident.value)
        if c.notes:
            self._row(self.tr("Notes"), c.notes)
        self.history_title.setText(self.tr("Past interactions (%1)").replace(
            "%1", str(len(c.interactions))))
        self.history.clear()
        items = []
        for p in c.interactions:
            when = p.created_at.astimezone().strftime("%Y-%m-%d")
            channel = channel_text(str(p.channel))
            item = QTreeWidgetItem([when, p.subject or "—",
                                    disposition_text(p.disposition, str(p.state))])
            item.setIcon(0, channel_icon(str(p.channel)))
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                         self.tr("%1, %2").replace("%1", when).replace("%2", channel))
            item.setData(0, HISTORY_CHANNEL_ROLE, channel)
            handled = self.tr("Handled by %1").replace("%1", p.agent_name) \
                if p.agent_name else ""
            item.setToolTip(0, self.tr("%1, %2").replace("%1", channel).replace(
                "%2", handled) if handled else channel)
            item.setToolTip(1, p.subject)
            items.append(item)
        self.history.addTopLevelItems(items)
        self.stack.setCurrentIndex(1)
        self.sig_loaded.emit(c.id)

    def _row(self, label: str, value: str) -> None:
        val = QLabel(value, self)
        val.setWordWrap(True)
        val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        val.setAccessibleName(label)
        self.form.addRow(label, val)
