"""The store on SQLite and on PostgreSQL: schema from migrations, the whole command path,
idempotency records, event sequence and replay. Each PostgreSQL run uses a database of
its own."""

from __future__ import annotations

from sqlalchemy import inspect

from agent_desk.protocol import messages as m
from agent_desk.server.clock import ManualClock
from agent_desk.server.models import Base, CommandRecord, EventRow, Note
from tests.helpers.world import build_world
from tests.helpers.wsclient import new_key


async def test_store_serves_the_whole_flow(store_url: str, clock: ManualClock) -> None:
    world = await build_world(store_url, clock)
    try:
        tables = set(inspect(world.server.store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables

        ann = await world.login("ann", available=True)
        iid = await world.contact("email", subject="Invoice copy", body="Please resend")
        await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                             and d.change == "offered" and d.interaction.id == iid)
        assert (await ann.cmd(m.Accept, interaction_id=iid)).ok
        key = new_key()
        first = await ann.request(m.AddNote(key=key, interaction_id=iid, body="called back"))
        again = await ann.request(m.AddNote(key=key, interaction_id=iid, body="called back"))
        assert first.ok and again.ok and again.duplicate and again.result == first.result
        reply = await ann.cmd(m.SendMessage, interaction_id=iid, body="Attached.")
        assert reply.ok
        detail = await ann.request(m.GetInteraction(interaction_id=iid))
        msgs = detail.result["messages"]
        assert [x["direction"] for x in msgs] == ["inbound", "outbound"]
        assert msgs[1]["subject"] == "Re: Invoice copy"
        assert msgs[1]["in_reply_to"] == "<first@customer.example>"

        notes, records, seqs = world.server.store.run_sync(lambda s: (
            s.query(Note).filter_by(interaction_id=iid).count(),
            s.query(CommandRecord).filter_by(key=key).count(),
            [e.seq for e in s.query(EventRow).order_by(EventRow.seq)]))
        assert notes == 1 and records == 1
        assert seqs == sorted(set(seqs)) and seqs[0] >= 1
        last = ann.last_seq
        await ann.close()

        await world.contact("chat", body="another one")
        ann2 = await world.login("ann", resume_from=last)
        assert ann2.first(m.Welcome).resume == "replay"
        done = await ann2.wait_for(lambda f: isinstance(f, m.ReplayDone))
        assert isinstance(done, m.ReplayDone) and done.seq > last
        assert ann2.gaps == []
        found = await ann2.request(m.SearchCustomers(query="carol"))
        assert [c["name"] for c in found.result["customers"]] == ["Carol Smith"]
    finally:
        await world.close()


async def test_schema_upgrade_is_idempotent(store_url: str, clock: ManualClock) -> None:
    world = await build_world(store_url, clock)
    await world.close()
    again = await build_world(store_url, clock)  # migrations + reference data run again
    try:
        ann = await again.login("ann")
        assert ann.first(m.Welcome).agent.username == "ann"
    finally:
        await again.close()
