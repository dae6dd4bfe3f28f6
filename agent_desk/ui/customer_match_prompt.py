"""The screen-pop prompt of the customer panel: when nobody matched the contact ("New
customer — link to an existing one or keep it") or several customers may be the one
("Several customers are called Wang Fang — is it one of them?" with each candidate as a
button). It only asks; the panel links or opens the search dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..protocol import views as v
from ..protocol.enums import FINAL_STATES
from .labels import tier_text

PROMPT_STYLE = ("QFrame#matchPrompt { background: #e8f1fb; border: 1px solid #9cc3ea; "
                "border-radius: 4px; } QFrame#matchPrompt QLabel { color: #0b3d6e; }")
MAX_CANDIDATE_BUTTONS = 4


class MatchPrompt(QFrame):
    """Signals:
        sig_link(int): the agent chose this candidate customer.
        sig_find(): the agent wants to search for (or create) the customer.
    """

    sig_link = Signal(int)
    sig_find = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dismissed: set[int] = set()  # interactions whose "new customer" was kept
        self._iid: int | None = None
        self.setObjectName("matchPrompt")
        self.setStyleSheet(PROMPT_STYLE)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.tr("Customer match"))
        lay.addWidget(self.text)
        self.candidate_row = QVBoxLayout()
        self.candidate_row.setSpacing(3)
        lay.addLayout(self.candidate_row)
        self.candidate_buttons: list[QPushButton] = []
        row = QHBoxLayout()
        self.find_button = QPushButton(self.tr("Find or &create…"), self)
        self.find_button.setAccessibleName(self.tr("Search customers or create one"))
        self.find_button.clicked.connect(self.sig_find)
        self.keep_button = QPushButton(self.tr("&Keep as new"), self)
        self.keep_button.setAccessibleName(self.tr("Keep the new customer"))
        self.keep_button.clicked.connect(self._keep)
        row.addWidget(self.find_button)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.hide()

    def show_for(self, i: v.InteractionView | None, *, can_link: bool = True) -> None:
        """Ask about ``i``'s customer when the match is ``new`` or ``ambiguous``."""
        while self.candidate_buttons:
            b = self.candidate_buttons.pop()
            b.hide()
            b.deleteLater()
        self._iid = i.id if i is not None else None
        match = str(i.customer_match) if i is not None else ""
        if i is None or not can_link or i.state in FINAL_STATES or i.id in self._dismissed \
                or match not in ("new", "ambiguous"):
            self.hide()
            return
        if match == "ambiguous":
            self.text.setText(self.tr("Several customers are called %1 — is it one of "
                                      "them?").replace("%1", i.customer.name))
            for n, c in enumerate(i.match_candidates[:MAX_CANDIDATE_BUTTONS]):
                b = QPushButton(f"&{n + 1}  {c.name} · {tier_text(str(c.tier))}", self)
                b.setAccessibleName(self.tr("Link to %1").replace("%1", c.name))
                b.clicked.connect(lambda _c=False, cid=c.id: self.sig_link.emit(cid))
                self.candidate_row.addWidget(b)
                self.candidate_buttons.append(b)
        else:
            self.text.setText(self.tr("New customer — link to an existing one or keep it."))
        self.keep_button.setVisible(match == "new")
        self.show()

    def set_busy(self, busy: bool) -> None:
        for b in self.candidate_buttons:
            b.setEnabled(not busy)

    @Slot()
    def _keep(self) -> None:
        if self._iid is not None:
            self._dismissed.add(self._iid)
        self.hide()
