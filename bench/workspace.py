"""Agent workspace benchmark (issue 4): a 20 MB email, a chat flood and a customer with 200
past interactions, through the real backend and the real client.

The backend is ``agent_desk.server.app.Server`` on 127.0.0.1 with a SQLite file in a temp
dir, the real clock and its ticker, and a small known population (``bench/
_workspace_support.py``). By default it runs in a child process, so the client's figures
(event-loop lateness, CPU, memory) are the client's own; ``--server thread`` runs it in a
thread of this process, as the UI tests and ``agent-desk demo`` do (the two then share the
GIL). The client is the real app, offscreen: ``ClientApp`` on a qasync loop with the app's
main-thread GC, signed in as ``ann`` through the sign-in dialog; the measurements use the
main window's own ``open_interaction``, ``CustomerPanel`` and ``Controller``.

Phases and keys (times in ms; medians over ``--repeats`` unless named otherwise):

1. Customer 360: Victor has ``--history`` (200) closed interactions on every channel with
   surveys; a new email of his is taken by ann.
   ``customer_360_query_ms``      ``get_customer`` round trip through ``Controller.ask``
                                  (request, server query, 200-row record, decode)
   ``customer_360_controller_ms`` ``Controller.customer``: the same plus the local cache write
   ``customer_panel_render_ms``   ``CustomerPanel.show_interaction`` → ``sig_loaded`` (the
                                  timeline rows are there), the panel's memory cache cleared
   ``customer_panel_painted_ms``  … → end of the timeline's first paint
   ``customer_panel_render_cached_ms`` the same from the panel's memory cache (widgets only)
2. Email: a ``--email-mb`` (20 MiB) raw MIME message (300,000 characters of text, a 1.5 MB
   HTML part with an inline PNG, three attachments), ``--email-runs`` times:
   ``email_20mb_ingest_ms``       ``Server.inbound_contact(raw_mime=...)`` until it returns
                                  the interaction (parse off the loop, store, route)
   ``email_20mb_to_queue_ms``     the call's start → the client's bridge batch with it
   ``email_20mb_open_ms``         ``MainWindow.open_interaction`` → the ``EmailView`` loaded
                                  its thread (``loaded``) and the message body's end of paint;
                                  split into ``_open_query_ms`` (``get_interaction`` answered),
                                  ``_open_sanitize_ms`` (worker thread), ``_open_build_ms``
                                  (cards, ``setHtml``), ``_open_paint_ms`` (loaded → the
                                  body painted: Qt lays the document out at its width here)
   ``email_20mb_inline_image_ms`` open → the inline (cid:) image fetched and the body laid
                                  out again with it
   ``email_20mb_open_freeze_max_ms`` the longest the GUI loop was late (20 ms heartbeat)
                                  from open to the body painted (the worst run);
                                  ``email_20mb_inline_freeze_max_ms`` from then until the
                                  inline image is shown; ``email_20mb_open_sanitize_loop_late_
                                  max_ms`` while the view sanitises on its worker thread
   ``email_html_sanitize_ms``     ``sanitize_html`` of the HTML the view sanitises (the
                                  stored, capped part), median of ``--sanitize-runs``;
                                  ``email_html_raw_sanitize_ms`` for the full received part
3. Chat flood: a chat accepted and open in ``ChatView``; the server's ``customer_message``
   sink called at ``--flood-rate`` (100) messages/s for ``--flood-seconds`` (5), open loop.
   ``chat_flood_event_to_visible_p50/p99/max_ms`` sink call start → the row in the
                                  transcript model (``rowsInserted``; same monotonic clock)
   ``chat_flood_loop_lateness_p50/p99/max_ms`` a chained 20 ms heartbeat ``QTimer``'s
                                  lateness from the first call until every row is there
   ``idle_loop_lateness_p99_ms``  the same heartbeat for 1 s before the flood
   ``chat_flood_messages_sent`` / ``_shown`` (must be equal), ``chat_flood_rate_per_s``,
   ``chat_flood_model_batches``, ``chat_flood_server_call_p50/p99_ms`` (the sink's own time),
   ``chat_flood_client_cpu_pct`` (this process, 100 = one core)
4. ``rss_mb`` / ``rss_peak_mb`` of this (client) process at the end; ``server_rss_mb`` of
   the server process (``--server process``). With ``--server thread`` ``rss_mb`` includes
   the server.

    .venv/bin/python bench/workspace.py --json
    .venv/bin/python bench/workspace.py --email-runs 1 --repeats 3 --flood-seconds 2   # quick
    .venv/bin/python bench/workspace.py --profile email     # cProfile of the client, to stderr

Progress goes to stderr; a summary goes to stdout and, with ``--json``, the last line of
stdout is one flat JSON object. Exit code 1 when something could not start or a step timed
out (the reason on stderr), 3 when the flood lost messages.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import pstats
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# never the real credential store: the sign-in token is kept in memory for this run
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget  # noqa: E402

from agent_desk.channels.email import sanitize_html  # noqa: E402
from agent_desk.client.connection import Connection  # noqa: E402
from agent_desk.protocol import messages as m  # noqa: E402
from agent_desk.protocol import views as v  # noqa: E402
from bench._workspace_support import (  # noqa: E402
    BackendError,
    ServerProcess,
    ServerThread,
    make_backend,
    rss_mb,
)

Backend = ServerThread | ServerProcess
HEARTBEAT_MS = 20
FLOOD_TAG = re.compile(r"#(\d+)$")
perf = time.perf_counter


class BenchError(RuntimeError):
    """A step could not be done (the message says which and why)."""


def qt_message(_kind: Any, _context: Any, message: str) -> None:
    """Qt's own messages to stderr, without the offscreen platform's noise."""
    if not message.startswith("This plugin does not support"):
        print(f"[qt] {message}", file=sys.stderr, flush=True)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ms(t0: float, t1: float | None = None) -> float:
    return ((perf() if t1 is None else t1) - t0) * 1000


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ---- waiting inside the qasync loop -------------------------------------------------------------

#: futures whose end means the client stopped (checked by every wait)
WATCH: list[asyncio.Future[Any]] = []


def _check_watch(what: str) -> None:
    for f in WATCH:
        if f.done():
            exc = None if f.cancelled() else f.exception()
            raise BenchError(f"the client stopped while waiting for {what}"
                             + (f": {type(exc).__name__}: {exc}" if exc else ""))


async def until(pred: Callable[[], object], timeout: float, what: str, *,
                step: float = 0.005) -> None:
    """Wait until ``pred()`` is true (checked every ``step`` s), or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        _check_watch(what)
        if pred():
            return
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(step)


