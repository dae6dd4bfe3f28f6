"""Shared pieces for the client-shell tests (imported by ``test_app_*``, ``test_main_window``
and ``test_qasync_traffic``):

- ``ServerThread``: the real backend with the known population of ``tests/helpers/world.py``
  on 127.0.0.1, in a background thread with its own asyncio loop (a manual clock), so the
  client can run in a ``qasync.QEventLoop`` on the main thread as it does in the app;
- ``qloop``: a fresh qasync loop per test, closed properly afterwards;
- ``ui_env``: data and settings redirected to ``tmp_path``, an in-memory keyring backend
  installed with ``keyring.set_keyring`` (allowlisted through ``SecretStore(extra_allowed)``);
- ``until``: await a condition inside the qasync loop (the asyncio twin of ``waitUntil``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import keyring
import pytest
import qasync
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QCoreApplication, QEvent

from agent_desk.client.backoff import Backoff
from agent_desk.client.credentials import SecretStore
from agent_desk.server.app import Server, ServerConfig
from agent_desk.server.clock import ManualClock
from agent_desk.ui import paths
from agent_desk.ui.app import ClientApp, ClientOptions, MainThreadGC
from agent_desk.ui.controller import Controller
from agent_desk.ui.settings import Settings
from tests.helpers.world import World, build_world

T = TypeVar("T")
FAST = dict(initial_s=0.3, max_s=1.0, floor_s=0.3, jitter=0.1)


class MemoryKeyring(KeyringBackend):
    """An OS-credential-store stand-in that lives in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


class ServerThread:
    """The backend in a thread of its own; ``call``/``acall`` run coroutines on its loop."""

    def __init__(self, db: str, clock: ManualClock | None = None) -> None:
        self.db = db
        self.clock = clock or ManualClock()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-server",
                                        daemon=True)
        self._thread.start()
        self.world: World = self.call_raw(build_world(db, self.clock))
        self.port = self.world.server.port

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def call_raw(self, coro: Awaitable[T], timeout: float = 20) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def call(self, fn: Callable[[World], Awaitable[T]], timeout: float = 20) -> T:
        return self.call_raw(fn(self.world), timeout)

    async def acall(self, fn: Callable[[World], Awaitable[T]]) -> T:
        fut = asyncio.run_coroutine_threadsafe(fn(self.world), self.loop)  # type: ignore[arg-type]
        return await asyncio.wrap_future(fut)

    def sync(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(session)`` on the server's store (read the database)."""
        return self.world.server.store.run_sync(fn)

    async def kill(self) -> None:
        await self.acall(lambda w: w.server.stop())

    async def restart(self) -> None:
        """A new server process on the same database and port."""
        async def start(w: World) -> None:
            server = Server(self.db, clock=self.clock,
                            config=ServerConfig(tick_interval_s=None))
            await server.start("127.0.0.1", self.port)
            w.server = server
        await self.acall(start)

    def close(self) -> None:
        try:
            self.call(lambda w: w.close())
        except Exception:  # already stopped
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture(name="server")
def server_fixture(tmp_path: Path) -> Iterator[ServerThread]:
    s = ServerThread(str(tmp_path / "server.db"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(name="qloop")
def qloop_fixture(qapp: Any) -> Iterator[qasync.QEventLoop]:
    """A qasync loop for one test. As in the app (``MainThreadGC``), Python's cyclic GC runs
    only on this thread: a collection started by the server thread must not destroy Qt
    objects there."""
    collector = MainThreadGC(qapp, interval_ms=200)
    collector.start()
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector.stop()
        collector.deleteLater()


@dataclass
class UiEnv:
    root: Path
    keyring: MemoryKeyring
    settings: Settings

    def secrets(self) -> SecretStore:
        return SecretStore(extra_allowed=(MemoryKeyring,))

    def controller(self, secrets: SecretStore | None = None) -> Controller:
        return Controller(self.settings, secrets or self.secrets(),
                          backoff_factory=lambda: Backoff(**FAST), open_timeout=5)

    def client(self, qapp: Any, controller: Controller | None = None,
               **options: Any) -> ClientApp:
        return ClientApp(qapp, ClientOptions(crash_dialog=False, **options), self.settings,
                         controller=controller or self.controller())


@pytest.fixture(name="ui_env")
def ui_env_fixture(tmp_path: Path) -> Iterator[UiEnv]:
    paths.set_root(tmp_path / "profile")
    previous = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    settings = Settings(paths.settings_file())
    try:
        yield UiEnv(tmp_path / "profile", mem, settings)
    finally:
        keyring.set_keyring(previous)
        paths.set_root(None)


async def until(pred: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Wait inside the running loop until ``pred()`` is true (checked every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or pred}")
        await asyncio.sleep(0.02)


def run(loop: qasync.QEventLoop, coro: Awaitable[T], timeout: float = 60) -> T:
    """Run ``coro`` in the qasync loop with an overall time limit."""
    return loop.run_until_complete(asyncio.wait_for(coro, timeout))  # type: ignore[arg-type]


async def stop_client(client: ClientApp, task: asyncio.Future[int]) -> int:
    client.quit(0)
    return await asyncio.wait_for(task, 20)


#: Test modules import the fixtures by their function names (``qloop_fixture`` ...); the
#: fixtures themselves are called ``qloop``, ``server`` and ``ui_env``.
__all__ = ["FAST", "MemoryKeyring", "ServerThread", "UiEnv", "qloop_fixture", "run",
           "self_signed_tls", "server_fixture", "stop_client", "ui_env_fixture", "until"]


def self_signed_tls(tmp: Path) -> Any:
    """A server-side SSL context with a self-signed certificate for 127.0.0.1 (untrusted by
    any client): what a misconfigured or intercepted server looks like."""
    import datetime
    import ipaddress
    import ssl

    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    return ctx
