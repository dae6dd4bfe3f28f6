"""Knowledge-base read models built from rows (one place, so every answer says the same),
and the rules shared by the KB modules: who edits, today's date, cleaning tags, ids."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from ..protocol.enums import SUPERVISOR_ROLES, ArticleState
from ..protocol.kb import ArticleVersionView, ArticleView, ReplyExampleView, TemplateView
from .clock import to_dt
from .models import Agent, KbArticle, KbArticleVersion, KbReplyExample, KbTemplate

#: KB editors review, publish and archive articles and edit templates: leads and admins.
EDITOR_ROLES = SUPERVISOR_ROLES


def is_editor(agent: Agent) -> bool:
    return agent.role in EDITOR_ROLES


def today(now: float) -> date:
    """The UTC date at ``now`` (review dates are compared with it)."""
    return datetime.fromtimestamp(now, UTC).date()


def state_text(state: str) -> str:
    return state.replace("_", " ")


def clean_tags(tags: list[str]) -> list[str]:
    """Trimmed, without blanks and repeats (case-insensitive), in the given order."""
    out: dict[str, str] = {}
    for t in tags:
        t = " ".join(t.split())
        if t and t.lower() not in out:
            out[t.lower()] = t
    return list(out.values())


def slug(title: str, limit: int = 60) -> str:
    """The ASCII words of ``title``, lower case, joined by ``-`` (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return s[:limit].rstrip("-")


def new_id(session: Session, model: type[KbArticle] | type[KbTemplate], title: str,
           number: int, prefix: str) -> str:
    """A fresh id: ``<slug of the title>-<number>``, or ``<prefix>-<number>`` for a title
    without ASCII words (``number`` is a KB change number, so it is unique; an imported id
    of the same shape is stepped past)."""
    base = slug(title) or prefix
    candidate = f"{base}-{number}"
    while session.get(model, candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def article_view(a: KbArticle, v: KbArticleVersion | None, *, author: str | None = None,
                 reviewer: str | None = None, body: bool = True,
                 published: bool = False) -> ArticleView:
    """``v`` is the version shown (None: an article agents no longer see, in a sync).
    ``published``: the agents' view in a sync (state ``published``, that version)."""
    return ArticleView(
        id=a.id,
        title=v.title if v is not None else "",
        body=v.body if v is not None and body else "",
        tags=list(v.tags or []) if v is not None else [],
        language=v.language if v is not None else a.language,
        product=v.product if v is not None else a.product,
        state=ArticleState.PUBLISHED if published else ArticleState(a.state),
        version=v.version if v is not None else a.version,
        published_version=a.published_version,
        author_id=a.author_id, author_name=author,
        reviewer_id=a.reviewer_id, reviewer_name=reviewer,
        review_due=a.review_due, review_note=a.review_note or "",
        usage_count=a.usage_count or 0, helped_count=a.helped_count or 0,
        source_interaction_id=a.source_interaction_id,
        updated_at=to_dt(a.updated_at))


def version_view(v: KbArticleVersion, editor: str | None, *, body: str | None = None
                 ) -> ArticleVersionView:
    """``body``: the text to show (None: the version's own; "" leaves it out)."""
    return ArticleVersionView(version=v.version, title=v.title,
                              body=v.body if body is None else body, tags=list(v.tags or []),
                              editor_id=v.editor_id, editor_name=editor,
                              created_at=to_dt(v.created_at), note=v.note or "")


def template_view(t: KbTemplate) -> TemplateView:
    return TemplateView(id=t.id, title=t.title, body=t.body, language=t.language,
                        tags=list(t.tags or []), shortcut=t.shortcut, refusal=bool(t.refusal),
                        active=bool(t.active), version=t.version,
                        updated_at=to_dt(t.updated_at))


def reply_view(r: KbReplyExample) -> ReplyExampleView:
    return ReplyExampleView(id=r.id, customer_text=r.customer_text, reply_text=r.reply_text,
                            language=r.language, channel=r.channel, score=r.score,
                            active=bool(r.active))


def agent_name(session: Session, agent_id: int | None) -> str | None:
    if agent_id is None:
        return None
    a = session.get(Agent, agent_id)
    return a.name if a is not None else None
