"""A unit of work inside one store transaction: the session, the time, and everything the
transaction produces for after the commit (events to fan out, messages for connectors).
Events get their ``seq`` here, in the same transaction as the change they describe."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..protocol import codec
from ..protocol.enums import WAITING_STATES
from ..protocol.messages import EventData, InteractionChanged
from .clock import iso
from .connectors import Lifecycle, OutboundMessage, SurveyRequest
from .models import EventRow, Interaction
from .views import interaction_view

_INSERT_EVENT = insert(EventRow.__table__)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PublishedEvent:
    seq: int
    at_iso: str
    kind: str
    data: bytes  # encoded ``data`` object
    agents: frozenset[int]
    queues: frozenset[int]
    everyone: bool = False  # for every connection, whatever the audience (``kb``)


@dataclass(frozen=True)
class Before:
    """Who could see an interaction before a change (its audience must hear of the change)."""

    state: str
    queue_id: int
    assigned: int | None
    offered: int | None
    consult: int | None = None  # the agent consulted on a call (warm transfer)

    @classmethod
    def of(cls, inter: Interaction) -> Before:
        return cls(inter.state, inter.queue_id, inter.assigned_agent_id, inter.offered_agent_id,
                   inter.consult_agent_id)


@dataclass
class Tx:
    session: Session
    now: float
    events: list[PublishedEvent] = field(default_factory=list)
    outbound: list[OutboundMessage] = field(default_factory=list)
    lifecycle: list[Lifecycle] = field(default_factory=list)
    surveys: list[SurveyRequest] = field(default_factory=list)  # for connectors, after commit
    touched_agents: set[int] = field(default_factory=set)
    #: the last ``AgentView`` emitted per agent (shared across transactions by the engine,
    #: so unchanged views are not sent again) and who got one in this transaction
    agent_views: dict[int, Any] = field(default_factory=dict)
    agents_emitted: set[int] = field(default_factory=set)
    #: the knowledge base changed in this transaction (one ``kb`` event when it settles) and
    #: the last KB change number it took, if any (``server.kb_counter``)
    kb_changed: bool = False
    kb_cursor: int | None = None

    def emit(
        self, data: EventData, *, agents: set[int] | frozenset[int] = frozenset(),
        queues: set[int] | frozenset[int] = frozenset(), everyone: bool = False,
    ) -> PublishedEvent:
        blob = codec.encode_event_data(data)
        kind = type(data).__struct_config__.tag
        assert isinstance(kind, str)
        agent_ids = sorted(a for a in agents if a is not None)
        queue_ids = sorted(queues)
        # a Core insert, not an ORM object: the row is never read back in this transaction,
        # and the unit of work costs several times the insert itself
        res = self.session.execute(_INSERT_EVENT, {
            "at": self.now, "kind": kind, "data": blob.decode(), "audience_agents": agent_ids,
            "audience_queues": queue_ids, "broadcast": everyone})
        seq = res.inserted_primary_key[0]  # type: ignore[attr-defined]
        ev = PublishedEvent(int(seq), iso(self.now), kind, blob, frozenset(agent_ids),
                            frozenset(queue_ids), everyone)
        self.events.append(ev)
        return ev

    def interaction_changed(
        self, inter: Interaction, change: str, before: Before | None = None
    ) -> None:
        """Emit the new view of ``inter`` to everyone who could see it before or can now."""
        inter.version = (inter.version or 0) + 1
        self.session.flush()
        agents = {inter.assigned_agent_id, inter.offered_agent_id, inter.consult_agent_id}
        queues = {inter.queue_id} if inter.state in WAITING_STATES else set()
        if before is not None:
            agents |= {before.assigned, before.offered, before.consult}
            if before.state in WAITING_STATES:
                queues.add(before.queue_id)
        self.touched_agents |= {a for a in agents if a}
        self.emit(
            InteractionChanged(change=change, interaction=interaction_view(inter)),
            agents={a for a in agents if a is not None}, queues=queues,
        )
        self.lifecycle.append(
            Lifecycle(inter.id, inter.channel, inter.state, change, inter.external_ref,
                      kind=inter.kind or "contact", parent_id=inter.parent_id)
        )
