"""Inbound email content: a raw RFC 5322 message turned into the contact's fields (subject,
sender, recipients, text, HTML, attachments), and a received message's content stored
within the protocol's limits (the text capped, the HTML cut so the ``message`` event stays
under the frame limit; attachments are never dropped: they are stored in pieces and
fetched with ``get_attachment``). Malformed input never fails the contact."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

import msgspec

from ..channels.email import EmailError, ParsedEmail, parse_message
from .attachments import store_file
from .connectors import InboundAttachment, InboundContact
from .models import Attachment, Message
from .tx import Tx
from .views import message_view

log = logging.getLogger("agent_desk.server.email_in")
#: Longest text body stored (the protocol's body limit); a note says when it was cut.
MAX_TEXT_CHARS = 200_000
#: A stored message's view (body, HTML, attachment list) stays under this many bytes of
#: JSON, so its ``message`` event and ``get_interaction`` stay well under 1 MiB frames.
MAX_VIEW_BYTES = 900_000
#: Of that, the text body may take at most this many bytes (the HTML gets the rest).
MAX_BODY_BYTES = 600_000
UNKNOWN_SENDER = "unknown-sender@invalid.example"


def _files(parsed: ParsedEmail, notes: list[str]) -> list[InboundAttachment]:
    """Every listed attachment with its bytes, from the one parse (``keep_parts``)."""
    out = []
    for info, data in zip(parsed.attachments, parsed.parts, strict=True):
        if data is None:  # e.g. an attached message that cannot be re-serialised
            log.warning("attachment %r unreadable", info.name)
            notes.append(f"the attachment {info.name!r} could not be read")
            continue
        out.append(InboundAttachment(info.name, info.content_type, data, info.content_id))
    return out


def _from_parsed(contact: InboundContact, parsed: ParsedEmail) -> InboundContact:
    notes = [n.message for n in parsed.notes]
    files = _files(parsed, notes)
    body = parsed.body
    if notes:
        body = body.rstrip("\n") + ("\n\n" if body.strip() else "") + "\n".join(
            f"[{n}]" for n in notes)
    return replace(
        contact, raw_mime=None,
        identity=contact.identity or parsed.from_addr or UNKNOWN_SENDER,
        customer_name=contact.customer_name or parsed.author,
        subject=parsed.subject or contact.subject, body=body, html=parsed.html,
        to=list(parsed.to) or list(contact.to), cc=list(parsed.cc) or list(contact.cc),
        external_ref=parsed.message_id or contact.external_ref,
        attachments=[*contact.attachments, *files])


def prepare(contact: InboundContact) -> InboundContact:
    """``contact`` with its ``raw_mime`` parsed into the other fields (and cleared). A
    message that cannot be read at all still makes a contact: the raw message is kept as
    an attachment ``message.eml`` and the body says why. Pure: safe on any thread."""
    raw = contact.raw_mime
    if raw is None:
        return contact
    try:
        return _from_parsed(contact, parse_message(raw, keep_parts=True))
    except EmailError as exc:
        log.warning("received message unreadable (%s): kept as an attachment", exc)
        why = f"[This message could not be read: {exc}. The original is attached.]"
        return replace(contact, raw_mime=None, identity=contact.identity or UNKNOWN_SENDER,
                       body=f"{contact.body}\n\n{why}" if contact.body else why,
                       attachments=[*contact.attachments,
                                    InboundAttachment("message.eml", "message/rfc822", raw)])


def cap_text(body: str) -> str:
    if len(body) <= MAX_TEXT_CHARS:
        return body
    note = (f"\n\n[The text was cut: the first {{n:,}} of {len(body):,} characters are "
            "shown.]")
    keep = MAX_TEXT_CHARS - len(note) - 20
    return body[:keep] + note.format(n=keep)


def _json_len(value: object) -> int:
    return len(msgspec.json.encode(value))


def _cut_html(html: str, budget: int) -> str:
    """``html`` cut to fit ``budget`` bytes of JSON (at a tag boundary), with a note."""
    note = ("<p><em>[The rest of this message was cut: it is too large to show. "
            f"{len(html):,} characters were received.]</em></p>")
    keep = len(html)
    while keep > 0:
        keep = max(0, min(keep - 1, keep * budget // max(1, _json_len(html[:keep]) + 200)))
        cut = html[:keep]
        tag = cut.rfind("<")
        if tag > cut.rfind(">"):
            cut = cut[:tag]  # never end inside a tag
        if _json_len(cut + note) <= budget:
            return cut + note
    return note


def _fit(msg: Message, files: list[Attachment]) -> None:
    """Make the message's view fit ``MAX_VIEW_BYTES``: the text first, then the HTML."""
    if _json_len(msg.body) > MAX_BODY_BYTES:
        keep = len(msg.body) * MAX_BODY_BYTES // _json_len(msg.body) - 200
        msg.body = msg.body[:max(0, keep)] + "\n\n[The text was cut: it is too large to show.]"
    size = _json_len(message_view(msg, files))
    if size <= MAX_VIEW_BYTES or not msg.html:
        return
    budget = _json_len(msg.html) - (size - MAX_VIEW_BYTES)
    msg.html = _cut_html(msg.html, max(0, budget))


def add_content(tx: Tx, msg: Message, html: str | None,
                attachments: Sequence[InboundAttachment] = ()) -> list[Attachment]:
    """Store a received message's text (capped), HTML (raw: clients sanitise it) and files;
    ``msg`` is added to the session here. Returns the stored files (for its view)."""
    msg.body = cap_text(msg.body or "")
    msg.html = html or None
    tx.session.add(msg)
    tx.session.flush()
    files = [store_file(tx.session, interaction_id=msg.interaction_id, message_id=msg.id,
                        filename=a.filename, content_type=a.content_type, data=a.data,
                        content_id=a.content_id, now=tx.now) for a in attachments]
    _fit(msg, files)
    return files
