"""Synonyms as data: query expansion from ``resources/kb/synonyms.json`` (shipped as
``agent_desk.resources``, found with ``importlib.resources`` like the translations and
fonts, so no Qt is needed) or any file of the same shape::

    {
      "equivalent": [["快递", "物流", "配送"], ["invoice", "receipt", "发票"]],
      "one_way": {"money back": ["refund"], "where is my order": ["tracking"]}
    }

``equivalent`` groups expand every member to all others; ``one_way`` expands a phrase to
its targets only (``money back`` finds refund articles, ``refund`` does not look for
"money back"). Entries are analysed like queries: English words are matched on their stems
(``refunds`` matches a ``refund`` entry) and stop words count, so ``log in`` is a usable
phrase; a Chinese entry matches anywhere inside a run of Chinese (快递 in 我的快递到哪了).
Synonyms are applied at query time only: editing the file needs no re-index.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import text

log = logging.getLogger(__name__)

RESOURCE = "kb/synonyms.json"


def match_form(phrase: str) -> tuple[str, ...]:
    """The sequence a phrase is matched on: stems of words (stop words kept), CJK runs."""
    out: list[str] = []
    for tok in text.tokens(phrase):
        if tok.cjk:
            out.append(tok.text)
        elif tok.text.isascii() and tok.text.isalpha():
            out.append(text.stem(tok.text))
        else:
            out.append(tok.text)
    return tuple(out)


def phrase_terms(phrase: str) -> tuple[str, ...]:
    """The index terms a phrase is searched as (consecutive, for an FTS5 phrase)."""
    out: list[str] = []
    for tok in text.tokens(phrase):
        if tok.cjk:
            out.extend(text.query_terms_of_run(tok.text))
        elif tok.term is not None:
            out.append(tok.term)
    return tuple(out)


@dataclass
class Synonyms:
    """Expansion rules: match form of a key → the phrases (as index terms) it adds."""

    latin: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    cjk: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    max_words: int = 1

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> Synonyms:
        syn = cls()
        groups = data.get("equivalent", [])
        one_way = data.get("one_way", {})
        if not isinstance(groups, list) or not isinstance(one_way, dict):
            raise ValueError("synonyms: 'equivalent' must be a list, 'one_way' an object")
        for group in groups:
            if not isinstance(group, list) or not all(isinstance(g, str) for g in group):
                raise ValueError(f"synonyms: an equivalent group must be a list of strings: "
                                 f"{group!r}")
            for member in group:
                syn.add(member, [g for g in group if g != member])
        for key, targets in one_way.items():
            if isinstance(targets, str):
                targets = [targets]
            if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise ValueError(f"synonyms: one_way[{key!r}] must be a list of strings")
            syn.add(key, targets)
        return syn

    @classmethod
    def load(cls, path: str | Path | None = None) -> Synonyms:
        """The shipped synonyms, or the file at ``path``."""
        if path is None:
            raw = resources.files("agent_desk.resources").joinpath(RESOURCE).read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
        return cls.from_data(json.loads(raw))

    def add(self, key: str, targets: Iterable[str]) -> None:
        form = match_form(key)
        expansions = {t for t in (phrase_terms(x) for x in targets) if t}
        if not form or not expansions:
            return
        if len(form) == 1 and text.is_cjk(form[0]):
            self.cjk.setdefault(form[0], set()).update(expansions)
        else:
            self.latin.setdefault(form, set()).update(expansions)
            self.max_words = max(self.max_words, len(form))

    def expand(self, forms: Sequence[str], cjk_runs: Sequence[str]) -> set[tuple[str, ...]]:
        """Phrases to add for a query whose match forms are ``forms`` (in order; CJK runs
        included as single items) and whose CJK runs are ``cjk_runs``."""
        out: set[tuple[str, ...]] = set()
        n = len(forms)
        for size in range(1, min(self.max_words, n) + 1):
            for i in range(n - size + 1):
                hit = self.latin.get(tuple(forms[i:i + size]))
                if hit:
                    out |= hit
        if self.cjk:
            for run in cjk_runs:
                for key, phrases in self.cjk.items():
                    if key in run:
                        out |= phrases
        return out


_default: Synonyms | None = None


def default_synonyms() -> Synonyms:
    """The shipped synonyms, loaded once. A broken file is logged and means no synonyms."""
    global _default
    if _default is None:
        try:
            _default = Synonyms.load()
        except (OSError, ValueError) as exc:
            log.warning("knowledge base synonyms not loaded: %s", exc)
            _default = Synonyms()
    return _default
