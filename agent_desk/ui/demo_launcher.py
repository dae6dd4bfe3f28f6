"""``agent-desk demo``: the embedded backend (demo data, simulated traffic) in a background
thread with its own asyncio loop, and the client signed in as a demo user.

The backend thread never touches Qt; the GUI thread waits for it through
``asyncio.wrap_future`` (no blocking). ``--screenshot PATH`` renders the main window
offscreen once traffic has arrived, saves a PNG and exits 0."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import ClientApp

log = logging.getLogger("agent_desk.ui.demo")
DEMO_PASSWORDS = {"agent": "agent123", "lead": "lead123", "trainer": "trainer123"}
#: Longest wait for the first queue rows before a screenshot is taken anyway.
SCREENSHOT_MAX_WAIT_S = 60.0


class DemoError(Exception):
    """The demo backend could not start; the message is for the user (English, CLI)."""


@dataclass
class DemoOptions:
    role: str = "agent"
    host: str = "127.0.0.1"
    port: int = 8765
    db: str | None = None
    simulate: float = 6.0
    offer_timeout: float = 20.0
    warm: int = 8  # contacts created at once, so the queue is not empty at first
    screenshot: str | None = None
    after: float = 3.0
    open_channel: str | None = None  # a scripted phone/email/chat to open (--open)
    language: str | None = None  # the UI language: the scene's customer speaks it
    show: str | None = None  # --show knowledge | articles (screenshots)


class DemoBackend:
    """The backend server in a thread of its own (its own asyncio loop)."""

    def __init__(self, opts: DemoOptions) -> None:
        self.opts = opts
        self._ready: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._done: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="demo-backend", daemon=True)
        self.port = 0
        self.scene_id: int | None = None  # the scripted interaction of ``--open``

    @property
    def url(self) -> str:
        return f"ws://{self.opts.host}:{self.port}"

    def start(self) -> None:
        self._thread.start()

    async def wait_ready(self) -> str:
        """The backend's URL once it listens (raises ``DemoError``)."""
        self.port = await asyncio.wrap_future(self._ready)
        return self.url

    async def aclose(self) -> None:
        if self._loop is not None and self._stop is not None and not self._done.done():
            with contextlib.suppress(RuntimeError):  # loop already closed
                self._loop.call_soon_threadsafe(self._stop.set)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.wrap_future(self._done), 15)

    # ---- the backend thread -----------------------------------------------------------------

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
            if not self._ready.done():
                self._ready.set_exception(exc if isinstance(exc, DemoError)
                                          else DemoError(f"demo backend failed: {exc}"))
            log.exception("demo backend stopped")
        finally:
            loop.close()
            if not self._done.done():
                self._done.set_result(None)

    async def _serve(self) -> None:
        from ..paths import data_dir
        from ..server.app import Server, ServerConfig
        from ..server.cli import CliError, start_server
        from ..server.simulator import TrafficSimulator

        o = self.opts
        self._stop = asyncio.Event()
        db = o.db or str(data_dir() / "demo.db")
        if o.db is None:  # the demo starts from fresh demo data each time
            try:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
            except OSError:  # in use by another demo (Windows): use a database of our own
                import tempfile

                db = str(Path(tempfile.mkdtemp(prefix="agent-desk-demo-")) / "demo.db")
        from ..server.demo_scenes import SceneConnector, scene_language

        sim = TrafficSimulator(o.simulate)
        scene = (SceneConnector(o.open_channel, scene_language(o.language))
                 if o.open_channel else None)
        cfg = ServerConfig(demo=True, company_name="Agent Desk Shop",
                           kb_link="https://help.example.com/kb/{id}",
                           offer_timeout_s=o.offer_timeout)
        server = Server(db, config=cfg,
                        connectors=[sim] if scene is None else [sim, scene])
        try:
            try:
                port = await start_server(server, o.host, o.port)
            except CliError as exc:
                if o.port == 0 or "already in use" not in str(exc):
                    raise DemoError(str(exc)) from None
                log.info("port %d is taken; the demo uses a free port instead", o.port)
                port = await start_server(server, o.host, 0)
            log.info("demo backend listening on ws://%s:%d", o.host, port)
            if scene is not None:
                self.scene_id = await scene.create()
            for _ in range(max(0, o.warm)):
                await sim.generate_one()
            self._ready.set_result(port)
            await self._stop.wait()
        finally:
            with contextlib.suppress(Exception):
                await server.stop()


