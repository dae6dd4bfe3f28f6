"""Backend fan-out benchmark: N real agent websocket connections against a server subprocess
that runs the traffic simulator.

For each N (``--agents 200,1000``) a fresh SQLite database is seeded in a temp dir (the five
demo queues, N agents spread over them, ~200 customers), ``agent-desk serve --simulate RATE``
is started as a subprocess (own core, RSS readable) and N agents sign in from this process,
set themselves available and behave like agents: accept offers addressed to them, handle
the contact for a few seconds, hang up / close, wrap up. After a warm-up, every ``event``
frame received during ``--duration`` seconds is counted and its fan-out latency (receive wall
time minus the event's ``at``, the server's transaction time; same machine clock) recorded.

    .venv/bin/python bench/server_fanout.py --json                # full run
    .venv/bin/python bench/server_fanout.py --agents 50 --duration 5   # smoke run

Progress goes to stderr; with ``--json`` the last line of stdout is one flat JSON object
(times ``*_ms``, rates ``*_per_s``, memory ``*_mb``; per-N keys prefixed ``n{N}_``).
Bench-only shortcuts: passwords are hashed with scrypt log_n=4, everything is on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from agent_desk.protocol import messages as m
from agent_desk.protocol.codec import decode_server_frame

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"
MAX_FRAME = 16 * 1024 * 1024  # server frames are at most 16 MiB (protocol §1)
#: (name, required skills) of the demo queues; each agent joins exactly one of them.
QUEUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("General", ("lang:en",)),
    ("Billing", ("lang:en", "billing")),
    ("Technical", ("lang:en", "technical")),
    ("Chinese", ("lang:zh",)),
    ("VIP", ("vip",)),
)
LISTEN_RE = re.compile(r"listening on ws://127\.0\.0\.1:(\d+)")
_encode = msgspec.json.Encoder().encode


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---- seeding --------------------------------------------------------------------------------


def seed_database(db: Path, n_agents: int, n_queues: int = len(QUEUES),
                  n_customers: int = 200, seed: int = 11) -> None:
    """Schema, reference data, the demo queues, ``n_agents`` agents and customers."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from agent_desk.server.migrate import upgrade
    from agent_desk.server.models import Agent, Customer, CustomerIdentity, Queue
    from agent_desk.server.passwords import hash_password
    from agent_desk.server.reference import ensure_reference_data
    from agent_desk.server.store import Store

    store = Store(str(db))
    try:
        upgrade(store.engine)
        store.run_sync(ensure_reference_data)
        now = time.time()
        rng = random.Random(seed)

        def fill(s: Session) -> None:
            have = {q.name: q for q in s.execute(select(Queue)).scalars()}
            queues: list[Queue] = []
            for name, skills in QUEUES[:n_queues]:
                q = have.get(name)
                if q is None:
                    q = Queue(name=name, required_skills=list(skills),
                              channels=["phone", "email", "chat"])
                    s.add(q)
                else:  # the reference data's catch-all "General"
                    q.required_skills = list(skills)
                queues.append(q)
            s.flush()
            for i in range(n_agents):
                q = queues[i % len(queues)]
                a = Agent(username=f"bench{i:05d}", name=f"Bench Agent {i:05d}",
                          password_hash=hash_password(PASSWORD, log_n=4), role="agent",
                          active=True, skills=list(q.required_skills),
                          capacity={"phone": 1, "chat": 3, "email": 5}, presence="offline",
                          state="offline", state_since=now, idle_since=now)
                a.queues = [q]
                s.add(a)
            for i in range(n_customers):
                lang = "zh" if rng.random() < 0.25 else "en"
                r = rng.random()
                tier = "vip" if r < 0.1 else "gold" if r < 0.3 else "standard"
                name = f"客户{i:04d}" if lang == "zh" else f"Customer {i:04d}"
                c = Customer(name=name, language=lang, tier=tier, notes="",
                             created_at=now - rng.uniform(1, 900) * 86400)
                c.identities = [
                    CustomerIdentity(kind="phone", value=f"+1555{i:07d}"),
                    CustomerIdentity(kind="email", value=f"customer{i:04d}@example.com"),
                    CustomerIdentity(kind="chat", value=f"chat:visitor-{i:05d}"),
                ]
                s.add(c)
            s.flush()

        store.run_sync(fill)
    finally:
        store.close()


