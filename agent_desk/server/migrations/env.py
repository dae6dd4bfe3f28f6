"""Alembic environment: the engine comes from ``migrate.upgrade`` (config attribute)."""

from __future__ import annotations

from alembic import context

from agent_desk.server.models import Base

config = context.config
engine = config.attributes.get("engine")


def run() -> None:
    assert engine is not None, "use agent_desk.server.migrate.upgrade(engine)"
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run()
