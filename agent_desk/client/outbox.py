"""The local outbox: every command the user issues is written here (SQLite in the app data
dir, via SQLAlchemy) before it is sent, and removed when its ack arrives. After a reconnect
or a restart, what is left is sent again with the same idempotency keys, so each action is
applied exactly once by the server.

All database work runs on one worker thread; the async methods never block the loop."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Float, Integer, String, Text, create_engine, delete, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class _Base(DeclarativeBase):
    pass


class OutboxRow(_Base):
    __tablename__ = "outbox"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    frame: Mapped[str] = mapped_column(Text)  # the encoded command frame
    created_at: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class Pending:
    key: str
    type: str
    frame: bytes
    created_at: float
    attempts: int


class OutboxError(Exception):
    """The outbox could not be written (disk full, read-only folder...)."""


class Outbox:
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        url = "sqlite://" if self.path == ":memory:" else f"sqlite:///{self.path}"
        self._engine = create_engine(url)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self._ready = False
        self.count = 0

    def _init(self) -> None:
        if not self._ready:
            _Base.metadata.create_all(self._engine)
            with Session(self._engine) as s:
                self.count = int(s.execute(select(func.count(OutboxRow.key))).scalar() or 0)
            self._ready = True

    async def _run(self, fn):  # type: ignore[no-untyped-def]
        loop = asyncio.get_running_loop()

        def call():  # type: ignore[no-untyped-def]
            self._init()
            return fn()

        return await loop.run_in_executor(self._executor, call)

    async def open(self) -> int:
        """Create the table if needed; returns how many actions are waiting."""
        await self._run(lambda: None)
        return self.count

    async def add(self, key: str, type_: str, frame: bytes) -> None:
        def write() -> None:
            try:
                with Session(self._engine) as s, s.begin():
                    s.add(OutboxRow(key=key, type=type_, frame=frame.decode(),
                                    created_at=time.time()))
            except Exception as exc:  # disk full, read-only, locked...
                raise OutboxError(f"cannot save the action locally: {exc}") from exc
            self.count += 1

        await self._run(write)

    async def remove(self, key: str) -> bool:
        def drop() -> bool:
            with Session(self._engine) as s, s.begin():
                n = getattr(s.execute(delete(OutboxRow).where(OutboxRow.key == key)), "rowcount", 0)
            if n:
                self.count -= 1
            return bool(n)

        return bool(await self._run(drop))

    async def pending(self) -> list[Pending]:
        def read() -> list[Pending]:
            with Session(self._engine) as s:
                rows = s.execute(select(OutboxRow).order_by(OutboxRow.position)).scalars()
                return [Pending(r.key, r.type, r.frame.encode(), r.created_at, r.attempts)
                        for r in rows]

        return list(await self._run(read))

    async def mark_sent(self, key: str) -> None:
        def bump() -> None:
            with Session(self._engine) as s, s.begin():
                row = s.execute(select(OutboxRow).where(OutboxRow.key == key)).scalar()
                if row is not None:
                    row.attempts += 1

        await self._run(bump)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._engine.dispose()
