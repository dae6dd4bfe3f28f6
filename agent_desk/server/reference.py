"""Reference data every installation needs: the default SLA policies, wrap-up (disposition)
codes, away reasons and, on an empty database, one queue; once there are leads, the
"Follow-ups" queue for the tasks a low satisfaction score opens. Idempotent: run on every
start; it inserts only what is missing and never changes rows an administrator may have
edited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..protocol.enums import SUPERVISOR_ROLES
from . import sla
from .models import Agent, CodeLabelRow, Queue, SlaPolicy

#: Wrap-up (disposition) codes in display order, with their default English labels.
WRAP_UP_CODES: tuple[tuple[str, str], ...] = (
    ("resolved", "Resolved"),
    ("refund_issued", "Refund issued"),
    ("replacement_sent", "Replacement sent"),
    ("info_provided", "Information provided"),
    ("escalated", "Escalated"),
    ("callback_scheduled", "Callback scheduled"),
    ("no_response", "No response from customer"),
    ("duplicate", "Duplicate"),
    ("spam", "Spam"),
    ("complaint_logged", "Complaint logged"),
)

#: Away reasons in display order. ``missed_offer`` is set by the server when an agent lets
#: an offer time out.
AWAY_REASONS: tuple[tuple[str, str], ...] = (
    ("break", "Break"),
    ("lunch", "Lunch"),
    ("training", "Training"),
    ("meeting", "Meeting"),
    ("missed_offer", "Missed an offer"),
)

DEFAULT_QUEUE = "General"
#: Where a low CSAT (1-2) opens a follow-up task; its members are the leads and admins.
FOLLOW_UP_QUEUE = "Follow-ups"
ALL_CHANNELS = ["phone", "email", "chat"]


def ensure_reference_data(session: Session) -> None:
    """Insert whatever reference rows are missing (safe to call on every server start)."""
    _ensure_sla_policies(session)
    _ensure_codes(session, "wrap_up", WRAP_UP_CODES)
    _ensure_codes(session, "away", AWAY_REASONS)
    if not session.execute(select(func.count()).select_from(Queue)).scalar_one():
        session.add(Queue(name=DEFAULT_QUEUE, required_skills=[], channels=list(ALL_CHANNELS)))
    session.flush()
    ensure_follow_up_queue(session, only_with_leads=True)


def ensure_follow_up_queue(session: Session, *, only_with_leads: bool = False) -> Queue | None:
    """The follow-up queue, created if missing with every active lead and admin as member
    (an existing one is left as an administrator set it up). ``only_with_leads``: create
    it only when there is a lead or admin to work it (else return None)."""
    queue = session.execute(select(Queue).where(Queue.name == FOLLOW_UP_QUEUE)).scalar()
    if queue is not None:
        return queue
    leads = session.execute(select(Agent).where(
        Agent.active.is_(True), Agent.role.in_([str(r) for r in SUPERVISOR_ROLES]))
        .order_by(Agent.id)).scalars().all()
    if only_with_leads and not leads:
        return None
    queue = Queue(name=FOLLOW_UP_QUEUE, required_skills=[], channels=list(ALL_CHANNELS))
    queue.members = list(leads)
    session.add(queue)
    session.flush()
    return queue


def _ensure_sla_policies(session: Session) -> None:
    have = {(c, p, t) for c, p, t in session.execute(
        select(SlaPolicy.channel, SlaPolicy.priority, SlaPolicy.tier)).all()}
    for channel, priority, tier, targets in sla.default_policies():
        if (str(channel), str(priority), str(tier)) in have:
            continue
        session.add(SlaPolicy(channel=str(channel), priority=str(priority), tier=str(tier),
                              first_response_s=targets.first_response_s,
                              resolution_s=targets.resolution_s))


def _ensure_codes(session: Session, kind: str, codes: tuple[tuple[str, str], ...]) -> None:
    have = set(session.execute(
        select(CodeLabelRow.code).where(CodeLabelRow.kind == kind)).scalars())
    for position, (code, label) in enumerate(codes):
        if code not in have:
            session.add(CodeLabelRow(kind=kind, code=code, label=label, position=position))
