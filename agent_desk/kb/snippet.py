"""Snippets: the part of an article body that best matches a query, with the matched words
as ``(start, end)`` spans, computed on the original text (not on the index).

Which words count as matched is decided by the analyser, not by string comparison: a word
is highlighted when its index term is one of the query's (so "Refunded" lights up for
*refund*, "charges" for *charge*), a Chinese bigram or character when it is one of the
query's bigrams/characters; overlapping hits merge (退款 + 款项 → 退款项).

Only the first :data:`SCAN_CHARS` characters of a body are scanned, so a megabyte of text
costs the same as a page; past that the snippet is the body's opening.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from . import text

SCAN_CHARS = 100_000
WIDTH = 160
LEFT_CONTEXT = 40
MAX_SPANS = 2_000

Span = tuple[int, int]

_WORD_CHAR = re.compile(text.WORD_CLASS)
_WORD_TAIL = re.compile(text.WORD_CLASS + "*")

_MD_RULES = [
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),          # images
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),      # links → their text
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}|[-*+]|>|\d+\.)[ \t]+"), ""),  # headings, lists, quotes
    (re.compile(r"\*{1,3}|`+|~~"), ""),                     # emphasis, code
    (re.compile(r"\s+"), " "),
]


def plain(markdown: str) -> str:
    """Markdown (or plain text) as one line of plain text, for previews and snippets."""
    out = markdown
    for rx, repl in _MD_RULES:
        out = rx.sub(repl, out)
    return out.strip()


@dataclass(frozen=True)
class Matcher:
    """Finds the words of a text that match a set of index terms."""

    words: frozenset[str]          # stems / words
    cjk: frozenset[str]            # CJK bigrams and characters
    prefixes: tuple[str, ...] = ()  # normalised word prefixes (search-as-you-type)

    @classmethod
    def of(cls, terms: Iterable[str], prefixes: Iterable[str] = ()) -> Matcher:
        words: set[str] = set()
        cjk: set[str] = set()
        for t in terms:
            (cjk if text.is_cjk(t) else words).add(t)
        return cls(frozenset(words), frozenset(cjk), tuple(prefixes))

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        """Literals only (compiling a class of every Unicode letter takes milliseconds, a
        query's worth per keystroke): word boundaries are checked in :meth:`spans`."""
        alts = sorted({w[:-1] if len(w) > 3 and w[-1] in "ey" else w for w in self.words}
                      | set(self.prefixes) | self.cjk, key=len, reverse=True)
        if not alts:
            return None
        # a lookahead finds overlapping hits (退款 and 款项 in 退款项)
        return re.compile("(?=(" + "|".join(re.escape(a) for a in alts) + "))", re.IGNORECASE)

    def spans(self, s: str, limit: int = MAX_SPANS) -> list[tuple[int, int, str]]:
        """(start, end, term) of the matches in ``s``, in order, overlaps merged. A word
        matches from its start to its end when its term is one of ours (or it starts with
        one of our prefixes); CJK bigrams and characters match where they are."""
        rx = self._regex
        if rx is None:
            return []
        found: list[tuple[int, int, str]] = []
        for m in rx.finditer(s):
            hit = m.group(1)
            start = m.start(1)
            if text.is_cjk(hit[0]):
                term = hit
                end = start + len(hit)
            else:
                if start > 0 and _WORD_CHAR.match(s, start - 1):
                    continue  # inside a word
                tail = _WORD_TAIL.match(s, start + len(hit))
                end = tail.end() if tail else start + len(hit)
                norm = text.normalize(s[start:end])
                term = text.word_term(norm) or norm
                if term not in self.words and not any(norm.startswith(p)
                                                       for p in self.prefixes):
                    continue
            if found and start < found[-1][1]:  # overlap: merge
                if end > found[-1][1]:
                    found[-1] = (found[-1][0], end, found[-1][2] + "+" + term)
                continue
            found.append((start, end, term))
            if len(found) >= limit:
                break
        return found


def highlight(s: str, matcher: Matcher) -> list[Span]:
    return [(a, b) for a, b, _ in matcher.spans(s)]


def make_snippet(body: str, matcher: Matcher, width: int = WIDTH) -> tuple[str, list[Span]]:
    """The ``width``-character window of the body (as plain text) with the most distinct
    matched terms, "…" where cut, and the spans of the matches inside it."""
    source = plain(body[:SCAN_CHARS])
    found = matcher.spans(source)
    if not found:
        cut = len(source) > width
        return (source[:width].rstrip() + ("…" if cut else "")), []
    # the window starting at each match with the most distinct terms (sliding: the matches
    # from i that start within width - LEFT_CONTEXT of it)
    best_i, best_n = 0, -1
    in_window: Counter[str] = Counter()
    j = 0
    for i, (a, _, _) in enumerate(found):
        limit = a + width - LEFT_CONTEXT
        while j < len(found) and found[j][0] < limit:
            in_window[found[j][2]] += 1
            j += 1
        if len(in_window) > best_n:
            best_i, best_n = i, len(in_window)
        term = found[i][2]
        in_window[term] -= 1
        if not in_window[term]:
            del in_window[term]
    start = max(0, found[best_i][0] - LEFT_CONTEXT)
    if start > 0:  # do not start inside a word
        space = source.find(" ", start, found[best_i][0])
        if 0 <= space < start + 15:
            start = space + 1
    end = min(len(source), start + width)
    if end < len(source):
        space = source.rfind(" ", end - 15, end)
        if space > found[best_i][1]:
            end = space
    prefix = "…" if start > 0 else ""
    snippet = prefix + source[start:end].strip() + ("…" if end < len(source) else "")
    lead = len(source[start:end]) - len(source[start:end].lstrip())
    shift = len(prefix) - start - lead
    spans = [(a + shift, min(b, end) + shift) for a, b, _ in found if a >= start + lead and a < end]
    return snippet, spans


def mark(s: str, spans: Iterable[Span], open_: str = "**", close: str = "**") -> str:
    """``s`` with each span wrapped in ``open_`` … ``close``."""
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out += [s[pos:a], open_, s[a:b], close]
        pos = b
    out.append(s[pos:])
    return "".join(out)
