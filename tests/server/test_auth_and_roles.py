"""Authentication, tokens, sign-in throttling and role enforcement, through real websocket
clients against the real server (manual clock: expiry and throttling are driven by
advancing time, never by sleeping)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import CloseCode, ErrorCode
from agent_desk.server.models import AuditEntry, AuthToken, Interaction, Message, Transition
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient

ACCESS_TTL_S = 15 * 60


# ---- helpers ------------------------------------------------------------------------------


async def _open(world: World, first: m.ClientFrame | str | None = None,
                **kw: Any) -> WsClient:
    c = await WsClient.open(world.url, **kw)
    world.clients.append(c)
    if first is not None:
        await c.send(first)
    return c


async def _fatal(c: WsClient) -> tuple[m.Error, int]:
    """The fatal ``error`` frame a connection got, and the close code it was closed with."""
    err = await c.wait_for(lambda f: isinstance(f, m.Error))
    assert isinstance(err, m.Error)
    closed = await c.wait_closed()
    assert closed.rcvd is not None, "the server must close with a close frame"
    return err, closed.rcvd.code


async def _login_frames(world: World, username: str, password: str,
                        id: str = "login") -> WsClient:
    return await _open(world, m.Login(id=id, username=username, password=password))


async def _welcome(c: WsClient) -> m.Welcome:
    w = await c.wait_for(lambda f: isinstance(f, (m.Welcome, m.Error)))
    assert isinstance(w, m.Welcome), w
    await c.wait_for(lambda f: isinstance(f, (m.Snapshot, m.ReplayDone)))
    return w


async def _ping(c: WsClient, id: str) -> m.Pong:
    await c.send(m.Ping(id=id))
    pong = await c.wait_for(lambda f: isinstance(f, m.Pong) and f.re == id)
    assert isinstance(pong, m.Pong)
    return pong


def _audit(world: World) -> list[dict[str, Any]]:
    return world.server.store.run_sync(lambda s: [
        {"agent_id": a.agent_id, "action": a.action, "target": a.target, "key": a.key,
         "result": a.result, "detail": a.detail}
        for a in s.query(AuditEntry).order_by(AuditEntry.id)])


def _row(world: World, iid: int) -> tuple[dict[str, Any], int, int]:
    """The interaction's columns, its transitions count and its messages count."""
    def read(s: Any) -> tuple[dict[str, Any], int, int]:
        inter = s.get(Interaction, iid)
        cols = {c.name: getattr(inter, c.name) for c in Interaction.__table__.columns}
        return (cols, s.query(Transition).filter_by(interaction_id=iid).count(),
                s.query(Message).filter_by(interaction_id=iid).count())
    return world.server.store.run_sync(read)


async def _refused(world: World, c: WsClient, cls: type[m.Command], iid: int,
                   **fields: Any) -> m.Ack:
    """Send a command that must be refused with ``forbidden`` and change nothing."""
    before = _row(world, iid)
    ack = await c.cmd(cls, interaction_id=iid, **fields)
    assert not ack.ok and ack.error is not None, ack
    assert ack.error.code == ErrorCode.FORBIDDEN, ack.error
    assert ack.result is None and not ack.duplicate
    assert _row(world, iid) == before
    return ack


def _offered_to(iid: int, change: str = "offered") -> Any:
    return lambda d: (isinstance(d, m.InteractionChanged) and d.change == change
                      and d.interaction.id == iid)


# ---- sign-in ------------------------------------------------------------------------------


async def test_wrong_password_and_unknown_user_fail_alike_and_are_audited(world: World) -> None:
    secret = "s3cret-Guess-#1"
    bad = await _login_frames(world, "ann", secret, id="c1")
    err, code = await _fatal(bad)
    assert err.code == ErrorCode.AUTH_FAILED and err.fatal and err.re == "c1"
    assert code == CloseCode.AUTH_FAILED

    ghost = await _login_frames(world, "nobody-here", secret, id="c2")
    err2, code2 = await _fatal(ghost)
    assert (err2.code, err2.message, err2.fatal, code2) == (
        err.code, err.message, True, CloseCode.AUTH_FAILED), "no user enumeration"
    assert [f for f in bad.frames if not isinstance(f, m.Error)] == []
    assert [f for f in ghost.frames if not isinstance(f, m.Error)] == []

    audit = _audit(world)
    logins = [a for a in audit if a["action"] == "login"]
    assert [(a["target"], a["result"], a["agent_id"]) for a in logins] == [
        ("user:ann", "auth_failed", None), ("user:nobody-here", "auth_failed", None)]
    assert all(secret not in repr(a) for a in audit)
    # no token was issued for a failed sign-in
    assert world.server.store.run_sync(lambda s: s.query(AuthToken).count()) == 0


