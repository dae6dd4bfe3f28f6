"""The backend side of ``bench/workspace.py``: a real ``agent_desk.server.app.Server`` on
127.0.0.1 (a SQLite file, the real clock and ticker) with a small known population, the
raw 20 MB email, and the operations the benchmark drives through the server's
``ContactSink`` (an email as raw MIME, a new contact, a chat flood).

The server runs either in a thread of the benchmark's process (``ServerThread``, as the
UI tests and ``agent-desk demo`` run it) or in a child process (``ServerProcess``: this
file run as ``python bench/_workspace_support.py serve ...``, one JSON request per line
on stdin, one JSON answer per line on stdout), so the client's figures (event-loop
lateness, memory) are not shared with the server. No Qt here.

Population (password = username + "-pw"): queues General [lang:en], Billing [lang:en,
billing], Chinese [lang:zh]; agents ann, bob (General, Billing), li (Chinese), lead;
customers Carol Smith (standard), Victor Vip (vip, with ``history`` closed interactions on
every channel over two years, with surveys, and a few orders) and 王芳 (gold)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import os
import random
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future as CFuture
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy.orm import Session  # noqa: E402

from agent_desk.server.app import Server, ServerConfig  # noqa: E402
from agent_desk.server.connectors import InboundContact  # noqa: E402
from agent_desk.server.models import (  # noqa: E402
    Agent,
    Customer,
    CustomerIdentity,
    Interaction,
    Order,
    Queue,
    Survey,
)
from agent_desk.server.passwords import hash_password  # noqa: E402
from agent_desk.server.sla import fallback_targets  # noqa: E402
from agent_desk.server.surveys import METHODS  # noqa: E402

T = TypeVar("T")
DAY = 86400.0
QUEUES = {"General": ["lang:en"], "Billing": ["lang:en", "billing"], "Chinese": ["lang:zh"]}
AGENTS = [  # username, name, role, skills, queues
    ("ann", "Ann Lee", "agent", ["lang:en"], ["General", "Billing"]),
    ("bob", "Bob Martin", "agent", ["lang:en", "billing"], ["General", "Billing"]),
    ("li", "Li Wei", "agent", ["lang:zh", "lang:en"], ["Chinese"]),
    ("lead", "Lead Liu", "lead", ["lang:en", "lang:zh", "billing"],
     ["General", "Billing", "Chinese"]),
]
CUSTOMERS = {  # key: name, language, tier, phone, email, chat
    "carol": ("Carol Smith", "en", "standard", "+15550001", "carol@example.com", "chat:carol"),
    "victor": ("Victor Vip", "en", "vip", "+15550002", "victor@example.com", "chat:victor"),
    "wang": ("王芳", "zh", "gold", "+8613800000003", "wangfang@example.cn", "chat:wang"),
}
SUBJECTS = ["Refund for order {n}", "Parcel {n} has not arrived", "Invoice {n}: wrong VAT number",
            "Cannot sign in to my account", "Change the delivery address of order {n}",
            "Blender {n} stopped working", "Cancel my subscription", "Damaged item in order {n}",
            "Question about the warranty", "Payment declined twice"]
DISPOSITIONS = ["resolved", "refund_issued", "replacement_sent", "info_provided", "escalated",
                "callback_scheduled", "no_response", "complaint_logged"]
FLOOD_LINES = ["hello?", "are you there", "I have been waiting for 20 minutes",
               "order 88412 still not here", "the tracking page says delivered but it is not",
               "please answer", "this is ridiculous", "I want a refund now",
               "can I talk to a manager", "ok I am still here", "???",
               "我的订单还没有到", "sending you the photo again"]
log = logging.getLogger("bench.workspace.server")


class BackendError(RuntimeError):
    """The backend could not start or an operation failed (one-line reason)."""


# ---- the population ---------------------------------------------------------------------------


def populate(s: Session, now: float, history: int, seed: int = 11) -> dict[str, int]:
    """Queues, agents, customers and Victor's history; returns customer ids by key."""
    existing = {q.name: q for q in s.query(Queue)}
    queues = {name: existing.get(name) or Queue(name=name) for name in QUEUES}
    for name, q in queues.items():
        q.required_skills = QUEUES[name]
    s.add_all(queues.values())
    agents = {}
    for username, name, role, skills, qnames in AGENTS:
        a = Agent(username=username, name=name, role=role, skills=skills,
                  password_hash=hash_password(f"{username}-pw", log_n=4),
                  queues=[queues[q] for q in qnames], state_since=now, idle_since=now)
        s.add(a)
        agents[username] = a
    customers = {}
    for key, (name, lang, tier, phone, email, chat) in CUSTOMERS.items():
        c = Customer(name=name, language=lang, tier=tier, created_at=now - 800 * DAY,
                     notes="Prefers email. Long-time customer." if key == "victor" else "")
        c.identities = [CustomerIdentity(kind="phone", value=phone),
                        CustomerIdentity(kind="email", value=email),
                        CustomerIdentity(kind="chat", value=chat)]
        s.add(c)
        customers[key] = c
    s.flush()
    victor = customers["victor"]
    rng = random.Random(seed)
    for n in range(6):
        s.add(Order(customer_id=victor.id, number=f"VIP-{40000 + n}",
                    placed_at=now - rng.uniform(1, 700) * DAY,
                    status=rng.choice(["delivered", "shipped", "returned", "processing"]),
                    total=f"{rng.uniform(20, 900):.2f}", currency="EUR",
                    items="Blender Pro 9000; spare jug"))
    add_history(s, victor, list(agents.values()), queues, now, history, rng)
    return {key: c.id for key, c in customers.items()}


