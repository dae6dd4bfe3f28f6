"""Knowledge-base fixtures: a store with the bilingual sample corpus, and small stores made
of given articles (real SQLite files in the test's tmp dir)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent_desk.kb.importer import import_path
from agent_desk.kb.search import Searcher
from agent_desk.kb.store import Article, KBStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "kb" / "sample_articles.jsonl"
EVAL_SET = Path(__file__).with_name("eval_set.json")


@pytest.fixture(scope="module")
def sample_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    store = KBStore(tmp_path_factory.mktemp("kb") / "kb.db")
    report = import_path(store, SAMPLES)
    assert report.imported == 60 and not report.errors and not report.warnings
    yield Searcher(store)
    store.close()


def article(id: str, title: str, body: str, language: str = "en", **kw: object) -> Article:
    return Article(id=id, title=title, body=body, language=language, **kw)  # type: ignore[arg-type]


@pytest.fixture
def make_kb(tmp_path: Path) -> Iterator[Callable[..., Searcher]]:
    stores: list[KBStore] = []

    def make(*articles: Article) -> Searcher:
        store = KBStore(tmp_path / f"kb{len(stores)}.db")
        stores.append(store)
        with store.transaction():
            for a in articles:
                store.upsert(a)
        return Searcher(store)

    yield make
    for s in stores:
        s.close()
