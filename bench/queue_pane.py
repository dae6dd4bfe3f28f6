"""Queue pane benchmark: server events through the real client path into a shown window.

A main-window-like host (QMainWindow: the ``QueuePane`` on the left, a placeholder workspace
on the right, a status bar showing the counts) is shown (offscreen by default) with
``--rows`` interactions (10,000). For each rate N (``--rates 100,1000,5000`` events/s) a
realistic event mix is pre-encoded as server ``event`` frames (``codec.encode``, the
server's work, not timed), then fed for ``--duration`` seconds from an asyncio task on the
qasync loop, the way the connection does: ``decode_server_frame`` → seq/gap check →
``ClientState.apply_event`` → ``ClientBridge`` (30 ms batches) → ``QueueModel`` (incremental
apply, Python sort/filter) → paint (``QueueDelegate``).

The mix (share of events): customer message 25 % (preview), agent reply on one of mine 8 %
(SLA clock switches to resolution: sort key), priority change 12 % (sort key), offered to
another agent / back to queue 10 %, offered to me / offer timeout 2 % (pinned: sort key),
transfer to another queue 5 %, new interaction 19 % (insert), accepted by another agent 19 %
(removal): about 60 % change the order. 10 % of the events touch one of the ~30 most
urgent rows, so changes to visible rows are measured too.

Measured per N (after a 1 s warm-up):
  ``applied_per_s``         events applied by the model per second (should equal N)
  ``apply_capacity_per_s``  events per second of time spent decoding, applying to the state
                            and applying model batches (the path's capacity, one core)
  ``lateness_p50/p99_ms``   lateness of a chained 5 ms QTimer (event-loop responsiveness)
  ``visible_p50/p99_ms``    event received → end of the first paint showing it, for events
                            on rows in the visible range
  ``batch_p50/p99_ms``      one model batch (apply + sort + signals), ``paint_p50/p99_ms``
                            one viewport paint
  ``cpu_pct``               process CPU time / wall time × 100 (100 = one core)

    .venv/bin/python bench/queue_pane.py --json
    .venv/bin/python bench/queue_pane.py --rates 1000 --duration 3      # quick look

Progress goes to stderr; with ``--json`` the last line of stdout is one flat JSON object
(per-N keys prefixed ``n{N}_``).
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QTextEdit,
)

from agent_desk.client.state import ClientState  # noqa: E402
from agent_desk.protocol import messages as m  # noqa: E402
from agent_desk.protocol import views as v  # noqa: E402
from agent_desk.protocol.codec import decode_server_frame, encode  # noqa: E402
from agent_desk.server.sla import fallback_targets  # noqa: E402
from agent_desk.ui.bridge import ClientBridge  # noqa: E402
from agent_desk.ui.queue_pane import QueuePane  # noqa: E402

ME = 1
QUEUE_NAMES = ["General", "Billing", "Technical", "Chinese", "VIP"]
FIRST_NAMES = ["Carol", "Victor", "Liam", "Priya", "Sofia", "Emma", "Lukas", "Yuki", "Omar"]
ZH_NAMES = ["王芳", "张伟", "李娜", "刘洋", "陈静"]
SUBJECTS = ["Refund for order %d", "Cannot log in", "Where is my parcel %d?",
            "Invoice %d shows the wrong VAT number", "退货申请：订单 %d", "Change of address"]
MESSAGES = ["Any news on this?", "Thanks, one more question", "您好，请问我的订单到哪里了？",
            "I have attached the receipt", "Can you call me back?"]
PERCENTILES = (50, 99)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


# ---- the world: a snapshot and an event generator that keeps the "server truth" ------------


class World:
    def __init__(self, n_rows: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.now = time.time()
        self.truth: dict[int, v.InteractionView] = {}
        self.next_id = 1
        self.seq = 1
        self.my_offers: list[int] = []  # at most two at a time, as routing would do
        for _ in range(n_rows):
            self._new(mine=self.rng.random() < 0.03)

    def _customer(self) -> v.CustomerBrief:
        r = self.rng
        zh = r.random() < 0.25
        name = r.choice(ZH_NAMES) if zh else f"{r.choice(FIRST_NAMES)} {r.randint(100, 999)}"
        tier = "vip" if r.random() < 0.1 else "gold" if r.random() < 0.25 else "standard"
        return v.CustomerBrief(id=r.randint(1, 5000), name=name, tier=tier,
                               language="zh" if zh else "en")

    def _new(self, mine: bool = False, fresh: bool = False) -> v.InteractionView:
        r = self.rng
        iid = self.next_id
        self.next_id += 1
        x = r.random()
        channel = "email" if x < 0.6 else "chat" if x < 0.85 else "phone"
        cust = self._customer()
        priority = r.choices(["low", "normal", "high", "urgent"], [2, 6, 2, 1])[0]
        t = fallback_targets(channel, priority, cust.tier)
        span = {"email": 8 * 3600, "chat": 900, "phone": 300}[channel]
        created = time.time() - (r.uniform(0, 5) if fresh else r.uniform(0, span))
        subject = "" if channel == "chat" else r.choice(SUBJECTS).replace("%d", str(iid))
        view = v.InteractionView(
            id=iid, channel=channel, state="assigned" if mine else "queued",
            customer=cust, queue_id=r.randint(1, len(QUEUE_NAMES)), subject=subject,
            preview=r.choice(MESSAGES) if channel != "phone" else "", priority=priority,
            created_at=dt(created), first_response_due_at=dt(created + t.first_response_s),
            resolution_due_at=dt(created + t.resolution_s),
            assigned_agent_id=ME if mine else None)
        self.truth[iid] = view
        return view

    def snapshot(self) -> m.Snapshot:
        me = v.AgentView(id=ME, username="bench", name="Bench Agent", role="agent",
                         state="available", state_since=dt(self.now),
                         queue_ids=list(range(1, len(QUEUE_NAMES) + 1)))
        queues = [v.QueueView(id=i + 1, name=n) for i, n in enumerate(QUEUE_NAMES)]
        return m.Snapshot(seq=self.seq, agent=me, agents=[me], queues=queues,
                          interactions=list(self.truth.values()), settable_states=[],
                          away_reasons=[], wrap_up_codes=[], sla_policies=[],
                          server_time=dt(time.time()))

    def _urgent_ids(self, k: int = 30) -> list[int]:
        def due(i: v.InteractionView) -> float:
            d = i.first_response_due_at if i.first_response_at is None else i.resolution_due_at
            return d.timestamp()
        return [i.id for i in heapq.nsmallest(k, self.truth.values(), key=due)]

    def frames(self, n: int) -> list[tuple[int, bytes]]:
        """``n`` encoded event frames (interaction id, bytes), advancing the truth."""
        r = self.rng
        out: list[tuple[int, bytes]] = []
        ids = list(self.truth)
        urgent = self._urgent_ids()
        kinds = ["message", "reply", "priority", "offer_other", "offer_me", "transfer",
                 "created", "accepted"]
        weights = [25, 8, 12, 10, 2, 5, 19, 19]
        for k in range(n):
            if k % 250 == 0:
                ids = list(self.truth)
                urgent = self._urgent_ids()
            kind = r.choices(kinds, weights)[0]
            if kind == "created":
                view, change = self._new(fresh=True), "created"
            elif kind == "offer_me":
                got = self._offer_me()
                if got is None:
                    continue
                view, change = got
                self.truth[view.id] = view
            else:
                pool = urgent if r.random() < 0.10 and urgent else ids
                iid = r.choice(pool)
                old = self.truth.get(iid)
                if old is None or iid in self.my_offers:
                    continue
                view, change = self._mutate(old, kind)
                if view.state == "assigned" and view.assigned_agent_id != ME:
                    del self.truth[iid]  # gone from this agent's view
                else:
                    self.truth[iid] = view
            self.seq += 1
            ev = m.Event(seq=self.seq, prev=self.seq - 1, at=dt(time.time()),
                         data=m.InteractionChanged(change=change, interaction=view))
            out.append((view.id, encode(ev)))
        return out

    def _offer_me(self) -> tuple[v.InteractionView, str] | None:
        """Offer a waiting interaction to me, or resolve my oldest offer (timeout or
        accepted) when two are pending or at random."""
        r = self.rng
        rep = msgspec.structs.replace
        if self.my_offers and (len(self.my_offers) >= 2 or r.random() < 0.5):
            old = self.truth[self.my_offers.pop(0)]
            if r.random() < 0.5:
                return rep(old, state="queued", offered_agent_id=None, offered_at=None,
                           offer_expires_at=None, version=old.version + 1), "offer_timeout"
            return rep(old, state="assigned", assigned_agent_id=ME, offered_agent_id=None,
                       offer_expires_at=None, answered_at=dt(time.time()),
                       version=old.version + 1), "accepted"
        for _ in range(20):
            old = self.truth[r.choice(list(self.truth)[-2000:])]
            if old.state == "queued":
                self.my_offers.append(old.id)
                return rep(old, state="offered", offered_agent_id=ME, offered_at=dt(time.time()),
                           offer_expires_at=dt(time.time() + 20),
                           version=old.version + 1), "offered"
        return None

    def _mutate(self, old: v.InteractionView, kind: str) -> tuple[v.InteractionView, str]:
        r = self.rng
        rep = msgspec.structs.replace
        ver = old.version + 1
        now = dt(time.time())
        mine = old.assigned_agent_id == ME
        if kind == "reply" and mine and old.first_response_at is None:
            return rep(old, first_response_at=now, version=ver), "replied"
        if kind in ("message", "reply"):
            return rep(old, preview=r.choice(MESSAGES), version=ver), "customer_replied"
        if kind == "priority":
            p = r.choice(["low", "normal", "high", "urgent"])
            t = fallback_targets(old.channel, p, old.customer.tier)
            c = old.created_at.timestamp()
            return rep(old, priority=p, first_response_due_at=dt(c + t.first_response_s),
                       resolution_due_at=dt(c + t.resolution_s), version=ver), "priority"
        if mine:
            return rep(old, preview=r.choice(MESSAGES), version=ver), "customer_replied"
        if kind == "transfer":
            return rep(old, queue_id=r.randint(1, len(QUEUE_NAMES)), version=ver), "transferred"
        if kind == "offer_other":
            if old.state == "offered":
                return rep(old, state="queued", offered_agent_id=None, offered_at=None,
                           offer_expires_at=None, version=ver), "offer_timeout"
            return rep(old, state="offered", offered_agent_id=r.randint(2, 60), offered_at=now,
                       offer_expires_at=dt(time.time() + 20), version=ver), "offered"
        return rep(old, state="assigned", assigned_agent_id=r.randint(2, 60),
                   offered_agent_id=None, answered_at=now, version=ver), "accepted"


# ---- measurement ----------------------------------------------------------------------------


class Probe(QObject):
    """Times viewport paints and records event → visible latencies."""

    def __init__(self, pane: QueuePane) -> None:
        super().__init__()
        self.pane = pane
        self.recv: dict[int, list[float]] = {}  # iid → [earliest receive time, events]
        self.awaiting: list[float] = []  # receive times of applied, visible, unpainted events
        self.visible_lat: list[float] = []
        self.paint_ms: list[float] = []
        self.batch_ms: list[float] = []
        self.applied = 0
        self.busy_s = 0.0  # decode + state apply + model batches
        self._t_batch = 0.0
        pane.view.viewport().installEventFilter(self)

    def batch_started(self, _ups: list, _rem: list) -> None:
        self._t_batch = time.perf_counter()

    def batch_done(self, ups: list[v.InteractionView], rem: list[int]) -> None:
        t = time.perf_counter()
        dt_ = t - self._t_batch
        self.batch_ms.append(dt_ * 1000)
        self.busy_s += dt_
        view, model = self.pane.view, self.pane.model
        first = max(0, view.rowAt(0))
        last = view.rowAt(view.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        for i in ups:
            rec = self.recv.pop(i.id, None)
            if rec is None:
                continue
            self.applied += int(rec[1])
            row = model.row_of(i.id)
            if row is not None and first <= row <= last:
                self.awaiting.append(rec[0])
        for iid in rem:
            rec = self.recv.pop(iid, None)
            if rec is not None:
                self.applied += int(rec[1])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        t0 = time.perf_counter()
        self.pane.view.viewportEvent(event)  # paint now, to time its end
        t1 = time.perf_counter()
        self.paint_ms.append((t1 - t0) * 1000)
        for tr in self.awaiting:
            self.visible_lat.append((t1 - tr) * 1000)
        self.awaiting.clear()
        return True

    def reset(self) -> None:
        self.visible_lat.clear()
        self.paint_ms.clear()
        self.batch_ms.clear()
        self.applied = 0
        self.busy_s = 0.0


class Lateness:
    """A chained 5 ms single-shot timer; records how late each one fires."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms
        self.values: list[float] = []
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._fired)
        self._expected = 0.0

    def start(self) -> None:
        self._expected = time.perf_counter() + self.interval / 1000
        self.timer.start(self.interval)

    def _fired(self) -> None:
        now = time.perf_counter()
        self.values.append(max(0.0, (now - self._expected) * 1000))
        self._expected = now + self.interval / 1000
        self.timer.start(self.interval)


