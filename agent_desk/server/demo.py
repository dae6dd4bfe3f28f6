"""Demo data: queues (and the leads' follow-up queue), users, ~50 customers with identities,
orders and 90 days of closed history on every channel (``demo_history``), and the knowledge
base (``demo_kb``). Deterministic (seeded ``random.Random``) and idempotent: nothing is
inserted once the database has agents (the knowledge base: once it has articles). Text
lives in ``demo_texts``."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import demo_texts as tx
from .demo_history import ALL_CHANNELS, DAY, Cust, History
from .demo_kb import seed_demo_kb
from .models import Agent, Customer, CustomerIdentity, Order, Queue
from .passwords import hash_password
from .reference import FOLLOW_UP_QUEUE, ensure_reference_data


@dataclass(frozen=True)
class DemoQueue:
    name: str
    required_skills: tuple[str, ...]
    channels: tuple[str, ...] = ALL_CHANNELS


QUEUES: tuple[DemoQueue, ...] = (
    DemoQueue("General", ("lang:en",)),
    DemoQueue("Billing", ("lang:en", "billing")),
    DemoQueue("Technical", ("lang:en", "technical")),
    DemoQueue("Chinese", ("lang:zh",)),
    DemoQueue("VIP", ("vip",)),
)
ALL_QUEUES = tuple(q.name for q in QUEUES)


def queues_for(skills: tuple[str, ...]) -> tuple[str, ...]:
    """The demo queues whose required skills are all in ``skills``."""
    return tuple(q.name for q in QUEUES if set(q.required_skills) <= set(skills))


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    name: str
    role: str
    skills: tuple[str, ...]
    queues: tuple[str, ...]
    signature: str = ""
    capacity: dict[str, int] = field(default_factory=lambda: {"phone": 1, "chat": 3, "email": 5})


def _agent(username: str, name: str, skills: tuple[str, ...], team: str) -> DemoUser:
    sig = f"Best regards,\n{name}\n{team} · Agent Desk Support"
    return DemoUser(username, f"{username}123", name, "agent", skills, queues_for(skills), sig)


_EVERYTHING = ("lang:en", "lang:zh", "billing", "technical", "vip")
DEMO_USERS: list[DemoUser] = [
    DemoUser("agent", "agent123", "Alex Morgan", "agent", _EVERYTHING, ALL_QUEUES,
             "Best regards,\nAlex Morgan\nCustomer Care · Agent Desk Support"),
    DemoUser("lead", "lead123", "Jordan Lee", "lead", _EVERYTHING,
             (*ALL_QUEUES, FOLLOW_UP_QUEUE),
             "Best regards,\nJordan Lee\nTeam Lead · Agent Desk Support"),
    DemoUser("trainer", "trainer123", "Patricia Gomez", "trainer", ("lang:en", "lang:zh"), (),
             "Best regards,\nPatricia Gomez\nTraining · Agent Desk Support"),
    DemoUser("admin", "admin123", "Sam Taylor", "admin", (), (FOLLOW_UP_QUEUE,),
             "Best regards,\nSam Taylor\nAgent Desk Support"),
    _agent("emma", "Emma Wilson", ("lang:en", "billing"), "Billing"),
    _agent("zhangwei", "Zhang Wei", ("lang:zh", "lang:en", "billing"), "Billing"),
    _agent("liuyang", "Liu Yang", ("lang:zh", "technical"), "Technical Support"),
    _agent("daniel", "Daniel Kim", ("lang:en", "technical"), "Technical Support"),
    _agent("sofia", "Sofia Garcia", ("lang:en",), "Customer Care"),
    _agent("chenmei", "Chen Mei", ("lang:zh", "lang:en", "technical"), "Technical Support"),
    _agent("grace", "Grace Lin", ("lang:en", "lang:zh", "vip", "billing"), "VIP Desk"),
]


def seed_demo(session: Session, now: float, *, seed: int = 7,
              password_log_n: int = 12) -> list[DemoUser]:
    """Insert the demo data unless the database already has agents; returns the users."""
    ensure_reference_data(session)
    if session.execute(select(func.count()).select_from(Agent)).scalar_one():
        seed_demo_kb(session, now)  # a demo database from before the knowledge base
        return list(DEMO_USERS)
    rng = random.Random(seed)
    queues = _ensure_queues(session)
    agents = _add_agents(session, queues, now, password_log_n)
    customers = _add_customers(session, rng, now)
    History(session, rng, now, queues, agents, DEMO_USERS).add(customers)
    session.flush()
    seed_demo_kb(session, now)
    return list(DEMO_USERS)


def _ensure_queues(session: Session) -> dict[str, Queue]:
    have = {q.name: q for q in session.execute(select(Queue)).scalars()}
    for dq in QUEUES:
        q = have.get(dq.name)
        if q is None:
            q = Queue(name=dq.name, required_skills=list(dq.required_skills),
                      channels=list(dq.channels))
            session.add(q)
            have[dq.name] = q
        elif not q.required_skills:
            # the reference data's catch-all "General" queue: give it the demo's skills
            q.required_skills = list(dq.required_skills)
    if FOLLOW_UP_QUEUE not in have:  # the leads' tasks opened by low satisfaction scores
        have[FOLLOW_UP_QUEUE] = Queue(name=FOLLOW_UP_QUEUE, required_skills=[],
                                      channels=list(ALL_CHANNELS))
        session.add(have[FOLLOW_UP_QUEUE])
    session.flush()
    return have


def _add_agents(session: Session, queues: dict[str, Queue], now: float,
                log_n: int) -> dict[str, Agent]:
    out = {}
    for u in DEMO_USERS:
        a = Agent(username=u.username, name=u.name, role=u.role,
                  password_hash=hash_password(u.password, log_n=log_n), active=True,
                  skills=list(u.skills), capacity=dict(u.capacity), presence="offline",
                  state="offline", state_since=now, idle_since=now, signature=u.signature)
        a.queues = [queues[name] for name in u.queues]
        session.add(a)
        out[u.username] = a
    session.flush()
    return out


# ---- customers and orders ---------------------------------------------------------------

def _add_customers(session: Session, rng: random.Random, now: float) -> list[Cust]:
    people: list[tuple[str, str, str]] = [(n, "en", n) for n in tx.EN_CUSTOMERS]
    people += [(n, "zh", py) for n, py in tx.ZH_CUSTOMERS]
    rng.shuffle(people)
    tiers = ["vip"] * 4 + ["gold"] * 10 + ["standard"] * (len(people) - 14)
    rng.shuffle(tiers)
    chats: set[str] = set()
    out: list[Cust] = []
    for i, ((name, lang, handle), tier) in enumerate(zip(people, tiers, strict=True)):
        if lang == "zh":
            phone = f"+86{rng.choice(tx.CN_MOBILE_PREFIXES)}{rng.randrange(1000, 10000)}{i:04d}"
            email = f"{handle}{rng.randrange(70, 100)}@{rng.choice(tx.EMAIL_DOMAINS)}"
        else:
            phone = f"+1{rng.choice(tx.US_AREA_CODES)}555{100 + i:04d}"
            local = handle.lower().replace("'", "").replace(" ", ".")
            email = f"{local}@{rng.choice(tx.EMAIL_DOMAINS)}"
        chat = None
        if rng.random() < 0.8:
            while chat is None or chat in chats:
                chat = f"chat:visitor-{rng.getrandbits(16):04x}"
            chats.add(chat)
        notes = ""
        if tier == "vip":
            notes = f"VIP since {rng.choice((2019, 2020, 2021, 2022))}"
        elif rng.random() < 0.25:
            notes = rng.choice(tx.NOTES_ZH if lang == "zh" else tx.NOTES_EN)
        cust = Customer(name=name, language=lang, tier=tier, notes=notes,
                        created_at=now - rng.uniform(200, 1500) * DAY)
        cust.identities = [CustomerIdentity(kind="phone", value=phone),
                           CustomerIdentity(kind="email", value=email)]
        if chat:
            cust.identities.append(CustomerIdentity(kind="chat", value=chat))
        session.add(cust)
        out.append(Cust(cust, phone, email, chat, []))
    session.flush()
    number = 104000
    for c in out:
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(2, 4, 3, 2, 1))[0]):
            number += rng.randint(1, 37)
            order = _order(rng, c, f"ORD-{number}", now)
            session.add(order)
            c.orders.append((order.number, order.placed_at))
    return out


def _order(rng: random.Random, c: Cust, number: str, now: float) -> Order:
    zh = c.lang == "zh"
    age = rng.uniform(0.2, 180)
    if age < 3:
        status = rng.choice(("processing", "processing", "shipped"))
    elif age < 10:
        status = rng.choice(("shipped", "delivered"))
    else:
        status = rng.choices(tx.ORDER_STATUSES, weights=(16, 0, 0, 2, 2))[0]
    total, items = Decimal("0"), []
    for en, zh_name, usd, cny in rng.sample(tx.PRODUCTS, rng.choice((1, 1, 1, 2, 3))):
        qty = rng.choice((1, 1, 1, 2))
        total += Decimal(cny if zh else usd) * qty
        items.append(f"{qty} × {zh_name if zh else en}")
    return Order(customer_id=c.row.id, number=number, placed_at=now - age * DAY,
                 status=status, total=f"{total:.2f}", currency="CNY" if zh else "USD",
                 items=", ".join(items))