# ---- the server subprocess ------------------------------------------------------------------


class ServerProcess:
    def __init__(self, tmp: Path, db: Path, rate: float, launcher: str | None = None) -> None:
        self.tmp = tmp
        self.out_path = tmp / "server.stdout"
        self.err_path = tmp / "server.stderr"
        env = dict(os.environ, AGENT_DESK_DATA=str(tmp), PYTHONUNBUFFERED="1")
        # a launcher script (instrumentation, profiling) gets the same arguments
        entry = [str(Path(launcher).resolve())] if launcher else ["-m", "agent_desk"]
        cmd = [sys.executable, *entry, "serve", "--db", str(db),
               "--host", "127.0.0.1", "--port", "0", "--simulate", str(rate)]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid

    def wait_port(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = LISTEN_RE.search(self.out_path.read_text(errors="replace"))
            if found:
                return int(found.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n"
                                   + self.tail_stderr())
            time.sleep(0.05)
        raise RuntimeError("server did not report its port in time:\n" + self.tail_stderr())

    def tail_stderr(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.err_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log("server did not stop in 15 s: killing it")
                self.proc.kill()
                self.proc.wait(timeout=10)

    # /proc readings (Linux); None elsewhere
    def status_mb(self, field_name: str) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024.0
        except (OSError, ValueError, IndexError):
            return None
        return None

    def cpu_s(self) -> float | None:
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None


def log_problems(tmp: Path) -> tuple[int, int, list[str]]:
    """(warnings, errors, a summary) from the server's log files."""
    lines: list[str] = []
    for p in sorted(tmp.glob("server.log*"), reverse=True):
        with contextlib.suppress(OSError):
            lines += p.read_text(errors="replace").splitlines()
    warnings = errors = 0
    kinds: Counter[str] = Counter()
    first: dict[str, str] = {}
    for line in lines:
        parts = line.split(" ", 3)
        level = parts[2] if len(parts) > 3 else ""
        if level not in ("WARNING", "ERROR", "CRITICAL"):
            continue
        if level == "WARNING":
            warnings += 1
        else:
            errors += 1
        shape = re.sub(r"\d+", "#", parts[3])[:160]
        kinds[shape] += 1
        first.setdefault(shape, line)
    summary = [f"{n:6d} x {first[k]}" for k, n in kinds.most_common(25)]
    return warnings, errors, summary


# ---- clients --------------------------------------------------------------------------------


@dataclass
class Stats:
    events: int = 0
    measuring: bool = False
    latencies_ms: list[float] = field(default_factory=list)
    created: set[int] = field(default_factory=set)
    spread: dict[int, list[float]] = field(default_factory=dict)  # seq -> [first, last]
    acks_ok: int = 0
    acks_failed: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)
    reconnects: int = 0
    accepted: int = 0
    wrapped_up: int = 0
    pings_ms: list[float] = field(default_factory=list)
    lag_ms: list[float] = field(default_factory=list)
    gaps: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # change/kind -> ms

    def on_event(self, ev: m.Event, now: float) -> None:
        self.events += 1
        if not self.measuring:
            return
        ms = (now - ev.at.timestamp()) * 1000.0
        self.latencies_ms.append(ms)
        sp = self.spread.get(ev.seq)
        if sp is None:
            self.spread[ev.seq] = [now, now]
        else:
            sp[1] = now
        data = ev.data
        if type(data) is m.InteractionChanged:
            if data.change == "created":
                self.created.add(data.interaction.id)
            self.by_kind.setdefault(data.change, []).append(ms)
        else:
            self.by_kind.setdefault(type(data).__name__, []).append(ms)


class AgentClient:
    """One agent: signs in, goes available, accepts and completes what it is offered."""

    def __init__(self, index: int, url: str, stats: Stats, rng: random.Random,
                 handle_s: tuple[float, float], wrap_s: tuple[float, float]) -> None:
        self.index = index
        self.username = f"bench{index:05d}"
        self.url = url
        self.stats = stats
        self.rng = rng
        self.handle_s = handle_s
        self.wrap_s = wrap_s
        self.agent_id = 0
        self.last_seq = 0
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self.waiting: dict[str, asyncio.Future[Any]] = {}
        self.ids = itertools.count(1)
        self.stopping = False
        self.working: set[int] = set()

    async def start(self, resume: bool = False) -> None:
        ws = await connect(self.url, compression=None, max_size=MAX_FRAME, open_timeout=120,
                           ping_interval=None, close_timeout=5)
        self.ws = ws
        login: dict[str, Any] = {"type": "login", "id": "login", "username": self.username,
                                 "password": PASSWORD, "client": "bench"}
        if resume:
            login["resume_from"] = self.last_seq
        await ws.send(_encode(login).decode())
        welcome = decode_server_frame(await asyncio.wait_for(ws.recv(), 120))
        if not isinstance(welcome, m.Welcome):
            raise RuntimeError(f"{self.username}: expected welcome, got {welcome!r}"[:300])
        self.agent_id = welcome.agent.id
        while True:  # snapshot, or replayed events up to replay_done
            frame = decode_server_frame(await asyncio.wait_for(ws.recv(), 120))
            if isinstance(frame, m.Snapshot):
                self.last_seq = frame.seq
                break
            if isinstance(frame, m.ReplayDone):
                self.last_seq = frame.seq
                break
            if isinstance(frame, m.Event):
                self.last_seq = frame.seq
        self.reader = asyncio.create_task(self._read(ws), name=f"read-{self.username}")

    async def _read(self, ws: ClientConnection) -> None:
        stats = self.stats
        try:
            async for raw in ws:
                now = time.time()
                frame = decode_server_frame(raw)
                if type(frame) is m.Event:
                    stats.on_event(frame, now)
                    if frame.prev != self.last_seq and frame.seq > self.last_seq:
                        stats.gaps += 1
                    self.last_seq = max(self.last_seq, frame.seq)
                    self._react(frame.data)
                elif type(frame) is m.Ack or type(frame) is m.Pong:
                    fut = self.waiting.pop(frame.re or "", None)
                    if fut is not None and not fut.done():
                        fut.set_result(frame)
                elif type(frame) is m.Error:
                    stats.closes[f"error:{frame.code}"] += 1
        except ConnectionClosed as exc:
            if self.stopping:
                return
            code = exc.rcvd.code if exc.rcvd is not None else 1006
            stats.closes[str(code)] += 1
            for fut in self.waiting.values():
                if not fut.done():
                    fut.set_exception(ConnectionError(f"closed {code}"))
            self.waiting.clear()
            if code in (1001, 4001, 4003, 4009, 4029):
                return
            self._spawn(self._reconnect())

    async def _reconnect(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5))
        if self.stopping:
            return
        try:
            await self.start(resume=True)
            self.stats.reconnects += 1
        except (OSError, ConnectionClosed, TimeoutError, RuntimeError) as exc:
            self.stats.closes[f"reconnect_failed:{type(exc).__name__}"] += 1

    def _react(self, data: m.EventData) -> None:
        if type(data) is m.InteractionChanged:
            inter = data.interaction
            if (data.change in ("offered", "transferred", "reassigned")
                    and inter.state == "offered" and inter.offered_agent_id == self.agent_id
                    and inter.id not in self.working):
                self.working.add(inter.id)
                self._spawn(self._work(inter.id, str(inter.channel)))
        elif type(data) is m.AgentChanged:
            a = data.agent
            if a.id == self.agent_id and a.state in ("away", "offline") and not self.stopping:
                self._spawn(self.command("set_state", state="available"))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.stats.acks_failed[f"client:{type(task.exception()).__name__}"] += 1

    async def command(self, ftype: str, **fields: Any) -> bool:
        ack = await self.request({"type": ftype, "key": str(uuid.uuid4()), **fields})
        assert isinstance(ack, m.Ack)
        if ack.ok:
            self.stats.acks_ok += 1
        else:
            code = ack.error.code if ack.error else "?"
            self.stats.acks_failed[f"{ftype}:{code}"] += 1
        return ack.ok

    async def request(self, frame: dict[str, Any], timeout: float = 60.0) -> m.ServerFrame:
        ws = self.ws
        if ws is None:
            raise ConnectionError("not connected")
        fid = f"c{next(self.ids)}"
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting[fid] = fut
        try:
            await ws.send(_encode({**frame, "id": fid}).decode())
            result: m.ServerFrame = await asyncio.wait_for(fut, timeout)
            return result
        finally:
            self.waiting.pop(fid, None)

    async def _work(self, iid: int, channel: str) -> None:
        try:
            if not await self.command("accept", interaction_id=iid):
                return
            self.stats.accepted += 1
            await asyncio.sleep(self.rng.uniform(*self.handle_s))
            end = "hang_up" if channel == "phone" else "close"
            if not await self.command(end, interaction_id=iid):
                return
            await asyncio.sleep(self.rng.uniform(*self.wrap_s))
            if await self.command("wrap_up", interaction_id=iid, disposition="resolved"):
                self.stats.wrapped_up += 1
        finally:
            self.working.discard(iid)

    async def ping_loop(self, interval: float) -> None:
        """Application-level ping: server responsiveness without the store."""
        while not self.stopping:
            await asyncio.sleep(interval)
            t0 = time.perf_counter()
            try:
                pong = await self.request({"type": "ping"}, timeout=30)
            except (ConnectionError, ConnectionClosed, TimeoutError):
                continue
            if type(pong) is m.Pong and self.stats.measuring:
                self.stats.pings_ms.append((time.perf_counter() - t0) * 1000.0)

    async def close(self) -> None:
        self.stopping = True
        for t in list(self.tasks):
            t.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader


