"""Routing: offer each waiting interaction to the best available agent.

Best = member of the interaction's queue, has every skill the queue requires, chose to be
available (not away/offline, not in wrap-up), has free capacity on the channel, has not
declined this interaction recently; among those the least loaded, then the longest idle.
Waiting interactions are served most urgent first (first-response due time, then queue
entry time). Callbacks wait until their window opens (``not_before``); follow-up tasks are
never offered (leads pick them).

``unavailable_reason`` and ``queue_agent`` answer the same question for one named agent or
one queue (transfers, warm transfers, escalations, the transfer-target list)."""

from __future__ import annotations

import functools
import json
import types
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from ..protocol.enums import AgentState, InteractionKind, InteractionState
from .models import Agent, Interaction, Queue, QueueMember, Transition
from .tx import Before, Tx
from .views import agent_load, agent_loads

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
        select(Interaction).where(
            Interaction.state == InteractionState.QUEUED,
            Interaction.kind != InteractionKind.FOLLOW_UP,  # leads pick those
            or_(Interaction.not_before.is_(None), Interaction.not_before <= tx.now))
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


# ---- one named target: transfers, consultations, escalations ------------------------------

DEFAULT_CAPACITY = {"phone": 1, "chat": 3, "email": 5}


def capacity(agent: Agent) -> dict[str, int]:
    return {**DEFAULT_CAPACITY, **(agent.capacity or {})}


def unavailable_reason(agent: Agent, load: dict[str, int], channel: str | None) -> str | None:
    """Why ``agent`` cannot take an interaction of ``channel`` now (None: they can). Offline,
    away and a full capacity on the channel refuse; a ``channel`` of None checks presence."""
    name = agent.name
    if not agent.active:
        return f"{name} is no longer active"
    if agent.presence == AgentState.OFFLINE:
        return f"{name} is offline"
    if agent.presence == AgentState.AWAY:
        why = f" ({agent.away_reason})" if agent.away_reason else ""
        return f"{name} is away{why}"
    if channel is None:
        return None
    cap = capacity(agent).get(channel, 0)
    if load.get(channel, 0) < cap:
        return None
    if agent.state == AgentState.WRAP_UP:
        return f"{name} is in wrap-up"
    if channel == "phone":
        return f"{name} is on another call"
    return f"{name} already has {cap} {channel} interaction{'s' if cap != 1 else ''} (capacity)"


def agent_unavailable(session: Session, agent: Agent, channel: str | None) -> str | None:
    """``unavailable_reason`` with the agent's load read from the store."""
    return unavailable_reason(agent, agent_load(session, agent.id), channel)


def queue_members_available(session: Session, queue: Queue, channel: str | None, *,
                            loads: dict[int, dict[str, int]] | None = None,
                            exclude: frozenset[int] = frozenset()) -> list[Agent]:
    """Members of ``queue`` who could take an interaction of ``channel`` now (available, not
    in wrap-up, every required skill, free capacity), longest idle first: whom routing
    could offer it to."""
    need = set(queue.required_skills or [])
    loads = agent_loads(session) if loads is None else loads
    members = session.execute(
        select(Agent).join(QueueMember, QueueMember.agent_id == Agent.id)
        .where(QueueMember.queue_id == queue.id, Agent.active.is_(True),
               Agent.presence == AgentState.AVAILABLE, Agent.state != AgentState.WRAP_UP)
        .order_by(Agent.idle_since, Agent.id)).scalars().all()
    return [a for a in members
            if a.id not in exclude and need <= set(a.skills or [])
            and unavailable_reason(a, loads.get(a.id, {}), channel) is None]


def queue_agent(session: Session, queue: Queue, channel: str, *,
                exclude: frozenset[int] = frozenset()) -> Agent | None:
    """The longest-idle member of ``queue`` who could take ``channel`` work now."""
    found = queue_members_available(session, queue, channel, exclude=exclude)
    return found[0] if found else None
