"""Handing work over and phone call controls beyond hold/hang-up: transfer, reassign and
escalation of any interaction (to an agent only if they can take it now); mute, warm
transfer (consult, complete, cancel, conference), DTMF, callbacks; the list of transfer
targets. Like every handler, each one checks everything before it changes anything.

A warm transfer on the server: ``consult`` holds the caller (``on_hold``, the hold timer
runs) and names the consulted agent in ``consult_*``; that agent sees the call (events,
snapshot) and it counts as a call of theirs (``views.agent_load``). ``conference`` takes the
caller off hold (``assigned``), ``complete_transfer`` makes the consulted agent the assignee,
``cancel_consult`` returns to the caller (``assigned``, also when the consultation began
from hold). Ending the call ends the consultation (``lifecycle.move``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..channels.errors import InvalidInput
from ..channels.phone import validate_callback_number, validate_callback_window, validate_dtmf
from ..protocol import messages as m
from ..protocol import views as pv
from ..protocol.codes import ErrorCode
from ..protocol.enums import (
    PRIORITY_RANK,
    SUPERVISOR_ROLES,
    WAITING_STATES,
    AgentState,
    Channel,
    ConsultState,
    Direction,
    InteractionKind,
    InteractionState,
    Priority,
)
from ..protocol.messages import MessageAdded, NoteAdded
from .clock import to_dt
from .errors import CommandError, forbidden, invalid_state, not_found
from .lifecycle import (
    Handler,
    Settings,
    _no_consult,
    _owned,
    _require,
    _require_channel,
    apply_sla,
    clear_consult,
    end_hold,
    get_interaction,
    is_supervisor,
    move,
)
from .models import Agent, Interaction, Message, Note, Queue, Transition
from .routing import (
    agent_unavailable,
    offer,
    queue_agent,
    queue_members_available,
    unavailable_reason,
)
from .tx import Before, Tx
from .views import agent_loads, message_view, note_view

S = InteractionState
PHONE: set[str] = {Channel.PHONE}


def _my_call(tx: Tx, actor: Agent, interaction_id: int, states: set[str], what: str
             ) -> Interaction:
    """A phone interaction assigned to ``actor`` (not leads: they are not on the call)."""
    inter = _owned(tx, actor, interaction_id, supervisor_ok=False)
    _require_channel(inter, PHONE, what)
    _require(inter, states, what)
    return inter


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


# ---- hand-over: transfer, reassign (escalate below) ----------------------------------------

def target_agent(tx: Tx, agent_id: int) -> Agent:
    target = tx.session.get(Agent, agent_id)
    if target is None or not target.active:
        raise not_found(f"agent {agent_id}")
    return target


def target_queue(tx: Tx, queue_id: int) -> Queue:
    queue = tx.session.get(Queue, queue_id)
    if queue is None:
        raise not_found(f"queue {queue_id}")
    return queue


def check_available(tx: Tx, agent: Agent, channel: str | None) -> None:
    """Refuse (``unavailable``, saying why) an agent who cannot take ``channel`` work now."""
    why = agent_unavailable(tx.session, agent, channel)
    if why is not None:
        raise CommandError(ErrorCode.UNAVAILABLE, f"{why}: choose another agent or a queue")


def check_hand_over(tx: Tx, inter: Interaction, to_agent_id: int | None,
                    to_queue_id: int | None, what: str) -> tuple[Agent | None, Queue | None]:
    """The target of a transfer or escalation (exactly one of an agent or a queue), checked
    before anything changes."""
    if (to_agent_id is None) == (to_queue_id is None):
        raise CommandError(ErrorCode.INVALID,
                           f"{what}: give exactly one of to_agent_id or to_queue_id")
    _require(inter, {S.ASSIGNED, S.ON_HOLD, S.QUEUED, S.OFFERED}, what)
    _no_consult(inter, what)
    if to_agent_id is not None:
        return target_agent(tx, to_agent_id), None
    assert to_queue_id is not None
    return None, target_queue(tx, to_queue_id)


def hand_over(tx: Tx, inter: Interaction, actor: Agent, cfg: Settings, *,
              agent: Agent | None, queue: Queue | None, change: str, reason: str
              ) -> dict[str, Any]:
    """Offer ``inter`` to ``agent`` or put it in ``queue``: whoever had it loses it."""
    end_hold(tx, inter)
    before = Before.of(inter)
    inter.assigned_agent_id = None
    inter.declined_by = []
    inter.muted = False  # a call goes to its next agent unmuted
    if agent is not None:
        offer(tx, inter, agent.id, cfg.offer_timeout_s, actor=actor.id, before=before,
              reason=reason, change=change)
        return {"state": inter.state, "offered_agent_id": agent.id}
    assert queue is not None
    inter.offered_agent_id = None
    inter.offer_expires_at = None
    inter.queue_id = queue.id
    inter.queued_at = tx.now
    move(tx, inter, S.QUEUED, change, actor=actor.id, before=before, reason=reason)
    return {"state": inter.state, "queue_id": inter.queue_id}


def transfer(tx: Tx, actor: Agent, cmd: m.Transfer, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id)
    agent, queue = check_hand_over(tx, inter, cmd.to_agent_id, cmd.to_queue_id, "transfer")
    if agent is not None:
        check_available(tx, agent, inter.channel)
    reason = (f"transferred by {actor.name}" if agent is not None
              else f"transferred to queue {queue.name}" if queue is not None else "")
    result = hand_over(tx, inter, actor, cfg, agent=agent, queue=queue, change="transferred",
                       reason=reason)
    if cmd.note:
        tx.session.add(Note(interaction_id=inter.id, agent_id=actor.id,
                            body=f"Transfer note: {cmd.note}", at=tx.now))
    return result


def reassign(tx: Tx, actor: Agent, cmd: m.Reassign, cfg: Settings) -> dict[str, Any]:
    """A lead may force work on an agent (away or at capacity), but not on one who is
    offline."""
    if not is_supervisor(actor):
        raise forbidden("reassign is for leads and admins")
    inter = get_interaction(tx, cmd.interaction_id)
    _require(inter, {S.QUEUED, S.OFFERED, S.ASSIGNED, S.ON_HOLD}, "reassign")
    _no_consult(inter, "reassign")
    agent = target_agent(tx, cmd.agent_id)
    if agent.presence == AgentState.OFFLINE:
        raise CommandError(ErrorCode.UNAVAILABLE,
                           f"{agent.name} is offline: choose another agent")
    return hand_over(tx, inter, actor, cfg, agent=agent, queue=None, change="reassigned",
                     reason=f"reassigned by {actor.name}")


# ---- mute ---------------------------------------------------------------------------------

def mute(tx: Tx, actor: Agent, cmd: m.Mute, cfg: Settings) -> dict[str, Any]:
    inter = _my_call(tx, actor, cmd.interaction_id, {S.ASSIGNED, S.ON_HOLD},
                     "mute" if cmd.muted else "unmute")
    before = Before.of(inter)
    inter.muted = cmd.muted
    tx.interaction_changed(inter, "muted", before)
    return {"muted": inter.muted}


# ---- warm transfer ------------------------------------------------------------------------

def consult(tx: Tx, actor: Agent, cmd: m.Consult, cfg: Settings) -> dict[str, Any]:
    inter = _my_call(tx, actor, cmd.interaction_id, {S.ASSIGNED, S.ON_HOLD}, "consult")
    if inter.consult_state:
        raise invalid_state(f"cannot consult: interaction {inter.id} already has a "
                            "consultation in progress")
    if (cmd.to_agent_id is None) == (cmd.to_queue_id is None):
        raise _invalid("consult: give exactly one of to_agent_id or to_queue_id")
    queue: Queue | None = None
    if cmd.to_agent_id is not None:
        agent = target_agent(tx, cmd.to_agent_id)
        if agent.id == actor.id:
            raise _invalid("consult: you cannot consult yourself")
        check_available(tx, agent, Channel.PHONE)
    else:
        assert cmd.to_queue_id is not None
        queue = target_queue(tx, cmd.to_queue_id)
        found = queue_agent(tx.session, queue, Channel.PHONE, exclude=frozenset({actor.id}))
        if found is None:
            raise CommandError(ErrorCode.UNAVAILABLE,
                               f"nobody in {queue.name} is available for a call now")
        agent = found
    before = Before.of(inter)
    inter.consult_from_state = inter.state
    if inter.hold_started_at is None:
        inter.hold_started_at = tx.now  # the caller hears hold music while you consult
    inter.consult_state = ConsultState.CONSULTING
    inter.consult_agent_id = agent.id
    inter.consult_queue_id = queue.id if queue is not None else None
    inter.consult_started_at = tx.now
    reason = f"consulting {agent.name}" + (f" ({queue.name})" if queue is not None else "")
    if inter.state == S.ON_HOLD:
        tx.interaction_changed(inter, "consult", before)
    else:
        move(tx, inter, S.ON_HOLD, "consult", actor=actor.id, before=before, reason=reason)
    return {"state": inter.state, "consult_agent_id": agent.id}


def _consulting(tx: Tx, actor: Agent, interaction_id: int, states: set[str], what: str
                ) -> Interaction:
    inter = _my_call(tx, actor, interaction_id, {S.ASSIGNED, S.ON_HOLD}, what)
    if inter.consult_state not in states:
        now = f"a {inter.consult_state}" if inter.consult_state else "no consultation"
        raise invalid_state(f"cannot {what}: interaction {inter.id} has {now}")
    return inter


def _back_to_caller(tx: Tx, inter: Interaction, actor: Agent, change: str, reason: str,
                    before: Before) -> None:
    end_hold(tx, inter)
    if inter.state == S.ASSIGNED:
        tx.interaction_changed(inter, change, before)
    else:
        move(tx, inter, S.ASSIGNED, change, actor=actor.id, before=before, reason=reason)


def complete_transfer(tx: Tx, actor: Agent, cmd: m.CompleteTransfer, cfg: Settings
                      ) -> dict[str, Any]:
    inter = _consulting(tx, actor, cmd.interaction_id,
                        {ConsultState.CONSULTING, ConsultState.CONFERENCE}, "complete transfer")
    target = tx.session.get(Agent, inter.consult_agent_id or 0)
    if target is None or not target.active or target.presence == AgentState.OFFLINE:
        name = target.name if target is not None else f"agent {inter.consult_agent_id}"
        raise CommandError(ErrorCode.UNAVAILABLE,
                           f"{name} is offline: cancel the consultation")
    before = Before.of(inter)
    end_hold(tx, inter)
    if inter.consult_queue_id is not None:
        inter.queue_id = inter.consult_queue_id  # the call now belongs to that queue
    inter.assigned_agent_id = target.id
    inter.muted = False
    clear_consult(inter)
    # ``move`` records the transition for the new assignee; the transferring agent leaves
    # without wrap-up (no longer assigned: their load drops)
    move(tx, inter, S.ASSIGNED, "transferred", actor=actor.id, before=before,
         reason=f"warm transfer to {target.name}")
    return {"state": inter.state, "assigned_agent_id": target.id}


def cancel_consult(tx: Tx, actor: Agent, cmd: m.CancelConsult, cfg: Settings
                   ) -> dict[str, Any]:
    inter = _consulting(tx, actor, cmd.interaction_id,
                        {ConsultState.CONSULTING, ConsultState.CONFERENCE}, "cancel consult")
    before = Before.of(inter)
    clear_consult(inter)
    _back_to_caller(tx, inter, actor, "consult_cancelled", "consultation cancelled", before)
    return {"state": inter.state}


def conference(tx: Tx, actor: Agent, cmd: m.Conference, cfg: Settings) -> dict[str, Any]:
    inter = _consulting(tx, actor, cmd.interaction_id, {ConsultState.CONSULTING},
                        "start a conference")
    before = Before.of(inter)
    inter.consult_state = ConsultState.CONFERENCE
    _back_to_caller(tx, inter, actor, "conference", "conference", before)
    return {"state": inter.state}


# ---- DTMF -----------------------------------------------------------------------------------

def send_dtmf(tx: Tx, actor: Agent, cmd: m.SendDtmf, cfg: Settings) -> dict[str, Any]:
    inter = _my_call(tx, actor, cmd.interaction_id, {S.ASSIGNED}, "send DTMF")
    try:
        digits = validate_dtmf(cmd.digits)
    except InvalidInput as exc:
        code = ErrorCode.LIMIT_EXCEEDED if exc.code == "dtmf_too_long" else ErrorCode.INVALID
        raise CommandError(code, f"send_dtmf: {exc}") from None
    n = len(digits)
    # the digits themselves are never stored: they may be a card number or a PIN
    msg = Message(interaction_id=inter.id, direction=Direction.SYSTEM, author="system",
                  agent_id=actor.id, body=f"DTMF sent ({n} digit{'s' if n != 1 else ''})",
                  at=tx.now)
    tx.session.add(msg)
    tx.session.flush()
    tx.emit(MessageAdded(message=message_view(msg)),
            agents={a for a in (inter.assigned_agent_id, inter.consult_agent_id) if a})
    tx.interaction_changed(inter, "dtmf", Before.of(inter))
    return {"sent": n}


# ---- callbacks ------------------------------------------------------------------------------

def request_callback(tx: Tx, actor: Agent, cmd: m.RequestCallback, cfg: Settings
                     ) -> dict[str, Any]:
    inter = _my_call(tx, actor, cmd.interaction_id, {S.ASSIGNED, S.ON_HOLD, S.WRAP_UP},
                     "request a callback")
    try:
        number = validate_callback_number(cmd.number)
        start, end = validate_callback_window(cmd.window_start, cmd.window_end, to_dt(tx.now))
    except InvalidInput as exc:
        raise _invalid(f"request_callback: {exc}") from None
    subject = f"Callback: {inter.subject or number}"[:500]
    cb = Interaction(
        channel=Channel.PHONE, kind=InteractionKind.CALLBACK, parent_id=inter.id,
        customer_id=inter.customer_id, queue_id=inter.queue_id, subject=subject,
        preview=(cmd.note or f"Call back {number}")[:500], priority=inter.priority,
        state=S.QUEUED, created_at=tx.now, queued_at=tx.now, not_before=start.timestamp(),
        callback_number=number, callback_window_start=start.timestamp(),
        callback_window_end=end.timestamp(), callback_note=cmd.note,
        customer_match=inter.customer_match,
        match_candidates=list(inter.match_candidates or []),
        first_response_due_at=tx.now, resolution_due_at=tx.now, declined_by=[],
        version=0)  # the "created" event makes it 1
    cb.customer = inter.customer
    tx.session.add(cb)
    tx.session.flush()
    apply_sla(tx, cb)  # due times count from the window's start
    tx.session.add(Transition(interaction_id=cb.id, from_state=None, to_state=S.QUEUED,
                              actor_agent_id=actor.id,
                              reason=f"callback requested by {actor.name}", at=tx.now))
    tx.interaction_changed(cb, "created")
    tx.interaction_changed(inter, "callback_requested", Before.of(inter))
    return {"callback_interaction_id": cb.id}


# ---- escalation -----------------------------------------------------------------------------

def escalate(tx: Tx, actor: Agent, cmd: m.Escalate, cfg: Settings) -> dict[str, Any]:
    inter = _owned(tx, actor, cmd.interaction_id)
    reason = cmd.reason.strip()
    if not reason:
        raise _invalid("escalate: a reason is required")
    agent, queue = check_hand_over(tx, inter, cmd.to_agent_id, cmd.to_queue_id, "escalate")
    if agent is not None:
        if agent.role not in SUPERVISOR_ROLES:
            raise _invalid(f"escalate: escalations go to a lead or a queue ({agent.name} is "
                           f"{agent.role})")
        check_available(tx, agent, inter.channel)
    previous = inter.assigned_agent_id
    inter.escalated = True
    inter.escalation_reason = reason
    if PRIORITY_RANK[Priority(inter.priority)] > PRIORITY_RANK[Priority.HIGH]:
        inter.priority = Priority.HIGH
        apply_sla(tx, inter)
    where = agent.name if agent is not None else f"queue {queue.name}" if queue else ""
    result = hand_over(tx, inter, actor, cfg, agent=agent, queue=queue, change="escalated",
                       reason=f"escalated to {where} by {actor.name}: {reason}")
    note = Note(interaction_id=inter.id, agent_id=actor.id, body=f"Escalated: {reason}",
                at=tx.now)
    tx.session.add(note)
    tx.session.flush()
    tx.emit(NoteAdded(note=note_view(note, actor.name)),
            agents={a for a in (actor.id, previous, inter.offered_agent_id) if a})
    return result


# ---- transfer targets (query) ---------------------------------------------------------------

def transfer_targets(session: Session, agent_id: int, channel: str | None
                     ) -> pv.TransferTargets:
    """Every other active agent and every queue, with whether they can take ``channel``
    work now (with no channel: whether the agent is available at all)."""
    loads = agent_loads(session)
    agents = session.execute(select(Agent).where(Agent.active.is_(True), Agent.id != agent_id)
                             .order_by(Agent.name, Agent.id)).scalars().all()
    waiting = dict(session.execute(  # type: ignore[arg-type]
        select(Interaction.queue_id, func.count())
        .where(Interaction.state.in_([str(s) for s in WAITING_STATES]))
        .group_by(Interaction.queue_id)).all())
    queues = session.execute(select(Queue).order_by(Queue.name)).scalars().all()
    return pv.TransferTargets(
        agents=[pv.TargetAgent(
            id=a.id, name=a.name, role=a.role, state=a.state,  # type: ignore[arg-type]
            available=unavailable_reason(a, loads.get(a.id, {}), channel) is None,
            queue_ids=sorted(q.id for q in a.queues)) for a in agents],
        queues=[pv.TargetQueue(
            id=q.id, name=q.name, waiting=int(waiting.get(q.id, 0)),
            available_agents=len(queue_members_available(session, q, channel, loads=loads)))
            for q in queues])


HANDLERS: dict[type[m.Command], Handler] = {
    m.Transfer: transfer, m.Reassign: reassign, m.Escalate: escalate, m.Mute: mute,
    m.Consult: consult, m.CompleteTransfer: complete_transfer, m.CancelConsult: cancel_consult,
    m.Conference: conference, m.SendDtmf: send_dtmf, m.RequestCallback: request_callback,
}
