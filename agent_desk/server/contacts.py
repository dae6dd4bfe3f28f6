"""What connectors report: new contacts (matched to a customer by identity), customer
messages, customers leaving. Runs inside a store transaction like any command."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from ..protocol.enums import FINAL_STATES, Channel, CustomerMatch, Direction, InteractionState
from ..protocol.messages import MessageAdded
from . import email_in
from .connectors import InboundAttachment, InboundContact
from .errors import not_found
from .lifecycle import apply_sla, move
from .models import Customer, CustomerIdentity, Interaction, Message, Queue, Transition
from .tx import Before, Tx
from .views import message_view

S = InteractionState


#: Most candidates listed when the screen pop is ambiguous.
MAX_CANDIDATES = 10


def match_customer(tx: Tx, kind: str, value: str, name: str, language: str
                   ) -> tuple[Customer, str, list[dict[str, object]]]:
    """The screen pop: the customer whose identity this is (``identity``), else a new
    provisional customer for it, ``ambiguous`` with the existing customers of the same name
    as candidates (the agent links the right one) or ``new`` when there are none."""
    value_col = func.lower(CustomerIdentity.value) if kind == "email" else CustomerIdentity.value
    ident = tx.session.execute(select(CustomerIdentity).where(
        CustomerIdentity.kind == kind, value_col == (value.lower() if kind == "email" else value))
        .order_by(CustomerIdentity.id).limit(1)).scalar_one_or_none()
    if ident is not None:
        return ident.customer, CustomerMatch.IDENTITY, []
    display = name.strip()
    same_name = tx.session.execute(
        select(Customer).where(func.lower(Customer.name) == display.lower())
        .order_by(Customer.id).limit(MAX_CANDIDATES)).scalars().all() if display else []
    candidates: list[dict[str, object]] = [
        {"id": c.id, "name": c.name, "tier": c.tier, "language": c.language} for c in same_name]
    cust = Customer(name=display or value, language=language or "en", tier="standard",
                    created_at=tx.now)
    cust.identities.append(CustomerIdentity(kind=kind, value=value))
    tx.session.add(cust)
    tx.session.flush()
    return cust, CustomerMatch.AMBIGUOUS if candidates else CustomerMatch.NEW, candidates


def _pick_queue(tx: Tx, contact: InboundContact, language: str) -> Queue:
    if contact.queue:
        q = tx.session.execute(select(Queue).where(Queue.name == contact.queue)).scalar()
        if q is not None:
            return q
    queues = tx.session.execute(select(Queue).order_by(Queue.id)).scalars().all()
    if not queues:
        raise not_found("any queue")
    lang_skill = f"lang:{language}"
    for q in queues:
        if lang_skill in (q.required_skills or []) and len(q.required_skills or []) == 1:
            return q
    return queues[0]


def inbound_contact(tx: Tx, contact: InboundContact) -> Interaction:
    contact = email_in.prepare(contact)  # raw MIME (when not parsed before) into the fields
    cust, match, candidates = match_customer(tx, contact.identity_kind, contact.identity,
                                             contact.customer_name, contact.language)
    queue = _pick_queue(tx, contact, cust.language)
    body = contact.body or ""
    inter = Interaction(
        channel=contact.channel, customer_id=cust.id, queue_id=queue.id,
        subject=contact.subject[:500], preview=(body or contact.subject)[:200],
        priority=contact.priority, state=S.QUEUED, created_at=tx.now, queued_at=tx.now,
        ivr_data=dict(contact.ivr_data), external_ref=contact.external_ref,
        first_response_due_at=tx.now, resolution_due_at=tx.now, declined_by=[],
        version=0,  # the "created" event makes it 1
    )
    inter.customer = cust
    inter.customer_match, inter.match_candidates = str(match), candidates
    tx.session.add(inter)
    tx.session.flush()
    apply_sla(tx, inter)
    email = contact.channel == Channel.EMAIL
    if contact.channel in (Channel.EMAIL, Channel.CHAT) and (
            body or (email and (contact.html or contact.attachments))):
        email_in.add_content(tx, Message(
            interaction_id=inter.id, direction=Direction.INBOUND, author=cust.name, body=body,
            at=tx.now, subject=contact.subject[:500] or None,
            from_addr=contact.identity[:320] if contact.identity_kind == "email" else None,
            to_addrs=list(contact.to), cc_addrs=list(contact.cc),
            message_id=contact.external_ref if email else None),
            contact.html if email else None, contact.attachments if email else ())
    tx.session.add(Transition(interaction_id=inter.id, from_state=None, to_state=S.QUEUED,
                              reason=f"inbound {contact.channel}", at=tx.now))
    tx.interaction_changed(inter, "created")
    return inter


def customer_message(tx: Tx, interaction_id: int, body: str, html: str | None = None,
                     attachments: list[InboundAttachment] | None = None) -> Message:
    """A customer's message; on an email thread it may carry HTML and files (elsewhere
    they are ignored)."""
    inter = tx.session.get(Interaction, interaction_id)
    if inter is None:
        raise not_found(f"interaction {interaction_id}")
    prev = tx.session.execute(
        select(Message).where(Message.interaction_id == inter.id,
                              Message.message_id.is_not(None))
        .order_by(Message.at.desc(), Message.id.desc()).limit(1)).scalar_one_or_none()
    msg = Message(interaction_id=inter.id, direction=Direction.INBOUND,
                  author=inter.customer.name, body=body, at=tx.now)
    if inter.channel == Channel.EMAIL:
        msg.message_id = f"<{uuid.uuid4()}@customer.example>"
        msg.subject = f"Re: {inter.subject}" if inter.subject else None
        if prev is not None:
            msg.in_reply_to = prev.message_id
            msg.references = [*(prev.references or []), prev.message_id]
    email = inter.channel == Channel.EMAIL
    files = email_in.add_content(tx, msg, html if email else None,
                                 (attachments or []) if email else [])
    before = Before.of(inter)
    inter.preview = msg.body[:200]
    agents = {a for a in (inter.assigned_agent_id, inter.offered_agent_id) if a}
    tx.emit(MessageAdded(message=message_view(msg, files)), agents=agents)
    if inter.state in FINAL_STATES and inter.channel == Channel.EMAIL:
        # a reply to a closed email thread reopens it in its queue
        inter.assigned_agent_id = None
        inter.queued_at = tx.now
        inter.closed_at = None
        move(tx, inter, S.QUEUED, "reopened", actor=None, before=before,
             reason="customer replied")
    else:
        tx.interaction_changed(inter, "customer_replied", before)
    return msg


def customer_left(tx: Tx, interaction_id: int, reason: str) -> None:
    inter = tx.session.get(Interaction, interaction_id)
    if inter is None:
        raise not_found(f"interaction {interaction_id}")
    if inter.state in (S.QUEUED, S.OFFERED):
        before = Before.of(inter)
        inter.offered_agent_id = None
        inter.offer_expires_at = None
        inter.closed_at = tx.now
        move(tx, inter, S.ABANDONED, "abandoned", actor=None, before=before, reason=reason)
    elif inter.state in (S.ASSIGNED, S.ON_HOLD):
        if inter.channel == Channel.PHONE:
            if inter.hold_started_at is not None:
                inter.hold_total_s = (inter.hold_total_s or 0.0) + tx.now - inter.hold_started_at
                inter.hold_started_at = None
            inter.wrap_up_at = tx.now
            move(tx, inter, S.WRAP_UP, "wrap_up", actor=None, reason=reason)
        else:
            note = Message(interaction_id=inter.id, direction=Direction.SYSTEM,
                           author="system", body=reason, at=tx.now)
            tx.session.add(note)
            tx.session.flush()
            tx.emit(MessageAdded(message=message_view(note)),
                    agents={a for a in (inter.assigned_agent_id,) if a})
            tx.interaction_changed(inter, "customer_left", Before.of(inter))


def customer_identities(tx: Tx, limit: int) -> list[dict[str, str]]:
    custs = tx.session.execute(select(Customer).order_by(func.random()).limit(limit)
                               ).scalars().all()
    out = []
    for c in custs:
        d = {"name": c.name, "language": c.language, "tier": c.tier}
        for ident in c.identities:
            d.setdefault(ident.kind, ident.value)
        out.append(d)
    return out
