"""Reply templates (KB editors) and the team's successful replies (reply examples).

Reply examples are collected when an interaction is wrapped up as **resolved on first
contact** (chat and email): up to ``MAX_EXAMPLES`` pairs of what the customer wrote (the
messages since the previous agent reply) and the agent's next reply, each between the
length bounds below, anonymised (``kb.anonymise``: the customer's names and order numbers
become variables, the agent's name too; addresses, phone and card numbers are masked). The
agent's signature is left out. A later CSAT of 1–2 for the interaction retires them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import func, select

from ..kb.anonymise import anonymise
from ..protocol.codes import ErrorCode
from ..protocol.enums import Channel, Direction
from ..protocol.kb import KbSaveTemplate
from . import kb_counter
from .errors import CommandError, forbidden, not_found
from .kb_views import clean_tags, is_editor, new_id, template_view
from .models import Agent, Interaction, KbReplyExample, KbTemplate, Message, Order
from .tx import Tx

if TYPE_CHECKING:
    from ..protocol.base import Command
    from .lifecycle import Handler, Settings

#: Reply examples kept per interaction.
MAX_EXAMPLES = 3
#: Length bounds (characters, after trimming): shorter texts carry no reusable answer
#: ("ok", "thanks!"), longer ones are letters rather than replies.
CUSTOMER_CHARS = (6, 1000)
REPLY_CHARS = (12, 2000)
CHANNELS = (Channel.CHAT, Channel.EMAIL)

_QUOTE_HEADER = re.compile(
    r"^(?:On .{0,200} wrote:|-{2,}\s*Original Message\s*-{2,}|From: .+|在.{0,200}写道[:：])\s*$",
    re.M | re.I)


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


# ---- templates --------------------------------------------------------------------------------

def save_template(tx: Tx, actor: Agent, cmd: KbSaveTemplate, cfg: Settings) -> dict[str, Any]:
    if not is_editor(actor):
        raise forbidden("reply templates are edited by KB editors (leads and admins)")
    title = " ".join(cmd.title.split())
    if not title or not cmd.body.strip():
        raise _invalid("kb_save_template: " + ("title" if not title else "body") + " is empty")
    shortcut = cmd.shortcut.strip() if cmd.shortcut else None
    found = None
    if cmd.template_id is not None:
        found = tx.session.get(KbTemplate, cmd.template_id)
        if found is None:
            raise not_found(f"template {cmd.template_id}")
    if shortcut and cmd.active:
        clash = tx.session.execute(select(KbTemplate.id).where(
            func.lower(KbTemplate.shortcut) == shortcut.lower(),
            KbTemplate.language == cmd.language, KbTemplate.active.is_(True),
            KbTemplate.id != (cmd.template_id or "")).limit(1)).scalar()
        if clash is not None:
            raise _invalid(f"shortcut #{shortcut} is already used by template {clash} "
                           f"({cmd.language})")
    first = kb_counter.visible(tx)
    if found is None:
        t = KbTemplate(id=new_id(tx.session, KbTemplate, title, first, "tpl"), version=1,
                       created_at=tx.now)
    else:
        t = found
        t.version += 1
    t.title, t.body, t.language = title, cmd.body, cmd.language
    t.tags, t.shortcut, t.refusal, t.active = clean_tags(cmd.tags), shortcut, cmd.refusal, \
        cmd.active
    t.editor_id, t.updated_at, t.change_no = actor.id, tx.now, first
    tx.session.add(t)
    tx.session.flush()
    result: dict[str, Any] = msgspec.to_builtins(template_view(t))
    return result


# ---- reply examples ---------------------------------------------------------------------------

def _customer_text(body: str, channel: str) -> str:
    """A customer's message without the quoted history of an email."""
    if channel == Channel.EMAIL:
        head = _QUOTE_HEADER.search(body)
        if head is not None:
            body = body[:head.start()]
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))
    return body.strip()


def _reply_text(body: str, agent: Agent | None) -> str:
    """An agent's reply without their signature."""
    text = body.strip()
    sig = (agent.signature or "").strip() if agent is not None else ""
    if sig and text.endswith(sig):
        text = text[:-len(sig)].rstrip()
    return text


def _fits(text: str, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= len(text) <= bounds[1]


def reply_pairs(messages: list[Message], channel: str,
                agents: dict[int, Agent]) -> list[tuple[str, str, int]]:
    """(customer text, reply text, agent id) for each agent reply that answered customer
    messages, within the length bounds, at most ``MAX_EXAMPLES``, oldest first."""
    pairs: list[tuple[str, str, int]] = []
    pending: list[str] = []
    for msg in messages:
        if msg.direction == Direction.INBOUND:
            text = _customer_text(msg.body or "", channel)
            if text:
                pending.append(text)
        elif msg.direction == Direction.OUTBOUND and msg.agent_id is not None and pending:
            customer = "\n".join(pending)
            pending = []
            reply = _reply_text(msg.body or "", agents.get(msg.agent_id))
            if _fits(customer, CUSTOMER_CHARS) and _fits(reply, REPLY_CHARS):
                pairs.append((customer, reply, msg.agent_id))
                if len(pairs) == MAX_EXAMPLES:
                    break
    return pairs


def record_reply_examples(tx: Tx, inter: Interaction) -> list[KbReplyExample]:
    """On a wrap-up resolved on first contact: store the interaction's reply pairs (once
    per interaction)."""
    if not inter.resolved_first_contact or inter.channel not in CHANNELS:
        return []
    done = tx.session.execute(select(KbReplyExample.id).where(
        KbReplyExample.interaction_id == inter.id).limit(1)).first()
    if done is not None:
        return []
    messages = list(tx.session.execute(select(Message).where(
        Message.interaction_id == inter.id).order_by(Message.at, Message.id)).scalars())
    agent_ids = {m.agent_id for m in messages if m.agent_id is not None}
    agents = {a.id: a for a in tx.session.execute(
        select(Agent).where(Agent.id.in_(agent_ids))).scalars()} if agent_ids else {}
    pairs = reply_pairs(messages, inter.channel, agents)
    if not pairs:
        return []
    cust = inter.customer
    orders = list(tx.session.execute(select(Order.number).where(
        Order.customer_id == cust.id)).scalars())
    first = kb_counter.visible(tx, len(pairs))
    rows = []
    for i, (customer, reply, agent_id) in enumerate(pairs):
        agent = agents.get(agent_id)
        kw: dict[str, Any] = {"names": [cust.name], "order_numbers": orders,
                              "agent_names": [agent.name] if agent is not None else []}
        rows.append(KbReplyExample(
            interaction_id=inter.id, customer_text=anonymise(customer, **kw),
            reply_text=anonymise(reply, **kw), language=cust.language or "en",
            channel=inter.channel, score=1.0, active=True, change_no=first + i,
            created_at=tx.now))
    tx.session.add_all(rows)
    tx.session.flush()
    return rows


def retire_reply_examples(tx: Tx, interaction_id: int) -> int:
    """The customer rated the contact low: its reply examples leave agents' KB."""
    rows = tx.session.execute(select(KbReplyExample).where(
        KbReplyExample.interaction_id == interaction_id, KbReplyExample.active.is_(True))
        .order_by(KbReplyExample.id)).scalars().all()
    if rows:
        first = kb_counter.visible(tx, len(rows))
        for i, r in enumerate(rows):
            r.active, r.change_no = False, first + i
        tx.session.flush()
    return len(rows)


HANDLERS: dict[type[Command], Handler] = {KbSaveTemplate: save_template}
