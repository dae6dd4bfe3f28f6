"""The backend's tables (SQLAlchemy 2 ORM). Times are UTC epoch seconds (float) so SQLite
and PostgreSQL behave the same; the protocol layer turns them into RFC 3339 datetimes.
The schema evolves only through Alembic migrations in ``server/migrations``."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(16), default="en")
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[float] = mapped_column(Float)
    identities: Mapped[list[CustomerIdentity]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", lazy="selectin"
    )


class CustomerIdentity(Base):
    """A way to recognise a customer: phone number (E.164), email address or chat id."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identity_kind_value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(320))
    customer: Mapped[Customer] = relationship(back_populates="identities")


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    placed_at: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(32))
    total: Mapped[str] = mapped_column(String(32))  # decimal as text: no float money
    currency: Mapped[str] = mapped_column(String(3))
    items: Mapped[str] = mapped_column(Text, default="")


class Agent(Base):
    """A user of the desktop: agent, lead, trainer or admin."""

    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    capacity: Mapped[dict[str, Any]] = mapped_column(
        default=lambda: {"phone": 1, "chat": 3, "email": 5}
    )
    # presence is what the agent chose (available/away/offline); state adds busy/wrap_up
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    away_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="offline")
    state_since: Mapped[float] = mapped_column(Float, default=0.0)
    idle_since: Mapped[float] = mapped_column(Float, default=0.0)
    signature: Mapped[str] = mapped_column(Text, default="")
    queues: Mapped[list[Queue]] = relationship(
        secondary="queue_members", back_populates="members", lazy="selectin"
    )


class Queue(Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    required_skills: Mapped[list[Any]] = mapped_column(default=list)
    channels: Mapped[list[Any]] = mapped_column(default=lambda: ["phone", "email", "chat"])
    members: Mapped[list[Agent]] = relationship(
        secondary="queue_members", back_populates="queues", lazy="select"
    )


class QueueMember(Base):
    __tablename__ = "queue_members"
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)


class SlaPolicy(Base):
    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("channel", "priority", "tier", name="uq_sla_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(16))
    first_response_s: Mapped[int] = mapped_column(Integer)
    resolution_s: Mapped[int] = mapped_column(Integer)


class CodeLabelRow(Base):
    """Wrap-up (disposition) codes and away reasons: ``kind`` is ``wrap_up`` or ``away``."""

    __tablename__ = "code_labels"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_code_label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Interaction(Base):
    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_state_queue", "state", "queue_id"),
        Index("ix_interactions_assigned", "assigned_agent_id", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    subject: Mapped[str] = mapped_column(String(500), default="")
    preview: Mapped[str] = mapped_column(String(500), default="")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    created_at: Mapped[float] = mapped_column(Float)
    queued_at: Mapped[float] = mapped_column(Float)  # entered (or re-entered) the queue
    offered_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    answered_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_response_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    wrap_up_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    closed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    hold_started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    hold_total_s: Mapped[float] = mapped_column(Float, default=0.0)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    offered_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    offer_expires_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    declined_by: Mapped[list[Any]] = mapped_column(default=list)
    first_response_due_at: Mapped[float] = mapped_column(Float)
    resolution_due_at: Mapped[float] = mapped_column(Float)
    fr_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    fr_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    res_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    res_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    disposition: Mapped[str | None] = mapped_column(String(64), nullable=True)
    wrap_up_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_first_contact: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    ivr_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    external_ref: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # issue 4: kinds, calls, screen pop, chat, escalation, wrap-up links, survey
    kind: Mapped[str] = mapped_column(String(16), default="contact", server_default="contact")
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    not_before: Mapped[float | None] = mapped_column(Float, nullable=True)  # routing waits
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    consult_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    consult_agent_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    consult_queue_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    consult_started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    consult_from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    callback_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    callback_window_start: Mapped[float | None] = mapped_column(Float, nullable=True)
    callback_window_end: Mapped[float | None] = mapped_column(Float, nullable=True)
    callback_note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    customer_match: Mapped[str] = mapped_column(String(16), default="identity",
                                                server_default="identity")
    match_candidates: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    customer_seen_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    escalation_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    kb_article_ids: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    csat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    customer: Mapped[Customer] = relationship(lazy="joined")


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[float] = mapped_column(Float)
    subject: Mapped[str | None] = mapped_column(String(500), nullable=True)
    from_addr: Mapped[str | None] = mapped_column(String(320), nullable=True)
    to_addrs: Mapped[list[Any]] = mapped_column(default=list)
    cc_addrs: Mapped[list[Any]] = mapped_column(default=list)
    message_id: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(300), nullable=True)
    references: Mapped[list[Any]] = mapped_column(default=list)
    html: Mapped[str | None] = mapped_column(Text, nullable=True)


class Attachment(Base):
    """A file of an email message (inbound, or uploaded by an agent for a reply). The bytes
    live in ``attachment_chunks`` so large files are written and read piece by piece.
    ``message_id`` is null while an upload is not yet sent."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("agent_id", "upload_id", name="uq_attachment_upload"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True,
                                                   index=True)
    agent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the uploader
    upload_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    content_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class AttachmentChunk(Base):
    __tablename__ = "attachment_chunks"
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), primary_key=True)
    offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Survey(Base):
    """The satisfaction survey sent when an interaction closed, and its answers."""

    __tablename__ = "surveys"
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # who handled it
    channel: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[float] = mapped_column(Float)
    answered_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    csat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    nps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ces: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    follow_up_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[float] = mapped_column(Float)


class Transition(Base):
    """Every state change of an interaction: who (null = system) and when."""

    __tablename__ = "transitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    actor_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    agent_id: Mapped[int | None] = mapped_column(nullable=True)  # the agent concerned
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    at: Mapped[float] = mapped_column(Float)


class AgentStateLog(Base):
    """Every agent state change, for occupancy and time-in-state metrics."""

    __tablename__ = "agent_state_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[float] = mapped_column(Float)


class EventRow(Base):
    """The event log: ``seq`` is the monotonic sequence number clients resume from.
    ``audience_agents``/``audience_queues`` say who may see the event (supervisors see all)."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)  # the encoded ``data`` object of the frame
    audience_agents: Mapped[list[Any]] = mapped_column(default=list)
    audience_queues: Mapped[list[Any]] = mapped_column(default=list)
    #: for every connection (e.g. ``kb``: the knowledge base changed), whatever the audience
    broadcast: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class CommandRecord(Base):
    """Idempotency: key → the agent, the command's body hash and the result sent back."""

    __tablename__ = "command_log"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    type: Mapped[str] = mapped_column(String(32))
    body_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text)
    at: Mapped[float] = mapped_column(Float, index=True)


