"""Collision detection for one open interaction: a slim bar naming the OTHER people who have
it open or are typing in it ("Lead Liu is viewing · Bob is typing…"), and, when you are not
its assignee, that only the assignee can reply. Hidden when there is nothing to say.

It also reports your own activity (``activity`` live frames): ``set_open`` when the view
opens/closes, ``keystroke`` while you type (throttled by ``channels.chat.TypingThrottle``:
at most one "typing" per 3 s, "stopped" after 5 s idle), and again after a reconnect
(presence is live only: the server forgets it when the connection drops)."""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ..channels.chat import TypingSignal, TypingThrottle
from ..client.status import ConnectionStatus, Status
from ..protocol import messages as m
from ..protocol import views as v
from .tasks import TaskSet
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.collision_bar")

_STYLE = ("QFrame#collisionBar { background: #eaf2fb; border: 1px solid #a9c8ea; "
          "border-radius: 4px; } QFrame#collisionBar QLabel { color: #0d3c6e; }")


def role_name(viewer: v.ViewerView) -> str:
    """The viewer's name with their role in front when that says something ("Lead Liu")."""
    role = {
        "lead": QCoreApplication.translate("CollisionBar", "Lead"),
        "admin": QCoreApplication.translate("CollisionBar", "Admin"),
        "trainer": QCoreApplication.translate("CollisionBar", "Trainer"),
    }.get(str(viewer.role))
    if role is None or viewer.name.casefold().startswith(role.casefold()):
        return viewer.name
    return QCoreApplication.translate("CollisionBar", "%1 %2").replace("%1", role).replace(
        "%2", viewer.name)


class _Activity:
    """What this view told the server (plain object: still usable while the widget dies)."""

    def __init__(self, ctx: ViewContext, interaction_id: int) -> None:
        self.ctx = ctx
        self.interaction_id = interaction_id
        self.open = False
        self.typing = False
        self.tasks = TaskSet("activity frame", level=logging.WARNING)

    def send(self) -> None:
        self._spawn(self.ctx.controller.activity(self.interaction_id, self.open,
                                                 self.typing and self.open))

    def _spawn(self, coro: Any) -> None:
        self.tasks.spawn(coro)  # best effort: nothing is started while shutting down

    def closed(self) -> None:
        if self.open:
            self.open = self.typing = False
            self.send()


