"""A PostgreSQL database of its own for one test (created and dropped around it).
Uses the server at 127.0.0.1:5432 (trust auth, database ``test``) or AGENT_DESK_TEST_PG
(a SQLAlchemy URL to an admin database). Skips with the reason when unreachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

ADMIN_URL = os.environ.get("AGENT_DESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        pytest.skip("psycopg is not installed (pip install agent-desk[postgres])")
    from sqlalchemy.engine import make_url

    admin = make_url(ADMIN_URL)
    dsn = (f"host={admin.host or '127.0.0.1'} port={admin.port or 5432} "
           f"dbname={admin.database or 'postgres'} user={admin.username or 'postgres'}")
    if admin.password:
        dsn += f" password={admin.password}"
    try:
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {admin.host}:{admin.port}: "
                    f"{str(exc).strip().splitlines()[0]}")
    name = f"agent_desk_test_{uuid.uuid4().hex[:12]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
