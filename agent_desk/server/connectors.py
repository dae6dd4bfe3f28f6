"""Channel connectors: how contacts enter the backend and how agents' replies leave it.

Routing and the store never know which connector a contact came from. A connector gets a
``ContactSink`` when started; it reports inbound contacts and customer messages to it, and
receives the agents' outbound messages through ``deliver``. The traffic simulator is the
first connector; real email (IMAP/SMTP), chat (web widget) and phone (SIP) connectors
implement the same interface later."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class InboundContact:
    """A new contact from outside. ``identity`` is matched against customer identities
    (phone number, email address or chat id); unknown identities create a customer."""

    channel: str  # "phone" | "email" | "chat"
    identity_kind: str  # "phone" | "email" | "chat"
    identity: str
    customer_name: str = ""
    language: str = "en"
    queue: str | None = None  # queue name; None = by channel/language default
    subject: str = ""
    body: str = ""  # first message (email/chat); empty for calls
    priority: str = "normal"
    ivr_data: dict[str, str] = field(default_factory=dict)
    external_ref: str | None = None  # email Message-ID, chat session id, call id
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    html: str | None = None  # email: the HTML part as received (stored; clients sanitise)
    #: email: the raw RFC 5322 message; when set it is parsed (subject, from, text, HTML,
    #: attachments) and wins over the fields above; malformed input never fails the contact
    raw_mime: bytes | None = None
    attachments: list[InboundAttachment] = field(default_factory=list)


@dataclass
class InboundAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None


@dataclass
class SurveyRequest:
    """Ask the customer of a closed interaction for CSAT/NPS/CES on their channel."""

    interaction_id: int
    channel: str
    method: str  # SurveyMethod value
    customer_name: str
    language: str
    external_ref: str | None = None


@dataclass
class OutboundMessage:
    interaction_id: int
    channel: str
    body: str
    agent_name: str
    subject: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    html: str | None = None  # email: the sanitised HTML alternative, if the agent wrote one
    #: email: the attachments to send (read their bytes with ``attachments.read_chunk``)
    attachment_ids: list[int] = field(default_factory=list)


@dataclass
class Lifecycle:
    """An interaction's lifecycle change that a connector may need to act on."""

    interaction_id: int
    channel: str
    state: str  # new InteractionState value
    change: str  # the event's change word (accepted, held, closed, ...)
    external_ref: str | None = None
    kind: str = "contact"  # InteractionKind: contact, callback, follow_up
    parent_id: int | None = None  # the interaction a callback or follow-up came from


class ContactSink(Protocol):
    """What the backend offers connectors (implemented by ``server.engine``)."""

    async def inbound_contact(self, contact: InboundContact) -> int:
        """Create (or thread) an interaction; returns its id."""
        ...

    async def customer_message(self, interaction_id: int, body: str) -> None:
        """A message from the customer on an existing chat/email interaction."""
        ...

    async def customer_left(self, interaction_id: int, reason: str = "customer left") -> None:
        """The customer hung up or left before (or after) being served."""
        ...

    async def customer_identities(self, limit: int = 200) -> list[dict[str, str]]:
        """Known customers with one identity per channel kind (for simulation)."""
        ...

    async def customer_typing(self, interaction_id: int, typing: bool) -> None:
        """Chat: the customer started/stopped typing (live only, not stored)."""
        ...

    async def customer_seen(self, interaction_id: int) -> None:
        """Chat: the customer has seen the agent's messages so far."""
        ...

    async def survey_answer(self, interaction_id: int, csat: int | None, nps: int | None = None,
                            ces: int | None = None, comment: str = "") -> None:
        """The customer answered the survey of ``interaction_id``."""
        ...


class Connector(abc.ABC):
    name: str = "connector"

    @abc.abstractmethod
    async def start(self, sink: ContactSink) -> None: ...

    @abc.abstractmethod
    async def stop(self) -> None: ...

    async def deliver(self, message: OutboundMessage) -> None:  # noqa: B027
        """An agent sent a message to the customer (default: nothing to do)."""

    async def lifecycle(self, change: Lifecycle) -> None:  # noqa: B027
        """An interaction changed state (answered, held, closed, ...)."""

    async def request_survey(self, request: SurveyRequest) -> None:  # noqa: B027
        """Send the satisfaction survey on the customer's channel."""

    async def agent_typing(self, interaction_id: int, typing: bool) -> None:  # noqa: B027
        """Chat: the assignee started/stopped typing (show it to the customer)."""