async def lag_monitor(stats: Stats, interval: float = 0.05) -> None:
    """How late this (client) event loop wakes up: client-side share of the latency."""
    loop = asyncio.get_running_loop()
    while True:
        t0 = loop.time()
        await asyncio.sleep(interval)
        if stats.measuring:
            stats.lag_ms.append((loop.time() - t0 - interval) * 1000.0)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100.0 * (len(s) - 1))))
    return s[k]


async def in_batches(items: list[AgentClient], size: int,
                     fn: Callable[[AgentClient], Any]) -> list[BaseException]:
    failures: list[BaseException] = []
    for i in range(0, len(items), size):
        res = await asyncio.gather(*(fn(c) for c in items[i:i + size]), return_exceptions=True)
        failures += [r for r in res if isinstance(r, BaseException)]
    return failures


async def run_clients(args: argparse.Namespace, n: int, port: int,
                      server: ServerProcess) -> dict[str, float]:
    url = f"ws://127.0.0.1:{port}/"
    stats = Stats()
    rng = random.Random(args.seed)
    clients = [AgentClient(i, url, stats, random.Random(rng.random()),
                           (args.handle_min, args.handle_max), (0.5, 1.5)) for i in range(n)]
    out: dict[str, float] = {}
    lag = asyncio.create_task(lag_monitor(stats))
    pinger: asyncio.Task[None] | None = None
    try:
        t0 = time.perf_counter()
        failed = await in_batches(clients, args.batch, lambda c: c.start())
        out["connect_all_ms"] = (time.perf_counter() - t0) * 1000.0
        if failed:
            log(f"{len(failed)} of {n} connections failed, e.g. {failed[0]!r}")
        out["connect_failed"] = len(failed)
        live = [c for c in clients if c.reader is not None]
        log(f"N={n}: {len(live)} signed in in {out['connect_all_ms'] / 1000:.1f} s")
        t1 = time.perf_counter()
        await in_batches(live, args.batch, lambda c: c.command("set_state", state="available"))
        out["available_all_ms"] = (time.perf_counter() - t1) * 1000.0
        log(f"N={n}: all available in {out['available_all_ms'] / 1000:.1f} s; "
            f"warming up {args.warmup:.0f} s")
        gc.collect()
        gc.freeze()  # keep this process's GC pauses out of the measured latency
        if live:
            pinger = asyncio.create_task(live[0].ping_loop(0.2))
        await asyncio.sleep(args.warmup)
        if not server.alive():
            raise RuntimeError("server died:\n" + server.tail_stderr())

        cpu0, wall0 = server.cpu_s(), time.perf_counter()
        ccpu0 = time.process_time()
        stats.measuring = True
        per_second: list[int] = []
        last = stats.events
        for sec in range(int(args.duration)):
            await asyncio.sleep(1.0)
            per_second.append(stats.events - last)
            last = stats.events
            if sec % 5 == 4:
                log(f"N={n}: {sec + 1}/{int(args.duration)} s, {per_second[-1]} events/s, "
                    f"p99 so far {pct(stats.latencies_ms, 99):.1f} ms")
        stats.measuring = False
        wall = time.perf_counter() - wall0
        cpu1, ccpu1 = server.cpu_s(), time.process_time()

        lat = stats.latencies_ms
        out["events_per_s"] = statistics.median(per_second) if per_second else 0.0
        out["events_mean_per_s"] = sum(per_second) / wall
        out["events_per_agent_per_s"] = out["events_mean_per_s"] / max(1, len(live))
        out["fanout_p50_ms"] = pct(lat, 50)
        out["fanout_p99_ms"] = pct(lat, 99)
        out["fanout_max_ms"] = max(lat) if lat else float("nan")
        spreads = [(b - a) * 1000.0 for a, b in stats.spread.values()]
        out["spread_p99_ms"] = pct(spreads, 99)  # first → last recipient of one event
        out["fanout_samples"] = len(lat)
        out["contacts_per_s"] = len(stats.created) / wall
        out["ping_p99_ms"] = pct(stats.pings_ms, 99)
        out["client_lag_p99_ms"] = pct(stats.lag_ms, 99)
        out["client_cpu_pct"] = (ccpu1 - ccpu0) / wall * 100.0
        if cpu0 is not None and cpu1 is not None:
            out["server_cpu_pct"] = (cpu1 - cpu0) / wall * 100.0
        rss, hwm = server.status_mb("VmRSS"), server.status_mb("VmHWM")
        if rss is not None:
            out["server_rss_mb"] = rss
        if hwm is not None:
            out["server_peak_rss_mb"] = hwm
        out["accepted"] = stats.accepted
        out["wrapped_up"] = stats.wrapped_up
        out["acks_failed"] = sum(stats.acks_failed.values())
        out["closes"] = sum(stats.closes.values())
        out["reconnects"] = stats.reconnects
        out["seq_gaps"] = stats.gaps
        kinds = sorted(stats.by_kind.items(), key=lambda kv: -len(kv[1]))
        log(f"N={n}: fan-out by event (count p50/p99 ms): " + ", ".join(
            f"{k} {len(v)} {pct(v, 50):.0f}/{pct(v, 99):.0f}" for k, v in kinds))
        if stats.acks_failed:
            log(f"N={n}: failed acks: {dict(stats.acks_failed.most_common(8))}")
        if stats.closes:
            log(f"N={n}: closes/errors: {dict(stats.closes.most_common(8))}")
        return out
    finally:
        gc.unfreeze()
        stats.measuring = False
        lag.cancel()
        if pinger is not None:
            pinger.cancel()
        await in_batches(clients, 200, lambda c: c.close())


