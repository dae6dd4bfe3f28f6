"""Reply, reply-all and forward drafts: subject, threading headers, recipients, quoting,
signature, attachments and the checks run before sending. Pure functions over
:class:`EmailLike` messages (``MessageView`` from the server or a parsed raw message)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from email.utils import format_datetime
from typing import Any, Literal, Protocol

from ..errors import AttachmentError, EmailError
from .addresses import Address, AddressProblem, check_addresses, lenient_addresses

ReplyMode = Literal["reply", "reply_all", "forward"]

#: Total size of a draft's attachments (the limit most mail providers accept).
MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024
#: Longest quoted text put in a reply (the rest is cut with a marker line).
MAX_QUOTE_CHARS = 100_000
MAX_REFERENCES = 20
SIGNATURE_DELIMITER = "-- "
ATTRIBUTION = "On {date}, {name} wrote:"
#: The attribution line in the language of the customer the reply goes to.
ATTRIBUTIONS = {"en": ATTRIBUTION, "zh": "{name} 于 {date} 写道："}
FORWARD_MARKER = "---------- Forwarded message ----------"
#: Longest body and subject the protocol carries.
MAX_BODY_CHARS = 200_000
MAX_SUBJECT_CHARS = 500

# Reply and forward prefixes in common mail clients' languages (matched case-insensitively,
# with ASCII or full-width colon and optional counters like "Re[2]:" or "RE(3):").
_PREFIX_WORDS = (
    "re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "tr", "rif", "res", "enc", "odp",
    "отв", "ответ", "回复", "回覆", "答复", "答覆", "转发", "轉發", "轉寄", "返信", "転送",
    "회신", "전달",
)
_PREFIX = re.compile(r"\s*(?:" + "|".join(map(re.escape, _PREFIX_WORDS))
                     + r")\s*(?:\[\d{1,3}\]|\(\d{1,3}\))?\s*[:：]\s*", re.IGNORECASE)
_TAG = re.compile(r"\s*(\[[^\]]{1,40}\])\s*")  # a ticket tag such as "[#123]"
_MSGID = re.compile(r"<[^<>\s]+>")


class EmailLike(Protocol):
    """What composing needs from a message (``MessageView`` and ``ParsedEmail`` fit)."""

    @property
    def subject(self) -> str | None: ...
    @property
    def from_addr(self) -> str | None: ...
    @property
    def author(self) -> str: ...
    @property
    def to(self) -> list[str]: ...
    @property
    def cc(self) -> list[str]: ...
    @property
    def body(self) -> str: ...
    @property
    def message_id(self) -> str | None: ...
    @property
    def in_reply_to(self) -> str | None: ...
    @property
    def references(self) -> list[str]: ...
    @property
    def at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    size: int
    content_type: str = "application/octet-stream"
    path: str | None = None  # where the composer reads it from when sending


@dataclass(frozen=True, slots=True)
class Draft:
    """An email being written. ``body`` is plain text; the cursor belongs at the top."""

    mode: ReplyMode | Literal["new"] = "new"
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    forwarded_message_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (for autosaving drafts locally)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """The inverse of :meth:`to_dict`; unknown keys are ignored, bad data raises
        :class:`EmailError` (a corrupt autosave file must not crash the composer)."""
        try:
            fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
            for key in ("to", "cc", "bcc", "references"):
                fields[key] = tuple(str(v) for v in fields.get(key, ()))
            fields["attachments"] = tuple(Attachment(**a) for a in fields.get("attachments", ()))
            draft = cls(**fields)
        except (TypeError, ValueError, AttributeError) as exc:
            raise EmailError(f"the saved draft cannot be read: {exc}", code="bad_draft") from exc
        if draft.mode not in ("new", "reply", "reply_all", "forward"):
            raise EmailError(f"the saved draft has an unknown mode {draft.mode!r}",
                             code="bad_draft")
        return draft


@dataclass(frozen=True, slots=True)
class DraftProblem:
    """One reason a draft cannot be sent: ``field`` is to/cc/bcc/subject/body/attachments."""

    field: str
    code: str
    message: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class DraftCheck:
    problems: tuple[DraftProblem, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    address_problems: tuple[AddressProblem, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- subject -----------------------------------------------------------------------------
def base_subject(subject: str | None) -> str:
    """The subject without leading reply/forward prefixes (``Re: AW: 回复: x`` -> ``x``); a
    ticket tag in front of them is kept (``[#12] Re: x`` -> ``[#12] x``)."""
    text = " ".join((subject or "").split())
    tag = ""
    while True:
        m = _PREFIX.match(text)
        if m is not None:
            text = text[m.end():]
            continue
        t = _TAG.match(text)
        if t is not None and not tag and _PREFIX.match(text, t.end()):
            tag, text = t.group(1), text[t.end():]
            continue
        return f"{tag} {text}".strip() if tag else text


def reply_subject(subject: str | None, mode: ReplyMode) -> str:
    """``Re: x`` / ``Fwd: x``, the prefix added exactly once whatever was there before."""
    prefix = "Fwd:" if mode == "forward" else "Re:"
    base = base_subject(subject)
    return f"{prefix} {base}" if base else prefix


# ---- threading ---------------------------------------------------------------------------
def thread_references(msg: EmailLike) -> tuple[str, ...]:
    """``References`` for a reply to ``msg`` (RFC 5322 3.6.4): its references (or its
    in-reply-to) followed by its message id; long chains keep the first and the latest."""
    refs: list[str] = [r for r in msg.references if _MSGID.fullmatch(r)]
    if not refs and msg.in_reply_to and _MSGID.fullmatch(msg.in_reply_to):
        refs = [msg.in_reply_to]
    if msg.message_id and _MSGID.fullmatch(msg.message_id):
        refs.append(msg.message_id)
    refs = list(dict.fromkeys(refs))
    if len(refs) > MAX_REFERENCES:
        refs = [refs[0], *refs[-(MAX_REFERENCES - 1):]]
    return tuple(refs)


# ---- quoting and signature ----------------------------------------------------------------
def quote_text(text: str) -> str:
    """``> `` quoting (``>>`` for already quoted lines), cut at :data:`MAX_QUOTE_CHARS`."""
    cut = len(text) > MAX_QUOTE_CHARS
    lines = text[:MAX_QUOTE_CHARS].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    quoted = [(">" + ln if ln.startswith(">") else "> " + ln) if ln.strip() else ">"
              for ln in lines]
    if cut:
        quoted.append("> [...]")
    return "\n".join(quoted)


def attribution_template(language: str | None) -> str:
    """The attribution line for a customer writing ``language`` ("zh", "zh_CN", "en"...)."""
    return ATTRIBUTIONS.get((language or "en").split("_")[0].split("-")[0].lower(),
                            ATTRIBUTION)


def attribution(msg: EmailLike, template: str = ATTRIBUTION) -> str:
    """``On {date}, {name} wrote:`` (date in RFC 5322 form, independent of the locale)."""
    date = format_datetime(msg.at) if msg.at is not None and msg.at.tzinfo else (
        msg.at.isoformat(sep=" ", timespec="minutes") if msg.at is not None else "?")
    name = msg.author or msg.from_addr or "?"
    return template.format(date=date, name=name)


def signature_block(signature: str) -> str:
    sig = signature.strip("\n")
    return f"{SIGNATURE_DELIMITER}\n{sig}" if sig else ""


def with_signature(body: str, signature: str) -> str:
    """``body`` with the signature appended once, above any quoted text (idempotent)."""
    block = signature_block(signature)
    if not block:
        return body
    lines = body.split("\n")
    cut = next((i for i, ln in enumerate(lines)
                if ln.startswith(">") or ln.startswith(FORWARD_MARKER)), len(lines))
    if cut and cut < len(lines) and lines[cut - 1].endswith(":"):
        cut -= 1  # keep the attribution line with its quote
    head = "\n".join(lines[:cut]).rstrip("\n")
    if block in head:
        return body
    tail = "\n".join(lines[cut:])
    return f"{head}\n\n{block}\n" + (f"\n{tail}" if tail else "")


# ---- reply / forward ----------------------------------------------------------------------
def _is_internal(msg: EmailLike) -> bool:
    return str(getattr(msg, "direction", "")) in ("internal", "system")


def pick_reply_target(thread: Sequence[EmailLike], our_addresses: Iterable[str]) -> EmailLike:
    """The message a reply answers: the newest one not written by us (the newest of ours
    when there is none). Internal notes and system messages are never answered or quoted."""
    ours = {a.casefold() for a in our_addresses}
    visible = [m for m in thread if not _is_internal(m)]
    if not visible:
        raise EmailError("the thread has no customer-visible message to reply to",
                         code="nothing_to_reply")
    theirs = [m for m in visible if (m.from_addr or "").casefold() not in ours]
    return (theirs or visible)[-1]


def reply_recipients(msg: EmailLike, mode: ReplyMode, our_addresses: Iterable[str]) -> tuple[
        tuple[str, ...], tuple[str, ...]]:
    """(to, cc) for replying to ``msg``: sender (or the original recipients when we sent it);
    reply-all adds the other recipients. Ours are left out; repeats removed (any case)."""
    if mode == "forward":
        return (), ()
    ours = {a.casefold() for a in our_addresses}
    sender = lenient_addresses([msg.from_addr] if msg.from_addr else [])
    reply_to = lenient_addresses(list(getattr(msg, "reply_to", None) or []))
    from_us = bool(sender) and sender[0].key in ours
    primary = lenient_addresses(msg.to) if from_us else (reply_to or sender)
    seen = set(ours)
    to: list[str] = []
    cc: list[str] = []
    for bucket, addrs in ((to, primary), (to, lenient_addresses(msg.to) if
                                          mode == "reply_all" else []),
                          (cc, lenient_addresses(msg.cc) if mode == "reply_all" else [])):
        for addr in addrs:
            if addr.key not in seen:
                seen.add(addr.key)
                bucket.append(str(addr))
    if not to and cc:
        to, cc = cc[:1], cc[1:]
    return tuple(to), tuple(cc)


def _forward_header(msg: EmailLike) -> str:
    date = format_datetime(msg.at) if msg.at is not None and msg.at.tzinfo else ""
    rows = [("From", msg.author and msg.from_addr and f"{msg.author} <{msg.from_addr}>"
             or msg.from_addr or msg.author), ("Date", date), ("Subject", msg.subject or ""),
            ("To", ", ".join(msg.to)), ("Cc", ", ".join(msg.cc))]
    lines = [f"{k}: {v}" for k, v in rows if v]
    return FORWARD_MARKER + "\n" + "\n".join(lines)


def reply(thread: Sequence[EmailLike] | EmailLike, mode: ReplyMode = "reply",
          our_addresses: Iterable[str] = (), signature: str = "", *,
          attribution_template: str = ATTRIBUTION) -> Draft:
    """A draft answering (or forwarding) the right message of ``thread``."""
    if mode not in ("reply", "reply_all", "forward"):
        raise EmailError(f"unknown reply mode {mode!r}", code="bad_mode")
    ours = [a.strip() for a in our_addresses]
    messages = [thread] if not isinstance(thread, Sequence) else list(thread)
    msg = pick_reply_target(messages, ours)
    to, cc = reply_recipients(msg, mode, ours)
    if mode == "forward":
        quoted = _forward_header(msg) + "\n\n" + msg.body[:MAX_QUOTE_CHARS]
        in_reply_to, fwd = None, msg.message_id
        refs: tuple[str, ...] = ()
    else:
        quoted = attribution(msg, attribution_template) + "\n" + quote_text(msg.body)
        in_reply_to, refs, fwd = msg.message_id, thread_references(msg), None
    body = with_signature("\n\n" + quoted, signature) if signature.strip() else "\n\n" + quoted
    return Draft(mode=mode, to=to, cc=cc, subject=reply_subject(msg.subject, mode), body=body,
                 in_reply_to=in_reply_to, references=refs, forwarded_message_id=fwd)


# ---- attachments and checks ---------------------------------------------------------------
def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def add_attachment(draft: Draft, attachment: Attachment,
                   limit: int = MAX_ATTACHMENTS_BYTES) -> Draft:
    """``draft`` with ``attachment`` added, or :class:`AttachmentError` naming the file and
    the limit when the total would exceed it."""
    if attachment.size < 0:
        raise EmailError(f"{attachment.name!r} has an invalid size", code="attachment_size")
    total = sum(a.size for a in draft.attachments) + attachment.size
    if total > limit:
        raise AttachmentError(
            f"{attachment.name!r} ({_mb(attachment.size)}) does not fit: attachments may total "
            f"at most {_mb(limit)} and would total {_mb(total)}",
            name=attachment.name, size=attachment.size, limit=limit)
    return replace(draft, attachments=(*draft.attachments, attachment))


def attachment_problems(attachments: Sequence[Attachment],
                        limit: int = MAX_ATTACHMENTS_BYTES) -> list[DraftProblem]:
    """One problem per attachment that takes the running total over ``limit``."""
    problems, total = [], 0
    for a in attachments:
        total += max(0, a.size)
        if total > limit:
            problems.append(DraftProblem(
                "attachments", "attachment_too_large",
                f"{a.name!r} ({_mb(a.size)}) is over the limit: attachments may total at most "
                f"{_mb(limit)}", a.name))
    return problems


def check_draft(draft: Draft, limit: int = MAX_ATTACHMENTS_BYTES) -> DraftCheck:
    """Everything that stops ``draft`` from being sent, all at once."""
    seen: set[str] = set()
    checked: dict[str, list[Address]] = {}
    addr_problems: list[AddressProblem] = []
    for name in ("to", "cc", "bcc"):
        good, bad = check_addresses(list(getattr(draft, name)), name, seen=seen)
        checked[name] = good
        addr_problems += bad
    problems = [DraftProblem(p.field, p.issue.value, p.message, p.value) for p in addr_problems]
    if not (checked["to"] or checked["cc"] or checked["bcc"]) and not addr_problems:
        problems.append(DraftProblem("to", "no_recipient", "add at least one recipient"))
    if len(draft.subject) > MAX_SUBJECT_CHARS:
        problems.append(DraftProblem("subject", "too_long",
                                     f"the subject is longer than {MAX_SUBJECT_CHARS} characters"))
    if len(draft.body) > MAX_BODY_CHARS:
        problems.append(DraftProblem("body", "too_long",
                                     f"the text is longer than {MAX_BODY_CHARS} characters"))
    if any(c in draft.subject for c in "\r\n\x00"):
        problems.append(DraftProblem("subject", "control_characters",
                                     "the subject contains line breaks"))
    problems += attachment_problems(draft.attachments, limit)
    return DraftCheck(tuple(problems), tuple(checked["to"]), tuple(checked["cc"]),
                      tuple(checked["bcc"]), tuple(addr_problems))
