"""Email attachments: chunked uploads for replies, inbound files, stored and read back
piece by piece (rows of ``attachment_chunks``, at most ``MAX_CHUNK_BYTES`` each)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..protocol import messages as m
from ..protocol.codes import ErrorCode
from ..protocol.enums import Channel, InteractionState
from .errors import CommandError, forbidden, invalid_state, not_found
from .models import Agent, Attachment, AttachmentChunk, Interaction
from .tx import Tx

if TYPE_CHECKING:
    from .lifecycle import Handler, Settings

LIMIT = m.MAX_ATTACHMENTS_BYTES
CHUNK = m.MAX_CHUNK_BYTES


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n:,} bytes"


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


def _over_limit(what: str, size: int) -> CommandError:
    return CommandError(ErrorCode.LIMIT_EXCEEDED, f"{what} {size_text(size)}: attachments "
                        f"may total at most {size_text(LIMIT)}")


def upload_chunk(tx: Tx, actor: Agent, cmd: m.UploadChunk, cfg: Settings) -> dict[str, Any]:
    """One piece of an attachment, in order. Everything is checked before anything is
    written, so a refused piece stores nothing."""
    inter = tx.session.get(Interaction, cmd.interaction_id)
    if inter is None:
        raise not_found(f"interaction {cmd.interaction_id}")
    if inter.channel != Channel.EMAIL:
        raise invalid_state(f"cannot upload attachments on a {inter.channel} interaction")
    if inter.assigned_agent_id != actor.id:
        raise forbidden(f"interaction {inter.id} is not assigned to you")
    if inter.state != InteractionState.ASSIGNED:
        raise invalid_state(f"cannot upload attachments: interaction {inter.id} is {inter.state}")
    if cmd.total_size > LIMIT:
        raise _over_limit(f"{cmd.filename!r} is", cmd.total_size)
    try:
        data = base64.b64decode(cmd.data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"upload_chunk: data is not valid base64 ({exc})") from exc
    if len(data) > CHUNK:
        raise CommandError(ErrorCode.LIMIT_EXCEEDED,
                           f"upload_chunk: a piece may hold at most {CHUNK} bytes, not "
                           f"{len(data)}")
    att = tx.session.execute(select(Attachment).where(
        Attachment.agent_id == actor.id, Attachment.upload_id == cmd.upload_id)
    ).scalar_one_or_none()
    received = att.received if att is not None else 0
    if att is not None:
        if (att.interaction_id != inter.id or att.filename != cmd.filename
                or att.size != cmd.total_size):
            raise _invalid(f"upload {cmd.upload_id!r} is already used for another file")
        if att.message_id is not None:
            raise invalid_state(f"upload {cmd.upload_id!r} was already sent")
    if cmd.offset != received:
        raise _invalid(f"upload {cmd.upload_id!r}: expected the piece at offset {received}, "
                       f"got offset {cmd.offset} (send pieces in order)")
    if received + len(data) > cmd.total_size:
        raise _invalid(f"upload {cmd.upload_id!r}: the pieces exceed total_size "
                       f"({received + len(data)} > {cmd.total_size})")
    if not data and received < cmd.total_size:
        raise _invalid(f"upload {cmd.upload_id!r}: empty piece")
    if att is None:
        att = Attachment(interaction_id=inter.id, agent_id=actor.id, upload_id=cmd.upload_id,
                         filename=cmd.filename, content_type=cmd.content_type or
                         "application/octet-stream", size=cmd.total_size, received=0,
                         created_at=tx.now)
        tx.session.add(att)
        tx.session.flush()
    if data:
        tx.session.add(AttachmentChunk(attachment_id=att.id, offset=received, data=data))
    att.received = received + len(data)
    complete = att.received == att.size
    return {"received": att.received, "complete": complete,
            "attachment_id": att.id if complete else None}


HANDLERS: dict[type[m.Command], Handler] = {m.UploadChunk: upload_chunk}


def claim(tx: Tx, actor: Agent, inter: Interaction, ids: Sequence[int]) -> list[Attachment]:
    """The uploads ``ids`` for an outgoing email of ``actor`` on ``inter``: each a complete,
    unsent upload of theirs for this interaction, together within the limit."""
    if len(set(ids)) != len(ids):
        raise _invalid("send_message: an attachment is listed twice")
    found = {a.id: a for a in tx.session.execute(
        select(Attachment).where(Attachment.id.in_(list(ids)))).scalars()} if ids else {}
    out = []
    for aid in ids:
        a = found.get(aid)
        if a is None or a.agent_id != actor.id or a.interaction_id != inter.id:
            raise _invalid(f"attachment {aid} is not an upload of yours for interaction "
                           f"{inter.id}")
        if a.received != a.size:
            raise _invalid(f"attachment {aid} ({a.filename!r}) is not completely uploaded "
                           f"({a.received} of {a.size} bytes)")
        if a.message_id is not None:
            raise _invalid(f"attachment {aid} ({a.filename!r}) was already sent")
        out.append(a)
    total = sum(a.size for a in out)
    if total > LIMIT:
        raise _over_limit("the attachments together are", total)
    return out


def store_file(session: Session, *, interaction_id: int, message_id: int, filename: str,
               content_type: str, data: bytes, content_id: str | None, now: float
               ) -> Attachment:
    """An inbound file with its bytes, in pieces."""
    att = Attachment(interaction_id=interaction_id, message_id=message_id,
                     filename=(filename or "attachment")[:255],
                     content_type=(content_type or "application/octet-stream")[:127],
                     size=len(data), received=len(data),
                     content_id=content_id[:300] if content_id else None, created_at=now)
    session.add(att)
    session.flush()
    view = memoryview(data)
    for offset in range(0, len(data), CHUNK):
        session.add(AttachmentChunk(attachment_id=att.id, offset=offset,
                                    data=bytes(view[offset:offset + CHUNK])))
    return att


def read_chunk(session: Session, attachment_id: int, offset: int, length: int
               ) -> dict[str, Any]:
    """Up to ``length`` bytes from ``offset``: ``{"data", "offset", "size", "eof"}``."""
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise not_found(f"attachment {attachment_id}")
    available = att.received
    if offset > available:
        raise _invalid(f"get_attachment: offset {offset} is past the end of attachment "
                       f"{attachment_id} ({available} bytes)")
    end = min(offset + length, available)
    first = session.execute(select(func.max(AttachmentChunk.offset)).where(
        AttachmentChunk.attachment_id == att.id, AttachmentChunk.offset <= offset)).scalar()
    out = bytearray()
    if end > offset and first is not None:
        rows = session.execute(select(AttachmentChunk.offset, AttachmentChunk.data).where(
            AttachmentChunk.attachment_id == att.id, AttachmentChunk.offset >= first,
            AttachmentChunk.offset < end).order_by(AttachmentChunk.offset)).all()
        for start, data in rows:
            lo, hi = max(offset, start), min(end, start + len(data))
            if hi > lo:
                out += data[lo - start:hi - start]
    return {"data": base64.b64encode(bytes(out)).decode("ascii"), "offset": offset,
            "size": att.size, "eof": offset + len(out) >= att.size}
