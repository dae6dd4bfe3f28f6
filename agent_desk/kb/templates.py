"""Reply-template variables and ``#shortcut`` detection (pure Python, no Qt).

Template bodies use ``{customer.name}``-style variables::

    Hello {customer.first_name}, your order {order.number} is on its way. — {agent.name}

- A variable is a name of letters, digits and ``_`` (not starting with a digit), with
  ``.``-separated parts, between single braces. ``{{`` and ``}}`` stand for literal braces.
- A brace that does not enclose a valid name (``{ }``, ``{123``, a lone ``}``) is plain text.
- Names are matched case-insensitively against :data:`KNOWN_VARIABLES`.
- :func:`fill` replaces known variables that have a value; unknown variables and known ones
  without a value stay visible as ``{name}`` and are reported as :class:`VarSpan` problems
  (offsets in the *filled* text, so the UI can highlight them). Values are inserted
  verbatim: a value that itself contains ``{x}`` is never expanded again.

:func:`make_values` builds the value mapping from plain keyword arguments (the customer 360,
the order, the agent); :func:`shortcut_at` finds a ``#refund`` shortcut being typed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

KNOWN_VARIABLES: frozenset[str] = frozenset({
    "customer.name", "customer.first_name", "customer.tier", "customer.email",
    "customer.phone", "order.number", "order.status", "agent.name", "agent.first_name",
    "interaction.subject", "company.name", "today",
})

#: ``{{`` | ``}}`` | ``{name}`` — scanned left to right, so ``{{x}}`` is the literal ``{x}``
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^\W\d]\w*(?:\.\w+)*)\}")

#: the longest shortcut name (without ``#``)
MAX_SHORTCUT_LEN = 40
_SHORTCUT_RE = re.compile(rf"[#＃]([\w-]{{1,{MAX_SHORTCUT_LEN}}})\Z")
#: characters a shortcut may follow besides whitespace: CJK and full-width punctuation
#: (Chinese has no spaces: 您好，#退款), but not ASCII punctuation (``page/#anchor``)
_CJK_PUNCT_RE = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")

_CJK_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
                     r"\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "dame"})


@dataclass(frozen=True)
class VarSpan:
    """A variable that could not be filled: ``text[start:end] == "{" + name + "}"``."""

    start: int
    end: int
    name: str
    problem: str  # "unknown" (not a known variable) | "missing" (known, no value given)


@dataclass(frozen=True)
class Filled:
    """A filled template body and the variables left in it (offsets into ``text``)."""

    text: str
    problems: tuple[VarSpan, ...]


def canonical(name: str) -> str:
    """The known variable ``name`` stands for (case-insensitive), else ``name`` itself."""
    low = name.lower()
    return low if low in KNOWN_VARIABLES else name


def variables(body: str) -> list[str]:
    """The variable names used in ``body``, each once, in order of first use (as written)."""
    seen: dict[str, None] = {}
    for m in _TOKEN_RE.finditer(body):
        if m.group(1) is not None:
            seen.setdefault(m.group(1), None)
    return list(seen)


def fill(body: str, values: Mapping[str, str]) -> Filled:
    """Replace the known variables of ``body`` that have a non-blank value in ``values``
    (keys as in :data:`KNOWN_VARIABLES`); everything else stays visible and is listed."""
    out: list[str] = []
    problems: list[VarSpan] = []
    length = 0
    pos = 0
    for m in _TOKEN_RE.finditer(body):
        literal = body[pos:m.start()]
        out.append(literal)
        length += len(literal)
        pos = m.end()
        name = m.group(1)
        if name is None:  # an escaped brace
            piece = m.group(0)[0]
        else:
            key = canonical(name)
            value = values.get(key) if key in KNOWN_VARIABLES else None
            if isinstance(value, str) and value.strip():
                piece = value
            else:
                piece = m.group(0)
                problems.append(VarSpan(length, length + len(piece), name,
                                        "missing" if key in KNOWN_VARIABLES else "unknown"))
        out.append(piece)
        length += len(piece)
    out.append(body[pos:])
    return Filled("".join(out), tuple(problems))


def escape(text: str) -> str:
    """``text`` as a template body that fills to itself (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def shortcut_at(text: str, cursor: int) -> tuple[int, int, str] | None:
    """The ``#name`` shortcut ending exactly at ``cursor``: ``(start, end, name)`` with
    ``text[start:end] == "#" + name``, or None.

    The name is 1–40 letters (any script), digits, ``_`` or ``-``; the ``#`` (or full-width
    ``＃``) must be at the start of the text or follow whitespace or CJK punctuation, so
    ``abc#x`` and ``page#anchor`` are not shortcuts. A cursor inside a word (a name
    character right after it) is not the end of a shortcut.
    """
    if not isinstance(text, str) or not 0 < cursor <= len(text):
        return None
    if cursor < len(text) and _is_name_char(text[cursor]):
        return None
    lo = max(0, cursor - MAX_SHORTCUT_LEN - 1)
    m = _SHORTCUT_RE.search(text, lo, cursor)
    if m is None:
        return None
    start = m.start()
    if start > 0:
        before = text[start - 1]
        if not (before.isspace() or _CJK_PUNCT_RE.match(before)):
            return None
    return start, cursor, m.group(1)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def is_cjk_name(name: str) -> bool:
    """Whether ``name`` is written in CJK characters (such names are not split)."""
    return _CJK_RE.search(name) is not None


def first_name(full_name: str) -> str:
    """The form of address for a first-name greeting.

    English and other spaced names: the first word, skipping a title (``Dr Jane Roe`` →
    ``Jane``; ``Roe, Jane`` → ``Jane``). Chinese, Japanese and Korean names are returned
    whole (王小明 stays 王小明): the given name cannot be told reliably from the name.
    """
    name = " ".join(full_name.split())
    if not name or is_cjk_name(name):
        return name
    if "," in name:
        last, _, rest = name.partition(",")
        name = rest.strip() or last.strip()
    words = name.split(" ")
    while len(words) > 1 and words[0].rstrip(".").lower() in _TITLES:
        words = words[1:]
    return words[0]


#: keyword → variable, for :func:`make_values` (besides ``customer_name`` → ``customer.name``)
_ALIASES = {"subject": "interaction.subject", "company": "company.name",
            "tier": "customer.tier"}


def make_values(**parts: str | None) -> dict[str, str]:
    """The value mapping for :func:`fill` from keyword arguments named after the variables
    with ``_`` for the first dot: ``customer_name``, ``customer_first_name``,
    ``customer_tier``, ``customer_email``, ``customer_phone``, ``order_number``,
    ``order_status``, ``agent_name``, ``agent_first_name``, ``interaction_subject``,
    ``company_name``, ``today`` (also ``subject``, ``company``, ``tier``).

    None and blank values are left out (the variable is then reported as missing). First
    names default to :func:`first_name` of the full names; ``today`` to today's ISO date.
    An unknown keyword raises TypeError, like a misspelt argument.
    """
    values: dict[str, str] = {}
    for key, value in parts.items():
        var = _ALIASES.get(key) or key.replace("_", ".", 1)
        if var not in KNOWN_VARIABLES:
            raise TypeError(f"make_values() got an unexpected keyword argument {key!r}")
        if value is not None and value.strip():
            values[var] = value.strip()
    for who in ("customer", "agent"):
        full = values.get(f"{who}.name")
        if full and f"{who}.first_name" not in values:
            values[f"{who}.first_name"] = first_name(full)
    values.setdefault("today", datetime.date.today().isoformat())
    return values
