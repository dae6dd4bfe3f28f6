"""Build protocol read models from ORM rows (one place, so every frame says the same)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..protocol import views as v
from ..protocol.enums import ACTIVE_STATES, OFFERED_LOAD_STATES, SlaStatus
from .clock import to_dt, to_dt_opt
from .models import Agent, Interaction, Message, Note, Queue, Transition


def _sla_status(met_at: float | None, due: float, warned: bool, breached: bool) -> SlaStatus:
    if met_at is not None:
        return SlaStatus.MET if met_at <= due else SlaStatus.MISSED
    if breached:
        return SlaStatus.BREACHED
    if warned:
        return SlaStatus.WARNING
    return SlaStatus.ON_TRACK


def interaction_view(i: Interaction) -> v.InteractionView:
    c = i.customer
    return v.InteractionView(
        id=i.id,
        channel=i.channel,  # type: ignore[arg-type]
        state=i.state,  # type: ignore[arg-type]
        customer=v.CustomerBrief(id=c.id, name=c.name, tier=c.tier,  # type: ignore[arg-type]
                                 language=c.language),
        queue_id=i.queue_id,
        subject=i.subject,
        preview=i.preview,
        priority=i.priority,  # type: ignore[arg-type]
        created_at=to_dt(i.created_at),
        offered_at=to_dt_opt(i.offered_at),
        answered_at=to_dt_opt(i.answered_at),
        first_response_at=to_dt_opt(i.first_response_at),
        wrap_up_at=to_dt_opt(i.wrap_up_at),
        closed_at=to_dt_opt(i.closed_at),
        assigned_agent_id=i.assigned_agent_id,
        offered_agent_id=i.offered_agent_id,
        offer_expires_at=to_dt_opt(i.offer_expires_at),
        first_response_due_at=to_dt(i.first_response_due_at),
        resolution_due_at=to_dt(i.resolution_due_at),
        sla_first_response=_sla_status(i.first_response_at, i.first_response_due_at,
                                       i.fr_warned, i.fr_breached),
        sla_resolution=_sla_status(i.closed_at if i.state == "closed" else None,
                                   i.resolution_due_at, i.res_warned, i.res_breached),
        disposition=i.disposition,
        ivr_data=dict(i.ivr_data or {}),
        version=i.version,
    )


def agent_load(session: Session, agent_id: int) -> dict[str, int]:
    """Interactions per channel that occupy the agent's capacity (offers count too)."""
    rows = session.execute(
        select(Interaction.channel).where(
            ((Interaction.assigned_agent_id == agent_id)
             & Interaction.state.in_([str(s) for s in ACTIVE_STATES]))
            | ((Interaction.offered_agent_id == agent_id)
               & Interaction.state.in_([str(s) for s in OFFERED_LOAD_STATES]))
        )
    ).scalars()
    counts = Counter(rows)
    return {"phone": counts["phone"], "chat": counts["chat"], "email": counts["email"]}


def agent_loads(session: Session) -> dict[int, dict[str, int]]:
    """``agent_load`` of every agent with any load, in two grouped queries (routing would
    otherwise run one query per available agent). Agents without load are absent."""
    out: dict[int, dict[str, int]] = {}
    for col, states in ((Interaction.assigned_agent_id, ACTIVE_STATES),
                        (Interaction.offered_agent_id, OFFERED_LOAD_STATES)):
        rows = session.execute(
            select(col, Interaction.channel, func.count())
            .where(col.is_not(None), Interaction.state.in_([str(s) for s in states]))
            .group_by(col, Interaction.channel))
        for agent_id, channel, n in rows:
            if agent_id is not None and channel in ("phone", "chat", "email"):
                load = out.setdefault(agent_id, {"phone": 0, "chat": 0, "email": 0})
                load[channel] += n
    return out


def agent_view(a: Agent, load: dict[str, int] | None = None) -> v.AgentView:
    cap = a.capacity or {}
    ld = load or {}
    return v.AgentView(
        id=a.id, username=a.username, name=a.name, role=a.role,  # type: ignore[arg-type]
        state=a.state, away_reason=a.away_reason,  # type: ignore[arg-type]
        state_since=to_dt(a.state_since), skills=list(a.skills or []),
        capacity=v.Capacity(phone=cap.get("phone", 1), chat=cap.get("chat", 3),
                            email=cap.get("email", 5)),
        load=v.Capacity(phone=ld.get("phone", 0), chat=ld.get("chat", 0),
                        email=ld.get("email", 0)),
        queue_ids=sorted(q.id for q in a.queues),
    )


def queue_view(q: Queue) -> v.QueueView:
    return v.QueueView(id=q.id, name=q.name, required_skills=list(q.required_skills or []),
                       channels=list(q.channels or []))


def message_view(m: Message) -> v.MessageView:
    return v.MessageView(
        id=m.id, interaction_id=m.interaction_id, direction=m.direction,  # type: ignore[arg-type]
        author=m.author, agent_id=m.agent_id, body=m.body, at=to_dt(m.at), subject=m.subject,
        from_addr=m.from_addr, to=list(m.to_addrs or []), cc=list(m.cc_addrs or []),
        message_id=m.message_id, in_reply_to=m.in_reply_to, references=list(m.references or []),
    )


def note_view(n: Note, author: str) -> v.NoteView:
    return v.NoteView(id=n.id, interaction_id=n.interaction_id, agent_id=n.agent_id,
                      author=author, body=n.body, at=to_dt(n.at))


def transition_view(t: Transition) -> v.TransitionView:
    return v.TransitionView(from_state=t.from_state, to_state=t.to_state,  # type: ignore[arg-type]
                            actor_agent_id=t.actor_agent_id, reason=t.reason, at=to_dt(t.at))
