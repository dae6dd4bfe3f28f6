"""knowledge base: articles and versions, templates, reply examples, change counter;
broadcast events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:20:56.844730
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    counter = op.create_table(
        "kb_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # the one row writers lock; the epoch tells clients this database from any other
    op.bulk_insert(counter, [{"id": 1, "value": 0, "epoch": uuid.uuid4().hex}])
    op.create_table(
        "kb_templates",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("shortcut", sa.String(length=40), nullable=True),
        sa.Column("refusal", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_templates_change_no"), ["change_no"],
                              unique=False)

    op.create_table(
        "kb_articles",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=False),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("helped_count", sa.Integer(), nullable=False),
        sa.Column("source_interaction_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["source_interaction_id"], ["interactions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        for column in ("author_id", "change_no", "review_due", "state", "updated_at"):
            batch_op.create_index(batch_op.f(f"ix_kb_articles_{column}"), [column],
                                  unique=False)

    op.create_table(
        "kb_reply_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("customer_text", sa.Text(), nullable=False),
        sa.Column("reply_text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_reply_examples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_reply_examples_change_no"), ["change_no"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_kb_reply_examples_interaction_id"),
                              ["interaction_id"], unique=False)

    op.create_table(
        "kb_article_versions",
        sa.Column("article_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"]),
        sa.ForeignKeyConstraint(["editor_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("article_id", "version"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("broadcast", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("broadcast")
    op.drop_table("kb_article_versions")
    with op.batch_alter_table("kb_reply_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_reply_examples_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_kb_reply_examples_change_no"))
    op.drop_table("kb_reply_examples")
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        for column in ("updated_at", "state", "review_due", "change_no", "author_id"):
            batch_op.drop_index(batch_op.f(f"ix_kb_articles_{column}"))
    op.drop_table("kb_articles")
    with op.batch_alter_table("kb_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_templates_change_no"))
    op.drop_table("kb_templates")
    op.drop_table("kb_counter")
