"""The DTMF keypad of a call: twelve keys (and A-D by keyboard), the digits collected in a
line the agent can also type into, sent together with Enter or *Send*. The digits are
checked with ``channels.phone.validate_dtmf``; a problem is shown in the pad, nothing is
sent. The pad only collects: the phone view sends (``sig_send``) and reports back with
``sent`` / ``failed``."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..channels.errors import InvalidInput
from ..channels.phone import MAX_DTMF, validate_dtmf
from .text_style import problem_label

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
LETTERS = {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV",
           "9": "WXYZ", "0": "+"}


class DtmfPad(QDialog):
    """Signals:
        sig_send(str): send these (validated, upper-cased) digits now.
    """

    sig_send = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keypad"))
        self.setAccessibleName(self.tr("Keypad"))
        self.setModal(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        self.digits = QLineEdit(self)
        self.digits.setAccessibleName(self.tr("Digits to send"))
        self.digits.setPlaceholderText(self.tr("Type or press the keys"))
        self.digits.setMaxLength(MAX_DTMF + 8)  # room for spaces; validated on send
        self.digits.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9*#A-Da-d ]*"), self.digits))
        f = self.digits.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        self.digits.setFont(f)
        self.digits.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digits.returnPressed.connect(self.send)
        self.digits.textChanged.connect(lambda _t: self._say(""))
        lay.addWidget(self.digits)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.keys: dict[str, QPushButton] = {}
        for n, key in enumerate(KEYS):
            sub = LETTERS.get(key, "")
            button = QPushButton(f"{key}\n{sub}" if sub else key, self)
            button.setAccessibleName(self.tr("Key %1").replace("%1", key))
            button.setMinimumSize(56, 46)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=key: self.press(k))
            grid.addWidget(button, n // 3, n % 3)
            self.keys[key] = button
        lay.addLayout(grid)
        self.error = problem_label(self, self.tr("Keypad message"))
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("C&lear"), self)
        self.clear_button.setAccessibleName(self.tr("Clear the digits"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear)
        self.send_button = QPushButton(self.tr("&Send"), self)
        self.send_button.setAccessibleName(self.tr("Send the digits"))
        self.send_button.setToolTip(self.tr("Send the digits (Enter)"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close the keypad"))
        self.close_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Cancel))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.send_button)
        lay.addLayout(row)
        self.digits.setFocus()

    @Slot(str)
    def press(self, key: str) -> None:
        """A key of the pad was pressed: add it to the digits."""
        self.digits.setText(self.digits.text() + key)
        self.digits.setFocus()

    @Slot()
    def clear(self) -> None:
        self.digits.clear()
        self._say("")

    @Slot()
    def send(self) -> None:
        try:
            digits = validate_dtmf(self.digits.text())
        except InvalidInput as exc:
            self._say(self._explain(exc.code))
            return
        self.set_sending(True)
        self.sig_send.emit(digits)

    def set_sending(self, on: bool) -> None:
        """While the digits are on their way: no second send."""
        self.send_button.setEnabled(not on)
        self.digits.setReadOnly(on)

    def sent(self, count: int) -> None:
        """The far end got them: ready for the next digits."""
        self.set_sending(False)
        self.digits.clear()
        self._say(self.tr("%n digit(s) sent.", "", count), error=False)

    def failed(self, text: str) -> None:
        """Not sent: keep the digits and say why."""
        self.set_sending(False)
        self._say(text)

    def message(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _explain(self, code: str) -> str:
        if code == "dtmf_empty":
            return self.tr("Type or press the digits to send first.")
        if code == "dtmf_too_long":
            return self.tr("At most %n digits at once.", "", MAX_DTMF)
        return self.tr("Only 0–9, *, # and A–D can be sent.")

    def _say(self, text: str, *, error: bool = True) -> None:
        self.error.setStyleSheet("QLabel { color: %s; }" % ("#b3261e" if error else "#2e7d32"))
        self.error.setText(text)
        self.error.setVisible(bool(text))
