"""Knowledge-base frames and read models: articles with their review lifecycle, reply
templates, the team's successful replies, and the incremental sync the client's local
index is fed by (``docs/protocol.md`` §15).

Every change agents' KB sees (an article published or archived, its counts reaching a step,
a template saved, a reply example added or retired) takes the next number of one
server-wide KB change counter; ``kb_sync`` returns what changed after a cursor, in counter
order, a page at a time, so a client that stores the cursor after each page it applied
resumes an interrupted sync where it stopped. The ``kb`` event says the KB changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from .base import Command, ObjId, Query, ShortText
from .enums import ArticleState
from .views import View

ArticleId = Annotated[str, msgspec.Meta(min_length=1, max_length=100,
                                        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
TemplateId = ArticleId
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=20,
                                       pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=30)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
#: An article body (Markdown): 300,000 characters keep a frame under its 1 MiB limit.
ArticleBody = Annotated[str, msgspec.Meta(max_length=300_000)]
TemplateBody = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
Shortcut = Annotated[str, msgspec.Meta(min_length=1, max_length=40,
                                       pattern=r"^[^\s#{}]+$")]


# ---- read models ------------------------------------------------------------------------


class ArticleView(View, kw_only=True):
    """An article. In ``kb_sync`` the content is the **published** version and ``state`` is
    ``published`` (add or replace it in your index) or anything else (remove it). In
    ``kb_list_articles`` / ``kb_get_article`` the content is the latest version and
    ``state`` its place in the review lifecycle; ``published_version`` is what agents see
    meanwhile (None: never published or archived). Lists leave ``body`` empty."""

    id: str
    title: str
    body: str = ""
    tags: list[str] = []
    language: str
    product: str | None = None
    state: ArticleState
    version: int
    published_version: int | None = None
    author_id: int | None = None
    author_name: str | None = None
    reviewer_id: int | None = None
    reviewer_name: str | None = None
    review_due: date | None = None
    review_note: str = ""
    usage_count: int = 0
    helped_count: int = 0
    source_interaction_id: int | None = None
    updated_at: datetime


class ArticleVersionView(View, kw_only=True):
    """One saved version of an article (the history shown to editors)."""

    version: int
    title: str
    body: str
    tags: list[str] = []
    editor_id: int | None = None
    editor_name: str | None = None
    created_at: datetime
    note: str = ""


class ArticleDetail(View, kw_only=True):
    """An article and its history (editors and the author; other agents get no history).
    Once the answer holds ~1,000,000 characters the bodies of older versions are empty."""

    article: ArticleView
    versions: list[ArticleVersionView] = []  # newest first


class ArticleList(View, kw_only=True):
    articles: list[ArticleView] = []
    total: int = 0  # matching in all (more than listed when over ``limit``)
    review_overdue: int = 0  # published articles whose review date has passed


class TemplateView(View, kw_only=True):
    """A reply template. ``body`` may hold variables like ``{customer.name}``; ``shortcut``
    is what an agent types after ``#`` to expand it; ``refusal`` marks templates that say
    no in the decline → reason → alternative pattern. ``active: false``: remove it."""

    id: str
    title: str
    body: str
    language: str
    tags: list[str] = []
    shortcut: str | None = None
    refusal: bool = False
    active: bool = True
    version: int
    updated_at: datetime


class ReplyExampleView(View, kw_only=True):
    """A reply of the team that worked (its interaction was resolved on first contact and
    not rated low), paired with the customer message it answered. Names, order numbers,
    e-mail addresses and phone numbers are replaced by variables or masks. ``active:
    false``: remove it (e.g. the customer rated the contact low afterwards)."""

    id: int
    customer_text: str
    reply_text: str
    language: str
    channel: str
    score: float = 1.0
    active: bool = True


class KBChanges(View, kw_only=True):
    """One page of ``kb_sync``: everything that changed after the requested cursor up to
    ``cursor`` (apply it, then store ``cursor``). ``more``: ask again from ``cursor``."""

    articles: list[ArticleView] = []
    templates: list[TemplateView] = []
    replies: list[ReplyExampleView] = []
    cursor: int
    more: bool = False
    #: the identity of the server's KB (made with its database). Another epoch than the one
    #: your copy was synced from means a new database whose numbers say nothing about your
    #: cursor: empty your copy and sync from 0. Empty: the server does not say.
    epoch: str = ""


# ---- commands ---------------------------------------------------------------------------


class KbSaveArticle(Command, tag="kb_save_article", kw_only=True):
    """Create an article (``article_id`` omitted: the server assigns one) or save a new
    version of one as a **draft**; agents may create articles ("turn this answer into an
    article", with ``source_interaction_id``) and edit their own drafts, KB editors any
    article. ``base_version`` is the version you started editing from: if someone saved
    since, the answer is ``invalid_state`` and nothing is saved. ``submit`` sends it for
    review at once. A published article stays published (agents keep seeing that version)
    until the new version is published. Result: ``ArticleView``."""

    article_id: ArticleId | None = None
    base_version: int | None = None
    title: Title
    body: ArticleBody
    tags: Tags = []
    language: Language
    product: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    review_due: date | None = None
    source_interaction_id: ObjId | None = None
    submit: bool = False


class KbArticleAction(Command, tag="kb_article_action", kw_only=True):
    """Move an article through its lifecycle: ``submit`` (draft → in review; the author or
    an editor), ``publish`` (draft or in review → published; editors; the reviewer is you;
    ``review_due`` defaults to 180 days ahead), ``reject`` (in review → draft, with a
    ``note`` saying why; editors), ``archive`` (→ archived, leaves agents' search; editors),
    ``reviewed`` (a published article was checked and is still right: only ``review_due``
    moves; editors). Result: ``ArticleView``."""

    article_id: ArticleId
    action: Literal["submit", "publish", "reject", "archive", "reviewed"]
    note: ShortText = ""
    review_due: date | None = None


class KbFeedback(Command, tag="kb_feedback", kw_only=True):
    """An agent ``used`` an article (inserted, linked or copied it) or said it ``helped``.
    Counts raise its ranking for everyone (they reach agents' copies when a count reaches 1,
    2, 4, 8, …). Linking it in ``wrap_up.kb_article_ids`` counts as used and helped. Only
    published articles. Result: ``{"usage_count", "helped_count"}``."""

    article_id: ArticleId
    kind: Literal["used", "helped"]
    interaction_id: ObjId | None = None


class KbSaveTemplate(Command, tag="kb_save_template", kw_only=True):
    """Create (``template_id`` omitted) or change a reply template; ``active: false``
    retires it. KB editors only. Result: ``TemplateView``."""

    template_id: TemplateId | None = None
    title: Title
    body: TemplateBody
    language: Language
    tags: Tags = []
    shortcut: Shortcut | None = None
    refusal: bool = False
    active: bool = True


# ---- queries ----------------------------------------------------------------------------


class KbSync(Query, tag="kb_sync", kw_only=True):
    """What changed in the agents' KB after ``since`` (0: everything): published articles
    (and removals), templates and reply examples; at most ``limit`` rows and ~1,000,000
    characters of text per page. Result: ``KBChanges``."""

    since: Annotated[int, msgspec.Meta(ge=0)] = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 200


class KbListArticles(Query, tag="kb_list_articles", kw_only=True):
    """Articles for the editor's list (bodies left out), newest change first. Agents see
    published articles and their own; editors see all. ``review_due``: only published
    articles whose review date has passed; ``mine``: only articles you wrote; ``text``:
    in the title. Result: ``ArticleList``."""

    state: ArticleState | None = None
    review_due: bool = False
    mine: bool = False
    text: Annotated[str, msgspec.Meta(max_length=200)] = ""
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 200


class KbGetArticle(Query, tag="kb_get_article", kw_only=True):
    """One article's latest version and its history. Result: ``ArticleDetail``."""

    article_id: ArticleId


# ---- events -----------------------------------------------------------------------------


class KBChanged(msgspec.Struct, tag_field="kind", tag="kb", kw_only=True):
    """The knowledge base changed (sent to every connection, once per transaction):
    ``kb_sync`` from your cursor when ``cursor`` is newer than it."""

    cursor: int


KB_COMMANDS: tuple[type[Command], ...] = (KbSaveArticle, KbArticleAction, KbFeedback,
                                          KbSaveTemplate)
KB_QUERIES: tuple[type[Query], ...] = (KbSync, KbListArticles, KbGetArticle)

__all__ = [
    "ArticleBody", "ArticleDetail", "ArticleId", "ArticleList", "ArticleVersionView",
    "ArticleView", "KBChanged", "KBChanges", "KB_COMMANDS", "KB_QUERIES",
    "KbArticleAction", "KbFeedback", "KbGetArticle", "KbListArticles", "KbSaveArticle",
    "KbSaveTemplate", "KbSync", "Language", "ReplyExampleView", "TemplateView",
]
