"""Raw RFC 5322 messages into :class:`ParsedEmail`, robustly.

The standard library's parser (``policy.default``) is lenient: broken MIME becomes defects,
not exceptions. What it can still do (deep nesting -> ``RecursionError``, odd charsets ->
``LookupError``, pathological header values) is contained here, so a hostile message gives
either a result with ``notes`` or one :class:`~agent_desk.channels.errors.EmailError`, never
an unhandled exception or a hang. Bodies are cut for display above a limit, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from enum import StrEnum

from ..errors import EmailError
from .addresses import lenient_addresses
from .sanitize import html_to_text

#: Largest raw message accepted at all.
MAX_RAW_BYTES = 50 * 1024 * 1024
#: Text and HTML bodies longer than this are cut for display (a note says so).
MAX_TEXT_CHARS = 500_000
MAX_HTML_CHARS = 1_000_000
#: Header values longer than this are cut before they are interpreted.
MAX_HEADER_CHARS = 16_000
MAX_PARTS = 500
MAX_DEPTH = 30
MAX_REFERENCES = 100
_MSGID = re.compile(r"<[^<>\s]{1,250}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD = re.compile(r"\r?\n(?=[ \t])")


class NoteCode(StrEnum):
    TEXT_TRUNCATED = "text_truncated"
    HTML_TRUNCATED = "html_truncated"
    MALFORMED = "malformed"  # the parser recorded MIME defects
    TOO_MANY_PARTS = "too_many_parts"
    NO_BODY = "no_body"
    BAD_DATE = "bad_date"


@dataclass(frozen=True, slots=True)
class ParseNote:
    code: NoteCode
    message: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """An attachment as listed in the thread; :func:`attachment_bytes` gets its content
    (for saving to a place the agent chooses: nothing here ever opens or runs it)."""

    name: str
    size: int
    content_type: str
    content_id: str | None = None  # set for inline parts referenced as cid:
    inline: bool = False
    index: int = 0  # position among the message's leaf parts (for fetching the bytes)


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    """A received message, shaped like ``MessageView``'s email fields. ``from_addr`` is the
    bare address and ``author`` its display name; ``to``/``cc`` keep display names."""

    subject: str = ""
    from_addr: str | None = None
    author: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    at: datetime | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""  # the text/plain body as sent ("" when there was none)
    html: str | None = None  # unsanitised: pass it through sanitize_html before showing
    attachments: list[AttachmentInfo] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)
    #: Only with ``parse_message(raw, keep_parts=True)``: each attachment's decoded content,
    #: in the order of ``attachments`` (None for one whose content cannot be read, e.g. an
    #: attached message that cannot be re-serialised); empty otherwise. Use :meth:`content`.
    parts: list[bytes | None] = field(default_factory=list, repr=False, compare=False)

    @property
    def body(self) -> str:
        """Plain text to show or quote: the text part, else the HTML rendered as text."""
        if self.text.strip() or self.html is None:
            return self.text
        return html_to_text(self.html)

    def content(self, info: AttachmentInfo) -> bytes | None:
        """The decoded content of one of :attr:`attachments`, from the same parse (no
        second read of the raw message): None when it cannot be read. Needs
        ``keep_parts=True``; otherwise use :func:`attachment_bytes` with the raw message."""
        if not self.parts and self.attachments:
            raise ValueError("the message was parsed without keep_parts=True")
        for n, mine in enumerate(self.attachments):
            if mine == info:
                return self.parts[n]
        raise EmailError(f"attachment {info.name!r} is not in this message",
                         code="no_attachment")

    @property
    def truncated(self) -> bool:
        return any(n.code in (NoteCode.TEXT_TRUNCATED, NoteCode.HTML_TRUNCATED)
                   for n in self.notes)


def _decode_header(name: str, raw: str) -> str:
    raw = _FOLD.sub("", raw[:MAX_HEADER_CHARS])
    try:
        value = str(policy.default.header_factory(name, raw))
    except Exception:  # noqa: BLE001 - header parsing of hostile input: keep the raw text
        value = raw
    return _CONTROL.sub(" ", " ".join(value.split()))


def _headers(msg: Message, name: str) -> list[str]:
    """Every value of a header, decoded (RFC 2047 words), cut, without line breaks."""
    return [_decode_header(name, str(v)) for k, v in msg.raw_items()
            if k.lower() == name.lower()]


def _header(msg: Message, name: str) -> str:
    values = _headers(msg, name)
    return values[0] if values else ""


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for cs in (charset, "utf-8", "latin-1"):
        try:
            return payload.decode(cs, errors="replace")
        except (LookupError, ValueError):
            continue
    return payload.decode("latin-1")  # pragma: no cover - latin-1 decodes anything


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - malformed RFC 2231 parameters
        return "attachment"
    if name is None:
        return None
    name = _CONTROL.sub("", str(name)).replace("/", "_").replace("\\", "_").strip()
    return name[:255] or "attachment"


def _content(part: Message) -> bytes | None:
    """A leaf part's decoded content (an attached message re-serialised; None when that
    fails)."""
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    if part.get_content_maintype() != "message":
        return b""
    try:
        return part.as_bytes()
    except Exception:  # noqa: BLE001 - an embedded message that cannot be re-serialised
        return None


def _leaves(msg: Message, notes: list[ParseNote]) -> tuple[list[Message], list[str]]:
    """Leaf parts in order (an attached message counts as one) and the MIME defects seen,
    walked without recursion and with bounds."""
    out: list[Message] = []
    defects: list[str] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    seen = 0
    too_deep = False
    while stack:
        part, depth = stack.pop()
        seen += 1
        defects += [type(d).__name__ for d in part.defects]
        if seen > MAX_PARTS:
            notes.append(ParseNote(NoteCode.TOO_MANY_PARTS,
                                   f"only the first {MAX_PARTS} MIME parts were read"))
            break
        payload = part.get_payload()
        if (part.is_multipart() and isinstance(payload, list)
                and part.get_content_type() != "message/rfc822"):
            if depth >= MAX_DEPTH:
                if not too_deep:
                    too_deep = True
                    notes.append(ParseNote(NoteCode.TOO_MANY_PARTS, "MIME parts nested deeper "
                                           f"than {MAX_DEPTH} levels were not read"))
                continue
            stack.extend((p, depth + 1) for p in reversed(payload) if isinstance(p, Message))
        else:
            out.append(part)
    return out, defects


def _cut(value: str, limit: int, code: NoteCode, what: str,
         notes: list[ParseNote]) -> str:
    if len(value) <= limit:
        return value
    notes.append(ParseNote(code, f"the {what} was cut for display: the first {limit:,} of "
                                 f"{len(value):,} characters are shown"))
    return value[:limit]


def parse_message(raw: bytes | str, *, keep_parts: bool = False) -> ParsedEmail:
    """A :class:`ParsedEmail` from a raw message, or :class:`EmailError` for input that is
    not a message at all (too large, empty, or broken beyond reading). With ``keep_parts``
    the attachments' decoded content is kept too (:attr:`ParsedEmail.parts`,
    :meth:`ParsedEmail.content`): the raw message is read once for everything."""
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
    if len(data) > MAX_RAW_BYTES:
        raise EmailError(f"the message is {len(data) / 1048576:.1f} MB; messages over "
                         f"{MAX_RAW_BYTES // 1048576} MB are not opened", code="too_large")
    if not data.strip():
        raise EmailError("the message is empty", code="empty")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
        return _build(msg, keep_parts)
    except RecursionError as exc:
        raise EmailError("the message's MIME structure is nested too deeply to read",
                         code="malformed") from exc
    except EmailError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input must never escape unexplained
        raise EmailError(f"the message cannot be read ({type(exc).__name__}: {exc})"[:300],
                         code="malformed") from exc


def attachment_bytes(raw: bytes | str, info: AttachmentInfo) -> bytes:
    """The decoded content of one attachment listed by :func:`parse_message` for ``raw``."""
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
        leaves, _ = _leaves(msg, [])
        part = leaves[info.index]
    except (RecursionError, IndexError) as exc:
        raise EmailError(f"attachment {info.name!r} is not in this message",
                         code="no_attachment") from exc
    content = _content(part)
    if content is None:
        raise EmailError(f"attachment {info.name!r} cannot be read", code="unreadable")
    return content


def _build(msg: Message, keep_parts: bool = False) -> ParsedEmail:
    notes: list[ParseNote] = []
    sender = lenient_addresses([_header(msg, "From")])
    at: datetime | None = None
    date_raw = _header(msg, "Date")
    if date_raw:
        try:
            at = parsedate_to_datetime(date_raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            notes.append(ParseNote(NoteCode.BAD_DATE, f"unreadable date {date_raw[:60]!r}"))
    ids = _MSGID.findall(_header(msg, "Message-ID"))
    reply_ids = _MSGID.findall(_header(msg, "In-Reply-To"))
    refs = list(dict.fromkeys(
        _MSGID.findall(" ".join(_headers(msg, "References")))))[-MAX_REFERENCES:]

    text_parts: list[str] = []
    html_parts: list[str] = []
    attachments: list[AttachmentInfo] = []
    parts: list[bytes | None] = []
    leaves, defects = _leaves(msg, notes)
    for index, part in enumerate(leaves):
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        name = _filename(part)
        is_body = ctype in ("text/plain", "text/html") and disposition != "attachment" and (
            name is None or disposition == "inline")
        if is_body and ctype == "text/plain":
            text_parts.append(_decode(part))
        elif is_body:
            html_parts.append(_decode(part))
        else:
            cid = _MSGID.findall(_header(part, "Content-ID"))
            default = "message.eml" if ctype == "message/rfc822" else f"part-{index + 1}"
            data = _content(part)
            attachments.append(AttachmentInfo(
                name or default, len(data or b""), ctype,
                cid[0][1:-1] if cid else None, disposition == "inline", index))
            if keep_parts:
                parts.append(data)
    if defects:
        kinds = sorted(set(defects))
        notes.append(ParseNote(NoteCode.MALFORMED, "malformed MIME: " + ", ".join(kinds[:5])))
    text = _cut("\n".join(text_parts), MAX_TEXT_CHARS, NoteCode.TEXT_TRUNCATED, "text",
                notes)
    html = _cut("\n".join(html_parts), MAX_HTML_CHARS, NoteCode.HTML_TRUNCATED, "HTML",
                notes) if html_parts else None
    if not text.strip() and not (html or "").strip():
        notes.append(ParseNote(NoteCode.NO_BODY, "the message has no readable text"))
    return ParsedEmail(
        subject=_header(msg, "Subject")[:998],
        from_addr=sender[0].addr if sender else None,
        author=(sender[0].name or sender[0].addr) if sender else "",
        to=[str(a) for a in lenient_addresses(_headers(msg, "To"))],
        cc=[str(a) for a in lenient_addresses(_headers(msg, "Cc"))],
        reply_to=[str(a) for a in lenient_addresses(_headers(msg, "Reply-To"))],
        at=at, message_id=ids[0] if ids else None,
        in_reply_to=reply_ids[0] if reply_ids else None, references=refs,
        text=text, html=html, attachments=attachments, notes=notes, parts=parts)
