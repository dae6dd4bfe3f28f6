"""Read models carried inside frames: what a client is told about agents, queues,
interactions, customers. Defined once here; the server builds them, the client reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from .enums import (
    AgentState,
    Channel,
    Direction,
    InteractionState,
    Priority,
    Role,
    SlaStatus,
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


class InteractionDetail(View, kw_only=True):
    interaction: InteractionView
    messages: list[MessageView] = []
    notes: list[NoteView] = []
    transitions: list[TransitionView] = []


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


class Customer360(View, kw_only=True):
    id: Id
    name: str
    tier: Tier
    language: str
    notes: str = ""
    identities: list[IdentityView] = []
    orders: list[OrderView] = []
    interactions: list[PastInteraction] = []