async def test_throttling_refuses_even_the_right_password_until_the_delay_passes(
        world: World) -> None:
    for i in range(5):
        c = await _login_frames(world, "ann", f"wrong-{i}", id=f"f{i}")
        err, code = await _fatal(c)
        assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)

    right = await _login_frames(world, "ann", "ann-pw", id="r1")
    err, code = await _fatal(right)
    assert err.code == ErrorCode.RATE_LIMITED and err.fatal and err.re == "r1"
    assert err.retry_after is not None and err.retry_after > 0
    assert code == CloseCode.RATE_LIMITED
    # the refused attempt does not count as another failure: the wait stays the same
    again = await _login_frames(world, "ann", "ann-pw")
    err2, _ = await _fatal(again)
    assert err2.code == ErrorCode.RATE_LIMITED and err2.retry_after == err.retry_after

    world.clock.advance(err.retry_after + 0.5)
    ok = await _login_frames(world, "ann", "ann-pw")
    welcome = await _welcome(ok)
    assert welcome.agent.username == "ann" and welcome.access_token


async def test_throttle_delay_doubles_with_further_failures(world: World) -> None:
    for i in range(5):
        await _fatal(await _login_frames(world, "bob", f"wrong-{i}"))
    err, _ = await _fatal(await _login_frames(world, "bob", "bob-pw"))
    first_wait = err.retry_after
    assert first_wait is not None and first_wait > 0
    world.clock.advance(first_wait + 0.1)
    # one more failure after the delay: the next wait is twice as long
    err, code = await _fatal(await _login_frames(world, "bob", "still-wrong"))
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    err, code = await _fatal(await _login_frames(world, "bob", "bob-pw"))
    assert (err.code, code) == (ErrorCode.RATE_LIMITED, CloseCode.RATE_LIMITED)
    assert err.retry_after == pytest.approx(2 * first_wait)


# ---- tokens -------------------------------------------------------------------------------


async def test_hello_with_the_access_token_in_the_field_or_the_header(world: World) -> None:
    ann = await world.login("ann")
    token = ann.first(m.Welcome).access_token
    assert token

    by_field = await _open(world, m.Hello(id="h1", token=token))
    w = await _welcome(by_field)
    assert w.re == "h1" and w.agent.username == "ann"
    assert w.access_token is None and w.refresh_token is None, "hello returns no tokens"
    await _ping(by_field, "p1")

    by_header = await _open(world, m.Hello(id="h2"),
                            additional_headers={"Authorization": f"Bearer {token}"})
    w = await _welcome(by_header)
    assert w.re == "h2" and w.agent.username == "ann"
    await _ping(by_header, "p2")

    # a made-up token is refused (field or header)
    forged = await _open(world, m.Hello(token="x" * 43))
    err, code = await _fatal(forged)
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    forged = await _open(world, m.Hello(),
                         additional_headers={"Authorization": "Bearer not-a-token"})
    err, code = await _fatal(forged)
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    # a refresh token is not an access token
    refresh = ann.first(m.Welcome).refresh_token
    err, code = await _fatal(await _open(world, m.Hello(token=refresh)))
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)


