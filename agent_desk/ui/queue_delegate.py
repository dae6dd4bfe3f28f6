"""Paints the queue's cells, including the ticking ones (waiting time, SLA countdown, offer
countdown), computed here for the visible rows only.

One delegate paints every column straight from the ``QueueRow`` (no ``data()`` round trips,
no style sub-elements): a full repaint of ~30 rows costs a few milliseconds, so the pane can
repaint the viewport once a second. ``paint_inputs()`` is the pure part (what a cell shows
at a given instant), separate from the drawing so it can be tested.

SLA cells carry an icon of a distinct shape (check / triangle / octagon) and, when at risk
or breached, a word next to the coloured countdown: colour is never the only signal."""

from __future__ import annotations

import itertools
import math
import time
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..protocol.enums import Channel, Priority, SlaStatus, Tier
from . import icons
from .queue_model import (
    COL_CHANNEL,
    COL_CUSTOMER,
    COL_PRIORITY,
    COL_SLA,
    COL_STATE,
    COL_WAITING,
    QueueModel,
    QueueRow,
)
from .queue_sla import format_countdown, format_duration, sla_reading

PAD = 8  # horizontal padding inside a cell
GAP = 6  # between an icon and its text
ICON = 16
BADGE = 14

#: Text colours (readable on a light background; the icons carry the meaning too).
SLA_COLORS = {SlaStatus.ON_TRACK: QColor("#2e7d32"), SlaStatus.WARNING: QColor("#a35200"),
              SlaStatus.BREACHED: QColor("#c62828")}
SLA_ICONS = {SlaStatus.ON_TRACK: "sla-on-track", SlaStatus.WARNING: "sla-at-risk",
             SlaStatus.BREACHED: "sla-breached"}
CHANNEL_ICONS = {Channel.PHONE: "channel-phone", Channel.EMAIL: "channel-email",
                 Channel.CHAT: "channel-chat"}
TIER_ICONS = {Tier.GOLD: "tier-gold", Tier.VIP: "tier-vip"}
PRIORITY_ICONS = {Priority.URGENT: "priority-urgent", Priority.HIGH: "priority-high",
                  Priority.LOW: "priority-low"}
OFFER_COLOR = QColor("#a35200")
#: Offer rows: an amber tint and an accent bar; ringing calls pulse between the two tints.
OFFER_TINT = QColor(245, 158, 11, 38)
RING_TINT = QColor(245, 158, 11, 110)
ACCENT = QColor("#e08a00")
RING_PERIOD_S = 1.2
_SELECTED = QStyle.StateFlag.State_Selected.value
_SERIALS = itertools.count()
_GROUP_BITS = QStyle.StateFlag.State_Enabled.value | QStyle.StateFlag.State_Active.value


class CellPaint(NamedTuple):
    """What one cell shows at one instant (the delegate's paint inputs)."""

    text: str
    icon: str | None = None  # icon name (see ``icons.ICON_NAMES``)
    color: QColor | None = None  # text colour; None: the palette's text colour
    note: str = ""  # a short word after the text (SLA status)
    bold: bool = False
    align_right: bool = False
    badge: str | None = None  # icon drawn after the text (tier)
    trailing: str = ""  # right-aligned, e.g. the offer countdown


def ring_strength(t: float) -> float:
    """0…1: how strongly a ringing call's row is lit at monotonic time ``t`` (a smooth
    pulse with period ``RING_PERIOD_S``)."""
    return 0.5 - 0.5 * math.cos(2 * math.pi * (t % RING_PERIOD_S) / RING_PERIOD_S)


def row_tint(row: QueueRow, t: float) -> QColor | None:
    """The background of a row: none, the offer tint, or (ringing call) a pulsing tint."""
    if not row.offered_to_me:
        return None
    if row.channel != Channel.PHONE:
        return OFFER_TINT
    k = ring_strength(t)
    a, b = OFFER_TINT, RING_TINT
    return QColor(round(a.red() + (b.red() - a.red()) * k),
                  round(a.green() + (b.green() - a.green()) * k),
                  round(a.blue() + (b.blue() - a.blue()) * k),
                  round(a.alpha() + (b.alpha() - a.alpha()) * k))


class _Look:
    """What painting needs from a font and a palette, computed once."""

    def __init__(self, font: QFont, palette: QPalette, key: tuple[int, int]) -> None:
        bold, small = QFont(font), QFont(font)
        bold.setBold(True)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.86))
        self.key = key
        self.serial = next(_SERIALS)  # identifies this font + palette in the text cache
        self.fonts = (QFont(font), bold, small)
        self.metrics = tuple(QFontMetrics(f) for f in self.fonts)
        self.line_height = self.metrics[0].height()
        self.small_height = self.metrics[2].height()
        self.highlight = palette.brush(QPalette.ColorRole.Highlight)
        self.highlighted_text = palette.color(QPalette.ColorRole.HighlightedText)
        self.text = palette.color(QPalette.ColorRole.Text)


