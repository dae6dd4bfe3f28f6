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
   matches as a prefix ("refu" → refund).

Terms found in more than half of the articles carry no weight in BM25 (FTS5 clamps their
IDF) but cost time, so they are dropped when other terms remain; a query with more than
:data:`MAX_CLAUSES` clauses keeps its rarest ones; a query longer than
:data:`MAX_QUERY_CHARS` is cut there. Every clause is a double-quoted string of letters and
digits, so nothing a user types is ever FTS5 syntax (``"``, ``*``, ``NEAR``, ``-``, ``(``).

Speed: FTS5's BM25 costs about 1 µs per matching article, so a term in 25,000 articles
costs 25 ms whatever the rest of the query. A term in more than :data:`DENSE_DF` articles
therefore only counts where an article is *about* it — its title and tags (more than
:data:`VERY_DENSE_DF`: its title) — and in bodies only when that finds nothing. Synonyms
are a second query weighted :data:`SYNONYM_WEIGHT` (so an article using three words for
"delivery" does not beat one that has the customer's two words); when no article shares a
bigram with a Chinese query, single characters are tried (weighted
:data:`CHARACTER_WEIGHT`).

Ranking: FTS5's ``bm25`` with the title weighted :data:`TITLE_WEIGHT`, tags
:data:`TAGS_WEIGHT`, body 1 gives the best :data:`CANDIDATES`; those are re-scored by
helpfulness/usage (at most +:data:`MAX_USAGE_BOOST`) and the preferred language
(×:data:`CUSTOMER_LANG_BOOST` for the customer's language when given, else
×:data:`LANG_BOOST` for the language guessed from the query's script: Chinese characters →
``zh``, otherwise ``en``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from . import text
from .snippet import Matcher, Span, highlight, make_snippet, mark
from .store import KBStore, StoredArticle
from .synonyms import Synonyms, default_synonyms, match_form

MAX_QUERY_CHARS = 1_000
MAX_CLAUSES = 32
CANDIDATES = 100
TITLE_WEIGHT = 4.0
TAGS_WEIGHT = 3.0
BODY_WEIGHT = 1.0
LANG_BOOST = 1.3
CUSTOMER_LANG_BOOST = 2.0
CHARACTER_WEIGHT = 0.3
MAX_USAGE_BOOST = 0.3
MAX_TYPO_CANDIDATES = 2
MAX_TYPO_WORDS = 4  # unknown words corrected per query (a pasted page has hundreds)
SYNONYM_WEIGHT = 0.5
DENSE_DF = 2_000
VERY_DENSE_DF = 10_000
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


@dataclass(frozen=True)
class Clause:
    terms: tuple[str, ...]
    source: str  # query | typo | prefix | translation | synonym | character
    prefix: bool = False
    dense: int = 0  # 1: in > DENSE_DF articles, 2: in > VERY_DENSE_DF (see fts())

    def fts(self, *, restrict: bool = True) -> str:
        """The FTS5 expression. A common term (``dense``) only counts where an article is
        about it: in its title and tags (1), or its title (2). Matching a term in 20,000
        bodies costs ~20 ms of BM25 and says little about them."""
        quoted = '"' + " ".join(self.terms).replace('"', '""') + '"'
        if self.prefix:
            quoted += "*"
        if not restrict or not self.dense:
            return quoted
        return ("{title tags} : " if self.dense == 1 else "title : ") + quoted


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    language: str | None = None  # guessed from the script
    cjk_runs: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # terms left out (too common, too many)

    def fts(self) -> str:
        return " OR ".join(c.fts() for c in self.clauses)

    def matcher(self) -> Matcher:
        terms = {t for c in self.clauses if not c.prefix for t in c.terms}
        prefixes = [c.terms[0] for c in self.clauses if c.prefix]
        return Matcher.of(terms, prefixes)


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

        def add(terms: tuple[str, ...], source: str, prefix: bool = False) -> None:
            key = (*terms, "*") if prefix else terms
            if terms and key not in clauses:
                clauses[key] = Clause(terms, source, prefix)

        words: list[str] = []  # English words to check for typos
        for tok in toks:
            if tok.cjk:
                for term in text.query_terms_of_run(tok.text):
                    add((term,), "query")
            elif tok.term is not None:
                add((tok.term,), "query")
                words.append(tok.text)
        forms = [f for t in toks for f in match_form(t.text)] if self.synonyms.latin else []
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
            add((toks[-1].text,), "prefix", prefix=True)
        if not clauses:
            return parsed

        df = self.store.doc_freqs(t for c in clauses.values() if not c.prefix for t in c.terms)
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

        def rarity(c: Clause) -> int:  # phrases and prefixes: as rare as their rarest term
            if c.prefix:
                return 0
            return min(df.get(t, 0) for t in c.terms)

        # a term in no article: the clause cannot match
        kept = [c for c in clauses if c.prefix or all(t in df for t in c.terms)]
        kept = [replace(c, dense=(rarity(c) > DENSE_DF) + (rarity(c) > VERY_DENSE_DF))
                for c in kept]
        useful = [c for c in kept if rarity(c) * 2 <= n]
        if useful and len(useful) < len(kept):
            parsed.dropped += [" ".join(c.terms) for c in kept if c not in useful]
            kept = useful
        if len(kept) > MAX_CLAUSES:
            by_rarity = sorted(kept, key=rarity)
            keep = set(map(id, by_rarity[:MAX_CLAUSES]))
            parsed.dropped += [" ".join(c.terms) for c in kept if id(c) not in keep]
            kept = [c for c in kept if id(c) in keep]
        parsed.clauses = kept

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
        relevance = self._bm25(main, pool)
        self._add(relevance, synonyms, pool, SYNONYM_WEIGHT)
        if not relevance and any(c.dense for c in parsed.clauses):
            # nothing with the common terms in titles and tags only: look in bodies too
            relevance = self._bm25(main, pool, restrict=False)
            self._add(relevance, synonyms, pool, SYNONYM_WEIGHT, restrict=False)
        if not relevance and parsed.cjk_runs:
            # no article shares a bigram with the query: fall back on single characters
            chars = {ch for run in parsed.cjk_runs for ch in run}
            df = self.store.doc_freqs(chars)
            n = self.store.count()
            fallback = [Clause((ch,), "character", dense=(df[ch] > DENSE_DF)
                               + (df[ch] > VERY_DENSE_DF))
                        for ch in sorted(chars) if 0 < df.get(ch, 0) * 2 <= n]
            self._add(relevance, fallback[:MAX_CLAUSES], pool, CHARACTER_WEIGHT)
        if not relevance:
            return []
        articles = self.store.by_rowids(relevance, with_body=False)
        if lang:
            preferred, boost = primary_language(lang), CUSTOMER_LANG_BOOST
        else:
            preferred, boost = parsed.language, LANG_BOOST
        scored: list[tuple[float, StoredArticle]] = []
        for rowid, rel in relevance.items():
            art = articles.get(rowid)
            if art is not None:
                scored.append((self._score(rel, art, preferred, boost), art))
        scored.sort(key=lambda sa: (-sa[0], sa[1].id))
        top = scored[:limit]
        bodies = self.store.bodies(a.rowid for _, a in top)
        matcher = parsed.matcher()
        hits = []
        for score, art in top:
            snip, spans = make_snippet(bodies.get(art.rowid, ""), matcher)
            hits.append(Hit(art.id, art.title, round(score, 4), snip, tuple(spans),
                            tuple(highlight(art.title, matcher)), art.language, art.tags))
        return hits

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
        for rowid, score in self._bm25(clauses, pool, restrict=restrict).items():
            relevance[rowid] = relevance.get(rowid, 0.0) + weight * score

    @staticmethod
    def _score(relevance: float, art: StoredArticle, preferred: str | None,
               lang_boost: float) -> float:
        boost = 1.0 + min(MAX_USAGE_BOOST, 0.1 * math.log1p(art.helped_count)
                          + 0.03 * math.log1p(art.usage_count))
        if preferred and primary_language(art.language) == preferred:
            boost *= lang_boost
        return relevance * boost
