"""The offer bar above the queue: the offer to act on, its countdown, Accept and Decline.

It is shown while at least one interaction is offered to the agent, so an offer is visible
at once wherever the queue is scrolled. Decline asks for a reason from a short menu of
common reasons plus "Other…" (free text)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..protocol.enums import Channel
from . import icons
from .elided_label import ElidedLabel
from .queue_model import QueueRow
from .queue_sla import format_countdown

#: Decline reasons offered in the menu: (code sent to the server, English label). The code
#: is stable for reporting; "Other…" sends the text the agent types instead.
DECLINE_REASONS: tuple[tuple[str, object], ...] = (  # labels: QT_TRANSLATE_NOOP
    ("busy", QT_TRANSLATE_NOOP("QueueOfferBar", "Busy with another customer")),
    ("skill", QT_TRANSLATE_NOOP("QueueOfferBar", "Outside my skills")),
    ("language", QT_TRANSLATE_NOOP("QueueOfferBar", "I don't speak the customer's language")),
    ("break", QT_TRANSLATE_NOOP("QueueOfferBar", "Going on a break")),
)
OTHER_REASON = "other"

_STYLE = """
QFrame#offerBar {
    background: rgba(245, 158, 11, 0.16); border: 1px solid rgba(224, 138, 0, 0.8);
    border-radius: 6px;
}
QLabel#offerHeadline { font-weight: bold; }
"""


def _reason_label(code: str) -> str:
    for c, label in DECLINE_REASONS:
        if c == code:
            return QCoreApplication.translate("QueueOfferBar", str(label))
    return code


class QueueOfferBar(QFrame):
    """Signals:
        sig_accept_clicked(): the Accept button was pressed.
        sig_decline_chosen(int, str): a decline reason was chosen for an offer (its id is
            fixed when the menu opens, so a selection change meanwhile does not matter).
    """

    sig_accept_clicked = Signal()
    sig_decline_chosen = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offerBar")
        self.setStyleSheet(_STYLE)
        self._row: QueueRow | None = None
        self._more = 0
        self._decline_iid: int | None = None
        self.other_dialog: QInputDialog | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 8, 6)
        lay.setSpacing(10)
        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(icons.pixmap("offer", 24, self.devicePixelRatioF()))
        lay.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        text = QVBoxLayout()
        text.setSpacing(1)
        self.headline = ElidedLabel(self)  # long names and subjects: cut with "…", never
        self.headline.setObjectName("offerHeadline")  # a wider window
        self.detail = ElidedLabel(self)
        text.addWidget(self.headline)
        text.addWidget(self.detail)
        lay.addLayout(text, 1)
        self.more_label = QLabel(self)
        lay.addWidget(self.more_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.countdown = QLabel(self)
        lay.addWidget(self.countdown, 0, Qt.AlignmentFlag.AlignVCenter)
        self.accept_button = QPushButton(icons.icon("accept"), "", self)
        self.accept_button.setDefault(False)
        self.accept_button.setAutoDefault(False)
        self.decline_button = QPushButton(icons.icon("decline"), "", self)
        self.decline_button.setAutoDefault(False)
        self.decline_menu = QMenu(self)
        self.decline_button.setMenu(self.decline_menu)
        lay.addWidget(self.accept_button)
        lay.addWidget(self.decline_button)
        self.accept_button.clicked.connect(self.sig_accept_clicked)
        self.decline_menu.aboutToShow.connect(self._fix_decline_target)
        self.retranslate()

    def retranslate(self) -> None:
        self.accept_button.setText(self.tr("Accept"))
        self.accept_button.setToolTip(self.tr("Accept this offer (Ctrl+Shift+A)"))
        self.accept_button.setAccessibleName(self.tr("Accept the offer"))
        self.decline_button.setText(self.tr("Decline…"))
        self.decline_button.setToolTip(self.tr("Decline this offer with a reason (Ctrl+Shift+D)"))
        self.decline_button.setAccessibleName(self.tr("Decline the offer"))
        self.icon_label.setAccessibleName(self.tr("Offer"))
        self.setAccessibleName(self.tr("Offer to you"))
        self.decline_menu.clear()
        for code, _ in DECLINE_REASONS:
            act = QAction(_reason_label(code), self.decline_menu)
            act.setData(code)
            act.triggered.connect(self._on_reason)
            self.decline_menu.addAction(act)
        self.decline_menu.addSeparator()
        other = QAction(self.tr("Other…"), self.decline_menu)
        other.setData(OTHER_REASON)
        other.triggered.connect(self._on_reason)
        self.decline_menu.addAction(other)
        self.show_offer(self._row, self._more, None)

    def reason_actions(self) -> list[QAction]:
        return [a for a in self.decline_menu.actions() if not a.isSeparator()]

    def offer(self) -> QueueRow | None:
        return self._row

    def show_offer(self, row: QueueRow | None, more: int, now: float | None) -> None:
        """Show ``row`` (the offer the buttons act on) and how many other offers wait."""
        self._row, self._more = row, more
        self.setVisible(row is not None)
        if row is None:
            return
        head = {Channel.PHONE: self.tr("Incoming call from %1"),
                Channel.CHAT: self.tr("New chat from %1"),
                Channel.EMAIL: self.tr("Email from %1 offered to you")}[row.channel]
        self.headline.setText(head.replace("%1", row.customer))
        self.detail.setText(f"{row.queue} \u2014 {row.title}" if row.title else row.queue)
        self.more_label.setVisible(more > 0)
        self.more_label.setText(self.tr("+%1 more").replace("%1", str(more)))
        self.more_label.setToolTip(self.tr("Offers waiting besides this one: %1").replace(
            "%1", str(more)))
        self.more_label.setAccessibleName(self.more_label.toolTip())
        self.accept_button.setEnabled(True)
        self.decline_button.setEnabled(True)
        self.tick(now)

    def tick(self, now: float | None) -> None:
        """Update the countdown (once a second)."""
        row = self._row
        if row is None or row.offer_expires_ts is None or now is None:
            self.countdown.clear()
            return
        self.countdown.setText(self.tr("Expires in %1").replace(
            "%1", format_countdown(row.offer_expires_ts - now)))

    def open_decline_menu(self) -> None:
        """Pop the reason menu up under the Decline button, keyboard-ready."""
        if self._row is None:
            return
        self._decline_iid = self._row.iid
        pos = self.decline_button.mapToGlobal(self.decline_button.rect().bottomLeft())
        self.decline_menu.popup(pos)
        actions = self.reason_actions()
        if actions:
            self.decline_menu.setActiveAction(actions[0])

    @Slot()
    def _fix_decline_target(self) -> None:
        if self._decline_iid is None and self._row is not None:
            self._decline_iid = self._row.iid

    @Slot()
    def _on_reason(self) -> None:
        act = self.sender()
        if not isinstance(act, QAction):
            return
        iid = self._decline_iid if self._decline_iid is not None else (
            self._row.iid if self._row is not None else None)
        self._decline_iid = None
        if iid is None:
            return
        code = str(act.data())
        if code != OTHER_REASON:
            self.sig_decline_chosen.emit(iid, code)
            return
        dlg = QInputDialog(self)
        dlg.setWindowTitle(self.tr("Decline the offer"))
        dlg.setLabelText(self.tr("Why do you decline this offer?"))
        dlg.setInputMode(QInputDialog.InputMode.TextInput)
        dlg.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dlg.setOkButtonText(self.tr("Decline"))
        dlg.textValueSelected.connect(
            lambda text: self.sig_decline_chosen.emit(iid, text.strip()[:500] or OTHER_REASON))
        dlg.finished.connect(dlg.deleteLater)
        self.other_dialog = dlg
        dlg.open()


__all__ = ["DECLINE_REASONS", "OTHER_REASON", "QueueOfferBar"]
