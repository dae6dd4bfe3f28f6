"""Routing: offer each waiting interaction to the best available agent.

Best = member of the interaction's queue, has every skill the queue requires, chose to be
available (not away/offline, not in wrap-up), has free capacity on the channel, has not
declined this interaction recently; among those the least loaded, then the longest idle.
Waiting interactions are served most urgent first (first-response due time, then queue
entry time)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..protocol.enums import AgentState, InteractionState
from .models import Agent, Interaction, Queue, Transition
from .tx import Before, Tx
from .views import agent_loads

DECLINE_COOLDOWN_S = 120.0


@dataclass
class Candidate:
    agent: Agent
    skills: frozenset[str]
    queue_ids: frozenset[int]
    load: dict[str, int]
    capacity: dict[str, int]


def _candidates(tx: Tx) -> list[Candidate]:
    agents = tx.session.execute(
        select(Agent).where(Agent.active.is_(True), Agent.presence == AgentState.AVAILABLE,
                            Agent.state != AgentState.WRAP_UP)
    ).scalars().all()
    loads = agent_loads(tx.session)
    out = []
    for a in agents:
        cap = {"phone": 1, "chat": 3, "email": 5, **(a.capacity or {})}
        load = dict(loads.get(a.id) or {"phone": 0, "chat": 0, "email": 0})
        out.append(Candidate(a, frozenset(a.skills or []), frozenset(q.id for q in a.queues),
                             load, cap))
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


def route(tx: Tx, offer_timeout_s: float) -> int:
    """One routing pass; returns how many offers were made."""
    waiting = tx.session.execute(
        select(Interaction).where(Interaction.state == InteractionState.QUEUED)
        .order_by(Interaction.first_response_due_at, Interaction.queued_at)
    ).scalars().all()
    if not waiting:
        return 0
    candidates = _candidates(tx)
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
               and not _recently_declined(inter, c.agent.id, tx.now)]
        if not fit:
            continue
        best = min(fit, key=lambda c: (sum(c.load.values()), c.agent.idle_since, c.agent.id))
        offer(tx, inter, best.agent.id, offer_timeout_s)
        best.load[ch] = best.load.get(ch, 0) + 1
        made += 1
    return made
