"""The "decline → reason → alternative" helper: gentle hints on an agent's draft reply.

Data-driven: the phrase lists live in ``resources/kb/reply_rules.json`` (shipped as
``agent_desk.resources``, read with ``importlib.resources`` like the synonyms), one block
per language::

    {"en": {"match": "words", "decline": [...], "reason": [...], "alternative": [...],
            "forbidden_promises": [...], "conditional": [...], "negation": [...]},
     "zh": {"match": "substring", ..., "negation_exceptions": [...]}}

- ``match: words`` (English): case-insensitive on word boundaries; an apostrophe also
  matches ``’``, and ``n't`` also matches ``nt`` (can't = can’t = cant). ``substring``
  (Chinese): anywhere. In a phrase, spaces match any whitespace and ``…`` a gap of up to
  12 characters inside one clause (根据…政策 finds 根据公司退货政策).
- A draft that declines (a ``decline`` phrase, not inside a question and not after a
  ``conditional`` word of the same clause: "If you can't log in…") but has no ``reason``
  phrase anywhere gets a ``decline_no_reason`` hint, and one without an ``alternative``
  phrase a ``decline_no_alternative`` hint, both on the first decline phrase.
- Every ``forbidden_promises`` phrase is a ``forbidden_promise`` hint. A promise or an
  alternative right after a ``negation`` ("we cannot guarantee tomorrow", 无法为您安排) does
  not count; ``negation_exceptions`` start like a negation but are not one (不过 = but).

Each list is one precompiled regex, so checking a 2,000-character draft takes well under a
millisecond. :func:`check_reply` never raises: the hints are advice and never block sending.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

RESOURCE = "kb/reply_rules.json"

DECLINE_NO_REASON = "decline_no_reason"
DECLINE_NO_ALTERNATIVE = "decline_no_alternative"
FORBIDDEN_PROMISE = "forbidden_promise"
#: hints at one place are listed in the pattern's order: reason, then alternative
_KIND_ORDER = {DECLINE_NO_REASON: 0, DECLINE_NO_ALTERNATIVE: 1, FORBIDDEN_PROMISE: 2}

#: a gap (``…``) and a clause never cross these
_CLAUSE_PUNCT = ".,;:!?\n。，、；：！？"
_CLAUSE_END_RE = re.compile(r"[.,;:!?\n。，、；：！？]")
_SENTENCE_END_RE = re.compile(r"[.!?\n。！？]")
_GAP = f"[^{re.escape(_CLAUSE_PUNCT)}]{{0,12}}?"
_APOSTROPHES = "'’"
#: how far back a negation can be, in characters
_NEGATION_WINDOW = {"words": 40, "substring": 4}


@dataclass(frozen=True)
class ToneHint:
    """One hint: ``kind`` is ``decline_no_reason`` | ``decline_no_alternative`` |
    ``forbidden_promise``; ``text[start:end] == phrase`` is the phrase it is about."""

    kind: str
    start: int
    end: int
    phrase: str


def _atoms(phrase: str, words: bool) -> list[str]:
    """A phrase as a list of regex pieces (one per character, whitespace run or gap), with
    the word-boundary tests as first/last pieces in ``words`` mode."""
    text = phrase.replace("...", "…").strip()
    if words:
        text = text.lower()  # matched with IGNORECASE; lower case shares trie branches
    atoms: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            while i + 1 < len(text) and text[i + 1].isspace():
                i += 1
            atoms.append(r"\s+")
        elif ch == "…":
            atoms.append(_GAP)
        elif ch in _APOSTROPHES:
            optional = words and text[i - 1:i] == "n" and text[i + 1:i + 2] == "t"
            atoms.append(f"[{_APOSTROPHES}]" + ("?" if optional else ""))
        else:
            atoms.append(re.escape(ch))
        i += 1
    if words and text:
        if text[0].isalnum() or text[0] == "_":
            atoms.insert(0, r"(?<!\w)")
        if text[-1].isalnum() or text[-1] == "_":
            atoms.append(rf"(?!\w)(?![{_APOSTROPHES}]\w)")
    return atoms


class _Trie:
    """Phrases merged on common prefixes, so the regex tries each character once."""

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.end = False

    def add(self, atoms: list[str]) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        node.end = True

    def pattern(self) -> str:
        # longer continuations first; a gap (which matches anything) last
        keys = sorted(self.children, key=lambda a: (a == _GAP, a))
        alts = [atom + self.children[atom].pattern() for atom in keys]
        if not alts:
            return ""
        if len(alts) == 1 and not self.end:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if self.end else "")


def compile_phrases(phrases: Iterable[str], words: bool, *,
                    not_before_not: bool = False) -> re.Pattern[str] | None:
    """One regex finding any of ``phrases`` (the longest where several start at one place),
    or None for no phrases. ``not_before_not``: an English phrase directly followed by
    "not" does not match ("we will not…" is no alternative)."""
    trie = _Trie()
    firsts: set[str] = set()
    for p in phrases:
        if not isinstance(p, str) or not p.strip():
            continue
        trie.add(_atoms(p, words))
        first = p.replace("...", "…").strip()[0]
        firsts.update(_APOSTROPHES if first in _APOSTROPHES else first.lower())
    if not trie.children:
        return None
    # a cheap first-character test before walking the trie at each position
    lookahead = "" if "…" in firsts or any(c.isspace() for c in firsts) else (
        "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])")
    pattern = lookahead + trie.pattern()
    if not_before_not and words:
        pattern += r"(?!\s+not\b)"
    return re.compile(pattern, re.IGNORECASE if words else 0)


@dataclass
class LanguageRules:
    """The compiled phrase lists of one language."""

    words: bool
    decline: re.Pattern[str] | None = None
    reason: re.Pattern[str] | None = None
    alternative: re.Pattern[str] | None = None
    forbidden: re.Pattern[str] | None = None
    conditional: re.Pattern[str] | None = None
    negation_end: re.Pattern[str] | None = None
    negation_exceptions: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> LanguageRules:
        match = data.get("match", "words")
        if match not in ("words", "substring"):
            raise ValueError(f"reply rules: 'match' must be 'words' or 'substring': {match!r}")
        words = match == "words"

        def phrases(key: str) -> list[str]:
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"reply rules: {key!r} must be a list of strings")
            return value

        rules = cls(words=words,
                    decline=compile_phrases(phrases("decline"), words),
                    reason=compile_phrases(phrases("reason"), words),
                    alternative=compile_phrases(phrases("alternative"), words,
                                                not_before_not=True),
                    forbidden=compile_phrases(phrases("forbidden_promises"), words),
                    conditional=compile_phrases(phrases("conditional"), words),
                    negation_exceptions=tuple(phrases("negation_exceptions")))
        negations = phrases("negation")
        if negations:
            alts = "|".join("".join(_atoms(p, words)) for p in
                            sorted(set(negations), key=lambda p: (-len(p), p)) if p.strip())
            # a negation, then at most two more words (en) / two characters (zh), then the
            # phrase: tested on the text just before the phrase
            tail = (r"(?:\s+[\w'’]+){0,2}\s*\Z" if words
                    else f"[^{re.escape(_CLAUSE_PUNCT)}]{{0,2}}\\Z")
            rules.negation_end = re.compile(f"(?:{alts}){tail}",
                                            re.IGNORECASE if words else 0)
        return rules

    def negated(self, text: str, start: int) -> bool:
        """Whether a negation of the same clause comes right before ``text[start:]``."""
        if self.negation_end is None:
            return False
        window = text[max(0, start - _NEGATION_WINDOW["words" if self.words else "substring"]):
                      start]
        window = _CLAUSE_END_RE.split(window)[-1]
        for exc in self.negation_exceptions:
            window = window.replace(exc, " " * len(exc))
        return self.negation_end.search(window) is not None

    def conditional_before(self, text: str, start: int) -> bool:
        """Whether a conditional word ("if", 如果) opens the clause before ``start``."""
        if self.conditional is None:
            return False
        clause_start = max(0, start - 200)
        for m in _CLAUSE_END_RE.finditer(text, max(0, start - 200), start):
            clause_start = m.end()
        return self.conditional.search(text, clause_start, start) is not None


@dataclass
class ReplyRules:
    """Compiled rules per language code (``en``, ``zh``)."""

    languages: dict[str, LanguageRules] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> ReplyRules:
        rules = cls()
        for lang, block in data.items():
            if lang.startswith("_"):
                continue
            if not isinstance(block, dict):
                raise ValueError(f"reply rules: {lang!r} must be an object")
            rules.languages[lang.lower()] = LanguageRules.from_data(block)
        return rules

    @classmethod
    def load(cls, path: str | Path | None = None) -> ReplyRules:
        """The shipped rules, or the file at ``path``."""
        if path is None:
            raw = resources.files("agent_desk.resources").joinpath(RESOURCE).read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("reply rules: the file must hold a JSON object")
        return cls.from_data(data)

    def for_language(self, language: str | None) -> list[LanguageRules]:
        """The rule sets to apply: the language's own (``zh_CN`` → ``zh``), else all."""
        if language:
            code = language.lower().replace("_", "-").split("-")[0]
            if code in self.languages:
                return [self.languages[code]]
        return list(self.languages.values())

    def check(self, text: str, language: str | None = None) -> list[ToneHint]:
        """The hints for the draft ``text`` (sorted by position)."""
        sets = self.for_language(language)
        hints: list[ToneHint] = []
        decline: tuple[int, int] | None = None
        for rules in sets:
            found = _first_decline(rules, text)
            if found is not None and (decline is None or found < decline):
                decline = found
            if rules.forbidden is not None:
                for m in rules.forbidden.finditer(text):
                    if not rules.negated(text, m.start()):
                        hints.append(ToneHint(FORBIDDEN_PROMISE, m.start(), m.end(), m.group()))
        if decline is not None:
            start, end = decline
            phrase = text[start:end]
            if not any(r.reason is not None and r.reason.search(text) for r in sets):
                hints.append(ToneHint(DECLINE_NO_REASON, start, end, phrase))
            if not any(_has_alternative(r, text) for r in sets):
                hints.append(ToneHint(DECLINE_NO_ALTERNATIVE, start, end, phrase))
        hints.sort(key=lambda h: (h.start, h.end, _KIND_ORDER.get(h.kind, 9)))
        return hints


