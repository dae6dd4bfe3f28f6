"""Choose where an interaction goes: another agent or a queue, for a blind ``transfer``, a
warm-transfer ``consult`` or an ``escalate`` (leads/admins and queues only, reason required).

The targets come from ``get_transfer_targets`` (loaded without blocking the GUI; offline
the dialog says so and offers a retry): queues with how many wait and how many agents are
free, agents with role and state, those who cannot take it now greyed out with the reason.
OK stays disabled until the choice is valid.

Used two ways: ``open()``/``exec()`` and read ``target_kind``/``target_id``/``note`` after
``accepted``; or with ``submit`` (an async callable sending the command): the dialog stays
open while it runs and, when the server refuses, keeps the choice and shows why."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..protocol import messages as m
from ..protocol import views as v
from ..protocol.enums import SUPERVISOR_ROLES
from .labels import role_text
from .state_selector import state_text
from .text_style import mute, problem_label
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.transfer_dialog")

MODES = ("transfer", "consult", "escalate")
#: item data: ("agent" | "queue", id) for a choosable row
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_NOTE = 500
Submit = Callable[[str, int, str], Awaitable[bool]]


class TransferDialog(QDialog):
    """Signals:
        sig_loaded: the targets arrived (or the query failed: see ``status``).
    """

    sig_loaded = Signal()

    def __init__(self, ctx: ViewContext, channel: str, *, mode: str = "transfer",
                 parent: QWidget | None = None, submit: Submit | None = None) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.ctx = ctx
        self.channel = channel
        self.mode = mode
        self._submit = submit
        self.target_kind = ""
        self.target_id = 0
        self.note = ""
        self.loaded = False
        self.loads = 0  # completed loads (the first one and every refresh)
        self._busy = False
        self._filling = False
        self._targets = v.TransferTargets()
        titles = {"transfer": self.tr("Transfer"), "consult": self.tr("Consult"),
                  "escalate": self.tr("Escalate")}
        self.setWindowTitle(titles[mode])
        self.setAccessibleName(titles[mode])
        self.setMinimumSize(460, 420)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(8)
        intros = {
            "transfer": self.tr("Hand this interaction to another agent or queue. You leave "
                                "it at once."),
            "consult": self.tr("Talk to another agent first while the caller is on hold; "
                               "then complete the transfer, join a conference or return."),
            "escalate": self.tr("Send it to a team lead or another queue with a reason. Its "
                                "history goes with it."),
        }
        self.intro = QLabel(intros[mode], self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        row = QHBoxLayout()
        find_label = QLabel(self.tr("&Find:"), self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Name of an agent or queue"))
        self.filter.setAccessibleName(self.tr("Find a target"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        find_label.setBuddy(self.filter)
        row.addWidget(find_label)
        row.addWidget(self.filter, 1)
        lay.addLayout(row)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(self.tr("Agents and queues"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Details"), self.tr("Now")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        lay.addWidget(self.tree, 1)
        status_row = QHBoxLayout()
        self.status = mute(QLabel(self.tr("Loading who can take it…"), self))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Target list status"))
        self.retry = QPushButton(self.tr("Re&fresh"), self)
        self.retry.setAccessibleName(self.tr("Load the targets again"))
        self.retry.setAutoDefault(False)
        self.retry.clicked.connect(self.reload)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.retry)
        lay.addLayout(status_row)
        note_label = QLabel(self.tr("&Reason (required):") if mode == "escalate"
                            else self.tr("&Note for the colleague (optional):"), self)
        self.note_edit = QLineEdit(self)
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setAccessibleName(self.tr("Reason") if mode == "escalate"
                                         else self.tr("Note"))
        self.note_edit.textChanged.connect(self._validate)
        note_label.setBuddy(self.note_edit)
        lay.addWidget(note_label)
        lay.addWidget(self.note_edit)
        if mode == "consult":  # the consult command carries no note
            note_label.hide()
            self.note_edit.hide()
        self.error = problem_label(self, self.tr("Problem"))
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok_texts = {"transfer": self.tr("&Transfer"), "consult": self.tr("&Consult"),
                    "escalate": self.tr("&Escalate")}
        self.ok.setText(ok_texts[mode])
        self.ok.setAccessibleName(titles[mode])
        self.ok.setEnabled(False)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(self.tr("Cancel"))
        self.cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self._ok_clicked)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.filter.setFocus()
        self.reload()

    # ---- loading ----------------------------------------------------------------------------

    @asyncSlot()
    async def reload(self) -> None:
        from .controller import QueryFailed

        self.status.setText(self.tr("Loading who can take it…"))
        try:
            targets = await self.ctx.controller.ask(
                m.GetTransferTargets(channel=self.channel),  # type: ignore[arg-type]
                v.TransferTargets,
                self.tr("Offline — the list of agents and queues is not available right "
                        "now."))
        except QueryFailed as exc:
            if not isValid(self):
                return
            self.status.setText(exc.text)
            self.loaded = True
            self.loads += 1
            self.sig_loaded.emit()
            return
        if not isValid(self):  # closed meanwhile
            return
        self.set_targets(targets)
        self.loaded = True
        self.loads += 1
        self.sig_loaded.emit()

    def set_targets(self, targets: v.TransferTargets) -> None:
        """Show ``targets`` (keeps the current choice when it is still listed)."""
        self._targets = targets
        self._filling = True
        kept = self.choice() or ((self.target_kind, self.target_id) if self.target_kind
                                 else None)
        self.tree.clear()
        me = self.ctx.my_id
        agents = [a for a in targets.agents if a.id != me and (
            self.mode != "escalate" or a.role in SUPERVISOR_ROLES)]
        agents.sort(key=lambda a: (not a.available, a.name.casefold()))
        queues = sorted(targets.queues, key=lambda q: q.name.casefold())
        if queues:
            group = self._group(self.tr("Queues"))
            for q in queues:
                self._add(group, "queue", q.id, q.name, self._queue_details(q),
                          *self._queue_now(q))
        if agents:
            group = self._group(self.tr("Team leads") if self.mode == "escalate"
                                else self.tr("Agents"))
            for a in agents:
                self._add(group, "agent", a.id, a.name, role_text(str(a.role)),
                          *self._agent_now(a))
        self.tree.expandAll()
        total = len(agents) + len(queues)
        self.status.setText(self.tr("Nobody to hand it to right now.") if not total else
                            self.tr("Greyed out: cannot take it now."))
        if kept is not None:
            self.select(*kept)
        self._filling = False
        self._apply_filter(self.filter.text())
        self._validate()

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        emph = item.font(0)
        emph.setBold(True)
        item.setFont(0, emph)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
        item.setFirstColumnSpanned(True)
        return item

    def _add(self, group: QTreeWidgetItem, kind: str, tid: int, name: str, details: str,
             now: str, usable: bool) -> None:
        item = QTreeWidgetItem(group, [name, details, now])
        item.setData(0, TARGET_ROLE, (kind, tid))
        if not usable:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled,
                                               QPalette.ColorRole.Text))
            for col in range(3):
                item.setForeground(col, grey)
        item.setToolTip(0, f"{name} — {now}")

    def _queue_details(self, q: v.TargetQueue) -> str:
        return self.tr("%n waiting", "", q.waiting)

    def _queue_now(self, q: v.TargetQueue) -> tuple[str, bool]:
        text = self.tr("%n available", "", q.available_agents) if q.available_agents else \
            self.tr("Nobody available")
        # a blind transfer or escalation may wait in the queue; a consultation needs someone
        return text, q.available_agents > 0 or self.mode != "consult"

    def _agent_now(self, a: v.TargetAgent) -> tuple[str, bool]:
        if a.available:
            return self.tr("Available"), True
        if str(a.state) == "available":
            return self.tr("At capacity"), False
        return state_text(str(a.state)), False

    # ---- choosing ---------------------------------------------------------------------------

    def choice(self) -> tuple[str, int] | None:
        items = self.tree.selectedItems()
        data = items[0].data(0, TARGET_ROLE) if items else None
        return (str(data[0]), int(data[1])) if data else None

    def select(self, kind: str, target_id: int) -> bool:
        """Select the row of that target if it is listed and usable (tests, keyboard)."""
        for item in self._items():
            if item.data(0, TARGET_ROLE) == (kind, target_id) and \
                    item.flags() & Qt.ItemFlag.ItemIsSelectable:
                self.tree.setCurrentItem(item)
                item.setSelected(True)
                return True
        return False

    def _groups(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(g) for g in range(self.tree.topLevelItemCount()))
        return [g for g in items if g is not None]

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for group in self._groups():
            children = (group.child(n) for n in range(group.childCount()))
            out.extend(c for c in children if c is not None)
        return out

    def listed(self) -> list[tuple[str, int]]:
        """Every target shown, usable or greyed out."""
        return [tuple(i.data(0, TARGET_ROLE)) for i in self._items()]  # type: ignore[misc]

    def usable(self) -> list[tuple[str, int]]:
        """The targets that can be chosen now."""
        return [tuple(i.data(0, TARGET_ROLE)) for i in self._items()  # type: ignore[misc]
                if i.flags() & Qt.ItemFlag.ItemIsSelectable]

    @Slot(str)
    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for group in self._groups():
            shown = 0
            for n in range(group.childCount()):
                child = group.child(n)
                if child is None:
                    continue
                hide = bool(needle) and needle not in child.text(0).casefold()
                child.setHidden(hide)
                shown += not hide
            group.setHidden(shown == 0)

    @Slot()
    def _validate(self) -> None:
        problem = ""
        if self.choice() is None:
            problem = "choice"
        elif self.mode == "escalate" and not self.note_edit.text().strip():
            problem = "reason"
        self.ok.setEnabled(not problem and not self._busy)

    @Slot()
    def _selection_changed(self) -> None:
        if not self._busy and not self._filling and \
                self.choice() != (self.target_kind, self.target_id):
            self.error.hide()  # another choice: the old refusal no longer applies
        self._validate()

    def _double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        if item.data(0, TARGET_ROLE) and self.ok.isEnabled():
            self._ok_clicked()

    @asyncSlot()
    async def _ok_clicked(self) -> None:
        chosen = self.choice()
        if chosen is None or not self.ok.isEnabled():
            return
        self.target_kind, self.target_id = chosen
        self.note = self.note_edit.text().strip()
        if self._submit is None:
            self.accept()
            return
        notices: list[str] = []
        self.ctx.controller.sig_notice.connect(notices.append)
        self._busy = True
        self.ok.setEnabled(False)
        self.error.hide()
        try:
            done = await self._submit(self.target_kind, self.target_id, self.note)
        finally:
            self.ctx.controller.sig_notice.disconnect(notices.append)
            self._busy = False
        if not isValid(self):
            return
        if done:
            self.accept()
            return
        # refused or queued offline: keep the choice so the agent can pick another one
        self.error.setText(notices[-1] if notices else
                           self.tr("It did not go through. Choose another target or try "
                                   "again."))
        self.error.show()
        self._validate()