async def wait(fut: asyncio.Future[Any], timeout: float, what: str) -> Any:
    """Await a future set by a signal or an event filter, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not fut.done():
        _check_watch(what)
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.wait([fut], timeout=0.1)
    return fut.result()


# ---- instruments ---------------------------------------------------------------------------------


class Heartbeat:
    """A chained single-shot ``PreciseTimer``; records (time, lateness ms) of each firing."""

    def __init__(self, interval_ms: int = HEARTBEAT_MS) -> None:
        self.interval = interval_ms
        self.samples: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._fired)
        self._expected = 0.0

    def start(self) -> None:
        self._expected = perf() + self.interval / 1000
        self.timer.start(self.interval)

    def stop(self) -> None:
        self.timer.stop()

    def _fired(self) -> None:
        now = perf()
        self.samples.append((now, max(0.0, (now - self._expected) * 1000)))
        self._expected = now + self.interval / 1000
        self.timer.start(self.interval)

    def window(self, t0: float, t1: float) -> list[float]:
        """Lateness of the firings in [t0, t1] (a firing late past t1 counts too)."""
        return [late for t, late in self.samples if t0 <= t and t - late / 1000 <= t1]


class PaintProbe(QObject):
    """Paints a scroll area's viewport itself (to time the end of the paint) and resolves
    the armed future with that time."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.future: asyncio.Future[float] | None = None
        area.viewport().installEventFilter(self)

    def arm(self) -> asyncio.Future[float]:
        self.future = asyncio.get_running_loop().create_future()
        return self.future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Paint or self.future is None or self.future.done():
            return False
        self.area.viewportEvent(event)
        self.future.set_result(perf())
        return True


