"""Knowledge base in the real client (issue 5): search-as-you-type in the KB panel and
suggested replies for a new customer message, as the agent experiences them, against the
real backend.

Set-up: a local knowledge base of ``--articles`` (100,000) generated articles — the
generator and import path of ``bench/kb_search.py`` (seed 5), plus a team's templates and
reply examples (``bench/kb_suggest.seed_templates``) — built once into a temp dir or into
``--db PATH`` (kept, and reused by the next run with the same ``--db``), then copied to the
account's local KB file (``agent_desk.ui.paths.kb_file(url, "ann")``, the data folder in a
temp dir) **before** sign-in, as if a sync had brought it. (The build runs in a child
process, so the client's memory figures are the client's.) The backend is the one of
``bench/workspace.py`` (``bench/_workspace_support.py``: a child process by default, with one
extra operation, ``say``: one customer message through the server's ``customer_message``
sink; its own KB is empty, so the sign-in sync changes nothing). The client is the real
app offscreen (``ClientApp`` on qasync with the app's main-thread GC), signed in as ``ann``
through the sign-in dialog; a chat of Carol (English) is accepted and open.

1. **Search as you type** (the Knowledge tab, opened with the window's Ctrl+4 action): each
   of the queries (English and Chinese, realistic agent searches, a synonym and a typo
   among them) is typed into ``win.kb.search`` over the previous one (select-all, then
   typing replaces it): English with ``QTest.keyClicks`` one key every ``--key-ms`` (80 ms,
   a fast typist), Chinese as an input method commits it, one character every
   ``--commit-ms`` (250 ms: a few pinyin keys per character), with a
   ``QInputMethodEvent`` commit string. Keys are sent on schedule (open loop) whether or
   not results came. Then ``--pause-ms`` until the next query. A warm-up query first (not
   counted).
   ``kb_keystroke_to_results_p50/p99/max_ms`` keystroke (just before the key event) → the
                                   panel's results model updated with the hits of
                                   exactly that text (answered keystrokes only)
   ``kb_keystroke_to_caught_up_p50/p99_ms`` keystroke → the model shows the hits of that
                                   text or of a later one (every keystroke: what the agent
                                   perceives, coalescing included)
   ``kb_final_results_p50/p99_ms``  a query's last keystroke → its results
   ``kb_en_…`` / ``kb_zh_keystroke_to_results_p50/p99_ms`` the same per language
   ``kb_search_in_worker_p50/p99_ms`` ``Searcher.search`` itself in the ``KbSearchWorker``
                                   thread (wall; ``_cpu_…``: its thread CPU time)
   ``kb_typing_loop_lateness_p50/p99/max_ms`` a chained 20 ms heartbeat ``QTimer``'s
                                   lateness (``bench/workspace.py``'s ``Heartbeat``) from
                                   the first key to the last results
   ``kb_keystrokes``, ``kb_keystrokes_answered``, ``kb_keystrokes_superseded`` (replaced in
   the worker's queue by a newer keystroke before they were searched: coalesced; also
   ``kb_worker_dropped``, the worker's own count), ``kb_queries``, ``kb_results_empty``
   (answers with no hits: single letters, stop words), ``kb_idle_loop_lateness_p99_ms``
   (1 s before typing), ``kb_typing_client_cpu_pct`` (this process, 100 = one core).
2. **Suggested replies**: ``--messages`` customer messages (refunds, delivery, warranty,
   invoices, coupons, accounts, …), the English half into Carol's open chat, the Chinese
   half into a chat of 王芳 (language zh) opened after it, one at a time through the
   server's sink (``say``), each after the previous one's suggestions were shown and
   ``--message-gap-ms`` (1,000) of quiet. The panel asks the suggestion worker on
   ``bridge.sig_message``; the KB panel is pre-filled with the message too (a search).
   ``suggest_event_to_shown_p50/p99/max_ms`` the sink call's start (server process, same
                                   monotonic clock) → the suggestions panel's
                                   ``sig_suggestions_changed`` with the cards for that
                                   message; split into:
   ``suggest_event_to_request_p50/p99_ms`` … → the panel asks its ``SuggestWorker``
                                   (server, transport, bridge, the panel's slot)
   ``suggest_request_to_answer_p50/p99_ms`` the request → the answer starts rendering
                                   (queue, the worker thread, the way back)
   ``suggest_compute_p50/p99_ms``  ``Suggester.suggest`` itself in the worker thread (wall;
                                   ``suggest_compute_cpu_p50_ms`` its thread CPU time: the
                                   rest is waiting for the GIL — the KB panel's pre-fill
                                   search runs at the same time — and for a core)
   ``suggest_render_p50/p99_ms``   the cards filled and shown (GUI thread)
   ``suggest_en_…`` / ``suggest_zh_event_to_shown_p50/p99_ms`` per language
   ``suggest_loop_lateness_p50/p99/max_ms`` the heartbeat from each send to 0.5 s after its
                                   cards (the pre-fill search included)
   ``suggest_messages``, ``suggest_shown``, ``suggest_cards_mean``, ``suggest_empty``,
   ``suggest_client_cpu_pct``
3. ``rss_mb``, ``rss_peak_mb`` of the client at the end, ``server_rss_mb``; ``articles``
   (in the local file), ``kb_db_mb``, ``build_ms`` (when built), ``bench_wall_ms``.

    .venv/bin/python bench/kb_ui.py --json
    .venv/bin/python bench/kb_ui.py --db /tmp/kb100k.db --json      # build once, keep, reuse
    .venv/bin/python bench/kb_ui.py --articles 20000 --messages 10 --json   # quick

Progress goes to stderr; a summary goes to stdout and, with ``--json``, the last line of
stdout is one flat JSON object. Exit code 1 when something could not start or a step timed
out (the reason on stderr).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


async def op_say(server: Any, iid: int, text: str) -> dict[str, Any]:
    """One customer message into interaction ``iid`` through the ``customer_message`` sink
    (runs on the server's loop); ``t0`` is the call's start (perf_counter)."""
    t0 = time.perf_counter()
    await server.customer_message(iid, text)
    return {"t0": t0, "ms": (time.perf_counter() - t0) * 1000}


def register_ops() -> None:
    from bench import _workspace_support as support

    support.OPS.setdefault("say", op_say)


def prepare_kb(db: Path, articles: int, seed: int) -> dict[str, Any]:
    """The generated KB file at ``db`` (built, or reused when it has ``articles``
    generated articles), with templates and reply examples; returns figures. Runs in a
    child process (``build``)."""
    from agent_desk.kb.store import KBStore
    from agent_desk.kb.template_store import TemplateStore
    from bench.kb_search import Generator, build, log
    from bench.kb_suggest import seed_templates

    out: dict[str, Any] = {}
    db.parent.mkdir(parents=True, exist_ok=True)
    reuse = False
    if db.is_file():
        try:
            store = KBStore(db, create=False)
            have = store.count()
            store.close()
            reuse = have == articles + 60  # + the 60 sample articles
            if not reuse:
                log(f"{db} has {have} articles, not {articles} (+60 samples): building it "
                    f"again")
        except Exception as exc:  # noqa: BLE001 - built again
            log(f"{db} not usable ({type(exc).__name__}: {exc}): building it again")
    if reuse:
        log(f"reusing {db}")
    else:
        log(f"building {articles} generated articles into {db} (kb_search's generator)")
        build(Generator(seed), db.parent, db, articles, out)
    store = KBStore(db, create=False)
    try:
        ts = TemplateStore(store)
        if ts.count("template") == 0 and ts.count("reply") == 0:
            seed_templates(store)
            log("added templates and reply examples")
            ts = TemplateStore(store)  # its counts are cached
        out["articles"] = store.count()
        out["kb_templates"] = ts.count("template")
        out["kb_replies"] = ts.count("reply")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    out["kb_db_mb"] = round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
                            / 1e6, 1)
    return out


if __name__ == "__main__" and sys.argv[1:2] in (["serve"], ["build"]):
    # child processes, no Qt in here: the backend (see ``start_backend``) or the KB build
    import argparse
    import json

    _ap = argparse.ArgumentParser(description="bench/kb_ui.py's child process")
    _ap.add_argument("cmd")
    _ap.add_argument("--db", required=True)
    _ap.add_argument("--history", type=int, default=0)
    _ap.add_argument("--articles", type=int, default=0)
    _ap.add_argument("--seed", type=int, default=5)
    _a = _ap.parse_args()
    if _a.cmd == "build":
        print(json.dumps(prepare_kb(Path(_a.db), _a.articles, _a.seed)), flush=True)
        raise SystemExit(0)
    register_ops()
    from bench._workspace_support import serve

    raise SystemExit(serve(_a.db, _a.history))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from functools import partial  # noqa: E402
from operator import contains  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from PySide6.QtCore import Qt, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench import _workspace_support as support  # noqa: E402
from bench._workspace_support import BackendError, ServerProcess, ServerThread, rss_mb  # noqa: E402
from bench.workspace import (  # noqa: E402
    WATCH,
    BenchError,
    Heartbeat,
    log,
    ms,
    pct,
    qt_message,
    sign_in,
    take,
    until,
)

perf = time.perf_counter
Backend = ServerThread | ServerProcess

#: What an agent types into the KB search box: (language, query). A synonym ("money
#: back"), a typo ("recieve") and two-character Chinese words among them.
QUERIES: list[tuple[str, str]] = [
    ("en", "refund for a damaged item"),
    ("zh", "退款"),
    ("en", "where is my parcel"),
    ("zh", "快递还没到"),
    ("en", "change the delivery address"),
    ("zh", "保修期内上门维修"),
    ("en", "warranty repair visit"),
    ("zh", "发票抬头开错了"),
    ("en", "invoice with vat number"),
    ("zh", "优惠券不能用"),
    ("en", "reset password"),
    ("zh", "账号被锁定"),
    ("en", "coupon code not working"),
    ("zh", "修改收货地址"),
    ("en", "money back"),
    ("zh", "商品损坏怎么办"),
    ("en", "did not recieve tracking number"),
    ("zh", "显示已签收但没收到"),
]
WARM_UP_QUERY = "cancel my order"

#: New customer messages (English ones go to Carol's chat, Chinese ones to 王芳's).
MESSAGES_EN = [
    "Hi, I want my money back for order 12345, the kettle arrived broken",
    "where is my parcel?? ordered 10 days ago and still nothing",
    "The washing machine stopped working after 3 months, is it still under warranty?",
    "I was charged twice for the same order, please refund one of them",
    "Can I change the delivery address for order 88812? I'm moving next week",
    "I need a VAT invoice with my company name for order 55501",
    "My coupon code SPRING20 doesn't work at checkout",
    "I forgot my password and the reset email never arrives",
    "The tracking page says delivered but I never got the package",
    "How do I return a jacket that is too small? Can I exchange it for a larger size?",
    "The technician did not show up for the repair visit today, what now?",
    "The screen of my new TV has a crack, it must have been damaged in delivery",
]
MESSAGES_ZH = [
    "我要退款，订单号12345，东西坏了",
    "我的快递三天了还没到",
    "空调坏了，能不能安排师傅上门维修？还在保修期内",
    "发票抬头开错了，能重新开一张吗？",
    "优惠券用不了，一直提示报错",
    "账号被锁定了，登不上去",
    "显示已签收但是我根本没收到包裹",
    "我想改一下收货地址，下周搬家",
    "收到的商品有破损，怎么处理？",
    "同一个订单扣了两次钱，请退一笔",
    "忘记密码了，重置邮件一直收不到",
    "衣服尺码太小了，可以换大一号吗？",
]


class WorkerTimes:
    """Wraps a method of a class (``Searcher.search``, ``Suggester.suggest``) for the run:
    each call's start, wall time and thread CPU time (ms) as seen in the worker thread that
    made it: the engine's own time in the client, GIL waits included in the wall time."""

    def __init__(self, cls: type, name: str) -> None:
        self.cls, self.name = cls, name
        self.original = getattr(cls, name)
        self.calls: list[tuple[float, float, float]] = []
        original, calls = self.original, self.calls

        def timed(obj: Any, *a: Any, **kw: Any) -> Any:
            c, t = time.thread_time(), perf()
            try:
                return original(obj, *a, **kw)
            finally:
                calls.append((t, ms(t), (time.thread_time() - c) * 1000))
        setattr(cls, name, timed)

    def between(self, t0: float, t1: float) -> list[tuple[float, float, float]]:
        return [c for c in list(self.calls) if t0 <= c[0] <= t1]

    def restore(self) -> None:
        setattr(self.cls, self.name, self.original)


# ---- the knowledge-base file ---------------------------------------------------------------------


def build_kb(args: argparse.Namespace, tmp: Path) -> tuple[Path, dict[str, Any]]:
    """``prepare_kb`` in a child process; (the file, its figures)."""
    db = args.db.resolve() if args.db else tmp / "kb-src" / "kb.db"
    t0 = perf()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "build", "--db", str(db),
         "--articles", str(args.articles), "--seed", str(args.seed)],
        stdout=subprocess.PIPE, text=True, cwd=REPO, check=False)
    if done.returncode:
        raise BenchError(f"building the knowledge base failed (exit code {done.returncode})")
    figures = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    log(f"knowledge base ready: {figures['articles']} articles, {figures['kb_templates']} "
        f"templates, {figures['kb_replies']} reply examples, {figures['kb_db_mb']} MB "
        f"({ms(t0):.0f} ms)")
    return db, figures