class QueueDelegate(QStyledItemDelegate):
    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._looks: dict[tuple[int, int], _Look] = {}
        self._last_look: _Look | None = None
        self._texts: dict[tuple[str, int, int, int], tuple[QStaticText, int]] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self._t_at_risk = self.tr("at risk")
        self._t_breached = self.tr("breached")

    # ---- what to paint --------------------------------------------------------------------

    def paint_inputs(self, row: QueueRow, col: int, now: float) -> CellPaint:
        """The content of cell (``row``, ``col``) at server time ``now``."""
        if col == COL_CHANNEL:
            return CellPaint("", CHANNEL_ICONS.get(row.channel))
        if col == COL_CUSTOMER:
            return CellPaint(row.customer, badge=TIER_ICONS.get(row.tier))
        if col == COL_PRIORITY:
            urgent = row.prio_rank <= 1
            return CellPaint(row.priority_text, PRIORITY_ICONS.get(row.view.priority),
                             bold=urgent)
        if col == COL_WAITING:
            return CellPaint(format_duration(now - row.created_ts), align_right=True)
        if col == COL_SLA:
            r = sla_reading(row.sla, now)
            note = ("" if r.status == SlaStatus.ON_TRACK else
                    self._t_at_risk if r.status == SlaStatus.WARNING else self._t_breached)
            return CellPaint(format_countdown(r.remaining_s), SLA_ICONS[r.status],
                             SLA_COLORS[r.status], note,
                             bold=r.status != SlaStatus.ON_TRACK)
        if col == COL_STATE and row.offered_to_me:
            left = ("" if row.offer_expires_ts is None
                    else format_countdown(row.offer_expires_ts - now))
            return CellPaint(row.state_text, "offer", OFFER_COLOR, bold=True, trailing=left)
        return CellPaint(row.texts[col])

    # ---- drawing ------------------------------------------------------------------------

    def _look(self, option: QStyleOptionViewItem, state: int) -> _Look:
        """Fonts, metrics and colours for ``option`` (cached per font, palette and colour
        group; ``QFont.key()`` is too slow to call per cell)."""
        font, palette = option.font, option.palette
        key = (palette.cacheKey(), state & _GROUP_BITS)
        look = self._last_look
        if look is not None and look.key == key and font == look.fonts[0]:
            return look
        look = self._looks.get(key)
        if look is None or font != look.fonts[0]:
            if len(self._looks) > 8:
                self._looks.clear()
            look = self._looks[key] = _Look(font, palette, key)
        self._last_look = look
        return look

    def _text(self, look: _Look, text: str, style: int, avail: int) -> tuple[QStaticText, int]:
        """``text`` elided to ``avail`` px in font ``style`` (0 normal, 1 bold, 2 small) as
        a laid-out ``QStaticText`` and its width; cached (painting repeats the same texts)."""
        key = (text, style, avail, look.serial)
        hit = self._texts.get(key)
        if hit is None:
            if len(self._texts) > 4000:
                self._texts.clear()
            fm = look.metrics[style]
            shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, avail))
            st = QStaticText(shown)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), look.fonts[style])
            hit = self._texts[key] = (st, fm.horizontalAdvance(shown))
        return hit

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        model = self._model
        row = model.row_at(index.row())
        col = index.column()
        rect: QRect = option.rect
        left, top, width, height = rect.x(), rect.y(), rect.width(), rect.height()
        state = option.state.value
        look = self._look(option, state)
        selected = state & _SELECTED
        if selected:
            painter.fillRect(rect, look.highlight)
        elif row.offered_to_me:
            tint = row_tint(row, time.monotonic())
            if tint is not None:
                painter.fillRect(rect, tint)
        if row.offered_to_me and col == 0:
            painter.fillRect(left, top, 3, height, ACCENT)
        cell = self.paint_inputs(row, col, model.now())
        dpr = painter.device().devicePixelRatioF()
        icon_y = top + (height - ICON) // 2
        x, right = left + PAD, left + width - PAD
        if cell.icon and not cell.text:  # icon only, centred
            painter.drawPixmap(left + (width - ICON) // 2, icon_y,
                               icons.pixmap(cell.icon, ICON, dpr))
            return
        if cell.icon:
            painter.drawPixmap(x, icon_y, icons.pixmap(cell.icon, ICON, dpr))
            x += ICON + GAP
        elif col == COL_PRIORITY:
            x += ICON + GAP  # keep priority words aligned
        style = 1 if cell.bold else 0
        painter.setFont(look.fonts[style])
        painter.setPen(look.highlighted_text if selected else
                       cell.color if cell.color is not None else look.text)
        text_y = top + (height - look.line_height) // 2
        if cell.trailing:
            st, tw = self._text(look, cell.trailing, style, 10_000)
            painter.drawStaticText(right - tw, text_y, st)
            right -= tw + GAP
        avail = right - x
        st, w = self._text(look, cell.text, style,
                           avail - (BADGE + GAP if cell.badge else 0))
        if cell.align_right:
            painter.drawStaticText(right - w, text_y, st)
            return
        painter.drawStaticText(x, text_y, st)
        x += w
        if cell.badge:
            painter.drawPixmap(x + GAP, top + (height - BADGE) // 2,
                               icons.pixmap(cell.badge, BADGE, dpr))
        elif cell.note:  # all or nothing: the icon already tells the status
            st, nw = self._text(look, cell.note, 2, 10_000)
            if x + GAP + nw <= right:
                painter.setFont(look.fonts[2])
                painter.drawStaticText(x + GAP, top + (height - look.small_height) // 2, st)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = option.fontMetrics
        return QSize(fm.horizontalAdvance(str(index.data() or "")) + 2 * PAD + ICON + GAP,
                     max(fm.height() + 10, ICON + 10))


__all__ = ["CellPaint", "QueueDelegate", "ring_strength", "row_tint"]
