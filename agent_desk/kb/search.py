"""Search: query analysis, BM25 through FTS5, re-ranking, snippets.

A query is analysed with the same :mod:`.text` analyser as the articles, into *clauses*
(each one index term, or a phrase of terms) that are OR-ed together in one FTS5 query, so an
article matching more of them — and rarer ones — ranks higher (BM25):

1. the query's own terms (stems; CJK bigrams, or the character of a one-character run);
2. **synonyms** (:mod:`.synonyms`): phrases added for words/phrases of the query;
3. **typos**: an English word of five letters or more that no article contains is replaced
   by the (at most two) most common index terms one edit away (recieve → receive), for
   the first :data:`MAX_TYPO_WORDS` such words;
4. with ``prefix_last`` (search-as-you-type) the last word, still being typed, also
   matches its :data:`MAX_COMPLETIONS` most common completions in the index ("refu" →
   refund), those at least 1/:data:`COMPLETION_RATIO` as common as the first (a rare
   completion would outweigh the others through its IDF).

Terms found in more than half of the articles carry no weight in BM25 (FTS5 clamps their
IDF) but cost time, so they are dropped when other terms remain; a query with more than
:data:`MAX_CLAUSES` clauses keeps its rarest ones; a query longer than
:data:`MAX_QUERY_CHARS` is cut there. Every clause is a double-quoted string of letters and
digits, so nothing a user types is ever FTS5 syntax (``"``, ``*``, ``NEAR``, ``-``, ``(``).

A term in more than :data:`DENSE_DF` articles only counts where an article is *about* it —
its title and tags (unless it is in hardly any title or tag, see :mod:`.termindex`) — and
in bodies only when that finds nothing. Synonyms are weighted :data:`SYNONYM_WEIGHT` (so
an article using three words for "delivery" does not beat one that has the customer's
two words); when no article shares a bigram with a Chinese query, single characters are
tried (weighted :data:`CHARACTER_WEIGHT`).

Speed: FTS5 scores a query by walking the posting list of every term (~1 µs per
article), so a term in 25,000 articles costs 25 ms whatever the rest of the query. The
scores of a term in more than :data:`~.termindex.MID_DF` articles therefore come from
its precomputed top list (:mod:`.termindex`: the same BM25, the best
:data:`~.termindex.LIST_SIZE` articles), and those of as common a phrase from a query of
its own cached until the file changes; FTS5 only walks the posting lists of rarer terms,
at most :data:`FTS_BUDGET` entries per query (a pasted page keeps its rarest terms).

Ranking: BM25 with the title weighted :data:`TITLE_WEIGHT`, tags :data:`TAGS_WEIGHT`,
body 1 gives the best :data:`CANDIDATES`; those are re-scored by helpfulness/usage (at
most +:data:`MAX_USAGE_BOOST`) and the preferred language (×:data:`CUSTOMER_LANG_BOOST`
for the customer's language when given, else ×:data:`LANG_BOOST` for the language
guessed from the query's script: Chinese characters → ``zh``, otherwise ``en``); only the
articles that make the results are read whole.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter

from . import text
from .bm25 import BODY_WEIGHT, FULL, TAGS_WEIGHT, TITLE_WEIGHT
from .snippet import Matcher, Span, highlight, make_snippet, mark
from .store import KBStore, StoredArticle
from .synonyms import Synonyms, default_synonyms, match_form
from .termindex import DENSE_DF, LIST_SIZE, MID_DF

MAX_QUERY_CHARS = 1_000
MAX_CLAUSES = 32
CANDIDATES = 100
FTS_BUDGET = 6_000
MAX_COMPLETIONS = 6
COMPLETION_RATIO = 4
LANG_BOOST = 1.3
CUSTOMER_LANG_BOOST = 2.0
CHARACTER_WEIGHT = 0.3
MAX_USAGE_BOOST = 0.3
MAX_TYPO_CANDIDATES = 2
MAX_TYPO_WORDS = 4  # unknown words corrected per query (a pasted page has hundreds)
SYNONYM_WEIGHT = 0.5
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})

_match_form = lru_cache(maxsize=50_000)(match_form)


@dataclass(frozen=True)
class Clause:
    terms: tuple[str, ...]
    source: str  # query | typo | prefix | translation | synonym | character
    df: int = 0  # articles with its rarest term
    dense: bool = False  # in more than DENSE_DF articles: titles and tags only

    def fts(self, *, restrict: bool = True) -> str:
        """The FTS5 expression. A common term (``dense``) only counts where an article is
        about it, its title and tags: matching it in 20,000 bodies says little about them
        (and costs ~20 ms of BM25)."""
        quoted = '"' + " ".join(self.terms).replace('"', '""') + '"'
        return "{title tags} : " + quoted if restrict and self.dense else quoted


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    language: str | None = None  # guessed from the script
    cjk_runs: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # terms left out (too common, too many)
    prefixes: list[str] = field(default_factory=list)  # the word being typed

    def fts(self) -> str:
        return " OR ".join(c.fts() for c in self.clauses)

    def matcher(self) -> Matcher:
        return Matcher.of({t for c in self.clauses for t in c.terms}, self.prefixes)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float
    snippet: str
    highlights: tuple[Span, ...]  # in ``snippet``
    title_highlights: tuple[Span, ...]
    language: str
    tags: tuple[str, ...]

    def marked_snippet(self, open_: str = "**", close: str = "**") -> str:
        return mark(self.snippet, self.highlights, open_, close)

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "score": self.score,
                "snippet": self.marked_snippet()}


def primary_language(tag: str | None) -> str | None:
    """``zh_CN`` / ``zh-Hans`` → ``zh``; ``""`` → None."""
    if not tag:
        return None
    return tag.replace("_", "-").split("-")[0].lower() or None


class Searcher:
    """Searches one :class:`KBStore` (same thread as the store)."""

    def __init__(self, store: KBStore, synonyms: Synonyms | None = None) -> None:
        self.store = store
        self.synonyms = synonyms if synonyms is not None else default_synonyms()

    # --- analysis ---------------------------------------------------------------------------

    def parse(self, query: str, *, lang: str | None = None, prefix_last: bool = False
              ) -> ParsedQuery:
        """Synonyms in another script than the query's (English ↔ Chinese) are only added
        when ``lang`` (the customer's language) is in that script: "refund" finds 退款
        articles for a Chinese customer, and English articles first otherwise."""
        query = query[:MAX_QUERY_CHARS]
        toks = list(text.tokens(query))
        parsed = ParsedQuery()
        if any(t.cjk for t in toks):
            parsed.language = "zh"
        elif any(not t.cjk and not t.text.isdigit() for t in toks):
            parsed.language = "en"
        parsed.cjk_runs = [t.text for t in toks if t.cjk]
        clauses: dict[tuple[str, ...], Clause] = {}

        def add(terms: tuple[str, ...], source: str) -> None:
            if terms and terms not in clauses:
                clauses[terms] = Clause(terms, source)

        words: list[str] = []  # English words to check for typos
        for tok in toks:
            if tok.cjk:
                for term in text.query_terms_of_run(tok.text):
                    add((term,), "query")
            elif tok.term is not None:
                add((tok.term,), "query")
                words.append(tok.text)
        forms = [f for t in toks for f in _match_form(t.text)] if self.synonyms.latin else []
        scripts = {t.cjk for t in toks}
        if lang:
            scripts.add(primary_language(lang) in CJK_LANGUAGES)
        query_scripts = {t.cjk for t in toks}
        for phrase in self.synonyms.expand(forms, [t.text for t in toks if t.cjk]):
            script = text.is_cjk(phrase[0])
            if script in query_scripts:
                add(phrase, "synonym")
            elif script in scripts:
                add(phrase, "translation")
        if prefix_last and toks and not toks[-1].cjk and len(toks[-1].text) >= 2 \
                and query.rstrip() == query and query[-1:].isalnum():
            # the word being typed: its most common completions in the index (a rare one
            # would outweigh them all through its IDF: "refu" is refund, not refusal)
            parsed.prefixes.append(toks[-1].text)
            completions = self.store.completions(toks[-1].text, MAX_COMPLETIONS)
            for term, count in completions:
                if count * COMPLETION_RATIO >= completions[0][1]:
                    add((term,), "prefix")
            if completions and words and words[-1] == toks[-1].text:
                words.pop()  # not a typo: unfinished
        if not clauses:
            return parsed

        df = self.store.doc_freqs(t for c in clauses.values() for t in c.terms)
        # typos: unknown English words → the most common terms one edit away
        unknown = [w for w in words if text.word_term(w) not in df][:MAX_TYPO_WORDS]
        if unknown:
            cands = {w: text.typo_candidates(w) for w in unknown}
            cand_df = self.store.doc_freqs(c for cs in cands.values() for c in cs)
            for cs in cands.values():
                found = sorted((c for c in cs if c in cand_df), key=lambda c: -cand_df[c])
                for c in found[:MAX_TYPO_CANDIDATES]:
                    add((c,), "typo")
                    df[c] = cand_df[c]
        self._prune(parsed, list(clauses.values()), df)
        return parsed

    def _prune(self, parsed: ParsedQuery, clauses: list[Clause], df: dict[str, int]) -> None:
        n = self.store.count()

        def rarity(c: Clause) -> int:  # phrases: as rare as their rarest term
            return min(df.get(t, 0) for t in c.terms)

        # a term in no article: the clause cannot match
        kept = [replace(c, df=rarity(c), dense=rarity(c) > DENSE_DF)
                for c in clauses if all(t in df for t in c.terms)]
        useful = [c for c in kept if c.df * 2 <= n]
        if useful and len(useful) < len(kept):
            parsed.dropped += [" ".join(c.terms) for c in kept if c.df * 2 > n]
            kept = useful
        # the rarest MAX_CLAUSES, and of those FTS5 walks the posting lists of (terms in
        # at most MID_DF articles, see termindex) no more than FTS_BUDGET entries
        keep: set[int] = set()
        cost = 0
        for i in sorted(range(len(kept)), key=lambda i: kept[i].df):
            c = kept[i]
            walks = c.df <= MID_DF
            if len(keep) >= MAX_CLAUSES or (walks and cost and cost + c.df > FTS_BUDGET):
                parsed.dropped.append(" ".join(c.terms))
                continue
            keep.add(i)
            cost += c.df if walks else 0
        parsed.clauses = [c for i, c in enumerate(kept) if i in keep]

    # --- search -----------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 10, lang: str | None = None,
               prefix_last: bool = False) -> list[Hit]:
        """The best ``limit`` published articles for ``query``, best first. Never raises
        for any query text; an empty or meaningless query gives ``[]``."""
        if limit <= 0:
            return []
        parsed = self.parse(query, lang=lang, prefix_last=prefix_last)
        if not parsed.clauses and not parsed.cjk_runs:
            return []
        pool = max(CANDIDATES, limit)
        main = [c for c in parsed.clauses if c.source != "synonym"]
        synonyms = [c for c in parsed.clauses if c.source == "synonym"]
        relevance: dict[int, float] = {}
        self._add(relevance, main, pool, 1.0)
        self._add(relevance, synonyms, pool, SYNONYM_WEIGHT)
        if not relevance and any(c.dense for c in parsed.clauses):
            # nothing with the common terms in titles and tags only: look in bodies too
            self._add(relevance, main, pool, 1.0, restrict=False)
            self._add(relevance, synonyms, pool, SYNONYM_WEIGHT, restrict=False)
        if not relevance and parsed.cjk_runs:
            # no article shares a bigram with the query: fall back on single characters
            chars = {ch for run in parsed.cjk_runs for ch in run}
            df = self.store.doc_freqs(chars)
            n = self.store.count()
            fallback = [Clause((ch,), "character", df[ch], dense=df[ch] > DENSE_DF)
                        for ch in sorted(chars) if 0 < df.get(ch, 0) * 2 <= n]
            self._add(relevance, fallback[:MAX_CLAUSES], pool, CHARACTER_WEIGHT)
        if not relevance:
            return []
        if lang:
            preferred, boost = primary_language(lang), CUSTOMER_LANG_BOOST
        else:
            preferred, boost = parsed.language, LANG_BOOST
        top = self._rank(relevance, pool, limit, preferred, boost)
        bodies = self.store.bodies(a.rowid for _, a in top)
        matcher = parsed.matcher()
        hits = []
        for score, art in top:
            snip, spans = make_snippet(bodies.get(art.rowid, ""), matcher)
            hits.append(Hit(art.id, art.title, round(score, 4), snip, tuple(spans),
                            tuple(highlight(art.title, matcher)), art.language, art.tags))
        return hits

    def _rank(self, relevance: dict[int, float], pool: int, limit: int,
              preferred: str | None, boost: float) -> list[tuple[float, StoredArticle]]:
        """The best ``limit`` of the best ``pool`` by relevance, re-scored (:meth:`_score`)
        from the few columns that takes; only those ``limit`` are read whole."""
        order = heapq.nlargest(pool, relevance.items(), key=itemgetter(1))
        info = self.store.rank_info(r for r, _ in order)
        scored = sorted(
            ((self._score(rel, *info[rowid][1:], preferred, boost), info[rowid][0], rowid)
             for rowid, rel in order if rowid in info), key=lambda s: (-s[0], s[1]))[:limit]
        articles = self.store.by_rowids((r for _, _, r in scored), with_body=False)
        return [(score, articles[rowid]) for score, _, rowid in scored if rowid in articles]

    def _bm25(self, clauses: list[Clause], pool: int, *, restrict: bool = True
              ) -> dict[int, float]:
        """rowid → BM25 (positive) of the best ``pool`` articles for the OR of ``clauses``."""
        if not clauses:
            return {}
        rows = self.store.conn.execute(
            "SELECT rowid, bm25(kb_fts, ?, ?, ?) AS s FROM kb_fts WHERE kb_fts MATCH ? "
            "ORDER BY s LIMIT ?",
            (TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT,
             " OR ".join(c.fts(restrict=restrict) for c in clauses),
             pool)).fetchall()
        return {int(rowid): -float(score) for rowid, score in rows}

    def _add(self, relevance: dict[int, float], clauses: list[Clause], pool: int,
             weight: float, *, restrict: bool = True) -> None:
        """Add ``weight`` × the BM25 of the OR of ``clauses`` to ``relevance``. The scores
        of a term in more than MID_DF articles come from its top list (:mod:`.termindex`),
        those of a phrase as common from a cached query of its own: FTS5's BM25 for the
        clause (a dense one in titles and tags), so the sum is the BM25 of the whole OR
        (within the best ``pool`` of the rest and the lists)."""
        listed = [c for c in clauses if c.df > MID_DF]
        rest = [c for c in clauses if c.df <= MID_DF]
        lists = self.store.top_lists(c.terms[0] for c in listed if len(c.terms) == 1)
        n = self.store.count()
        get = relevance.get
        for c in listed:
            lst = lists.get(c.terms[0]) if len(c.terms) == 1 else None
            if lst is not None and (restrict or lst.kind == FULL):
                w = weight * lst.idf(n, c.df)
                for rowid, part in zip(lst.rowids, lst.parts, strict=True):
                    relevance[rowid] = get(rowid, 0.0) + w * part
            else:
                for rowid, score in self.store.fts_top(c.fts(restrict=restrict), LIST_SIZE):
                    relevance[rowid] = get(rowid, 0.0) + weight * score
        for rowid, score in self._bm25(rest, pool, restrict=restrict).items():
            relevance[rowid] = relevance.get(rowid, 0.0) + weight * score

    @staticmethod
    def _score(relevance: float, language: str, usage_count: int, helped_count: int,
               preferred: str | None, lang_boost: float) -> float:
        boost = 1.0 + min(MAX_USAGE_BOOST, 0.1 * math.log1p(helped_count)
                          + 0.03 * math.log1p(usage_count))
        if preferred and primary_language(language) == preferred:
            boost *= lang_boost
        return relevance * boost