def start_backend(mode: str, tmp: Path) -> Backend:
    """``bench/workspace.py``'s backend with the ``say`` operation. In a child process the
    child is this file (``serve``), which registers ``say`` and runs the support module's
    ``serve``: ``ServerProcess`` starts ``python <support module's __file__> serve ...``."""
    register_ops()
    db, history, log_path = str(tmp / "server.db"), 0, tmp / "server.log"
    if mode == "thread":
        return ServerThread(db, history)
    original = support.__file__
    support.__file__ = str(Path(__file__).resolve())
    try:
        return ServerProcess(db, history, log_path)
    finally:
        support.__file__ = original


# ---- phase 0: chats ------------------------------------------------------------------------------


async def open_chat(backend: Backend, win: Any, who: str, body: str) -> Any:
    """A chat of customer ``who`` taken by the agent and open; returns its ``ChatView``."""
    from agent_desk.ui.chat_view import ChatView

    r = await backend.run("contact", channel="chat", who=who, body=body)
    iid = int(r["id"])
    me = win.state.my_id
    await until(lambda: iid in win.state.interactions, 20, f"{who}'s chat in the client")
    try:  # routed to the agent (offered), or left waiting (then picked from the queue)
        await until(lambda: (i := win.state.interactions[iid]).offered_agent_id == me
                    or i.assigned_agent_id == me, 5, f"{who}'s chat offered")
    except BenchError:
        pass
    i = win.state.interactions[iid]
    if i.offered_agent_id == me:
        ack = await win.controller.accept(iid)
        if ack is None or not ack.ok:
            raise BenchError(f"accept of {who}'s chat refused: {ack}")
    elif i.assigned_agent_id != me:
        await take(win, iid)
    await until(lambda: win.state.interactions[iid].assigned_agent_id == me, 20,
                f"{who}'s chat assigned to the agent")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    if not isinstance(view, ChatView):
        raise BenchError(f"the chat opened as {type(view).__name__}, not ChatView")
    await until(lambda: view.loaded, 20, f"{who}'s chat transcript loaded")
    return view


