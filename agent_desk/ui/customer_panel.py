"""The customer 360 side panel for the current interaction: who the customer is (name, tier
with its SLA meaning, language, identities, notes), a prompt to link the right customer
when the screen pop found none or several, open interactions, orders, the last survey
scores and the timeline of every past interaction (Enter opens its transcript); an
"Escalate…" entry for the current interaction.

Loaded with ``get_customer`` without blocking; offline it shows the locally cached copy
with "Offline — showing history from <time>" (or says calmly that nothing is there yet)
and loads again when the connection returns, when a survey of this customer is answered
and when the interaction is linked to another customer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from ..client.connection import Connection, ConnectionStatus, Status
from ..protocol import messages as m
from ..protocol import views as v
from ..protocol.enums import FINAL_STATES, SUPERVISOR_ROLES
from .customer_match_prompt import MatchPrompt
from .customer_timeline import HISTORY_CHANNEL_ROLE, CustomerTimeline
from .labels import channel_text, language_text, tier_text
from .text_style import emphasize, mute, notice_label
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.customer_panel")
CACHE_S = 60.0
Loader = Callable[[int], Awaitable[Any]]  # -> Cached[Customer360] (or a bare Customer360)
__all__ = ["HISTORY_CHANNEL_ROLE", "CustomerPanel"]

TIER_STYLE = {"vip": ("#6a1b9a", "#f3e5f5"), "gold": ("#8d6e00", "#fff8e1"),
              "standard": ("#37474f", "#eceff1")}
MAX_ORDERS = 3


class CustomerPanel(QWidget):
    """Signals:
        sig_loaded(int): the customer with this id is shown.
    """

    sig_loaded = Signal(int)

    def __init__(self, ctx: ViewContext | None, parent: QWidget | None = None, *,
                 loader: Loader | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        if loader is None and ctx is not None:
            loader = ctx.controller.customer
        self._loader = loader
        self._brief: v.CustomerBrief | None = None
        self._interaction: v.InteractionView | None = None
        self._task: asyncio.Task[None] | None = None
        self._cache: dict[int, tuple[float, v.Customer360]] = {}
        self.record: v.Customer360 | None = None
        self.stale_since: float | None = None  # set while cached (offline) data is shown
        self.setAccessibleName(self.tr("Customer"))
        self.setMinimumWidth(280)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(8)
        self.title = mute(emphasize(QLabel(self.tr("CUSTOMER"), self), 0.85))
        outer.addWidget(self.title)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack, 1)
        msg_page = QWidget(self.stack)
        ml = QVBoxLayout(msg_page)
        ml.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(msg_page)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setAccessibleName(self.tr("Customer panel message"))
        self.retry = QPushButton(self.tr("Try again"), msg_page)
        self.retry.setAccessibleName(self.tr("Load the customer again"))
        self.retry.clicked.connect(self.refresh)
        ml.addWidget(self.message)
        ml.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        ml.addStretch(1)
        self.stack.addWidget(msg_page)
        self.stack.addWidget(self._build_profile())
        self._show_message(self.tr("Open an interaction to see its customer here."))
        if ctx is not None:
            ctx.bridge.sig_interactions_changed.connect(self._on_interactions)
            ctx.bridge.sig_survey.connect(self._on_survey)
            ctx.bridge.sig_status_changed.connect(self._on_status)

    def _build_profile(self) -> QWidget:
        page = QWidget(self.stack)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        head = QHBoxLayout()
        self.name = emphasize(QLabel(page), 1.4)
        self.name.setAccessibleName(self.tr("Customer name"))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setWordWrap(True)
        self.tier = QLabel(page)
        self.tier.setAccessibleName(self.tr("Customer tier"))
        head.addWidget(self.name, 1)
        head.addWidget(self.tier, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.sla = mute(QLabel(page))
        self.sla.setWordWrap(True)
        self.sla.setAccessibleName(self.tr("Service level"))
        lay.addWidget(self.sla)
        self.stale = notice_label(page, self.tr("Offline notice"))
        lay.addWidget(self.stale)
        self.prompt = MatchPrompt(page)
        self.prompt.sig_link.connect(self.link_to)
        self.prompt.sig_find.connect(lambda: self.open_link_dialog())
        lay.addWidget(self.prompt)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(3)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        lay.addLayout(self.form)
        actions = QHBoxLayout()
        self.link_button = QPushButton(self.tr("&Link customer…"), page)
        self.link_button.setAccessibleName(self.tr("Link this interaction to another "
                                                   "customer"))
        self.link_button.clicked.connect(lambda: self.open_link_dialog())
        self.escalate = QPushButton(self.tr("E&scalate…"), page)
        self.escalate.setAccessibleName(self.tr("Escalate the interaction"))
        self.escalate.setToolTip(self.tr("Send it to a team lead or another queue with a "
                                         "reason"))
        self.escalate.clicked.connect(self.open_escalation)
        actions.addWidget(self.link_button)
        actions.addWidget(self.escalate)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.history_title = emphasize(QLabel(page))
        self.history_title.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(self.history_title)
        self.history = CustomerTimeline(page)
        self.history.sig_open_requested.connect(self.open_past)
        lay.addWidget(self.history, 1)
        return page

    # ---- public ---------------------------------------------------------------------------

    @property
    def customer_id(self) -> int | None:
        return self._brief.id if self._brief else None

    def show_interaction(self, i: v.InteractionView | None) -> None:
        """Show the customer of ``i`` (the current tab) with its match prompt and SLA."""
        self._interaction = i
        self.show_customer(i.customer if i is not None else None)
        self._update_interaction_parts()

    def show_customer(self, brief: v.CustomerBrief | None) -> None:
        """Show ``brief`` (None: nothing). Loads the full record in the background."""
        if brief is not None and self._brief is not None and brief.id == self._brief.id \
                and self.stack.currentIndex() == 1:
            return
        self._brief = brief
        self._cancel()
        if brief is None:
            self._interaction = None
            self._show_message(self.tr("Open an interaction to see its customer here."))
            return
        cached = self._cache.get(brief.id)
        if cached and time.monotonic() - cached[0] < CACHE_S:
            self._render(cached[1])
            return
        self._start_load(brief.id)

    @Slot()
    def refresh(self) -> None:
        """Load the current customer again (reconnected, survey answered, "Try again")."""
        if self._brief is None:
            return
        self._cache.pop(self._brief.id, None)
        self._cancel()
        self._start_load(self._brief.id, quiet=self.stack.currentIndex() == 1)

    def offline_shown(self) -> bool:
        return self.stack.currentIndex() == 0 and not self.retry.isHidden()

    # ---- loading --------------------------------------------------------------------------

    def _start_load(self, cid: int, *, quiet: bool = False) -> None:
        if not quiet:  # a refresh keeps what is shown until the new record is there
            name = self._brief.name if self._brief else ""
            self._show_message(self.tr("Loading %1…").replace("%1", name), retry=False)
        self._task = asyncio.ensure_future(self._load(cid))

    async def _load(self, cid: int) -> None:
        from .controller import QueryFailed

        if self._loader is None:
            return
        try:
            got = await self._loader(cid)
        except asyncio.CancelledError:
            raise
        except QueryFailed as exc:
            if self.customer_id == cid:
                self._show_message(exc.text, retry=True)
            return
        except Exception:
            log.exception("could not load customer %d", cid)
            if self.customer_id == cid:
                self._show_message(self.tr("The customer could not be loaded."), retry=True)
            return
        c = got.value if hasattr(got, "value") else got
        assert isinstance(c, v.Customer360)
        stale = bool(getattr(got, "stale", False))
        if not stale:
            self._cache[cid] = (time.monotonic(), c)
        if self.customer_id == cid:
            self.stale_since = float(getattr(got, "fetched_at", 0.0)) if stale else None
            self._render(c)

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    # ---- live updates ---------------------------------------------------------------------

    @Slot(list, list)
    def _on_interactions(self, upserted: list[v.InteractionView], _removed: list[int]) -> None:
        cur = self._interaction
        if cur is None:
            return
        for i in upserted:
            if i.id != cur.id:
                continue
            self._interaction = i
            if self._brief is None or i.customer.id != self._brief.id:  # linked to another
                self.show_customer(i.customer)
            elif i.customer_match != cur.customer_match:
                self.refresh()
            self._update_interaction_parts()

    @Slot(object)
    def _on_survey(self, s: m.SurveyAnswered) -> None:
        if s.customer_id == self.customer_id:
            self.refresh()

    @Slot(object)
    def _on_status(self, status: ConnectionStatus) -> None:
        if status.status == Status.CONNECTED and (self.offline_shown()
                                                  or self.stale_since is not None):
            self.refresh()

    # ---- rendering ------------------------------------------------------------------------

    def _show_message(self, text: str, *, retry: bool = False) -> None:
        self.message.setText(text)
        self.retry.setVisible(retry)
        self.stack.setCurrentIndex(0)

    def _render(self, c: v.Customer360) -> None:
        self.record = c
        self.name.setText(c.name)
        fg, bg = TIER_STYLE.get(str(c.tier), TIER_STYLE["standard"])
        self.tier.setText(tier_text(str(c.tier)))
        self.tier.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid "
                                f"{fg}; border-radius: 3px; padding: 1px 6px; font-weight: 600; }}")
        if self.stale_since is not None:
            self.stale.setText(self.tr("Offline — showing history from %1").replace(
                "%1", self._when(self.stale_since)))
        self.stale.setVisible(self.stale_since is not None)
        while self.form.rowCount():
            self.form.removeRow(0)
        self._row(self.tr("Language"), language_text(c.language))
        for ident in c.identities:
            self._row(channel_text(ident.kind), ident.value)
        if c.notes:
            self._row(self.tr("Notes"), c.notes)
        open_ = [p for p in c.interactions if p.state not in FINAL_STATES]
        if open_:
            self._row(self.tr("Open"), "\n".join(
                f"{channel_text(str(p.channel))} · {p.subject or '—'}" for p in open_[:5]))
        if c.orders:
            lines = [self.tr("%1 · %2 · %3 %4").replace("%1", o.number).replace(
                "%2", o.status).replace("%3", o.total).replace("%4", o.currency)
                for o in c.orders[:MAX_ORDERS]]
            if len(c.orders) > MAX_ORDERS:
                lines.append(self.tr("and %n more", "", len(c.orders) - MAX_ORDERS))
            self._row(self.tr("Orders"), "\n".join(lines))
        if c.surveys:
            self._row(self.tr("Last survey"), self.survey_text(c.surveys[0]))
        shown, total = len(c.interactions), max(c.interactions_total, len(c.interactions))
        self.history_title.setText(
            self.tr("Past interactions (%1)").replace("%1", str(shown)) if shown == total
            else self.tr("Past interactions (the %1 most recent of %2)").replace(
                "%1", str(shown)).replace("%2", str(total)))
        self.history.set_interactions(c.interactions)
        self._update_interaction_parts()
        self.stack.setCurrentIndex(1)
        self.sig_loaded.emit(c.id)

    def survey_text(self, s: v.SurveyView) -> str:
        parts = []
        if s.csat is not None:
            parts.append(self.tr("CSAT %1/5").replace("%1", str(s.csat)))
        if s.nps is not None:
            parts.append(self.tr("NPS %1/10").replace("%1", str(s.nps)))
        if s.ces is not None:
            parts.append(self.tr("CES %1/7").replace("%1", str(s.ces)))
        return " · ".join(parts) or "—"

    def _row(self, label: str, value: str) -> None:
        val = QLabel(value, self)
        val.setWordWrap(True)
        val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        val.setAccessibleName(label)
        self.form.addRow(mute(QLabel(label, self)), val)

    @staticmethod
    def _when(epoch: float) -> str:
        at = datetime.fromtimestamp(epoch)
        return at.strftime("%H:%M") if at.date() == datetime.now().date() \
            else at.strftime("%Y-%m-%d %H:%M")

    def _update_interaction_parts(self) -> None:
        """The parts that depend on the current interaction: SLA, match prompt, actions."""
        i = self._interaction
        live = i is not None and i.state not in FINAL_STATES and self.ctx is not None
        self.sla.setText(self.sla_text(i) if i is not None else "")
        self.sla.setVisible(bool(self.sla.text()))
        self.link_button.setVisible(live)
        self.escalate.setVisible(live and self._may_escalate())
        self.prompt.show_for(i, can_link=live)

    def sla_text(self, i: v.InteractionView) -> str:
        """E.g. "VIP — first reply within 5 min for chat, resolved within 4 h"."""
        if self.ctx is None:
            return ""
        for p in self.ctx.state.sla_policies:
            if (p.channel, p.priority, p.tier) == (i.channel, i.priority, i.customer.tier):
                return self.tr("%1 — first reply within %2 for %3, resolved within %4") \
                    .replace("%1", tier_text(str(p.tier))) \
                    .replace("%2", self._span(p.first_response_s)) \
                    .replace("%3", channel_text(str(p.channel)).lower()) \
                    .replace("%4", self._span(p.resolution_s))
        return ""

    def _span(self, s: int) -> str:
        if s < 120:
            return self.tr("%n s", "", s)
        if s < 2 * 3600:
            return self.tr("%n min", "", round(s / 60))
        if s < 2 * 86400:
            return self.tr("%n h", "", round(s / 3600))
        return self.tr("%n day(s)", "", round(s / 86400))

    def _may_escalate(self) -> bool:
        i, ctx = self._interaction, self.ctx
        if i is None or ctx is None or str(i.state) == "wrap_up":
            return False
        me = ctx.state.me
        if me is not None and me.role in SUPERVISOR_ROLES:
            return True
        return i.assigned_agent_id is not None and i.assigned_agent_id == ctx.my_id

    # ---- actions --------------------------------------------------------------------------

    @asyncSlot(int)
    async def link_to(self, customer_id: int) -> None:
        i = self._interaction
        if i is None or self.ctx is None:
            return
        self.prompt.set_busy(True)
        try:
            await self.ctx.controller.send(m.LinkCustomer(
                key=Connection.new_key(), interaction_id=i.id, customer_id=customer_id),
                self.tr("Could not link the customer"))
        finally:
            self.prompt.set_busy(False)

    def open_link_dialog(self) -> Any:
        """The search / create dialog for the current interaction (modeless)."""
        from .customer_link_dialog import CustomerLinkDialog

        if self._interaction is None or self.ctx is None:
            return None
        dlg = CustomerLinkDialog(self.ctx, self._interaction, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.link_dialog = dlg
        return dlg

    @Slot(int, str)
    def open_past(self, interaction_id: int, subject: str) -> Any:
        """The read-only transcript of a past interaction (modeless)."""
        from .past_interaction_dialog import PastInteractionDialog

        loader = self.ctx.controller.interaction_detail if self.ctx is not None else None
        if loader is None:
            return None
        dlg = PastInteractionDialog(loader, interaction_id, subject, self,
                                    agent_name=self.ctx.agent_name if self.ctx else str)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.ctx is not None and self.ctx.propose_article is not None:
            dlg.sig_propose.connect(self.ctx.propose_article)
        else:
            dlg.btn_propose.hide()
        dlg.open()
        self.past_dialog = dlg
        return dlg

    @Slot()
    def open_escalation(self) -> Any:
        """Escalate the current interaction: choose a lead or a queue, give a reason."""
        from .transfer_dialog import TransferDialog

        i, ctx = self._interaction, self.ctx
        if i is None or ctx is None:
            return None

        async def submit(kind: str, target: int, reason: str) -> bool:
            ack = await ctx.controller.send(m.Escalate(
                key=Connection.new_key(), interaction_id=i.id, reason=reason,
                to_agent_id=target if kind == "agent" else None,
                to_queue_id=target if kind == "queue" else None),
                self.tr("Could not escalate"))
            return ack is not None and ack.ok

        dlg = TransferDialog(ctx, str(i.channel), mode="escalate", parent=self, submit=submit)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.escalation_dialog = dlg
        return dlg
