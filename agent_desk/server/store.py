"""The store: one SQLAlchemy engine, and a single worker thread that runs every database
operation, so sessions never cross threads and writes are serialised (event ``seq`` order
equals commit order). ``await store.run(fn)`` runs ``fn(session)`` in one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("agent_desk.store")
T = TypeVar("T")


class StoreError(Exception):
    """The database cannot be opened or used (one-line message for the user)."""


def normalise_url(db: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (→ SQLite file)."""
    if "://" in db:
        url = make_url(db)
        if url.drivername == "postgresql":  # prefer psycopg 3, which we depend on
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def make_engine(db: str) -> Engine:
    url = normalise_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database {path}: folder {parent} does not exist")
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, db: str) -> None:
        self.url = normalise_url(db)
        self.engine = make_engine(db)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")

    def run_sync(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction on the calling thread (start-up and tests only)."""
        with self._sessions() as session, session.begin():
            return fn(session)

    async def run(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn(session)`` in one transaction on the store thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.run_sync, fn)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