# ---- phase 1: search as you type -----------------------------------------------------------------


class TypingProbe:
    """Maps the KB panel's search tokens to keystrokes and times their answers."""

    def __init__(self, panel: Any) -> None:
        from agent_desk.ui.kb_panel import LANE

        self.panel = panel
        self.worker = panel.worker
        self.lane = LANE
        self.issued: list[int] = []  # tokens of the panel's lane, in order
        self.answered: dict[int, tuple[float, int]] = {}  # token → (time, hits)
        self._request = self.worker.request

        def request(query: str, *a: Any, **kw: Any) -> int:
            token = self._request(query, *a, **kw)
            if kw.get("lane", "") == self.lane:
                self.issued.append(token)
            return token
        self.worker.request = request  # instance attribute: the panel calls this one
        # connected after the panel's own slot: runs once the model has the hits
        self.worker.sig_results.connect(self._on_results)

    def _on_results(self, token: int, hits: list[Any]) -> None:
        if token in self.issued:
            self.answered[token] = (perf(), len(hits))

    def close(self) -> None:
        self.worker.sig_results.disconnect(self._on_results)
        self.worker.request = self._request


def ime_commit(widget: Any, text: str) -> None:
    """What an input method sends when the user picks ``text`` (pinyin done)."""
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


async def type_query(probe: TypingProbe, lang: str, text: str, key_ms: float,
                     commit_ms: float) -> list[tuple[float, int]]:
    """Type ``text`` over the box's selected text on schedule; (time, token) of each
    keystroke (token 0 when it issued no search)."""
    box = probe.panel.search
    box.setFocus(Qt.FocusReason.ShortcutFocusReason)
    box.selectAll()
    step = (commit_ms if lang == "zh" else key_ms) / 1000
    keys: list[tuple[float, int]] = []
    start = perf() + 0.01
    for k, ch in enumerate(text):
        delay = start + k * step - perf()
        if delay > 0:
            await asyncio.sleep(delay)
        before = len(probe.issued)
        t = perf()
        if lang == "zh":
            ime_commit(box, ch)
        else:
            QTest.keyClicks(box, ch)
        keys.append((t, probe.issued[-1] if len(probe.issued) > before else 0))
    if box.text() != text:
        raise BenchError(f"typed {text!r} but the search box says {box.text()!r}")
    return keys


