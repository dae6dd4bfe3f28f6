"""Every frame of protocol v1, defined once.

A frame is one JSON object in one websocket text message. All frames share the envelope
fields ``v`` (protocol version, 1), ``type`` (the frame type, the tag of the unions below)
and ``id`` (an optional client-chosen string echoed back as ``re`` in the reply).

``ClientFrame`` subclasses are sent by clients, ``ServerFrame`` subclasses by the server.
Commands (frames that change state) are ``Command`` subclasses and carry an idempotency
``key``; queries (``Query`` subclasses) read and carry none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from .base import (  # the limits and field types are re-exported: import them from here
    MAX_ATTACHMENTS_BYTES,  # noqa: F401
    MAX_CHUNK_BYTES,
    MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    TRANSPORT_MAX_BYTES,  # noqa: F401
    Body,
    ClientFrame,
    Command,
    Key,  # noqa: F401
    Name,
    ObjId,
    Query,
    ShortText,
)
from .codes import ErrorCode
from .enums import AgentState, Channel, Priority, SlaTarget, Tier
from .kb import (
    KB_COMMANDS,
    KB_QUERIES,
    KbArticleAction,
    KBChanged,
    KbFeedback,
    KbGetArticle,
    KbListArticles,
    KbSaveArticle,
    KbSaveTemplate,
    KbSync,
)
from .views import (
    AgentView,
    CodeLabel,
    IdentityView,
    InteractionView,
    MessageView,
    NoteView,
    QueueView,
    SlaPolicyView,
    SurveyView,
    ViewerView,
)

# ---- authentication (exactly one of these is the first frame of a connection) -----------


class Login(ClientFrame, tag="login", kw_only=True):
    """Sign in with a password. Answered by ``welcome`` (with fresh tokens)."""

    username: Name
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    resume_from: int | None = None
    client: ShortText | None = None


class Hello(ClientFrame, tag="hello", kw_only=True):
    """Authenticate with an access token (or with ``Authorization: Bearer`` on the handshake,
    then ``token`` may be omitted). Answered by ``welcome`` (without tokens)."""

    token: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    resume_from: int | None = None
    client: ShortText | None = None


class Refresh(ClientFrame, tag="refresh", kw_only=True):
    """Exchange a refresh token for a new token pair (the old refresh token is revoked).
    As the first frame it also authenticates the connection (answered by ``welcome`` with
    tokens); on an authenticated connection it extends the session (answered by ``tokens``)."""

    refresh_token: Annotated[str, msgspec.Meta(max_length=200)]
    resume_from: int | None = None
    client: ShortText | None = None


class Ping(ClientFrame, tag="ping", kw_only=True):
    """Application-level keepalive for clients that cannot send websocket pings."""


class Activity(ClientFrame, tag="activity", kw_only=True):
    """Live, not stored, not acknowledged: you have the interaction open (``viewing``) and
    whether you are typing in it. Send it when you open/close the interaction and when your
    typing state changes (at most every 3 s while typing). Whoever has it open gets
    ``presence`` frames; for chat, the assignee's typing reaches the customer."""

    interaction_id: ObjId
    viewing: bool = True
    typing: bool = False


# ---- commands (change state; idempotent by key) -----------------------------------------


class SetState(Command, tag="set_state", kw_only=True):
    """Choose your own state: available, away (with a reason code) or offline."""

    state: AgentState
    reason: ShortText | None = None


class Accept(Command, tag="accept", kw_only=True):
    """Accept an interaction offered to you."""

    interaction_id: ObjId


class Decline(Command, tag="decline", kw_only=True):
    """Decline an interaction offered to you; it is offered to the next agent."""

    interaction_id: ObjId
    reason: ShortText = ""


class Pick(Command, tag="pick", kw_only=True):
    """Take a waiting email from a queue you belong to."""

    interaction_id: ObjId


class SendMessage(Command, tag="send_message", kw_only=True):
    """Reply to the customer (chat or email). The first one meets the first-response SLA.
    Email: ``mode`` reply/reply_all/forward, an optional simple-HTML alternative and
    attachments uploaded before with ``upload_chunk``."""

    interaction_id: ObjId
    body: Body
    subject: ShortText | None = None
    to: list[ShortText] = []
    cc: list[ShortText] = []
    mode: Literal["reply", "reply_all", "forward"] = "reply"
    html: Body | None = None
    attachment_ids: Annotated[list[ObjId], msgspec.Meta(max_length=50)] = []


