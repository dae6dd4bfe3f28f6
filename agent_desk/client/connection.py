"""The client's one connection to the backend (asyncio; no widgets).

- Signs in with a password once, then lives on the refresh token (rotated on every use,
  kept in the OS credential store when the user asked to be remembered).
- Reconnects with exponential backoff plus jitter when the network drops, with a floor so
  a server that accepts and then closes does not cause a tight loop.
- Resumes from the last applied ``seq``: every missed event is applied exactly once; a gap
  makes it resume again; ``resume_too_old`` gives a fresh snapshot.
- Every command goes through the durable outbox before it is sent and is resent (same key)
  after a reconnect or a restart, so it is applied exactly once.
- Certificate errors, rejected credentials and other fatal close codes stop the loop: the
  user sees why (``Status.SIGNED_OUT`` with an error code and message).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from ..protocol import messages as m
from ..protocol.codec import ProtocolError, decode_server_frame, encode
from ..protocol.codes import CLOSE_ADVICE, CloseCode, ErrorCode
from .backoff import Backoff
from .state import ClientState
from .status import (
    FATAL_ERRORS,
    ConnectionStatus,
    Fatal,
    NotConnected,
    Retry,
    Status,
    close_to_error,
)

REFRESH_MARGIN_S = 60.0

if TYPE_CHECKING:  # the outbox pulls in SQLAlchemy: not needed for the first paint
    from .outbox import Outbox

log = logging.getLogger("agent_desk.client.connection")

StatusListener = Callable[[ConnectionStatus], None]
TokenListener = Callable[[str], Any]  # gets the new refresh token


class Connection:
    def __init__(self, url: str, state: ClientState, outbox: Outbox, *,
                 ssl_context: ssl.SSLContext | None = None, backoff: Backoff | None = None,
                 client_name: str = "agent-desk/0.1", open_timeout: float = 10.0) -> None:
        self.url = url
        self.state = state
        self.outbox = outbox
        self.ssl_context = ssl_context
        self.backoff = backoff or Backoff()
        self.client_name = client_name
        self.open_timeout = open_timeout
        self.status = ConnectionStatus()
        self.refresh_token: str | None = None
        self.access_expires_at: float | None = None  # local epoch seconds
        self._refresh_margin_s = REFRESH_MARGIN_S
        self._password: tuple[str, str] | None = None
        self._ws: ClientConnection | None = None
        self._live = False  # snapshot/replay done: commands go out directly
        self._in_flight: set[str] = set()
        self._waiters: dict[str, asyncio.Future[m.Ack]] = {}
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._status_listeners: list[StatusListener] = []
        self._token_listeners: list[TokenListener] = []
        self._first_result: asyncio.Future[None] | None = None
        self._last_immediate = float("-inf")  # time.monotonic() of the last retry at once
        self._tokens_arrived = asyncio.Event()

    # ---- observers ------------------------------------------------------------------------

    def on_status(self, fn: StatusListener) -> None:
        self._status_listeners.append(fn)

    def on_refresh_token(self, fn: TokenListener) -> None:
        self._token_listeners.append(fn)

    def _set(self, **kw: Any) -> None:
        kw.setdefault("queued", self.outbox.count)
        self.status = replace(self.status, **kw)
        for fn in list(self._status_listeners):
            try:
                fn(self.status)
            except Exception:
                log.exception("status listener failed")

    # ---- starting and stopping ------------------------------------------------------------

    async def sign_in(self, username: str, password: str) -> None:
        """Connect with a password; returns once signed in (raises ``Fatal`` if refused,
        ``Retry``-style failures surface as ``Fatal('unreachable', ...)``)."""
        self._password = (username, password)
        try:
            await self._start_and_wait()
        except Fatal:
            self._password = None
            await self.stop()
            raise

    async def resume(self, refresh_token: str) -> None:
        """Connect with a remembered refresh token. Raises ``Fatal`` when the token is
        refused; when the server is unreachable it keeps trying in the background."""
        self.refresh_token = refresh_token
        try:
            await self._start_and_wait()
        except Fatal as exc:
            if self.status.status == Status.SIGNED_OUT:
                raise
            log.info("server not reachable yet (%s): retrying in the background", exc.code)

    async def _start_and_wait(self) -> None:
        await self.outbox.open()
        self._first_result = asyncio.get_running_loop().create_future()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="connection")
        await asyncio.shield(self._first_result)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._resolve_first(Fatal("cancelled", "stopped before signing in"))
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._set(status=Status.OFFLINE, retry_at=None)

    def reconnect_now(self) -> None:
        """Skip the current backoff wait (the user clicked "Reconnect now")."""
        self._wake.set()

    # ---- commands and queries -------------------------------------------------------------

    async def command(self, cmd: m.Command) -> asyncio.Future[m.Ack]:
        """Write ``cmd`` to the outbox, send it if connected; the future gets its ack
        (possibly after a reconnect or never, if the app closes first: it is kept)."""
        frame = encode(cmd)
        await self.outbox.add(cmd.key, str(type(cmd).__struct_config__.tag), frame)
        fut: asyncio.Future[m.Ack] = asyncio.get_running_loop().create_future()
        self._waiters[cmd.key] = fut
        self._set()
        if self._live and self._ws is not None:
            await self._send_pending(cmd.key, frame)
        return fut

    @staticmethod
    def new_key() -> str:
        return str(uuid.uuid4())

    async def query(self, q: m.Query, timeout: float = 15.0) -> m.Ack:
        if not self._live or self._ws is None:
            raise NotConnected("not connected")
        qid = f"q-{uuid.uuid4().hex[:12]}"
        q = msgspec.structs.replace(q, id=qid)
        fut: asyncio.Future[m.Ack] = asyncio.get_running_loop().create_future()
        self._waiters[qid] = fut
        try:
            await self._ws.send(encode(q).decode())
            return await asyncio.wait_for(fut, timeout)
        except ConnectionClosed:
            raise NotConnected("connection lost") from None
        finally:
            self._waiters.pop(qid, None)

    async def send_live(self, frame: m.Activity) -> bool:
        """Send a live-only frame (``activity``): not stored, dropped when not connected.
        True when it was sent."""
        if not self._live or self._ws is None:
            return False
        try:
            await self._ws.send(encode(frame).decode())
        except ConnectionClosed:
            return False
        return True

    async def _send_pending(self, key: str, frame: bytes) -> None:
        if key in self._in_flight or self._ws is None:
            return
        self._in_flight.add(key)
        try:
            await self._ws.send(frame.decode())
        except ConnectionClosed:
            self._in_flight.discard(key)

    async def _flush_outbox(self) -> None:
        for p in await self.outbox.pending():
            if not self._live:
                return
            await self._send_pending(p.key, p.frame)

    # ---- the loop -------------------------------------------------------------------------

    async def _run(self) -> None:
        first = True
        while not self._stopping:
            self._set(status=Status.CONNECTING if first else Status.RECONNECTING,
                      retry_at=None)
            started = time.monotonic()
            immediate = False
            try:
                await self._session()
                reason = Retry("closed", "connection closed")
            except Fatal as exc:
                log.warning("signed out: %s (%s)", exc.code, exc.message)
                self._set(status=Status.SIGNED_OUT, error_code=exc.code, error=exc.message,
                          retry_after_s=exc.retry_after, retry_at=None)
                self._resolve_first(exc)
                return
            except Retry as exc:
                reason = exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # never let the loop die silently
                log.exception("connection failed unexpectedly")
                reason = Retry("internal", str(exc))
            finally:
                self._live = False
                self._in_flight.clear()
                self._ws = None
            # at most one retry at once (token expired, slow consumer, gap) per backoff floor:
            # a server that accepts and then closes with such a code must not make us spin
            now = time.monotonic()
            immediate = reason.immediate and now - self._last_immediate >= self.backoff.floor_s
            if immediate:
                self._last_immediate = now
            if first and self._first_result is not None and not self._first_result.done():
                # the very first attempt failed for a non-fatal reason: tell the caller, go on
                self._resolve_first(Fatal(reason.code, reason.message))
            first = False
            self.backoff.connected_for(time.monotonic() - started)
            delay = 0.0 if immediate else self.backoff.next_delay()
            log.info("connection lost (%s: %s); retry in %.1f s", reason.code, reason.message,
                     delay)
            self._set(status=Status.RECONNECTING, retry_at=time.monotonic() + delay,
                      error_code=reason.code, error=reason.message)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def _resolve_first(self, exc: Exception | None) -> None:
        fut = self._first_result
        if fut is not None and not fut.done():
            if exc is None:
                fut.set_result(None)
            else:
                fut.set_exception(exc)

    def _auth_frame(self) -> m.ClientFrame:
        resume = self.state.seq if self.state.me is not None else None
        if self._password is not None:
            user, pw = self._password
            return m.Login(id="auth", username=user, password=pw, resume_from=resume,
                           client=self.client_name)
        if self.refresh_token:
            return m.Refresh(id="auth", refresh_token=self.refresh_token, resume_from=resume,
                             client=self.client_name)
        raise Fatal(ErrorCode.AUTH_FAILED, "no credentials: sign in again")

    async def _open(self) -> ClientConnection:
        kw: dict[str, Any] = {}
        if self.ssl_context is not None:
            kw["ssl"] = self.ssl_context
        elif self.url.startswith("wss:"):
            kw["ssl"] = ssl.create_default_context()  # verify against the system's CAs
        try:
            return await connect(self.url, compression=None, max_size=16 * 1024 * 1024,
                                 open_timeout=self.open_timeout, ping_interval=20,
                                 ping_timeout=20, **kw)
        except ssl.SSLCertVerificationError as exc:
            raise Fatal("certificate", f"the server's certificate is not trusted: "
                        f"{exc.verify_message}") from None
        except ssl.SSLError as exc:
            raise Fatal("tls", f"secure connection failed: {exc.reason}") from None
        except InvalidURI as exc:
            raise Fatal("bad_url", str(exc)) from None
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                raise Fatal(ErrorCode.AUTH_FAILED, f"HTTP {code}") from None
            raise Retry("unreachable", f"HTTP {code}") from None
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            raise Retry("unreachable", str(exc) or type(exc).__name__) from None

    async def _session(self) -> None:
        ws = await self._open()
        self._ws = ws
        refresh_task: asyncio.Task[None] | None = None
        try:
            await ws.send(encode(self._auth_frame()).decode())
            await self._expect_welcome(ws)
            refresh_task = asyncio.create_task(self._refresh_before_expiry(ws))
            async for raw in ws:
                await self._on_frame(ws, raw)
        except ConnectionClosed as exc:
            self._closed(exc)
        finally:
            if refresh_task is not None:
                refresh_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await refresh_task
        self._closed(None)

    def _closed(self, exc: ConnectionClosed | None) -> None:
        rcvd = exc.rcvd if exc is not None else None
        if rcvd is None:
            raise Retry("closed", "connection lost")
        code = rcvd.code
        try:
            cc = CloseCode(code)
        except ValueError:
            raise Retry("closed", f"closed with {code} {rcvd.reason}") from None
        fatal, advice = CLOSE_ADVICE[cc]
        if fatal:
            raise Fatal(close_to_error(cc), rcvd.reason or advice)
        immediate = cc in (CloseCode.TOKEN_EXPIRED, CloseCode.SLOW_CONSUMER)
        raise Retry(f"close_{code}", rcvd.reason or advice, immediate=immediate)

    async def _expect_welcome(self, ws: ClientConnection) -> None:
        try:
            raw = await asyncio.wait_for(ws.recv(), self.open_timeout)
        except TimeoutError:
            raise Retry("timeout", "no answer to sign-in") from None
        frame = self._decode(raw)
        if isinstance(frame, m.Error):
            if frame.code == ErrorCode.TOKEN_EXPIRED:
                raise Retry(frame.code, frame.message, immediate=True)
            if frame.code in FATAL_ERRORS:
                self._password = None
                raise Fatal(frame.code, frame.message, frame.retry_after)
            raise Retry(frame.code, frame.message)
        if not isinstance(frame, m.Welcome):
            raise Retry("protocol", f"expected welcome, got {type(frame).__name__}")
        self._password = None  # never kept beyond the sign-in
        self.state.server_time_seen(frame.server_time)  # before converting the expiry
        if frame.refresh_token:
            self._new_tokens(frame.refresh_token, frame.access_expires_at)
        self.state.welcome(frame)

    def _new_tokens(self, refresh: str, expires: Any) -> None:
        self.refresh_token = refresh
        if expires is not None:
            # convert server time to local time with the known offset
            self.access_expires_at = expires.timestamp() - self.state.server_offset_s
            # refresh a minute early, or a quarter of the lifetime for short-lived tokens
            lifetime = max(self.access_expires_at - time.time(), 0.0)
            self._refresh_margin_s = min(REFRESH_MARGIN_S, lifetime / 4)
        self._tokens_arrived.set()
        for fn in list(self._token_listeners):
            try:
                result = fn(refresh)
                if asyncio.iscoroutine(result):
                    asyncio.ensure_future(result)
            except Exception:
                log.exception("token listener failed")

    async def _refresh_before_expiry(self, ws: ClientConnection) -> None:
        while True:
            if self.access_expires_at is None or not self.refresh_token:
                return
            wait = self.access_expires_at - self._refresh_margin_s - time.time()
            if wait > 0:
                await asyncio.sleep(min(wait, 3600))
                continue
            token = self.refresh_token
            self.access_expires_at = None  # until ``tokens`` arrives
            self._tokens_arrived.clear()
            await ws.send(encode(m.Refresh(id="refresh", refresh_token=token)).decode())
            await self._tokens_arrived.wait()  # then wait for the next expiry

    def _decode(self, raw: str | bytes) -> m.ServerFrame | None:
        try:
            return decode_server_frame(raw)
        except ProtocolError as exc:
            self._skip_unknown_event(raw)
            log.warning("ignored a frame this client cannot read: %s", exc.message)
            return None

    def _skip_unknown_event(self, raw: str | bytes) -> None:
        """An event of a kind this client does not know (a newer server) still moves the
        sequence on, so it is not mistaken for a gap."""
        try:
            obj = json.loads(raw)
        except ValueError:
            return
        if (isinstance(obj, dict) and obj.get("type") == "event"
                and obj.get("prev") == self.state.seq and isinstance(obj.get("seq"), int)
                and obj["seq"] > self.state.seq):
            self.state.seq = obj["seq"]

    async def _on_frame(self, ws: ClientConnection, raw: str | bytes) -> None:
        frame = self._decode(raw)
        if frame is None:
            return
        if isinstance(frame, m.Event):
            if frame.seq <= self.state.seq:
                return
            if frame.prev != self.state.seq:
                log.warning("event gap (have %d, event prev %d): resuming", self.state.seq,
                            frame.prev)
                await ws.close()
                raise Retry("gap", "missed events: resuming", immediate=True)
            try:
                self.state.apply_event(frame)
            except Exception:
                log.exception("could not apply event %d; skipped", frame.seq)
                self.state.seq = frame.seq
        elif isinstance(frame, m.Ack):
            await self._on_ack(frame)
        elif isinstance(frame, m.Snapshot):
            self.state.apply_snapshot(frame)
            await self._go_live()
        elif isinstance(frame, m.ReplayDone):
            await self._go_live()
        elif isinstance(frame, m.Tokens):
            self._new_tokens(frame.refresh_token, frame.access_expires_at)
        elif isinstance(frame, m.Error):
            if frame.code == ErrorCode.RESUME_TOO_OLD:
                log.info("resume too old: a snapshot follows")
            elif frame.fatal and frame.code in FATAL_ERRORS:
                raise Fatal(frame.code, frame.message, frame.retry_after)
            else:
                log.warning("server error %s: %s", frame.code, frame.message)
        elif isinstance(frame, m.Pong):
            self.state.server_time_seen(frame.server_time)
        elif isinstance(frame, m.Presence):
            self.state.apply_presence(frame)

    async def _go_live(self) -> None:
        self._live = True
        self.backoff.attempt = 0 if self.backoff.attempt > 3 else self.backoff.attempt
        self._set(status=Status.CONNECTED, retry_at=None, error_code=None, error=None,
                  retry_after_s=None)
        self._resolve_first(None)
        await self._flush_outbox()

    async def _on_ack(self, ack: m.Ack) -> None:
        if ack.key:
            await self.outbox.remove(ack.key)
            self._in_flight.discard(ack.key)
            self._set()
        fut = self._waiters.pop(ack.key or "", None) or self._waiters.pop(ack.re or "", None)
        if fut is not None and not fut.done():
            fut.set_result(ack)


__all__ = ["Connection", "ConnectionStatus", "Fatal", "NotConnected", "Status"]