async def typing_phase(args: argparse.Namespace, win: Any, hb: Heartbeat) -> dict[str, Any]:
    from agent_desk.ui.kb_search_worker import READY

    panel = win.kb
    win.act_kb.trigger()  # Ctrl+4: the Knowledge tab, its search box focused
    await until(lambda: panel.isVisible(), 10, "the Knowledge tab")
    panel.worker.check()
    await until(lambda: panel.worker.status == READY, 60, "the local knowledge base ready")
    from agent_desk.kb.search import Searcher

    probe = TypingProbe(panel)
    searches = WorkerTimes(Searcher, "search")
    try:
        t0 = perf()
        keys = await type_query(probe, "en", WARM_UP_QUERY, args.key_ms, args.commit_ms)
        await until(lambda: keys[-1][1] in probe.answered, 60, "the warm-up query's results")
        log(f"warm-up query typed and answered ({ms(t0):.0f} ms)")
        await asyncio.sleep(args.pause_ms / 1000)
        t_idle = perf()
        await asyncio.sleep(1.0)
        idle = hb.window(t_idle, perf())
        dropped0 = panel.worker.dropped
        cpu0 = time.process_time()
        t_start = perf()
        per_key: list[tuple[str, float, int]] = []  # (lang, time, token)
        finals: list[float] = []
        queries = [QUERIES[n % len(QUERIES)] for n in range(args.queries)]
        for lang, text in queries:
            keys = await type_query(probe, lang, text, args.key_ms, args.commit_ms)
            last = keys[-1][1]
            if not last:
                raise BenchError(f"the last keystroke of {text!r} issued no search")
            await until(partial(contains, probe.answered, last), 60,
                        f"the results of {text!r}")
            finals.append(ms(keys[-1][0], probe.answered[last][0]))
            per_key += [(lang, t, tok) for t, tok in keys]
            hits = probe.answered[last][1]
            log(f"  {lang} {text!r}: {len(keys)} keystrokes, final results ({hits} hits) "
                f"{finals[-1]:.0f} ms after the last one")
            await asyncio.sleep(args.pause_ms / 1000)
        t_end = perf()
        cpu = time.process_time() - cpu0
    finally:
        probe.close()
        searches.restore()
    in_worker = searches.between(t_start, t_end)
    answered_at = {tok: t for tok, (t, _n) in probe.answered.items()}
    lat: dict[str, list[float]] = {"en": [], "zh": []}
    caught: list[float] = []
    superseded = 0
    tokens_sorted = sorted(answered_at)
    no_search = sum(1 for _l, _t, tok in per_key if not tok)
    for lang, t, tok in per_key:
        if not tok:
            continue
        if tok in answered_at:
            lat[lang].append(ms(t, answered_at[tok]))
        else:
            superseded += 1
        later = [answered_at[x] for x in tokens_sorted if x >= tok]
        if later:
            caught.append(ms(t, min(later)))
    both = lat["en"] + lat["zh"]
    empty = sum(1 for tok in {tok for _l, _t, tok in per_key}
                if tok in probe.answered and probe.answered[tok][1] == 0)
    late = hb.window(t_start, t_end)
    out: dict[str, Any] = {
        "kb_queries": len(finals),
        "kb_keystrokes": len(per_key),
        "kb_keystrokes_answered": len(both),
        "kb_keystrokes_superseded": superseded,
        "kb_keystrokes_without_search": no_search,
        "kb_worker_dropped": panel.worker.dropped - dropped0,
        "kb_results_empty": empty,
        "kb_keystroke_to_results_p50_ms": pct(both, 50),
        "kb_keystroke_to_results_p99_ms": pct(both, 99),
        "kb_keystroke_to_results_max_ms": max(both, default=float("nan")),
        "kb_keystroke_to_caught_up_p50_ms": pct(caught, 50),
        "kb_keystroke_to_caught_up_p99_ms": pct(caught, 99),
        "kb_final_results_p50_ms": pct(finals, 50),
        "kb_final_results_p99_ms": pct(finals, 99),
        "kb_typing_loop_lateness_p50_ms": pct(late, 50),
        "kb_typing_loop_lateness_p99_ms": pct(late, 99),
        "kb_typing_loop_lateness_max_ms": max(late, default=float("nan")),
        "kb_idle_loop_lateness_p99_ms": pct(idle, 99),
        "kb_search_in_worker_p50_ms": pct([c[1] for c in in_worker], 50),
        "kb_search_in_worker_p99_ms": pct([c[1] for c in in_worker], 99),
        "kb_search_in_worker_cpu_p50_ms": pct([c[2] for c in in_worker], 50),
        "kb_search_in_worker_cpu_p99_ms": pct([c[2] for c in in_worker], 99),
        "kb_typing_client_cpu_pct": 100 * cpu / max(1e-9, t_end - t_start),
    }
    for lang in ("en", "zh"):
        out[f"kb_{lang}_keystroke_to_results_p50_ms"] = pct(lat[lang], 50)
        out[f"kb_{lang}_keystroke_to_results_p99_ms"] = pct(lat[lang], 99)
    log(f"search as you type: {len(per_key)} keystrokes in {len(finals)} queries, "
        f"{len(both)} answered, {superseded} superseded; keystroke → its results p50/p99 "
        f"{out['kb_keystroke_to_results_p50_ms']:.1f}/"
        f"{out['kb_keystroke_to_results_p99_ms']:.1f} ms (en p99 "
        f"{out['kb_en_keystroke_to_results_p99_ms']:.1f}, zh p99 "
        f"{out['kb_zh_keystroke_to_results_p99_ms']:.1f}); caught up p99 "
        f"{out['kb_keystroke_to_caught_up_p99_ms']:.1f} ms; the search itself in the "
        f"worker p50/p99 {out['kb_search_in_worker_p50_ms']:.1f}/"
        f"{out['kb_search_in_worker_p99_ms']:.1f} ms; loop lateness p50/p99/max "
        f"{out['kb_typing_loop_lateness_p50_ms']:.1f}/"
        f"{out['kb_typing_loop_lateness_p99_ms']:.1f}/"
        f"{out['kb_typing_loop_lateness_max_ms']:.1f} ms (idle p99 "
        f"{out['kb_idle_loop_lateness_p99_ms']:.1f}); client CPU "
        f"{out['kb_typing_client_cpu_pct']:.0f} %")
    return out


