"""A small, known population on a real server, for integration tests.

Queues: General [lang:en], Billing [lang:en, billing], Chinese [lang:zh].
Agents (password = username + "-pw"): ann and bob (en; General, Billing; bob also billing
skill), li (zh; Chinese), lead (role lead), admin (role admin), trainer (role trainer).
Customers: Carol (standard, en), Victor (vip, en), 王芳 (gold, zh)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from agent_desk.protocol import messages as m
from agent_desk.server.app import Server, ServerConfig
from agent_desk.server.clock import ManualClock
from agent_desk.server.connectors import InboundContact
from agent_desk.server.models import Agent, Customer, CustomerIdentity, Queue
from agent_desk.server.passwords import hash_password
from tests.helpers.wsclient import WsClient

QUEUES = {"General": ["lang:en"], "Billing": ["lang:en", "billing"], "Chinese": ["lang:zh"]}
AGENTS = [
    # username, role, skills, queues
    ("ann", "agent", ["lang:en"], ["General", "Billing"]),
    ("bob", "agent", ["lang:en", "billing"], ["General", "Billing"]),
    ("li", "agent", ["lang:zh", "lang:en"], ["Chinese"]),
    ("lead", "lead", ["lang:en", "lang:zh", "billing"], ["General", "Billing", "Chinese"]),
    ("admin", "admin", [], []),
    ("trainer", "trainer", ["lang:en"], []),
]
CUSTOMERS = [
    ("Carol Smith", "en", "standard", "+15550001", "carol@example.com", "chat:carol"),
    ("Victor Vip", "en", "vip", "+15550002", "victor@example.com", "chat:victor"),
    ("王芳", "zh", "gold", "+8613800000003", "wangfang@example.cn", "chat:wang"),
]


def populate(s: Session, now: float) -> None:
    existing = {q.name: q for q in s.query(Queue)}
    queues = {name: existing.get(name) or Queue(name=name) for name in QUEUES}
    for name, q in queues.items():
        q.required_skills = QUEUES[name]
    s.add_all(queues.values())
    for username, role, skills, qnames in AGENTS:
        s.add(Agent(username=username, name=username.title(), role=role, skills=skills,
                    password_hash=hash_password(f"{username}-pw", log_n=4),
                    queues=[queues[q] for q in qnames], state_since=now, idle_since=now))
    for name, lang, tier, phone, email, chat in CUSTOMERS:
        c = Customer(name=name, language=lang, tier=tier, created_at=now)
        c.identities = [CustomerIdentity(kind="phone", value=phone),
                        CustomerIdentity(kind="email", value=email),
                        CustomerIdentity(kind="chat", value=chat)]
        s.add(c)


@dataclass
class World:
    server: Server
    clock: ManualClock
    clients: list[WsClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.port}"

    def agent_id(self, username: str) -> int:
        return self.server.store.run_sync(
            lambda s: s.query(Agent).filter_by(username=username).one().id)

    async def login(self, username: str, *, available: bool = False,
                    resume_from: int | None = None) -> WsClient:
        c = await WsClient.login(self.url, username, f"{username}-pw", resume_from)
        self.clients.append(c)
        if available:
            ack = await c.cmd(m.SetState, state="available")
            assert ack.ok, ack
        return c

    async def contact(self, channel: str = "chat", who: str = "carol", *,
                      queue: str | None = "General", body: str = "Hello, I need help",
                      subject: str = "Help please", priority: str = "normal") -> int:
        kind = {"phone": "phone", "email": "email", "chat": "chat"}[channel]
        cust = {"carol": 0, "victor": 1, "wang": 2}[who]
        ident = CUSTOMERS[cust][{"phone": 3, "email": 4, "chat": 5}[kind]]
        return await self.server.inbound_contact(InboundContact(
            channel=channel, identity_kind=kind, identity=ident, queue=queue,
            subject=subject, body="" if channel == "phone" else body, priority=priority,
            external_ref="<first@customer.example>" if channel == "email" else None))

    async def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        await self.server.tick()

    async def close(self) -> None:
        for c in self.clients:
            await c.close()
        await self.server.stop()


async def build_world(db: str, clock: ManualClock, **cfg: object) -> World:
    server = Server(db, clock=clock,
                    config=ServerConfig(tick_interval_s=None, **cfg))  # type: ignore[arg-type]
    server.prepare()
    if not server.store.run_sync(lambda s: s.query(Agent).count()):
        server.store.run_sync(lambda s: populate(s, clock.now()))
    await server.start("127.0.0.1", 0)
    return World(server, clock)
