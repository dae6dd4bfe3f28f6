"""The application's icon, and the tray icon: a desktop notification for a new offer and
for one of *my* interactions reaching the SLA warning, and a tooltip with the queue
counts. Without a system tray (``isSystemTrayAvailable()``) nothing is shown, but
``sig_notified`` fires either way, so the app (and the tests) see what would have been."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from ..protocol import views as v
from . import settings as opts
from .settings import Settings

log = logging.getLogger("agent_desk.ui.tray")
MESSAGE_MS = 8000


def app_icon() -> QIcon:
    """The application icon: a white speech bubble on a teal tile, painted once."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#0f766e"))
        p.drawRoundedRect(0, 0, size, size, size * .22, size * .22)
        p.setBrush(QColor("white"))
        s = size
        p.drawRoundedRect(int(s * .2), int(s * .26), int(s * .6), int(s * .4), s * .1, s * .1)
        p.drawPolygon(QPolygonF([QPointF(s * .32, s * .64), QPointF(s * .3, s * .82),
                                 QPointF(s * .5, s * .64)]))
        p.end()
        icon.addPixmap(pm)
    return icon


class TrayNotifier(QObject):
    """Signals:
        sig_activated: the user clicked the tray icon or a notification.
        sig_quit_requested: "Quit" was chosen in the tray menu.
        sig_notified(str, str): a notification (title, text) was raised.
    """

    sig_activated = Signal()
    sig_quit_requested = Signal()
    sig_notified = Signal(str, str)

    def __init__(self, settings: Settings, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.tooltip = self.tr("Agent Desk")
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(self.tooltip)
            menu = QMenu()
            menu.addAction(self.tr("Show Agent Desk"), self.sig_activated.emit)
            menu.addSeparator()
            menu.addAction(self.tr("Quit"), self.sig_quit_requested.emit)
            self._menu = menu
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(self._activated)
            self.tray.messageClicked.connect(self.sig_activated)
            self.tray.show()
        else:
            log.info("no system tray: desktop notifications are off")

    @property
    def available(self) -> bool:
        return self.tray is not None

    @Slot(object)
    def offer(self, i: v.InteractionView) -> None:
        if not self.settings.get(opts.NOTIFY_OFFERS):
            return
        title = {"phone": self.tr("Incoming call offered to you"),
                 "email": self.tr("Email offered to you"),
                 "chat": self.tr("Chat offered to you")}.get(str(i.channel),
                                                             self.tr("New offer"))
        self._notify(title, f"{i.customer.name} — {i.subject}".strip(" —"),
                     QSystemTrayIcon.MessageIcon.Information)
        if i.channel == "phone" and self.settings.get(opts.SOUND):
            QApplication.beep()  # the ring (off by default)

    @Slot(object)
    def sla_warning(self, i: v.InteractionView) -> None:
        if not self.settings.get(opts.NOTIFY_SLA):
            return
        self._notify(self.tr("SLA at risk"),
                     self.tr("%1 is close to its service-level target.").replace(
                         "%1", f"{i.customer.name} — {i.subject}".strip(" —")),
                     QSystemTrayIcon.MessageIcon.Warning)

    @Slot(dict)
    def set_counts(self, counts: dict[str, int]) -> None:
        c = {k: int(counts.get(k, 0)) for k in ("phone", "email", "chat", "offers", "mine")}
        self.tooltip = "\n".join([
            self.tr("Agent Desk"),
            self.tr("Phone %1 · Email %2 · Chat %3").replace("%1", str(c["phone"])).replace(
                "%2", str(c["email"])).replace("%3", str(c["chat"])),
            self.tr("Offers %1 · Mine %2").replace("%1", str(c["offers"])).replace(
                "%2", str(c["mine"])),
        ])
        if self.tray is not None:
            self.tray.setToolTip(self.tooltip)

    def _notify(self, title: str, text: str, kind: QSystemTrayIcon.MessageIcon) -> None:
        self.sig_notified.emit(title, text)
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, text, kind, MESSAGE_MS)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.sig_activated.emit()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
