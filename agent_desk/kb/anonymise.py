"""Turn a team's successful reply into a reusable template: the customer's details become
variables, other personal data is masked (pure Python, no Qt).

- the customer's names → ``{customer.name}``; the first name of a spaced name on its own →
  ``{customer.first_name}`` (so ``Hi John`` fills back to the next customer's first name);
  likewise ``agent_names`` → ``{agent.name}`` / ``{agent.first_name}``;
- the given order numbers → ``{order.number}`` (exact, ignoring case, not inside a longer
  code);
- any other e-mail address → ``[email]``, card-like runs of 13–19 digits → ``[card]``,
  phone numbers (7–15 digits, with ``+``, spaces, dashes, brackets) → ``[phone]``.

Latin-script names match case-insensitively on word boundaries, CJK names anywhere
(substring). The surname and other parts of a Latin name are matched only as written
(``Smith``), so a name like Will or Rose does not eat "will" or "rose"; a Chinese surname
is matched only before a form of address (王先生 → ``{customer.name}``先生), never alone.

The result is a template body: braces already in the text are doubled, so
``templates.fill(anonymise(reply), values)`` gives the reply back for another customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .templates import escape, first_name, is_cjk_name

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
CARD_MASK = "[card]"

_CJK = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
        "\uf900-\ufaff\U00020000-\U0003134f")
#: a Latin-script (non-CJK) letter or digit: names and numbers must not touch one
_NOT_BEFORE = f"(?<![^\\W{_CJK}])"
_NOT_AFTER = f"(?![^\\W{_CJK}])"

_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])",
                       re.ASCII)
#: 13–19 digits in one run, or grouped as cards are written (4-4-4-4, 4-6-5, 4-4-4-4-3)
_CARD_RE = re.compile(r"(?<![\w+])(?:\d{13,19}|\d{4}[ -]\d{4,6}[ -]\d{4,5}(?:[ -]\d{1,4})?)"
                      r"(?![\w])", re.ASCII)
_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d(?:[ ()-]{0,2}\d)+(?!\w)", re.ASCII)
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15

#: forms of address that follow a Chinese surname (王先生, 李女士)
_CJK_HONORIFICS = ("先生", "女士", "小姐", "老师", "同学", "经理", "总", "太太", "阿姨")
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "澹台"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "dame"})

Span = tuple[int, int, str]


def anonymise(text: str, *, names: Sequence[str] = (), order_numbers: Sequence[str] = (),
              agent_names: Sequence[str] = ()) -> str:
    """``text`` as a template body with the customer's (and agent's) details as variables
    and other personal data masked. Never raises on odd input: non-strings and blank
    entries are ignored."""
    if not isinstance(text, str) or not text.strip():
        return text if isinstance(text, str) else ""
    spans: list[Span] = []
    _add(spans, _order_spans(text, order_numbers))
    _add(spans, ((m.start(), m.end(), EMAIL_MASK) for m in _EMAIL_RE.finditer(text)))
    name_re, variants = _name_pattern(names, agent_names)
    if name_re is not None:
        _add(spans, _name_spans(name_re, variants, text))
    _add(spans, ((m.start(), m.end(), CARD_MASK) for m in _CARD_RE.finditer(text)
                 if 13 <= sum(c.isdigit() for c in m.group()) <= 19))
    for m in _PHONE_RE.finditer(text):
        _add(spans, _phone_spans(m.group(), m.start()))
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(spans):
        out.append(escape(text[pos:start]))
        out.append(replacement)
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _add(spans: list[Span], found: Iterable[Span]) -> None:
    """Add the spans that do not overlap one already taken (earlier detectors win)."""
    for span in found:
        if span[0] < span[1] and not any(span[0] < e and s < span[1] for s, e, _ in spans):
            spans.append(span)


def _order_spans(text: str, order_numbers: Sequence[str]) -> list[Span]:
    numbers = sorted({n.strip() for n in order_numbers if isinstance(n, str) and n.strip()},
                     key=len, reverse=True)
    if not numbers:
        return []
    pattern = re.compile(_NOT_BEFORE + "(?:" + "|".join(re.escape(n) for n in numbers) + ")"
                         + _NOT_AFTER, re.IGNORECASE)
    return [(m.start(), m.end(), "{order.number}") for m in pattern.finditer(text)]


def _name_pattern(names: Sequence[str], agent_names: Sequence[str]
                  ) -> tuple[re.Pattern[str] | None, list[str]]:
    """One regex for every form of every name; group ``n<i>`` ↔ ``variants[i]``."""
    forms: dict[tuple[str, bool], str] = {}  # (regex, case-insensitive) → variable
    for who, given in (("customer", names), ("agent", agent_names)):
        for raw in (g for g in given if isinstance(g, str)):
            for regex, fold, var in _name_forms(" ".join(raw.split()), who):
                forms.setdefault((regex, fold), var)
    if not forms:
        return None, []
    ordered = sorted(forms.items(), key=lambda kv: len(kv[0][0]), reverse=True)
    alts = []
    variants = []
    for i, ((regex, fold), var) in enumerate(ordered):
        alts.append(f"(?P<n{i}>{'(?i:' + regex + ')' if fold else regex})")
        variants.append(var)
    return re.compile("|".join(alts)), variants


def _name_forms(name: str, who: str) -> list[tuple[str, bool, str]]:
    """(regex, case-insensitive, replacement) for each form of one name."""
    full = "{" + who + ".name}"
    if len(name) < 2:
        return []
    if is_cjk_name(name):
        forms = [(_spaced(name), False, full)]
        if " " not in name and len(name) >= 2:
            surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[0]
            if surname != name:
                honorifics = "|".join(_CJK_HONORIFICS)
                forms.append((f"{re.escape(surname)}(?=(?:{honorifics}))", False, full))
        return forms
    forms = [(_latin(name), True, full)]
    words = [w for w in name.replace(",", " ").split() if w.rstrip(".").lower() not in _TITLES]
    if len(words) > 1:
        first = first_name(name)
        for w in words:
            if len(w) < 2:
                continue
            var = "{" + who + ".first_name}" if w == first else full
            forms.append((_latin(w), False, var))
    return forms


def _spaced(name: str) -> str:
    return r"\s*".join(re.escape(part) for part in name.split(" "))


def _latin(name: str) -> str:
    return _NOT_BEFORE + r"\s+".join(re.escape(p) for p in name.split(" ")) + _NOT_AFTER


def _name_spans(pattern: re.Pattern[str], variants: list[str], text: str) -> list[Span]:
    spans: list[Span] = []
    for m in pattern.finditer(text):
        group = m.lastgroup
        if group is not None:
            spans.append((m.start(), m.end(), variants[int(group[1:])]))
    return spans


def _phone_spans(candidate: str, offset: int) -> list[Span]:
    """The phone numbers in a run of digits and separators: the whole run, or else (a run
    joining several numbers or a date and a number with spaces) groups of its pieces."""
    if _is_phone(candidate):
        return [(offset, offset + len(candidate), PHONE_MASK)]
    pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", candidate)]
    spans: list[Span] = []
    i = 0
    while i < len(pieces):
        best = None
        for j in range(i, len(pieces)):
            chunk = candidate[pieces[i][0]:pieces[j][1]]
            if sum(c.isdigit() for c in chunk) > _MAX_PHONE_DIGITS:
                break
            if _is_phone(chunk):
                best = j
        if best is None:
            i += 1
            continue
        spans.append((offset + pieces[i][0], offset + pieces[best][1], PHONE_MASK))
        i = best + 1
    return spans


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if not _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
        return False
    return _DATE_RE.fullmatch(candidate) is None