class BodyPaintWatch(QObject):
    """Installed on the application while an email opens: resolves with the end time of
    the first paint of a message body (a ``SafeBrowser`` viewport) inside ``view`` after
    the view has loaded its thread."""

    def __init__(self, app: QApplication, view: QWidget) -> None:
        super().__init__()
        from agent_desk.ui.safe_browser import SafeBrowser

        self._browser_type = SafeBrowser
        self.app = app
        self.view = view
        self.future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Paint or self.future.done() or not getattr(
                self.view, "loaded", False):
            return False
        browser = watched.parent() if isinstance(watched, QWidget) else None
        if not isinstance(browser, self._browser_type) or browser.viewport() is not watched \
                or not self.view.isAncestorOf(browser):
            return False
        browser.viewportEvent(event)
        self.future.set_result(perf())
        return True

    def remove(self) -> None:
        self.app.removeEventFilter(self)


@contextmanager
def profiled(on: bool, title: str) -> Iterator[None]:
    """cProfile of this thread for the block, top functions printed to stderr."""
    if not on:
        yield
        return
    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf).strip_dirs()
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)
        print(f"---- cProfile: {title} ----\n{buf.getvalue()}", file=sys.stderr, flush=True)


# ---- the client ----------------------------------------------------------------------------------


async def sign_in(client: Any, url: str, user: str) -> Any:
    """Fill in the sign-in dialog as an agent would; the connected main window."""
    await until(lambda: client.dialog is not None, 30, "the sign-in dialog")
    dlg = client.dialog
    dlg.url.setText(url)
    dlg.username.setText(user)
    dlg.password.setText(f"{user}-pw")
    dlg.remember.setChecked(False)
    dlg.sign_in.click()
    try:
        await until(lambda: client.window is not None and client.dialog is None, 30,
                    "the main window after signing in")
    except BenchError as exc:
        err = dlg.error.text() if dlg.error.isVisible() else ""
        raise BenchError(f"{exc}{f' (the dialog says: {err})' if err else ''}") from None
    win = client.window
    await until(lambda: win.status.connection_text() == "Connected", 30, "the connection")
    return win


async def customer_phase(args: argparse.Namespace, backend: Backend, win: Any
                         ) -> dict[str, Any]:
    r = await backend.run("contact", channel="email", who="victor",
                          subject="Replacement blender still missing",
                          body="Hello, the replacement you promised two weeks ago never came.")
    iid = int(r["id"])
    await until(lambda: iid in win.state.interactions, 20, "Victor's email in the client")
    await take(win, iid)
    inter = win.state.interactions[iid]
    cid = inter.customer.id
    ctl = win.controller
    query = m.GetCustomer(customer_id=cid)
    rec = await ctl.ask(query, v.Customer360)  # warm-up: first query, decoders, caches
    await ctl.customer(cid)  # warm-up: opens the account's local customer cache
    ask_ms, via_ms = [], []
    for _ in range(args.repeats):
        t0 = perf()
        rec = await ctl.ask(query, v.Customer360)
        ask_ms.append(ms(t0))
    for _ in range(args.repeats):
        t0 = perf()
        await ctl.customer(cid)
        via_ms.append(ms(t0))
    rows = len(rec.interactions)
    log(f"customer 360 of {rec.name}: {rows} past interactions, {len(rec.surveys)} surveys; "
        f"query {median(ask_ms):.1f} ms, through the controller {median(via_ms):.1f} ms")
    panel = win.customer
    if not panel.isVisible():
        raise BenchError("the customer panel is hidden (settings); cannot time it")
    probe = PaintProbe(panel.history)
    loop = asyncio.get_running_loop()
    render_ms, painted_ms, cached_ms, cached_paint_ms = [], [], [], []
    for n in range(args.repeats + 1):  # the first is a warm-up
        panel.show_interaction(None)
        panel._cache.clear()  # its 60 s memory: every run asks the server, as after a minute
        loaded: asyncio.Future[float] = loop.create_future()
        painted: list[asyncio.Future[float]] = []

        def on_loaded(_cid: int, loaded: asyncio.Future[float] = loaded,
                      painted: list[asyncio.Future[float]] = painted) -> None:
            if not loaded.done():
                loaded.set_result(perf())
                painted.append(probe.arm())
        panel.sig_loaded.connect(on_loaded)
        try:
            t0 = perf()
            panel.show_interaction(inter)
            t_loaded = await wait(loaded, 20, "the customer panel to load")
            t_paint = await wait(painted[0], 10, "the customer timeline painted")
        finally:
            panel.sig_loaded.disconnect(on_loaded)
        got = panel.history.topLevelItemCount()
        if got != rows:
            raise BenchError(f"the timeline shows {got} rows, the record has {rows}")
        if n:
            render_ms.append(ms(t0, t_loaded))
            painted_ms.append(ms(t0, t_paint))
    for _ in range(args.repeats):  # from the panel's memory cache: the widgets alone
        panel.show_interaction(None)
        fut = probe.arm()
        t0 = perf()
        panel.show_interaction(inter)
        t1 = perf()
        if panel.stack.currentIndex() != 1 or panel.history.topLevelItemCount() != rows:
            raise BenchError("the cached customer record was not shown at once")
        cached_ms.append(ms(t0, t1))
        cached_paint_ms.append(ms(t0, await wait(fut, 10, "the cached timeline painted")))
    log(f"customer panel: {median(render_ms):.1f} ms to the rows, {median(painted_ms):.1f} ms "
        f"to paint; from its memory cache {median(cached_ms):.1f} ms "
        f"(painted {median(cached_paint_ms):.1f} ms)")
    return {
        "customer_360_rows": rows,
        "customer_360_query_ms": median(ask_ms),
        "customer_360_query_max_ms": max(ask_ms),
        "customer_360_controller_ms": median(via_ms),
        "customer_panel_render_ms": median(render_ms),
        "customer_panel_render_max_ms": max(render_ms),
        "customer_panel_painted_ms": median(painted_ms),
        "customer_panel_render_cached_ms": median(cached_ms),
        "customer_panel_painted_cached_ms": median(cached_paint_ms),
    }


