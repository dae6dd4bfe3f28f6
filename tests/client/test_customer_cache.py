"""The local customer cache on a real SQLite file: records come back as they went in, marked
stale with their fetch time; the least recently used customers (and their transcripts) go
beyond the bound; a damaged row or file is treated as missing and the cache keeps working;
it survives reopening (a restart)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from agent_desk.client.customer_cache import CustomerCache
from agent_desk.protocol import views as v

T0 = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


def customer(cid: int, name: str = "Carol") -> v.Customer360:
    return v.Customer360(
        id=cid, name=name, tier="gold", language="en",  # type: ignore[arg-type]
        identities=[v.IdentityView(kind="email", value=f"c{cid}@example.com")],
        interactions=[v.PastInteraction(id=cid * 10, channel="chat", state="closed",  # type: ignore[arg-type]
                                        subject="Refund", created_at=T0, csat=4,
                                        disposition="resolved")])


def detail(iid: int, cid: int) -> v.InteractionDetail:
    brief = v.CustomerBrief(id=cid, name="Carol", tier="gold", language="en")  # type: ignore[arg-type]
    inter = v.InteractionView(id=iid, channel="chat", state="closed",  # type: ignore[arg-type]
                              customer=brief, queue_id=1, created_at=T0,
                              first_response_due_at=T0, resolution_due_at=T0)
    msg = v.MessageView(id=1, interaction_id=iid, direction="inbound",  # type: ignore[arg-type]
                        author="Carol", body="Where is my parcel?", at=T0)
    return v.InteractionDetail(interaction=inter, messages=[msg])


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


async def test_round_trip_stale_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = CustomerCache(path, clock=Clock())
    assert await cache.get_customer(3) is None
    await cache.put_customer(customer(3, "王芳"))
    await cache.put_detail(detail(30, 3))
    cache.close()
    again = CustomerCache(path)  # a restart
    try:
        hit = await again.get_customer(3)
        assert hit is not None and hit.stale and hit.fetched_at == 1001.0
        assert hit.value == customer(3, "王芳")
        d = await again.get_detail(30)
        assert d is not None and d.value.messages[0].body == "Where is my parcel?"
        assert await again.counts() == (1, 1)
    finally:
        again.close()


async def test_least_recently_used_customers_go_with_their_transcripts(tmp_path: Path) -> None:
    cache = CustomerCache(tmp_path / "cache.db", max_customers=3, max_details=4, clock=Clock())
    try:
        for cid in (1, 2, 3):
            await cache.put_customer(customer(cid))
            await cache.put_detail(detail(cid * 10, cid))
        assert await cache.get_customer(1) is not None  # 1 is used again: 2 is now oldest
        await cache.put_customer(customer(4))
        assert await cache.get_customer(2) is None
        assert await cache.get_detail(20) is None  # its transcript went with it
        assert {c for c in (1, 3, 4) if await cache.get_customer(c)} == {1, 3, 4}
        for iid in (41, 42, 43):
            await cache.put_detail(detail(iid, 4))
        assert await cache.counts() == (3, 4)
        assert await cache.get_detail(10) is None  # the least recently used detail
    finally:
        cache.close()


async def test_damaged_rows_and_files_are_missing_not_errors(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = CustomerCache(path)
    await cache.put_customer(customer(5))
    cache.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE customers SET data = :d"), {"d": b"{not json"})
    engine.dispose()
    cache = CustomerCache(path)
    try:
        assert await cache.get_customer(5) is None
        assert await cache.counts() == (0, 0)  # the damaged row was dropped
    finally:
        cache.close()
    path.write_bytes(b"this is not a database" * 100)
    cache = CustomerCache(path)
    try:
        assert await cache.get_customer(5) is None
        await cache.put_customer(customer(6))  # started over next to the damaged file
        hit = await cache.get_customer(6)
        assert hit is not None and hit.value.id == 6
        assert (tmp_path / "cache.db.damaged").exists()
    finally:
        cache.close()
