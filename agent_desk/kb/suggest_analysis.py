"""Analysis of a new customer message for :mod:`.suggest` (see its docstring): what the
message says, as weighted groups of index terms, done once per message.

1. :func:`condense`: quoted e-mail history is dropped (lines starting with ``>``, and
   everything from an "On … wrote:" / "-----Original Message-----" / "发件人：" line on);
   a text still longer than :data:`MAX_MESSAGE_CHARS` keeps its first :data:`HEAD_CHARS`
   characters (greeting and subject) plus its last customer paragraph (the last line of
   40+ characters that is not a sign-off), at most :data:`TAIL_CHARS`.
2. Terms, with the KB's analyser (:mod:`.text`): word stems and Chinese bigrams. Left
   out: numbers (order numbers), courtesy words (:data:`NOISE_WORDS`, :data:`NOISE_CJK`:
   hi, thanks, 你好, 我的 …), bigrams with a particle (的快 in 我的快递), terms in no
   article, template or reply, and terms in more than half of the articles.
3. Synonyms (the search's ``synonyms.json``), remembering the message words that
   triggered them (money back → refund, 还没到 → 物流); phrases in the other script
   (English ↔ Chinese) only when the customer's language is in it ("translations").
4. **Groups**: what the message says, one unit each — a synonym trigger with the words or
   bigrams inside it (还没 + 没到 are 还没到, counted once), or a plain word / bigram. A
   trigger is a customer-service concept (it has synonyms), so it gets the highest
   importance (:data:`IDF_CAP`); a plain word its IDF in the articles, capped lower
   (:data:`WORD_CAP`). In a KB every article is about refunds or delivery, so IDF alone
   would rank "refund" below a chance word. At most :data:`MAX_GROUPS` groups.
5. The article search query: the :data:`ARTICLE_GROUPS` most important groups, few
   common ones (each common term costs the search milliseconds).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from . import text
from .search import CJK_LANGUAGES, primary_language
from .store import KBStore
from .synonyms import Synonyms
from .template_store import TemplateStore

MAX_SCAN_CHARS = 50_000
MAX_MESSAGE_CHARS = 1_000
HEAD_CHARS = 600
TAIL_CHARS = 400
MAX_CONTEXT_CHARS = 300
MAX_GROUPS = 24
CONTEXT_POS = 1_000_000  # context terms come after the message's
DENOM_TERMS = 5
ARTICLE_GROUPS = 3
COMMON_IDF = math.log(10.0)  # the IDF of a term in a tenth of the articles
MAX_COMMON_GROUPS = 1
MAX_DOMAIN_GROUPS = 2
CONTEXT_WEIGHT = 0.5
SYNONYM_WEIGHT = 0.6
TRANSLATION_WEIGHT = 0.9  # the customer's language's word for what they wrote
SYNONYM_KINDS = {"synonym": SYNONYM_WEIGHT, "translation": TRANSLATION_WEIGHT}
IDF_CAP = math.log(101.0)   # the IDF of a term in 1 % of the articles: a domain concept
WORD_CAP = 0.8 * IDF_CAP    # the most a plain word (no synonyms) is worth
UNSEEN_WEIGHT = 0.6 * IDF_CAP  # a word in no article (only templates / replies)

NOISE_WORDS = frozenset(text.word_term(w) or w for w in """
hi hello hey dear thanks thank thx regards cheers best sincerely kind ok okay sorry sir
madam team guys yes no just also still already really very much asap urgent want wanted
need like get got know let tell hope thing something anything someone one say says said
""".split())
NOISE_CJK = frozenset("""你好 您好 谢谢 感谢 请问 麻烦 亲亲 客服 在吗 您们 你们 我们 一下
我的 你的 您的 我想 我要 一个 什么 怎么 可以 这个 那个 现在 已经 还是 就是 但是 因为 所以 如果
这样 或者 或是 能在 能否 能不 不能 可不 以吗 给我 帮我 一台 一下子
今天 明天 然后 而且 不过""".split())
#: particles: a bigram with one of them is almost always across two words (的快 in 我的快递)
CJK_PARTICLES = frozenset("的了吗呢吧啊呀嘛哦么")

_QUOTE_CUT_RE = re.compile(r"(?m)^\s*(?:On .{0,200} wrote:|-{2,}\s*Original Message\s*-{2,}|"
                           r"发件人[:：]|From: .*@.*)\s*$")
_SIGN_OFF_RE = re.compile(r"^\s*(?:best|kind|regards|thanks|thank you|cheers|sincerely|sent "
                          r"from|--|此致|谢谢|祝好)", re.IGNORECASE)


def condense(message: str) -> str:
    """The part of a (possibly very long) message worth matching; see the module doc."""
    msg = message[:MAX_SCAN_CHARS].replace("\r\n", "\n")
    cut = _QUOTE_CUT_RE.search(msg)
    if cut is not None and msg[:cut.start()].strip():
        msg = msg[:cut.start()]
    lines = [ln for ln in msg.split("\n") if not ln.lstrip().startswith(">")]
    msg = "\n".join(lines).strip()
    if len(msg) <= MAX_MESSAGE_CHARS:
        return msg
    head = msg[:HEAD_CHARS]
    space = head.rfind(" ", HEAD_CHARS - 40)
    head = head[:space] if space > 0 else head
    rest = msg[len(head):]
    tail = ""
    for line in reversed(rest.split("\n")):
        if len(line.strip()) >= 40 and not _SIGN_OFF_RE.match(line):
            tail = line.strip()
            break
    if len(tail) > TAIL_CHARS or not tail:
        tail = (tail or rest)[-TAIL_CHARS:]
        space = tail.find(" ", 0, 40)
        tail = tail[space + 1:] if space >= 0 else tail
    return f"{head}\n{tail}"


@dataclass
class QueryTerm:
    terms: tuple[str, ...]   # index terms: one, or a synonym phrase
    surface: str             # the message's word(s) it stands for
    pos: tuple[int, int]     # (token index, offset in a CJK run): message order
    kind: str = "word"       # word | synonym | translation | context
    width: int = 1           # synonyms: tokens (Latin) or characters (CJK) of the trigger
    group: str = ""


@dataclass
class Group:
    """One thing the message says: a word, a Chinese bigram, or a synonym trigger (money
    back, 还没到) with the words/bigrams inside it and the synonyms it adds."""

    name: str
    pos: tuple[int, int]
    importance: float = 0.0
    size: int = 1            # literal members needed for full credit
    domain: bool = False     # has synonyms: a customer-service concept


@dataclass
class Analysis:
    language: str | None = None
    terms: list[QueryTerm] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    search_query: str = ""
    denominator: float = 1.0

    @property
    def empty(self) -> bool:
        return not self.terms


def guess_language(message: str) -> str:
    cjk = len(re.findall(text.CJK_CLASS, message[:2000]))
    words = len(re.findall(f"{text.WORD_CLASS}+", message[:2000]))
    return "zh" if cjk and cjk >= words else "en"


def _words(toks: list[text.Token], pos_base: int, kind: str,
           protected: set[tuple[int, int]] | None = None) -> list[QueryTerm]:
    """The terms of the tokens; noise left out unless ``protected`` (inside a synonym
    trigger: 坏了 is a word there)."""
    protected = protected or set()
    found: list[QueryTerm] = []
    singles: list[QueryTerm] = []
    for i, tok in enumerate(toks):
        if tok.cjk:
            if len(tok.text) == 1:
                singles.append(QueryTerm((tok.text,), tok.text, (pos_base + i, 0), kind))
            for j, bigram in enumerate(text.cjk_bigrams(tok.text)):
                if (i, j) in protected or (bigram not in NOISE_CJK
                                           and not CJK_PARTICLES.intersection(bigram)):
                    found.append(QueryTerm((bigram,), bigram, (pos_base + i, j), kind))
        elif tok.term is not None and not tok.text.isdigit() and (
                tok.term not in NOISE_WORDS or (i, 0) in protected):
            found.append(QueryTerm((tok.term,), tok.text, (pos_base + i, 0), kind))
    return found or singles


def _protected(syns: list[QueryTerm]) -> set[tuple[int, int]]:
    """Positions inside synonym triggers: (token, 0) for words, (run, offset) for the
    bigrams of a Chinese trigger."""
    out: set[tuple[int, int]] = set()
    for qt in syns:
        i, at = qt.pos
        if text.is_cjk(qt.surface):
            out.update((i, j) for j in range(at, at + max(1, qt.width - 1)))
        else:
            out.update((k, 0) for k in range(i, i + qt.width))
    return out


def analyse(message: str, store: KBStore, synonyms: Synonyms,
            templates: TemplateStore | None = None, *, lang: str | None = None,
            context: str = "") -> Analysis:
    """Analyse a customer message once (see the module doc)."""
    msg = condense(message)
    a = Analysis(language=primary_language(lang) or guess_language(msg))
    toks = list(text.tokens(msg))
    syns = _synonym_terms(toks, synonyms, a.language, text.normalize(msg))
    words = _words(toks, 0, "word", _protected(syns))
    ctx: list[QueryTerm] = []
    if context.strip():
        ctx = _words(list(text.tokens(condense(context)[:MAX_CONTEXT_CHARS])), CONTEXT_POS,
                     "context")
    wanted = list({t for qt in words + ctx + syns for t in qt.terms})
    n = store.count()
    df = store.doc_freqs(wanted)
    known = set(df)  # a term in no article, template or reply cannot match: left out
    if templates is not None:
        known |= set(templates.doc_freqs("template", wanted))
        known |= set(templates.doc_freqs("reply", wanted))

    def idf(term: str) -> float:
        d = df.get(term, 0)
        if n <= 0 or d == 0:  # no articles, or only in templates / replies
            return UNSEEN_WEIGHT
        return min(WORD_CAP, math.log(1.0 + (n - d + 0.5) / (d + 0.5)))

    kept: dict[str, QueryTerm] = {}
    for qt in words:
        if qt.terms[0] in known and (n < 20 or df.get(qt.terms[0], 0) * 2 <= n):
            kept.setdefault(qt.terms[0], qt)  # terms in most articles say nothing
    a.terms = list(kept.values())
    a.terms += [qt for qt in syns if all(t in known for t in qt.terms)
                and not (len(qt.terms) == 1 and qt.terms[0] in kept)]
    if not a.terms:
        return a
    _group(a, toks, syns)
    for qt in a.terms:  # importance of plain words and bigrams: IDF in the articles
        g = a.groups[qt.group]
        if qt.kind == "word" and not g.domain:
            g.importance = max(g.importance, idf(qt.terms[0]))
    ranked = sorted(a.groups.values(), key=lambda g: (-g.importance, g.pos))[:MAX_GROUPS]
    a.groups = {g.name: g for g in ranked}
    a.terms = [qt for qt in a.terms if qt.group in a.groups]
    a.denominator = sum(g.importance for g in ranked[:DENOM_TERMS]) or 1.0
    for qt in ctx:
        if qt.terms[0] in known and qt.terms[0] not in kept and qt.surface not in a.groups:
            qt.group = qt.surface
            a.groups[qt.surface] = Group(qt.surface, qt.pos, CONTEXT_WEIGHT
                                         * idf(qt.terms[0]))
            a.terms.append(qt)
    in_ranked = {g.name for g in ranked}
    a.search_query = _search_query(ranked + [g for g in a.groups.values()
                                             if g.name not in in_ranked])
    return a


def _search_query(ranked: list[Group]) -> str:
    """What the article search gets: the most important groups in message order (a
    trigger's words, which it expands itself); common words cost milliseconds there, so
    few of them."""
    picked: list[Group] = []
    domain = common = 0
    for g in ranked:
        if len(picked) >= ARTICLE_GROUPS:
            break
        if g.domain:
            if domain >= MAX_DOMAIN_GROUPS:
                continue
            domain += 1
        elif g.importance < COMMON_IDF:  # in over a tenth of the articles
            if common >= MAX_COMMON_GROUPS:
                continue
            common += 1
        picked.append(g)
    return " ".join(g.name for g in sorted(picked, key=lambda g: g.pos))


def _group(a: Analysis, toks: list[text.Token], syns: list[QueryTerm]) -> None:
    """Group the terms: a word or bigram inside a synonym trigger belongs to the trigger
    (还没 and 没到 are 还没到; money and back are money back), the others each to its own.
    A trigger is a domain concept even when none of its synonyms is in the index."""
    triggers: dict[str, Group] = {}
    for qt in sorted(syns, key=lambda qt: -qt.width):  # synonyms and translations
        qt.group = qt.surface
        if qt.surface not in triggers:
            cjk = text.is_cjk(qt.surface)
            triggers[qt.surface] = Group(qt.surface, qt.pos, IDF_CAP, domain=True,
                                         size=max(1, qt.width - 1) if cjk else qt.width)
    latin: dict[int, str] = {}  # token → the widest trigger over it
    cjk_spans: dict[int, list[tuple[int, int, str]]] = {}  # run → (start, end, trigger)
    for g in sorted(triggers.values(), key=lambda g: -g.size):
        run, at = g.pos
        if text.is_cjk(g.name):
            cjk_spans.setdefault(run, []).append((at, at + len(g.name), g.name))
        else:
            for i in range(run, run + g.size):
                latin.setdefault(i, g.name)
    members: dict[str, int] = {}
    for qt in a.terms:
        if qt.kind != "word":
            continue
        i, at = qt.pos
        if toks[i].cjk:
            qt.group = next((name for start, end, name in cjk_spans.get(i, ())
                             if start <= at and at + 2 <= end), qt.surface)
        else:
            qt.group = latin.get(i, qt.surface)
        members[qt.group] = members.get(qt.group, 0) + 1
        if qt.group not in a.groups:
            a.groups[qt.group] = triggers.get(qt.group) or Group(qt.group, qt.pos)
    for qt in a.terms:  # triggers with synonyms in the index
        if qt.kind in SYNONYM_KINDS and qt.group not in a.groups:
            a.groups[qt.group] = triggers[qt.group]
    for name, count in members.items():
        a.groups[name].size = max(a.groups[name].size, count)


def _synonym_terms(toks: list[text.Token], synonyms: Synonyms, language: str | None,
                   normalized: str) -> list[QueryTerm]:
    """Synonym phrases for the message, each with the message words that triggered it
    (as written: "doesn't work"). Phrases in the other script only when the customer's
    language is in that script."""
    query_cjk = {t.cjk for t in toks}
    lang_cjk = language in CJK_LANGUAGES
    out: dict[tuple[str, ...], QueryTerm] = {}

    def add(phrases: set[tuple[str, ...]], surface: str, pos: tuple[int, int],
            width: int) -> None:
        for phrase in sorted(phrases):
            cjk = text.is_cjk(phrase[0])
            if phrase in out:
                continue
            if cjk in query_cjk:
                out[phrase] = QueryTerm(phrase, surface, pos, "synonym", width)
            elif cjk == lang_cjk:
                out[phrase] = QueryTerm(phrase, surface, pos, "translation", width)

    # match forms (see synonyms.match_form) of the tokens: stems of Latin words
    forms = [t.text if t.cjk or not (t.text.isascii() and t.text.isalpha())
             else text.stem(t.text) for t in toks] if synonyms.latin else []
    if forms:
        for size in range(min(synonyms.max_words, len(forms)), 0, -1):  # longest first
            for i in range(len(forms) - size + 1):
                hit = synonyms.latin.get(tuple(forms[i:i + size]))
                if hit:
                    words = [t.text for t in toks[i:i + size]]
                    found = re.search(r"\W{1,3}".join(map(re.escape, words)), normalized)
                    add(hit, found.group(0) if found else " ".join(words), (i, 0), size)
    for i, tok in enumerate(toks):
        if tok.cjk:
            for key_text, phrases in synonyms.cjk.items():
                at = tok.text.find(key_text)
                if at >= 0:
                    add(phrases, key_text, (i, at), len(key_text))
    return list(out.values())