async def take(win: Any, iid: int) -> None:
    """Pick a waiting email (``pick``) and wait until the client has it as ann's."""
    ack = await win.controller.send(m.Pick(key=Connection.new_key(), interaction_id=iid),
                                    "Could not take the email")
    if ack is None or not ack.ok:
        raise BenchError(f"pick of interaction {iid} refused: {ack}")
    await until(lambda: win.state.interactions[iid].assigned_agent_id == win.state.my_id, 20,
                f"interaction {iid} assigned to the agent")


async def ingest_email(backend: Backend, win: Any, path: Path) -> tuple[int, float, float]:
    """The raw message at ``path`` through the server's sink; (interaction id, ingest ms,
    sink call start → the client's bridge batch with it, ms)."""
    seen: dict[int, float] = {}

    def on_batch(ups: list[v.InteractionView], _rem: list[int]) -> None:
        t = perf()
        for i in ups:
            seen.setdefault(i.id, t)
    win.bridge.sig_interactions_changed.connect(on_batch)
    try:
        res = await backend.run("inbound_email", path=str(path))
        iid = int(res["id"])
        await until(lambda: iid in seen, 60, "the big email in the client")
    finally:
        win.bridge.sig_interactions_changed.disconnect(on_batch)
    return iid, float(res["ms"]), ms(float(res["t0"]), seen[iid])


async def open_email(win: Any, app: QApplication, iid: int) -> tuple[Any, dict[str, float]]:
    """``MainWindow.open_interaction`` of an email, timed: (the view, marks) with the marks
    ``open``, ``query`` (the thread's record arrived), ``sanitized``, ``loaded`` (cards
    built), ``painted`` (end of the body's first paint) and ``inline`` (the inline image
    served while the body was laid out again; NaN if it never came)."""
    from agent_desk.ui.email_message_widget import EmailMessageWidget
    from agent_desk.ui.email_view import EmailView

    marks: dict[str, float] = {"open": perf()}
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    if not isinstance(view, EmailView):
        raise BenchError(f"interaction {iid} opened as {type(view).__name__}, not EmailView")
    watch = BodyPaintWatch(app, view)
    # timing marks around the view's own steps (its load task starts on the next loop turn)
    sanitize_all = view._sanitize_all
    scroll = view.thread_view.scroll_to_newest

    async def timed(msgs: list[v.MessageView]) -> Any:
        marks["query"] = perf()
        out = await sanitize_all(msgs)
        marks["sanitized"] = perf()
        return out

    def scrolled() -> None:
        marks.setdefault("loaded", perf())
        scroll()
    view._sanitize_all = timed  # type: ignore[method-assign]
    view.thread_view.scroll_to_newest = scrolled  # type: ignore[method-assign]
    try:
        marks["painted"] = await wait(watch.future, 60, "the email thread shown")
    finally:
        watch.remove()
    cards = [c for c in view.thread_view.cards if isinstance(c, EmailMessageWidget)]
    if len(cards) != 1:
        raise BenchError(f"the thread shows {len(cards)} messages, expected 1")
    body = cards[0].body
    marks["inline"] = float("nan")
    try:
        await until(lambda: bool(body.served), 20, "the inline image")
        marks["inline"] = perf()
    except BenchError as exc:
        log(f"WARNING: {exc}")
    return view, marks


