"""The customer's timeline: every past interaction on any channel, newest first, one row
each (date with the channel icon, subject, disposition, agent, CSAT). Enter or a
double-click asks for the full transcript (``sig_open_requested``)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..protocol import views as v
from .labels import channel_icon, channel_text, disposition_text

HISTORY_CHANNEL_ROLE = Qt.ItemDataRole.UserRole + 1
INTERACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
COL_DATE, COL_SUBJECT, COL_DISPOSITION, COL_AGENT, COL_CSAT = range(5)
#: Column widths in a narrow side panel; the agent column shows from ``WIDE`` pixels on.
DISPOSITION_W, AGENT_W, WIDE = 104, 64, 440
LOW_CSAT, HIGH_CSAT = QColor("#b91c1c"), QColor("#15803d")


def csat_text(csat: int | None) -> str:
    """"★ 4" (compact for the table); "" when there is no answer."""
    return f"★ {csat}" if csat is not None else ""


class CustomerTimeline(QTreeWidget):
    """Signals:
        sig_open_requested(int, str): open the transcript of this interaction (id, subject).
    """

    sig_open_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Past interactions"))
        self.setAccessibleDescription(self.tr("Press Enter to read the conversation."))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([self.tr("Date"), self.tr("Subject"),
                              self.tr("Disposition"), self.tr("Agent"), self.tr("CSAT")])
        self.setIconSize(QSize(14, 14))
        hdr = self.header()
        hdr.setStretchLastSection(False)
        hdr.setMinimumSectionSize(24)
        mode = QHeaderView.ResizeMode
        for col, how in ((COL_DATE, mode.ResizeToContents), (COL_SUBJECT, mode.Stretch),
                         (COL_DISPOSITION, mode.Interactive), (COL_AGENT, mode.Interactive),
                         (COL_CSAT, mode.ResizeToContents)):
            hdr.setSectionResizeMode(col, how)
        hdr.resizeSection(COL_DISPOSITION, DISPOSITION_W)
        hdr.resizeSection(COL_AGENT, AGENT_W)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemActivated.connect(self._activated)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.setColumnHidden(COL_AGENT, self.viewport().width() < WIDE)

    def set_interactions(self, past: list[v.PastInteraction]) -> None:
        self.clear()
        items = [self._item(p) for p in sorted(past, key=lambda p: (p.created_at, p.id),
                                               reverse=True)]
        self.addTopLevelItems(items)

    def interaction_ids(self) -> list[int]:
        items = (self.topLevelItem(n) for n in range(self.topLevelItemCount()))
        return [int(it.data(0, INTERACTION_ID_ROLE)) for it in items if it is not None]

    def _item(self, p: v.PastInteraction) -> QTreeWidgetItem:
        when = p.created_at.astimezone().strftime("%Y-%m-%d")
        channel = channel_text(str(p.channel))
        item = QTreeWidgetItem([when, p.subject or "—",
                                disposition_text(p.disposition, str(p.state)),
                                p.agent_name or "—", csat_text(p.csat)])
        item.setIcon(COL_DATE, channel_icon(str(p.channel)))
        item.setData(COL_DATE, HISTORY_CHANNEL_ROLE, channel)
        item.setData(COL_DATE, INTERACTION_ID_ROLE, p.id)
        item.setData(COL_DATE, Qt.ItemDataRole.AccessibleTextRole,
                     self.tr("%1, %2").replace("%1", when).replace("%2", channel))
        handled = self.tr("Handled by %1").replace("%1", p.agent_name) if p.agent_name else ""
        item.setToolTip(COL_DATE, self.tr("%1, %2").replace("%1", channel).replace(
            "%2", handled) if handled else channel)
        item.setToolTip(COL_SUBJECT, p.subject)
        item.setToolTip(COL_DISPOSITION, item.text(COL_DISPOSITION))
        if p.resolved_first_contact:
            item.setToolTip(COL_DISPOSITION, self.tr("%1, resolved on first contact").replace(
                "%1", item.text(COL_DISPOSITION)))
        if p.csat is not None:
            scores = [self.tr("Satisfaction (CSAT) %1 of 5").replace("%1", str(p.csat))]
            if p.nps is not None:
                scores.append(self.tr("NPS %1 of 10").replace("%1", str(p.nps)))
            if p.ces is not None:
                scores.append(self.tr("Effort (CES) %1 of 7").replace("%1", str(p.ces)))
            item.setToolTip(COL_CSAT, " · ".join(scores))
            item.setData(COL_CSAT, Qt.ItemDataRole.AccessibleTextRole, scores[0])
            if p.csat <= 2 or p.csat >= 4:
                item.setForeground(COL_CSAT, QBrush(LOW_CSAT if p.csat <= 2 else HIGH_CSAT))
        return item

    @Slot(QTreeWidgetItem, int)
    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        iid = item.data(COL_DATE, INTERACTION_ID_ROLE)
        if iid is not None:
            self.sig_open_requested.emit(int(iid), item.text(COL_SUBJECT))
