"""Text analysis for the knowledge base: one tokeniser for indexing and for queries.

- **Normalisation**: NFKC (full-width Ｒｅｆｕｎｄ → refund, ideographic spaces), case folding,
  Latin diacritics removed (café → cafe), possessive ``'s`` dropped.
- **Latin and other spaced scripts**: runs of letters/digits; words of letters only are
  stemmed with a light Porter-style stemmer (plurals, -ed/-ing, final -e, British -ll) so
  refund / refunds / refunded / refunding all index as ``refund``; a small stop-word list
  is left out of the index and of queries.
- **CJK** (Han, kana, Hangul) is written without spaces, so every run is indexed as its
  overlapping **bigrams plus unigrams**: 我要退款 → 我要 要退 退款 我 要 退 款. A query run of
  two or more characters is searched as its bigrams, a single character as its unigram, so
  two-character words (退款, 发票, 保修, 物流) match exactly and whole sentences without spaces
  match through the bigrams they share with an article. (FTS5's trigram tokenizer cannot
  match queries under three characters; a dictionary segmenter would add a dependency and
  miss out-of-vocabulary product words.)
- Everything else (punctuation, emoji, symbols, control characters) separates tokens and is
  never indexed.

Every token consists of Unicode letters and digits only, so SQLite's ``unicode61`` tokenizer
splits the space-joined token string exactly where we did (see ``store.py``). Changing this
module's output for existing text requires bumping :data:`ANALYZER_VERSION` (stores built
with another version are re-indexed when opened).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

ANALYZER_VERSION = 1

#: Latin-script words longer than this are noise (URLs, hashes, base64) and not indexed.
MAX_WORD_LEN = 48

_CJK_RANGES = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
               "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f")
#: regex classes: one CJK character; one character of a (non-CJK) word
CJK_CLASS = f"[{_CJK_RANGES}]"
WORD_CLASS = f"[^\\W_{_CJK_RANGES}]"
_TOKEN_RE = re.compile(f"({CJK_CLASS}+)|({WORD_CLASS}+)")
_CJK_CHAR_RE = re.compile(f"[{_CJK_RANGES}]")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DECOMPOSABLE_RE = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")
_POSSESSIVE_RE = re.compile(r"(?<=[^\W\d_])['’]s\b")

STOPWORDS = frozenset("""
a an and are as at be been but by can could did do does doing for from had has have how i
if in into is it its me my of on or our please so than that the their them then there these
they this to too us was we were what when where which who why will with would you your
""".split())

_VOWELS = frozenset("aeiou")


def normalize(text: str) -> str:
    """NFKC, case-folded, Latin diacritics removed. Offsets are not preserved."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii() and _has_combining(text):
        text = unicodedata.normalize("NFC", _COMBINING_RE.sub("", unicodedata.normalize(
            "NFD", text)))
    return _POSSESSIVE_RE.sub("", text)


def _has_combining(text: str) -> bool:
    # cheap pre-check: decomposable Latin letters live in U+00C0..U+024F and U+1E00..U+1EFF
    return _DECOMPOSABLE_RE.search(text) is not None


def is_cjk(text: str) -> bool:
    return _CJK_CHAR_RE.search(text) is not None


# --- stemming -------------------------------------------------------------------------------