async def email_phase(args: argparse.Namespace, backend: Backend, win: Any, app: QApplication,
                      hb: Heartbeat, tmp: Path) -> dict[str, Any]:
    keys = ("ingest", "to_queue", "open", "query", "sanitize", "build", "paint", "inline",
            "freeze", "inline_freeze", "sanitize_late")
    got: dict[str, list[float]] = {k: [] for k in keys}
    stored_html = ""
    raw_bytes = 0
    html_path = tmp / "email-part.html"
    for run in range(args.email_runs):
        path = tmp / f"email-{run}.eml"
        t0 = perf()
        made = await backend.run("write_email", path=str(path), html_path=str(html_path),
                                 total_bytes=int(args.email_mb * 1024 * 1024), run=run)
        raw_bytes = int(made["bytes"])
        if run == 0:
            log(f"email built on the server side: {raw_bytes / 1e6:.1f} MB raw, HTML part "
                f"{made['html_chars'] / 1e6:.2f} M characters ({ms(t0):.0f} ms, not timed)")
        iid, ingest_ms, to_queue_ms = await ingest_email(backend, win, path)
        got["ingest"].append(ingest_ms)
        got["to_queue"].append(to_queue_ms)
        await take(win, iid)
        with profiled(args.profile in ("email", "all"), f"email open {run + 1}"):
            view, mk = await open_email(win, app, iid)
        await asyncio.sleep(0.1)  # a measurement tail: lateness samples just after the end
        t_open, t_paint, t_inline = mk["open"], mk["painted"], mk["inline"]
        freeze = hb.window(t_open, t_paint)
        inline_freeze = hb.window(t_paint, (t_inline if t_inline == t_inline else t_paint)
                                  + 0.1)
        got["open"].append(ms(t_open, t_paint))
        got["query"].append(ms(t_open, mk["query"]))
        got["sanitize"].append(ms(mk["query"], mk["sanitized"]))
        got["build"].append(ms(mk["sanitized"], mk["loaded"]))
        got["paint"].append(ms(mk["loaded"], t_paint))
        got["inline"].append(ms(t_open, t_inline))
        got["freeze"].append(max(freeze, default=float("nan")))
        got["inline_freeze"].append(max(inline_freeze, default=float("nan")))
        got["sanitize_late"].append(max(hb.window(mk["query"], mk["sanitized"]),
                                        default=float("nan")))
        card = view.thread_view.cards[0]
        stored_html = card.message.html or ""
        log(f"email {run + 1}: {raw_bytes / 1e6:.1f} MB ingested in {got['ingest'][-1]:.0f} ms "
            f"(in the client's queue after {got['to_queue'][-1]:.0f} ms); opened in "
            f"{got['open'][-1]:.0f} ms = query {got['query'][-1]:.0f} + sanitize "
            f"{got['sanitize'][-1]:.0f} + build {got['build'][-1]:.0f} + paint "
            f"{got['paint'][-1]:.0f} (GUI loop late up to {got['freeze'][-1]:.0f} ms); inline "
            f"image shown at {got['inline'][-1]:.0f} ms (loop late up to "
            f"{got['inline_freeze'][-1]:.0f} ms); {len(card.save_buttons)} attachments, "
            f"HTML shown {len(stored_html) / 1e3:.0f} kB")
        win.workspace.close_tab(win.workspace.tabs.indexOf(view))
        await asyncio.to_thread(path.unlink)
    raw_html = await asyncio.to_thread(html_path.read_text, encoding="utf-8")
    placeholder = "image not loaded"
    san, san_raw = [], []
    hb.stop()  # sanitising blocks this thread: not a loop-lateness figure
    for _ in range(args.sanitize_runs):
        t0 = perf()
        sanitize_html(stored_html, image_placeholder=placeholder)
        san.append(ms(t0))
        t0 = perf()
        sanitize_html(raw_html, image_placeholder=placeholder)
        san_raw.append(ms(t0))
    hb.start()
    log(f"sanitize_html: {median(san):.0f} ms for the {len(stored_html) / 1e3:.0f} kB shown, "
        f"{median(san_raw):.0f} ms for the full {len(raw_html) / 1e3:.0f} kB part")
    out: dict[str, Any] = {"email_raw_mb": raw_bytes / 1e6, "email_runs": args.email_runs}
    names = {"ingest": "email_20mb_ingest_ms", "to_queue": "email_20mb_to_queue_ms",
             "open": "email_20mb_open_ms", "query": "email_20mb_open_query_ms",
             "sanitize": "email_20mb_open_sanitize_ms", "build": "email_20mb_open_build_ms",
             "paint": "email_20mb_open_paint_ms", "inline": "email_20mb_inline_image_ms",
             "freeze": "email_20mb_open_freeze_max_ms",
             "inline_freeze": "email_20mb_inline_freeze_max_ms",
             "sanitize_late": "email_20mb_open_sanitize_loop_late_max_ms"}
    for k, key in names.items():
        vals = [x for x in got[k] if x == x]
        worst = "freeze" in k or k.endswith("_late")
        out[key] = max(vals, default=float("nan")) if worst else median(vals)
    out["email_20mb_ingest_max_ms"] = max(got["ingest"])
    out["email_20mb_open_max_ms"] = max(got["open"])
    out["email_html_sanitize_ms"] = median(san)
    out["email_html_kb"] = len(stored_html) / 1e3
    out["email_html_raw_sanitize_ms"] = median(san_raw)
    out["email_html_raw_kb"] = len(raw_html) / 1e3
    return out


