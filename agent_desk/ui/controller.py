"""The client's application logic behind the widgets (no widgets here).

Owns the settings, the secret store and, per signed-in account, one session: a
``ClientState``, its ``Connection`` (with the account's durable outbox) and the
``ClientBridge`` the widgets listen to. Every user action becomes a command with a fresh
idempotency key through ``Connection.command`` (written to the outbox before it is sent);
queries are awaited without blocking the GUI thread (``controller_queries``: ``ask``, the
customer record and interaction detail with their local cache, the drafts). Once connected,
the account's local knowledge base is kept in step with the server's (``client/kb_sync``:
on every connection and ``kb`` event; ``ClientBridge.sig_kb_changed`` / ``sig_kb_status``).

Remember me: only the refresh token is kept, and only through ``SecretStore`` (the OS
credential store, or memory for this session when there is none). The password is never
stored; neither token nor password ever reaches the settings file or the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from ..client.backoff import Backoff
from ..client.connection import Connection, ConnectionStatus, Fatal, Status
from ..client.credentials import SecretStore, account_key
from ..client.state import ClientState
from ..protocol import messages as m
from . import paths
from . import settings as opts
from .account_stores import AccountStores
from .bridge import ClientBridge
from .controller_queries import ControllerQueries
from .controller_queries import QueryFailed as QueryFailed  # raised by the queries
from .settings import Settings
from .tasks import TaskSet

if TYPE_CHECKING:  # the KB (SQLite, the analyser) is imported once connected
    from ..client.kb_sync import KBSyncer

log = logging.getLogger("agent_desk.ui.controller")

#: How long an action waits for its ack before the UI says it is queued.
ACK_WAIT_S = 8.0


class SignInError(Exception):
    """Signing in failed; ``text`` is translated and ready to show."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass
class _Session:
    url: str
    username: str
    state: ClientState
    bridge: ClientBridge
    connection: Connection
    kb: KBSyncer | None = None  # the local KB's sync (started once connected)


def normalize_url(text: str) -> str:
    """``host:port`` -> ``ws://host:port``; raises ``ValueError`` for other schemes."""
    text = text.strip()
    if not text:
        raise ValueError("empty")
    if "://" not in text:
        text = "ws://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(text)
    return text.rstrip("/")


