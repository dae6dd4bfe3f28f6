"""The controls of a phone call: the buttons with their shortcuts and tooltips.

Answer (shown only while the call is offered to you), a row for the live call (hold or
resume, mute or unmute, keypad, hang up), a row for handing it on (blind transfer, consult,
callback, escalate) and, while consulting a colleague, the consultation row (complete the
transfer, conference, return to the caller). ``refresh`` enables exactly what the phone view
allows now (``PhoneCall.allowed_actions()``, ownership, nothing in flight). A shortcut is
parented to its button, so it is dead while the button is disabled or hidden. Every button
runs the phone view's slot for it; the view sends the command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..channels.phone import CallAction, CallState, PhoneCall

if TYPE_CHECKING:
    from .phone_view import PhoneView

A = CallAction
_CONSULT_STATES = (CallState.CONSULTING, CallState.CONFERENCE)
_HANG_UP = (
    "QPushButton:enabled { background: #c62828; color: white; border-radius: 4px; "
    "padding: 5px 12px; } QPushButton:disabled { padding: 5px 12px; }"
)
_ANSWER = (
    "QPushButton { background: #2e7d32; color: white; border-radius: 4px; padding: 5px 12px; }"
)


class CallControls(QWidget):
    def __init__(self, view: PhoneView) -> None:
        super().__init__(view)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)  # as the phone view's own layout
        self.answer = self._button(self.tr("&Answer"), self.tr("Answer the call"), None,
                                   view._answer, self.tr("Answer the call (also Ctrl+Shift+A)"))
        self.answer.setStyleSheet(_ANSWER)
        self.hold = self._button(self.tr("&Hold"), self.tr("Hold"), "Ctrl+Shift+H", view._hold,
                                 self.tr("Put the caller on hold or take them off hold"))
        self.mute = self._button(self.tr("&Mute"), self.tr("Mute"), "Ctrl+Shift+M", view._mute,
                                 self.tr("Mute or unmute your microphone"))
        self.keypad = self._button(self.tr("&Keypad…"), self.tr("Keypad"), "Ctrl+Shift+K",
                                   view.open_keypad, self.tr("Send touch-tone digits"))
        self.hang_up = self._button(self.tr("Hang &up"), self.tr("Hang up"), "Ctrl+Shift+E",
                                    view._hang_up, self.tr("End the call"))
        self.hang_up.setStyleSheet(_HANG_UP)
        self.transfer = self._button(self.tr("&Transfer…"), self.tr("Blind transfer"),
                                     "Ctrl+Shift+T", view.open_transfer,
                                     self.tr("Hand the call to another agent or queue now"))
        self.consult = self._button(self.tr("&Consult…"), self.tr("Consult (warm transfer)"),
                                    "Ctrl+Shift+C", view.open_consult,
                                    self.tr("Talk to a colleague first, then transfer"))
        self.callback = self._button(self.tr("Call&back…"), self.tr("Request a callback"),
                                     "Ctrl+Shift+B", view.open_callback,
                                     self.tr("Queue a callback for the caller"))
        self.escalate = self._button(self.tr("&Escalate…"), self.tr("Escalate"), "Ctrl+Shift+L",
                                     view.open_escalate,
                                     self.tr("Send the call to a team lead or another queue"))
        self.complete = self._button(self.tr("Com&plete transfer"),
                                     self.tr("Complete the transfer"), "Ctrl+Shift+O",
                                     view._complete,
                                     self.tr("Hand the caller to the colleague and leave"))
        self.conference = self._button(self.tr("Con&ference"), self.tr("Conference"),
                                       "Ctrl+Shift+F", view._conference,
                                       self.tr("Talk together: caller, colleague and you"))
        self.cancel_consult = self._button(
            self.tr("&Return to caller"), self.tr("Cancel the consultation"), "Ctrl+Shift+R",
            view._cancel_consult, self.tr("End the consultation and go back to the caller"))
        lay.addWidget(self.answer)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        for col, b in enumerate((self.hold, self.mute, self.keypad, self.hang_up)):
            grid.addWidget(b, 0, col)
        for col, b in enumerate((self.transfer, self.consult, self.callback, self.escalate)):
            grid.addWidget(b, 1, col)
        lay.addLayout(grid)
        self.consult_row = QWidget(self)
        row = QHBoxLayout(self.consult_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.consult_label = QLabel(self.consult_row)
        self.consult_label.setAccessibleName(self.tr("Consultation"))
        row.addWidget(self.consult_label, 1)
        for b in (self.complete, self.conference, self.cancel_consult):
            b.setParent(self.consult_row)
            row.addWidget(b)
        lay.addWidget(self.consult_row)

    def _button(self, text: str, name: str, keys: str | None, slot: Callable[[], object],
                tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setAccessibleName(name)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        if keys:
            sc = QShortcut(QKeySequence(keys), b)  # parented to the button: dead while it is
            sc.setContext(Qt.ShortcutContext.WindowShortcut)  # disabled or hidden
            sc.activated.connect(b.click)
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            tip = self.tr("%1 (%2)").replace("%1", tip).replace("%2", native)
        b.setToolTip(tip)
        return b

    def refresh(self, acts: frozenset[CallAction], call: PhoneCall | None,
                can_escalate: bool) -> None:
        """Enable the buttons of ``acts`` (and escalate when ``can_escalate``); hold and mute
        say what they would do now; the consultation row shows while consulting."""
        state = call.state if call is not None else None
        self.answer.setVisible(A.ANSWER in acts)
        self.answer.setEnabled(A.ANSWER in acts)
        on_hold = state == CallState.ON_HOLD
        self.hold.setText(self.tr("Res&ume") if on_hold else self.tr("&Hold"))
        self.hold.setAccessibleName(self.tr("Resume") if on_hold else self.tr("Hold"))
        self.hold.setEnabled(bool(acts & {A.HOLD, A.RESUME}))
        muted = call is not None and call.muted
        self.mute.setText(self.tr("Un&mute") if muted else self.tr("&Mute"))
        self.mute.setAccessibleName(self.tr("Unmute") if muted else self.tr("Mute"))
        self.mute.setEnabled(bool(acts & {A.MUTE, A.UNMUTE}))
        for b, a in ((self.keypad, A.DTMF), (self.hang_up, A.HANG_UP),
                     (self.transfer, A.BLIND_TRANSFER), (self.consult, A.WARM_TRANSFER_START),
                     (self.callback, A.REQUEST_CALLBACK),
                     (self.complete, A.WARM_TRANSFER_COMPLETE), (self.conference, A.CONFERENCE),
                     (self.cancel_consult, A.WARM_TRANSFER_CANCEL)):
            b.setEnabled(a in acts)
        self.escalate.setEnabled(can_escalate)
        self.consult_row.setVisible(state in _CONSULT_STATES)
        self.consult_label.setText(self.tr("All three of you are talking.")
                                   if state == CallState.CONFERENCE
                                   else self.tr("The caller hears hold music while you talk."))
