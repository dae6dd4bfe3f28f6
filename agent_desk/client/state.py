"""The client's picture of the world, built from the snapshot and the events (pure Python).

Listeners get ``Change`` records; the Qt models batch them. The rule of which interactions
belong in the agent's view is the protocol's (docs/protocol.md §10)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..protocol import messages as m
from ..protocol import views as v
from ..protocol.enums import FINAL_STATES, WAITING_STATES


@dataclass
class Change:
    """What one snapshot or event changed. ``reset`` means: re-read everything."""

    reset: bool = False
    upserted: list[v.InteractionView] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    agent: v.AgentView | None = None  # an agent view changed (yours or, for leads, anyone's)
    me_changed: bool = False
    sla: m.SlaAlert | None = None
    message: v.MessageView | None = None
    note: v.NoteView | None = None
    change_word: str | None = None  # the interaction event's ``change``
    presence: m.Presence | None = None  # live: who has an interaction open / is typing
    survey: m.SurveyAnswered | None = None
    kb: m.KBChanged | None = None  # the server's knowledge base changed (its cursor)


Listener = Callable[[Change], None]


class ClientState:
    def __init__(self) -> None:
        self.me: v.AgentView | None = None
        self.agents: dict[int, v.AgentView] = {}
        self.queues: dict[int, v.QueueView] = {}
        self.interactions: dict[int, v.InteractionView] = {}
        self.away_reasons: list[v.CodeLabel] = []
        self.wrap_up_codes: list[v.CodeLabel] = []
        self.sla_policies: list[v.SlaPolicyView] = []
        self.settable_states: list[str] = []
        self.wrap_up_limit_s = 120
        self.company_name = ""
        self.kb_link = ""
        self.server_offset_s = 0.0  # server clock - local clock
        self.seq = 0
        self._listeners: list[Listener] = []

    def subscribe(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def _emit(self, change: Change) -> None:
        for fn in list(self._listeners):
            fn(change)

    @property
    def my_id(self) -> int | None:
        return self.me.id if self.me else None

    def visible(self, i: v.InteractionView) -> bool:
        if i.state in FINAL_STATES:
            return False
        me = self.me
        if me is None:
            return False
        if me.role in ("lead", "admin"):
            return True
        if i.assigned_agent_id == me.id or i.offered_agent_id == me.id:
            return True
        if i.consult is not None and i.consult.agent_id == me.id:
            return True
        return i.state in WAITING_STATES and i.queue_id in me.queue_ids

    def server_time_seen(self, server_time: datetime) -> None:
        self.server_offset_s = server_time.timestamp() - datetime.now().timestamp()

    def apply_snapshot(self, s: m.Snapshot) -> None:
        self.me = s.agent
        self.agents = {a.id: a for a in s.agents}
        self.agents[s.agent.id] = s.agent
        self.queues = {q.id: q for q in s.queues}
        self.interactions = {}
        self.away_reasons = list(s.away_reasons)
        self.wrap_up_codes = list(s.wrap_up_codes)
        self.sla_policies = list(s.sla_policies)
        self.settable_states = [str(x) for x in s.settable_states]
        self.wrap_up_limit_s = s.wrap_up_limit_s
        self.company_name = s.company_name
        self.kb_link = s.kb_link
        self.server_time_seen(s.server_time)
        for i in s.interactions:
            if self.visible(i):
                self.interactions[i.id] = i
        self.seq = s.seq
        self._emit(Change(reset=True, me_changed=True))

    def apply_event(self, ev: m.Event) -> Change:
        self.seq = ev.seq
        d = ev.data
        ch = Change()
        if isinstance(d, m.InteractionChanged):
            i = d.interaction
            ch.change_word = d.change
            old = self.interactions.get(i.id)
            if old is not None and old.version > i.version:
                return ch  # stale
            if self.visible(i):
                self.interactions[i.id] = i
                ch.upserted.append(i)
            elif old is not None:
                del self.interactions[i.id]
                ch.removed.append(i.id)
        elif isinstance(d, m.AgentChanged):
            self.agents[d.agent.id] = d.agent
            ch.agent = d.agent
            if self.me is not None and d.agent.id == self.me.id:
                self.me = d.agent
                ch.me_changed = True
        elif isinstance(d, m.SlaAlert):
            ch.sla = d
        elif isinstance(d, m.MessageAdded):
            ch.message = d.message
        elif isinstance(d, m.NoteAdded):
            ch.note = d.note
        elif isinstance(d, m.SurveyAnswered):
            ch.survey = d
        elif isinstance(d, m.KBChanged):
            ch.kb = d  # the local index syncs itself (client/kb_sync.py); not kept here
        self._emit(ch)
        return ch

    def apply_presence(self, p: m.Presence) -> None:
        """Live presence is not part of the state (it is not replayed): just passed on."""
        self._emit(Change(presence=p))

    def welcome(self, w: m.Welcome) -> None:
        self.me = w.agent
        self.agents[w.agent.id] = w.agent
        self.server_time_seen(w.server_time)
        self._emit(Change(me_changed=True, agent=w.agent))