def add_history(s: Session, c: Customer, agents: list[Agent], queues: dict[str, Queue],
                now: float, n: int, rng: random.Random) -> None:
    """``n`` closed (a few abandoned) interactions of ``c`` over two years, on every
    channel, with dispositions and (about 60 %) answered surveys."""
    handlers = [a for a in agents if a.username in ("ann", "bob", "lead")]
    rows: list[tuple[Interaction, Agent | None]] = []
    for k in range(n):
        start = now - (k + 1) * (730 * DAY / max(1, n)) - rng.uniform(0, 3600)
        channel = rng.choices(("phone", "email", "chat"), weights=(4, 3, 3))[0]
        priority = rng.choices(("normal", "high", "low", "urgent"), weights=(75, 14, 8, 3))[0]
        targets = fallback_targets(channel, priority, c.tier)
        abandoned = channel != "email" and rng.random() < 0.05
        agent = None if abandoned else rng.choice(handlers)
        answered = start + rng.uniform(5, 300)
        closed = answered + rng.uniform(120, 3000)
        subject = rng.choice(SUBJECTS).format(n=rng.randint(10000, 99999))
        inter = Interaction(
            channel=channel, customer_id=c.id, queue_id=queues[rng.choice(
                ["General", "Billing"])].id, subject=subject, preview=subject[:200],
            priority=priority, created_at=start, queued_at=start + 1, declined_by=[],
            ivr_data={"menu": "orders"} if channel == "phone" else {},
            first_response_due_at=start + targets.first_response_s,
            resolution_due_at=start + targets.resolution_s,
            state="abandoned" if abandoned else "closed", closed_at=closed,
            external_ref=f"<hist-{k}@customer.example>" if channel == "email" else None)
        if agent is not None:
            inter.assigned_agent_id = agent.id
            inter.answered_at = answered
            inter.first_response_at = answered + rng.uniform(1, 60)
            inter.wrap_up_at = closed - rng.uniform(10, 100)
            inter.disposition = rng.choice(DISPOSITIONS)
            inter.resolved_first_contact = rng.random() < 0.7
        s.add(inter)
        rows.append((inter, agent))
    s.flush()
    for inter, agent in rows:
        if agent is None or inter.closed_at is None:
            continue
        survey = Survey(interaction_id=inter.id, customer_id=c.id, agent_id=agent.id,
                        channel=inter.channel, method=str(METHODS[inter.channel]),
                        sent_at=inter.closed_at, comment="")
        if rng.random() < 0.6:
            survey.csat = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 4, 5))[0]
            survey.nps = rng.randint(0, 10) if rng.random() < 0.7 else None
            survey.ces = rng.randint(1, 7) if rng.random() < 0.5 else None
            survey.answered_at = inter.closed_at + rng.uniform(300, 2 * DAY)
            inter.csat = survey.csat
        s.add(survey)


# ---- the big email ----------------------------------------------------------------------------


