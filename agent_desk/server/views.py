"""Build protocol read models from ORM rows (one place, so every frame says the same)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from ..protocol import views as v
from ..protocol.enums import ACTIVE_STATES, OFFERED_LOAD_STATES, SlaStatus
from .clock import to_dt, to_dt_opt
from .models import Agent, Attachment, Interaction, Message, Note, Queue, Survey, Transition


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
        kind=i.kind or "contact",  # type: ignore[arg-type]
        parent_id=i.parent_id,
        muted=bool(i.muted),
        hold_started_at=to_dt_opt(i.hold_started_at),
        hold_total_s=float(i.hold_total_s or 0.0),
        consult=_consult_view(i),
        callback=(v.CallbackView(number=i.callback_number,
                                 window_start=to_dt(i.callback_window_start or 0.0),
                                 window_end=to_dt(i.callback_window_end or 0.0),
                                 note=i.callback_note or "")
                  if i.callback_number else None),
        customer_match=i.customer_match or "identity",  # type: ignore[arg-type]
        match_candidates=[v.CustomerBrief(**c) for c in (i.match_candidates or [])],
        customer_seen_at=to_dt_opt(i.customer_seen_at),
        escalated=bool(i.escalated),
        escalation_reason=i.escalation_reason,
        csat=i.csat,
    )


def _consult_view(i: Interaction) -> v.ConsultView | None:
    if not i.consult_state:
        return None
    name = ""
    if i.consult_agent_id is not None:
        session = object_session(i)
        agent = session.get(Agent, i.consult_agent_id) if session is not None else None
        name = agent.name if agent is not None else ""
    return v.ConsultView(state=i.consult_state,  # type: ignore[arg-type]
                         agent_id=i.consult_agent_id, agent_name=name,
                         queue_id=i.consult_queue_id,
                         started_at=to_dt(i.consult_started_at or 0.0))


#: States in which a call occupies the phone capacity of the agent consulted on it.
CONSULT_LOAD_STATES = ("assigned", "on_hold")


def agent_load(session: Session, agent_id: int) -> dict[str, int]:
    """Interactions per channel that occupy the agent's capacity (offers count too, and a
    call the agent is consulted on, or in conference with, counts as a call)."""
    rows = session.execute(
        select(Interaction.channel).where(
            ((Interaction.assigned_agent_id == agent_id)
             & Interaction.state.in_([str(s) for s in ACTIVE_STATES]))
            | ((Interaction.offered_agent_id == agent_id)
               & Interaction.state.in_([str(s) for s in OFFERED_LOAD_STATES]))
            | ((Interaction.consult_agent_id == agent_id)
               & Interaction.consult_state.is_not(None)
               & Interaction.state.in_(CONSULT_LOAD_STATES))
        )
    ).scalars()
    counts = Counter(rows)
    return {"phone": counts["phone"], "chat": counts["chat"], "email": counts["email"]}


def agent_loads(session: Session) -> dict[int, dict[str, int]]:
    """``agent_load`` of every agent with any load, in three grouped queries (routing would
    otherwise run one query per available agent). Agents without load are absent."""
    out: dict[int, dict[str, int]] = {}
    for col, states, extra in (
            (Interaction.assigned_agent_id, [str(s) for s in ACTIVE_STATES], None),
            (Interaction.offered_agent_id, [str(s) for s in OFFERED_LOAD_STATES], None),
            (Interaction.consult_agent_id, list(CONSULT_LOAD_STATES),
             Interaction.consult_state.is_not(None))):
        stmt = (select(col, Interaction.channel, func.count())
                .where(col.is_not(None), Interaction.state.in_(states)))
        if extra is not None:
            stmt = stmt.where(extra)
        for agent_id, channel, n in session.execute(stmt.group_by(col, Interaction.channel)):
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


def message_view(m: Message, attachments: list[Attachment] | None = None) -> v.MessageView:
    """``attachments``: the message's files when the caller has them (else none listed)."""
    return v.MessageView(
        id=m.id, interaction_id=m.interaction_id, direction=m.direction,  # type: ignore[arg-type]
        author=m.author, agent_id=m.agent_id, body=m.body, at=to_dt(m.at), subject=m.subject,
        from_addr=m.from_addr, to=list(m.to_addrs or []), cc=list(m.cc_addrs or []),
        message_id=m.message_id, in_reply_to=m.in_reply_to, references=list(m.references or []),
        html=m.html, attachments=[attachment_view(a) for a in attachments or []],
    )


def attachment_view(a: Attachment) -> v.AttachmentView:
    return v.AttachmentView(id=a.id, filename=a.filename, content_type=a.content_type,
                            size=a.size, content_id=a.content_id)


def survey_view(s: Survey) -> v.SurveyView:
    return v.SurveyView(interaction_id=s.interaction_id, channel=s.channel,  # type: ignore[arg-type]
                        method=s.method, sent_at=to_dt(s.sent_at),  # type: ignore[arg-type]
                        answered_at=to_dt_opt(s.answered_at), csat=s.csat, nps=s.nps,
                        ces=s.ces, comment=s.comment or "", follow_up_id=s.follow_up_id)


def note_view(n: Note, author: str) -> v.NoteView:
    return v.NoteView(id=n.id, interaction_id=n.interaction_id, agent_id=n.agent_id,
                      author=author, body=n.body, at=to_dt(n.at))


def transition_view(t: Transition) -> v.TransitionView:
    return v.TransitionView(from_state=t.from_state, to_state=t.to_state,  # type: ignore[arg-type]
                            actor_agent_id=t.actor_agent_id, reason=t.reason, at=to_dt(t.at))
