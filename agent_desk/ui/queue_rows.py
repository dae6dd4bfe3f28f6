"""The queue's rows: what each interaction shows (``QueueRow``: display strings, sort keys
and due times, computed once per change by ``RowFormatter``), the column numbers and the sort
keys. The texts of ticking cells (waiting time, SLA countdown) and the full sentences for
tooltips and screen readers are made on request, never stored."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QObject

from ..client.state import ClientState
from ..protocol.enums import (
    ACTIVE_STATES,
    PRIORITY_RANK,
    Channel,
    InteractionState,
    SlaStatus,
    SlaTarget,
    Tier,
)
from ..protocol.views import InteractionView
from .labels import channel_text, priority_text
from .queue_sla import SlaClock, format_countdown, format_duration, sla_clock, sla_reading

(COL_CHANNEL, COL_CUSTOMER, COL_SUBJECT, COL_QUEUE, COL_PRIORITY, COL_WAITING, COL_SLA,
 COL_STATE) = range(8)
COLUMN_COUNT = 8
#: Columns whose text ticks (computed on request, painted by the delegate).
TICKING_COLUMNS = frozenset({COL_WAITING, COL_SLA})
#: Rank of each state group (the State column's sort key).
RANK_OFFERED_TO_ME, RANK_MINE, RANK_QUEUED, RANK_OFFERED_OTHER, RANK_WITH_OTHER = range(5)
_CHANNEL_ORDER = {Channel.PHONE: 0, Channel.CHAT: 1, Channel.EMAIL: 2}


class QueueRow:
    """One interaction as the queue shows it (display strings, sort keys, due times)."""

    __slots__ = (
        "iid", "view", "channel", "channel_text", "customer", "tier", "tier_text", "title",
        "queue", "priority_text", "state_text", "texts", "created_ts", "sla", "sla_due_ts",
        "offer_expires_ts", "prio_rank", "state_rank",
        "offered_to_me", "mine", "pin_rank", "search", "text_ok", "shown",
        "k_urgency", "k_default", "k_channel", "k_customer", "k_title", "k_queue", "k_priority",
        "k_waiting",
    )

    iid: int
    view: InteractionView
    channel: Channel
    channel_text: str
    customer: str
    tier: Tier
    tier_text: str
    title: str
    queue: str
    priority_text: str
    state_text: str
    texts: tuple[str, ...]
    created_ts: float
    sla: SlaClock
    sla_due_ts: float
    offer_expires_ts: float | None
    prio_rank: int
    state_rank: int
    offered_to_me: bool
    mine: bool
    pin_rank: int
    search: str
    text_ok: bool
    shown: bool
    pos: int
    k_urgency: tuple[float, int, float, int]
    k_default: tuple[int, float, int, float, int]
    k_channel: int
    k_customer: str
    k_title: str
    k_queue: str
    k_priority: int
    k_waiting: float

    def __init__(self, iid: int) -> None:
        self.iid = iid
        self.shown = False
        self.text_ok = True

    def __repr__(self) -> str:
        return f"<QueueRow {self.iid} {self.channel} {self.customer!r}>"


SORT_KEYS: dict[int, Callable[[QueueRow], Any]] = {
    COL_CHANNEL: attrgetter("k_channel"),
    COL_CUSTOMER: attrgetter("k_customer"),
    COL_SUBJECT: attrgetter("k_title"),
    COL_QUEUE: attrgetter("k_queue"),
    COL_PRIORITY: attrgetter("k_priority"),
    COL_WAITING: attrgetter("k_waiting"),
    COL_SLA: attrgetter("sla_due_ts"),
    COL_STATE: attrgetter("state_rank"),
}
#: First click on these headers sorts descending (most important / longest waiting first).
INITIAL_DESC = frozenset({COL_PRIORITY, COL_WAITING})
URGENCY = attrgetter("k_urgency")
DEFAULT = attrgetter("k_default")
PIN = attrgetter("pin_rank")


class RowFormatter(QObject):
    """Fills ``QueueRow``s from ``InteractionView``s in the current language and makes the
    on-request texts. ``me`` is the signed-in agent's id (offers to me, mine)."""

    def __init__(self, state: ClientState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.me: int | None = state.my_id
        self.retranslate()

    def retranslate(self) -> None:
        # ``self.tr(...)``, never an alias: lupdate files only those under this class
        self._t_channel = {ch: channel_text(ch) for ch in Channel}
        self._t_tier = {Tier.STANDARD: "", Tier.GOLD: self.tr("Gold customer"),
                        Tier.VIP: self.tr("VIP customer")}
        self._t_priority = {p: priority_text(p) for p in ("urgent", "high", "normal", "low")}
        self._t_mine = {InteractionState.ASSIGNED: self.tr("Yours"),
                        InteractionState.ON_HOLD: self.tr("Yours, on hold"),
                        InteractionState.WRAP_UP: self.tr("Yours, in wrap-up")}
        self._t_offered_to_me = self.tr("Offered to you")
        self._t_queued = self.tr("In queue")
        self._t_offered_to = self.tr("Offered to %1")
        self._t_offered_other = self.tr("Offered to another agent")
        self._t_with = self.tr("With %1")
        self._t_with_other = self.tr("With another agent")
        self._t_queue_n = self.tr("Queue %1")
        self.headers = (self.tr("Channel"), self.tr("Customer"), self.tr("Subject"),
                        self.tr("Queue"), self.tr("Priority"), self.tr("Waiting"),
                        self.tr("SLA"), self.tr("State"))
        self.header_tips = (
            self.tr("Channel: phone, email or chat"), self.tr("Customer and tier"),
            self.tr("Subject of the email or call, or the last message of the chat"),
            self.tr("Queue"), self.tr("Priority"),
            self.tr("Waiting time since the interaction was created"),
            self.tr("Time left to the SLA target: first response, then resolution"),
            self.tr("Offered to you, yours, or waiting in the queue"))

    def fill(self, row: QueueRow, v: InteractionView) -> None:
        """(Re)compute everything ``row`` shows from ``v`` (display strings, keys, times)."""
        me = self.me
        row.view = v
        row.channel = Channel(v.channel)
        row.channel_text = self._t_channel[v.channel]
        row.customer = v.customer.name
        row.tier = v.customer.tier
        row.tier_text = self._t_tier.get(v.customer.tier, "")
        if v.channel == Channel.CHAT:
            title = v.preview or v.subject
        else:
            title = v.subject or v.preview
        row.title = " ".join(title.split())  # one line
        q = self._state.queues.get(v.queue_id)
        row.queue = q.name if q is not None else self._t_queue_n.replace("%1", str(v.queue_id))
        row.priority_text = self._t_priority.get(v.priority, str(v.priority))
        row.prio_rank = PRIORITY_RANK.get(v.priority, 2)
        offered_to_me = me is not None and v.state == InteractionState.OFFERED and (
            v.offered_agent_id == me)
        mine = me is not None and v.assigned_agent_id == me and v.state in ACTIVE_STATES
        if offered_to_me:
            rank, text = RANK_OFFERED_TO_ME, self._t_offered_to_me
        elif mine:
            rank, text = RANK_MINE, self._t_mine.get(v.state, self._t_mine[
                InteractionState.ASSIGNED])
        elif v.state == InteractionState.QUEUED:
            rank, text = RANK_QUEUED, self._t_queued
        elif v.state == InteractionState.OFFERED:
            rank, name = RANK_OFFERED_OTHER, self._agent_name(v.offered_agent_id)
            text = self._t_offered_to.replace("%1", name) if name else self._t_offered_other
        else:
            rank, name = RANK_WITH_OTHER, self._agent_name(v.assigned_agent_id)
            text = self._t_with.replace("%1", name) if name else self._t_with_other
        row.state_rank, row.state_text = rank, text
        row.offered_to_me, row.mine = offered_to_me, mine
        row.pin_rank = 0 if offered_to_me else 1
        row.offer_expires_ts = (v.offer_expires_at.timestamp()
                                if offered_to_me and v.offer_expires_at else None)
        row.created_ts = v.created_at.timestamp()
        row.sla = sla_clock(v)
        row.sla_due_ts = row.sla.due_ts
        row.texts = (row.channel_text, row.customer, row.title, row.queue, row.priority_text,
                     "", "", row.state_text)
        row.search = f"{row.customer}\n{v.subject}\n{v.preview}\n{row.queue}".casefold()
        row.k_urgency = (row.sla_due_ts, row.prio_rank, row.created_ts, row.iid)
        row.k_default = (row.pin_rank, *row.k_urgency)
        row.k_channel = _CHANNEL_ORDER.get(v.channel, 9)
        row.k_customer = row.customer.casefold()
        row.k_title = row.title.casefold()
        row.k_queue = row.queue.casefold()
        row.k_priority = -row.prio_rank
        row.k_waiting = -row.created_ts

    def _agent_name(self, agent_id: int | None) -> str:
        a = self._state.agents.get(agent_id) if agent_id is not None else None
        return a.name if a is not None else ""

    # ---- text for ticking columns, tooltips and screen readers ---------------------------

    def ticking_text(self, row: QueueRow, col: int, now: float) -> str:
        if col == COL_WAITING:
            return format_duration(now - row.created_ts)
        return format_countdown(row.sla_due_ts - now)

    def describe(self, row: QueueRow, col: int, now: float) -> str:
        """A full sentence for the cell (tooltip, accessible text)."""
        if col == COL_CUSTOMER and row.tier_text:
            return self.tr("%1 (%2)").replace("%1", row.customer).replace("%2", row.tier_text)
        if col == COL_WAITING:
            return self.tr("Waiting for %1").replace("%1", self.ticking_text(row, col, now))
        if col == COL_SLA:
            return self.sla_sentence(row, now)
        if col == COL_STATE and row.offer_expires_ts is not None:
            left = format_countdown(row.offer_expires_ts - now)
            return self.tr("Offered to you, %1 left").replace("%1", left)
        return row.texts[col]

    def sla_sentence(self, row: QueueRow, now: float) -> str:
        reading = sla_reading(row.sla, now)
        t = format_countdown(reading.remaining_s).lstrip("\u2212")
        first = row.sla.target == SlaTarget.FIRST_RESPONSE
        if reading.status == SlaStatus.BREACHED:
            text = (self.tr("First response overdue by %1 (breached)") if first
                    else self.tr("Resolution overdue by %1 (breached)"))
        elif reading.status == SlaStatus.WARNING:
            text = (self.tr("First response due in %1 (at risk)") if first
                    else self.tr("Resolution due in %1 (at risk)"))
        else:
            text = (self.tr("First response due in %1 (on track)") if first
                    else self.tr("Resolution due in %1 (on track)"))
        return text.replace("%1", t)



__all__ = [
    "COLUMN_COUNT", "COL_CHANNEL", "COL_CUSTOMER", "COL_PRIORITY", "COL_QUEUE", "COL_SLA",
    "COL_STATE", "COL_SUBJECT", "COL_WAITING", "DEFAULT", "INITIAL_DESC", "PIN", "SORT_KEYS",
    "TICKING_COLUMNS", "URGENCY", "QueueRow", "RowFormatter",
]
