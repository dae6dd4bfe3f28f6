"""Shared fixtures. Qt runs offscreen; servers run for real on 127.0.0.1 with an ephemeral
port, on a real SQLite file in the test's tmp dir, with a manual clock (no ticker: tests
call ``server.tick()`` after advancing time)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import AsyncIterator, Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

from agent_desk.server.app import Server, ServerConfig  # noqa: E402
from agent_desk.server.clock import ManualClock  # noqa: E402
from tests.helpers.pg import fresh_pg_database  # noqa: E402
from tests.helpers.world import World, build_world  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or "qapp" in getattr(
                item, "fixturenames", ()):
            item.add_marker("gui")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def db_path(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return str(tmp_path / "agent-desk.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The store's database for tests that must pass on SQLite and on PostgreSQL (a fresh
    database of its own per test; skipped with the reason where PostgreSQL is absent)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with fresh_pg_database() as url:
            yield url


@pytest.fixture
async def world(db_path: str, clock: ManualClock) -> AsyncIterator[World]:
    """A running server with a small known population (see ``tests/helpers/world.py``)."""
    w = await build_world(db_path, clock)
    try:
        yield w
    finally:
        await w.close()


@pytest.fixture
def server_factory(clock: ManualClock) -> Callable[..., Server]:
    def make(db: str, **cfg: object) -> Server:
        config = ServerConfig(tick_interval_s=None, **cfg)  # type: ignore[arg-type]
        return Server(db, clock=clock, config=config)
    return make
