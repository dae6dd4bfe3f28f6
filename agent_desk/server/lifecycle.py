"""Command handlers: each checks who may do what (on the server, for every command), then
changes the interaction, records the transition (who, when) and emits events. A handler
raises ``CommandError`` before it changes anything, so a refused command changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..protocol import messages as m
from ..protocol.enums import (
    FINAL_STATES,
    SETTABLE_STATES,
    SUPERVISOR_ROLES,
    AgentState,
    Channel,
    Direction,
    InteractionState,
)
from ..protocol.messages import MessageAdded, NoteAdded
from . import email_out, sla
from .agents import refresh_agent
from .connectors import OutboundMessage
from .errors import CommandError, forbidden, invalid_state, not_found
from .kb_articles import count_wrap_up_links
from .kb_templates import record_reply_examples
from .models import (
    Agent,
    CodeLabelRow,
    Interaction,
    Message,
    Note,
    SlaPolicy,
    Transition,
)
from .tx import Before, Tx
from .views import agent_load, message_view, note_view

S = InteractionState


@dataclass(frozen=True)
class Settings:
    offer_timeout_s: float = 20.0
    wrap_up_limit_s: float = 120.0
    max_pending_offers: int = 1
    company_name: str = ""
    kb_link: str = ""


Handler = Callable[[Tx, Agent, Any, Settings], dict[str, Any]]


def is_supervisor(agent: Agent) -> bool:
    return agent.role in SUPERVISOR_ROLES


def get_interaction(tx: Tx, interaction_id: int) -> Interaction:
    inter = tx.session.get(Interaction, interaction_id)
    if inter is None:
        raise not_found(f"interaction {interaction_id}")
    return inter


def _owned(tx: Tx, actor: Agent, interaction_id: int, *, supervisor_ok: bool = True
           ) -> Interaction:
    inter = get_interaction(tx, interaction_id)
    if inter.assigned_agent_id != actor.id and not (supervisor_ok and is_supervisor(actor)):
        raise forbidden(f"interaction {interaction_id} is not assigned to you")
    return inter


def _require(inter: Interaction, states: set[str] | frozenset[str], what: str) -> None:
    if inter.state not in states:
        raise invalid_state(f"cannot {what}: interaction {inter.id} is {inter.state}")


def _require_channel(inter: Interaction, channels: set[str], what: str) -> None:
    if inter.channel not in channels:
        raise invalid_state(f"cannot {what} on a {inter.channel} interaction")


def move(tx: Tx, inter: Interaction, to: str, change: str, *, actor: int | None,
         before: Before | None = None, reason: str | None = None) -> None:
    """Set the new state, record the transition and emit the change. A call that ends
    (wrap-up, closed, abandoned) is no longer muted nor in a consultation."""
    before = before or Before.of(inter)
    if to in _CALL_OVER:
        inter.muted = False
        clear_consult(inter)
    inter.state = to
    tx.session.add(Transition(interaction_id=inter.id, from_state=before.state, to_state=to,
                              actor_agent_id=actor,
                              agent_id=inter.assigned_agent_id or inter.offered_agent_id,
                              reason=reason, at=tx.now))
    tx.interaction_changed(inter, change, before)


_CALL_OVER = frozenset({S.WRAP_UP, *FINAL_STATES})


def clear_consult(inter: Interaction) -> None:
    inter.consult_state = None
    inter.consult_agent_id = None
    inter.consult_queue_id = None
    inter.consult_started_at = None
    inter.consult_from_state = None


def _no_consult(inter: Interaction, what: str) -> None:
    if inter.consult_state:
        raise invalid_state(f"cannot {what}: interaction {inter.id} has a consultation in "
                            "progress (complete or cancel it first)")


def requeue(tx: Tx, inter: Interaction, change: str, *, actor: int | None, reason: str,
            declined: bool) -> None:
    """Take an offer back and put the interaction in its queue again."""
    before = Before.of(inter)
    if declined and inter.offered_agent_id:
        inter.declined_by = [*(inter.declined_by or []), [inter.offered_agent_id, tx.now]]
    inter.offered_agent_id = None
    inter.offer_expires_at = None
    move(tx, inter, S.QUEUED, change, actor=actor, before=before, reason=reason)


# ---- agent state --------------------------------------------------------------------------

def set_state(tx: Tx, actor: Agent, cmd: m.SetState, cfg: Settings) -> dict[str, Any]:
    if cmd.state not in SETTABLE_STATES:
        raise CommandError(m.ErrorCode.INVALID,
                           f"state {cmd.state} is set by the server, not by agents")
    reason = None
    if cmd.state == AgentState.AWAY:
        codes = set(tx.session.execute(
            select(CodeLabelRow.code).where(CodeLabelRow.kind == "away")).scalars())
        if not cmd.reason or cmd.reason not in codes:
            raise CommandError(m.ErrorCode.INVALID,
                               f"away needs a reason, one of: {', '.join(sorted(codes))}")
        reason = cmd.reason
    set_presence(tx, actor, cmd.state, reason, actor_id=actor.id)
    return {"state": actor.state}


def set_presence(tx: Tx, agent: Agent, presence: str, reason: str | None, *,
                 actor_id: int | None) -> None:
    agent.presence = presence
    agent.away_reason = reason
    if presence != AgentState.AVAILABLE:
        pending = tx.session.execute(
            select(Interaction).where(Interaction.offered_agent_id == agent.id,
                                      Interaction.state == S.OFFERED)).scalars().all()
        for inter in pending:
            requeue(tx, inter, "offer_withdrawn", actor=actor_id,
                    reason=f"agent became {presence}", declined=False)
    refresh_agent(tx, agent, force_event=True)


# ---- offers ---------------------------------------------------------------------------------

def _my_offer(tx: Tx, actor: Agent, interaction_id: int) -> Interaction:
    inter = get_interaction(tx, interaction_id)
    if inter.state != S.OFFERED or inter.offered_agent_id != actor.id:
        was_offered = tx.session.execute(select(Transition.id).where(
            Transition.interaction_id == inter.id, Transition.to_state == S.OFFERED,
            Transition.agent_id == actor.id).limit(1)).first() is not None
        if not was_offered:  # someone else's work (ownership), not a missed offer
            raise forbidden(f"interaction {interaction_id} was not offered to you")
        raise invalid_state(f"interaction {interaction_id} is not offered to you "
                            f"(it is {inter.state})")
    if inter.offer_expires_at is not None and inter.offer_expires_at <= tx.now:
        raise invalid_state(f"the offer of interaction {interaction_id} has expired")
    return inter


def _assign(tx: Tx, inter: Interaction, agent: Agent, change: str, actor: int) -> None:
    before = Before.of(inter)
    inter.assigned_agent_id = agent.id
    inter.offered_agent_id = None
    inter.offer_expires_at = None
    if inter.answered_at is None:
        inter.answered_at = tx.now
    if inter.channel == Channel.PHONE and inter.first_response_at is None:
        inter.first_response_at = tx.now  # for calls FRT is the speed of answer
    move(tx, inter, S.ASSIGNED, change, actor=actor, before=before)


def accept(tx: Tx, actor: Agent, cmd: m.Accept, cfg: Settings) -> dict[str, Any]:
    inter = _my_offer(tx, actor, cmd.interaction_id)
    _assign(tx, inter, actor, "accepted", actor.id)
    return {"interaction_id": inter.id, "state": inter.state}


def decline(tx: Tx, actor: Agent, cmd: m.Decline, cfg: Settings) -> dict[str, Any]:
    inter = _my_offer(tx, actor, cmd.interaction_id)
    requeue(tx, inter, "offer_declined", actor=actor.id,
            reason=cmd.reason or "declined", declined=True)
    return {"interaction_id": inter.id, "state": inter.state}


def pick(tx: Tx, actor: Agent, cmd: m.Pick, cfg: Settings) -> dict[str, Any]:
    inter = get_interaction(tx, cmd.interaction_id)
    follow_up = inter.kind == "follow_up"  # a lead's task: picked on any channel
    if not follow_up:
        _require_channel(inter, {Channel.EMAIL}, "pick")
    if inter.queue_id not in {q.id for q in actor.queues}:
        raise forbidden(f"you are not a member of the queue of interaction {inter.id}")
    _require(inter, {S.QUEUED}, "pick")
    channel = str(inter.channel)
    cap = (actor.capacity or {}).get(channel, 5)
    if not follow_up and agent_load(tx.session, actor.id)[channel] >= cap:
        raise invalid_state(f"you already hold {cap} emails (your capacity)")
    _assign(tx, inter, actor, "picked", actor.id)
    return {"interaction_id": inter.id, "state": inter.state}


# ---- conversation ---------------------------------------------------------------------------

def send_message(tx: Tx, actor: Agent, cmd: m.SendMessage, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id, supervisor_ok=False)
    _require_channel(inter, {Channel.CHAT, Channel.EMAIL}, "send a message")
    _require(inter, {S.ASSIGNED}, "send a message")
    if not cmd.body.strip():
        raise CommandError(m.ErrorCode.INVALID, "send_message: body is empty")
    msg = Message(interaction_id=inter.id, direction=Direction.OUTBOUND, author=actor.name,
                  agent_id=actor.id, body=cmd.body, at=tx.now)
    files = []
    if inter.channel == Channel.EMAIL:  # mode, recipients, threading, HTML, attachments
        files = email_out.compose(tx, actor, inter, cmd, msg)
    else:
        email_out.check_chat(cmd)
    tx.session.add(msg)
    before = Before.of(inter)
    if inter.first_response_at is None:
        inter.first_response_at = tx.now
    tx.session.flush()
    email_out.link(msg, files)
    tx.emit(MessageAdded(message=message_view(msg, files)), agents={actor.id})
    tx.interaction_changed(inter, "replied", before)
    tx.outbound.append(OutboundMessage(
        interaction_id=inter.id, channel=inter.channel, body=msg.body, agent_name=actor.name,
        subject=msg.subject, to=list(msg.to_addrs or []), cc=list(msg.cc_addrs or []),
        message_id=msg.message_id, in_reply_to=msg.in_reply_to, references=list(
            msg.references or []), html=msg.html, attachment_ids=[f.id for f in files]))
    return {"message_id": msg.id}


def add_note(tx: Tx, actor: Agent, cmd: m.AddNote, cfg: Settings) -> dict[str, Any]:
    inter = get_interaction(tx, cmd.interaction_id)
    allowed = (inter.assigned_agent_id == actor.id or inter.offered_agent_id == actor.id
               or inter.consult_agent_id == actor.id
               or is_supervisor(actor) or inter.queue_id in {q.id for q in actor.queues})
    if not allowed:
        raise forbidden(f"you cannot add notes to interaction {inter.id}")
    if not cmd.body.strip():
        raise CommandError(m.ErrorCode.INVALID, "add_note: body is empty")
    note = Note(interaction_id=inter.id, agent_id=actor.id, body=cmd.body, at=tx.now)
    tx.session.add(note)
    tx.session.flush()
    tx.emit(NoteAdded(note=note_view(note, actor.name)),
            agents={a for a in (inter.assigned_agent_id, inter.offered_agent_id,
                                inter.consult_agent_id, actor.id) if a})
    return {"note_id": note.id}


# ---- calls ------------------------------------------------------------------------------------

def hold(tx: Tx, actor: Agent, cmd: m.Hold, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id, supervisor_ok=False)
    _require_channel(inter, {Channel.PHONE}, "hold")
    _require(inter, {S.ASSIGNED}, "hold")
    _no_consult(inter, "hold")
    inter.hold_started_at = tx.now
    move(tx, inter, S.ON_HOLD, "held", actor=actor.id)
    return {"state": inter.state}


def end_hold(tx: Tx, inter: Interaction) -> None:
    if inter.hold_started_at is not None:
        inter.hold_total_s = (inter.hold_total_s or 0.0) + tx.now - inter.hold_started_at
        inter.hold_started_at = None


def unhold(tx: Tx, actor: Agent, cmd: m.Unhold, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id, supervisor_ok=False)
    _require_channel(inter, {Channel.PHONE}, "take off hold")
    _require(inter, {S.ON_HOLD}, "take off hold")
    _no_consult(inter, "take off hold")
    end_hold(tx, inter)
    move(tx, inter, S.ASSIGNED, "unheld", actor=actor.id)
    return {"state": inter.state}


def hang_up(tx: Tx, actor: Agent, cmd: m.HangUp, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id, supervisor_ok=False)
    _require_channel(inter, {Channel.PHONE}, "hang up")
    _require(inter, {S.ASSIGNED, S.ON_HOLD}, "hang up")
    end_hold(tx, inter)  # a consultation or conference ends with the call (``move``)
    inter.wrap_up_at = tx.now
    move(tx, inter, S.WRAP_UP, "wrap_up", actor=actor.id, reason="agent hung up")
    return {"state": inter.state, "wrap_up_limit_s": int(cfg.wrap_up_limit_s)}


def close(tx: Tx, actor: Agent, cmd: m.Close, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id, supervisor_ok=False)
    _require_channel(inter, {Channel.CHAT, Channel.EMAIL}, "close")
    _require(inter, {S.ASSIGNED}, "close")
    inter.wrap_up_at = tx.now
    move(tx, inter, S.WRAP_UP, "wrap_up", actor=actor.id, reason="agent closed")
    return {"state": inter.state, "wrap_up_limit_s": int(cfg.wrap_up_limit_s)}


def finish(tx: Tx, inter: Interaction, *, actor: int | None, disposition: str | None,
           notes: str | None, resolved_first_contact: bool | None, reason: str) -> None:
    inter.disposition = disposition
    inter.wrap_up_notes = notes
    inter.resolved_first_contact = resolved_first_contact
    inter.closed_at = tx.now
    move(tx, inter, S.CLOSED, "closed", actor=actor, reason=reason)
    from .surveys import send_survey  # surveys builds on this module (no import cycle)

    send_survey(tx, inter)  # only for a disposition; connectors send it after the commit


def wrap_up(tx: Tx, actor: Agent, cmd: m.WrapUp, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id)
    _require(inter, {S.WRAP_UP}, "wrap up")
    codes = set(tx.session.execute(
        select(CodeLabelRow.code).where(CodeLabelRow.kind == "wrap_up")).scalars())
    if cmd.disposition not in codes:
        raise CommandError(m.ErrorCode.INVALID,
                           f"unknown disposition {cmd.disposition!r}; one of: "
                           f"{', '.join(sorted(codes))}")
    inter.kb_article_ids = list(dict.fromkeys(cmd.kb_article_ids))
    finish(tx, inter, actor=actor.id, disposition=cmd.disposition, notes=cmd.notes,
           resolved_first_contact=cmd.resolved_first_contact, reason="wrapped up")
    # the knowledge base learns from it: linked articles were used and helped; the replies
    # of a contact resolved at once become examples for the team
    count_wrap_up_links(tx, inter.kb_article_ids)
    record_reply_examples(tx, inter)
    return {"state": inter.state}


# ---- SLA and priority ---------------------------------------------------------------------------

def sla_start(inter: Interaction) -> float:
    """When an interaction's SLA clock starts: its creation, or for a callback the opening
    of its time window."""
    return max(inter.created_at, inter.not_before or inter.created_at)


def apply_sla(tx: Tx, inter: Interaction) -> None:
    """(Re)compute the SLA due times from the policy for channel × priority × tier."""
    pol = tx.session.execute(select(SlaPolicy).where(
        SlaPolicy.channel == inter.channel, SlaPolicy.priority == inter.priority,
        SlaPolicy.tier == inter.customer.tier)).scalar_one_or_none()
    targets = (sla.Targets(pol.first_response_s, pol.resolution_s) if pol is not None
               else sla.fallback_targets(inter.channel, inter.priority, inter.customer.tier))
    start = sla_start(inter)
    inter.first_response_due_at = start + targets.first_response_s
    inter.resolution_due_at = start + targets.resolution_s
    for due, warned, breached in (("first_response_due_at", "fr_warned", "fr_breached"),
                                  ("resolution_due_at", "res_warned", "res_breached")):
        due_at = getattr(inter, due)
        if tx.now < sla.warning_at(start, due_at):
            setattr(inter, warned, False)
        if tx.now < due_at:
            setattr(inter, breached, False)


def set_priority(tx: Tx, actor: Agent, cmd: m.SetPriority, cfg: Settings) -> dict[str, Any]:
    if not is_supervisor(actor):
        raise forbidden("set_priority is for leads and admins")
    inter = get_interaction(tx, cmd.interaction_id)
    if inter.state in FINAL_STATES:
        raise invalid_state(f"interaction {inter.id} is {inter.state}")
    before = Before.of(inter)
    inter.priority = cmd.priority
    apply_sla(tx, inter)
    tx.interaction_changed(inter, "priority", before)
    return {"priority": inter.priority}


#: The lifecycle's own handlers; ``server.handlers`` merges every module's table (transfer,
#: reassign and escalate are in ``server.calls``).
HANDLERS: dict[type[m.Command], Handler] = {
    m.SetState: set_state, m.Accept: accept, m.Decline: decline, m.Pick: pick,
    m.SendMessage: send_message, m.AddNote: add_note, m.Hold: hold, m.Unhold: unhold,
    m.HangUp: hang_up, m.Close: close, m.WrapUp: wrap_up, m.SetPriority: set_priority,
}