async def run_demo_client(client: ClientApp, opts: DemoOptions) -> None:
    """Start the backend, sign in as the demo ``role``, and for ``--screenshot`` save the
    PNG and quit. Failures are shown in the sign-in dialog (or, offscreen, on stderr)."""
    from PySide6.QtCore import QCoreApplication

    from .controller import SignInError

    backend = DemoBackend(opts)
    client.add_cleanup(backend.aclose)
    dialog = client.show_login(busy=QCoreApplication.translate("ClientApp",
                                                                "Starting the demo server…"))
    backend.start()
    try:
        url = await backend.wait_ready()
        dialog.url.setText(url)
        dialog.username.setText(opts.role)
        await client.controller.sign_in(url, opts.role, DEMO_PASSWORDS[opts.role], False)
    except (DemoError, SignInError) as exc:
        text = exc.text if isinstance(exc, SignInError) else str(exc)
        log.error("demo start failed: %s", text)
        if opts.screenshot:
            client.fail(f"agent-desk: {text}")
            return
        dialog.set_busy(False)
        dialog.show_error(text)
        return
    client.close_login()
    if opts.screenshot and client.window is not None:
        client.window.resize(1600, 900)
    if opts.role == "agent":  # so the simulated traffic is offered to you
        await client.controller.set_state("available")
    if opts.open_channel and backend.scene_id is not None:
        await _play_scene(client, backend.scene_id)
    if opts.screenshot:
        await _screenshot(client, Path(opts.screenshot), opts.after,
                          open_id=backend.scene_id, show=opts.show)


async def _play_scene(client: ClientApp, iid: int) -> None:
    """Take the scripted interaction: an email is picked; a call or chat is accepted when it
    is offered (other offers meanwhile are declined). For a chat, answer the customer once
    (the scene's customer answers back)."""
    from ..client.connection import Connection
    from ..protocol import messages as m

    ctl = client.controller
    start = time.monotonic()
    ack: m.Ack | None = None
    while time.monotonic() - start < SCREENSHOT_MAX_WAIT_S and client.window is not None:
        state = client.window.state
        i = state.interactions.get(iid)
        if i is not None and str(i.channel) == "email" and str(i.state) == "queued":
            ack = await ctl.send(m.Pick(key=Connection.new_key(), interaction_id=iid), "demo")
            break
        if i is not None and i.offered_agent_id == state.my_id and str(i.state) == "offered":
            ack = await ctl.accept(iid)
            break
        for other in list(state.interactions.values()):
            if other.id != iid and other.offered_agent_id == state.my_id \
                    and str(other.state) == "offered":
                await ctl.decline(other.id, "demo scene")
        await asyncio.sleep(0.2)
    if ack is None or not ack.ok or client.window is None:
        log.warning("the demo scene could not be taken")
        return
    client.window.open_interaction(iid)
    i = client.window.state.interactions.get(iid)
    view = client.window.workspace.view(iid)
    if i is not None and str(i.channel) == "email" and hasattr(view, "start_reply"):
        await asyncio.sleep(1.0)  # the thread loads first: the reply quotes it
        view.start_reply("reply")
    if i is not None and str(i.channel) == "chat":
        zh = i.customer.language.startswith("zh")
        text = ("您好{n}，我是客服，正在为您查询订单 A1043 的物流，请稍等。" if zh else
                "Hi {n}, thanks for waiting. I'm checking the tracking of A1043 now.")
        await ctl.send(m.SendMessage(key=Connection.new_key(), interaction_id=iid,
                                     body=text.format(n=i.customer.name)), "demo")


async def _screenshot(client: ClientApp, path: Path, after: float,
                      open_id: int | None = None, show: str | None = None) -> None:
    start = time.monotonic()
    window = client.window
    while window is not None and time.monotonic() - start < SCREENSHOT_MAX_WAIT_S:
        me = window.state.me
        sees_queues = me is not None and (me.role in ("lead", "admin") or me.queue_ids)
        enough = time.monotonic() - start >= after
        if enough and (window.queue.counts().get("all", 0) > 0 or not sees_queues):
            break
        await asyncio.sleep(0.2)
        window = client.window
    if window is None:
        client.fail("agent-desk: the main window did not open")
        return
    if window.queue.counts().get("all", 0) == 0:
        log.warning("no queue rows to show; saving the screenshot anyway")
    window.bridge.flush()
    if open_id is not None and open_id in window.state.interactions:
        window.open_interaction(open_id)
        await asyncio.sleep(max(0.3, after))  # the scene plays: replies, typing, history
    else:
        window.queue.select_next_most_urgent()
        window.open_interaction(window.queue.selected_id() or 0)
    await asyncio.sleep(0.3)  # let the batch, the tab and the customer record paint
    for _ in range(25):  # up to 5 s for the customer record
        if window.customer.stack.currentIndex() == 1 or not window.workspace.open_ids():
            break
        await asyncio.sleep(0.2)
    target: Any = window
    if show == "knowledge":
        window._show_knowledge()
        for _ in range(25):  # up to 5 s for the search of the customer's last message
            if window.kb.model.rowCount() > 0:
                break
            await asyncio.sleep(0.2)
        if window.kb.model.rowCount():
            window.kb.select(window.kb.model.ids()[0])
        await asyncio.sleep(0.5)  # the preview loads in the search thread
    elif show == "articles":
        target = window.knowledge.open_editor()
        target.filter.setCurrentIndex(target.filter.findData("review_due"))
        for _ in range(25):
            if target.model.rowCount() > 0:
                break
            await asyncio.sleep(0.2)
        if target.model.rowCount():
            target.table.selectRow(0)
            await asyncio.sleep(1.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not target.grab().save(str(path), "PNG"):
        client.fail(f"agent-desk: cannot write {path}")
        return
    me = window.state.me
    who = f" (signed in as {me.username}, role {me.role})" if me is not None else ""
    print(f"Saved {path}{who}", flush=True)
    client.quit(0)
