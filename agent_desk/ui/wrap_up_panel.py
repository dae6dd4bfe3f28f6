"""After-contact work for one interaction in ``wrap_up``: the timer counting toward the
server's limit (amber near the end), the disposition (required), notes, "resolved on first
contact", linked KB articles (``KbLinkPicker``: found in the local knowledge base or typed
as ids; articles used in the KB panel during the interaction arrive pre-linked through
``prelink``), and Done (Ctrl+Enter) which sends ``wrap_up``.

A disposition the server no longer knows (``invalid``, naming the current codes) keeps the
panel open with an inline message and the list refreshed; nothing typed is lost. When the
interaction closes (wrapped up here or elsewhere, or the server's time limit ran out) the
panel says so and emits ``sig_done``. Channel views place it; it owns no layout outside."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..client.connection import Connection
from ..protocol import messages as m
from ..protocol import views as v
from .kb_link_picker import KbLinkPicker
from .labels import disposition_text
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.wrap_up_panel")

#: The timer turns amber when this share of the limit is left (at least ``AMBER_MIN_S``).
AMBER_SHARE = 0.2
AMBER_MIN_S = 15.0
ERROR_STYLE = ("QLabel { background: #fdecea; color: #7f1d1d; border: 1px solid #f1a7a0; "
               "border-radius: 4px; padding: 5px 8px; }")
INFO_STYLE = ("QLabel { background: #e8f1fb; color: #0b3d6e; border: 1px solid #9cc3ea; "
              "border-radius: 4px; padding: 5px 8px; }")
BAR_STYLE = "QProgressBar {{ border: none; background: palette(midlight); border-radius: 2px; }}" \
            " QProgressBar::chunk {{ background: {color}; border-radius: 2px; }}"
CALM, AMBER = "#3b82c4", "#d97706"
_ONE_OF = re.compile(r"one of:\s*(.*)$", re.S)


def fmt_clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


def codes_from_refusal(message: str) -> list[str] | None:
    """The current codes named by an ``invalid`` wrap-up refusal ("... one of: a, b")."""
    found = _ONE_OF.search(message or "")
    if not found:
        return None
    return [c.strip() for c in found.group(1).split(",") if c.strip()]


class WrapUpPanel(QFrame):
    """Signals:
        sig_done(): the interaction is closed (wrapped up, or timed out on the server).
    """

    sig_done = Signal()

    def __init__(self, ctx: ViewContext, interaction: v.InteractionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self.done = False
        self._sent = False
        self._codes: list[v.CodeLabel] = list(ctx.state.wrap_up_codes)
        self.setObjectName("wrapUpPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Wrap-up"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("After-contact work"), self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.timer_label = QLabel(self)
        self.timer_label.setAccessibleName(self.tr("Wrap-up time"))
        head.addWidget(self.title, 1)
        head.addWidget(self.timer_label)
        lay.addLayout(head)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(4)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(self.tr("Wrap-up time used"))
        lay.addWidget(self.bar)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Wrap-up message"))
        self.message.hide()
        lay.addWidget(self.message)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.disposition = QComboBox(self)
        self.disposition.setAccessibleName(self.tr("Disposition"))
        self.disposition.setPlaceholderText(self.tr("Choose a disposition…"))
        self.disposition.setMinimumContentsLength(18)
        self.disposition.currentIndexChanged.connect(self._update_done)
        lbl = QLabel(self.tr("&Disposition:"), self)
        lbl.setBuddy(self.disposition)
        form.addRow(lbl, self.disposition)
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName(self.tr("Wrap-up notes"))
        self.notes.setPlaceholderText(self.tr("What happened, what was agreed…"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(60)
        self.notes.setMaximumHeight(120)
        lbl = QLabel(self.tr("&Notes:"), self)
        lbl.setBuddy(self.notes)
        form.addRow(lbl, self.notes)
        # the window's shared search thread (none: ids typed as they are only)
        self.kb = KbLinkPicker(self, worker=ctx.kb_search)
        self.kb.set_language(interaction.customer.language)
        lbl = QLabel(self.tr("&KB articles:"), self)
        lbl.setBuddy(self.kb.edit)
        form.addRow(lbl, self.kb)
        self.resolved = QCheckBox(self.tr("&Resolved on first contact"), self)
        self.resolved.setAccessibleName(self.tr("Resolved on first contact"))
        form.addRow("", self.resolved)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.propose_button = QPushButton(self.tr("Turn this answer into an &article…"), self)
        self.propose_button.setToolTip(self.tr("Start a knowledge-base article from this "
                                               "conversation; an editor reviews it before "
                                               "agents see it"))
        self.propose_button.setVisible(ctx.propose_article is not None
                                       and str(interaction.channel) != "phone")
        self.propose_button.clicked.connect(self.propose_article)
        row.addWidget(self.propose_button)
        row.addStretch(1)
        self.done_button = QPushButton(self.tr("&Done"), self)
        self.done_button.setAccessibleName(self.tr("Finish the wrap-up"))
        self.done_button.setToolTip(self.tr("Finish the wrap-up (Ctrl+Enter)"))
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.submit)
        row.addWidget(self.done_button)
        lay.addLayout(row)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.submit)
        self._fill_codes()
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start()
        self.update_interaction(interaction)
        ctx.bridge.sig_interactions_changed.connect(self._on_changed)

    # ---- public ---------------------------------------------------------------------------

    def update_interaction(self, i: v.InteractionView) -> None:
        if i.id != self.interaction.id:
            return
        self.interaction = i
        if str(i.state) in ("closed", "abandoned"):
            self._closed(i.disposition)
        self.tick()

    @asyncSlot()
    async def propose_article(self) -> None:
        """Open the article editor with this conversation's question and answer."""
        from .article_proposal import proposal
        from .controller import QueryFailed

        propose = self.ctx.propose_article
        if propose is None:
            return
        self.propose_button.setEnabled(False)
        try:
            got = await self.ctx.controller.interaction_detail(self.interaction.id)
        except QueryFailed as exc:
            if isValid(self):
                self._say(exc.text, error=True)
            return
        finally:
            if isValid(self):
                self.propose_button.setEnabled(True)
        draft = proposal(got.value)
        if draft is None:
            if isValid(self):
                self._say(self.tr("Nothing to turn into an article yet: write your "
                                           "answer to the customer first."))
            return
        propose(*draft, self.interaction.id)

    def set_notes(self, text: str) -> None:
        """Prefill the notes (e.g. the call notes) unless the agent already wrote some."""
        if not self.notes.toPlainText().strip():
            self.notes.setPlainText(text)

    def selected_code(self) -> str | None:
        data = self.disposition.currentData()
        return str(data) if self.disposition.currentIndex() >= 0 and data else None

    def kb_ids(self) -> list[str]:
        return self.kb.ids()

    def prelink(self, article_id: str, title: str = "") -> bool:
        """Link an article used during the interaction (once: the agent may remove it)."""
        return not self.done and self.kb.prelink(article_id, title)

    def remaining_s(self) -> float:
        at = self.interaction.wrap_up_at
        if at is None:
            return float(self.ctx.state.wrap_up_limit_s)
        return self.ctx.state.wrap_up_limit_s - (self.ctx.now() - at.timestamp())

    def is_amber(self) -> bool:
        return bool(self.property("amber"))

    # ---- timer ----------------------------------------------------------------------------

    @Slot()
    def tick(self) -> None:
        limit = max(1.0, float(self.ctx.state.wrap_up_limit_s))
        left = self.remaining_s()
        used = min(limit, max(0.0, limit - left))
        self.timer_label.setText(self.tr("%1 of %2").replace("%1", fmt_clock(used)).replace(
            "%2", fmt_clock(limit)))
        self.bar.setValue(int(1000 * used / limit))
        amber = not self.done and left <= max(AMBER_MIN_S, AMBER_SHARE * limit)
        if amber != self.is_amber() or not self.bar.styleSheet():
            self.setProperty("amber", amber)
            self.bar.setStyleSheet(BAR_STYLE.format(color=AMBER if amber else CALM))
            self.timer_label.setStyleSheet(f"QLabel {{ color: {AMBER}; font-weight: 600; }}"
                                           if amber else "")
        if self.done:
            self._tick_timer.stop()
        elif left <= 0 and not self._sent:
            self.timer_label.setToolTip(self.tr("The time is up: the server closes the "
                                                "interaction without a disposition."))

    # ---- codes ----------------------------------------------------------------------------

    def _fill_codes(self, keep: str | None = None) -> None:
        self.disposition.blockSignals(True)
        self.disposition.clear()
        for c in self._codes:
            self.disposition.addItem(disposition_text(c.code, "closed"), c.code)
        index = self.disposition.findData(keep) if keep else -1
        self.disposition.setCurrentIndex(index)
        self.disposition.blockSignals(False)
        self._update_done()

    def _refresh_codes(self, current: list[str] | None) -> None:
        if current is None:
            return
        known = {c.code: c for c in self.ctx.state.wrap_up_codes}
        self._codes = [known.get(c) or v.CodeLabel(code=c, label=c) for c in current]
        self._fill_codes()

    @Slot()
    def _update_done(self) -> None:
        self.done_button.setEnabled(not self.done and not self._sent
                                    and self.selected_code() is not None)

    # ---- sending --------------------------------------------------------------------------

    @asyncSlot()
    async def submit(self) -> None:
        code = self.selected_code()
        if self.done or self._sent:
            return
        if code is None:
            self._say(self.tr("Choose a disposition first."), error=True)
            self.disposition.setFocus()
            return
        self._sent = True
        self._update_done()
        self._say("")
        cmd = m.WrapUp(key=Connection.new_key(), interaction_id=self.interaction.id,
                       disposition=code, notes=self.notes.toPlainText().strip() or None,
                       resolved_first_contact=self.resolved.isChecked(),
                       kb_article_ids=self.kb_ids())
        try:
            ack = await self.ctx.controller.send(cmd, self.tr("Could not finish the wrap-up"))
        except Exception:
            log.exception("wrap_up failed")
            ack = None
            self._sent = False
        if not isValid(self):  # the window closed while it was sent
            return
        if ack is None:
            if self._sent:  # in the outbox: sent when the connection returns
                self._say(self.tr("Saved; the wrap-up is sent when the connection returns."))
            self._update_done()
            return
        if ack.ok:
            self._closed(code)
            return
        self._sent = False
        err = ack.error
        if err is not None and str(err.code) == "invalid":
            self._refresh_codes(codes_from_refusal(err.message))
            self._say(self.tr("That disposition no longer exists. The list is updated: "
                              "choose another one."), error=True)
            self.disposition.setFocus()
        elif err is not None and str(err.code) in ("invalid_state", "not_found"):
            self._say(self.tr("This interaction is no longer in wrap-up (the time limit "
                              "may have run out)."), error=True)
        else:
            self._say(self.tr("The wrap-up was not accepted. Try again."), error=True)
        self._update_done()

    # ---- closing --------------------------------------------------------------------------

    @Slot(list, list)
    def _on_changed(self, upserted: list[v.InteractionView], removed: list[int]) -> None:
        for i in upserted:
            if i.id == self.interaction.id:
                self.update_interaction(i)
        if self.interaction.id in removed and not self.done:
            # closed interactions leave the agent's view: ask how it ended
            self._ask_outcome()

    @asyncSlot()
    async def _ask_outcome(self) -> None:
        from .controller import QueryFailed

        try:
            d = await self.ctx.controller.ask(m.GetInteraction(
                interaction_id=self.interaction.id), v.InteractionDetail)
        except QueryFailed:
            return
        except RuntimeError:  # the widget went away meanwhile
            return
        if not isValid(self):  # the window closed while the server answered
            return
        if str(d.interaction.state) in ("closed", "abandoned") and not self.done:
            self.interaction = d.interaction
            self._closed(d.interaction.disposition)

    def _closed(self, disposition: str | None) -> None:
        if self.done:
            return
        self.done = True
        self._sent = False
        for w in (self.disposition, self.notes, self.kb, self.resolved):
            w.setEnabled(False)
        if disposition:
            self._say(self.tr("Wrapped up: %1.").replace(
                "%1", disposition_text(disposition, "closed")))
        else:
            self._say(self.tr("The wrap-up time ran out: the interaction was closed without "
                              "a disposition."), error=True)
        self._update_done()
        self.tick()
        self.sig_done.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else INFO_STYLE)
        self.message.setVisible(bool(text))