class Controller(ControllerQueries):
    """Signals:
        sig_session_started(object): a new session began (its ``ClientBridge``): build the
            main window for it.
        sig_signed_out(str): the server refused the session; the translated reason. The
            user has to sign in again.
        sig_notice(str): a short translated message for the status bar.
        sig_remembered(str): how the sign-in is remembered ("" = not remembered).
        sig_busy_changed(bool): an action is waiting for the server.
    """

    sig_session_started = Signal(object)
    sig_signed_out = Signal(str)
    sig_notice = Signal(str)
    sig_remembered = Signal(str)

    def __init__(self, settings: Settings, secrets: SecretStore, *,
                 backoff_factory: Callable[[], Backoff] = Backoff, open_timeout: float = 10.0,
                 ssl_context: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.secrets = secrets
        self._backoff_factory = backoff_factory
        self._open_timeout = open_timeout
        self._ssl = ssl_context
        self.session: _Session | None = None
        self._remember = False
        self.remembered_text = ""  # what ``sig_remembered`` said last
        self._interactive = False  # sign_in() reports refusals itself
        self._tasks = TaskSet()
        self.stores = AccountStores()

    # ---- current session -----------------------------------------------------------------

    @property
    def state(self) -> ClientState | None:
        return self.session.state if self.session else None

    @property
    def bridge(self) -> ClientBridge | None:
        return self.session.bridge if self.session else None

    @property
    def connection(self) -> Connection | None:
        return self.session.connection if self.session else None

    @property
    def kb_syncer(self) -> KBSyncer | None:
        """The signed-in account's KB sync (None before its first connection)."""
        return self.session.kb if self.session else None

    @property
    def status(self) -> ConnectionStatus:
        return self.session.connection.status if self.session else ConnectionStatus()

    async def _tls_for(self, url: str) -> Any:
        """The TLS context for ``wss://`` (the system's CAs; loading them reads files, so
        off the GUI thread); None for ``ws://``."""
        if self._ssl is not None or not url.startswith("wss://"):
            return self._ssl
        import ssl

        return await asyncio.to_thread(ssl.create_default_context)

    def _new_session(self, url: str, username: str, tls: Any = None) -> tuple[_Session, bool]:
        """A connection for ``username@url``; the state (and bridge, and so the window) is
        kept when it is the same account, so a re-sign-in resumes where it stopped."""
        old = self.session
        same = old is not None and (old.url, old.username) == (url, username)
        kb = None
        if same and old is not None:
            state, bridge, kb = old.state, old.bridge, old.kb
        else:
            state = ClientState()
            bridge = ClientBridge(state)
            if old is not None and old.kb is not None:
                self._spawn(old.kb.stop())
        from ..client.outbox import Outbox  # SQLAlchemy: not needed before the first window

        conn = Connection(url, state, Outbox(paths.outbox_file(url, username)),
                          ssl_context=tls, backoff=self._backoff_factory(),
                          open_timeout=self._open_timeout)
        bridge.connection = conn
        conn.on_status(bridge.sig_status_changed.emit)
        conn.on_status(self._on_status)
        conn.on_status(lambda status: self._kb_on_status(conn, status))
        if kb is not None:
            kb.query = conn.query  # the same account's KB: synced over the new connection
        conn.on_refresh_token(self._on_refresh_token)
        self.session = _Session(url, username, state, bridge, conn, kb)
        return self.session, not same

    # ---- the local knowledge base ------------------------------------------------------------

    def _kb_on_status(self, conn: Connection, status: ConnectionStatus) -> None:
        """Sync the account's local KB on every (re)connection: start it on the first."""
        s = self.session
        if s is None or s.connection is not conn:
            return
        if s.kb is None:
            if status.status != Status.CONNECTED:
                return
            from ..client.kb_sync import KBSyncer

            s.kb = kb = KBSyncer(paths.kb_file(s.url, s.username), conn.query)
            s.state.subscribe(kb.state_changed)
            bridge = s.bridge
            kb.on_status(bridge.sig_kb_status.emit)
            kb.on_changed(bridge.sig_kb_changed.emit)
        s.kb.connection_status(status)

    async def _close_connection(self, conn: Connection) -> None:
        try:
            await conn.stop()
        finally:
            await asyncio.to_thread(conn.outbox.close)

    # ---- signing in and out ------------------------------------------------------------------

    async def store_is_persistent(self) -> bool:
        """Whether remembered sign-ins survive a restart (keyring probing may block)."""
        return await asyncio.to_thread(lambda: self.secrets.persistent)

    async def sign_in(self, url: str, username: str, password: str, remember: bool) -> None:
        """Sign in with a password. Raises ``SignInError`` with a translated reason."""
        from ..client.outbox import OutboxError

        try:
            url = normalize_url(url)
        except ValueError:
            raise SignInError("bad_url", self.explain("bad_url")) from None
        username = username.strip()
        if not username or not password:
            raise SignInError("missing", self.tr("Enter your username and password."))
        previous = self.session
        if previous is not None:
            await self._close_connection(previous.connection)
        session, fresh = self._new_session(url, username, await self._tls_for(url))
        self._remember = remember
        self._interactive = True
        try:
            await session.connection.sign_in(username, password)
        except Fatal as exc:
            await asyncio.to_thread(session.connection.outbox.close)
            self.session = None if fresh else session
            raise SignInError(exc.code, self.explain(exc.code, exc.retry_after)) from None
        except OutboxError as exc:
            log.error("outbox unavailable: %s", exc)
            self.session = None if fresh else session
            raise SignInError("outbox", self.tr(
                "Cannot open the local action store. Check the disk and try again.")) from None
        finally:
            self._interactive = False
        self.settings.set(opts.SERVER_URL, url)
        self.settings.set(opts.USERNAME, username)
        self.settings.set(opts.REMEMBER_ME, remember)
        token = session.connection.refresh_token
        if remember and token:
            await self._save_token(token)
        elif not remember:
            await self.secrets.delete(account_key(url, username))
            self._set_remembered("")
        if fresh:
            self.sig_session_started.emit(session.bridge)

    async def resume_remembered(self) -> bool:
        """Start with the remembered refresh token, if there is one. True when a session
        started (the window can show at once; a refusal arrives as ``sig_signed_out``)."""
        from ..client.outbox import OutboxError

        if not self.settings.get(opts.REMEMBER_ME):
            return False
        url, username = self.settings.get(opts.SERVER_URL), self.settings.get(opts.USERNAME)
        if not username:
            return False
        token = await self.secrets.load(account_key(url, username))
        if not token:
            return False
        session, _fresh = self._new_session(url, username, await self._tls_for(url))
        self._remember = True
        self.sig_session_started.emit(session.bridge)
        try:
            await session.connection.resume(token)
        except Fatal:
            pass  # reported through the status listener (SIGNED_OUT)
        except OutboxError as exc:
            log.error("outbox unavailable: %s", exc)
            self.sig_signed_out.emit(self.tr(
                "Cannot open the local action store. Check the disk and sign in again."))
        return True

    def _on_status(self, status: ConnectionStatus) -> None:
        if status.status != Status.SIGNED_OUT or self._interactive or self.session is None:
            return
        if status.error_code in ("auth_failed", "not_authenticated"):
            text = self.tr("Your sign-in is no longer valid. Please sign in again.")
            s = self.session
            self._spawn(self.secrets.delete(account_key(s.url, s.username)))
        else:
            text = self.explain(status.error_code or "", status.retry_after_s)
        self.sig_signed_out.emit(text)

    def _on_refresh_token(self, token: str) -> None:
        if self._remember and not self._interactive:
            self._spawn(self._save_token(token))

    async def _save_token(self, token: str) -> None:
        s = self.session
        if s is None:
            return
        persistent = await self.secrets.save(account_key(s.url, s.username), token)
        self._set_remembered(self.tr("Remembered on this computer") if persistent
                             else self.tr("Remembered for this session only"))

    def _set_remembered(self, text: str) -> None:
        self.remembered_text = text
        self.sig_remembered.emit(text)

    async def sign_out(self) -> None:
        """Stop the session and forget the remembered sign-in."""
        s = self.session
        if s is None:
            return
        self.session = None
        await self._close_connection(s.connection)
        if s.kb is not None:
            await s.kb.stop()
        await asyncio.to_thread(self.stores.close)
        await self.secrets.delete(account_key(s.url, s.username))
        self.settings.set(opts.REMEMBER_ME, False)
        self._set_remembered("")

    async def shutdown(self) -> None:
        """On quit: stop the connection (queued actions stay in the outbox file)."""
        self._tasks.cancel_all()
        s, self.session = self.session, None
        if s is not None:
            await self._close_connection(s.connection)
            if s.kb is not None:
                await s.kb.stop()
        await asyncio.to_thread(self.stores.close)
        self.settings.sync()

    def reconnect_now(self) -> None:
        if self.session is not None:
            self.session.connection.reconnect_now()

    # ---- actions -------------------------------------------------------------------------

    async def accept(self, interaction_id: int) -> m.Ack | None:
        return await self._command(m.Accept(key=Connection.new_key(),
                                            interaction_id=interaction_id),
                                   self.tr("Could not accept"))

    async def decline(self, interaction_id: int, reason: str) -> m.Ack | None:
        return await self._command(m.Decline(key=Connection.new_key(),
                                             interaction_id=interaction_id,
                                             reason=reason[:500]),
                                   self.tr("Could not decline"))

    async def set_state(self, state: str, reason: str | None = None) -> m.Ack | None:
        cmd = m.SetState(key=Connection.new_key(), state=state,  # type: ignore[arg-type]
                         reason=reason)
        return await self._command(cmd, self.tr("Could not change your state"))

    async def send(self, cmd: m.Command, failed: str) -> m.Ack | None:
        """Any command (views build the frame): through the outbox, refusals reported with
        ``failed`` ("Could not hold") through ``sig_notice``. Returns the ack, or None when
        it was queued or could not be saved."""
        return await self._command(cmd, failed)

    async def activity(self, interaction_id: int, viewing: bool, typing: bool = False) -> None:
        """Tell the server (live, best effort) that this interaction is open / being typed in."""
        conn = self.connection
        if conn is not None:
            await conn.send_live(m.Activity(interaction_id=interaction_id, viewing=viewing,
                                            typing=typing))

    async def send_tracked(self, cmd: m.Command, failed: str
                           ) -> tuple[m.Ack | None, asyncio.Future[m.Ack] | None]:
        """Like ``send``, and when the command is queued (offline, or no ack in time) also
        the future of its late ack, so a view can wait for it instead of letting the agent
        send the same thing twice: (ack, None), (None, pending) or (None, None) when it
        could not be saved."""
        return await self._command_tracked(cmd, failed)

    async def _command(self, cmd: m.Command, failed: str) -> m.Ack | None:
        """Send ``cmd`` through the outbox. Returns its ack, or None when it is queued (the
        late ack is reported through ``sig_notice``) or could not be saved."""
        return (await self._command_tracked(cmd, failed))[0]

    async def _command_tracked(self, cmd: m.Command, failed: str
                               ) -> tuple[m.Ack | None, asyncio.Future[m.Ack] | None]:
        from ..client.outbox import OutboxError

        conn = self.connection
        if conn is None:
            self.sig_notice.emit(self.tr("Not signed in."))
            return None, None
        try:
            fut = await conn.command(cmd)
        except OutboxError as exc:
            log.error("could not save %s: %s", type(cmd).__name__, exc)
            self.sig_notice.emit(self._failed(failed, self.tr(
                "the action could not be saved locally (disk full or read-only?).")))
            return None, None
        try:
            if conn.status.status != Status.CONNECTED:
                raise TimeoutError  # offline: saved in the outbox, nothing to wait for
            ack = await asyncio.wait_for(asyncio.shield(fut), ACK_WAIT_S)
        except TimeoutError:
            self.sig_notice.emit(self.tr(
                "Saved; it will be sent when the connection returns."))
            fut.add_done_callback(lambda f: self._late_ack(f, failed))
            return None, fut
        self._report(ack, failed)
        return ack, None

    def _late_ack(self, fut: asyncio.Future[m.Ack], failed: str) -> None:
        if not fut.cancelled() and fut.exception() is None:
            self._report(fut.result(), failed)

    def _report(self, ack: m.Ack, failed: str) -> None:
        if not ack.ok:
            err = ack.error
            code = str(err.code) if err else "internal"
            log.info("command refused: %s (%s)", code, err.message if err else "")
            self.sig_notice.emit(self._failed(failed, self.explain_refusal(code)))

    def _failed(self, what: str, why: str) -> str:
        """E.g. "Could not accept: it no longer exists." (the colon is translated too)."""
        return self.tr("%1: %2").replace("%1", what).replace("%2", why)

    # ---- texts -----------------------------------------------------------------------------

    def explain(self, code: str, retry_after: float | None = None) -> str:
        """A sign-in or connection error code, as a sentence for the user."""
        if code == "auth_failed":
            return self.tr("Wrong username or password.")
        if code == "rate_limited":
            wait = int(retry_after or 60)
            return self.tr("Too many failed sign-ins. Try again in %n second(s).", "", wait)
        if code == "forbidden":
            return self.tr("This account is disabled. Ask your team lead.")
        if code == "unsupported_version":
            return self.tr("This version of Agent Desk is too old for the server. "
                           "Please update.")
        if code == "certificate":
            return self.tr("A secure connection could not be made (the server's certificate "
                           "is not trusted or TLS failed), so Agent Desk did not connect. Check "
                           "the address or ask your administrator.")
        if code == "bad_url":
            return self.tr("The server address is not valid (for example "
                           "wss://desk.example.com or 127.0.0.1:8765).")
        if code in ("unreachable", "timeout", "closed", "internal", "protocol"):
            return self.tr("Cannot reach the server. Check the address and your network.")
        return self.tr("The server refused the sign-in (%1).").replace("%1", code)

    def explain_refusal(self, code: str) -> str:
        """A command or query refusal code, as a sentence for the user."""
        texts = {
            "invalid_state": self.tr("it is no longer possible (the interaction changed "
                                     "meanwhile)."),
            "forbidden": self.tr("you are not allowed to do that."),
            "not_found": self.tr("it no longer exists."),
            "invalid": self.tr("the server did not accept the request."),
            "internal": self.tr("the server had a problem; nothing was changed. Try again."),
            "unavailable": self.tr("the chosen agent or queue cannot take it now (offline, "
                                   "away or full). Choose another."),
            "limit_exceeded": self.tr("it is over a size limit (for example attachments)."),
        }
        return texts.get(code, self.tr("refused by the server (%1).").replace("%1", code))

    # ---- tasks -----------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)