async def test_hello_with_an_expired_access_token(world: World) -> None:
    ann = await world.login("ann")
    token = ann.first(m.Welcome).access_token
    world.clock.advance(ACCESS_TTL_S + 1)
    c = await _open(world, m.Hello(id="h", token=token))
    err, code = await _fatal(c)
    assert err.code == ErrorCode.TOKEN_EXPIRED and err.fatal and err.re == "h"
    assert code == CloseCode.TOKEN_EXPIRED


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(world: World) -> None:
    ann = await world.login("ann")
    first = ann.first(m.Welcome)
    assert first.refresh_token and first.access_expires_at

    world.clock.advance(60)
    c = await _open(world, m.Refresh(id="r1", refresh_token=first.refresh_token))
    w = await _welcome(c)
    assert w.re == "r1" and w.agent.username == "ann"
    assert w.access_token and w.refresh_token
    assert w.access_token != first.access_token and w.refresh_token != first.refresh_token
    assert w.access_expires_at is not None and w.access_expires_at > first.access_expires_at
    # the new access token works
    ok = await _open(world, m.Hello(token=w.access_token))
    await _welcome(ok)

    # the old refresh token again: theft. Refused, and the family's newest token too.
    reuse = await _open(world, m.Refresh(id="r2", refresh_token=first.refresh_token))
    err, code = await _fatal(reuse)
    assert (err.code, err.re, code) == (ErrorCode.AUTH_FAILED, "r2", CloseCode.AUTH_FAILED)
    newest = await _open(world, m.Refresh(id="r3", refresh_token=w.refresh_token))
    err, code = await _fatal(newest)
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    # ... and the family's access tokens are dead as well
    err, code = await _fatal(await _open(world, m.Hello(token=w.access_token)))
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    unrevoked = world.server.store.run_sync(
        lambda s: s.query(AuthToken).filter_by(revoked=False).count())
    assert unrevoked == 0
    # signing in with the password starts a new family
    again = await world.login("ann")
    assert again.first(m.Welcome).refresh_token


async def test_an_unknown_or_expired_refresh_token_is_refused(world: World) -> None:
    err, code = await _fatal(await _open(world, m.Refresh(refresh_token="y" * 43)))
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)
    ann = await world.login("ann")
    refresh = ann.first(m.Welcome).refresh_token
    world.clock.advance(7 * 24 * 3600 + 1)
    err, code = await _fatal(await _open(world, m.Refresh(refresh_token=refresh)))
    assert (err.code, code) == (ErrorCode.AUTH_FAILED, CloseCode.AUTH_FAILED)


async def test_in_band_refresh_keeps_a_connection_alive_past_expiry(world: World) -> None:
    keeper = await world.login("ann")
    lapsing = await world.login("bob")
    w0 = keeper.first(m.Welcome)
    assert w0.refresh_token and w0.access_expires_at

    world.clock.advance(ACCESS_TTL_S - 60)
    await keeper.send(m.Refresh(id="ib1", refresh_token=w0.refresh_token))
    tokens = await keeper.wait_for(lambda f: isinstance(f, (m.Tokens, m.Error)))
    assert isinstance(tokens, m.Tokens), tokens
    assert tokens.re == "ib1" and tokens.access_token and tokens.refresh_token
    assert tokens.refresh_token != w0.refresh_token
    assert tokens.access_expires_at > w0.access_expires_at

    world.clock.advance(61)  # past the first expiry
    await world.server.tick()
    err, code = await _fatal(lapsing)
    assert err.code == ErrorCode.TOKEN_EXPIRED and err.fatal
    assert code == CloseCode.TOKEN_EXPIRED
    assert keeper.closed is None
    await _ping(keeper, "still-here")
    ack = await keeper.cmd(m.SetState, state="available")
    assert ack.ok

    # the refreshed connection expires in turn when its new token does
    world.clock.advance(ACCESS_TTL_S)
    await world.server.tick()
    err, code = await _fatal(keeper)
    assert (err.code, code) == (ErrorCode.TOKEN_EXPIRED, CloseCode.TOKEN_EXPIRED)
    # a client closed with 4002 reconnects with refresh, losing nothing
    back = await _open(world, m.Refresh(refresh_token=tokens.refresh_token,
                                        resume_from=keeper.last_seq))
    w = await _welcome(back)
    assert w.resume == "replay"


