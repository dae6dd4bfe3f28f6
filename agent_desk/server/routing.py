"""Routing: offer each waiting interaction to the best available agent.

Best = member of the interaction's queue, has every skill the queue requires, chose to be
available (not away/offline, not in wrap-up), has free capacity on the channel, has not
declined this interaction recently; among those the least loaded, then the longest idle.
Waiting interactions are served most urgent first (first-response due time, then queue
entry time)."""

from __future__ import annotations

import functools
import json
import types
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, func, select, type_coerce

from ..protocol.enums import AgentState, InteractionState
from .models import Agent, Interaction, Queue, QueueMember, Transition
from .tx import Before, Tx
from .views import agent_loads

DECLINE_COOLDOWN_S = 120.0


@dataclass
class Candidate:
    agent_id: int
    idle_since: float
    skills: frozenset[str]
    queue_ids: frozenset[int]
    load: dict[str, int]
    capacity: dict[str, int]
    pending: int = 0  # offers ringing for this agent now


def _json_value(raw: Any) -> Any:
    """A JSON column read as its stored text (SQLite): decoded once per distinct text, since
    agents share few distinct skill lists and capacities. Drivers that decode JSON
    themselves (PostgreSQL) hand over the value, which is used as is."""
    if isinstance(raw, str):
        return _decode_json(raw)
    return raw


@functools.lru_cache(maxsize=4096)
def _decode_json(raw: str) -> Any:
    value = json.loads(raw)
    # shared between rows: hand out immutable forms only
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return types.MappingProxyType(value)
    return value


def _candidates(tx: Tx, queue_ids: set[int]) -> list[Candidate]:
    """Routable agents who are members of at least one of ``queue_ids`` (the queues that
    have waiting work). Columns, not ORM objects: this runs on every routing pass."""
    routable = (Agent.active.is_(True), Agent.presence == AgentState.AVAILABLE,
                Agent.state != AgentState.WRAP_UP)
    member_of: dict[int, set[int]] = {}
    agents: dict[int, tuple[float, Any, Any]] = {}
    for agent_id, queue_id, idle_since, skills, capacity in tx.session.execute(
            select(QueueMember.agent_id, QueueMember.queue_id, Agent.idle_since,
                   type_coerce(Agent.skills, Text), type_coerce(Agent.capacity, Text))
            .join(Agent, Agent.id == QueueMember.agent_id)
            .where(*routable, QueueMember.queue_id.in_(queue_ids))
            .order_by(QueueMember.agent_id)):
        member_of.setdefault(agent_id, set()).add(queue_id)
        agents[agent_id] = (idle_since, skills, capacity)
    if not member_of:
        return []
    loads = agent_loads(tx.session)
    pending: dict[int | None, int] = dict(tx.session.execute(  # type: ignore[arg-type]
        select(Interaction.offered_agent_id, func.count())
        .where(Interaction.state == InteractionState.OFFERED)
        .group_by(Interaction.offered_agent_id)).all())
    out = []
    for agent_id, (idle_since, skills_raw, capacity_raw) in agents.items():
        skills = _json_value(skills_raw)
        capacity = _json_value(capacity_raw)
        cap = {"phone": 1, "chat": 3, "email": 5, **(capacity or {})}
        load = dict(loads.get(agent_id) or {"phone": 0, "chat": 0, "email": 0})
        out.append(Candidate(agent_id, idle_since, frozenset(skills or []),
                             frozenset(member_of[agent_id]), load, cap,
                             int(pending.get(agent_id, 0))))
    return out


def _recently_declined(inter: Interaction, agent_id: int, now: float) -> bool:
    return any(d[0] == agent_id and now - d[1] < DECLINE_COOLDOWN_S
               for d in (inter.declined_by or []))


def offer(tx: Tx, inter: Interaction, agent_id: int, timeout_s: float, *,
          actor: int | None = None, reason: str | None = None,
          before: Before | None = None, change: str = "offered") -> None:
    before = before or Before.of(inter)
    inter.state = InteractionState.OFFERED
    inter.offered_agent_id = agent_id
    inter.offered_at = tx.now
    inter.offer_expires_at = tx.now + timeout_s
    tx.session.add(Transition(interaction_id=inter.id, from_state=before.state,
                              to_state=inter.state, actor_agent_id=actor, agent_id=agent_id,
                              reason=reason, at=tx.now))
    tx.interaction_changed(inter, change, before)


def route(tx: Tx, offer_timeout_s: float, max_pending_offers: int = 1) -> int:
    """One routing pass; returns how many offers were made. An agent has at most
    ``max_pending_offers`` offers ringing at once (one by default: a person can answer one
    thing at a time, and a missed offer sets them away)."""
    waiting = tx.session.execute(
        select(Interaction).where(Interaction.state == InteractionState.QUEUED)
        .order_by(Interaction.first_response_due_at, Interaction.queued_at)
    ).scalars().all()
    if not waiting:
        return 0
    candidates = _candidates(tx, {i.queue_id for i in waiting})
    if not candidates:
        return 0
    queue_skills: dict[int, frozenset[str]] = {}
    made = 0
    for inter in waiting:
        if inter.queue_id not in queue_skills:
            q = tx.session.get(Queue, inter.queue_id)
            queue_skills[inter.queue_id] = frozenset(q.required_skills or []) if q else frozenset()
        need = queue_skills[inter.queue_id]
        ch = inter.channel
        fit = [c for c in candidates
               if inter.queue_id in c.queue_ids and need <= c.skills
               and c.load.get(ch, 0) < c.capacity.get(ch, 0)
               and c.pending < max_pending_offers
               and not _recently_declined(inter, c.agent_id, tx.now)]
        if not fit:
            continue
        best = min(fit, key=lambda c: (sum(c.load.values()), c.idle_since, c.agent_id))
        offer(tx, inter, best.agent_id, offer_timeout_s)
        best.load[ch] = best.load.get(ch, 0) + 1
        best.pending += 1
        made += 1
    return made