async def feed(state: ClientState, probe: Probe, frames: list[tuple[int, bytes]],
               rate: float, seconds: float, *, stop_when_done: bool = False) -> int:
    """Deliver ``frames`` at ``rate`` per second for ``seconds`` (or, with
    ``stop_when_done``, until they are all delivered), in small bursts as websocket reads
    would; returns how many were fed."""
    start = time.perf_counter()
    fed = 0
    n = len(frames)
    while not (stop_when_done and fed >= n):
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
        due = min(n, int(elapsed * rate))
        t_busy = time.perf_counter()
        while fed < due:
            iid, raw = frames[fed]
            t_recv = time.perf_counter()
            frame = decode_server_frame(raw)
            if isinstance(frame, m.Event) and frame.seq > state.seq:
                if frame.prev != state.seq:
                    raise RuntimeError("gap in the bench's own event stream")
                state.apply_event(frame)
                rec = probe.recv.get(iid)
                if rec is None:
                    probe.recv[iid] = [t_recv, 1]
                else:
                    rec[1] += 1
            fed += 1
        probe.busy_s += time.perf_counter() - t_busy
        await asyncio.sleep(0.004)
    return fed


async def run(args: argparse.Namespace) -> dict[str, Any]:
    world = World(args.rows)
    state = ClientState()
    bridge = ClientBridge(state, interval_ms=args.batch_ms)
    win = QMainWindow()
    win.setWindowTitle("Agent Desk (queue pane benchmark)")
    probe_holder: list[Probe] = []
    bridge.sig_interactions_changed.connect(lambda u, r: probe_holder[0].batch_started(u, r))
    pane = QueuePane(bridge, now=lambda: time.time() + state.server_offset_s)
    probe = Probe(pane)
    probe_holder.append(probe)
    bridge.sig_interactions_changed.connect(probe.batch_done)
    split = QSplitter()
    split.addWidget(pane)
    tabs = QTabWidget()
    tabs.addTab(QTextEdit("Workspace placeholder"), "Workspace")
    split.addWidget(tabs)
    split.setSizes([1000, 400])
    win.setCentralWidget(split)
    counts = QLabel()
    win.statusBar().addPermanentWidget(counts)
    pane.sig_counts_changed.connect(lambda c: counts.setText(
        " · ".join(f"{k} {n}" for k, n in c.items())))
    win.resize(1440, 900)
    win.show()
    t0 = time.perf_counter()
    state.apply_snapshot(world.snapshot())
    log(f"snapshot of {len(state.interactions)} rows applied in "
        f"{(time.perf_counter() - t0) * 1000:.0f} ms (model reset)")
    await asyncio.sleep(0.5)
    lateness = Lateness()
    lateness.start()
    out: dict[str, Any] = {"rows": pane.model.rowCount(), "duration_s": args.duration,
                           "batch_interval_ms": args.batch_ms}
    for rate in args.rates:
        total = int(rate * (args.duration + args.warmup + 0.5))
        t0 = time.perf_counter()
        frames = world.frames(total)
        log(f"N={rate}/s: {len(frames)} frames encoded in {time.perf_counter() - t0:.1f} s")
        warm = int(rate * args.warmup)
        await feed(state, probe, frames[:warm], rate, args.warmup + 5, stop_when_done=True)
        await asyncio.sleep(0.2)
        probe.reset()
        lateness.values.clear()
        probe.recv.clear()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        fed = await feed(state, probe, frames[warm:], rate, args.duration)
        wall = time.perf_counter() - wall0
        await asyncio.sleep(0.15)  # the last batch and its paint
        cpu = time.process_time() - cpu0
        wall_all = time.perf_counter() - wall0
        k = f"n{rate}_"
        out[k + "fed_per_s"] = fed / wall
        out[k + "applied_per_s"] = probe.applied / wall
        out[k + "apply_capacity_per_s"] = fed / probe.busy_s if probe.busy_s else 0.0
        for p in PERCENTILES:
            out[k + f"lateness_p{p}_ms"] = pct(lateness.values, p)
            out[k + f"visible_p{p}_ms"] = pct(probe.visible_lat, p)
            out[k + f"batch_p{p}_ms"] = pct(probe.batch_ms, p)
            out[k + f"paint_p{p}_ms"] = pct(probe.paint_ms, p)
        out[k + "lateness_max_ms"] = max(lateness.values, default=float("nan"))
        out[k + "visible_samples"] = len(probe.visible_lat)
        out[k + "batches_per_s"] = len(probe.batch_ms) / wall
        out[k + "rows"] = pane.model.rowCount()
        out[k + "cpu_pct"] = 100 * cpu / wall_all
        log(f"N={rate}/s: applied {out[k + 'applied_per_s']:.0f}/s, lateness p50/p99 "
            f"{out[k + 'lateness_p50_ms']:.1f}/{out[k + 'lateness_p99_ms']:.1f} ms, visible "
            f"p99 {out[k + 'visible_p99_ms']:.1f} ms ({len(probe.visible_lat)} samples), "
            f"batch p99 {out[k + 'batch_p99_ms']:.1f} ms, paint p50 "
            f"{out[k + 'paint_p50_ms']:.1f} ms, CPU {out[k + 'cpu_pct']:.0f} %, "
            f"rows {out[k + 'rows']}")
        # deliver what was left over (untimed), so the next rate's stream has no gap
        await feed(state, probe, frames[warm + fed:], rate * 10, 60, stop_when_done=True)
        await asyncio.sleep(0.5)
    win.close()
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--rates", default="100,1000,5000",
                   help="events per second to feed, comma-separated")
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--duration", type=float, default=4.0, help="measured seconds per rate")
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--batch-ms", type=int, default=_bridge_default_ms(),
                   help="the bridge's batching interval (default: the app's own)")
    p.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    a = p.parse_args(argv)
    a.rates = [int(x) for x in a.rates.split(",") if x.strip()]
    return a


def _bridge_default_ms() -> int:
    """The interval the app ships with (ClientBridge's default), so the bench measures it."""
    import inspect

    from agent_desk.ui.bridge import ClientBridge

    return int(inspect.signature(ClientBridge.__init__).parameters["interval_ms"].default)


def main(argv: list[str] | None = None) -> int:
    import qasync

    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("agent-desk-bench")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            result = loop.run_until_complete(run(args))
    finally:
        asyncio.set_event_loop(None)
    clean = {k: (round(val, 3) if isinstance(val, float) else val) for k, val in result.items()
             if not (isinstance(val, float) and val != val)}
    if args.json:
        print(json.dumps(clean, allow_nan=False))
    else:
        for k, val in clean.items():
            print(f"{k:32} {val}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
