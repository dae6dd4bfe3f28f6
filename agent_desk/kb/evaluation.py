"""Search quality on a labelled evaluation set (``tests/kb/eval_set.json``): recall@k (a
query counts when one of its expected articles is among the first k) and MRR, overall and
per kind of query."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .search import Searcher


@dataclass
class EvalQuery:
    q: str
    expect: list[str]
    kind: str = "plain"
    lang: str | None = None


@dataclass
class EvalResult:
    k: int
    recall: float = 0.0
    mrr: float = 0.0
    by_kind: dict[str, float] = field(default_factory=dict)
    misses: list[tuple[EvalQuery, list[str]]] = field(default_factory=list)


def load_eval_set(path: str | Path) -> list[EvalQuery]:
    data = json.loads(Path(path).read_text("utf-8"))
    return [EvalQuery(q=d["q"], expect=list(d["expect"]), kind=d.get("kind", "plain"),
                      lang=d.get("lang")) for d in data["queries"]]


def evaluate(searcher: Searcher, queries: list[EvalQuery], k: int = 3) -> EvalResult:
    res = EvalResult(k)
    hits_by_kind: dict[str, list[int]] = defaultdict(list)
    rr = 0.0
    for query in queries:
        got = [h.id for h in searcher.search(query.q, limit=10, lang=query.lang)]
        ranks = [got.index(e) + 1 for e in query.expect if e in got]
        best = min(ranks) if ranks else None
        rr += 1.0 / best if best else 0.0
        hit = best is not None and best <= k
        hits_by_kind[query.kind].append(int(hit))
        if not hit:
            res.misses.append((query, got[:k]))
    n = max(1, len(queries))
    res.recall = sum(sum(v) for v in hits_by_kind.values()) / n
    res.mrr = rr / n
    res.by_kind = {kind: sum(v) / len(v) for kind, v in sorted(hits_by_kind.items())}
    return res
