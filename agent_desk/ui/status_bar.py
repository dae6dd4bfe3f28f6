"""The main window's status bar: the connection ("Connected", "Reconnecting in N s" with a
live countdown, "Offline — actions queued: N"), a "Reconnect now" button while waiting,
short notices, how the sign-in is remembered, the queue counts and the agent's state with
the time in it."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStatusBar, QToolButton, QWidget

from ..client.connection import ConnectionStatus, Status
from ..protocol import views as v
from .state_selector import describe, fmt_duration, state_icon

NOTICE_MS = 8000
#: Which state badge stands for each connection status (shape + colour + text).
_BADGE = {Status.CONNECTED: "available", Status.CONNECTING: "away",
          Status.RECONNECTING: "away", Status.OFFLINE: "offline", Status.SIGNED_OUT: "busy"}


def _sep(parent: QWidget) -> QFrame:
    f = QFrame(parent)
    f.setFrameShape(QFrame.Shape.VLine)
    f.setFrameShadow(QFrame.Shadow.Sunken)
    return f


class StatusBar(QStatusBar):
    """Signals:
        sig_reconnect_requested: the user clicked "Reconnect now".
    """

    sig_reconnect_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, now: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._now, self._mono = now, monotonic
        self._status = ConnectionStatus()
        self._agent: v.AgentView | None = None
        self._offset = 0.0
        self.setSizeGripEnabled(False)
        box = QWidget(self)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(8)
        self.conn_icon = QLabel(box)
        self.conn_label = QLabel(box)
        self.conn_label.setAccessibleName(self.tr("Connection"))
        self.conn_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reconnect = QToolButton(box)
        self.reconnect.setText(self.tr("Reconnect now"))
        self.reconnect.setAccessibleName(self.tr("Reconnect now"))
        self.reconnect.setAutoRaise(True)
        self.reconnect.clicked.connect(self.sig_reconnect_requested)
        self.notice = QLabel(box)
        self.notice.setAccessibleName(self.tr("Last message"))
        self.remembered = QLabel(box)
        self.remembered.setAccessibleName(self.tr("Sign-in memory"))
        self.counts = QLabel(box)
        self.counts.setAccessibleName(self.tr("Queue counts"))
        self.agent_icon = QLabel(box)
        self.agent_label = QLabel(box)
        self.agent_label.setAccessibleName(self.tr("Your state and time in state"))
        for w in (self.conn_icon, self.conn_label, self.reconnect):
            lay.addWidget(w)
        lay.addWidget(_sep(box))
        lay.addWidget(self.notice, 1)
        self._remembered_sep = _sep(box)
        lay.addWidget(self.remembered)
        lay.addWidget(self._remembered_sep)
        lay.addWidget(self.counts)
        lay.addWidget(_sep(box))
        lay.addWidget(self.agent_icon)
        lay.addWidget(self.agent_label)
        self.addWidget(box, 1)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.clear)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self._tick)
        self._tick_timer.start()
        self.set_remembered("")
        self.set_counts({})
        self.set_status(self._status)
        self.set_agent(None)

    # ---- inputs ---------------------------------------------------------------------------

    @Slot(object)
    def set_status(self, status: ConnectionStatus) -> None:
        self._status = status
        self.conn_icon.setPixmap(state_icon(_BADGE.get(status.status, "offline"))
                                 .pixmap(QSize(14, 14)))
        self.reconnect.setVisible(status.status == Status.RECONNECTING
                                  and status.retry_at is not None)
        detail = status.error or ""
        self.conn_label.setToolTip(detail)
        self._render_connection()

    def set_agent(self, agent: v.AgentView | None, server_offset_s: float = 0.0) -> None:
        self._agent = agent
        self._offset = server_offset_s
        self.agent_icon.setVisible(agent is not None)
        if agent is not None:
            self.agent_icon.setPixmap(state_icon(str(agent.state)).pixmap(QSize(14, 14)))
        self._render_agent()

    @Slot(dict)
    def set_counts(self, counts: dict[str, int]) -> None:
        c = {k: int(counts.get(k, 0)) for k in ("phone", "email", "chat", "offers", "mine")}
        text = self.tr("Phone %1 · Email %2 · Chat %3").replace("%1", str(c["phone"])).replace(
            "%2", str(c["email"])).replace("%3", str(c["chat"]))
        text += " · " + self.tr("Offers %1").replace("%1", str(c["offers"]))
        text += " · " + self.tr("Mine %1").replace("%1", str(c["mine"]))
        self.counts.setText(text)

    def set_remembered(self, text: str) -> None:
        self.remembered.setText(text)
        self.remembered.setVisible(bool(text))
        self._remembered_sep.setVisible(bool(text))
        if text:
            self.remembered.setToolTip(self.tr(
                "Only the sign-in token is kept, never your password."))

    @Slot(str)
    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setToolTip(text)
        self._notice_timer.start(NOTICE_MS)

    # ---- rendering ------------------------------------------------------------------------

    def connection_text(self) -> str:
        s = self._status
        queued = s.queued
        if s.status == Status.CONNECTED:
            if queued:
                return self.tr("Connected — sending %n queued action(s)", "", queued)
            return self.tr("Connected")
        if s.status == Status.CONNECTING:
            return self.tr("Connecting…")
        if s.status == Status.SIGNED_OUT:
            return self.tr("Signed out — sign in again")
        if s.status == Status.RECONNECTING:
            if s.retry_at is not None:
                left = max(0, int(round(s.retry_at - self._mono())))
                text = self.tr("Reconnecting in %n s", "", left)
            else:
                text = self.tr("Reconnecting…")
            if queued:
                text += " — " + self.tr("actions queued: %n", "", queued)
            return text
        if queued:
            return self.tr("Offline — actions queued: %n", "", queued)
        return self.tr("Offline")

    def _render_connection(self) -> None:
        self.conn_label.setText(self.connection_text())

    def _render_agent(self) -> None:
        a = self._agent
        if a is None:
            self.agent_label.setText(self.tr("Not signed in"))
            return
        since = self._now() + self._offset - a.state_since.timestamp()
        self.agent_label.setText(f"{a.name} · {describe(a)} {fmt_duration(since)}")

    @Slot()
    def _tick(self) -> None:
        if self._status.status == Status.RECONNECTING:
            self._render_connection()
        self._render_agent()