def tiny_png(width: int = 120, height: int = 40) -> bytes:
    """A valid RGB PNG (a gradient), made without Qt or PIL."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 2 % 256, y * 6 % 256, 160))
                                        for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def newsletter_html(rng: random.Random, chars: int) -> str:
    """Customer HTML of about ``chars`` characters, shaped like real mail: a table layout,
    styled spans, links (some whose text shows another host), remote tracking images
    (replaced by a placeholder when shown), the inline logo (cid:), a script and a style
    sheet (dropped by the sanitiser)."""
    out = ['<html><head><meta charset="utf-8"><style>p { color: #333 } .x { display:none }'
           '</style><script>document.location="https://evil.example/"</script></head>'
           '<body style="font-family: Arial; color: #222">',
           '<p><img src="cid:logo@shop.example" alt="Shop logo" width="120" height="40"></p>',
           '<table width="100%" cellpadding="4" border="0">']
    size = sum(map(len, out))
    k = 0
    while size < chars:
        k += 1
        order = rng.randint(10000, 99999)
        pick = rng.random()
        if pick < 0.45:
            block = (f'<tr><td valign="top" width="30%"><b>Order {order}</b><br>'
                     f'<span style="color: #777; font-size: 11px">{k} March 2026</span></td>'
                     f'<td><p>Dear customer, your parcel <i>#{order}</i> was handed to the '
                     f'carrier. <a href="https://shop.example/track/{order}?utm_source=mail">'
                     f'Track it here</a> or reply to this message. We are sorry for the '
                     f'delay; the warehouse in Leipzig had a backlog of {k} parcels.</p>'
                     f'</td></tr>')
        elif pick < 0.6:
            block = (f'<tr><td colspan="2"><p>Pay the open invoice at '
                     f'<a href="https://pay.evil.example/{order}">https://bank.example/pay'
                     f'</a> before Friday.</p><img src="https://tracker.example/open.gif?u='
                     f'{order}&amp;m={k}" width="1" height="1"></td></tr>')
        elif pick < 0.8:
            cells = "".join(f"<td>{rng.choice(['Blender', 'Jug', 'Lid', 'Blade'])} "
                            f"{rng.randint(1, 9)}</td><td align=\"right\">"
                            f"{rng.uniform(5, 300):.2f} EUR</td>" for _ in range(3))
            block = f'<tr bgcolor="#f6f6f6">{cells}</tr>'
        else:
            block = ('<tr><td colspan="2"><div><div><blockquote style="border-left: 2px solid '
                     '#ccc">&gt; On Monday you wrote: the blender makes a loud noise and '
                     f'smells of burnt plastic (order {order}). &lt;3 &amp; thanks</blockquote>'
                     '</div></div><p onclick="steal()">Kind regards,<br>Carol</p></td></tr>')
        out.append(block)
        size += len(block)
    out.append("</table><p>Unsubscribe: <a href=\"mailto:unsubscribe@shop.example\">here</a>"
               "</p></body></html>")
    return "".join(out)


def build_email(total_bytes: int, *, seed: int = 5, message_id: str = "<big-0000@customer.example>"
                ) -> tuple[bytes, str]:
    """A raw RFC 5322 message of about ``total_bytes``: a ~300,000 character text part, a
    ~1.5 MB HTML part with an inline PNG (cid:), and three base64 attachments that fill
    the rest. Returns (raw, the HTML part)."""
    rng = random.Random(seed)
    text = "".join(f"Line {n} of the customer's long story about order 88412 and the "
                   f"blender that broke on day {n % 30 + 1}.\n" for n in range(3_400))
    html = newsletter_html(rng, 1_500_000)

    def make(files: list[tuple[str, str, bytes]]) -> bytes:
        msg = EmailMessage()
        msg["From"] = "Carol Smith <carol@example.com>"
        msg["To"] = "support@agentdesk.example, Dave <dave@example.com>"
        msg["Cc"] = "eve@example.com"
        msg["Subject"] = "Broken blender, photos and invoices attached"
        msg["Message-ID"] = message_id
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        html_part = msg.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(tiny_png(), "image", "png", cid="<logo@shop.example>")
        for name, ctype, data in files:
            main, sub = ctype.split("/")
            msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
        return msg.as_bytes()

    names = [("invoice-scan.pdf", "application/pdf"), ("photo-damage.jpg", "image/jpeg"),
             ("device-logs.zip", "application/zip")]
    small = make([(n, t, b"x") for n, t in names])
    room = max(0, total_bytes - len(small))
    each = int(room * 3 / 4 * 76 / 77 / len(names))  # base64: 4/3, plus a newline per 76
    files = [(n, t, rng.randbytes(each)) for n, t in names]
    return make(files), html


# ---- operations run on the server's loop -----------------------------------------------------


async def op_inbound_email(server: Server, path: str) -> dict[str, Any]:
    """The raw message at ``path`` through ``inbound_contact`` (read before timing)."""
    raw = Path(path).read_bytes()
    t0 = time.perf_counter()
    iid = await server.inbound_contact(InboundContact(
        channel="email", identity_kind="email", identity="", queue="General", raw_mime=raw))
    t1 = time.perf_counter()
    return {"id": iid, "ms": (t1 - t0) * 1000, "t0": t0, "bytes": len(raw)}


async def op_contact(server: Server, channel: str, who: str, subject: str = "",
                     body: str = "", queue: str = "General") -> dict[str, Any]:
    name, _lang, _tier, phone, email, chat = CUSTOMERS[who]
    ident = {"phone": phone, "email": email, "chat": chat}[channel]
    t0 = time.perf_counter()
    iid = await server.inbound_contact(InboundContact(
        channel=channel, identity_kind=channel, identity=ident, customer_name=name,
        queue=queue, subject=subject, body="" if channel == "phone" else body,
        external_ref=f"<{time.time_ns()}@customer.example>" if channel == "email" else None))
    return {"id": iid, "ms": (time.perf_counter() - t0) * 1000}


async def op_flood(server: Server, iid: int, rate: float, seconds: float, base: int = 0
                   ) -> dict[str, Any]:
    """``rate`` customer messages per second for ``seconds`` into chat ``iid`` through the
    ``customer_message`` sink, open loop (each call starts at its due time, whether or not
    the previous one finished). Message k's text ends with ``#<base + k>``. Returns the
    perf_counter time each call started and how long each took."""
    n = int(round(rate * seconds))
    sent = [0.0] * n
    took = [0.0] * n
    rng = random.Random(base)

    async def one(k: int, t: float) -> None:
        await server.customer_message(iid, f"{rng.choice(FLOOD_LINES)} #{base + k}")
        took[k] = (time.perf_counter() - t) * 1000

    tasks = []
    start = time.perf_counter() + 0.02
    for k in range(n):
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t = time.perf_counter()
        sent[k] = t
        tasks.append(asyncio.ensure_future(one(k, t)))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    return {"sent": sent, "took_ms": took, "errors": errors[:5], "failed": len(errors),
            "wall_s": time.perf_counter() - start}


@functools.lru_cache(maxsize=1)
def _email(total_bytes: int) -> tuple[bytes, str]:
    return build_email(total_bytes)


async def op_write_email(server: Server, path: str, html_path: str, total_bytes: int,
                         run: int) -> dict[str, Any]:
    """Write the big email (its own Message-ID per ``run``) and its HTML part to files:
    built here, so the client's process never holds the raw message (not timed)."""
    def work() -> dict[str, Any]:
        raw, html = _email(total_bytes)
        data = raw.replace(b"<big-0000@", f"<big-{run:04d}@".encode(), 1)
        Path(path).write_bytes(data)
        Path(html_path).write_text(html, encoding="utf-8")
        return {"bytes": len(data), "html_chars": len(html)}
    return await asyncio.to_thread(work)


