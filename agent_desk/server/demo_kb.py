"""The demo's knowledge base: published articles (author: the demo admin), reply templates
and the team's reply examples from ``resources/kb`` — seeded once, when the KB has no
articles. A few articles are past their review date and one, proposed by the demo agent, is
waiting in review, so the editors' views have something to show. A missing or damaged file
is logged and skipped (``sample_articles.jsonl`` stands in for ``demo_articles.jsonl``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..protocol.enums import ArticleState
from .kb_import import (
    ArticleLine,
    PublishReport,
    ReplyLine,
    TemplateLine,
    add_replies,
    publish_articles,
    publish_templates,
    read_articles,
    read_lines,
)
from .kb_views import today
from .models import Agent, KbArticle, KbArticleVersion

log = logging.getLogger("agent_desk.server.demo")

ARTICLE_FILES = ("demo_articles.jsonl", "sample_articles.jsonl")  # the first that exists
TEMPLATE_FILE = "demo_templates.jsonl"
REPLY_FILE = "demo_replies.jsonl"
#: Days past their review date of the articles picked for the review list.
OVERDUE_DAYS = (9, 33, 71)
DAY = 86400.0


@contextmanager
def _resource(name: str) -> Iterator[Path | None]:
    item = resources.files("agent_desk.resources").joinpath("kb", name)
    if not item.is_file():
        yield None
        return
    with resources.as_file(item) as path:
        yield path


def _user(session: Session, username: str, role: str) -> Agent | None:
    found = session.execute(select(Agent).where(Agent.username == username)).scalar()
    return found or session.execute(select(Agent).where(Agent.role == role)
                                    .order_by(Agent.id).limit(1)).scalar()


def seed_demo_kb(session: Session, now: float) -> PublishReport:
    """Seed the KB unless it already has articles."""
    report = PublishReport()
    if session.execute(select(func.count()).select_from(KbArticle)).scalar_one():
        return report
    admin = _user(session, "admin", "admin")
    agent = _user(session, "agent", "agent")
    lines: list[tuple[str, ArticleLine]] = []
    for name in ARTICLE_FILES:
        with _resource(name) as path:
            if path is not None:
                lines = read_articles(path, report)
                break
    else:
        log.warning("demo KB: no article file (%s) found", " or ".join(ARTICLE_FILES))
    proposal = lines.pop() if len(lines) > 3 and agent is not None else None
    author = admin.id if admin is not None else None
    # published 200 days ago, checked since: due in 160 days, a few overdue
    published = publish_articles(session, lines, report, now=now - 200 * DAY,
                                 author_id=author, review_due=today(now) + timedelta(160))
    for a, days in zip(published[6::31], OVERDUE_DAYS, strict=False):  # en, zh, en
        a.review_due = today(now) - timedelta(days=days)
    if proposal is not None and agent is not None:
        _in_review(session, proposal[1], agent, now)
    with _resource(TEMPLATE_FILE) as path:
        if path is not None:
            publish_templates(session, read_lines(path, TemplateLine, report), report,
                              now=now, editor_id=author)
    with _resource(REPLY_FILE) as path:
        if path is not None:
            add_replies(session, read_lines(path, ReplyLine, report), report, now=now)
    for line in report.errors:
        log.warning("demo KB: %s (skipped)", line)
    session.flush()
    return report


def _in_review(session: Session, line: ArticleLine, agent: Agent, now: float) -> None:
    """An article the demo agent proposed, waiting for an editor."""
    session.add(KbArticle(
        id=line.id, state=ArticleState.IN_REVIEW, language=line.language,
        product=line.product, author_id=agent.id, review_note="", usage_count=0,
        helped_count=0, version=1, change_no=0, created_at=now - DAY, updated_at=now - DAY))
    session.flush()
    session.add(KbArticleVersion(
        article_id=line.id, version=1, title=line.title, body=line.body,
        tags=list(line.tags), language=line.language, product=line.product,
        editor_id=agent.id, created_at=now - DAY, note=""))
