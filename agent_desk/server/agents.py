"""Agent state: presence chosen by the agent (available/away/offline) combined with what
the server knows (busy with interactions, in wrap-up). Every change is logged and emitted."""

from __future__ import annotations

from sqlalchemy import select

from ..protocol.enums import AgentState
from ..protocol.messages import AgentChanged
from .models import Agent, AgentStateLog, Interaction
from .tx import Tx
from .views import agent_load, agent_view


def derived_state(agent: Agent, load: dict[str, int], in_wrap_up: bool) -> str:
    if agent.presence in (AgentState.OFFLINE, AgentState.AWAY):
        return agent.presence
    if in_wrap_up:
        return AgentState.WRAP_UP
    if any(load.values()):
        return AgentState.BUSY
    return AgentState.AVAILABLE


def refresh_agent(tx: Tx, agent: Agent, *, force_event: bool = False) -> None:
    """Recompute ``agent.state`` and emit an ``agent`` event when the agent's view (state,
    load, ...) differs from the last one emitted (``force_event``: emit unless this
    transaction already emitted the same view)."""
    load = agent_load(tx.session, agent.id)
    in_wrap = tx.session.execute(
        select(Interaction.id).where(Interaction.assigned_agent_id == agent.id,
                                     Interaction.state == "wrap_up").limit(1)
    ).first() is not None
    new = derived_state(agent, load, in_wrap)
    if new != agent.state:
        if new == AgentState.AVAILABLE:
            agent.idle_since = tx.now
        agent.state = new
        agent.state_since = tx.now
        tx.session.add(AgentStateLog(agent_id=agent.id, state=new,
                                     reason=agent.away_reason, at=tx.now))
    view = agent_view(agent, load)
    last = tx.agent_views.get(agent.id)
    if last != view or (force_event and agent.id not in tx.agents_emitted):
        tx.agent_views[agent.id] = view
        tx.agents_emitted.add(agent.id)
        tx.emit(AgentChanged(agent=view), agents={agent.id})


def refresh_touched(tx: Tx) -> None:
    """Refresh every agent whose interactions changed in this transaction."""
    done: set[int] = set()
    while tx.touched_agents - done:
        agent_id = min(tx.touched_agents - done)
        done.add(agent_id)
        agent = tx.session.get(Agent, agent_id)
        if agent is not None:
            refresh_agent(tx, agent)
