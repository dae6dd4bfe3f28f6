"""Email attachments over the protocol, piece by piece (no widgets).

- ``upload_file``: reads a local file in 512 KiB pieces (off the GUI thread) and sends each
  as an ``upload_chunk`` command; the last ack carries the ``attachment_id`` to put in
  ``send_message``'s ``attachment_ids``.
- ``download_attachment``: asks ``get_attachment`` for successive pieces and writes them to
  a temporary file beside the destination, which replaces the destination only when the
  whole file arrived (``os.replace``): a failure or a cancel leaves no half-written file.
  The bytes are only written, never opened or executed.

Both take a ``Transport``: anything with the controller's ``send(cmd, failed_text)`` and
``ask(query, result_type, offline_text)`` (``ui.controller.Controller`` is one). Query
failures raise whatever ``ask`` raises (the controller's ``QueryFailed``) after cleaning up.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import mimetypes
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import msgspec

from ..protocol import messages as m

T = TypeVar("T")
CHUNK = m.MAX_CHUNK_BYTES
#: progress(done_bytes, total_bytes)
Progress = Callable[[int, int], None]


class Transport(Protocol):
    async def send(self, cmd: m.Command, failed: str) -> m.Ack | None: ...
    async def ask(self, query: m.Query, result_type: type[T], offline_text: str = "") -> T: ...


class TransferError(Exception):
    """An upload or download did not complete; ``str()`` says why (English, for logs; the
    ``code`` lets a view show its own translated text: ``offline``, ``refused``,
    ``changed``, ``io``, ``bad_data``)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class AttachmentPiece(msgspec.Struct, kw_only=True):
    """The ``get_attachment`` result."""

    data: str
    offset: int
    size: int
    eof: bool


def guess_type(path: Path | str) -> str:
    kind, _ = mimetypes.guess_type(str(path), strict=False)
    return kind or "application/octet-stream"


def _read(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(length)


async def upload_file(transport: Transport, interaction_id: int, path: Path | str, *,
                      failed_text: str = "Could not upload the attachment",
                      filename: str | None = None, content_type: str | None = None,
                      progress: Progress | None = None) -> int:
    """Upload ``path`` for a reply in ``interaction_id``; returns the ``attachment_id``.
    Raises ``TransferError`` (``offline`` when a piece could only be queued, ``refused``
    when the server said no: the controller already reported why; ``changed`` when the
    file changed while it was read; ``io`` when it cannot be read)."""
    path = Path(path)
    name = (filename or path.name)[:255] or "attachment"
    kind = content_type or guess_type(path)
    try:
        total = (await asyncio.to_thread(path.stat)).st_size
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}", "io") from exc
    upload_id = uuid.uuid4().hex
    offset = 0
    while True:
        try:
            data = await asyncio.to_thread(_read, path, offset, CHUNK)
        except OSError as exc:
            raise TransferError(f"cannot read {path}: {exc.strerror or exc}", "io") from exc
        last = offset + len(data) >= total
        if (not data and offset < total) or offset + len(data) > total:
            raise TransferError(f"{name} changed while it was being uploaded", "changed")
        cmd = m.UploadChunk(key=uuid.uuid4().hex, interaction_id=interaction_id,
                            upload_id=upload_id, filename=name, content_type=kind[:127],
                            total_size=total, offset=offset,
                            data=base64.b64encode(data).decode("ascii"))
        ack = await transport.send(cmd, failed_text)
        if ack is None:
            raise TransferError(f"{name}: not uploaded (offline or not saved)", "offline")
        if not ack.ok:
            reason = ack.error.message if ack.error else "refused"
            raise TransferError(f"{name}: {reason}", "refused")
        offset += len(data)
        if progress is not None:
            progress(offset, total)
        result: dict[str, Any] = ack.result if isinstance(ack.result, dict) else {}
        if last:
            attachment_id = result.get("attachment_id")
            if not isinstance(attachment_id, int):
                raise TransferError(f"{name}: the server did not confirm the upload",
                                    "bad_data")
            return attachment_id


async def fetch_bytes(transport: Transport, attachment_id: int, max_bytes: int, *,
                      offline_text: str = "") -> bytes:
    """A small attachment (an inline ``cid:`` image) in memory; ``TransferError``
    (``bad_data``) when it is larger than ``max_bytes`` or a piece is damaged."""
    out = bytearray()
    while True:
        piece = await transport.ask(m.GetAttachment(attachment_id=attachment_id,
                                                    offset=len(out)), AttachmentPiece,
                                    offline_text)
        if piece.size > max_bytes or piece.offset != len(out):
            raise TransferError(f"attachment {attachment_id}: too large or out of order",
                                "bad_data")
        try:
            out += base64.b64decode(piece.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise TransferError(f"attachment {attachment_id}: a damaged piece",
                                "bad_data") from exc
        if piece.eof or len(out) > max_bytes:
            break
    if len(out) > max_bytes:
        raise TransferError(f"attachment {attachment_id}: larger than announced", "bad_data")
    return bytes(out)


def _write_piece(fh: Any, data: bytes) -> None:
    fh.write(data)


def _finish(fh: Any, tmp: Path, dest: Path) -> None:
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()
    os.replace(tmp, dest)


def _discard(fh: Any, tmp: Path) -> None:
    try:
        fh.close()
    finally:
        tmp.unlink(missing_ok=True)


async def download_attachment(transport: Transport, attachment_id: int, dest: Path | str, *,
                              offline_text: str = "", expected_size: int | None = None,
                              progress: Progress | None = None) -> int:
    """Fetch attachment ``attachment_id`` into ``dest`` (replaced atomically when complete);
    returns the number of bytes written. Raises what ``transport.ask`` raises, or
    ``TransferError`` (``bad_data`` for a malformed piece, ``io`` for a write failure)."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        fh = await asyncio.to_thread(open, tmp, "wb")
    except OSError as exc:
        raise TransferError(f"cannot write {dest}: {exc.strerror or exc}", "io") from exc
    done = False
    offset = 0
    try:
        while True:
            piece = await transport.ask(m.GetAttachment(attachment_id=attachment_id,
                                                        offset=offset), AttachmentPiece,
                                        offline_text)
            try:
                data = base64.b64decode(piece.data, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise TransferError(f"attachment {attachment_id}: a damaged piece",
                                    "bad_data") from exc
            total = piece.size if expected_size is None else expected_size
            if piece.offset != offset or offset + len(data) > piece.size or (
                    not data and not piece.eof):
                raise TransferError(f"attachment {attachment_id}: pieces out of order",
                                    "bad_data")
            try:
                await asyncio.to_thread(_write_piece, fh, data)
            except OSError as exc:
                raise TransferError(f"cannot write {dest}: {exc.strerror or exc}",
                                    "io") from exc
            offset += len(data)
            if progress is not None:
                progress(offset, total)
            if piece.eof:
                break
        try:
            await asyncio.to_thread(_finish, fh, tmp, dest)
        except OSError as exc:
            raise TransferError(f"cannot write {dest}: {exc.strerror or exc}", "io") from exc
        done = True
        return offset
    finally:
        if not done:
            await asyncio.to_thread(_discard, fh, tmp)
