"""The knowledge base's queries: ``kb_sync`` (what changed in agents' KB after a cursor, a
page at a time), ``kb_list_articles`` and ``kb_get_article`` (the editors' views).

``kb_sync`` reads the counter first and then the rows numbered in (since, counter], each
kind through its ``change_no`` index with one query (the article joined with its published
version and the names of its author and reviewer), so a page costs three indexed range
scans whatever the size of the KB. The three kinds are merged in number order; since every
row has a number of its own, a page ends between two numbers and the next page starts
exactly after it. A page holds at most ``limit`` rows and about ``MAX_PAGE_CHARS``
characters of text (always at least one row). The answer's ``cursor`` is the number of its
last row while ``more`` is true, else the counter read at the start (below ``since`` when
the server's KB was reset: a client then starts again from 0).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, defer

from ..protocol.codes import ErrorCode
from ..protocol.kb import (
    ArticleDetail,
    ArticleList,
    ArticleView,
    KBChanges,
    KbGetArticle,
    KbListArticles,
    KbSync,
    ReplyExampleView,
    TemplateView,
)
from . import kb_counter
from .errors import CommandError, not_found
from .kb_views import article_view, is_editor, reply_view, template_view, today, version_view
from .models import Agent, KbArticle, KbArticleVersion, KbReplyExample, KbTemplate

#: About this many characters of text per ``kb_sync`` page and per ``kb_get_article``
#: answer (≤ ~3 MB of UTF-8; an article body is at most 300,000 characters).
MAX_PAGE_CHARS = 1_000_000

_Author = aliased(Agent)
_Reviewer = aliased(Agent)


def query(session: Session, agent_id: int, q: Any, now: float) -> Any:
    actor = session.get(Agent, agent_id)
    if actor is None:
        raise not_found(f"agent {agent_id}")
    if isinstance(q, KbSync):
        return sync(session, q.since, q.limit)
    if isinstance(q, KbListArticles):
        return list_articles(session, actor, q, now)
    if isinstance(q, KbGetArticle):
        return get_article(session, actor, q.article_id)
    raise CommandError(ErrorCode.UNKNOWN_TYPE, f"no such query {type(q).__name__}")


# ---- kb_sync --------------------------------------------------------------------------------

def _size(*texts: str) -> int:
    return sum(len(t) for t in texts)


def _articles(session: Session, since: int, top: int, limit: int
              ) -> list[tuple[int, int, ArticleView]]:
    pub = aliased(KbArticleVersion)
    rows = session.execute(
        select(KbArticle, pub, _Author.name, _Reviewer.name)
        .outerjoin(pub, and_(pub.article_id == KbArticle.id,
                             pub.version == KbArticle.published_version))
        .outerjoin(_Author, _Author.id == KbArticle.author_id)
        .outerjoin(_Reviewer, _Reviewer.id == KbArticle.reviewer_id)
        .where(KbArticle.change_no > since, KbArticle.change_no <= top)
        .order_by(KbArticle.change_no).limit(limit + 1)).all()
    out = []
    for a, v, author, reviewer in rows:
        shown = v if a.published_version is not None else None  # None: removed
        view = article_view(a, shown, author=author, reviewer=reviewer,
                            published=shown is not None)
        out.append((a.change_no, _size(view.body, view.title), view))
    return out


def _templates(session: Session, since: int, top: int, limit: int
               ) -> list[tuple[int, int, TemplateView]]:
    rows = session.execute(
        select(KbTemplate).where(KbTemplate.change_no > since, KbTemplate.change_no <= top)
        .order_by(KbTemplate.change_no).limit(limit + 1)).scalars()
    return [(t.change_no, _size(t.body, t.title), template_view(t)) for t in rows]


def _replies(session: Session, since: int, top: int, limit: int
             ) -> list[tuple[int, int, ReplyExampleView]]:
    rows = session.execute(
        select(KbReplyExample)
        .where(KbReplyExample.change_no > since, KbReplyExample.change_no <= top)
        .order_by(KbReplyExample.change_no).limit(limit + 1)).scalars()
    return [(r.change_no, _size(r.customer_text, r.reply_text), reply_view(r)) for r in rows]


def sync(session: Session, since: int, limit: int) -> KBChanges:
    # first: every number up to it is committed
    top, epoch = kb_counter.current_and_epoch(session)
    merged: list[tuple[int, int, Any]] = sorted(
        [*_articles(session, since, top, limit), *_templates(session, since, top, limit),
         *_replies(session, since, top, limit)], key=lambda item: item[0])
    page = KBChanges(cursor=top, epoch=epoch)
    used = taken = 0
    for number, size, view in merged:
        if taken == limit or (taken and used + size > MAX_PAGE_CHARS):
            page.more = True
            break
        if isinstance(view, ArticleView):
            page.articles.append(view)
        elif isinstance(view, TemplateView):
            page.templates.append(view)
        else:
            page.replies.append(view)
        used += size
        taken += 1
        page.cursor = number
    if not page.more:
        page.cursor = top
    return page


# ---- editors' views --------------------------------------------------------------------------

def list_articles(session: Session, actor: Agent, q: KbListArticles, now: float
                  ) -> ArticleList:
    """Editors: every article, its latest version. Agents: published articles (the
    published version) and their own (the latest)."""
    editor = is_editor(actor)
    shown = aliased(KbArticleVersion)
    version = KbArticle.version if editor else case(
        (KbArticle.author_id == actor.id, KbArticle.version),
        else_=KbArticle.published_version)
    day = today(now)
    overdue = and_(KbArticle.published_version.is_not(None), KbArticle.review_due < day)
    conds: list[Any] = []
    if not editor:
        conds.append(or_(KbArticle.published_version.is_not(None),
                         KbArticle.author_id == actor.id))
    if q.state is not None:
        conds.append(KbArticle.state == q.state)
    if q.review_due:
        conds.append(overdue)
    if q.mine:
        conds.append(KbArticle.author_id == actor.id)
    text = q.text.strip().lower()
    if text:
        conds.append(func.lower(shown.title).contains(text, autoescape=True))
    join = and_(shown.article_id == KbArticle.id, shown.version == version)
    total = session.execute(select(func.count()).select_from(KbArticle).join(shown, join)
                            .where(*conds)).scalar_one()
    rows = session.execute(
        select(KbArticle, shown, _Author.name, _Reviewer.name).join(shown, join)
        .outerjoin(_Author, _Author.id == KbArticle.author_id)
        .outerjoin(_Reviewer, _Reviewer.id == KbArticle.reviewer_id)
        .where(*conds).options(defer(shown.body))
        .order_by(KbArticle.updated_at.desc(), KbArticle.id).limit(q.limit)).all()
    late = session.execute(select(func.count()).select_from(KbArticle)
                           .where(overdue)).scalar_one()
    return ArticleList(
        articles=[article_view(a, v, author=au, reviewer=rv, body=False)
                  for a, v, au, rv in rows],
        total=int(total), review_overdue=int(late))


def get_article(session: Session, actor: Agent, article_id: str) -> ArticleDetail:
    """Editors and the author: the latest version and the history (newest first; the
    bodies of older versions are left empty once the answer holds ``MAX_PAGE_CHARS``).
    Other agents: the published version, no history."""
    a = session.get(KbArticle, article_id)
    if a is None:
        raise not_found(f"article {article_id}")
    full = is_editor(actor) or a.author_id == actor.id
    if not full and a.published_version is None:
        raise not_found(f"article {article_id}")
    shown_no = a.version if full else a.published_version
    shown = session.get(KbArticleVersion, (a.id, shown_no))
    assert shown is not None
    names = dict(session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(
        {x for x in (a.author_id, a.reviewer_id) if x is not None}))).all())
    view = article_view(a, shown, author=names.get(a.author_id or 0),
                        reviewer=names.get(a.reviewer_id or 0))
    if not full:
        return ArticleDetail(article=view)
    sizes = session.execute(
        select(KbArticleVersion.version, func.length(KbArticleVersion.body))
        .where(KbArticleVersion.article_id == a.id)
        .order_by(KbArticleVersion.version.desc())).all()
    budget = MAX_PAGE_CHARS - len(shown.body)
    with_body = set()
    for number, length in sizes:
        if (length or 0) > budget:
            break
        budget -= length or 0
        with_body.add(number)
    versions = session.execute(
        select(KbArticleVersion, _Author.name)
        .outerjoin(_Author, _Author.id == KbArticleVersion.editor_id)
        .where(KbArticleVersion.article_id == a.id).options(defer(KbArticleVersion.body))
        .order_by(KbArticleVersion.version.desc())).all()
    bodies = dict(session.execute(
        select(KbArticleVersion.version, KbArticleVersion.body).where(
            KbArticleVersion.article_id == a.id, KbArticleVersion.version.in_(with_body))
    ).all()) if with_body else {}
    return ArticleDetail(article=view, versions=[
        version_view(v, editor, body=bodies.get(v.version, "")) for v, editor in versions])