def _is_consonant(word: str, i: int) -> bool:
    ch = word[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences."""
    m, prev_vowel = 0, False
    for i in range(len(stem)):
        cons = _is_consonant(stem, i)
        if cons and prev_vowel:
            m += 1
        prev_vowel = not cons
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _cvc(stem: str) -> bool:
    """Consonant-vowel-consonant ending, the last not w, x or y (hop, not box)."""
    n = len(stem)
    return (n >= 3 and _is_consonant(stem, n - 1) and not _is_consonant(stem, n - 2)
            and _is_consonant(stem, n - 3) and stem[-1] not in "wxy")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer (Porter steps 1a, 1b and 5): inflections only, so stems stay
    readable and typo correction works on them. ``word`` is lower-case ASCII letters."""
    w = word
    if len(w) <= 3:
        return w
    # 1a: plurals
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies"):
        w = w[:-3] + ("y" if len(w) > 4 else "ie")
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    # 1b: -eed, -ed, -ing
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[:-len(suffix)]) and len(w) - len(suffix) >= 2:
                w = w[:-len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif len(w) >= 2 and w[-1] == w[-2] and w[-1] not in "lsz" \
                        and _is_consonant(w, len(w) - 1):
                    w = w[:-1]
                elif _measure(w) == 1 and _cvc(w):
                    w += "e"
                break
    # 5a: final -e; 5b: -ll
    if w.endswith("e") and len(w) > 3:
        m = _measure(w[:-1])
        if m > 1 or (m == 1 and not _cvc(w[:-1])):
            w = w[:-1]
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w


def word_term(word: str) -> str | None:
    """The index term of one normalised non-CJK word, or None when it is not indexed
    (a stop word, a single letter, too long)."""
    if len(word) > MAX_WORD_LEN or word in STOPWORDS:
        return None
    if len(word) == 1 and not word.isdigit():
        return None
    if word.isascii() and word.isalpha():
        return stem(word)
    return word


# --- tokenisation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a normalised text: a word (``cjk`` False; ``term`` its index term or
    None for a stop word) or a CJK run (``cjk`` True, ``text`` the run)."""

    text: str
    cjk: bool
    term: str | None


def tokens(text: str) -> Iterator[Token]:
    """Words and CJK runs of ``text`` in order (after :func:`normalize`)."""
    for m in _TOKEN_RE.finditer(normalize(text)):
        cjk_run, word = m.group(1), m.group(2)
        if cjk_run:
            yield Token(cjk_run, True, None)
        else:
            yield Token(word, False, word_term(word))


def cjk_bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> list[str]:
    """The terms an article's text is indexed under, in order: stems of words, and for CJK
    runs their bigrams followed by their unigrams."""
    out: list[str] = []
    for m in _TOKEN_RE.finditer(normalize(text)):
        cjk_run, word = m.group(1), m.group(2)
        if cjk_run:
            if len(cjk_run) > 1:
                out.extend(cjk_run[i:i + 2] for i in range(len(cjk_run) - 1))
            out.extend(cjk_run)
        else:
            term = word_term(word)
            if term is not None:
                out.append(term)
    return out


def index_text(text: str) -> str:
    """:func:`index_terms` joined by spaces: what the FTS5 table is fed."""
    return " ".join(index_terms(text))


def query_terms_of_run(run: str) -> list[str]:
    """How a CJK query run is searched: its bigrams, or the character itself."""
    return cjk_bigrams(run) if len(run) > 1 else [run]


# --- typo tolerance -------------------------------------------------------------------------

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_TYPO_LEN = 5


def edits1(word: str) -> set[str]:
    """Every string one edit away (delete, transpose, replace, insert; a-z)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + transposes + replaces + inserts)


def typo_candidates(word: str) -> set[str]:
    """Index terms one edit away from a query word (which is not itself in the index):
    edits of the raw word and of its stem, stemmed, keeping the first letter (or swapping
    the first two). Only for letters-only words of at least :data:`MIN_TYPO_LEN` letters:
    shorter words have too many neighbours to guess from ("near" → year, wear)."""
    if len(word) < MIN_TYPO_LEN or not (word.isascii() and word.isalpha()):
        return set()
    raw = edits1(word) | edits1(stem(word))
    swapped = word[1] + word[0]
    # stem() only changes words ending in s, d (-ed), g (-ing), e or l (-ll): skip the rest
    return {stem(c) if c[-1] in "sdgel" else c for c in raw if c not in STOPWORDS
            and len(c) > 3 and (c[0] == word[0] or c.startswith(swapped))}
