"""An agent's outgoing email (``send_message`` on an email interaction): mode reply,
reply-all or forward; subject, recipients (checked), threading headers, sanitised HTML and
the uploaded attachments it carries. Everything is checked before anything changes."""

from __future__ import annotations

import uuid
from email.utils import parseaddr

from sqlalchemy import select

from ..channels.email import check_addresses, reply_recipients, reply_subject, sanitize_html
from ..protocol import messages as m
from ..protocol.codes import ErrorCode
from ..protocol.enums import Direction
from .attachments import claim
from .errors import CommandError
from .models import Agent, Attachment, CustomerIdentity, Interaction, Message
from .tx import Tx
from .views import message_view

#: The address the desk sends from (the real email connector's own address later).
OUR_ADDRESS = "support@agentdesk.example"


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


def _checked(entries: list[str], field: str) -> list[str]:
    good, problems = check_addresses(list(entries), field)
    if problems:
        raise _invalid("send_message: invalid address in " + field + ": "
                       + "; ".join(p.message for p in problems))
    return [str(a) for a in good]


def _key(address: str) -> str:
    return parseaddr(address)[1].casefold()


def _last(tx: Tx, inter: Interaction, *conds: object) -> Message | None:
    return tx.session.execute(
        select(Message).where(Message.interaction_id == inter.id, *conds)  # type: ignore[arg-type]
        .order_by(Message.at.desc(), Message.id.desc()).limit(1)).scalar_one_or_none()


def _recipients(tx: Tx, inter: Interaction, cmd: m.SendMessage) -> tuple[list[str], list[str]]:
    to, cc = _checked(list(cmd.to), "to"), _checked(list(cmd.cc), "cc")
    if cmd.mode == "forward":
        if not to:
            raise _invalid("send_message: a forward needs a recipient in to")
        return to, cc
    if to and (cmd.mode == "reply" or cc):
        return to, cc
    last_in = _last(tx, inter, Message.direction == Direction.INBOUND,
                    Message.from_addr.is_not(None))
    if last_in is not None:
        d_to, d_cc = reply_recipients(message_view(last_in), cmd.mode, [OUR_ADDRESS])
    else:
        d_to = tuple(tx.session.execute(select(CustomerIdentity.value).where(
            CustomerIdentity.customer_id == inter.customer_id,
            CustomerIdentity.kind == "email")).scalars())[:1]
        d_cc = ()
    if not to:
        to, others = list(d_to), list(d_cc)
    else:  # reply-all to recipients of the agent's choosing: the others go to cc
        others = [a for a in (*d_to, *d_cc) if _key(a) not in {_key(t) for t in to}]
    if cmd.mode == "reply_all" and not cc:
        cc = others
    if not to:
        raise _invalid("send_message: no recipient: the customer has no email address; "
                       "give one in to")
    return to, cc


def compose(tx: Tx, actor: Agent, inter: Interaction, cmd: m.SendMessage, msg: Message
            ) -> list[Attachment]:
    """Fill ``msg``'s email fields; returns the uploads it carries (claimed, not yet
    linked: call :func:`link` once ``msg`` has its id)."""
    if cmd.mode == "forward":
        subject = cmd.subject or reply_subject(inter.subject, "forward")
    else:
        subject = cmd.subject or inter.subject or ""
        if not subject.lower().startswith("re:"):
            subject = f"Re: {subject}"
    to, cc = _recipients(tx, inter, cmd)
    files = claim(tx, actor, inter, list(cmd.attachment_ids))
    msg.subject, msg.to_addrs, msg.cc_addrs = subject[:500], to, cc
    msg.from_addr = OUR_ADDRESS
    msg.message_id = f"<{uuid.uuid4()}@agentdesk.example>"
    if cmd.html and cmd.html.strip():
        msg.html = sanitize_html(cmd.html).html
    if cmd.mode != "forward":  # a forward starts a thread of its own
        last = _last(tx, inter, Message.message_id.is_not(None))
        if last is not None:
            msg.in_reply_to = last.message_id
            msg.references = [*(last.references or []), last.message_id]
    return files


def check_chat(cmd: m.SendMessage) -> None:
    if cmd.mode != "reply" or cmd.attachment_ids or (cmd.html and cmd.html.strip()):
        raise _invalid("send_message: forwarding, HTML and attachments are for email only")


def link(msg: Message, files: list[Attachment]) -> None:
    for a in files:
        a.message_id = msg.id