async def chat_phase(args: argparse.Namespace, backend: Backend, win: Any, hb: Heartbeat
                     ) -> dict[str, Any]:
    from agent_desk.ui.chat_view import ChatView

    ack = await win.controller.set_state("available")
    if ack is None or not ack.ok:
        raise BenchError(f"set_state available refused: {ack}")
    r = await backend.run("contact", channel="chat", who="carol",
                          body="Hi, my parcel never arrived and the tracking page is blank")
    iid = int(r["id"])
    me = win.state.my_id
    await until(lambda: (i := win.state.interactions.get(iid)) is not None
                and i.offered_agent_id == me, 20, "the chat offered to the agent")
    ack = await win.controller.accept(iid)
    if ack is None or not ack.ok:
        raise BenchError(f"accept of the chat refused: {ack}")
    await until(lambda: win.state.interactions[iid].assigned_agent_id == me, 20,
                "the chat assigned to the agent")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    if not isinstance(view, ChatView):
        raise BenchError(f"the chat opened as {type(view).__name__}, not ChatView")
    await until(lambda: view.loaded, 20, "the chat transcript loaded")
    model = view.model
    shown: dict[int, float] = {}
    batches = [0]

    def scan(first: int, last: int) -> None:
        t = perf()
        batches[0] += 1
        for row in range(first, last + 1):
            hit = FLOOD_TAG.search(model.chat[row].text)
            if hit:
                shown.setdefault(int(hit.group(1)), t)
    model.rowsInserted.connect(lambda _parent, first, last: scan(first, last))
    model.modelReset.connect(lambda: scan(0, model.rowCount() - 1))
    warm = 10  # warm-up messages, not counted (tags from 100000)
    await backend.run("flood", iid=iid, rate=20, seconds=warm / 20, base=100_000)
    await until(lambda: all(100_000 + k in shown for k in range(warm)), 20,
                "the warm-up messages in the transcript")
    t_idle = perf()
    await asyncio.sleep(1.0)  # a measurement window: the idle loop's heartbeat
    idle = hb.window(t_idle, perf())
    batches[0] = 0
    n = int(round(args.flood_rate * args.flood_seconds))
    log(f"chat flood: {args.flood_rate:g} messages/s for {args.flood_seconds:g} s into chat "
        f"{iid} ({n} messages)")
    with profiled(args.profile in ("chat", "all"), "chat flood"):
        cpu0, t_start = time.process_time(), perf()
        res = await backend.run("flood", iid=iid, rate=args.flood_rate,
                                seconds=args.flood_seconds, base=0)
        sent: list[float] = res["sent"]
        try:
            await until(lambda: all(k in shown for k in range(len(sent))), 20,
                        "every flood message in the transcript")
        except BenchError as exc:
            log(f"WARNING: {exc}")
        t_end = perf()
        cpu = time.process_time() - cpu0
    if res["failed"]:
        log(f"WARNING: {res['failed']} sink calls failed in the server: {res['errors']}")
    lat = [ms(t, shown[k]) for k, t in enumerate(sent) if k in shown]
    late = hb.window(t_start, t_end)
    took = res["took_ms"]
    out = {
        "chat_flood_messages_sent": len(sent),
        "chat_flood_messages_shown": sum(1 for k in range(len(sent)) if k in shown),
        "chat_flood_rate_per_s": (len(sent) - 1) / max(1e-9, sent[-1] - sent[0])
        if len(sent) > 1 else float("nan"),
        "chat_flood_event_to_visible_p50_ms": pct(lat, 50),
        "chat_flood_event_to_visible_p99_ms": pct(lat, 99),
        "chat_flood_event_to_visible_max_ms": max(lat, default=float("nan")),
        "chat_flood_loop_lateness_p50_ms": pct(late, 50),
        "chat_flood_loop_lateness_p99_ms": pct(late, 99),
        "chat_flood_loop_lateness_max_ms": max(late, default=float("nan")),
        "idle_loop_lateness_p99_ms": pct(idle, 99),
        "chat_flood_model_batches": batches[0],
        "chat_flood_server_call_p50_ms": pct(took, 50),
        "chat_flood_server_call_p99_ms": pct(took, 99),
        "chat_flood_client_cpu_pct": 100 * cpu / max(1e-9, t_end - t_start),
        "chat_transcript_rows": model.rowCount(),
    }
    log(f"chat flood: {out['chat_flood_messages_shown']}/{len(sent)} shown in "
        f"{batches[0]} model batches; event → visible p50/p99 "
        f"{out['chat_flood_event_to_visible_p50_ms']:.0f}/"
        f"{out['chat_flood_event_to_visible_p99_ms']:.0f} ms; loop lateness p50/p99/max "
        f"{out['chat_flood_loop_lateness_p50_ms']:.1f}/"
        f"{out['chat_flood_loop_lateness_p99_ms']:.1f}/"
        f"{out['chat_flood_loop_lateness_max_ms']:.1f} ms (idle p99 "
        f"{out['idle_loop_lateness_p99_ms']:.1f}); sink call p50/p99 "
        f"{out['chat_flood_server_call_p50_ms']:.1f}/{out['chat_flood_server_call_p99_ms']:.1f}"
        f" ms; client CPU {out['chat_flood_client_cpu_pct']:.0f} %")
    return out


