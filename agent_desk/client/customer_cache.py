"""The local customer cache: the Customer 360 records and interaction details (transcripts)
of recently seen customers, in a small SQLite file per account (SQLAlchemy), so their
history is there when the server is not.

Records are stored as the protocol's JSON with the time they were fetched; reading returns
a ``Cached`` value that says how old it is. The cache is bounded: beyond ``max_customers``
customers the least recently used ones go (with their interactions); beyond
``max_details`` interaction details likewise. A damaged row or file is treated as missing,
never as an error for the caller. All database work runs on one worker thread, so the
async methods never block the event loop. No Qt here."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import msgspec
from sqlalchemy import Float, Integer, LargeBinary, create_engine, delete, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..protocol import views as v

log = logging.getLogger("agent_desk.client.customer_cache")
T = TypeVar("T")
MAX_CUSTOMERS = 500
MAX_DETAILS = 2000


class _Base(DeclarativeBase):
    pass


class CustomerRow(_Base):
    __tablename__ = "customers"
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # Customer360 JSON
    fetched_at: Mapped[float] = mapped_column(Float)  # epoch seconds
    used_at: Mapped[float] = mapped_column(Float, index=True)


class DetailRow(_Base):
    __tablename__ = "interactions"
    interaction_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # InteractionDetail JSON
    fetched_at: Mapped[float] = mapped_column(Float)
    used_at: Mapped[float] = mapped_column(Float, index=True)


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A record with when it was fetched from the server; ``stale`` when it comes from the
    cache because the server could not be asked."""

    value: T
    fetched_at: float
    stale: bool = False


class CustomerCache:
    def __init__(self, path: Path | str, *, max_customers: int = MAX_CUSTOMERS,
                 max_details: int = MAX_DETAILS, clock: Callable[[], float] = time.time
                 ) -> None:
        self.path = str(path)
        url = "sqlite://" if self.path == ":memory:" else f"sqlite:///{self.path}"
        self._engine = create_engine(url)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="customer-cache")
        self.max_customers = max_customers
        self.max_details = max_details
        self._clock = clock
        self._ready = False
        self._broken = False

    # ---- plumbing -------------------------------------------------------------------------

    def _init(self) -> bool:
        if not self._ready and not self._broken:
            try:
                _Base.metadata.create_all(self._engine)
                self._ready = True
            except Exception as exc:  # not a database (damaged), read-only folder...
                log.warning("customer cache unusable (%s): starting a new one", exc)
                self._ready = self._start_over()
                self._broken = not self._ready
        return self._ready

    def _start_over(self) -> bool:
        """It is only a cache: move a damaged file aside and begin again (once)."""
        if self.path == ":memory:":
            return False
        try:
            self._engine.dispose()
            Path(self.path).replace(self.path + ".damaged")
            _Base.metadata.create_all(self._engine)
            return True
        except Exception as exc:
            log.warning("customer cache unavailable (%s): working without it", exc)
            return False

    async def _run(self, fn: Callable[[], T], default: T) -> T:
        def call() -> T:
            if not self._init():
                return default
            try:
                return fn()
            except Exception as exc:
                log.warning("customer cache: %s", exc)
                return default

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._engine.dispose()

    # ---- customers ------------------------------------------------------------------------

    async def put_customer(self, c: v.Customer360) -> None:
        data, now = msgspec.json.encode(c), self._clock()

        def write() -> None:
            with Session(self._engine) as s, s.begin():
                row = s.get(CustomerRow, c.id)
                if row is None:
                    s.add(CustomerRow(customer_id=c.id, data=data, fetched_at=now, used_at=now))
                else:
                    row.data, row.fetched_at, row.used_at = data, now, now
            self._trim()

        await self._run(write, None)

    async def get_customer(self, customer_id: int) -> Cached[v.Customer360] | None:
        def read() -> Cached[v.Customer360] | None:
            with Session(self._engine) as s, s.begin():
                row = s.get(CustomerRow, customer_id)
                if row is None:
                    return None
                try:
                    value = msgspec.json.decode(row.data, type=v.Customer360)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    s.delete(row)  # damaged or from an incompatible version: forget it
                    return None
                row.used_at = self._clock()
                return Cached(value, row.fetched_at, stale=True)

        return await self._run(read, None)

    # ---- interaction details --------------------------------------------------------------

    async def put_detail(self, d: v.InteractionDetail) -> None:
        data, now = msgspec.json.encode(d), self._clock()
        iid, cid = d.interaction.id, d.interaction.customer.id

        def write() -> None:
            with Session(self._engine) as s, s.begin():
                row = s.get(DetailRow, iid)
                if row is None:
                    s.add(DetailRow(interaction_id=iid, customer_id=cid, data=data,
                                    fetched_at=now, used_at=now))
                else:
                    row.customer_id, row.data = cid, data
                    row.fetched_at, row.used_at = now, now
            self._trim()

        await self._run(write, None)

    async def get_detail(self, interaction_id: int) -> Cached[v.InteractionDetail] | None:
        def read() -> Cached[v.InteractionDetail] | None:
            with Session(self._engine) as s, s.begin():
                row = s.get(DetailRow, interaction_id)
                if row is None:
                    return None
                try:
                    value = msgspec.json.decode(row.data, type=v.InteractionDetail)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    s.delete(row)
                    return None
                row.used_at = self._clock()
                return Cached(value, row.fetched_at, stale=True)

        return await self._run(read, None)

    # ---- bounds ---------------------------------------------------------------------------

    def _trim(self) -> None:
        """Drop the least recently used customers (and their details) and details above the
        bounds. Runs on the worker thread after each write."""
        with Session(self._engine) as s, s.begin():
            n = int(s.execute(select(func.count(CustomerRow.customer_id))).scalar() or 0)
            if n > self.max_customers:
                old = list(s.execute(select(CustomerRow.customer_id)
                                     .order_by(CustomerRow.used_at, CustomerRow.customer_id)
                                     .limit(n - self.max_customers)).scalars())
                s.execute(delete(CustomerRow).where(CustomerRow.customer_id.in_(old)))
                s.execute(delete(DetailRow).where(DetailRow.customer_id.in_(old)))
            n = int(s.execute(select(func.count(DetailRow.interaction_id))).scalar() or 0)
            if n > self.max_details:
                old = list(s.execute(select(DetailRow.interaction_id)
                                     .order_by(DetailRow.used_at, DetailRow.interaction_id)
                                     .limit(n - self.max_details)).scalars())
                s.execute(delete(DetailRow).where(DetailRow.interaction_id.in_(old)))

    async def counts(self) -> tuple[int, int]:
        """(customers, interaction details) stored."""
        def count() -> tuple[int, int]:
            with Session(self._engine) as s:
                return (int(s.execute(select(func.count(CustomerRow.customer_id))).scalar()
                            or 0),
                        int(s.execute(select(func.count(DetailRow.interaction_id))).scalar()
                            or 0))

        return await self._run(count, (0, 0))