async def test_in_band_refresh_with_a_bad_token_is_an_error_not_a_close(world: World) -> None:
    ann = await world.login("ann")
    bob = await world.login("bob")
    await ann.send(m.Refresh(id="x1", refresh_token="z" * 43))
    err = await ann.wait_for(lambda f: isinstance(f, m.Error) and f.re == "x1")
    assert isinstance(err, m.Error) and err.code == ErrorCode.AUTH_FAILED
    # someone else's refresh token cannot extend this connection
    await ann.send(m.Refresh(id="x2", refresh_token=bob.first(m.Welcome).refresh_token))
    err = await ann.wait_for(lambda f: isinstance(f, m.Error) and f.re == "x2")
    assert isinstance(err, m.Error) and err.code == ErrorCode.FORBIDDEN
    await _ping(ann, "p")


# ---- the first frame -----------------------------------------------------------------------


async def test_first_frame_must_authenticate(world: World) -> None:
    c = await _open(world, m.Ping(id="p0"))
    err, code = await _fatal(c)
    assert err.code == ErrorCode.NOT_AUTHENTICATED and err.fatal and err.re == "p0"
    assert code == CloseCode.PROTOCOL_VIOLATION

    c = await _open(world, m.Accept(id="a0", key="k" * 36, interaction_id=1))
    err, code = await _fatal(c)
    assert (err.code, code) == (ErrorCode.NOT_AUTHENTICATED, CloseCode.PROTOCOL_VIOLATION)

    c = await _open(world, '{"v": 2, "type": "login", "id": "v2", "username": "ann", '
                           '"password": "ann-pw"}')
    err, code = await _fatal(c)
    assert err.code == ErrorCode.UNSUPPORTED_VERSION and err.fatal and err.re == "v2"
    assert code == CloseCode.UNSUPPORTED_VERSION

    # a second login on an authenticated connection is not a new sign-in
    ann = await world.login("ann")
    await ann.send(m.Login(id="again", username="bob", password="bob-pw"))
    err = await ann.wait_for(lambda f: isinstance(f, m.Error) and f.re == "again")
    assert isinstance(err, m.Error) and not err.fatal
    assert ann.first(m.Welcome).agent.username == "ann"
    await _ping(ann, "p")


# ---- roles and ownership ------------------------------------------------------------------


