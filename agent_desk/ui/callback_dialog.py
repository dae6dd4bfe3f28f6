"""Request a callback for a caller who prefers it: the number (prefilled with the caller's),
a time window (by default the next two hours) and an optional note. Checked with the call
layer's validators before anything is sent; problems are shown in the dialog, which stays
open with what was typed while the request is sent and when the server refuses it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..channels.errors import InvalidInput
from ..channels.phone import (
    MAX_CALLBACK_AHEAD,
    MIN_CALLBACK_WINDOW,
    validate_callback_number,
    validate_callback_window,
)
from .text_style import problem_label

#: (number, window start, window end, note) -> sent?
Submit = Callable[[str, datetime, datetime, str], Awaitable[bool]]
DEFAULT_WINDOW = timedelta(hours=2)


def _qdt(when: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(when.timestamp()))


def _py(qdt: QDateTime) -> datetime:
    return datetime.fromtimestamp(qdt.toSecsSinceEpoch(), UTC)


class CallbackDialog(QDialog):
    def __init__(self, number: str, now: Callable[[], float], parent: QWidget | None = None,
                 *, submit: Submit | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._submit = submit
        self.setWindowTitle(self.tr("Request a callback"))
        self.setAccessibleName(self.tr("Request a callback"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        intro = QLabel(self.tr("The caller is called back on this number within the window; "
                               "the call is queued for the team like any other."), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.number = QLineEdit(number, self)
        self.number.setAccessibleName(self.tr("Number to call back"))
        self.number.setMaxLength(40)
        self.number.textChanged.connect(self._clear_error)
        start = datetime.fromtimestamp(now(), UTC)
        start = start.replace(second=0, microsecond=0) + timedelta(minutes=5 - start.minute % 5)
        self.start = self._when(start)
        self.start.setAccessibleName(self.tr("Call back from"))
        self.end = self._when(start + DEFAULT_WINDOW)
        self.end.setAccessibleName(self.tr("Call back until"))
        self.note = QLineEdit(self)
        self.note.setAccessibleName(self.tr("Note for the callback"))
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(self.tr("e.g. prefers the afternoon"))
        for text, w in ((self.tr("&Number:"), self.number), (self.tr("&From:"), self.start),
                        (self.tr("&Until:"), self.end), (self.tr("N&ote:"), self.note)):
            label = QLabel(text, self)
            label.setBuddy(w)
            form.addRow(label, w)
        lay.addLayout(form)
        self.error = problem_label(self, self.tr("Problem"))
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Request callback"))
        self.ok.setAccessibleName(self.tr("Request the callback"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self._ok_clicked)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.result_number = ""
        self.result_window: tuple[datetime, datetime] | None = None

    def _when(self, when: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(_qdt(when), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setMinimumDateTime(_qdt(datetime.fromtimestamp(self._now(), UTC)
                                     - timedelta(days=1)))
        edit.setMaximumDateTime(_qdt(datetime.fromtimestamp(self._now(), UTC)
                                     + MAX_CALLBACK_AHEAD + timedelta(days=1)))
        edit.dateTimeChanged.connect(self._clear_error)
        return edit

    def chosen_window(self) -> tuple[datetime, datetime]:
        return _py(self.start.dateTime()), _py(self.end.dateTime())

    def problem(self) -> str:
        """What is wrong with the input ("" when it can be sent)."""
        try:
            validate_callback_number(self.number.text())
            now = datetime.fromtimestamp(self._now(), UTC)
            validate_callback_window(*self.chosen_window(), now)
        except InvalidInput as exc:
            return self._explain(exc.code)
        return ""

    def _explain(self, code: str) -> str:
        minutes = int(MIN_CALLBACK_WINDOW.total_seconds() // 60)
        return {
            "callback_number_invalid": self.tr("The number may contain only digits, a leading "
                                               "+ and spaces, dashes or brackets."),
            "callback_number_length": self.tr("The number needs 3 to 15 digits."),
            "callback_window_order": self.tr("The window must end after it starts."),
            "callback_window_short": self.tr("The window must be at least %1 minutes long.")
            .replace("%1", str(minutes)),
            "callback_window_past": self.tr("The window is in the past or ends too soon."),
            "callback_window_far": self.tr("The window must start within %1 days.")
            .replace("%1", str(MAX_CALLBACK_AHEAD.days)),
        }.get(code, self.tr("Check the number and the window."))

    @Slot()
    def _clear_error(self) -> None:
        self.error.hide()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    @asyncSlot()
    async def _ok_clicked(self) -> None:
        problem = self.problem()
        if problem:
            self._say(problem)
            return
        self.result_number = validate_callback_number(self.number.text())
        start, end = self.chosen_window()
        self.result_window = (start, end)
        if self._submit is None:
            self.accept()
            return
        self.ok.setEnabled(False)
        try:
            done = await self._submit(self.result_number, start, end, self.note.text().strip())
        finally:
            if isValid(self):
                self.ok.setEnabled(True)
        if not isValid(self):
            return
        if done:
            self.accept()
        else:
            self._say(self.tr("The callback was not requested (see the status bar). "
                              "Change it or try again."))
