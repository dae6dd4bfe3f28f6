"""Reference data (SLA policies, wrap-up codes, away reasons) and the demo data set, on a
real SQLite file."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, Engine, create_engine, delete, func, select
from sqlalchemy.orm import Session

from agent_desk.server import sla
from agent_desk.server.demo import DEMO_USERS, QUEUES, seed_demo
from agent_desk.server.models import (
    Agent,
    Base,
    CodeLabelRow,
    Customer,
    CustomerIdentity,
    Interaction,
    Message,
    Note,
    Order,
    Queue,
    SlaPolicy,
    Transition,
)
from agent_desk.server.passwords import verify_password
from agent_desk.server.reference import AWAY_REASONS, WRAP_UP_CODES, ensure_reference_data

NOW = 1_760_000_000.0  # 2025-10-09T08:53:20Z
CJK = re.compile(r"[\u4e00-\u9fff]")
TABLES = (SlaPolicy, CodeLabelRow, Queue, Agent, Customer, CustomerIdentity, Order,
          Interaction, Message, Note, Transition)


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return engine


def _count(s: Session, model: type[Base]) -> int:
    return s.execute(select(func.count()).select_from(model)).scalar_one()


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {m.__name__: _count(s, m) for m in TABLES}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _engine(tmp_path_factory.mktemp("demo") / "t.db")
    with Session(engine) as s, s.begin():
        seed_demo(s, NOW)
    yield engine
    engine.dispose()


@pytest.fixture
def session(seeded: Engine) -> Iterator[Session]:
    with Session(seeded) as s:
        yield s


# ---- reference data ---------------------------------------------------------------------

def test_reference_data_is_complete_and_idempotent(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "t.db")
    for _ in range(2):
        with Session(engine) as s, s.begin():
            ensure_reference_data(s)
    with Session(engine) as s:
        assert _count(s, SlaPolicy) == 36
        pols = {(p.channel, p.priority, p.tier): (p.first_response_s, p.resolution_s)
                for p in s.execute(select(SlaPolicy)).scalars()}
        want = {(str(c), str(p), str(t)): (x.first_response_s, x.resolution_s)
                for c, p, t, x in sla.default_policies()}
        assert pols == want
        rows = s.execute(select(CodeLabelRow).order_by(CodeLabelRow.position)).scalars().all()
        wrap = [(r.code, r.label) for r in rows if r.kind == "wrap_up"]
        away = [(r.code, r.label) for r in rows if r.kind == "away"]
        assert wrap == list(WRAP_UP_CODES)
        assert {"resolved", "refund_issued", "escalated", "complaint_logged"} <= dict(wrap).keys()
        assert away == list(AWAY_REASONS)
        assert {"break", "lunch", "training", "meeting"} <= dict(away).keys()
        assert dict(away)["missed_offer"] == "Missed an offer"
        assert len(rows) == len(WRAP_UP_CODES) + len(AWAY_REASONS)
        queues = s.execute(select(Queue)).scalars().all()
        assert [(q.name, q.required_skills, sorted(q.channels)) for q in queues] == [
            ("General", [], ["chat", "email", "phone"])]
    engine.dispose()


def test_reference_data_fills_gaps_and_keeps_edits(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "t.db")
    with Session(engine) as s, s.begin():
        s.add(Queue(name="Sales", required_skills=["sales"], channels=["phone"]))
        s.add(SlaPolicy(channel="phone", priority="normal", tier="vip",
                        first_response_s=10, resolution_s=999))
        s.add(CodeLabelRow(kind="away", code="lunch", label="Mittagspause", position=7))
    with Session(engine) as s, s.begin():
        ensure_reference_data(s)
    with Session(engine) as s, s.begin():
        assert _count(s, SlaPolicy) == 36
        edited = s.execute(select(SlaPolicy).where(
            SlaPolicy.channel == "phone", SlaPolicy.priority == "normal",
            SlaPolicy.tier == "vip")).scalar_one()
        assert (edited.first_response_s, edited.resolution_s) == (10, 999)
        lunch = s.execute(select(CodeLabelRow).where(CodeLabelRow.code == "lunch")).scalar_one()
        assert lunch.label == "Mittagspause"
        assert _count(s, CodeLabelRow) == len(WRAP_UP_CODES) + len(AWAY_REASONS)
        assert [q.name for q in s.execute(select(Queue)).scalars()] == ["Sales"]
        s.execute(delete(CodeLabelRow).where(CodeLabelRow.code == "meeting"))
    with Session(engine) as s, s.begin():
        ensure_reference_data(s)
        assert s.execute(select(CodeLabelRow.code).where(
            CodeLabelRow.kind == "away", CodeLabelRow.code == "meeting")).scalar_one()
    engine.dispose()


# ---- demo data: users, queues, customers, orders -------------------------------------------

def test_seed_is_fast_idempotent_and_returns_the_users(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "t.db")
    started = time.perf_counter()
    with Session(engine) as s, s.begin():
        users = seed_demo(s, NOW)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"seeding took {elapsed:.2f} s"
    assert users == DEMO_USERS
    first = _counts(engine)
    with Session(engine) as s, s.begin():
        again = seed_demo(s, NOW + 3600)
    assert again == DEMO_USERS
    assert _counts(engine) == first
    engine.dispose()


def test_seed_is_deterministic(tmp_path: Path, session: Session) -> None:
    engine = _engine(tmp_path / "other.db")
    with Session(engine) as s, s.begin():
        seed_demo(s, NOW)

    def fingerprint(s: Session) -> list[object]:
        return [
            s.execute(select(Customer.name, Customer.tier).order_by(Customer.id)).all(),
            s.execute(select(CustomerIdentity.value).order_by(CustomerIdentity.id)).all(),
            s.execute(select(Order.number, Order.total).order_by(Order.id)).all(),
            s.execute(select(Interaction.subject, Interaction.created_at)
                      .order_by(Interaction.id)).all(),
            s.execute(select(Message.body, Message.message_id).order_by(Message.id)).all(),
        ]

    with Session(engine) as other:
        assert fingerprint(other) == fingerprint(session)
    engine.dispose()


def test_demo_users_and_queues(session: Session) -> None:
    agents = {a.username: a for a in session.execute(select(Agent)).scalars()}
    assert len(agents) >= 10
    assert {u.username for u in DEMO_USERS} == set(agents)
    roles = Counter(a.role for a in agents.values())
    assert roles["lead"] >= 1 and roles["trainer"] >= 1 and roles["admin"] >= 1
    assert roles["agent"] >= 8
    for u in DEMO_USERS:
        a = agents[u.username]
        assert verify_password(u.password, a.password_hash), u.username
        assert not verify_password(u.password + "x", a.password_hash)
        assert u.password == f"{u.username}123"
        assert (a.name, a.role, a.skills) == (u.name, u.role, list(u.skills))
        assert sorted(q.name for q in a.queues) == sorted(u.queues)
        assert (a.presence, a.state, a.state_since, a.idle_since) == ("offline", "offline",
                                                                      NOW, NOW)
        assert a.capacity == {"phone": 1, "chat": 3, "email": 5}
        if a.role == "agent":
            assert a.name in a.signature
            # a member only of queues whose required skills it has
            for q in a.queues:
                assert set(q.required_skills) <= set(a.skills), (a.username, q.name)
    queues = {q.name: q for q in session.execute(select(Queue)).scalars()}
    follow_ups = queues.pop("Follow-ups")  # the leads' tasks from low satisfaction scores
    assert sorted(a.username for a in follow_ups.members) == ["admin", "lead"]
    assert {n: q.required_skills for n, q in queues.items()} == {
        "General": ["lang:en"], "Billing": ["lang:en", "billing"],
        "Technical": ["lang:en", "technical"], "Chinese": ["lang:zh"], "VIP": ["vip"]}
    assert {n: sorted(q.channels) for n, q in queues.items()} == {
        dq.name: ["chat", "email", "phone"] for dq in QUEUES}
    alex = agents["agent"]
    assert alex.role == "agent" and alex.name == "Alex Morgan"
    assert {q.name for q in alex.queues} == set(queues)
    assert set(alex.skills) == {"lang:en", "lang:zh", "billing", "technical", "vip"}
    assert {q.name for q in agents["lead"].queues} == set(queues) | {"Follow-ups"}
    specialists = [a for a in agents.values() if a.role == "agent" and a.username != "agent"]
    assert any("lang:zh" in a.skills for a in specialists)
    assert any("billing" in a.skills for a in specialists)
    assert any("technical" in a.skills for a in specialists)
    assert any("vip" in a.skills for a in specialists)


def test_customers_and_identities(session: Session) -> None:
    customers = session.execute(select(Customer)).scalars().all()
    assert 45 <= len(customers) <= 55
    langs = Counter(c.language for c in customers)
    assert set(langs) == {"en", "zh"}
    assert 0.25 <= langs["zh"] / len(customers) <= 0.45
    tiers = Counter(c.tier for c in customers)
    assert tiers["standard"] > tiers["gold"] > tiers["vip"] >= 2
    assert any(c.notes for c in customers)
    for c in customers:
        assert c.created_at < NOW - 180 * 86400
        if c.language == "zh":
            assert CJK.search(c.name), c.name
        kinds = Counter(i.kind for i in c.identities)
        assert kinds["phone"] == 1 and kinds["email"] == 1 and kinds["chat"] <= 1
        for ident in c.identities:
            pattern = {"phone": r"\+[1-9]\d{7,14}", "email": r"[a-z0-9._]+@[a-z.]+\.[a-z]+",
                       "chat": r"chat:visitor-[0-9a-f]{4}"}[ident.kind]
            assert re.fullmatch(pattern, ident.value), ident.value
        phone = next(i.value for i in c.identities if i.kind == "phone")
        assert phone.startswith("+86" if c.language == "zh" else "+1")
    with_chat = sum(any(i.kind == "chat" for i in c.identities) for c in customers)
    assert with_chat > len(customers) / 2
    values = session.execute(select(CustomerIdentity.kind, CustomerIdentity.value)).all()
    assert len(values) == len(set(values))


def test_orders(session: Session) -> None:
    orders = session.execute(select(Order)).scalars().all()
    langs = dict(session.execute(select(Customer.id, Customer.language)).all())
    assert len(orders) >= 40
    assert len({o.number for o in orders}) == len(orders)
    per_customer = Counter(o.customer_id for o in orders)
    assert max(per_customer.values()) <= 4
    assert len(per_customer) < len(langs)  # some customers never ordered
    assert {"delivered", "shipped"} <= {o.status for o in orders}
    assert {o.status for o in orders} <= {"delivered", "shipped", "processing", "returned",
                                          "refunded"}
    for o in orders:
        assert re.fullmatch(r"ORD-\d{6}", o.number)
        assert re.fullmatch(r"\d+\.\d\d", o.total) and Decimal(o.total) > 0
        assert o.currency == ("CNY" if langs[o.customer_id] == "zh" else "USD")
        assert NOW - 180 * 86400 <= o.placed_at < NOW
        assert o.items


# ---- demo data: history ------------------------------------------------------------------

CONTACTS = select(Interaction).where(Interaction.kind == "contact")  # not follow-up tasks


def test_history_covers_channels_languages_and_states(session: Session) -> None:
    inters = session.execute(CONTACTS).scalars().all()
    per_customer = Counter(i.customer_id for i in inters)
    assert _count(session, Customer) == len(per_customer)
    assert min(per_customer.values()) >= 2 and max(per_customer.values()) <= 6
    assert {i.channel for i in inters} == {"phone", "email", "chat"}
    states = Counter(i.state for i in inters)
    assert set(states) == {"closed", "abandoned"}
    assert 0 < states["abandoned"] < states["closed"] / 5
    assert {i.priority for i in inters} <= {"low", "normal", "high", "urgent"}
    for i in inters:
        assert NOW - 90 * 86400 <= i.created_at and i.closed_at is not None
        assert i.closed_at < NOW
    zh_bodies = session.execute(
        select(Message.body).join(Interaction, Message.interaction_id == Interaction.id)
        .join(Customer, Interaction.customer_id == Customer.id)
        .where(Customer.language == "zh", Message.direction == "inbound")).scalars().all()
    assert zh_bodies and all(CJK.search(b) for b in zh_bodies)
    en_bodies = session.execute(
        select(Message.body).join(Interaction, Message.interaction_id == Interaction.id)
        .join(Customer, Interaction.customer_id == Customer.id)
        .where(Customer.language == "en")).scalars().all()
    assert en_bodies and not any(CJK.search(b) for b in en_bodies)


def test_history_timestamps_and_sla(session: Session) -> None:
    tiers = dict(session.execute(select(Customer.id, Customer.tier)).all())
    for i in session.execute(CONTACTS).scalars():
        t = sla.fallback_targets(i.channel, i.priority, tiers[i.customer_id])
        assert i.first_response_due_at == pytest.approx(i.created_at + t.first_response_s)
        assert i.resolution_due_at == pytest.approx(i.created_at + t.resolution_s)
        assert i.closed_at is not None
        if i.state == "abandoned":
            assert i.channel in ("phone", "chat")
            assert i.created_at < i.queued_at < i.closed_at
            assert i.answered_at is None and i.first_response_at is None
            assert i.assigned_agent_id is None and i.disposition is None
            responded = i.closed_at
        else:
            assert i.offered_at and i.answered_at and i.first_response_at and i.wrap_up_at
            assert (i.created_at < i.queued_at <= i.offered_at < i.answered_at
                    <= i.first_response_at < i.wrap_up_at < i.closed_at), i.id
            assert i.closed_at - i.wrap_up_at <= 120  # the server's wrap-up limit
            if i.channel == "phone":
                assert i.answered_at == i.first_response_at
            responded = i.first_response_at
        assert i.fr_breached == (responded >= i.first_response_due_at)
        assert i.fr_warned == (responded >= sla.warning_at(i.created_at,
                                                           i.first_response_due_at))
        assert i.res_breached == (i.closed_at >= i.resolution_due_at)
        assert not i.fr_breached or i.fr_warned
        assert not i.res_breached or i.res_warned
    breached = _count_where(session, Interaction.fr_breached.is_(True)
                            & (Interaction.kind == "contact"))
    assert 0 < breached < len(session.execute(CONTACTS).all()) / 3


def _count_where(s: Session, cond: ColumnElement[bool]) -> int:
    return s.execute(select(func.count()).select_from(Interaction).where(cond)).scalar_one()


def test_closed_history_has_full_trail_and_disposition(session: Session) -> None:
    codes = set(session.execute(select(CodeLabelRow.code).where(
        CodeLabelRow.kind == "wrap_up")).scalars())
    agents = {a.id: a for a in session.execute(select(Agent)).scalars()}
    queues = {q.id: q for q in session.execute(select(Queue)).scalars()}
    langs = dict(session.execute(select(Customer.id, Customer.language)).all())
    trail: dict[int, list[Transition]] = {}
    for tr in session.execute(select(Transition).order_by(Transition.at, Transition.id)).scalars():
        trail.setdefault(tr.interaction_id, []).append(tr)
    inters = session.execute(CONTACTS).scalars().all()
    assert set(trail) >= {i.id for i in inters}
    closed = [i for i in inters if i.state == "closed"]
    fcr = sum(bool(i.resolved_first_contact) for i in closed)
    assert fcr > 0.6 * len(closed)
    for i in inters:
        steps = trail[i.id]
        assert steps[0].from_state is None and steps[0].to_state == "queued"
        for prev, nxt in zip(steps, steps[1:], strict=False):
            assert nxt.from_state == prev.to_state, i.id
        assert steps[-1].to_state == i.state
        assert i.created_at <= steps[0].at and steps[-1].at == i.closed_at
        if i.state != "closed":
            continue
        assert i.disposition in codes
        assert i.resolved_first_contact is not None
        seq = [s.to_state for s in steps]
        holds = seq[3:-2]  # calls may be put on hold and taken back any number of times
        assert seq[:3] + seq[-2:] == ["queued", "offered", "assigned", "wrap_up", "closed"]
        assert holds == ["on_hold", "assigned"] * (len(holds) // 2)
        assert not holds or i.channel == "phone" and i.hold_total_s > 0
        assert steps[1].at == i.offered_at and steps[2].at == i.answered_at
        a = agents[i.assigned_agent_id or 0]
        assert a.role == "agent"
        assert all(s.agent_id == a.id for s in steps[1:])
        assert steps[2].actor_agent_id == a.id and steps[-1].actor_agent_id == a.id
        q = queues[i.queue_id]
        assert q in a.queues
        assert set(q.required_skills) | {f"lang:{langs[i.customer_id]}"} <= set(a.skills)
        if i.channel == "phone":
            assert i.ivr_data["language"] == langs[i.customer_id]
            assert i.ivr_data["menu"] in {"billing", "technical", "orders", "general"}
            assert all(isinstance(v, str) for v in i.ivr_data.values())


def test_messages_and_notes(session: Session) -> None:
    inters = {i.id: i for i in session.execute(CONTACTS).scalars()}
    msgs: dict[int, list[Message]] = {}
    for m in session.execute(select(Message).order_by(Message.at, Message.id)).scalars():
        msgs.setdefault(m.interaction_id, []).append(m)
    for i in inters.values():
        thread = msgs.get(i.id, [])
        if i.channel == "phone":
            assert not thread
            continue
        assert thread and thread[0].direction == "inbound" and thread[0].at == i.created_at
        if i.state == "abandoned":
            assert [m.direction for m in thread] == ["inbound"]
            continue
        outbound = [m for m in thread if m.direction == "outbound"]
        assert outbound[0].at == i.first_response_at
        assert all(m.agent_id == i.assigned_agent_id for m in outbound)
        assert i.wrap_up_at is not None and all(m.at < i.wrap_up_at for m in thread)
        if i.channel == "email":
            assert thread[0].subject == i.subject and thread[0].in_reply_to is None
            for prev, m in zip(thread, thread[1:], strict=False):
                assert m.subject == f"Re: {i.subject}"
                assert m.in_reply_to == prev.message_id
                assert m.references == [*prev.references, prev.message_id]
            for m in thread:
                assert re.fullmatch(r"<[0-9a-f-]{36}@[a-z.]+>", m.message_id or "")
                assert m.from_addr and m.to_addrs
        else:
            assert all(m.message_id is None for m in thread)
    notes = session.execute(select(Note)).scalars().all()
    assert notes
    for n in notes:
        i = inters[n.interaction_id]
        assert i.channel == "phone" and n.agent_id == i.assigned_agent_id
        assert i.answered_at is not None and i.wrap_up_at is not None
        assert i.answered_at < n.at < i.wrap_up_at
    ids = session.execute(select(Message.message_id).where(
        Message.message_id.is_not(None))).scalars().all()
    assert len(ids) == len(set(ids))
