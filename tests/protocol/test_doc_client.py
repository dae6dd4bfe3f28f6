"""Drive a real server with DocClient, a client written only from docs/protocol.md."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.client import connect

from tests.protocol.doc_client import DocClient

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def clients(world: Any) -> AsyncIterator[Callable[[str], DocClient]]:
    made: list[DocClient] = []

    def make(username: str) -> DocClient:
        c = DocClient(world.url, username, f"{username}-pw")
        made.append(c)
        return c

    yield make
    for c in made:
        await c.drop()


def assert_consistent(c: DocClient) -> None:
    """Every applied event chained on the previous one; nothing was missed."""
    assert c.gaps == []
    assert c.snapshot is not None
    prev = c.snapshot["seq"]
    for e in c.events:
        assert e["prev"] == prev and e["seq"] > prev
        prev = e["seq"]
    assert c.last == prev


async def test_full_chat_lifecycle(world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    welcome = await ann.login()
    assert welcome["resume"] == "snapshot" and welcome["agent"]["username"] == "ann"
    assert ann.access_token and ann.refresh_token
    snap = ann.snapshot
    assert snap is not None and ann.last == snap["seq"]
    assert set(snap["settable_states"]) == {"available", "away", "offline"}
    me = ann.agent["id"] if ann.agent else 0
    general = next(q["id"] for q in snap["queues"] if q["name"] == "General")
    assert general in snap["agent"]["queue_ids"]

    ack = await ann.command("set_state", state="available")
    assert ack["ok"] and ack["result"] == {"state": "available"} and not ack["duplicate"]
    # Events caused by a command arrive before its ack (§5).
    assert ann.agent and ann.agent["state"] == "available"

    iid = await world.contact("chat", "carol", queue="General", body="Hi, my order is late")
    offered = await ann.wait_for(lambda: (v := ann.interactions.get(iid))
                                 and v["state"] == "offered" and v)
    assert offered["offered_agent_id"] == me and offered["queue_id"] == general
    assert offered["channel"] == "chat" and offered["offer_expires_at"]
    changes = [d["change"] for d in ann.event_kinds("interaction")
               if d["interaction"]["id"] == iid]
    assert "offered" in changes

    ack = await ann.command("accept", interaction_id=iid)
    assert ack["ok"] and ack["result"] == {"interaction_id": iid, "state": "assigned"}
    view = ann.interactions[iid]
    assert view["state"] == "assigned" and view["assigned_agent_id"] == me

    ack = await ann.command("send_message", interaction_id=iid, body="Let me check that.")
    assert ack["ok"] and isinstance(ack["result"]["message_id"], int)
    assert ann.interactions[iid]["first_response_at"] is not None

    ack = await ann.command("close", interaction_id=iid)
    assert ack["ok"] and ann.interactions[iid]["state"] == "wrap_up"

    code = snap["wrap_up_codes"][0]["code"]
    ack = await ann.command("wrap_up", interaction_id=iid, disposition=code)
    assert ack["ok"]
    # Closed: the §10 rule removes it from the local view.
    assert iid not in ann.interactions
    last_view = [d["interaction"] for d in ann.event_kinds("interaction")
                 if d["interaction"]["id"] == iid][-1]
    assert last_view["state"] == "closed" and last_view["disposition"] == code
    versions = [d["interaction"]["version"] for d in ann.event_kinds("interaction")
                if d["interaction"]["id"] == iid]
    assert versions == sorted(versions)
    assert_consistent(ann)

    # Resending the same key is a duplicate and applies nothing (§6).
    last = ann.last
    again = await ann.command("wrap_up", key=ack["key"], interaction_id=iid, disposition=code)
    assert again["ok"] and again["duplicate"] and again["result"] == ack["result"]
    assert ann.last == last


async def test_get_interaction_returns_sent_messages(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    assert (await ann.command("set_state", state="available"))["ok"]
    iid = await world.contact("chat", "victor", queue="General", body="Hello?")
    await ann.wait_for(lambda: iid in ann.interactions
                       and ann.interactions[iid]["state"] == "offered")
    assert (await ann.command("accept", interaction_id=iid))["ok"]
    bodies = ["First answer", "Second answer"]
    for body in bodies:
        assert (await ann.command("send_message", interaction_id=iid, body=body))["ok"]

    ack = await ann.query("get_interaction", interaction_id=iid)
    assert ack["type"] == "ack" and ack["ok"] and ack["key"] is None
    detail = ack["result"]
    assert detail["interaction"]["id"] == iid
    outbound = [m["body"] for m in detail["messages"] if m["direction"] == "outbound"]
    assert outbound == bodies
    assert detail["messages"][0]["direction"] == "inbound"   # oldest first
    assert detail["notes"] == [] and detail["transitions"]
    # The message events she received carry the same messages.
    assert [m["body"] for m in ann.messages[iid] if m["direction"] == "outbound"] == bodies
    assert_consistent(ann)


async def test_resume_after_drop(world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    first = ann.refresh_token
    tokens = await ann.refresh()                     # in-band refresh (§3)
    assert tokens["type"] == "tokens" and tokens["refresh_token"] != first
    assert ann.refresh_token == tokens["refresh_token"]
    last = ann.last
    assert last is not None
    await ann.drop(abort=True)                       # the network fails, no close frame

    iid = await world.contact("email", "wang", queue="General", subject="Invoice")
    welcome = await ann.resume()                     # refresh + resume_from = last
    assert welcome["type"] == "welcome" and welcome["resume"] == "replay"
    assert welcome["refresh_token"] and welcome["refresh_token"] != tokens["refresh_token"]
    done = ann.replay_done
    assert done is not None and done["seq"] == ann.last
    assert ann.gaps == [] and ann.events and ann.events[0]["prev"] == last
    view = ann.interactions[iid]
    assert view["state"] == "queued" and view["channel"] == "email"

    # Live events keep chaining after the replay: once available, the waiting email is
    # routed to her (§12) and the offer event chains on the replayed ones.
    assert (await ann.command("set_state", state="available"))["ok"]
    me = ann.agent["id"] if ann.agent else 0
    assert ann.interactions[iid]["state"] == "offered"
    assert ann.interactions[iid]["offered_agent_id"] == me
    assert ann.gaps == [] and ann.duplicates == []


async def test_resume_from_older_seq_skips_duplicates(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    assert (await ann.command("set_state", state="away", reason="break"))["ok"]
    iid = await world.contact("chat", "carol", queue="General")
    await ann.wait_for(lambda: iid in ann.interactions)
    assert ann.snapshot is not None
    old, last = ann.snapshot["seq"], ann.last
    await ann.drop()
    welcome = await ann.resume(resume_from=old)      # replays events she already has
    assert welcome["resume"] == "replay" and ann.replay_done is not None
    assert ann.replay_done["seq"] == last == ann.last
    assert ann.gaps == [] and len(ann.duplicates) == len(ann.events)


async def test_resume_from_unknown_seq_gets_snapshot(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    await ann.drop()
    ann.log.clear()
    welcome = await ann.resume(resume_from=10**9)    # newer than the server's newest
    assert welcome["resume"] == "snapshot"
    assert ann.log == ["welcome", "error", "snapshot"]
    err = ann.errors[-1]
    assert err["code"] == "resume_too_old" and not err["fatal"]
    assert ann.snapshot is not None and ann.last == ann.snapshot["seq"]


async def test_reused_refresh_token_revokes_family(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    stolen = ann.refresh_token
    assert (await ann.refresh())["type"] == "tokens"
    newest = ann.refresh_token
    await ann.drop()
    ann.refresh_token = stolen
    err = await ann.resume()
    assert err["type"] == "error" and err["code"] == "auth_failed" and err["fatal"]
    assert await ann.wait_closed() == 4001
    ann.refresh_token = newest                       # the whole family is revoked
    err = await ann.resume()
    assert err["type"] == "error" and err["code"] == "auth_failed"


async def test_resume_with_nothing_missed(world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    frame = {"type": "set_state", "key": "lost-ack-0001", "state": "away", "reason": "break"}
    ack = await ann.command(**{k: v for k, v in frame.items() if k != "type"}, type_="set_state")
    assert ack["ok"]
    ann.outbox[frame["key"]] = frame                 # as if the ack had been lost
    last = ann.last
    await ann.drop()
    welcome = await ann.resume()
    assert welcome["resume"] == "replay"
    assert ann.replay_done is not None and ann.replay_done["seq"] == last
    # The outbox was resent after replay_done: same key, original result, nothing applied.
    assert [(a["key"], a["ok"], a["duplicate"]) for a in ann.flushed] == [
        ("lost-ack-0001", True, True)]
    assert ann.flushed[0]["result"] == ack["result"] and ann.last == last and not ann.outbox
    n = len(ann.events)
    assert (await ann.command("set_state", state="available"))["ok"]
    assert ann.gaps == [] and ann.events[n]["prev"] == last


async def test_lead_sees_agent_state(world: Any, clients: Callable[[str], DocClient]) -> None:
    lead, ann = clients("lead"), clients("ann")
    await lead.login()
    assert lead.agent and lead.agent["role"] == "lead"
    await ann.login()
    ann_id = ann.agent["id"] if ann.agent else 0
    assert ann_id in lead.agents
    assert (await ann.command("set_state", state="away", reason="lunch"))["ok"]
    seen = await lead.wait_for(lambda: [d["agent"] for d in lead.event_kinds("agent")
                                        if d["agent"]["id"] == ann_id
                                        and d["agent"]["state"] == "away"])
    assert seen[-1]["away_reason"] == "lunch"
    assert lead.agents[ann_id]["state"] == "away"
    assert_consistent(lead)


async def test_lead_snapshot_has_everyones_open_work(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann, lead = clients("ann"), clients("lead")
    await ann.login()
    assert (await ann.command("set_state", state="available"))["ok"]
    iid = await world.contact("chat", "carol", queue="General")
    await ann.wait_for(lambda: iid in ann.interactions
                       and ann.interactions[iid]["state"] == "offered")
    assert (await ann.command("accept", interaction_id=iid))["ok"]
    await lead.login()
    assert lead.snapshot is not None
    assert [v["state"] for v in lead.snapshot["interactions"] if v["id"] == iid] == ["assigned"]
    assert ann.agent is not None
    assert lead.interactions[iid]["assigned_agent_id"] == ann.agent["id"]
    assert (await ann.command("send_message", interaction_id=iid, body="On it"))["ok"]
    # Leads receive every event (§5): the message and the `replied` change.
    await lead.wait_for(lambda: any(d["change"] == "replied"
                                    for d in lead.event_kinds("interaction")))
    assert [m["body"] for m in lead.messages[iid]] == ["On it"]
    assert lead.interactions[iid]["state"] == "assigned"     # still in the lead's view
    assert_consistent(lead)


async def test_command_on_missing_interaction(
        world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    ack = await ann.command("accept", interaction_id=999999)
    assert ack["type"] == "ack" and ack["ok"] is False and ack["result"] is None
    assert ack["error"]["code"] == "not_found"
    # A failed command records nothing: the same key may be used again (§6).
    again = await ann.command("accept", key=ack["key"], interaction_id=999999)
    assert again["ok"] is False and again["duplicate"] is False
    ack = await ann.query("get_interaction", interaction_id=999999)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"


async def test_idempotency_conflict(world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    ack = await ann.command("set_state", state="away", reason="break")
    assert ack["ok"]
    other = await ann.command("set_state", key=ack["key"], state="available")
    assert other["ok"] is False and other["error"]["code"] == "idempotency_conflict"
    assert ann.agent and ann.agent["state"] == "away"


async def test_invalid_and_unknown_frames(world: Any, clients: Callable[[str], DocClient]) -> None:
    ann = clients("ann")
    await ann.login()
    err = await ann.command("accept")                # missing interaction_id
    assert err["type"] == "error" and err["code"] == "invalid" and not err["fatal"]
    assert "interaction_id" in err["message"]
    err = await ann.query("no_such_frame")
    assert err["type"] == "error" and err["code"] == "unknown_type"
    await ann.send_raw("[1, 2, 3]")
    err = await ann.wait_for(lambda: [e for e in ann.errors if e["code"] == "malformed"])
    assert not err[0]["fatal"]
    pong = await ann.query("ping")                   # connection still open
    assert pong["type"] == "pong" and pong["server_time"]


async def test_wrong_password_is_fatal(world: Any) -> None:
    c = DocClient(world.url, "ann", "wrong")
    err = await c.login()
    assert err["type"] == "error" and err["code"] == "auth_failed" and err["fatal"]
    assert await c.wait_closed() == 4001


async def test_first_frame_must_authenticate(world: Any) -> None:
    async with connect(world.url) as ws:
        await ws.send(json.dumps({"type": "ping", "id": "p1"}))
        err = json.loads(await ws.recv())
        assert err["type"] == "error" and err["code"] == "not_authenticated" and err["fatal"]
        await ws.wait_closed()
        assert ws.close_code == 4000