# ---- driver ---------------------------------------------------------------------------------


@contextlib.contextmanager
def temp_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="agent-desk-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_one(args: argparse.Namespace, n: int) -> dict[str, float]:
    with temp_dir() as tmp:
        db = tmp / "bench.db"
        t0 = time.perf_counter()
        seed_database(db, n, args.queues)
        log(f"N={n}: seeded {db} in {time.perf_counter() - t0:.1f} s; starting the server")
        server = ServerProcess(tmp, db, args.rate, args.server_launcher)
        try:
            port = server.wait_port()
            log(f"N={n}: server pid {server.pid} on port {port}")
            cap = args.connect_timeout + args.warmup + args.duration + 60
            res = asyncio.run(asyncio.wait_for(run_clients(args, n, port, server), cap))
        finally:
            server.stop()
            warnings, errors, summary = log_problems(tmp)
            if summary:
                log(f"N={n}: server log: {warnings} warnings, {errors} errors:")
                for line in summary:
                    print("    " + line, file=sys.stderr)
            if server.proc.returncode not in (0, None):
                log(f"N={n}: server exit code {server.proc.returncode}:\n"
                    + server.tail_stderr())
        res["server_warnings"] = warnings
        res["server_errors"] = errors
        return res


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--agents", default="200,1000",
                   help="comma-separated connection counts, one fresh server each")
    p.add_argument("--duration", type=float, default=20.0, help="measured seconds per N")
    p.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring")
    p.add_argument("--rate", type=float, default=240.0,
                   help="simulated contacts per minute (240/min ~ a 1000-seat center)")
    p.add_argument("--queues", type=int, default=5, choices=range(1, len(QUEUES) + 1),
                   metavar="1-5", help="how many of the five demo queues agents are spread over")
    p.add_argument("--batch", type=int, default=50, help="connections signed in concurrently")
    p.add_argument("--handle-min", type=float, default=2.0, help="handle time lower bound, s")
    p.add_argument("--handle-max", type=float, default=6.0, help="handle time upper bound, s")
    p.add_argument("--connect-timeout", type=float, default=600.0,
                   help="upper bound for signing in all agents, s")
    p.add_argument("--server-launcher", default=None, metavar="SCRIPT",
                   help="run the server as `python SCRIPT serve ...` instead of "
                        "`python -m agent_desk serve ...` (to instrument or profile it)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print one JSON object as last line")
    args = p.parse_args(argv)
    args.counts = [int(x) for x in args.agents.split(",") if x.strip()]
    if not args.counts or any(c < 1 or c > 5000 for c in args.counts):
        p.error("--agents needs counts between 1 and 5000")
    if args.duration < 1 or args.duration > 600 or args.warmup < 0 or args.warmup > 120:
        p.error("--duration must be 1..600 s and --warmup 0..120 s")
    return args


