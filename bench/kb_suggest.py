"""Suggested-reply latency (issue 5: ≤ 50 ms per new customer message), called by
``bench/kb_search.py`` on its generated 100,000-article file, or on its own::

    .venv/bin/python bench/kb_suggest.py --db /tmp/kb100k.db [--repeats 5] [--json]

:func:`measure_suggestions` opens the file, **adds a team's worth of templates and reply
examples when it has none** (:data:`TEMPLATES` templates and :data:`REPLIES` replies made
from the 30 sample topics, English and Chinese, a tenth of them refusals), warms up on
a few other messages, then times ``repeats`` passes over the messages, one
:meth:`Suggester.suggest` call each (analysis, three sources, ranking, answer texts).
:func:`default_messages` gives realistic messages: short chats, whole sentences in
Chinese, mixed, and long e-mails (up to 10,000 characters with quoted history).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_desk.kb.store import KBStore  # noqa: E402
from agent_desk.kb.suggest import Suggester  # noqa: E402
from agent_desk.kb.template_store import ReplyExample, Template, TemplateStore  # noqa: E402

SAMPLES = REPO / "resources" / "kb" / "sample_articles.jsonl"
TEMPLATES = 300
REPLIES = 5_000

_MESSAGES = [
    "Hi, I want my money back for order 12345, the kettle arrived broken",
    "where is my parcel?? ordered 10 days ago and still nothing",
    "I was charged twice for the same order, please refund one of them",
    "My coupon code SPRING20 doesn't work at checkout",
    "I forgot my password and the reset email never arrives",
    "Can I change the delivery address for order 88812? I'm moving next week",
    "The washing machine stopped working after 3 months, is it under warranty?",
    "I need a VAT invoice with my company name for order 55501",
    "Hello, how do I return a jacket that is too small? Can I exchange it for a larger size?",
    "我的快递三天了还没到",
    "我要退款，订单号12345，东西坏了",
    "发票抬头开错了，能重新开一张吗？",
    "优惠券用不了，一直提示报错",
    "空调坏了，能不能安排师傅上门维修？还在保修期内",
    "账号被锁定了，登不上去",
    "显示已签收但是我根本没收到包裹",
    "refund 退款 还没到账 already 2 weeks",
    "hi",
    "谢谢",
    "ok thanks 😀",
]


def _email(rnd: random.Random, sentences: list[str], size: int) -> str:
    body = [rnd.choice(_MESSAGES[:9])]
    while sum(map(len, body)) < size * 0.6:
        body.append(" ".join(rnd.choice(sentences) for _ in range(4)))
    body.append("Could you please tell me when I will get my refund for the broken kettle?")
    body.append("Best regards,\nJane Doe\n+44 20 7946 0000")
    quoted = "\n".join("> " + rnd.choice(sentences) for _ in range(40))
    text = "Dear support team,\n\n" + "\n\n".join(body) + "\n\nOn Mon, 3 Jun 2024, Support " \
        "wrote:\n" + quoted
    return text[:size]


def _topics() -> list[dict[str, object]]:
    return [json.loads(line) for line in SAMPLES.read_text("utf-8").splitlines() if line]


def _sentences(body: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s*|\n", re.sub(r"[*#>`]", " ", body))
    return [p.strip(" -") for p in parts if len(p.strip()) > 8]


def default_messages(count: int = 60, seed: int = 7) -> list[str]:
    """Realistic new customer messages: the hand-written ones, then long e-mails (2,000
    to 10,000 characters) and chat lines made of the sample articles' sentences."""
    rnd = random.Random(seed)
    sentences = [s for t in _topics() for s in _sentences(str(t["body"]))]
    out = list(_MESSAGES)
    out += [_email(rnd, sentences, size) for size in (2_000, 5_000, 10_000)]
    while len(out) < count:
        out.append(rnd.choice(sentences))
    return out[:count]