async def run(args: argparse.Namespace, app: QApplication, backend: Backend, tmp: Path
              ) -> dict[str, Any]:
    from agent_desk.ui import paths
    from agent_desk.ui.app import ClientApp, ClientOptions
    from agent_desk.ui.settings import Settings

    settings = Settings(paths.settings_file())
    client = ClientApp(app, ClientOptions(crash_dialog=False), settings)
    task = asyncio.ensure_future(client.run())
    WATCH.append(task)
    out: dict[str, Any] = {}
    try:
        t0 = perf()
        win = await sign_in(client, backend.url, "ann")
        log(f"signed in as ann, main window connected ({ms(t0):.0f} ms)")
        hb = Heartbeat()
        hb.start()
        with profiled(args.profile in ("customer", "all"), "customer 360"):
            out.update(await customer_phase(args, backend, win))
        out.update(await email_phase(args, backend, win, app, hb, tmp))
        out.update(await chat_phase(args, backend, win, hb))
        hb.stop()
        out["rss_mb"] = rss_mb()
        out["rss_peak_mb"] = rss_mb("VmHWM:")
        if isinstance(backend, ServerProcess):
            out["server_rss_mb"] = (await backend.run("rss"))["rss_mb"]
    finally:
        WATCH.remove(task)
        client.quit(0)
        try:
            await asyncio.wait_for(task, 30)
        except Exception as exc:  # noqa: BLE001 - reported, the figures stand
            log(f"WARNING: the client did not stop cleanly: {type(exc).__name__}: {exc}")
    return out


