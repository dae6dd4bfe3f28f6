"""The call panel of one phone interaction.

Who is calling (number, matched customer and tier, queue, what they entered in the IVR),
the call and hold timers (from the server's timestamps, ticking every second on server
time), the call's state in words, the controls with their shortcuts (``call_controls``),
the call notes (kept locally) and, once the call has ended, the wrap-up panel. The server
is authoritative: every button asks it (through ``client.call_adapter``) and the view
follows the interaction it reports; ``channels.phone.PhoneCall`` says which controls the
current state allows. Only the assignee controls the call; anyone else (a lead, a
colleague) sees it read-only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from qasync import asyncSlot
from shiboken6 import isValid

from ..channels.errors import ChannelError
from ..channels.phone import CallAction, CallCommand, CallState, PhoneCall, TransferTarget
from ..client.call_adapter import new_key, to_frame
from ..protocol import messages as m
from ..protocol import views as v
from ..protocol.enums import SUPERVISOR_ROLES
from .call_controls import CallControls
from .call_info import CallInfo
from .call_notes import CallNotes
from .collision_bar import CollisionBar
from .text_style import notice_label, problem_label
from .view_context import ViewContext

if TYPE_CHECKING:
    from .callback_dialog import CallbackDialog
    from .dtmf_pad import DtmfPad
    from .transfer_dialog import TransferDialog
    from .wrap_up_panel import WrapUpPanel

log = logging.getLogger("agent_desk.ui.phone_view")
A = CallAction


def machine(i: v.InteractionView, now: Callable[[], float]) -> PhoneCall | None:
    """A call state machine in the state the server reports (consultation included), or
    None when the interaction is not with an agent (queued, a callback waiting)."""
    try:
        call = PhoneCall.from_server(i, now=now)
    except ChannelError:
        return None
    c = i.consult
    if c is not None and call.state in (CallState.CONNECTED, CallState.ON_HOLD):
        call.state = CallState.CONFERENCE if str(c.state) == "conference" else CallState.CONSULTING
        tid = c.agent_id or c.queue_id
        if tid:
            call.consult_target = TransferTarget("agent" if c.agent_id else "queue", tid,
                                                 c.agent_name)
    call.muted = i.muted and call.state not in (CallState.ENDED, CallState.WRAP_UP)
    return call


class PhoneView(QWidget):
    def __init__(self, interaction: v.InteractionView, ctx: ViewContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self.call = machine(interaction, ctx.now)
        self.gone = False
        self.busy = False  # a command is on its way: the controls wait
        self.wrap_up: WrapUpPanel | None = None  # once the call is in wrap-up
        self.transfer_dialog: TransferDialog | None = None  # the last one opened
        self.pad: DtmfPad | None = None  # once opened
        self.callback_dialog: CallbackDialog | None = None
        self.setAccessibleName(self.tr("Phone call"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 12)
        lay.setSpacing(8)
        self.collision = CollisionBar(ctx, interaction.id, self)
        lay.addWidget(self.collision)
        self.banner = notice_label(self, self.tr("Call notice"))
        lay.addWidget(self.banner)
        self.info = CallInfo(ctx, interaction, self)
        lay.addWidget(self.info)
        c = self.controls = CallControls(self)  # its buttons are the view's too
        self.answer, self.hold, self.mute, self.keypad = c.answer, c.hold, c.mute, c.keypad
        self.hang_up, self.transfer, self.consult = c.hang_up, c.transfer, c.consult
        self.callback, self.escalate, self.complete = c.callback, c.escalate, c.complete
        self.conference, self.cancel_consult = c.conference, c.cancel_consult
        self.consult_row = c.consult_row
        lay.addWidget(c)
        self.problem = problem_label(self, self.tr("Call problem"))
        lay.addWidget(self.problem)
        self.notes = CallNotes(ctx, interaction.id, self)
        self.notes.sig_edited.connect(self.collision.keystroke)
        lay.addWidget(self.notes, 1)
        self.wrap_slot = QVBoxLayout()
        lay.addLayout(self.wrap_slot)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start()
        self.collision.set_open(True)
        self.update_interaction(interaction)

    # ---- the workspace's interface --------------------------------------------------------

    def update_interaction(self, i: v.InteractionView) -> None:
        if i.id != self.interaction.id:
            return
        before = self.interaction
        self.interaction = i
        self.call = machine(i, self.ctx.now)
        self.info.update_interaction(i, self.call)
        if self.wrap_up is not None:
            self.wrap_up.update_interaction(i)
        elif str(i.state) == "wrap_up" and self.is_mine():
            self._show_wrap_up()
        if str(before.state) != str(i.state) and str(i.state) == "wrap_up":
            self.notes.flush()
        if (before.state, before.consult) != (i.state, i.consult):
            self.info.load()  # the call log gains the new step
        self.refresh_controls()
        self.tick()

    def insert_reply_text(self, text: str) -> bool:
        """Insert ``text`` into the call notes (False when they are read-only for you)."""
        return self.notes.insert(text)

    def set_gone(self, gone: bool) -> None:
        self.gone = gone
        if gone:
            self.notes.flush()
        self.banner.setText(self.tr(
            "This call is no longer yours or no longer in your queue. Your notes are kept."))
        self.banner.setVisible(gone)
        self.refresh_controls()

    # ---- state ----------------------------------------------------------------------------

    def is_mine(self) -> bool:
        me = self.ctx.my_id
        return me is not None and self.interaction.assigned_agent_id == me

    def _supervisor(self) -> bool:
        me = self.ctx.state.me
        return me is not None and me.role in SUPERVISOR_ROLES

    def allowed(self) -> frozenset[CallAction]:
        """The controls usable now: the call's state, ownership and nothing in flight."""
        if self.call is None or self.busy or self.gone:
            return frozenset()
        acts = self.call.allowed_actions()
        i, me = self.interaction, self.ctx.my_id
        if str(i.state) != "assigned":  # the server sends digits only to a connected caller
            acts -= {A.DTMF}
        if str(i.state) == "offered":
            return acts & {A.ANSWER} if me is not None and i.offered_agent_id == me else frozenset()
        return acts - {A.ANSWER, A.DECLINE} if self.is_mine() else frozenset()

    def can_escalate(self) -> bool:
        live = self.call is not None and self.call.state in (CallState.CONNECTED, CallState.ON_HOLD)
        return live and not self.busy and not self.gone and (self.is_mine() or self._supervisor())

    def refresh_controls(self) -> None:
        acts = self.allowed()
        self.controls.refresh(acts, self.call, self.can_escalate())
        if self.pad is not None and A.DTMF not in acts and not self.busy:
            self.pad.close()
        self.notes.set_read_only(
            not self.is_mine() and str(self.interaction.state) not in ("offered",))

    @Slot()
    def tick(self) -> None:
        self.info.tick(self.call)

    def _show_wrap_up(self) -> None:
        from .wrap_up_panel import WrapUpPanel

        self.wrap_up = WrapUpPanel(self.ctx, self.interaction, self)
        self.wrap_up.set_notes(self.notes.text())
        self.wrap_up.sig_done.connect(self.notes.discard)
        self.wrap_slot.addWidget(self.wrap_up)

    # ---- sending --------------------------------------------------------------------------

    async def _do(self, make: Callable[[PhoneCall], CallCommand], failed: str, *,
                  note: str = "") -> m.Ack | None:
        """Check the action on a copy of the call, send its frame, wait for the answer."""
        call = machine(self.interaction, self.ctx.now)
        try:
            if call is None:
                raise ChannelError("no call", code="no_call")
            frame = to_frame(make(call), self.interaction.id, note=note)
        except ChannelError as exc:
            log.info("call action refused locally: %s", exc)
            self._say(self.tr("That is not possible in the call's current state."))
            return None
        return await self._send(frame, failed)

    async def _send(self, frame: m.Command, failed: str) -> m.Ack | None:
        self._say("")
        self.busy = True
        self.refresh_controls()
        try:
            return await self.ctx.controller.send(frame, failed)
        finally:
            if isValid(self):
                self.busy = False
                self.refresh_controls()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    @asyncSlot()
    async def _answer(self) -> None:
        await self._do(lambda c: c.answer(), self.tr("Could not answer"))

    @asyncSlot()
    async def _hold(self) -> None:
        if self.call is not None and self.call.state == CallState.ON_HOLD:
            await self._do(lambda c: c.resume(), self.tr("Could not resume the call"))
        else:
            await self._do(lambda c: c.hold(), self.tr("Could not hold"))

    @asyncSlot()
    async def _mute(self) -> None:
        if self.call is not None and self.call.muted:
            await self._do(lambda c: c.unmute(), self.tr("Could not unmute"))
        else:
            await self._do(lambda c: c.mute(), self.tr("Could not mute"))

    @asyncSlot()
    async def _hang_up(self) -> None:
        self.notes.flush()
        await self._do(lambda c: c.hang_up(), self.tr("Could not hang up"))

    @asyncSlot()
    async def _complete(self) -> None:
        self.notes.flush()
        await self._do(lambda c: c.warm_transfer_complete(),
                       self.tr("Could not complete the transfer"))

    @asyncSlot()
    async def _conference(self) -> None:
        await self._do(lambda c: c.conference(), self.tr("Could not start the conference"))

    @asyncSlot()
    async def _cancel_consult(self) -> None:
        await self._do(lambda c: c.warm_transfer_cancel(),
                       self.tr("Could not return to the caller"))

    # ---- dialogs --------------------------------------------------------------------------

    def _dialog(self, mode: str) -> None:
        from .transfer_dialog import TransferDialog

        if self.transfer_dialog is not None and isValid(self.transfer_dialog):
            self.transfer_dialog.close()
        submit = {"transfer": self._submit_transfer, "consult": self._submit_consult,
                  "escalate": self._submit_escalate}[mode]
        dlg = TransferDialog(self.ctx, "phone", mode=mode, parent=self, submit=submit)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.transfer_dialog = dlg
        dlg.open()

    @Slot()
    def open_transfer(self) -> None:
        self._dialog("transfer")

    @Slot()
    def open_consult(self) -> None:
        self._dialog("consult")

    @Slot()
    def open_escalate(self) -> None:
        self._dialog("escalate")

    async def _submit_transfer(self, kind: str, tid: int, note: str) -> bool:
        target = TransferTarget("agent" if kind == "agent" else "queue", tid)
        self.notes.flush()
        ack = await self._do(lambda c: c.blind_transfer(target), self.tr("Could not transfer"),
                             note=note)
        return ack is not None and ack.ok

    async def _submit_consult(self, kind: str, tid: int, _note: str) -> bool:
        target = TransferTarget("agent" if kind == "agent" else "queue", tid)
        ack = await self._do(lambda c: c.warm_transfer_start(target),
                             self.tr("Could not start the consultation"))
        return ack is not None and ack.ok

    async def _submit_escalate(self, kind: str, tid: int, note: str) -> bool:
        frame = m.Escalate(key=new_key(), interaction_id=self.interaction.id,
                           to_agent_id=tid if kind == "agent" else None,
                           to_queue_id=tid if kind == "queue" else None, reason=note[:500])
        ack = await self._send(frame, self.tr("Could not escalate"))
        return ack is not None and ack.ok

    @Slot()
    def open_keypad(self) -> None:
        from .dtmf_pad import DtmfPad

        if self.pad is None or not isValid(self.pad):
            self.pad = DtmfPad(self)
            self.pad.sig_send.connect(self._send_dtmf)
        self.pad.show()
        self.pad.raise_()
        self.pad.digits.setFocus()

    @asyncSlot(str)
    async def _send_dtmf(self, digits: str) -> None:
        pad = self.pad
        ack = await self._do(lambda c: c.dtmf(digits), self.tr("Could not send the digits"))
        if pad is None or not isValid(pad):
            return
        if ack is not None and ack.ok:
            pad.sent(len(digits))
        else:
            pad.failed(self.tr("The digits were not sent.") if ack is not None
                       else self.tr("Not sent: the call is not connected right now."))

    @Slot()
    def open_callback(self) -> None:
        from .callback_dialog import CallbackDialog

        dlg = CallbackDialog(self.info.number(), self.ctx.now, self, submit=self._submit_callback)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.callback_dialog = dlg
        dlg.open()

    async def _submit_callback(self, number: str, start: datetime, end: datetime,
                               note: str) -> bool:
        ack = await self._do(lambda c: c.request_callback(number, start, end),
                             self.tr("Could not request the callback"), note=note)
        return ack is not None and ack.ok

    # ---- lifetime -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.tick()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.notes.flush()  # another tab, or the window closes
        super().hideEvent(event)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.DeferredDelete:  # the tab is closed: keep the notes
            self.notes.flush()
            self.collision.set_open(False)
        return super().event(e)