def seed_templates(store: KBStore, templates: int = TEMPLATES, replies: int = REPLIES,
                   seed: int = 11) -> None:
    """Templates and reply examples made from the sample topics (one transaction)."""
    rnd = random.Random(seed)
    topics = _topics()
    ts = TemplateStore(store)
    with store.transaction():
        for n in range(templates):
            t = topics[n % len(topics)]
            zh = str(t["language"]) == "zh"
            sents = _sentences(str(t["body"]))
            body = ("{customer.name}您好，" if zh else "Hi {customer.name}, ") + "".join(
                rnd.sample(sents, min(3, len(sents))))
            ts.upsert_template(Template(
                id=f"bench-t{n}", title=f"{t['title']} ({n // len(topics) + 1})", body=body,
                language=str(t["language"]), tags=list(t["tags"]),  # type: ignore[call-overload]
                shortcut=f"t{n}", refusal=n % 10 == 0))
        for n in range(replies):
            t = rnd.choice(topics)
            sents = _sentences(str(t["body"]))
            customer = " ".join(rnd.sample(sents, min(2, len(sents))))[:300]
            reply = " ".join(rnd.sample(sents, min(3, len(sents))))
            ts.upsert_reply(ReplyExample(id=n + 1, customer_text=customer, reply_text=reply,
                                         language=str(t["language"]),
                                         score=rnd.uniform(0.5, 2.0)))


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


WARM_UP = ["refund please", "我的快递还没到", "where is my invoice", "密码忘了", "coupon"]


def measure_suggestions(store_path: str, messages: list[str], repeats: int,
                        *, seed: bool = True) -> dict[str, float]:
    """Latency of :meth:`Suggester.suggest` (limit 5), one call at a time, over
    ``messages`` × ``repeats`` after a warm-up on :data:`WARM_UP` (other messages: the
    first pass sees each message for the first time, like a new customer message; later
    passes find the articles' and templates' analyses cached, as a running client does).

    Keys: ``suggest_p50_ms``, ``suggest_p99_ms``, ``suggest_max_ms``, ``suggest_mean_ms``
    (all passes); ``suggest_first_p50_ms`` / ``suggest_first_p99_ms`` (first pass only);
    ``suggest_long_p99_ms`` (messages over 1,000 characters); ``suggest_cpu_p50_ms`` /
    ``suggest_cpu_p99_ms``, ``suggest_first_cpu_p50_ms`` / ``suggest_first_cpu_p99_ms``
    (this thread's CPU time: without the waiting on a busy machine's cores);
    ``suggest_calls``; ``suggest_empty`` (messages without a
    suggestion)."""
    store = KBStore(store_path, create=False)
    try:
        ts = TemplateStore(store)
        if seed and ts.count("template") == 0 and ts.count("reply") == 0:
            seed_templates(store)
        suggester = Suggester(store, ts)
        for m in WARM_UP:
            suggester.suggest(m)
        times: list[float] = []
        first: list[float] = []
        first_cpu: list[float] = []
        cpu: list[float] = []
        long: list[float] = []
        empty = 0
        for n in range(max(1, repeats)):
            for m in messages:
                c = time.thread_time()
                t = time.perf_counter()
                found = suggester.suggest(m)
                ms = (time.perf_counter() - t) * 1000
                cpu.append((time.thread_time() - c) * 1000)
                times.append(ms)
                if n == 0:
                    first.append(ms)
                    first_cpu.append(cpu[-1])
                    empty += not found
                if len(m) > 1_000:
                    long.append(ms)
    finally:
        store.close()
    return {"suggest_p50_ms": round(percentile(times, 50), 2),
            "suggest_p99_ms": round(percentile(times, 99), 2),
            "suggest_max_ms": round(max(times), 2),
            "suggest_mean_ms": round(statistics.fmean(times), 2),
            "suggest_first_p50_ms": round(percentile(first, 50), 2),
            "suggest_first_p99_ms": round(percentile(first, 99), 2),
            "suggest_first_cpu_p50_ms": round(percentile(first_cpu, 50), 2),
            "suggest_first_cpu_p99_ms": round(percentile(first_cpu, 99), 2),
            "suggest_long_p99_ms": round(percentile(long, 99), 2) if long else 0.0,
            "suggest_cpu_p50_ms": round(percentile(cpu, 50), 2),
            "suggest_cpu_p99_ms": round(percentile(cpu, 99), 2),
            "suggest_calls": len(times), "suggest_empty": empty}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a knowledge-base file (e.g. built by "
                    "bench/kb_search.py)")
    ap.add_argument("--messages", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = ap.parse_args()
    out = measure_suggestions(args.db, default_messages(args.messages), args.repeats)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:<24} {v}")


if __name__ == "__main__":
    main()