class AddNote(Command, tag="add_note", kw_only=True):
    """Add an internal note (agents and leads only, never sent to the customer)."""

    interaction_id: ObjId
    body: Body


class Hold(Command, tag="hold", kw_only=True):
    """Put a connected call on hold."""

    interaction_id: ObjId


class Unhold(Command, tag="unhold", kw_only=True):
    """Take a held call off hold."""

    interaction_id: ObjId


class Transfer(Command, tag="transfer", kw_only=True):
    """Hand an interaction to another agent or queue (exactly one of the two)."""

    interaction_id: ObjId
    to_agent_id: ObjId | None = None
    to_queue_id: ObjId | None = None
    note: ShortText | None = None


class HangUp(Command, tag="hang_up", kw_only=True):
    """End a call; the interaction goes to wrap-up."""

    interaction_id: ObjId


class Close(Command, tag="close", kw_only=True):
    """Finish an email or chat conversation; the interaction goes to wrap-up."""

    interaction_id: ObjId


class WrapUp(Command, tag="wrap_up", kw_only=True):
    """Complete after-contact work with a disposition code; the interaction closes."""

    interaction_id: ObjId
    disposition: Name
    notes: Body | None = None
    resolved_first_contact: bool = False
    kb_article_ids: Annotated[list[ShortText], msgspec.Meta(max_length=20)] = []


class Reassign(Command, tag="reassign", kw_only=True):
    """Lead/admin only: give an interaction to a named agent (who gets it as an offer)."""

    interaction_id: ObjId
    agent_id: ObjId


class SetPriority(Command, tag="set_priority", kw_only=True):
    """Lead/admin only: change an interaction's priority (its SLA due times follow)."""

    interaction_id: ObjId
    priority: Priority


class Mute(Command, tag="mute", kw_only=True):
    """Mute or unmute your side of a call (the media connector follows)."""

    interaction_id: ObjId
    muted: bool = True


class Consult(Command, tag="consult", kw_only=True):
    """Warm transfer, step 1: the customer is held while you talk to another agent or to a
    queue's available agent (exactly one of the two targets)."""

    interaction_id: ObjId
    to_agent_id: ObjId | None = None
    to_queue_id: ObjId | None = None


class CompleteTransfer(Command, tag="complete_transfer", kw_only=True):
    """Warm transfer, step 2: hand the call to the consulted agent and leave it."""

    interaction_id: ObjId


class CancelConsult(Command, tag="cancel_consult", kw_only=True):
    """End the consultation (or leave a conference's third party out): back to the caller."""

    interaction_id: ObjId


class Conference(Command, tag="conference", kw_only=True):
    """Join the caller, you and the consulted agent in one conversation."""

    interaction_id: ObjId


class SendDtmf(Command, tag="send_dtmf", kw_only=True):
    """Send touch-tone digits on a connected call (0-9 * # A-D)."""

    interaction_id: ObjId
    digits: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class RequestCallback(Command, tag="request_callback", kw_only=True):
    """Queue a callback for the caller: a new phone interaction offered when the window
    opens, linked to this one."""

    interaction_id: ObjId
    number: Annotated[str, msgspec.Meta(min_length=3, max_length=40)]
    window_start: datetime
    window_end: datetime
    note: ShortText = ""


class Escalate(Command, tag="escalate", kw_only=True):
    """Send an interaction to a lead (``to_agent_id``) or another queue with a reason; it
    keeps its history and is marked escalated."""

    interaction_id: ObjId
    to_agent_id: ObjId | None = None
    to_queue_id: ObjId | None = None
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class LinkCustomer(Command, tag="link_customer", kw_only=True):
    """Say which customer this interaction is (when the screen pop found none or several)."""

    interaction_id: ObjId
    customer_id: ObjId


class CreateCustomer(Command, tag="create_customer", kw_only=True):
    """Create a customer record, optionally linking an interaction to it."""

    name: Name
    language: Annotated[str, msgspec.Meta(min_length=2, max_length=16)] = "en"
    tier: Tier = Tier.STANDARD
    identities: Annotated[list[IdentityView], msgspec.Meta(max_length=20)] = []
    notes: Body = ""
    interaction_id: ObjId | None = None


