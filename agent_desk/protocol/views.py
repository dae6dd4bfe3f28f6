"""Read models carried inside frames: what a client is told about agents, queues,
interactions, customers. Defined once here; the server builds them, the client reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from .enums import (
    AgentState,
    Channel,
    ConsultState,
    CustomerMatch,
    Direction,
    InteractionKind,
    InteractionState,
    Priority,
    Role,
    SlaStatus,
    SurveyMethod,
    Tier,
)

Id = Annotated[int, msgspec.Meta(ge=1, description="Server-assigned numeric id.")]


class View(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Base of all read models (keyword-only, unknown fields ignored on decode)."""


class CodeLabel(View, kw_only=True):
    """A code with its default English label (wrap-up codes, away reasons)."""

    code: str
    label: str


class Capacity(View, kw_only=True):
    """How many interactions of each channel an agent may hold at once."""

    phone: int = 1
    chat: int = 3
    email: int = 5


class AgentView(View, kw_only=True):
    id: Id
    username: str
    name: str
    role: Role
    state: AgentState
    away_reason: str | None = None
    state_since: datetime
    skills: list[str] = []
    capacity: Capacity = msgspec.field(default_factory=Capacity)
    load: Capacity = msgspec.field(default_factory=lambda: Capacity(phone=0, chat=0, email=0))
    queue_ids: list[int] = []


class QueueView(View, kw_only=True):
    id: Id
    name: str
    required_skills: list[str] = []
    channels: list[Channel] = []


class SlaPolicyView(View, kw_only=True):
    channel: Channel
    priority: Priority
    tier: Tier
    first_response_s: int
    resolution_s: int


class CustomerBrief(View, kw_only=True):
    id: Id
    name: str
    tier: Tier
    language: str


class ConsultView(View, kw_only=True):
    """A warm transfer in progress on a call: whom the agent consults (an agent, or a queue
    whose available agent was chosen: then both are set) and whether all three talk."""

    state: ConsultState
    agent_id: int | None = None
    agent_name: str = ""
    queue_id: int | None = None
    started_at: datetime


class CallbackView(View, kw_only=True):
    """A callback the customer asked for: the number to call and the time window."""

    number: str
    window_start: datetime
    window_end: datetime
    note: str = ""


class InteractionView(View, kw_only=True):
    """One interaction as shown in a queue or a workspace tab (no message bodies)."""

    id: Id
    channel: Channel
    state: InteractionState
    customer: CustomerBrief
    queue_id: int
    subject: str = ""
    preview: str = ""
    priority: Priority = Priority.NORMAL
    created_at: datetime
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    first_response_at: datetime | None = None
    wrap_up_at: datetime | None = None
    closed_at: datetime | None = None
    assigned_agent_id: int | None = None
    offered_agent_id: int | None = None
    offer_expires_at: datetime | None = None
    first_response_due_at: datetime
    resolution_due_at: datetime
    sla_first_response: SlaStatus = SlaStatus.ON_TRACK
    sla_resolution: SlaStatus = SlaStatus.ON_TRACK
    disposition: str | None = None
    ivr_data: dict[str, str] = {}
    version: int = 1
    kind: InteractionKind = InteractionKind.CONTACT
    parent_id: int | None = None  # the interaction a callback or follow-up came from
    # phone
    muted: bool = False
    hold_started_at: datetime | None = None  # set while on hold (the hold timer runs)
    hold_total_s: float = 0.0  # completed holds
    consult: ConsultView | None = None
    callback: CallbackView | None = None
    # customer 360 screen pop
    customer_match: CustomerMatch = CustomerMatch.IDENTITY
    match_candidates: list[CustomerBrief] = []
    # chat: when the customer last saw the agent's messages
    customer_seen_at: datetime | None = None
    escalated: bool = False
    escalation_reason: str | None = None
    csat: int | None = None  # the survey's CSAT once answered


class AttachmentView(View, kw_only=True):
    """A file attached to an email message; fetch its bytes with ``get_attachment``.
    ``content_id`` is set for inline parts referenced as ``cid:`` from the HTML."""

    id: Id
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    content_id: str | None = None


class MessageView(View, kw_only=True):
    id: Id
    interaction_id: int
    direction: Direction
    author: str
    agent_id: int | None = None
    body: str
    at: datetime
    subject: str | None = None
    from_addr: str | None = None
    to: list[str] = []
    cc: list[str] = []
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = []
    html: str | None = None  # email: the HTML part as received (clients must sanitise it)
    attachments: list[AttachmentView] = []


class NoteView(View, kw_only=True):
    id: Id
    interaction_id: int
    agent_id: int
    author: str
    body: str
    at: datetime


class TransitionView(View, kw_only=True):
    from_state: InteractionState | None
    to_state: InteractionState
    actor_agent_id: int | None = None
    reason: str | None = None
    at: datetime


class SurveyView(View, kw_only=True):
    """A satisfaction survey sent when an interaction closed, with the answers once given:
    CSAT 1-5, NPS 0-10 and CES 1-7 (each optional)."""

    interaction_id: int
    channel: Channel
    method: SurveyMethod
    sent_at: datetime
    answered_at: datetime | None = None
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    comment: str = ""
    follow_up_id: int | None = None  # the lead's follow-up task a low CSAT opened


class InteractionDetail(View, kw_only=True):
    interaction: InteractionView
    messages: list[MessageView] = []
    notes: list[NoteView] = []
    transitions: list[TransitionView] = []
    wrap_up_notes: str | None = None
    resolved_first_contact: bool | None = None
    kb_article_ids: list[str] = []
    survey: SurveyView | None = None


class ViewerView(View, kw_only=True):
    """Someone who has an interaction open right now (collision detection)."""

    agent_id: int
    name: str
    role: Role
    typing: bool = False


class TargetAgent(View, kw_only=True):
    """A transfer/consult/escalation target and whether it can take the interaction now."""

    id: Id
    name: str
    role: Role
    state: AgentState
    available: bool
    queue_ids: list[int] = []


class TargetQueue(View, kw_only=True):
    id: Id
    name: str
    waiting: int = 0
    available_agents: int = 0


class TransferTargets(View, kw_only=True):
    agents: list[TargetAgent] = []
    queues: list[TargetQueue] = []


class IdentityView(View, kw_only=True):
    kind: str  # "phone" | "email" | "chat"
    value: str


class OrderView(View, kw_only=True):
    number: str
    placed_at: datetime
    status: str
    total: str
    currency: str
    items: str = ""


class PastInteraction(View, kw_only=True):
    id: Id
    channel: Channel
    state: InteractionState
    subject: str
    created_at: datetime
    closed_at: datetime | None = None
    agent_name: str | None = None
    disposition: str | None = None
    kind: InteractionKind = InteractionKind.CONTACT
    resolved_first_contact: bool | None = None
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None


class Customer360(View, kw_only=True):
    id: Id
    name: str
    tier: Tier
    language: str
    notes: str = ""
    identities: list[IdentityView] = []
    orders: list[OrderView] = []
    interactions: list[PastInteraction] = []  # newest first, the 200 most recent
    interactions_total: int = 0  # how many there are in all (more than listed: older ones)
    surveys: list[SurveyView] = []  # answered surveys, newest first (up to 10)