async def test_agents_cannot_touch_other_agents_work_and_leads_cannot_message(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    bob = await world.login("bob")  # not available: nothing is routed to him
    lead = await world.login("lead")
    bob_id, lead_id = world.agent_id("bob"), world.agent_id("lead")

    chat = await world.contact("chat", body="Where is my parcel?")
    await ann.wait_event(_offered_to(chat))
    # offered to ann: bob may not take it, nor decline it for her
    await _refused(world, bob, m.Accept, chat)
    await _refused(world, bob, m.Decline, chat, reason="not mine")
    assert (await ann.cmd(m.Accept, interaction_id=chat)).ok

    await _refused(world, bob, m.Accept, chat)
    await _refused(world, bob, m.SendMessage, chat, body="Hi, this is Bob")
    await _refused(world, lead, m.SendMessage, chat, body="Hi, this is the lead")
    await _refused(world, bob, m.Close, chat)
    await _refused(world, bob, m.Transfer, chat, to_agent_id=bob_id)

    call = await world.contact("phone", who="victor")
    await ann.wait_event(_offered_to(call))
    assert (await ann.cmd(m.Accept, interaction_id=call)).ok
    await _refused(world, bob, m.Hold, call)
    await _refused(world, bob, m.HangUp, call)

    assert (await ann.cmd(m.Close, interaction_id=chat)).ok
    await _refused(world, bob, m.WrapUp, chat, disposition="resolved")

    # the owner still can; nothing of the above got in her way
    assert (await ann.cmd(m.SendMessage, interaction_id=chat, body="x")).error.code == (
        ErrorCode.INVALID_STATE)  # chat is in wrap-up now: a state problem, not ownership
    assert (await ann.cmd(m.WrapUp, interaction_id=chat, disposition="resolved")).ok
    assert (await ann.cmd(m.HangUp, interaction_id=call)).ok

    refusals = [(a["agent_id"], a["action"], a["target"], a["result"]) for a in _audit(world)]
    assert refusals == [
        (bob_id, "accept", f"interaction:{chat}", "forbidden"),
        (bob_id, "decline", f"interaction:{chat}", "forbidden"),
        (bob_id, "accept", f"interaction:{chat}", "forbidden"),
        (bob_id, "send_message", f"interaction:{chat}", "forbidden"),
        (lead_id, "send_message", f"interaction:{chat}", "forbidden"),
        (bob_id, "close", f"interaction:{chat}", "forbidden"),
        (bob_id, "transfer", f"interaction:{chat}", "forbidden"),
        (bob_id, "hold", f"interaction:{call}", "forbidden"),
        (bob_id, "hang_up", f"interaction:{call}", "forbidden"),
        (bob_id, "wrap_up", f"interaction:{chat}", "forbidden"),
    ]
    assert all(a["key"] for a in _audit(world)), "refusals carry the command's key"


async def test_accepting_an_offer_that_moved_on_is_invalid_state_not_forbidden(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    chat = await world.contact("chat")
    await ann.wait_event(_offered_to(chat))
    bob = await world.login("bob", available=True)
    await world.advance(21)  # ann's offer rings out; bob gets it
    await bob.wait_event(_offered_to(chat))
    ack = await ann.cmd(m.Accept, interaction_id=chat)
    assert not ack.ok and ack.error is not None
    assert ack.error.code == ErrorCode.INVALID_STATE


async def test_reassign_and_set_priority_are_for_leads_and_audited(world: World) -> None:
    bob = await world.login("bob", available=True)  # reassigning to an offline agent is refused
    trainer = await world.login("trainer")
    lead = await world.login("lead")
    bob_id, lead_id, trainer_id = (world.agent_id(u) for u in ("bob", "lead", "trainer"))
    iid = await world.contact("chat", who="wang", queue="Chinese")  # nobody available: queued

    for who in (bob, trainer):
        await _refused(world, who, m.Reassign, iid, agent_id=bob_id)
        await _refused(world, who, m.SetPriority, iid, priority="urgent")

    before = _row(world, iid)[0]
    ack = await lead.cmd(m.SetPriority, interaction_id=iid, priority="urgent")
    assert ack.ok and ack.result == {"priority": "urgent"}
    ack = await lead.cmd(m.Reassign, interaction_id=iid, agent_id=bob_id)
    assert ack.ok and ack.result["offered_agent_id"] == bob_id
    after = _row(world, iid)[0]
    assert after["priority"] == "urgent" and after["offered_agent_id"] == bob_id
    assert after["state"] == "offered"
    assert after["first_response_due_at"] < before["first_response_due_at"]
    reassigned = await bob.wait_event(_offered_to(iid, "reassigned"))
    assert isinstance(reassigned.data, m.InteractionChanged)
    assert reassigned.data.interaction.offered_agent_id == bob_id

    rows = [(a["agent_id"], a["action"], a["target"], a["result"]) for a in _audit(world)]
    target = f"interaction:{iid}"
    assert rows == [
        (bob_id, "reassign", target, "forbidden"),
        (bob_id, "set_priority", target, "forbidden"),
        (trainer_id, "reassign", target, "forbidden"),
        (trainer_id, "set_priority", target, "forbidden"),
        (lead_id, "set_priority", target, "ok"),
        (lead_id, "reassign", target, "ok"),
    ]


# ---- secrets stay out of the logs ----------------------------------------------------------


async def test_the_password_is_never_logged(world: World,
                                            caplog: pytest.LogCaptureFixture) -> None:
    # What the server writes to its log: its own loggers at every level, and the websocket
    # library at WARNING and above (``agent_desk.logs.setup_logging`` sets it so).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.WARNING, logger="websockets")
    wrong, right = "Wr0ng-Passw0rd-xyzzy", "ann-pw"
    await _fatal(await _login_frames(world, "ann", wrong))
    ok = await _login_frames(world, "ann", right)
    await _welcome(ok)
    await _ping(ok, "p")
    records = [r for r in caplog.records]
    assert any("sign-in failed" in r.getMessage() for r in records), "the failure is logged"
    text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}"
                     for r in records)
    assert wrong not in text and right not in text