def table(result: dict[str, float], counts: list[int]) -> str:
    names: list[str] = []
    for key in result:
        for n in counts:
            prefix = f"n{n}_"
            if key.startswith(prefix) and key[len(prefix):] not in names:
                names.append(key[len(prefix):])
    width = max(len(x) for x in names) if names else 10
    lines = [f"{'':<{width}}" + "".join(f"{'N=' + str(n):>14}" for n in counts)]
    for name in names:
        cells = []
        for n in counts:
            v = result.get(f"n{n}_{name}")
            cells.append(f"{'-':>14}" if v is None else f"{v:>14.1f}")
        lines.append(f"{name:<{width}}" + "".join(cells))
    lines += [f"{k}: {v}" for k, v in result.items() if not k.startswith("n")]
    return "\n".join(lines)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwind: the finally blocks stop the server, clean up


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    result: dict[str, float] = {"bench_cpu_count": float(os.cpu_count() or 0),
                                "rate_per_min": args.rate, "duration_s": args.duration}
    for n in args.counts:
        log(f"--- N={n} agents, {args.rate:g} contacts/min, {args.duration:g} s measured")
        res = run_one(args, n)
        for k, v in res.items():
            result[f"n{n}_{k}"] = round(v, 2) if isinstance(v, float) else v
    result["bench_wall_ms"] = round((time.perf_counter() - started) * 1000.0)
    if args.json:
        print(table(result, args.counts), file=sys.stderr)
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in result.items()}
        print(json.dumps(clean, allow_nan=False))
    else:
        print(table(result, args.counts))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