class AuthToken(Base):
    """Access and refresh tokens, stored as SHA-256 hashes only. A refresh token is single
    use: using it revokes it; reusing a revoked one revokes its whole family."""

    __tablename__ = "auth_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # access | refresh
    family: Mapped[str] = mapped_column(String(32), index=True)
    expires_at: Mapped[float] = mapped_column(Float)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """Append-only: every refusal and every privileged action (never secrets)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    agent_id: Mapped[int | None] = mapped_column(nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    result: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


# ---- knowledge base (issue 5) ---------------------------------------------------------------


class KbCounter(Base):
    """The KB change counter: one row (``id`` 1). Every change agents' KB sees takes the next
    number(s) with ``UPDATE … RETURNING`` on this row, so concurrent writers queue on its
    lock and numbers become visible in the order they were taken."""

    __tablename__ = "kb_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    #: the KB's identity, made with the database (``KBChanges.epoch``)
    epoch: Mapped[str | None] = mapped_column(String(40), nullable=True)


class KbArticle(Base):
    """A knowledge-base article: its place in the review lifecycle, the latest version
    (``version``) and the one agents see (``published_version``, None when none is)."""

    __tablename__ = "kb_articles"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    language: Mapped[str] = mapped_column(String(20))  # of the latest version
    product: Mapped[str | None] = mapped_column(String(100), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True,
                                                  index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    review_due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    helped_count: Mapped[int] = mapped_column(Integer, default=0)
    source_interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"),
                                                              nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the KB change number of the last change agents saw (0: never reached them)
    change_no: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float, index=True)


class KbArticleVersion(Base):
    """One saved version of an article's content (never changed once written)."""

    __tablename__ = "kb_article_versions"
    article_id: Mapped[str] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(20))
    product: Mapped[str | None] = mapped_column(String(100), nullable=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(500), default="")


class KbTemplate(Base):
    """A reply template (canned response) with variables and an optional ``#shortcut``."""

    __tablename__ = "kb_templates"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    shortcut: Mapped[str | None] = mapped_column(String(40), nullable=True)
    refusal: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    change_no: Mapped[int] = mapped_column(Integer, default=0, index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class KbReplyExample(Base):
    """A reply of the team that resolved a contact on first contact, paired with the
    customer message it answered (both anonymised)."""

    __tablename__ = "kb_reply_examples"
    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"),
                                                       nullable=True, index=True)
    customer_text: Mapped[str] = mapped_column(Text)
    reply_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    change_no: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[float] = mapped_column(Float)