class UploadChunk(Command, tag="upload_chunk", kw_only=True):
    """Upload one piece of an attachment for an email reply (base64, at most 512 KiB raw per
    chunk, in order from offset 0). The ack of the last piece has ``attachment_id``."""

    interaction_id: ObjId
    upload_id: Annotated[str, msgspec.Meta(min_length=8, max_length=100)]
    filename: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    content_type: Annotated[str, msgspec.Meta(max_length=127)] = "application/octet-stream"
    total_size: Annotated[int, msgspec.Meta(ge=0)]
    offset: Annotated[int, msgspec.Meta(ge=0)]
    data: Annotated[str, msgspec.Meta(max_length=(MAX_CHUNK_BYTES * 4) // 3 + 4)]


# ---- queries (read only; no key) --------------------------------------------------------


class GetInteraction(Query, tag="get_interaction", kw_only=True):
    """Result: ``InteractionDetail`` (messages, notes, transitions)."""

    interaction_id: ObjId


class GetCustomer(Query, tag="get_customer", kw_only=True):
    """Result: ``Customer360``."""

    customer_id: ObjId


class SearchCustomers(Query, tag="search_customers", kw_only=True):
    """Result: ``{"customers": [CustomerBrief, ...]}`` matching name, phone, email or chat id."""

    query: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20


class GetAttachment(Query, tag="get_attachment", kw_only=True):
    """Result: ``{"data": base64, "offset", "size", "eof"}`` (up to ``length`` bytes)."""

    attachment_id: ObjId
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0
    length: Annotated[int, msgspec.Meta(ge=1, le=MAX_CHUNK_BYTES)] = MAX_CHUNK_BYTES


class GetTransferTargets(Query, tag="get_transfer_targets", kw_only=True):
    """Result: ``TransferTargets``: agents and queues with whether they can take work now."""

    channel: Channel | None = None


COMMANDS: tuple[type[Command], ...] = (
    SetState, Accept, Decline, Pick, SendMessage, AddNote, Hold, Unhold, Transfer, HangUp,
    Close, WrapUp, Reassign, SetPriority, Mute, Consult, CompleteTransfer, CancelConsult,
    Conference, SendDtmf, RequestCallback, Escalate, LinkCustomer, CreateCustomer, UploadChunk,
    *KB_COMMANDS,
)
QUERIES: tuple[type[Query], ...] = (GetInteraction, GetCustomer, SearchCustomers,
                                    GetAttachment, GetTransferTargets, *KB_QUERIES)
AUTH_FRAMES: tuple[type[ClientFrame], ...] = (Login, Hello, Refresh)

AnyClientFrame = (
    Login | Hello | Refresh | Ping | Activity
    | SetState | Accept | Decline | Pick | SendMessage | AddNote | Hold | Unhold | Transfer
    | HangUp | Close | WrapUp | Reassign | SetPriority | Mute | Consult | CompleteTransfer
    | CancelConsult | Conference | SendDtmf | RequestCallback | Escalate | LinkCustomer
    | CreateCustomer | UploadChunk
    | KbSaveArticle | KbArticleAction | KbFeedback | KbSaveTemplate
    | GetInteraction | GetCustomer | SearchCustomers | GetAttachment | GetTransferTargets
    | KbSync | KbListArticles | KbGetArticle
)

# ---- server frames ----------------------------------------------------------------------


class ServerFrame(msgspec.Struct, tag_field="type", kw_only=True):
    v: int = PROTOCOL_VERSION


class ErrorBody(msgspec.Struct, kw_only=True):
    code: ErrorCode
    message: str
    retry_after: float | None = None


class Welcome(ServerFrame, tag="welcome", kw_only=True):
    """Authentication succeeded. Followed by either replayed events and ``replay_done``
    (``resume == "replay"``) or by one ``snapshot`` (``resume == "snapshot"``)."""

    re: str | None = None
    agent: AgentView
    resume: Literal["replay", "snapshot"]
    server_time: datetime
    access_token: str | None = None
    refresh_token: str | None = None
    access_expires_at: datetime | None = None
    max_frame_bytes: int = MAX_FRAME_BYTES
    keepalive_s: float = 20.0


class Tokens(ServerFrame, tag="tokens", kw_only=True):
    """Answer to an in-band ``refresh``: the new pair; the connection's expiry moves."""

    re: str | None = None
    access_token: str
    refresh_token: str
    access_expires_at: datetime


class Snapshot(ServerFrame, tag="snapshot", kw_only=True):
    """Everything the client needs to render; events after it continue from ``seq``."""

    seq: int
    agent: AgentView
    agents: list[AgentView]
    queues: list[QueueView]
    interactions: list[InteractionView]
    settable_states: list[AgentState]
    away_reasons: list[CodeLabel]
    wrap_up_codes: list[CodeLabel]
    sla_policies: list[SlaPolicyView]
    server_time: datetime
    wrap_up_limit_s: int = 120
    #: the organisation's name as customers know it (fills ``{company.name}`` in replies)
    company_name: str = ""
    #: the public address of a knowledge-base article with ``{id}`` in it (customers open
    #: it: what "insert link" inserts); empty: not published on the web
    kb_link: str = ""


class InteractionChanged(msgspec.Struct, tag_field="kind", tag="interaction", kw_only=True):
    """An interaction you may see was created or changed (full current view: upsert it).
    ``change`` says what happened: created, offered, offer_declined, offer_timeout,
    offer_withdrawn, accepted, picked, replied, customer_replied, customer_left, held,
    unheld, transferred, reassigned, wrap_up, closed, abandoned, reopened, priority, sla,
    muted, consult, consult_cancelled, conference, dtmf, callback_requested, escalated,
    customer_linked, seen, survey."""

    change: str
    interaction: InteractionView


class MessageAdded(msgspec.Struct, tag_field="kind", tag="message", kw_only=True):
    """A message was added to an interaction assigned or offered to you (or any, for leads)."""

    message: MessageView


class NoteAdded(msgspec.Struct, tag_field="kind", tag="note", kw_only=True):
    note: NoteView


class SlaAlert(msgspec.Struct, tag_field="kind", tag="sla", kw_only=True):
    """``level`` is ``warning`` at 80 % of the target, ``breach`` at 100 %."""

    interaction_id: int
    target: SlaTarget
    level: Literal["warning", "breach"]
    due_at: datetime


class AgentChanged(msgspec.Struct, tag_field="kind", tag="agent", kw_only=True):
    """An agent's state, load or profile changed (your own, or any agent for leads)."""

    agent: AgentView


class SurveyAnswered(msgspec.Struct, tag_field="kind", tag="survey", kw_only=True):
    """A customer answered the satisfaction survey of a closed interaction."""

    customer_id: int
    survey: SurveyView


EventData = (InteractionChanged | MessageAdded | NoteAdded | SlaAlert | AgentChanged
             | SurveyAnswered | KBChanged)


class Event(ServerFrame, tag="event", kw_only=True):
    """A server event. ``seq`` is the server-wide monotonic sequence number; ``prev`` is the
    ``seq`` of the previous event sent to *this* connection (or the ``resume_from``/snapshot
    ``seq`` for the first one). Apply it only if ``prev`` equals the last ``seq`` you applied;
    ignore it if ``seq`` is not newer; on any other gap reconnect with ``resume_from``."""

    seq: int
    prev: int
    at: datetime
    data: EventData


class ReplayDone(ServerFrame, tag="replay_done", kw_only=True):
    """All missed events have been sent; live events follow. Flush your outbox now."""

    seq: int


class Ack(ServerFrame, tag="ack", kw_only=True):
    """Answer to one command or query: ``ok`` with ``result``, or ``error``. A repeated key
    gets the original answer again with ``duplicate: true``."""

    re: str | None = None
    key: str | None = None
    ok: bool
    result: Any = None
    error: ErrorBody | None = None
    duplicate: bool = False


class Error(ServerFrame, tag="error", kw_only=True):
    """A frame could not be processed (not tied to a command result). ``fatal`` means the
    server closes the connection after this frame."""

    re: str | None = None
    code: ErrorCode
    message: str
    fatal: bool = False
    retry_after: float | None = None


class Pong(ServerFrame, tag="pong", kw_only=True):
    re: str | None = None
    server_time: datetime


class Presence(ServerFrame, tag="presence", kw_only=True):
    """Live, not stored, no ``seq``: who has the interaction open and who is typing in it
    (you included), and whether the customer is typing. Sent to those who have it open and
    to its assignee whenever that changes. Replace what you showed; after a reconnect send
    your ``activity`` again."""

    interaction_id: int
    viewers: list[ViewerView] = []
    customer_typing: bool = False


AnyServerFrame = (Welcome | Tokens | Snapshot | Event | ReplayDone | Ack | Error | Pong
                  | Presence)

__all__ = [n for n in dir() if not n.startswith("_")]
