"""One websocket connection: authenticate (first frame), start with a replay or a
snapshot, then serve commands and queries until the connection closes. Bad input gets an
``error`` frame with a code; the connection and the server keep working."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import msgspec
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from ..protocol import messages as m
from ..protocol.codec import ProtocolError, decode_client_frame, encode, event_frame
from ..protocol.codes import CloseCode, ErrorCode
from .auth import (
    AuthError,
    Identity,
    RefreshReused,
    TokenPair,
    check_access,
    find_login,
    issue_tokens,
    revoke_family,
    rotate_refresh,
)
from .clock import to_dt
from .errors import CommandError
from .hub import Conn
from .models import Agent
from .passwords import hash_password, verify_password
from .presence import handle_activity
from .views import agent_load, agent_view

if TYPE_CHECKING:
    from .app import Server

log = logging.getLogger("agent_desk.server.session")
_DUMMY_HASH = hash_password("dummy-password-for-timing", log_n=12)
_AUTH_CLOSE = {
    ErrorCode.AUTH_FAILED: CloseCode.AUTH_FAILED,
    ErrorCode.TOKEN_EXPIRED: CloseCode.TOKEN_EXPIRED,
    ErrorCode.FORBIDDEN: CloseCode.FORBIDDEN,
    ErrorCode.RATE_LIMITED: CloseCode.RATE_LIMITED,
}


def _remote(ws: ServerConnection) -> str:
    addr = ws.remote_address
    return str(addr[0]) if addr else "?"


async def _fatal(ws: ServerConnection, code: ErrorCode, message: str, close: CloseCode,
                 re: str | None = None, retry_after: float | None = None) -> None:
    frame = m.Error(re=re, code=code, message=message, fatal=True, retry_after=retry_after)
    try:
        await ws.send(encode(frame), text=True)
        await ws.close(close, message[:120])
    except ConnectionClosed:
        pass


def expire(conn: Conn) -> None:
    conn.kill(CloseCode.TOKEN_EXPIRED, "access token expired",
              last=encode(m.Error(code=ErrorCode.TOKEN_EXPIRED, fatal=True,
                                  message="access token expired: refresh and reconnect")))


async def _login(server: Server, frame: m.Login, remote: str) -> tuple[Identity, TokenPair]:
    now = server.clock.now()
    throttle = server.config.throttle
    keys = [f"user:{frame.username.lower()}", f"ip:{remote}"]
    wait = throttle.retry_after(keys, now)
    if wait > 0:
        raise AuthError(ErrorCode.RATE_LIMITED,
                        f"too many failed sign-ins: try again in {int(wait) + 1} s", wait)
    found = await server.store.run(lambda s: find_login(s, frame.username))
    stored = found[1] if found else _DUMMY_HASH
    ok = await asyncio.to_thread(verify_password, frame.password, stored)
    if not ok or found is None:
        throttle.failed(keys, now)
        log.warning("sign-in failed for user %r from %s", frame.username, remote)
        await server.store.run(lambda s: server.engine.audit_refusal(
            s, None, "login", f"user:{frame.username}", None, "auth_failed", f"from {remote}"))
        raise AuthError(ErrorCode.AUTH_FAILED, "wrong username or password")
    throttle.succeeded(keys[0])
    agent_id = found[0]
    cfg = server.config
    pair = await server.store.run(lambda s: issue_tokens(
        s, agent_id, now, access_ttl=cfg.access_ttl_s, refresh_ttl=cfg.refresh_ttl_s))
    return Identity(agent_id, pair.access_expires_at), pair


async def _rotate(server: Server, refresh_token: str, expected_agent: int | None = None
                  ) -> tuple[int, TokenPair]:
    """Use a refresh token; a reused one revokes its whole family (committed) and fails."""
    now, cfg = server.clock.now(), server.config
    try:
        return await server.store.run(lambda s: rotate_refresh(
            s, refresh_token, now, access_ttl=cfg.access_ttl_s,
            refresh_ttl=cfg.refresh_ttl_s, expected_agent=expected_agent))
    except RefreshReused as exc:
        log.warning("a used refresh token was presented again: token family revoked")
        family = exc.family
        await server.store.run(lambda s: revoke_family(s, family))
        raise


async def _authenticate(server: Server, ws: ServerConnection, frame: m.ClientFrame
                        ) -> tuple[Identity, TokenPair | None]:
    now = server.clock.now()
    if isinstance(frame, m.Login):
        return await _login(server, frame, _remote(ws))
    if isinstance(frame, m.Refresh):
        agent_id, pair = await _rotate(server, frame.refresh_token)
        return Identity(agent_id, pair.access_expires_at), pair
    assert isinstance(frame, m.Hello)
    token = frame.token
    header = ws.request.headers.get("Authorization", "") if ws.request else ""
    if token is None and header.lower().startswith("bearer "):
        token = header[7:].strip()
    if not token:
        raise AuthError(ErrorCode.AUTH_FAILED, "hello needs a token (field or Authorization)")
    ident = await server.store.run(lambda s: check_access(s, token, now))
    return ident, None


async def handle_connection(server: Server, ws: ServerConnection) -> None:
    try:
        raw = await asyncio.wait_for(ws.recv(), server.config.auth_timeout_s)
    except TimeoutError:
        await _fatal(ws, ErrorCode.NOT_AUTHENTICATED, "no authentication frame in time",
                     CloseCode.AUTH_TIMEOUT)
        return
    except ConnectionClosed:
        return
    try:
        frame = decode_client_frame(raw)
    except ProtocolError as exc:
        close = (CloseCode.UNSUPPORTED_VERSION if exc.code == ErrorCode.UNSUPPORTED_VERSION
                 else CloseCode.PROTOCOL_VIOLATION)
        await _fatal(ws, exc.code, exc.message, close, exc.frame_id)
        return
    if not isinstance(frame, m.AUTH_FRAMES):
        await _fatal(ws, ErrorCode.NOT_AUTHENTICATED,
                     "the first frame must be login, hello or refresh",
                     CloseCode.PROTOCOL_VIOLATION, frame.id)
        return
    try:
        ident, pair = await _authenticate(server, ws, frame)
    except AuthError as exc:
        await _fatal(ws, exc.code, exc.message, _AUTH_CLOSE[exc.code], frame.id,
                     exc.retry_after)
        return
    resume_from: int | None = getattr(frame, "resume_from", None)
    await _serve(server, ws, ident, pair, frame.id, resume_from)


async def _serve(server: Server, ws: ServerConnection, ident: Identity,
                 pair: TokenPair | None, frame_id: str | None, resume_from: int | None) -> None:
    engine = server.engine
    viewer = await server.store.run(lambda s: engine.viewer(s, ident.agent_id))
    conn = Conn(ws, viewer, ident.expires_at, server.config.max_queue)
    server.hub.add(conn)  # buffering: live events are kept until the start is sent
    try:
        def start(s: Any) -> tuple[Any, Any, Any]:
            me = s.get(Agent, ident.agent_id)
            replay = (engine.replay(s, ident.agent_id, resume_from)
                      if resume_from is not None else None)
            snapshot = engine.snapshot(s, ident.agent_id) if replay is None else None
            return agent_view(me, agent_load(s, me.id)), replay, snapshot

        me, replay, snapshot = await server.store.run(start)
        welcome = m.Welcome(
            re=frame_id, agent=me, resume="replay" if replay is not None else "snapshot",
            server_time=to_dt(server.clock.now()),
            access_token=pair.access_token if pair else None,
            refresh_token=pair.refresh_token if pair else None,
            access_expires_at=to_dt(pair.access_expires_at) if pair else None,
            keepalive_s=server.config.keepalive_s)
        await ws.send(encode(welcome), text=True)
        if replay is not None:
            events, _last = replay
            conn.last_seq = resume_from or 0
            for ev in events:
                await ws.send(event_frame(ev.seq, conn.last_seq, ev.at_iso, ev.data), text=True)
                conn.last_seq = ev.seq
            await ws.send(encode(m.ReplayDone(seq=conn.last_seq)), text=True)
        else:
            if resume_from is not None:
                await ws.send(encode(m.Error(
                    code=ErrorCode.RESUME_TOO_OLD,
                    message=f"cannot resume from {resume_from}: a snapshot follows")), text=True)
            await ws.send(encode(snapshot), text=True)
            conn.last_seq = snapshot.seq
        # this frame lives as long as the connection: don't keep the start in it (a
        # snapshot holds every agent's view, ~1 MB per 1,000 agents, per connection)
        replay = snapshot = events = None
        conn.go_live()
        async for raw in ws:
            await _handle_frame(server, conn, raw)
    except ConnectionClosed:
        pass
    finally:
        server.hub.remove(conn)
        server.presence.drop(conn)
        await conn.finish()
        server.disconnected(ident.agent_id)


async def _handle_frame(server: Server, conn: Conn, raw: str | bytes) -> None:
    try:
        frame = decode_client_frame(raw)
    except ProtocolError as exc:
        log.info("agent %s sent a bad frame: %s %s", conn.agent_id, exc.code, exc.message)
        if exc.code == ErrorCode.UNSUPPORTED_VERSION:  # fatal, as on the first frame
            conn.kill(CloseCode.UNSUPPORTED_VERSION, "protocol version not supported",
                      last=encode(m.Error(re=exc.frame_id, code=exc.code,
                                          message=exc.message, fatal=True)))
            return
        conn.push(encode(m.Error(re=exc.frame_id, code=exc.code, message=exc.message)))
        return
    if isinstance(frame, m.Ping):
        conn.push(encode(m.Pong(re=frame.id, server_time=to_dt(server.clock.now()))))
    elif isinstance(frame, m.Activity):
        await handle_activity(server, conn, frame)
    elif isinstance(frame, m.Refresh):
        await _refresh_in_band(server, conn, frame)
    elif isinstance(frame, (m.Login, m.Hello)):
        conn.push(encode(m.Error(re=frame.id, code=ErrorCode.INVALID,
                                 message="this connection is already authenticated")))
    elif isinstance(frame, m.Command):
        await _command(server, conn, frame)
    elif isinstance(frame, m.Query):
        await _query(server, conn, frame)


async def _refresh_in_band(server: Server, conn: Conn, frame: m.Refresh) -> None:
    try:
        _agent_id, pair = await _rotate(server, frame.refresh_token, conn.agent_id)
    except AuthError as exc:
        conn.push(encode(m.Error(re=frame.id, code=exc.code, message=exc.message)))
        return
    conn.expires_at = pair.access_expires_at
    conn.push(encode(m.Tokens(re=frame.id, access_token=pair.access_token,
                              refresh_token=pair.refresh_token,
                              access_expires_at=to_dt(pair.access_expires_at))))


def _abort(conn: Conn) -> None:
    """Drop the TCP connection without a close handshake (fault injection)."""
    conn.closed = True
    transport = conn.ws.transport
    if transport is not None:
        transport.abort()


def _ack_error(frame: m.ClientFrame, key: str | None, code: ErrorCode, message: str) -> bytes:
    return encode(m.Ack(re=frame.id, key=key, ok=False,
                        error=m.ErrorBody(code=code, message=message)))


async def _command(server: Server, conn: Conn, cmd: m.Command) -> None:
    engine = server.engine
    cmd_type = str(type(cmd).__struct_config__.tag)
    inject = server.config.fault_injector
    if inject is not None and inject("before_apply", cmd):
        _abort(conn)
        return
    try:
        outcome = await server.store.run(lambda s: engine.execute(s, conn.agent_id, cmd))
    except CommandError as exc:
        if exc.code == ErrorCode.FORBIDDEN:
            log.warning("refused %s by agent %s: %s", cmd_type, conn.agent_id, exc.message)
            target = getattr(cmd, "interaction_id", None)
            code, message = str(exc.code), exc.message
            await server.store.run(lambda s: engine.audit_refusal(
                s, conn.agent_id, cmd_type, f"interaction:{target}" if target else None,
                cmd.key, code, message))
        conn.push(_ack_error(cmd, cmd.key, exc.code, exc.message))
        return
    except Exception:
        log.exception("command %s by agent %s failed", cmd_type, conn.agent_id)
        conn.push(_ack_error(cmd, cmd.key, ErrorCode.INTERNAL,
                             "the server failed; nothing was applied; retry is safe"))
        return
    if outcome.tx is not None:
        server.after_commit(outcome.tx)
    if inject is not None and inject("after_apply", cmd):
        _abort(conn)
        return
    conn.push(encode(m.Ack(re=cmd.id, key=cmd.key, ok=outcome.ok, result=outcome.result,
                           error=outcome.error, duplicate=outcome.duplicate)))


async def _query(server: Server, conn: Conn, q: m.Query) -> None:
    try:
        result = await server.store.run(lambda s: server.engine.query(s, conn.agent_id, q))
    except CommandError as exc:
        conn.push(_ack_error(q, None, exc.code, exc.message))
        return
    except Exception:
        log.exception("query %s by agent %s failed", type(q).__name__, conn.agent_id)
        conn.push(_ack_error(q, None, ErrorCode.INTERNAL, "the server failed"))
        return
    conn.push(encode(m.Ack(re=q.id, ok=True, result=msgspec.to_builtins(result))))
