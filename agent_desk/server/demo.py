"""Demo data: queues, users, ~50 customers with identities, orders and 90 days of closed
history on every channel. Deterministic (seeded ``random.Random``) and idempotent: nothing
is inserted once the database has agents. Text lives in ``demo_texts``."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import demo_texts as tx
from . import sla
from .models import (
    Agent,
    Base,
    Customer,
    CustomerIdentity,
    Interaction,
    Message,
    Note,
    Order,
    Queue,
    Transition,
)
from .passwords import hash_password
from .reference import ensure_reference_data

DAY = 86400.0
ALL_CHANNELS = ("phone", "email", "chat")
SUPPORT_ADDR = "support@agentdesk.example"
NOT_RESOLVED = frozenset({"escalated", "callback_scheduled", "no_response"})


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
    DemoUser("lead", "lead123", "Jordan Lee", "lead", _EVERYTHING, ALL_QUEUES,
             "Best regards,\nJordan Lee\nTeam Lead · Agent Desk Support"),
    DemoUser("trainer", "trainer123", "Patricia Gomez", "trainer", ("lang:en", "lang:zh"), (),
             "Best regards,\nPatricia Gomez\nTraining · Agent Desk Support"),
    DemoUser("admin", "admin123", "Sam Taylor", "admin", (), (),
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
        return list(DEMO_USERS)
    rng = random.Random(seed)
    queues = _ensure_queues(session)
    agents = _add_agents(session, queues, now, password_log_n)
    customers = _add_customers(session, rng, now)
    _History(session, rng, now, queues, agents).add(customers)
    session.flush()
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

@dataclass
class _Cust:
    row: Customer
    phone: str
    email: str
    chat: str | None
    orders: list[tuple[str, float]]  # (number, placed_at)

    @property
    def lang(self) -> str:
        return self.row.language

    @property
    def greeting_name(self) -> str:
        return self.row.name if self.lang == "zh" else self.row.name.split()[0]


def _add_customers(session: Session, rng: random.Random, now: float) -> list[_Cust]:
    people: list[tuple[str, str, str]] = [(n, "en", n) for n in tx.EN_CUSTOMERS]
    people += [(n, "zh", py) for n, py in tx.ZH_CUSTOMERS]
    rng.shuffle(people)
    tiers = ["vip"] * 4 + ["gold"] * 10 + ["standard"] * (len(people) - 14)
    rng.shuffle(tiers)
    chats: set[str] = set()
    out: list[_Cust] = []
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
        out.append(_Cust(cust, phone, email, chat, []))
    session.flush()
    number = 104000
    for c in out:
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(2, 4, 3, 2, 1))[0]):
            number += rng.randint(1, 37)
            order = _order(rng, c, f"ORD-{number}", now)
            session.add(order)
            c.orders.append((order.number, order.placed_at))
    return out


def _order(rng: random.Random, c: _Cust, number: str, now: float) -> Order:
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


# ---- history ------------------------------------------------------------------------------

class _History:
    """Builds closed (and a few abandoned) past interactions with messages, notes and the
    full transition trail, the way the server itself would have recorded them."""

    def __init__(self, session: Session, rng: random.Random, now: float,
                 queues: dict[str, Queue], agents: dict[str, Agent]) -> None:
        self.session, self.rng, self.now = session, rng, now
        self.queues = queues
        self.users = {u.username: u for u in DEMO_USERS if u.role == "agent"}
        self.agents = {name: agents[name] for name in self.users}
        self.children: list[tuple[Interaction, list[Message | Note | Transition]]] = []

    def add(self, customers: list[_Cust]) -> None:
        rng = self.rng
        midnight = self.now - self.now % DAY
        for c in customers:
            # daytime in China (01-10 UTC) or in the Americas (12-16:30 UTC); one contact a
            # day at most, so a customer's contacts never overlap and all end before ``now``
            hours = (1, 10) if c.lang == "zh" else (12, 16.5)
            for k in sorted(rng.sample(range(1, 90), rng.randint(2, 6)), reverse=True):
                self._one(c, midnight - k * DAY + rng.uniform(*hours) * 3600)
        self.session.flush()
        rows: list[Base] = []
        for inter, kids in self.children:
            for kid in kids:
                kid.interaction_id = inter.id
                rows.append(kid)
        self.session.add_all(rows)

    def _one(self, c: _Cust, start: float) -> None:
        rng = self.rng
        placed = [number for number, at in c.orders if at < start - DAY]
        topic = rng.choice([t for t in tx.TOPICS if placed or not t.needs_order])
        channel = rng.choices(ALL_CHANNELS, weights=(4, 3, 3))[0]
        if channel == "chat" and c.chat is None:
            channel = "email"
        priority = rng.choices(("normal", "high", "low", "urgent"), weights=(75, 14, 8, 3))[0]
        queue = self._queue(c, topic)
        agent = self._agent(c, topic, queue)
        order = rng.choice(placed) if placed else ""
        lang = tx.LANG_INDEX[c.lang]
        subject = topic.subject[lang].format(order=order)
        ask = topic.ask[lang].format(order=order)
        targets = sla.fallback_targets(channel, priority, c.row.tier)
        inter = Interaction(
            channel=channel, customer_id=c.row.id, queue_id=queue.id, subject=subject,
            preview=ask[:200], priority=priority, created_at=start, declined_by=[],
            queued_at=start + rng.uniform(0.5, 2 if channel != "email" else 5),
            first_response_due_at=start + targets.first_response_s,
            resolution_due_at=start + targets.resolution_s, ivr_data={})
        kids: list[Message | Note | Transition] = [
            Transition(from_state=None, to_state="queued", reason=f"inbound {channel}",
                       at=inter.queued_at)]
        self.children.append((inter, kids))
        self.session.add(inter)
        if channel == "phone":
            inter.ivr_data = {"menu": topic.ivr_menu, "language": c.lang, "topic": topic.key,
                              "verified": rng.choice(("yes", "yes", "no"))}
            if order and inter.ivr_data["verified"] == "yes":
                inter.ivr_data["order_number"] = order
        if channel != "email" and rng.random() < 0.08:
            self._abandon(inter, c, ask, kids, targets.first_response_s)
            return
        self._answer(inter, targets.first_response_s)
        a, u = self.agents[agent], self.users[agent]
        inter.assigned_agent_id = a.id
        kids += [Transition(from_state="queued", to_state="offered", agent_id=a.id,
                            at=inter.offered_at),
                 Transition(from_state="offered", to_state="assigned", actor_agent_id=a.id,
                            agent_id=a.id, at=inter.answered_at)]
        if channel == "phone":
            end = self._call(inter, a, topic.note, kids)
        else:
            lines = [ask, topic.reply[lang], topic.follow[lang], topic.close[lang]]
            lines = [s.format(order=order) for s in lines]
            end = (self._email if channel == "email" else self._chat)(inter, c, a, u, lines,
                                                                      kids)
        self._close(inter, topic, a, end, kids)

    def _answer(self, inter: Interaction, fr_target_s: int) -> None:
        """Offer, answer and first-response times: mostly within the target, 10 % late."""
        rng, start = self.rng, inter.created_at
        late = rng.random() < 0.1
        frt = fr_target_s * (rng.uniform(1.05, 1.9) if late else rng.uniform(0.15, 0.95))
        frt = max(frt, inter.queued_at - start + 6)
        inter.first_response_at = start + frt
        if inter.channel == "phone":  # for calls the first response is the answer
            inter.answered_at = inter.first_response_at
        else:  # the agent accepted, then typed the first reply
            typing = (frt - (inter.queued_at - start)) * rng.uniform(0.15, 0.4)
            inter.answered_at = inter.first_response_at - typing
        wait = inter.answered_at - inter.queued_at
        inter.offered_at = inter.answered_at - min(rng.uniform(2, 12),
                                                   wait * rng.uniform(0.2, 0.6))

    def _close(self, inter: Interaction, topic: tx.Topic, a: Agent, wrap_up_at: float,
               kids: list[Message | Note | Transition]) -> None:
        rng = self.rng
        inter.wrap_up_at = wrap_up_at
        inter.closed_at = wrap_up_at + rng.uniform(15, 110)  # within the 120 s limit
        inter.state = "closed"
        disposition = rng.choice(topic.dispositions)
        replies = sum(isinstance(k, Message) and k.direction == "inbound" for k in kids)
        if inter.channel == "email" and replies < 2 and rng.random() < 0.2:
            disposition = "no_response"  # answered once, the customer never came back
        inter.disposition = disposition
        inter.resolved_first_contact = disposition not in NOT_RESOLVED and rng.random() < 0.9
        inter.wrap_up_notes = topic.note if rng.random() < 0.4 else None
        kids.append(Transition(from_state="wrap_up", to_state="closed", actor_agent_id=a.id,
                               agent_id=a.id, reason="wrapped up", at=inter.closed_at))
        assert inter.first_response_at is not None
        self._sla_flags(inter, inter.first_response_at, inter.closed_at)

    def _queue(self, c: _Cust, topic: tx.Topic) -> Queue:
        if c.lang == "zh":  # routed like the simulator's live traffic
            return self.queues["Chinese"]
        if c.row.tier == "vip":
            return self.queues["VIP"]
        return self.queues[{"billing": "Billing", "technical": "Technical"}.get(topic.area,
                                                                                 "General")]

    def _agent(self, c: _Cust, topic: tx.Topic, queue: Queue) -> str:
        need = {*(queue.required_skills or []), f"lang:{c.lang}"}
        able = [n for n, u in self.users.items() if queue.name in u.queues
                and need <= set(u.skills)]
        experts = [n for n in able if topic.area in self.users[n].skills]
        return self.rng.choice(experts or able)

    def _abandon(self, inter: Interaction, c: _Cust, ask: str,
                 kids: list[Message | Note | Transition], fr_s: int) -> None:
        left = inter.queued_at + self.rng.uniform(0.4, 3.0) * fr_s
        inter.state, inter.closed_at = "abandoned", left
        if inter.channel == "chat":
            kids.append(Message(direction="inbound", author=c.row.name, body=ask,
                                at=inter.created_at))
        kids.append(Transition(from_state="queued", to_state="abandoned",
                               reason=tx.ABANDON_REASON[inter.channel], at=left))
        self._sla_flags(inter, left, left)

    def _call(self, inter: Interaction, a: Agent, note: str,
              kids: list[Message | Note | Transition]) -> float:
        rng = self.rng
        assert inter.answered_at is not None
        talk = rng.uniform(150, 900)
        t = inter.answered_at + talk
        if rng.random() < 0.25:
            hold_at, hold = inter.answered_at + talk * rng.uniform(0.3, 0.6), rng.uniform(30, 150)
            inter.hold_total_s = hold
            t += hold
            kids += [Transition(from_state="assigned", to_state="on_hold", actor_agent_id=a.id,
                                agent_id=a.id, at=hold_at),
                     Transition(from_state="on_hold", to_state="assigned", actor_agent_id=a.id,
                                agent_id=a.id, at=hold_at + hold)]
        if rng.random() < 0.6:
            kids.append(Note(agent_id=a.id, body=note,
                             at=inter.answered_at + (t - inter.answered_at) * 0.9))
        by_agent = rng.random() < 0.7
        kids.append(Transition(from_state="assigned", to_state="wrap_up",
                               actor_agent_id=a.id if by_agent else None, agent_id=a.id,
                               reason="agent hung up" if by_agent else "caller hung up", at=t))
        return t

    def _email(self, inter: Interaction, c: _Cust, a: Agent, u: DemoUser, lines: list[str],
               kids: list[Message | Note | Transition]) -> float:
        rng = self.rng
        lang = tx.LANG_INDEX[c.lang]
        assert inter.first_response_at is not None
        hello = tx.GREETING[lang].format(name=c.greeting_name)
        sign = tx.CUSTOMER_SIGN_OFF[lang].format(name=c.row.name)
        t = [inter.created_at, inter.first_response_at]
        if rng.random() < 0.6:
            t.append(t[-1] + rng.uniform(900, 3 * 3600))
            t.append(t[-1] + rng.uniform(300, 2400))
        refs: list[str] = []
        for i, at in enumerate(t):
            inbound = i % 2 == 0
            mid = f"<{uuid.UUID(int=rng.getrandbits(128), version=4)}@" + (
                "mail.example.com>" if inbound else "agentdesk.example>")
            body = (f"{lines[i]}\n\n{sign}" if inbound
                    else f"{hello}\n\n{lines[i]}\n\n{u.signature}")
            kids.append(Message(
                direction="inbound" if inbound else "outbound",
                author=c.row.name if inbound else a.name, agent_id=None if inbound else a.id,
                body=body, at=at, subject=inter.subject if i == 0 else f"Re: {inter.subject}",
                from_addr=c.email if inbound else SUPPORT_ADDR,
                to_addrs=[SUPPORT_ADDR] if inbound else [c.email], cc_addrs=[],
                message_id=mid, in_reply_to=refs[-1] if refs else None, references=list(refs)))
            refs.append(mid)
            if inbound:
                inter.preview = lines[i][:200]
        end = t[-1] + rng.uniform(20, 240)
        kids.append(Transition(from_state="assigned", to_state="wrap_up", actor_agent_id=a.id,
                               agent_id=a.id, reason="agent closed", at=end))
        return end

    def _chat(self, inter: Interaction, c: _Cust, a: Agent, u: DemoUser, lines: list[str],
              kids: list[Message | Note | Transition]) -> float:
        rng = self.rng
        lang = tx.LANG_INDEX[c.lang]
        assert inter.first_response_at is not None
        hello = tx.CHAT_HELLO[lang].format(agent=a.name)
        script = [(True, lines[0]), (False, hello), (False, lines[1]), (True, lines[2]),
                  (False, lines[3])]
        if rng.random() < 0.7:
            script.append((True, tx.CHAT_THANKS[lang]))
        at = inter.created_at
        for i, (inbound, body) in enumerate(script):
            if i == 1:
                at = inter.first_response_at
            elif i > 1:
                at += rng.uniform(15, 120)
            kids.append(Message(direction="inbound" if inbound else "outbound",
                                author=c.row.name if inbound else a.name,
                                agent_id=None if inbound else a.id, body=body, at=at))
            if inbound:
                inter.preview = body[:200]
        end = at + rng.uniform(10, 60)
        kids.append(Transition(from_state="assigned", to_state="wrap_up", actor_agent_id=a.id,
                               agent_id=a.id, reason="agent closed", at=end))
        return end

    @staticmethod
    def _sla_flags(inter: Interaction, responded: float, resolved: float) -> None:
        """Set the flags the SLA timer would have set by the time each target was met."""
        for due, met, warned, breached in (
                (inter.first_response_due_at, responded, "fr_warned", "fr_breached"),
                (inter.resolution_due_at, resolved, "res_warned", "res_breached")):
            setattr(inter, warned, met >= sla.warning_at(inter.created_at, due))
            setattr(inter, breached, met >= due)