async def op_rss(server: Server) -> dict[str, Any]:
    return {"rss_mb": rss_mb(), "peak_mb": rss_mb("VmHWM:")}


OPS: dict[str, Callable[..., Coroutine[Any, Any, dict[str, Any]]]] = {
    "inbound_email": op_inbound_email, "contact": op_contact, "flood": op_flood,
    "rss": op_rss, "write_email": op_write_email,
}


def rss_mb(field: str = "VmRSS:") -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale / 1024


# ---- the server in a thread --------------------------------------------------------------------


class ServerThread:
    """The backend in a thread with its own asyncio loop (real clock, the ticker on)."""

    mode = "thread"

    def __init__(self, db: str, history: int) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bench-server",
                                        daemon=True)
        self._thread.start()
        self.server: Server | None = None
        self.customers: dict[str, int] = {}
        try:
            self.call(self._build(db, history), timeout=120)
        except Exception as exc:
            self.close()
            raise BackendError(f"the server did not start: {type(exc).__name__}: {exc}"
                               ) from exc

    async def _build(self, db: str, history: int) -> None:
        server = Server(db, config=ServerConfig())
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, server.prepare)
        now = time.time()
        self.customers = await loop.run_in_executor(
            None, lambda: server.store.run_sync(lambda s: populate(s, now, history)))
        await server.start("127.0.0.1", 0)
        self.server = server

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def call(self, coro: Awaitable[T], timeout: float = 120) -> T:
        fut: CFuture[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        return fut.result(timeout)

    def run_here(self, op: str, **kw: Any) -> Coroutine[Any, Any, dict[str, Any]]:
        """Operation ``op`` as a coroutine for the server's loop."""
        assert self.server is not None
        return OPS[op](self.server, **kw)

    async def run(self, op: str, **kw: Any) -> dict[str, Any]:
        """Run operation ``op`` on the server's loop (awaited from another loop)."""
        fut = asyncio.run_coroutine_threadsafe(self.run_here(op, **kw), self.loop)
        return await asyncio.wrap_future(fut)

    def close(self) -> None:
        if self.server is not None:
            try:
                self.call(self.server.stop(), timeout=20)
            except Exception as exc:  # noqa: BLE001 - stopping anyway
                log.warning("server stop: %s", exc)
            self.server = None
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
        if not self.loop.is_running():
            self.loop.close()


# ---- the server in a child process -------------------------------------------------------------


class ServerProcess:
    """The backend in a child process (this file, ``serve``); requests over its stdin."""

    mode = "process"

    def __init__(self, db: str, history: int, log_path: Path) -> None:
        self.log_path = log_path
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-backend")
        self._log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        env = dict(os.environ, PYTHONPATH=str(REPO))
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve", "--db", db,
             "--history", str(history)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True, encoding="utf-8", bufsize=1, cwd=REPO, env=env)
        try:
            ready = self._readline(timeout=120)
            if "error" in ready:
                raise BackendError(ready["error"])
        except BaseException:
            self.close()
            raise
        self.port = int(ready["port"])
        self.customers: dict[str, int] = ready["customers"]

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _tail(self) -> str:
        try:
            self._log.flush()
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
        except OSError:
            return ""

    def _readline(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()),  # type: ignore[union-attr]
                                  daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            raise BackendError(f"the server process did not answer in {timeout:.0f} s; "
                               f"its log ends:\n{self._tail()}")
        if not box or not box[0]:
            raise BackendError(f"the server process ended (exit code {self.proc.poll()}); "
                               f"its log ends:\n{self._tail()}")
        return dict(json.loads(box[0]))

    def request(self, op: str, timeout: float = 180, **kw: Any) -> dict[str, Any]:
        with self._lock:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise BackendError(f"the server process is gone ({exc}); its log ends:\n"
                                   f"{self._tail()}") from exc
            answer = self._readline(timeout)
        if "error" in answer:
            raise BackendError(f"{op} failed in the server: {answer['error']}")
        return answer

    async def run(self, op: str, **kw: Any) -> dict[str, Any]:
        """``request`` on a thread of our own (the client's default executor stays free)."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, lambda: self.request(op, **kw))

    def close(self) -> None:
        proc = self.proc
        if proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.close()  # the child stops its server and exits on end of input
            except OSError:
                pass
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                log.warning("server process %d did not stop in 20 s: killing it", proc.pid)
                proc.kill()
                proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        self._pool.shutdown(wait=False)
        self._log.close()


def serve(db: str, history: int) -> int:
    """The child process: start the server, answer requests until stdin ends."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        st = ServerThread(db, history)
    except BackendError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    print(json.dumps({"port": st.port, "customers": st.customers, "pid": os.getpid()}),
          flush=True)
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                op = req.pop("op")
                answer = st.call(st.run_here(op, **req), timeout=300)
            except Exception as exc:  # noqa: BLE001 - reported to the parent
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(answer), flush=True)
    finally:
        st.close()
    return 0


def make_backend(mode: str, db: str, history: int, log_path: Path) -> ServerThread | ServerProcess:
    if mode == "thread":
        return ServerThread(db, history)
    return ServerProcess(db, history, log_path)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="bench/workspace.py's server process")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve")
    sp.add_argument("--db", required=True)
    sp.add_argument("--history", type=int, default=200)
    a = ap.parse_args()
    raise SystemExit(serve(a.db, a.history))
