"""The agent-state selector for the toolbar: Available, Away (with a reason from the
server's list), Offline; the server-driven states (busy, wrap-up) shown read-only; the time
in the current state ticking beside it. Each state has its own icon shape and its name in
text, so colour is never the only signal."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from ..protocol import views as v

STATE_COLOURS = {
    "available": "#2e7d32", "busy": "#c62828", "wrap_up": "#ef6c00", "away": "#b8860b",
    "offline": "#757575",
}
SERVER_STATES = ("busy", "wrap_up")
SERVER_REASONS = ("missed_offer",)


def state_text(state: str) -> str:
    return {
        "available": QCoreApplication.translate("AgentState", "Available"),
        "busy": QCoreApplication.translate("AgentState", "Busy"),
        "wrap_up": QCoreApplication.translate("AgentState", "Wrap-up"),
        "away": QCoreApplication.translate("AgentState", "Away"),
        "offline": QCoreApplication.translate("AgentState", "Offline"),
    }.get(state, state)


def reason_text(code: str, fallback: str = "") -> str:
    """Away reasons are translated by code; unknown codes show the server's label."""
    return {
        "break": QCoreApplication.translate("AwayReason", "Break"),
        "lunch": QCoreApplication.translate("AwayReason", "Lunch"),
        "training": QCoreApplication.translate("AwayReason", "Training"),
        "meeting": QCoreApplication.translate("AwayReason", "Meeting"),
        "missed_offer": QCoreApplication.translate("AwayReason", "Missed an offer"),
    }.get(code, fallback or code)


def describe(agent: v.AgentView) -> str:
    text = state_text(str(agent.state))
    if agent.state == "away" and agent.away_reason:
        text += " · " + reason_text(agent.away_reason)
    return text


def fmt_duration(seconds: float) -> str:
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


_ICONS: dict[str, QIcon] = {}


def state_icon(state: str, size: int = 16) -> QIcon:
    """A coloured badge whose shape also says the state (check, minus, clock, ring)."""
    key = f"{state}:{size}"
    if key in _ICONS:
        return _ICONS[key]
    pm = QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATE_COLOURS.get(state, "#757575"))
    r = QRectF(1.5, 1.5, size - 3, size - 3)
    white = QPen(QColor("white"))
    white.setWidthF(size / 7)
    white.setCapStyle(Qt.PenCapStyle.RoundCap)
    if state == "offline":
        p.setPen(QPen(colour, size / 8))
        p.drawEllipse(r)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r)
        p.setPen(white)
        c = size / 2
        if state == "available":
            p.drawPolyline([QPointF(c - size * .2, c), QPointF(c - size * .05, c + size * .16),
                            QPointF(c + size * .22, c - size * .14)])
        elif state == "busy":
            p.drawLine(QPointF(c - size * .22, c), QPointF(c + size * .22, c))
        elif state == "away":
            p.drawLine(QPointF(c, c), QPointF(c, c - size * .24))
            p.drawLine(QPointF(c, c), QPointF(c + size * .18, c))
        elif state == "wrap_up":
            for dx in (-.2, 0, .2):
                p.drawPoint(QPointF(c + size * dx, c))
    p.end()
    _ICONS[key] = QIcon(pm)
    return _ICONS[key]


class StateSelector(QWidget):
    """Signals:
        sig_state_requested(str, str): the agent chose a state and reason ("" = none).
    """

    sig_state_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._now = now
        self._agent: v.AgentView | None = None
        self._offset = 0.0
        self._reasons: list[v.CodeLabel] = []
        self.button = QPushButton(self)
        self.button.setIconSize(QSize(16, 16))
        self.button.setMinimumWidth(self.button.fontMetrics().horizontalAdvance("x" * 16))
        self.button.setAccessibleName(self.tr("Your state"))
        self.button.setToolTip(self.tr("Your state: choose Available, Away or Offline"))
        self.menu = QMenu(self)
        self.menu.setAccessibleName(self.tr("Choose your state"))
        self.button.setMenu(self.menu)
        self.elapsed = QLabel(self)
        self.elapsed.setAccessibleName(self.tr("Time in state"))
        self.elapsed.setToolTip(self.tr("Time in the current state"))
        self.elapsed.setMinimumWidth(self.elapsed.fontMetrics().horizontalAdvance("0:00:00 "))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.button)
        lay.addWidget(self.elapsed)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.set_agent(None, [], 0.0)

    # ---- state ----------------------------------------------------------------------------

    def set_agent(self, agent: v.AgentView | None, reasons: list[v.CodeLabel],
                  server_offset_s: float = 0.0) -> None:
        self._agent = agent
        self._reasons = list(reasons)
        self._offset = server_offset_s
        if agent is None:
            self.button.setIcon(state_icon("offline"))
            self.button.setText(self.tr("Not connected"))
            self.button.setEnabled(False)
        else:
            self.button.setIcon(state_icon(str(agent.state)))
            self.button.setText(describe(agent))
            self.button.setEnabled(True)
        self._rebuild_menu()
        self._tick()

    def set_pending(self, pending: bool) -> None:
        """Disabled while a change is on its way to the server."""
        self.button.setEnabled(not pending and self._agent is not None)

    def elapsed_s(self) -> float:
        a = self._agent
        if a is None:
            return 0.0
        return self._now() + self._offset - a.state_since.timestamp()

    @Slot()
    def _tick(self) -> None:
        self.elapsed.setText(fmt_duration(self.elapsed_s()) if self._agent else "")

    # ---- menu -----------------------------------------------------------------------------

    def _rebuild_menu(self) -> None:
        self.menu.clear()
        a = self._agent
        current = (str(a.state), a.away_reason or "") if a else ("", "")
        if a is not None and (a.state in SERVER_STATES or a.away_reason in SERVER_REASONS):
            info = self.menu.addAction(state_icon(str(a.state)),
                                       self.tr("%1 (set by the server)").replace("%1",
                                                                                 describe(a)))
            info.setEnabled(False)
            self.menu.addSeparator()
        self._add(self.tr("Available"), "available", "", current)
        for r in self._reasons:
            if r.code in SERVER_REASONS:
                continue
            text = self.tr("Away: %1").replace("%1", reason_text(r.code, r.label))
            self._add(text, "away", r.code, current)
        self.menu.addSeparator()
        self._add(self.tr("Offline"), "offline", "", current)

    def _add(self, text: str, state: str, reason: str, current: tuple[str, str]) -> QAction:
        act = self.menu.addAction(state_icon(state), text)
        act.setCheckable(True)
        act.setChecked(current == (state, reason))
        act.setData((state, reason))
        act.triggered.connect(lambda _checked=False, s=state, r=reason: self._choose(s, r))
        return act

    def _choose(self, state: str, reason: str) -> None:
        a = self._agent
        if a is not None and (str(a.state), a.away_reason or "") == (state, reason):
            return
        self.sig_state_requested.emit(state, reason)

    def choices(self) -> list[tuple[str, str]]:
        """(state, reason) of every entry the agent can choose, in menu order."""
        return [tuple(a.data()) for a in self.menu.actions()  # type: ignore[misc]
                if a.isCheckable() and a.isEnabled()]

    def choose(self, state: str, reason: str = "") -> None:
        """Same as picking the menu entry (keyboard shortcuts, tests)."""
        self._choose(state, reason)
