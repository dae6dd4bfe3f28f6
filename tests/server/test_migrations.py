"""Alembic migrations produce exactly the schema the models describe, so later issues can
evolve it with new revisions (an un-migrated model change fails here)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from agent_desk.server.migrate import current_heads, upgrade
from agent_desk.server.models import Base


def test_migrations_match_models(store_url: str) -> None:
    from agent_desk.server.store import normalise_url

    engine = create_engine(normalise_url(store_url))
    try:
        upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            assert ctx.get_current_heads() == tuple(current_heads())
    finally:
        engine.dispose()
