"""What the phone view shows about a call (no controls): the caller's number, the matched
customer with tier and queue, the state in words, the call and hold timers, a callback's
window, the IVR data, and the call log (state changes, notes and system messages, loaded
with ``get_interaction`` without blocking and extended live)."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..channels.phone import CallState, PhoneCall
from ..protocol import views as v
from .customer_panel import TIER_STYLE
from .labels import interaction_state_text, language_text, tier_text
from .text_style import emphasize, mute
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.call_info")
#: IVR keys that may carry the caller's number
NUMBER_KEYS = ("caller", "ani", "from", "number", "phone")
_CALLBACK = (
    "QLabel { background: #e8f1fb; color: #0b3d6e; border: 1px solid #9cc3ea; "
    "border-radius: 4px; padding: 6px 8px; }"
)


def clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
        if s >= 3600
        else f"{s // 60:02d}:{s % 60:02d}"
    )


def ivr_label(key: str) -> str:
    return {
        "menu": QCoreApplication.translate("CallInfo", "Menu"),
        "language": QCoreApplication.translate("CallInfo", "Language"),
        "topic": QCoreApplication.translate("CallInfo", "Topic"),
        "verified": QCoreApplication.translate("CallInfo", "Verified"),
        "order_number": QCoreApplication.translate("CallInfo", "Order number"),
        "caller": QCoreApplication.translate("CallInfo", "Caller"),
        "ani": QCoreApplication.translate("CallInfo", "Caller"),
        "account": QCoreApplication.translate("CallInfo", "Account"),
    }.get(key, key.replace("_", " ").capitalize())


def call_state_text(i: v.InteractionView, call: PhoneCall | None, ctx: ViewContext) -> str:
    """The call's state in words ("Consulting Bob…", "Call ended — wrap-up")."""
    if call is None:
        if str(i.kind) == "callback":
            return QCoreApplication.translate("CallInfo", "Callback waiting for its time window")
        return interaction_state_text(str(i.state))
    other = ""
    if i.consult is not None:
        other = i.consult.agent_name or ctx.agent_name(i.consult.agent_id)
        if not i.consult.agent_id and i.consult.queue_id:
            other = ctx.queue_name(i.consult.queue_id)
    s = call.state
    text = {
        CallState.RINGING: QCoreApplication.translate("CallInfo", "Ringing"),
        CallState.CONNECTED: QCoreApplication.translate("CallInfo", "Connected"),
        CallState.ON_HOLD: QCoreApplication.translate("CallInfo", "On hold"),
        CallState.CONSULTING: QCoreApplication.translate("CallInfo", "Consulting %1…").replace(
            "%1", other
        ),
        CallState.CONFERENCE: QCoreApplication.translate("CallInfo", "Conference with %1").replace(
            "%1", other
        ),
        CallState.WRAP_UP: QCoreApplication.translate("CallInfo", "Call ended — wrap-up"),
    }.get(s, QCoreApplication.translate("CallInfo", "Call ended"))
    if s == CallState.ENDED and str(i.state) == "abandoned":
        text = QCoreApplication.translate(
            "CallInfo", "The caller hung up before the call was answered"
        )
    if call.muted:
        text = QCoreApplication.translate("CallInfo", "%1 · muted").replace("%1", text)
    return text