class CollisionBar(QFrame):
    """Signals:
        sig_customer_typing(bool): the customer started/stopped typing (from ``presence``).
        sig_others_changed(list): the ``ViewerView``s of the others changed.
    """

    sig_customer_typing = Signal(bool)
    sig_others_changed = Signal(list)

    def __init__(self, ctx: ViewContext, interaction_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.interaction_id = interaction_id
        self._others: list[v.ViewerView] = []
        self._customer_typing = False
        self._connected = ctx.controller.status.status == Status.CONNECTED
        self._activity = _Activity(ctx, interaction_id)
        self.throttle = TypingThrottle(now=time.monotonic)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._poll_typing)
        self.setObjectName("collisionBar")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName(self.tr("Who else has this open"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(8)
        self.people = QLabel(self)
        self.people.setWordWrap(True)
        self.people.setTextFormat(Qt.TextFormat.PlainText)
        self.people.setAccessibleName(self.tr("Others in this interaction"))
        lay.addWidget(self.people, 1)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setAccessibleName(self.tr("Who can reply"))
        lay.addWidget(self.notice, 1)
        b = ctx.bridge
        b.sig_presence.connect(self._on_presence)
        b.sig_status_changed.connect(self._on_status)
        b.sig_interactions_changed.connect(self._on_interactions)
        activity = self._activity
        self.destroyed.connect(lambda *_: activity.closed())
        self._refresh()

    # ---- my activity -------------------------------------------------------------------------

    def set_open(self, on: bool) -> None:
        """The interaction is open in this window (True) or was closed (False)."""
        if on == self._activity.open:
            return
        self._activity.open = on
        if not on:
            self.throttle.text_cleared()
            self._activity.typing = False
            self._idle.stop()
        self._activity.send()

    def is_open(self) -> bool:
        return self._activity.open

    def keystroke(self) -> None:
        """The agent typed a key here: "typing" (at most every few seconds), then
        "stopped" after a few idle seconds."""
        if self.throttle.keystroke() is TypingSignal.TYPING:
            self._activity.typing = True
            if self._activity.open:
                self._activity.send()
        self._arm_idle()

    def text_cleared(self) -> None:
        """The composer is empty again (deleted, or the message was sent)."""
        self._idle.stop()
        if self.throttle.text_cleared() is TypingSignal.STOPPED:
            self._stopped()

    def message_sent(self) -> None:
        """The message itself ends typing for the customer; the colleagues are told."""
        was = self.throttle.active
        self.throttle.message_sent()
        self._idle.stop()
        if was:
            self._stopped()

    def is_typing(self) -> bool:
        return self._activity.typing

    def _arm_idle(self) -> None:
        deadline = self.throttle.next_deadline()
        if deadline is not None:
            self._idle.start(max(0, int((deadline - time.monotonic()) * 1000) + 20))

    @Slot()
    def _poll_typing(self) -> None:
        if self.throttle.poll() is TypingSignal.STOPPED:
            self._stopped()
        else:
            self._arm_idle()

    def _stopped(self) -> None:
        self._activity.typing = False
        if self._activity.open:
            self._activity.send()

    @Slot(object)
    def _on_status(self, status: ConnectionStatus) -> None:
        connected = status.status == Status.CONNECTED
        if connected and not self._connected and self._activity.open:
            self._activity.send()  # the server forgot us with the old connection
        if not connected and self._connected:
            self._set_presence([], False)  # what we showed is stale now
        self._connected = connected

    # ---- the others ----------------------------------------------------------------------------

    @Slot(object)
    def _on_presence(self, p: m.Presence) -> None:
        if p.interaction_id != self.interaction_id:
            return
        me = self._ctx.my_id
        self._set_presence([x for x in p.viewers if x.agent_id != me], p.customer_typing)

    def _set_presence(self, others: list[v.ViewerView], customer_typing: bool) -> None:
        if others != self._others:
            self._others = others
            self._refresh()
            self.sig_others_changed.emit(list(others))
        if customer_typing != self._customer_typing:
            self._customer_typing = customer_typing
            self.sig_customer_typing.emit(customer_typing)

    def others(self) -> list[v.ViewerView]:
        return list(self._others)

    def customer_typing(self) -> bool:
        return self._customer_typing

    @Slot(list, list)
    def _on_interactions(self, upserted: list[v.InteractionView], _removed: list[int]) -> None:
        if any(i.id == self.interaction_id for i in upserted):
            self._refresh()

    def _refresh(self) -> None:
        parts = []
        for o in self._others:
            text = (self.tr("%1 is typing…") if o.typing else self.tr("%1 is viewing"))
            parts.append(text.replace("%1", role_name(o)))
        self.people.setText(self.tr(" · ").join(parts))
        self.people.setVisible(bool(parts))
        note = self._assignee_notice()
        self.notice.setText(note)
        self.notice.setVisible(bool(note))
        self.setVisible(bool(parts or note))

    def _assignee_notice(self) -> str:
        i = self._ctx.state.interactions.get(self.interaction_id)
        me = self._ctx.my_id
        if i is None or i.assigned_agent_id is None or i.assigned_agent_id == me:
            return ""
        name = next((o.name for o in self._others if o.agent_id == i.assigned_agent_id),
                    self._ctx.agent_name(i.assigned_agent_id))
        if name == "—":
            return self.tr("Only the assigned agent can reply; you can add internal notes.")
        return self.tr("Only %1 can reply; you can add internal notes.").replace("%1", name)

    def text(self) -> str:
        """What the bar says (for tests and screen readers)."""
        return " · ".join(t for t in (self.people.text(), self.notice.text()) if t)
