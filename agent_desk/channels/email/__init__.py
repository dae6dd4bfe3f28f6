"""Email channel logic without widgets: composing replies (:mod:`.compose`), address checks
(:mod:`.addresses`), safe display of customer HTML (:mod:`.sanitize`) and robust parsing of
raw messages (:mod:`.parse`). Everything here is pure Python: no Qt, no network."""

from __future__ import annotations

from ..errors import AttachmentError, EmailError
from .addresses import (
    Address,
    AddressInvalid,
    AddressIssue,
    AddressProblem,
    check_addresses,
    parse_address,
    split_addresses,
)
from .compose import (
    MAX_ATTACHMENTS_BYTES,
    Attachment,
    Draft,
    DraftCheck,
    DraftProblem,
    EmailLike,
    ReplyMode,
    add_attachment,
    attachment_problems,
    attribution_template,
    base_subject,
    check_draft,
    quote_text,
    reply,
    reply_recipients,
    reply_subject,
    thread_references,
    with_signature,
)
from .parse import (
    AttachmentInfo,
    NoteCode,
    ParsedEmail,
    ParseNote,
    attachment_bytes,
    parse_message,
)
from .sanitize import Link, SafeHtml, html_to_text, sanitize_html

__all__ = [
    "MAX_ATTACHMENTS_BYTES", "Address", "AddressInvalid", "AddressIssue", "AddressProblem",
    "Attachment", "AttachmentError", "AttachmentInfo", "Draft", "DraftCheck", "DraftProblem",
    "EmailError", "EmailLike", "Link", "NoteCode", "ParseNote", "ParsedEmail", "ReplyMode",
    "SafeHtml", "add_attachment", "attachment_bytes", "attachment_problems",
    "attribution_template", "base_subject",
    "check_addresses", "check_draft", "html_to_text", "parse_address", "parse_message",
    "quote_text", "reply", "reply_recipients", "reply_subject", "sanitize_html",
    "split_addresses", "thread_references", "with_signature",
]
