"""Time-driven changes, run by the server's ticker (and by tests with a manual clock):
offer timeouts, SLA warnings (80 %) and breaches (100 %), the wrap-up time limit. Callbacks
whose window has opened are routed by the routing pass that follows every tick."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..protocol.enums import FINAL_STATES, AgentState, InteractionState, SlaTarget
from ..protocol.messages import SlaAlert
from . import sla
from .clock import to_dt
from .lifecycle import finish, requeue, set_presence, sla_start
from .models import Agent, Interaction
from .tx import Before, Tx

S = InteractionState


def expire_offers(tx: Tx) -> int:
    expired = tx.session.execute(
        select(Interaction).where(Interaction.state == S.OFFERED,
                                  Interaction.offer_expires_at <= tx.now)).scalars().all()
    missed: list[int] = []
    # time every expired offer out first: setting its agent away would otherwise
    # withdraw (and requeue a second time) the agent's other offers that expired too
    for inter in expired:
        agent_id = inter.offered_agent_id
        requeue(tx, inter, "offer_timeout", actor=None, reason="offer timed out", declined=True)
        if agent_id and agent_id not in missed:
            missed.append(agent_id)
    for agent_id in missed:
        agent = tx.session.get(Agent, agent_id)
        if agent is not None and agent.presence == AgentState.AVAILABLE:
            # an agent who lets an offer ring out is probably not at the desk
            set_presence(tx, agent, AgentState.AWAY, "missed_offer", actor_id=None)
    return len(expired)


def _alert(tx: Tx, inter: Interaction, target: SlaTarget, level: str, due: float) -> None:
    agents = {a for a in (inter.assigned_agent_id, inter.offered_agent_id) if a}
    queues = {inter.queue_id} if inter.state in (S.QUEUED, S.OFFERED) else set()
    tx.emit(SlaAlert(interaction_id=inter.id, target=target, level=level,  # type: ignore[arg-type]
                     due_at=to_dt(due)), agents=agents, queues=queues)


def check_sla(tx: Tx) -> int:
    """Emit warnings and breaches that are due; returns how many alerts were emitted. The
    clock of a callback starts when its window opens (``sla_start``)."""
    rows = tx.session.execute(
        select(Interaction).where(
            Interaction.state.not_in([str(s) for s in FINAL_STATES]),
            ~(Interaction.fr_breached & Interaction.res_breached),
            or_(Interaction.not_before.is_(None), Interaction.not_before <= tx.now))
    ).scalars().all()
    count = 0
    for inter in rows:
        before = Before.of(inter)
        changed = False
        checks = (
            (SlaTarget.FIRST_RESPONSE, inter.first_response_at, "first_response_due_at",
             "fr_warned", "fr_breached"),
            (SlaTarget.RESOLUTION, None, "resolution_due_at", "res_warned", "res_breached"),
        )
        for target, met_at, due_attr, warned_attr, breached_attr in checks:
            if met_at is not None:
                continue
            due = getattr(inter, due_attr)
            if not getattr(inter, warned_attr) and tx.now >= sla.warning_at(sla_start(inter),
                                                                            due):
                setattr(inter, warned_attr, True)
                _alert(tx, inter, target, "warning", due)
                changed, count = True, count + 1
            if not getattr(inter, breached_attr) and tx.now >= due:
                setattr(inter, breached_attr, True)
                _alert(tx, inter, target, "breach", due)
                changed, count = True, count + 1
        if changed:
            tx.interaction_changed(inter, "sla", before)
    return count


def expire_wrap_up(tx: Tx, limit_s: float) -> int:
    rows = tx.session.execute(
        select(Interaction).where(Interaction.state == S.WRAP_UP,
                                  Interaction.wrap_up_at <= tx.now - limit_s)).scalars().all()
    for inter in rows:
        finish(tx, inter, actor=None, disposition=None, notes=None,
               resolved_first_contact=None, reason="wrap-up time limit reached")
    return len(rows)