def _first_decline(rules: LanguageRules, text: str) -> tuple[int, int] | None:
    if rules.decline is None:
        return None
    for m in rules.decline.finditer(text):
        if _in_question(text, m.end()) or rules.conditional_before(text, m.start()):
            continue
        return m.start(), m.end()
    return None


def _in_question(text: str, pos: int) -> bool:
    """Whether the clause from ``pos`` on is a question (ends with ? or 吗)."""
    m = _CLAUSE_END_RE.search(text, pos, pos + 300)
    if m is not None:
        if m.group() in "?？":
            return True
        rest = text[pos:m.start()]
    elif len(text) - pos <= 300:
        rest = text[pos:]
    else:
        return False
    return rest.rstrip().endswith(("吗", "么", "呢"))


def _has_alternative(rules: LanguageRules, text: str) -> bool:
    if rules.alternative is None:
        return False
    return any(not rules.negated(text, m.start()) for m in rules.alternative.finditer(text))


_default: ReplyRules | None = None


def default_rules() -> ReplyRules:
    """The shipped rules, loaded once. A broken file is logged and means no hints."""
    global _default
    if _default is None:
        try:
            _default = ReplyRules.load()
        except (OSError, ValueError) as exc:
            log.warning("reply tone rules not loaded: %s", exc)
            _default = ReplyRules()
    return _default


def check_reply(text: str, language: str | None = None,
                rules: ReplyRules | None = None) -> list[ToneHint]:
    """Gentle hints for an agent's draft (``language`` None or unknown → every list).
    Pure and fast; never raises (an unexpected error is logged and gives no hints)."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return (rules or default_rules()).check(text, language if isinstance(language, str)
                                                else None)
    except Exception:  # advice only: a bug here must never break the composer
        log.warning("reply tone check failed", exc_info=True)
        return []