# ---- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--server", choices=("process", "thread"), default="process",
                   help="where the backend runs (default: a child process)")
    p.add_argument("--history", type=int, default=200,
                   help="past interactions of the customer 360 customer")
    p.add_argument("--repeats", type=int, default=5, help="runs of each customer 360 figure")
    p.add_argument("--email-mb", type=float, default=20.0, help="raw email size (MiB)")
    p.add_argument("--email-runs", type=int, default=3, help="emails ingested and opened")
    p.add_argument("--sanitize-runs", type=int, default=5)
    p.add_argument("--flood-rate", type=float, default=100.0, help="chat messages per second")
    p.add_argument("--flood-seconds", type=float, default=5.0)
    p.add_argument("--profile", choices=("customer", "email", "chat", "all"), default=None,
                   help="cProfile the client's thread in this phase (stats to stderr)")
    p.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    a = p.parse_args(argv)
    if a.repeats < 1 or a.email_runs < 1 or a.sanitize_runs < 1 or a.flood_rate <= 0 \
            or a.flood_seconds <= 0:
        p.error("counts, the rate and the duration must be positive")
    return a


def main(argv: list[str] | None = None) -> int:
    import qasync

    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="[client] %(levelname)s %(name)s: %(message)s")
    logging.getLogger("agent_desk.client.credentials").setLevel(logging.ERROR)  # no keyring
    wall0 = perf()
    tmp = Path(tempfile.mkdtemp(prefix="agent-desk-bench-ws-"))
    backend: Backend | None = None
    loop: Any = None
    collector: Any = None
    rc = 0
    result: dict[str, Any] = {}
    stopped_by: list[int] = []
    try:
        from agent_desk.ui import paths
        from agent_desk.ui.app import MainThreadGC, create_application

        paths.set_root(tmp / "profile")
        t0 = perf()
        backend = make_backend(args.server, str(tmp / "server.db"), args.history,
                               tmp / "server.log")
        log(f"server ({args.server}) on {backend.url} with {args.history} past interactions "
            f"for the customer 360 ({ms(t0):.0f} ms)")
        qInstallMessageHandler(qt_message)
        app = create_application(sys.argv[:1])
        collector = MainThreadGC(app)  # as the app: cyclic GC on the GUI thread only
        collector.start()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        main_task = loop.create_task(run(args, app, backend, tmp))

        def stop(signum: int, _frame: Any) -> None:
            log(f"signal {signum}: stopping")
            stopped_by.append(signum)
            main_task.cancel()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        result = loop.run_until_complete(main_task)
    except (BenchError, BackendError) as exc:
        print(f"bench/workspace.py: error: {exc}", file=sys.stderr, flush=True)
        rc = 1
    except asyncio.CancelledError:
        print("bench/workspace.py: interrupted", file=sys.stderr, flush=True)
        rc = 128 + (stopped_by[0] if stopped_by else signal.SIGINT)
    finally:
        if loop is not None:
            loop.close()
            asyncio.set_event_loop(None)
        if collector is not None:
            collector.stop()
        if backend is not None:
            backend.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if rc:
        return rc
    result["server_mode"] = args.server
    result["bench_wall_ms"] = ms(wall0)
    clean = {k: (round(val, 2) if isinstance(val, float) else val) for k, val in result.items()
             if not (isinstance(val, float) and val != val)}
    for k, val in clean.items():
        print(f"{k:40} {val}")
    if args.json:
        print(json.dumps(clean, allow_nan=False))
    if clean.get("chat_flood_messages_shown") != clean.get("chat_flood_messages_sent"):
        print("bench/workspace.py: the chat flood lost messages (shown != sent)",
              file=sys.stderr, flush=True)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
