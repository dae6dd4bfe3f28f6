"""The demo's past: closed (and a few abandoned) interactions of the demo customers over 90
days on every channel, with messages, notes, the full transition trail, satisfaction
surveys and the follow-up tasks low scores opened, recorded the way the server itself would
have. Deterministic for a given random generator."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from . import demo_texts as tx
from . import sla
from .models import Agent, Base, Customer, Interaction, Message, Note, Queue, Survey, Transition
from .reference import FOLLOW_UP_QUEUE
from .simulator_surveys import SLOW_FIRST_RESPONSE_S, Journey, answer
from .surveys import LOW_CSAT, METHODS

if TYPE_CHECKING:
    from .demo import DemoUser

DAY = 86400.0
ALL_CHANNELS = ("phone", "email", "chat")
SUPPORT_ADDR = "support@agentdesk.example"
NOT_RESOLVED = frozenset({"escalated", "callback_scheduled", "no_response"})


@dataclass
class Cust:
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


class History:
    """Builds closed (and a few abandoned) past interactions with messages, notes and the
    full transition trail, the way the server itself would have recorded them."""

    def __init__(self, session: Session, rng: random.Random, now: float,
                 queues: dict[str, Queue], agents: dict[str, Agent],
                 users: list[DemoUser]) -> None:
        self.session, self.rng, self.now = session, rng, now
        self.queues = queues
        self.users = {u.username: u for u in users if u.role == "agent"}
        self.agents = {name: agents[name] for name in self.users}
        self.children: list[tuple[Interaction, list[Message | Note | Transition]]] = []
        self.lead = next((agents[u.username] for u in users if u.role == "lead"), None)
        # surveys draw from their own generator: the rest of the history stays as it was
        self.survey_rng = random.Random(7919)
        self.surveys: list[tuple[Interaction, Survey, Interaction | None]] = []

    def add(self, customers: list[Cust]) -> None:
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
        for inter, survey, task in self.surveys:
            survey.interaction_id, survey.customer_id = inter.id, inter.customer_id
            if task is not None:
                task.parent_id, survey.follow_up_id = inter.id, task.id
            rows.append(survey)
        self.session.add_all(rows)

    def _one(self, c: Cust, start: float) -> None:
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
        self._close(inter, c, topic, a, end, kids)

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

    def _close(self, inter: Interaction, c: Cust, topic: tx.Topic, a: Agent, wrap_up_at: float,
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
        self._survey(inter, c, a)

    def _survey(self, inter: Interaction, c: Cust, a: Agent) -> None:
        """The survey sent on close; about 70 % answered, scored by how it went (a late first
        response, holds, an unresolved outcome); a low CSAT got a follow-up task for the
        lead (closed by now, unless the answer came in the last hours)."""
        rng = self.survey_rng
        assert inter.closed_at is not None
        slow = SLOW_FIRST_RESPONSE_S[inter.channel]
        journey = Journey(0, inter.channel, 0.0, first_response=slow * (
            rng.uniform(1.6, 3.0) if inter.fr_breached else rng.uniform(0.1, 0.9)),
            holds=int(bool(inter.hold_total_s)),
            hand_overs=int(inter.disposition in NOT_RESOLVED))
        survey = Survey(agent_id=a.id, channel=inter.channel, method=METHODS[inter.channel],
                        sent_at=inter.closed_at, comment="")
        reply = answer(rng, journey, str(survey.method), c.lang, 0.0, 0.7)
        task = None
        if reply is not None:
            survey.csat, survey.nps, survey.ces = reply.csat, reply.nps, reply.ces
            survey.comment = reply.comment
            survey.answered_at = min(inter.closed_at + rng.uniform(300, 2 * DAY),
                                     (inter.closed_at + self.now) / 2)
            inter.csat = reply.csat
            if reply.csat <= LOW_CSAT and self.lead is not None:
                task = self._follow_up(inter, c, reply.csat, reply.comment,
                                       survey.answered_at)
        self.surveys.append((inter, survey, task))

    def _follow_up(self, inter: Interaction, c: Cust, csat: int, comment: str,
                   at: float) -> Interaction:
        rng, lead = self.survey_rng, self.lead
        assert lead is not None
        subject = f"Follow-up: CSAT {csat} — {inter.subject}"[:500]
        targets = sla.fallback_targets(inter.channel, "high", c.row.tier)
        task = Interaction(
            kind="follow_up", channel=inter.channel, customer_id=inter.customer_id,
            queue_id=self.queues[FOLLOW_UP_QUEUE].id, subject=subject,
            preview=(comment or subject)[:200], priority="high", created_at=at, queued_at=at,
            first_response_due_at=at + targets.first_response_s,
            resolution_due_at=at + targets.resolution_s, declined_by=[], ivr_data={})
        kids: list[Message | Note | Transition] = [Transition(
            from_state=None, to_state="queued", reason="low CSAT", at=at)]
        picked = at + rng.uniform(600, 4 * 3600)
        closed = picked + rng.uniform(600, 2400) + 110
        if closed < self.now - 3600:  # the lead called the customer back and closed it
            task.assigned_agent_id, task.answered_at = lead.id, picked
            task.first_response_at, task.wrap_up_at = picked, closed - 110
            task.closed_at, task.state = closed, "closed"
            task.disposition = rng.choice(("resolved", "complaint_logged", "refund_issued"))
            task.resolved_first_contact = True
            task.wrap_up_notes = tx.FOLLOW_UP_NOTE
            kids += [Transition(from_state="queued", to_state="assigned", actor_agent_id=lead.id,
                                agent_id=lead.id, reason="picked", at=picked),
                     Transition(from_state="assigned", to_state="wrap_up",
                                actor_agent_id=lead.id, agent_id=lead.id, at=closed - 110),
                     Transition(from_state="wrap_up", to_state="closed", actor_agent_id=lead.id,
                                agent_id=lead.id, reason="wrapped up", at=closed)]
            self._sla_flags(task, picked, closed)
        self.children.append((task, kids))
        self.session.add(task)
        return task

    def _queue(self, c: Cust, topic: tx.Topic) -> Queue:
        if c.lang == "zh":  # routed like the simulator's live traffic
            return self.queues["Chinese"]
        if c.row.tier == "vip":
            return self.queues["VIP"]
        return self.queues[{"billing": "Billing", "technical": "Technical"}.get(topic.area,
                                                                                 "General")]

    def _agent(self, c: Cust, topic: tx.Topic, queue: Queue) -> str:
        need = {*(queue.required_skills or []), f"lang:{c.lang}"}
        able = [n for n, u in self.users.items() if queue.name in u.queues
                and need <= set(u.skills)]
        experts = [n for n in able if topic.area in self.users[n].skills]
        return self.rng.choice(experts or able)

    def _abandon(self, inter: Interaction, c: Cust, ask: str,
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

    def _email(self, inter: Interaction, c: Cust, a: Agent, u: DemoUser, lines: list[str],
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

    def _chat(self, inter: Interaction, c: Cust, a: Agent, u: DemoUser, lines: list[str],
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
