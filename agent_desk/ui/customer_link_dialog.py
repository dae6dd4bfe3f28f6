"""Say who the customer of an interaction is, when the screen pop found nobody or several:
search customers (name, phone, email, chat id) and link one (``link_customer``), or create
a new customer record and link it (``create_customer``). The candidates the server
suggested are listed first. Searching and sending never block the window; a refusal keeps
the dialog open with the reason and everything typed."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..client.connection import Connection
from ..protocol import messages as m
from ..protocol import views as v
from .labels import language_text, tier_text
from .text_style import mute, problem_label
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.customer_link_dialog")
CUSTOMER_ROLE = Qt.ItemDataRole.UserRole + 1


class CustomerLinkDialog(QDialog):
    """After ``accepted``: ``customer_id`` is the customer the interaction now belongs to.

    Signals:
        sig_searched(): a search finished (results or a message shown).
    """

    sig_searched = Signal()

    def __init__(self, ctx: ViewContext, interaction: v.InteractionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self.customer_id: int | None = None
        self._busy = False
        self._search_no = 0
        self.setWindowTitle(self.tr("Who is the customer?"))
        self.setAccessibleName(self.tr("Link the customer"))
        self.setMinimumSize(460, 480)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(8)
        intro = QLabel(self.tr("Find the customer this conversation is with and link it, "
                               "or create a new customer."), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        find = QLabel(self.tr("&Search:"), self)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Name, phone, email or chat id"))
        self.query.setAccessibleName(self.tr("Search customers"))
        self.query.setClearButtonEnabled(True)
        find.setBuddy(self.query)
        row.addWidget(find)
        row.addWidget(self.query, 1)
        lay.addLayout(row)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Matching customers"))
        self.results.itemSelectionChanged.connect(self._validate)
        self.results.itemActivated.connect(lambda _i: self.link())
        lay.addWidget(self.results, 1)
        self.status = mute(QLabel(self))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Search status"))
        lay.addWidget(self.status)
        self.link_button = QPushButton(self.tr("&Link this customer"), self)
        self.link_button.setAccessibleName(self.tr("Link the selected customer"))
        self.link_button.clicked.connect(self.link)
        lay.addWidget(self.link_button, 0, Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self._build_create())
        self.error = problem_label(self, self.tr("Problem"))
        lay.addWidget(self.error)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setAccessibleName(self.tr("Cancel"))
        self.cancel.clicked.connect(self.reject)
        close_row.addWidget(self.cancel)
        lay.addLayout(close_row)
        self.set_results(list(interaction.match_candidates))
        if interaction.match_candidates:
            self.status.setText(self.tr("Suggested: customers who may be the one."))
        self.query.setFocus()

    def _build_create(self) -> QGroupBox:
        box = QGroupBox(self.tr("Or create a new customer"), self)
        form = QFormLayout(box)
        self.new_name = QLineEdit(box)
        self.new_name.setAccessibleName(self.tr("New customer's name"))
        self.new_name.setMaxLength(200)
        self.new_name.textChanged.connect(self._validate)
        self.new_language = QComboBox(box)
        self.new_language.setAccessibleName(self.tr("New customer's language"))
        for code in ("en", "zh"):
            self.new_language.addItem(language_text(code), code)
        lang = self.interaction.customer.language
        self.new_language.setCurrentIndex(max(0, self.new_language.findData(lang)))
        self.new_tier = QComboBox(box)
        self.new_tier.setAccessibleName(self.tr("New customer's tier"))
        for code in ("standard", "gold", "vip"):
            self.new_tier.addItem(tier_text(code), code)
        self.new_notes = QLineEdit(box)
        self.new_notes.setAccessibleName(self.tr("New customer's notes"))
        for text, w in ((self.tr("&Name:"), self.new_name),
                        (self.tr("Lan&guage:"), self.new_language),
                        (self.tr("&Tier:"), self.new_tier),
                        (self.tr("N&otes:"), self.new_notes)):
            label = QLabel(text, box)
            label.setBuddy(w)
            form.addRow(label, w)
        self.create_button = QPushButton(self.tr("C&reate and link"), box)
        self.create_button.setAccessibleName(self.tr("Create the customer and link it"))
        self.create_button.clicked.connect(self.create)
        form.addRow("", self.create_button)
        self._validate()
        return box

    # ---- searching ------------------------------------------------------------------------

    def set_results(self, customers: list[v.CustomerBrief]) -> None:
        self.results.clear()
        for c in customers:
            item = QListWidgetItem(self.tr("%1 · %2 · %3").replace("%1", c.name).replace(
                "%2", tier_text(str(c.tier))).replace("%3", language_text(c.language)))
            item.setData(CUSTOMER_ROLE, c.id)
            self.results.addItem(item)
        if customers:
            self.results.setCurrentRow(0)
        self._validate()

    @asyncSlot()
    async def search(self) -> None:
        from .controller import QueryFailed

        text = self.query.text().strip()
        if not text:
            return
        self._search_no += 1
        mine = self._search_no
        self.status.setText(self.tr("Searching…"))
        try:
            res = await self.ctx.controller.ask(m.SearchCustomers(query=text[:200]), dict)
            found = [v.CustomerBrief(**c) if isinstance(c, dict) else c
                     for c in res.get("customers", [])]
        except QueryFailed as exc:
            found, problem = [], exc.text
        except (TypeError, ValueError):
            found, problem = [], self.tr("The server sent a result this version cannot read.")
        else:
            problem = ""
        if not isValid(self) or mine != self._search_no:
            return  # closed, or a newer search is running
        self.set_results(found)
        self.status.setText(problem or (self.tr("%n customer(s) found.", "", len(found))))
        self.sig_searched.emit()

    def selected_id(self) -> int | None:
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        return int(item.data(CUSTOMER_ROLE))

    @Slot()
    def _validate(self) -> None:
        if not hasattr(self, "create_button"):
            return
        self.link_button.setEnabled(not self._busy and self.selected_id() is not None)
        self.create_button.setEnabled(not self._busy and bool(self.new_name.text().strip()))

    # ---- sending --------------------------------------------------------------------------

    @asyncSlot()
    async def link(self) -> None:
        cid = self.selected_id()
        if cid is None or self._busy:
            return
        await self._send(m.LinkCustomer(key=Connection.new_key(),
                                        interaction_id=self.interaction.id, customer_id=cid),
                         self.tr("Could not link the customer"))

    @asyncSlot()
    async def create(self) -> None:
        name = self.new_name.text().strip()
        if not name or self._busy:
            return
        cmd = m.CreateCustomer(
            key=Connection.new_key(), name=name[:200],
            language=str(self.new_language.currentData()),
            tier=str(self.new_tier.currentData()),  # type: ignore[arg-type]
            notes=self.new_notes.text().strip(), interaction_id=self.interaction.id)
        await self._send(cmd, self.tr("Could not create the customer"))

    async def _send(self, cmd: m.Command, failed: str) -> None:
        notices: list[str] = []
        self.ctx.controller.sig_notice.connect(notices.append)
        self._busy = True
        self._validate()
        self.error.hide()
        try:
            ack = await self.ctx.controller.send(cmd, failed)
        finally:
            self.ctx.controller.sig_notice.disconnect(notices.append)
            self._busy = False
        if not isValid(self):
            return
        self._validate()
        if ack is not None and ack.ok:
            result = ack.result if isinstance(ack.result, dict) else {}
            self.customer_id = result.get("customer_id")
            self.accept()
            return
        self.error.setText(notices[-1] if notices else self.tr("It did not go through."))
        self.error.show()