class CallInfo(QWidget):
    def __init__(
        self, ctx: ViewContext, interaction: v.InteractionView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self._known_number = ""  # the customer's phone identity, once loaded
        self._call: PhoneCall | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        head = QHBoxLayout()
        self.number_label = emphasize(QLabel(self), 1.5)
        self.number_label.setAccessibleName(self.tr("Caller number"))
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timer = emphasize(QLabel(self), 1.5, bold=False)
        self.timer.setAccessibleName(self.tr("Call time"))
        head.addWidget(self.number_label, 1)
        head.addWidget(self.timer, 0, Qt.AlignmentFlag.AlignRight)
        lay.addLayout(head)
        who = QHBoxLayout()
        self.customer = QLabel(self)
        self.customer.setAccessibleName(self.tr("Customer"))
        self.tier = QLabel(self)
        self.tier.setAccessibleName(self.tr("Customer tier"))
        self.hold_timer = QLabel(self)
        self.hold_timer.setAccessibleName(self.tr("Hold time"))
        who.addWidget(self.customer)
        who.addWidget(self.tier)
        who.addStretch(1)
        who.addWidget(self.hold_timer)
        lay.addLayout(who)
        self.state = emphasize(QLabel(self))
        self.state.setAccessibleName(self.tr("Call state"))
        lay.addWidget(self.state)
        self.callback = QLabel(self)
        self.callback.setStyleSheet(_CALLBACK)
        self.callback.setWordWrap(True)
        self.callback.setAccessibleName(self.tr("Callback"))
        self.callback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.callback.hide()
        lay.addWidget(self.callback)
        self.ivr_title = mute(emphasize(QLabel(self.tr("ENTERED IN THE IVR"), self), 0.85))
        lay.addWidget(self.ivr_title)
        self.ivr = QFormLayout()
        self.ivr.setHorizontalSpacing(14)
        self.ivr.setVerticalSpacing(2)
        lay.addLayout(self.ivr)
        self.log_title = mute(emphasize(QLabel(self.tr("CALL LOG"), self), 0.85))
        lay.addWidget(self.log_title)
        self.log = QListWidget(self)
        self.log.setAccessibleName(self.tr("Call log"))
        self.log.setMaximumHeight(96)
        self.log.setWordWrap(True)
        lay.addWidget(self.log)
        self._ivr_shown: dict[str, str] | None = None
        ctx.bridge.sig_message.connect(self._on_message)
        ctx.bridge.sig_note.connect(self._on_note)
        self.update_interaction(interaction, None)
        self.load()

    # ---- showing --------------------------------------------------------------------------

    def number(self) -> str:
        """The number to show and to call back: the customer's known phone identity, else
        what the IVR captured, else a callback's number."""
        i = self.interaction
        if self._known_number:
            return self._known_number
        for key in NUMBER_KEYS:
            if i.ivr_data.get(key):
                return i.ivr_data[key]
        return i.callback.number if i.callback is not None else ""

    def update_interaction(self, i: v.InteractionView, call: PhoneCall | None) -> None:
        self.interaction = i
        self._call = call
        number = i.callback.number if i.callback is not None else self.number()
        self.number_label.setText(number or self.tr("Unknown number"))
        cust = i.customer
        self.customer.setText(
            self.tr("%1 · %2 · queue %3")
            .replace("%1", cust.name)
            .replace("%2", language_text(cust.language))
            .replace("%3", self.ctx.queue_name(i.queue_id))
        )
        fg, bg = TIER_STYLE.get(str(cust.tier), TIER_STYLE["standard"])
        self.tier.setText(tier_text(str(cust.tier)))
        self.tier.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border-radius: 3px; padding: 1px 6px; }}"
        )
        text = call_state_text(i, call, self.ctx)
        owner = i.assigned_agent_id
        if owner is not None and owner != self.ctx.my_id:
            text = (
                self.tr("%1 — %2 has this call (read only)")
                .replace("%1", text)
                .replace("%2", self.ctx.agent_name(owner))
            )
        self.state.setText(text)
        if str(i.kind) == "callback" and i.callback is not None:
            self.callback.setText(
                self.tr("Callback requested for %1. Number to dial: %2")
                .replace("%1", self._window(i.callback))
                .replace("%2", i.callback.number)
                + (f"\n{i.callback.note}" if i.callback.note else "")
            )
            self.callback.show()
        else:
            self.callback.hide()
        self._set_ivr(i.ivr_data)
        self.tick(call)

    def _window(self, cb: v.CallbackView) -> str:
        start = cb.window_start.astimezone()
        end = cb.window_end.astimezone()
        fmt = "%H:%M" if start.date() == end.date() else "%Y-%m-%d %H:%M"
        return f"{start:%Y-%m-%d %H:%M}–{end:{fmt}}"

    def _set_ivr(self, data: dict[str, str]) -> None:
        if data == self._ivr_shown:
            return
        self._ivr_shown = dict(data)
        while self.ivr.rowCount():
            self.ivr.removeRow(0)
        for key, value in data.items():
            val = QLabel(value, self)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setAccessibleName(ivr_label(key))
            self.ivr.addRow(mute(QLabel(ivr_label(key), self)), val)
        self.ivr_title.setVisible(bool(data))

    def tick(self, call: PhoneCall | None) -> None:
        """Call and hold timers on server time (``ctx.now``)."""
        i, now = self.interaction, self.ctx.now()
        if i.answered_at is not None:
            end = i.wrap_up_at or i.closed_at
            until = end.timestamp() if end is not None else now
            self.timer.setText(clock(until - i.answered_at.timestamp()))
        else:
            self.timer.setText("")
        current = max(0.0, now - i.hold_started_at.timestamp()) if i.hold_started_at else 0.0
        total = i.hold_total_s + current
        if current:
            self.hold_timer.setText(
                self.tr("On hold %1 · total %2")
                .replace("%1", clock(current))
                .replace("%2", clock(total))
            )
        elif total >= 1:
            self.hold_timer.setText(self.tr("Hold total %1").replace("%1", clock(total)))
        else:
            self.hold_timer.setText("")

    # ---- the call log ---------------------------------------------------------------------

    def _add(self, at: datetime, text: str) -> None:
        self.log.addItem(f"{at.astimezone():%H:%M:%S}  {text}")
        self.log.scrollToBottom()

    @asyncSlot()
    async def load(self) -> None:
        """The call's history and the customer's known phone number (in the background)."""
        from .controller import QueryFailed

        iid = self.interaction.id
        try:
            d = (await self.ctx.controller.interaction_detail(iid)).value
        except QueryFailed as exc:
            if isValid(self):
                self.log.addItem(exc.text)
            return
        if not isValid(self):
            return
        rows: list[tuple[datetime, str]] = []
        for t in d.transitions:
            # the server's reason is English free text: the state and who say it in the
            # agent's language
            who = f" — {self.ctx.agent_name(t.actor_agent_id)}" if t.actor_agent_id else ""
            rows.append((t.at, interaction_state_text(str(t.to_state)) + who))
        rows += [(n.at, self._note_text(n)) for n in d.notes]
        rows += [(msg.at, f"{msg.author}: {msg.body}") for msg in d.messages]
        self.log.clear()
        for at, text in sorted(rows, key=lambda r: r[0]):
            self._add(at, text)
        if not self._known_number:
            await self._load_number()

    async def _load_number(self) -> None:
        from .controller import QueryFailed

        try:
            c = (await self.ctx.controller.customer(self.interaction.customer.id)).value
        except QueryFailed:
            return  # the IVR's number stays
        if not isValid(self):
            return
        phones = [ident.value for ident in c.identities if ident.kind == "phone"]
        if phones:
            self._known_number = phones[0]
            self.update_interaction(self.interaction, self._call)

    def _note_text(self, n: v.NoteView) -> str:
        return self.tr("Note by %1: %2").replace("%1", n.author).replace("%2", n.body)

    @Slot(object)
    def _on_message(self, msg: v.MessageView) -> None:
        if msg.interaction_id == self.interaction.id:
            self._add(msg.at, f"{msg.author}: {msg.body}")

    @Slot(object)
    def _on_note(self, n: v.NoteView) -> None:
        if n.interaction_id == self.interaction.id:
            self._add(n.at, self._note_text(n))