# ---- phase 2: suggested replies ------------------------------------------------------------------


def follows(win: Any, view: Any) -> bool:
    """The suggestions panel works for the interaction of ``view``."""
    i = win.suggestions.interaction
    return i is not None and win.workspace.view(i.id) is view


async def suggest_phase(args: argparse.Namespace, backend: Backend, win: Any, hb: Heartbeat,
                        chats: dict[str, Any]) -> dict[str, Any]:
    panel = win.suggestions
    if panel is None:
        raise BenchError("the main window has no suggestions panel")
    n_en = (args.messages + 1) // 2
    plan = [("en", MESSAGES_EN[k % len(MESSAGES_EN)]
             + (f" (#{k})" if k >= len(MESSAGES_EN) else "")) for k in range(n_en)]
    plan += [("zh", MESSAGES_ZH[k % len(MESSAGES_ZH)]
              + (f"（{k}）" if k >= len(MESSAGES_ZH) else ""))
             for k in range(args.messages - n_en)]
    got_message: dict[str, float] = {}
    shown: dict[str, tuple[float, int]] = {}

    def on_message(msg: Any) -> None:
        if str(msg.direction) == "inbound":
            got_message.setdefault(msg.body, perf())

    def on_changed() -> None:
        asked = panel._asked
        text = asked[0] if asked else None
        if text in got_message and text not in shown and panel.customer_text == text:
            shown[text] = (perf(), len(panel.suggestions()))
    from agent_desk.kb.suggest import Suggester

    requested: dict[str, float] = {}
    renders: list[tuple[float, float]] = []  # (start, end) of each ``_render``
    worker = panel.worker
    ask, render = worker.request, panel._render

    def request(message: str, *a: Any, **kw: Any) -> int:
        requested.setdefault(message, perf())
        return ask(message, *a, **kw)

    def timed_render() -> None:
        t = perf()
        render()
        renders.append((t, perf()))
    worker.request = request  # instance attributes: the panel calls these
    panel._render = timed_render
    computes = WorkerTimes(Suggester, "suggest")
    win.bridge.sig_message.connect(on_message)
    panel.sig_suggestions_changed.connect(on_changed)
    sent: list[tuple[str, str, float]] = []  # (lang, text, t0)
    late: list[float] = []
    marks: list[dict[str, float]] = []
    cpu0 = time.process_time()
    t_start = perf()
    current = None
    try:
        for lang, text in plan:
            view = chats[lang]
            if view is not current:
                current = view
                win.open_interaction(view.interaction_id)
                await until(partial(follows, win, view), 10,
                            "the suggestions panel on the chat")
                await asyncio.sleep(args.message_gap_ms / 1000)  # its first suggestions
            view.composer.edit.setFocus(Qt.FocusReason.OtherFocusReason)  # writing a reply
            res = await backend.run("say", iid=panel.interaction.id, text=text)
            t0 = float(res["t0"])
            sent.append((lang, text, t0))
            await until(partial(contains, shown, text), 30,
                        f"suggestions for {text[:30]!r}")
            t_shown, cards = shown[text]
            await asyncio.sleep(max(0.5, args.message_gap_ms / 1000))
            window = hb.window(t0, t_shown + 0.5)
            late += window
            comp = computes.between(t0, t_shown)
            rend = [r for r in renders if t0 <= r[0] <= t_shown]
            mk = {"compute": comp[-1][1] if comp else float("nan"),
                  "compute_cpu": comp[-1][2] if comp else float("nan"),
                  "to_request": ms(t0, requested.get(text, float("nan"))),
                  "request_to_render": ms(requested.get(text, float("nan")),
                                          rend[-1][0]) if rend else float("nan"),
                  "render": ms(rend[-1][0], rend[-1][1]) if rend else float("nan")}
            marks.append(mk)
            log(f"  {lang} {text[:40]!r}: {cards} cards {ms(t0, t_shown):.0f} ms after it "
                f"was sent = {mk['to_request']:.0f} to the panel's request + "
                f"{mk['request_to_render']:.0f} to "
                f"the answer (suggest() {mk['compute']:.0f} ms, CPU "
                f"{mk['compute_cpu']:.0f}) + {mk['render']:.0f} render; loop late up to "
                f"{max(window, default=0):.0f} ms")
        t_end = perf()
        cpu = time.process_time() - cpu0
    finally:
        win.bridge.sig_message.disconnect(on_message)
        panel.sig_suggestions_changed.disconnect(on_changed)
        computes.restore()
        del worker.request, panel._render

    def col(key: str) -> list[float]:
        return [mk[key] for mk in marks if mk[key] == mk[key]]
    e2s = {"en": [], "zh": []}  # type: dict[str, list[float]]
    counts: list[int] = []
    for lang, text, t0 in sent:
        t_shown, n = shown[text]
        e2s[lang].append(ms(t0, t_shown))
        counts.append(n)
    both = e2s["en"] + e2s["zh"]
    out: dict[str, Any] = {
        "suggest_messages": len(sent),
        "suggest_shown": len(both),
        "suggest_cards_mean": statistics.fmean(counts) if counts else float("nan"),
        "suggest_empty": sum(1 for n in counts if n == 0),
        "suggest_event_to_shown_p50_ms": pct(both, 50),
        "suggest_event_to_shown_p99_ms": pct(both, 99),
        "suggest_event_to_shown_max_ms": max(both, default=float("nan")),
        "suggest_event_to_request_p50_ms": pct(col("to_request"), 50),
        "suggest_event_to_request_p99_ms": pct(col("to_request"), 99),
        "suggest_request_to_answer_p50_ms": pct(col("request_to_render"), 50),
        "suggest_request_to_answer_p99_ms": pct(col("request_to_render"), 99),
        "suggest_compute_p50_ms": pct(col("compute"), 50),
        "suggest_compute_p99_ms": pct(col("compute"), 99),
        "suggest_compute_cpu_p50_ms": pct(col("compute_cpu"), 50),
        "suggest_render_p50_ms": pct(col("render"), 50),
        "suggest_render_p99_ms": pct(col("render"), 99),
        "suggest_loop_lateness_p50_ms": pct(late, 50),
        "suggest_loop_lateness_p99_ms": pct(late, 99),
        "suggest_loop_lateness_max_ms": max(late, default=float("nan")),
        "suggest_client_cpu_pct": 100 * cpu / max(1e-9, t_end - t_start),
    }
    for lang in ("en", "zh"):
        out[f"suggest_{lang}_event_to_shown_p50_ms"] = pct(e2s[lang], 50)
        out[f"suggest_{lang}_event_to_shown_p99_ms"] = pct(e2s[lang], 99)
    log(f"suggestions: {len(both)}/{len(sent)} messages, {out['suggest_cards_mean']:.1f} "
        f"cards on average; sent → shown p50/p99/max "
        f"{out['suggest_event_to_shown_p50_ms']:.0f}/{out['suggest_event_to_shown_p99_ms']:.0f}"
        f"/{out['suggest_event_to_shown_max_ms']:.0f} ms (to the panel's request p50 "
        f"{out['suggest_event_to_request_p50_ms']:.0f} ms, suggest() in the worker p50 "
        f"{out['suggest_compute_p50_ms']:.0f} ms); loop lateness p50/p99/max "
        f"{out['suggest_loop_lateness_p50_ms']:.1f}/{out['suggest_loop_lateness_p99_ms']:.1f}/"
        f"{out['suggest_loop_lateness_max_ms']:.1f} ms")
    return out


