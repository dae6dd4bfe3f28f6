"""Suggested replies for a new customer message: templates, KB answers and the team's
successful replies, ranked together (issue 5). Pure Python on one :class:`KBStore` file.

**Analysis, once per message** (:mod:`.suggest_analysis`): the message is condensed (a
10,000-character e-mail: its first 600 characters and its last customer paragraph),
courtesy words, numbers and very common terms are dropped, and what remains is grouped
into weighted *groups*: synonym triggers (money back, 还没到: customer-service concepts,
the most important) and plain words / Chinese bigrams (their IDF in the articles).

**Three sources**: templates (FTS5 BM25, title ×3, tags ×3, body ×1) and reply examples
(the customer's message ×1, the reply ×0.3), :data:`POOL` candidates each, the
synonyms in a second query weighted :data:`SYNONYM_WEIGHT`; articles through
:meth:`.search.Searcher.search` with the most important groups (every common term costs
the search milliseconds), the suggestion being the article's opening paragraphs
(:func:`answer_text`), not the whole body.

**Ranking** — BM25 values of different tables are not comparable, so a candidate's score
is its *coverage* — the importance of the message's groups it has over the sum of the
five most important; a group counts in full when its words are there, by share when some
are, 0.6 through a synonym, 0.9 through a translation — × ``(1 - REL_SHARE + REL_SHARE ×
rel)`` (*rel*: its BM25 over the best of its source) × the source weight
(:data:`SOURCE_WEIGHTS`; a reply also by its success score, a refusal template
×:data:`REFUSAL_FACTOR`) × :data:`OTHER_LANG_FACTOR` when it is not in the customer's
language (``lang``, else guessed from the script). Candidates below :data:`MIN_COVERAGE`
(or half the best coverage, if lower) are dropped. Then a greedy pick: each pick of a
source multiplies that source's next candidates by :data:`DIVERSITY` (a clearly better
source can still fill the list, close calls alternate), and a text too similar to one
already picked (Jaccard of terms ≥ :data:`DUPLICATE_SIMILARITY`) is skipped.
``matched`` lists the most important groups a suggestion has, as the message wrote them.

Speed: templates' and replies' term sets and articles' answers are cached until the file
changes; see ``bench/kb_suggest.py``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from . import text
from .search import Searcher, primary_language
from .store import KBStore
from .suggest_analysis import SYNONYM_KINDS, SYNONYM_WEIGHT, Analysis, analyse
from .template_store import TemplateStore

__all__ = ["Suggester", "Suggestion", "answer_text", "reply_title"]

log = logging.getLogger(__name__)

REL_SHARE = 0.4
POOL = 12           # template and reply candidates re-ranked (small tables: cheap)
ARTICLE_POOL = 8    # article candidates (each costs the search a snippet)
FTS_GROUPS = 8       # groups searched in the template and reply tables
DENSE_ROWS = 100     # a template/reply term in more rows is "common" …
MAX_DENSE_TERMS = 3  # … and only the rarest few of those are searched
SOURCE_WEIGHTS = {"template": 1.0, "reply": 0.95, "article": 0.9}
TEMPLATE_BM25 = (3.0, 3.0, 1.0)
REPLY_BM25 = (1.0, 0.3)
OTHER_LANG_FACTOR = 0.5
REFUSAL_FACTOR = 0.9  # a "no" is not the first thing to offer when a "yes" fits as well
MIN_COVERAGE = 0.15
DIVERSITY = 0.8
DUPLICATE_SIMILARITY = 0.8
ANSWER_CHARS = 500
CACHE_SIZE = 50_000
DEDUPE_CHARS = 600
MAX_MATCHED = 5

_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")
_MD_ITEM_RE = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_MD_INLINE = [(re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),
              (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
              (re.compile(r"\*{1,3}|`+|~~|^>\s?"), "")]
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。！？])\s*")


@dataclass(frozen=True)
class Suggestion:
    kind: str            # "template" | "article" | "reply"
    ref_id: str          # template id, article id, or str(reply id)
    title: str           # template/article title; for replies the first words of the reply
    text: str            # what is inserted (variables NOT yet filled)
    score: float
    matched: tuple[str, ...]   # the message's words that matched (for "why")
    refusal: bool = False
    language: str = ""


# --- candidate texts --------------------------------------------------------------------------


def answer_text(body: str, max_chars: int = ANSWER_CHARS) -> str:
    """An article's short answer: its opening paragraph(s) as plain text, headings left
    out, list items one per line, at most about ``max_chars`` characters."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", body[:max_chars * 10].replace("\r\n", "\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            if _MD_HEADING_RE.match(line) or not line.strip():
                continue
            item = _MD_ITEM_RE.match(line)
            line = line[item.end():] if item else line
            for rx, repl in _MD_INLINE:
                line = rx.sub(repl, line)
            line = " ".join(line.split())
            if item or not lines:
                lines.append(line)
            else:
                lines[-1] += " " + line
        if lines:
            paragraphs.append("\n".join(lines))
    out = ""
    for para in paragraphs:
        joined = f"{out}\n\n{para}" if out else para
        if len(joined) <= max_chars:
            out = joined
            continue
        if not out:  # the first paragraph alone is too long: cut at a sentence, or a word
            cut = para[:max_chars]
            ends = [m.start() for m in _SENTENCE_END_RE.finditer(cut) if m.start() > 0]
            if ends and ends[-1] >= max_chars // 3:
                out = cut[:ends[-1]].rstrip()
            else:
                space = cut.rfind(" ", max_chars // 2)
                out = (cut[:space] if space > 0 else cut).rstrip() + "…"
        break
    return out


def reply_title(reply: str, words: int = 8, cjk_chars: int = 20) -> str:
    flat = " ".join(reply.split())
    if text.is_cjk(flat[:cjk_chars]):
        return flat[:cjk_chars] + ("…" if len(flat) > cjk_chars else "")
    parts = flat.split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= DUPLICATE_SIMILARITY


# --- the suggester ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    kind: str
    ref_id: str
    title: str
    text: str
    bm25: float
    language: str
    terms: set[str]
    refusal: bool = False
    key: str = ""  # cache key when the id is not enough (articles: id@version)
    factor: float = 1.0
    score: float = 0.0
    matched: tuple[str, ...] = ()


class Suggester:
    """Suggestions from one knowledge-base file (same thread as its store)."""

    def __init__(self, store: KBStore, templates: TemplateStore | None = None,
                 searcher: Searcher | None = None) -> None:
        self.store = store
        self.templates = templates if templates is not None else TemplateStore(store)
        self.searcher = searcher if searcher is not None else Searcher(store)
        self._terms: dict[tuple[str, str], set[str]] = {}  # (kind, id) → index terms
        self._answers: dict[str, str] = {}  # article id@version → answer text
        self._generation = -1

    def _terms_of(self, kind: str, ref: str, source: str) -> set[str]:
        """The index terms of a template's or reply's text, cached until the file
        changes (a team has thousands of them, analysing 20 per message costs ms)."""
        key = (kind, ref)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) > CACHE_SIZE:
                self._terms.clear()
                self._answers.clear()
            found = self._terms[key] = set(text.index_terms(source))
        return found

    def suggest(self, message: str, *, lang: str | None = None, limit: int = 5,
                context: str = "") -> list[Suggestion]:
        """The best ``limit`` suggestions for a new customer message, best first. Never
        raises; an empty or meaningless message gives ``[]``."""
        try:
            return self._suggest(str(message or ""), lang, limit, str(context or ""))
        except Exception:  # a suggestion is never worth an error in the agent's face
            log.exception("suggestions failed")
            return []

    def _suggest(self, message: str, lang: str | None, limit: int,
                 context: str) -> list[Suggestion]:
        if limit <= 0 or not message.strip():
            return []
        generation = self.templates.generation()
        if generation != self._generation:
            self._terms.clear()
            self._generation = generation
        a = analyse(message, self.store, self.searcher.synonyms, self.templates, lang=lang,
                    context=context)
        if a.empty:
            return []
        cands = self._templates(a) + self._replies(a) + self._articles(a, lang)
        best_bm25: dict[str, float] = {}
        coverage: dict[int, float] = {}
        for c in cands:
            best_bm25[c.kind] = max(best_bm25.get(c.kind, 0.0), c.bm25)
            coverage[id(c)], c.matched = self._coverage(a, c.terms)
        # a long message has words no candidate can have: the bar is relative then
        bar = min(MIN_COVERAGE, 0.5 * max(coverage.values(), default=0.0))
        scored: list[_Candidate] = []
        for c in cands:
            cover = coverage[id(c)]
            if cover <= 0.0 or cover < bar:
                continue
            rel = c.bm25 / best_bm25[c.kind] if best_bm25[c.kind] > 0 else 0.0
            same_lang = primary_language(c.language) == a.language
            c.score = (cover * (1.0 - REL_SHARE + REL_SHARE * rel) * SOURCE_WEIGHTS[c.kind]
                       * c.factor * (1.0 if same_lang else OTHER_LANG_FACTOR))
            scored.append(c)
        return self._pick(scored, limit)

    @staticmethod
    def _coverage(a: Analysis, terms: set[str]) -> tuple[float, tuple[str, ...]]:
        """The share of what the message says that a candidate has, and the message words
        it has (the heaviest :data:`MAX_MATCHED`, in message order). A group counts in
        full when all its words are there, in part for some, :data:`SYNONYM_WEIGHT` for a
        synonym."""
        literal: dict[str, int] = {}
        synonym: dict[str, float] = {}
        for qt in a.terms:
            first, *more = qt.terms
            if first in terms and (not more or all(t in terms for t in more)):
                if qt.kind in SYNONYM_KINDS:
                    synonym[qt.group] = max(synonym.get(qt.group, 0.0), SYNONYM_KINDS[qt.kind])
                else:
                    literal[qt.group] = literal.get(qt.group, 0) + 1
        credit: dict[str, float] = {}
        for name in literal.keys() | synonym.keys():
            g = a.groups[name]
            share = max(min(1.0, literal.get(name, 0) / g.size), synonym.get(name, 0.0))
            credit[name] = share * g.importance
        top = sorted(credit, key=lambda name: (-credit[name], a.groups[name].pos))
        matched = _merge_cjk([(a.groups[name].pos, name) for name in top[:MAX_MATCHED]])
        covered = sum(credit.values())
        return min(1.0, covered / a.denominator), matched

    def _pick(self, cands: list[_Candidate], limit: int) -> list[Suggestion]:
        picked: list[_Candidate] = []
        picked_terms: list[set[str]] = []
        per_kind: dict[str, int] = {}
        pool = sorted(cands, key=lambda c: (-c.score, c.kind, c.ref_id))
        while pool and len(picked) < limit:
            best = max(pool, key=lambda c: c.score * DIVERSITY ** per_kind.get(c.kind, 0))
            pool.remove(best)
            own = self._terms_of("text-" + best.kind, best.key or best.ref_id,
                                 best.text[:DEDUPE_CHARS])
            if any(_similar(own, other) for other in picked_terms):
                continue
            picked.append(best)
            picked_terms.append(own)
            per_kind[best.kind] = per_kind.get(best.kind, 0) + 1
        return [Suggestion(c.kind, c.ref_id, c.title, c.text, round(c.score, 4), c.matched,
                           c.refusal, c.language) for c in picked]

    # --- the three sources --------------------------------------------------------------------

    def _bm25(self, kind: str, a: Analysis) -> dict[int, float]:
        """rowid → BM25 of the best :data:`POOL` templates or replies: the message's own
        terms, plus its synonyms and context weighted :data:`SYNONYM_WEIGHT`. Only the
        :data:`FTS_GROUPS` most important groups, and no term found in most rows."""
        table, weights = (("kb_template_fts", TEMPLATE_BM25) if kind == "template"
                          else ("kb_reply_fts", REPLY_BM25))
        groups = set(list(a.groups)[:FTS_GROUPS])
        qts = [qt for qt in a.terms if qt.group in groups]
        df = self.templates.doc_freqs(kind, [t for qt in qts for t in qt.terms])
        rows = self.templates.count(kind)
        qts = [qt for qt in qts if all(t in df and (rows < 20 or df[t] * 2 <= rows)
                                       for t in qt.terms)]
        # BM25 costs about a microsecond per matching row: a few common terms only
        common = sorted((qt for qt in qts if min(df[t] for t in qt.terms) > DENSE_ROWS),
                        key=lambda qt: min(df[t] for t in qt.terms))
        skip = {id(qt) for qt in common[MAX_DENSE_TERMS:]}
        qts = [qt for qt in qts if id(qt) not in skip]
        marks = ", ".join("?" * len(weights))
        out: dict[int, float] = {}
        for own, w in ((True, 1.0), (False, SYNONYM_WEIGHT)):
            expr = " OR ".join(dict.fromkeys(
                '"' + " ".join(qt.terms).replace('"', '""') + '"'
                for qt in qts if (qt.kind == "word") == own))
            if not expr:
                continue
            for rowid, score in self.store.conn.execute(
                    f"SELECT rowid, bm25({table}, {marks}) AS s FROM {table} WHERE {table} "
                    "MATCH ? ORDER BY s LIMIT ?", (*weights, expr, POOL)):
                out[int(rowid)] = out.get(int(rowid), 0.0) + w * -float(score)
        return dict(sorted(out.items(), key=lambda kv: -kv[1])[:POOL])

    def _templates(self, a: Analysis) -> list[_Candidate]:
        if self.templates.count("template") == 0:
            return []
        scores = self._bm25("template", a)
        out = []
        for rowid, t in self.templates.templates_by_rowid(list(scores)).items():
            terms = self._terms_of("template", t.id,
                                   f"{t.title}\n{' '.join(t.tags)}\n{t.body[:2000]}")
            out.append(_Candidate("template", t.id, t.title, t.body, scores[rowid],
                                  t.language, terms, refusal=t.refusal,
                                  factor=REFUSAL_FACTOR if t.refusal else 1.0))
        return out

    def _replies(self, a: Analysis) -> list[_Candidate]:
        if self.templates.count("reply") == 0:
            return []
        scores = self._bm25("reply", a)
        out = []
        for rid, r in self.templates.replies_by_id(list(scores)).items():
            terms = self._terms_of("reply", str(r.id),
                                   f"{r.customer_text[:1000]}\n{r.reply_text[:1000]}")
            factor = min(1.2, max(0.7, r.score ** 0.3)) if r.score > 0 else 0.7
            out.append(_Candidate("reply", str(r.id), reply_title(r.reply_text), r.reply_text,
                                  scores[rid], r.language, terms, factor=factor))
        return out

    def _articles(self, a: Analysis, lang: str | None) -> list[_Candidate]:
        if not a.search_query or self.store.count() == 0:
            return []
        hits = self.searcher.search(a.search_query, limit=ARTICLE_POOL, lang=lang)
        out = []
        for hit in hits:
            art = self.store.get(hit.id)
            if art is None:
                continue
            key = f"{art.id}@{art.version}"
            answer = self._answers.get(key)
            if answer is None:
                answer = self._answers[key] = answer_text(art.body)
            if not answer:
                continue
            terms = self._terms_of("article", key,
                                   f"{art.title}\n{' '.join(art.tags)}\n{answer}")
            out.append(_Candidate("article", art.id, art.title, answer, hit.score,
                                  art.language, terms, key=key))
        return out


def _merge_cjk(items: list[tuple[tuple[int, int], str]]) -> tuple[str, ...]:
    """Matched words in message order, overlapping or touching pieces of one Chinese run
    joined (快递 + 递员 → 快递员)."""
    out: list[tuple[tuple[int, int], str]] = []
    for pos, word in sorted(items):
        if out and text.is_cjk(word) and text.is_cjk(out[-1][1]) and out[-1][0][0] == pos[0]:
            (run, start), prev = out[-1]
            end = start + len(prev)
            if pos[1] <= end:
                out[-1] = ((run, start), prev + word[end - pos[1]:])
                continue
        out.append((pos, word))
    return tuple(word for _, word in out)
