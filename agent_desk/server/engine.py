"""The engine: everything the server does inside a store transaction. Each public method
is synchronous and takes a ``Session`` (it runs on the store thread via ``Store.run``).

Commands are idempotent by key: the effect, its events and the key's record are written in
one transaction; a repeated key returns the recorded result without applying again."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ..protocol import messages as m
from ..protocol import views as pv
from ..protocol.codes import ErrorCode
from ..protocol.enums import SETTABLE_STATES, WAITING_STATES
from ..protocol.kb import KB_QUERIES
from . import (
    attachments,
    calls,
    contacts,
    handlers,
    kb_sync,
    lifecycle,
    routing,
    surveys,
    timers,
)
from .agents import refresh_touched
from .clock import Clock, iso, to_dt
from .connectors import InboundAttachment, InboundContact
from .errors import CommandError, not_found
from .kb_counter import KbAnnouncer
from .models import (
    Agent,
    Attachment,
    AuditEntry,
    AuthToken,
    CodeLabelRow,
    CommandRecord,
    Customer,
    CustomerIdentity,
    EventRow,
    Interaction,
    Message,
    Note,
    Order,
    Queue,
    SlaPolicy,
    Survey,
    Transition,
)
from .tx import PublishedEvent, Tx
from .views import (
    agent_load,
    agent_view,
    interaction_view,
    message_view,
    note_view,
    queue_view,
    survey_view,
    transition_view,
)

log = logging.getLogger("agent_desk.server")
_enc = msgspec.json.Encoder()
PRIVILEGED = (m.Reassign, m.SetPriority)
#: Past interactions listed in a customer 360 (newest first; the total is given too).
MAX_TIMELINE = 200
#: Idempotency keys are answered from the record for at least 7 days (docs/protocol.md §6).
KEY_RETENTION_S = 8 * 24 * 3600


@dataclass
class Outcome:
    """What a transaction produced: the ack payload and the after-commit work."""

    ok: bool
    result: Any = None
    error: m.ErrorBody | None = None
    duplicate: bool = False
    tx: Tx | None = None

    @property
    def events(self) -> list[PublishedEvent]:
        return self.tx.events if self.tx else []


@dataclass
class Viewer:
    agent_id: int
    role: str
    queue_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def supervisor(self) -> bool:
        return self.role in ("lead", "admin")

    def sees(self, agents: frozenset[int], queues: frozenset[int], everyone: bool = False
             ) -> bool:
        return (everyone or self.supervisor or self.agent_id in agents
                or not self.queue_ids.isdisjoint(queues))


def body_hash(cmd: m.Command) -> str:
    return hashlib.sha256(_enc.encode(msgspec.structs.replace(cmd, id=None))).hexdigest()


class Engine:
    def __init__(self, clock: Clock, settings: lifecycle.Settings | None = None) -> None:
        self.clock = clock
        self.settings = settings or lifecycle.Settings()
        self._agent_views: dict[int, pv.AgentView] = {}  # last emitted, per agent
        self.kb = KbAnnouncer()  # the ``kb`` event: once per transaction that changed the KB

    def tx(self, session: Session) -> Tx:
        return Tx(session, self.clock.now(), agent_views=self._agent_views)

    def _settle(self, tx: Tx) -> None:
        """After any change: agents' states follow, and waiting work is routed."""
        refresh_touched(tx)
        if routing.route(tx, self.settings.offer_timeout_s, self.settings.max_pending_offers):
            refresh_touched(tx)
        self.kb.announce(tx)

    # ---- commands -------------------------------------------------------------------------

    def execute(self, session: Session, agent_id: int, cmd: m.Command) -> Outcome:
        digest = body_hash(cmd)
        rec = session.get(CommandRecord, cmd.key)
        if rec is not None:
            if rec.agent_id != agent_id or rec.body_hash != digest:
                return Outcome(False, error=m.ErrorBody(
                    code=ErrorCode.IDEMPOTENCY_CONFLICT,
                    message="this key was already used for a different command"))
            return Outcome(True, result=msgspec.json.decode(rec.result), duplicate=True)
        actor = session.get(Agent, agent_id)
        if actor is None or not actor.active:
            return Outcome(False, error=m.ErrorBody(code=ErrorCode.FORBIDDEN,
                                                    message="account disabled"))
        tx = self.tx(session)
        handler = handlers.HANDLERS[type(cmd)]
        result = handler(tx, actor, cmd, self.settings)  # CommandError propagates: rollback
        tx.touched_agents.add(actor.id)
        self._settle(tx)
        cmd_type = type(cmd).__struct_config__.tag
        session.add(CommandRecord(key=cmd.key, agent_id=agent_id, type=str(cmd_type),
                                  body_hash=digest, result=_enc.encode(result).decode(),
                                  at=tx.now))
        if isinstance(cmd, PRIVILEGED):
            session.add(AuditEntry(at=tx.now, agent_id=agent_id, action=str(cmd_type),
                                   target=f"interaction:{cmd.interaction_id}", key=cmd.key,
                                   result="ok"))
        return Outcome(True, result=result, tx=tx)

    def audit_refusal(self, session: Session, agent_id: int | None, action: str,
                      target: str | None, key: str | None, code: str, detail: str) -> None:
        session.add(AuditEntry(at=self.clock.now(), agent_id=agent_id, action=action,
                               target=target, key=key, result=code, detail=detail[:500]))

    # ---- queries --------------------------------------------------------------------------

    def query(self, session: Session, agent_id: int, q: m.Query) -> Any:
        if isinstance(q, m.GetInteraction):
            return self.interaction_detail(session, q.interaction_id)
        if isinstance(q, m.GetCustomer):
            return self.customer_360(session, q.customer_id)
        if isinstance(q, m.SearchCustomers):
            return {"customers": self.search_customers(session, q.query, q.limit)}
        if isinstance(q, m.GetAttachment):
            return attachments.read_chunk(session, q.attachment_id, q.offset, q.length)
        if isinstance(q, m.GetTransferTargets):
            return calls.transfer_targets(session, agent_id, q.channel)
        if isinstance(q, KB_QUERIES):
            return kb_sync.query(session, agent_id, q, self.clock.now())
        raise CommandError(ErrorCode.UNKNOWN_TYPE, f"no such query {type(q).__name__}")

    def interaction_detail(self, session: Session, interaction_id: int) -> pv.InteractionDetail:
        inter = session.get(Interaction, interaction_id)
        if inter is None:
            raise not_found(f"interaction {interaction_id}")
        msgs = session.execute(select(Message).where(Message.interaction_id == inter.id)
                               .order_by(Message.at, Message.id)).scalars().all()
        notes = session.execute(select(Note, Agent.name).join(Agent, Agent.id == Note.agent_id)
                                .where(Note.interaction_id == inter.id)
                                .order_by(Note.at, Note.id)).all()
        trans = session.execute(select(Transition).where(Transition.interaction_id == inter.id)
                                .order_by(Transition.at, Transition.id)).scalars().all()
        files: dict[int, list[Attachment]] = {}
        for a in session.execute(select(Attachment).where(
                Attachment.interaction_id == inter.id, Attachment.message_id.is_not(None))
                .order_by(Attachment.id)).scalars():
            files.setdefault(a.message_id or 0, []).append(a)
        survey = session.execute(select(Survey).where(Survey.interaction_id == inter.id)
                                 ).scalar_one_or_none()
        return pv.InteractionDetail(
            interaction=interaction_view(inter),
            messages=[message_view(x, files.get(x.id)) for x in msgs],
            notes=[note_view(n, name) for n, name in notes],
            transitions=[transition_view(t) for t in trans],
            wrap_up_notes=inter.wrap_up_notes,
            resolved_first_contact=inter.resolved_first_contact,
            kb_article_ids=list(inter.kb_article_ids or []),
            survey=survey_view(survey) if survey is not None else None)

    def customer_360(self, session: Session, customer_id: int) -> pv.Customer360:
        c = session.get(Customer, customer_id)
        if c is None:
            raise not_found(f"customer {customer_id}")
        orders = session.execute(select(Order).where(Order.customer_id == c.id)
                                 .order_by(Order.placed_at.desc())).scalars().all()
        past = session.execute(
            select(Interaction, Agent.name, Survey.csat, Survey.nps, Survey.ces)
            .outerjoin(Agent, Agent.id == Interaction.assigned_agent_id)
            .outerjoin(Survey, Survey.interaction_id == Interaction.id)
            .where(Interaction.customer_id == c.id)
            .order_by(Interaction.created_at.desc(), Interaction.id.desc())
            .limit(MAX_TIMELINE)).all()
        total = len(past) if len(past) < MAX_TIMELINE else int(session.execute(
            select(func.count()).select_from(Interaction)
            .where(Interaction.customer_id == c.id)).scalar() or 0)
        answered = session.execute(
            select(Survey).where(Survey.customer_id == c.id, Survey.answered_at.is_not(None))
            .order_by(Survey.answered_at.desc(), Survey.id.desc()).limit(10)).scalars().all()
        return pv.Customer360(
            id=c.id, name=c.name, tier=c.tier, language=c.language,  # type: ignore[arg-type]
            notes=c.notes,
            identities=[pv.IdentityView(kind=i.kind, value=i.value) for i in c.identities],
            orders=[pv.OrderView(number=o.number, placed_at=to_dt(o.placed_at), status=o.status,
                                 total=o.total, currency=o.currency, items=o.items)
                    for o in orders],
            interactions=[pv.PastInteraction(
                id=i.id, channel=i.channel, state=i.state,  # type: ignore[arg-type]
                subject=i.subject, created_at=to_dt(i.created_at),
                closed_at=to_dt(i.closed_at) if i.closed_at else None, agent_name=name,
                disposition=i.disposition, kind=i.kind or "contact",  # type: ignore[arg-type]
                resolved_first_contact=i.resolved_first_contact,
                csat=csat if csat is not None else i.csat, nps=nps, ces=ces)
                for i, name, csat, nps, ces in past],
            interactions_total=total,
            surveys=[survey_view(x) for x in answered])

    def search_customers(self, session: Session, text: str, limit: int
                         ) -> list[pv.CustomerBrief]:
        like = f"%{text.strip().lower()}%"
        ids = select(CustomerIdentity.customer_id).where(
            func.lower(CustomerIdentity.value).like(like))
        rows = session.execute(select(Customer).where(
            or_(func.lower(Customer.name).like(like), Customer.id.in_(ids)))
            .order_by(Customer.name).limit(limit)).scalars().all()
        return [pv.CustomerBrief(id=c.id, name=c.name, tier=c.tier,  # type: ignore[arg-type]
                                 language=c.language) for c in rows]

    # ---- connection start: snapshot or replay ---------------------------------------------

    def viewer(self, session: Session, agent_id: int) -> Viewer:
        a = session.get(Agent, agent_id)
        if a is None:
            raise not_found(f"agent {agent_id}")
        return Viewer(a.id, a.role, frozenset(q.id for q in a.queues))

    def last_seq(self, session: Session) -> int:
        return int(session.execute(select(func.max(EventRow.seq))).scalar() or 0)

    def first_seq(self, session: Session) -> int | None:
        s = session.execute(select(func.min(EventRow.seq))).scalar()
        return int(s) if s is not None else None

    def snapshot(self, session: Session, agent_id: int) -> m.Snapshot:
        viewer = self.viewer(session, agent_id)
        me = session.get(Agent, agent_id)
        assert me is not None
        open_states = [str(s) for s in set(WAITING_STATES) | {"assigned", "on_hold", "wrap_up"}]
        stmt = select(Interaction).where(Interaction.state.in_(open_states))
        if not viewer.supervisor:
            stmt = stmt.where(or_(
                Interaction.assigned_agent_id == agent_id,
                Interaction.offered_agent_id == agent_id,
                Interaction.consult_agent_id == agent_id,
                Interaction.state.in_([str(s) for s in WAITING_STATES])
                & Interaction.queue_id.in_(viewer.queue_ids)))
        inters = session.execute(stmt.order_by(Interaction.id)).scalars().all()
        agents = session.execute(select(Agent).where(Agent.active.is_(True))
                                 .order_by(Agent.name)).scalars().all()
        codes = session.execute(select(CodeLabelRow).order_by(CodeLabelRow.position,
                                                              CodeLabelRow.id)).scalars().all()
        pols = session.execute(select(SlaPolicy)).scalars().all()
        return m.Snapshot(
            seq=self.last_seq(session),
            agent=agent_view(me, agent_load(session, me.id)),
            agents=[agent_view(a, agent_load(session, a.id) if viewer.supervisor else None)
                    for a in agents],
            queues=[queue_view(q) for q in session.execute(
                select(Queue).order_by(Queue.name)).scalars()],
            interactions=[interaction_view(i) for i in inters],
            settable_states=list(SETTABLE_STATES),
            away_reasons=[pv.CodeLabel(code=c.code, label=c.label) for c in codes
                          if c.kind == "away"],
            wrap_up_codes=[pv.CodeLabel(code=c.code, label=c.label) for c in codes
                           if c.kind == "wrap_up"],
            sla_policies=[pv.SlaPolicyView(channel=p.channel,  # type: ignore[arg-type]
                                           priority=p.priority,  # type: ignore[arg-type]
                                           tier=p.tier,  # type: ignore[arg-type]
                                           first_response_s=p.first_response_s,
                                           resolution_s=p.resolution_s) for p in pols],
            server_time=to_dt(self.clock.now()),
            wrap_up_limit_s=int(self.settings.wrap_up_limit_s),
            company_name=self.settings.company_name,
            kb_link=self.settings.kb_link,
        )

    def replay(self, session: Session, agent_id: int, resume_from: int
               ) -> tuple[list[PublishedEvent], int] | None:
        """Events after ``resume_from`` this agent may see, and the last seq; None when the
        cursor is older than what is kept (or newer than anything: another server)."""
        last = self.last_seq(session)
        first = self.first_seq(session)
        if resume_from > last or (first is not None and resume_from < first - 1):
            return None
        viewer = self.viewer(session, agent_id)
        rows = session.execute(select(EventRow).where(EventRow.seq > resume_from)
                               .order_by(EventRow.seq)).scalars().all()
        out = []
        for r in rows:
            ev = PublishedEvent(r.seq, iso(r.at), r.kind, r.data.encode(),
                                frozenset(r.audience_agents or []),
                                frozenset(r.audience_queues or []), bool(r.broadcast))
            if viewer.sees(ev.agents, ev.queues, ev.everyone):
                out.append(ev)
        return out, last

    def prune_events(self, session: Session, keep_s: float, keep_min: int = 1000) -> int:
        """Forget events older than ``keep_s`` (always keeping the newest ``keep_min``),
        idempotency records older than 8 days and expired tokens."""
        last = self.last_seq(session)
        now = self.clock.now()
        # the newest event is always kept: ``seq`` (and snapshots' ``seq``) come from it,
        # so an empty table would restart the sequence and reuse seqs clients hold
        res = session.execute(delete(EventRow).where(
            EventRow.at < now - keep_s, EventRow.seq <= last - max(keep_min, 1)))
        session.execute(delete(CommandRecord).where(CommandRecord.at < now - KEY_RETENTION_S))
        session.execute(delete(AuthToken).where(AuthToken.expires_at < now - 3600))
        return int(getattr(res, "rowcount", 0) or 0)

    # ---- time and connectors --------------------------------------------------------------

    def tick(self, session: Session) -> Tx:
        tx = self.tx(session)
        timers.expire_offers(tx)
        timers.check_sla(tx)
        timers.expire_wrap_up(tx, self.settings.wrap_up_limit_s)
        self.kb.poll(tx)  # KB changes another process committed (an import, another server)
        self._settle(tx)
        return tx

    def agent_gone(self, session: Session, agent_id: int) -> Tx:
        """The agent's last connection closed long enough ago: sign them off."""
        tx = self.tx(session)
        agent = session.get(Agent, agent_id)
        if agent is not None and agent.presence != "offline":
            lifecycle.set_presence(tx, agent, "offline", None, actor_id=None)
            self._settle(tx)
        return tx

    def inbound(self, session: Session, contact: InboundContact) -> tuple[int, Tx]:
        """Record a new contact (queued). Routing it is left to the next transaction
        (``settle``), so the ``created`` event is committed and fanned out without waiting
        for the routing pass."""
        tx = self.tx(session)
        inter = contacts.inbound_contact(tx, contact)
        refresh_touched(tx)
        return inter.id, tx

    def settle(self, session: Session) -> Tx:
        """A routing pass on its own (after ``inbound``)."""
        tx = self.tx(session)
        self._settle(tx)
        return tx

    def customer_message(self, session: Session, interaction_id: int, body: str,
                         html: str | None = None,
                         attachments: list[InboundAttachment] | None = None) -> Tx:
        tx = self.tx(session)
        contacts.customer_message(tx, interaction_id, body, html, attachments)
        self._settle(tx)
        return tx

    def customer_left(self, session: Session, interaction_id: int, reason: str) -> Tx:
        tx = self.tx(session)
        contacts.customer_left(tx, interaction_id, reason)
        self._settle(tx)
        return tx

    def customer_identities(self, session: Session, limit: int) -> list[dict[str, str]]:
        return contacts.customer_identities(self.tx(session), limit)

    def survey_answer(self, session: Session, interaction_id: int, csat: int | None,
                      nps: int | None, ces: int | None, comment: str) -> Tx:
        """The customer's survey answer (ignored, with a log line, when invalid or late)."""
        tx = self.tx(session)
        surveys.record_answer(tx, interaction_id, csat, nps, ces, comment)
        self._settle(tx)
        return tx