# ---- the run -------------------------------------------------------------------------------------


async def run(args: argparse.Namespace, app: QApplication, backend: Backend, kb: Path
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
        if win.controller.kb_path() != kb:
            raise BenchError(f"the account's KB file is {win.controller.kb_path()}, the "
                             f"benchmark put it at {kb}")
        await until(lambda: (s := win.controller.kb_syncer) is not None
                    and s.status.synced_at is not None, 60, "the sign-in KB sync")
        hb = Heartbeat()
        hb.start()
        ack = await win.controller.set_state("available")
        if ack is None or not ack.ok:
            raise BenchError(f"set_state available refused: {ack}")
        carol = await open_chat(backend, win, "carol",
                                "Hi, my parcel never arrived and the tracking page is blank")
        out.update(await typing_phase(args, win, hb))
        wang = await open_chat(backend, win, "wang", "你好，我的订单有问题")
        out.update(await suggest_phase(args, backend, win, hb, {"en": carol, "zh": wang}))
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--articles", type=int, default=100_000, help="generated articles")
    p.add_argument("--seed", type=int, default=5, help="the generator's seed")
    p.add_argument("--db", type=Path, help="build the KB here (kept) or reuse it if it has "
                   "--articles articles; the client gets a copy")
    p.add_argument("--queries", type=int, default=len(QUERIES),
                   help=f"queries typed (cycling over {len(QUERIES)}, en/zh alternating)")
    p.add_argument("--key-ms", type=float, default=80.0, help="ms between English keys")
    p.add_argument("--commit-ms", type=float, default=250.0,
                   help="ms between Chinese characters committed by the input method")
    p.add_argument("--pause-ms", type=float, default=600.0, help="pause between queries")
    p.add_argument("--messages", type=int, default=24, help="customer messages (half zh)")
    p.add_argument("--message-gap-ms", type=float, default=1000.0,
                   help="quiet time after a message's suggestions before the next")
    p.add_argument("--server", choices=("process", "thread"), default="process")
    p.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    a = p.parse_args(argv)
    if a.articles < 1 or a.queries < 1 or a.messages < 2 or a.key_ms <= 0 \
            or a.commit_ms <= 0:
        p.error("counts and intervals must be positive (at least 2 messages)")
    return a


def main(argv: list[str] | None = None) -> int:
    import qasync

    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="[client] %(levelname)s %(name)s: %(message)s")
    logging.getLogger("agent_desk.client.credentials").setLevel(logging.ERROR)
    wall0 = perf()
    tmp = Path(tempfile.mkdtemp(prefix="agent-desk-bench-kbui-"))
    backend: Backend | None = None
    loop: Any = None
    collector: Any = None
    rc = 0
    result: dict[str, Any] = {}
    stopped_by: list[int] = []

    def stop_early(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt
    for sig in (signal.SIGINT, signal.SIGTERM):  # the build: cleaned up by ``finally``
        signal.signal(sig, stop_early)
    try:
        from agent_desk.ui import paths
        from agent_desk.ui.app import MainThreadGC, create_application

        src, result = build_kb(args, tmp)
        paths.set_root(tmp / "profile")
        t0 = perf()
        backend = start_backend(args.server, tmp)
        log(f"server ({args.server}) on {backend.url} ({ms(t0):.0f} ms)")
        kb = paths.kb_file(backend.url, "ann")
        t0 = perf()
        shutil.copyfile(src, kb)
        log(f"{result['articles']} articles ({result['kb_db_mb']} MB) copied to the "
            f"account's KB file ({ms(t0):.0f} ms)")
        qInstallMessageHandler(qt_message)
        app = create_application(sys.argv[:1])
        collector = MainThreadGC(app)
        collector.start()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        main_task = loop.create_task(run(args, app, backend, kb))

        def stop(signum: int, _frame: Any) -> None:
            log(f"signal {signum}: stopping")
            stopped_by.append(signum)
            main_task.cancel()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        result.update(loop.run_until_complete(main_task))
    except (BenchError, BackendError) as exc:
        print(f"bench/kb_ui.py: error: {exc}", file=sys.stderr, flush=True)
        rc = 1
    except (asyncio.CancelledError, KeyboardInterrupt):
        print("bench/kb_ui.py: interrupted", file=sys.stderr, flush=True)
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
    result["bench_cpu_count"] = os.cpu_count() or 0
    result["bench_wall_ms"] = ms(wall0)
    clean = {k: (round(val, 2) if isinstance(val, float) else val) for k, val in result.items()
             if not (isinstance(val, float) and val != val)}
    for k, val in clean.items():
        print(f"{k:40} {val}")
    if args.json:
        print(json.dumps(clean, allow_nan=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
