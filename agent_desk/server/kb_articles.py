"""Knowledge-base articles: saving versions, the review lifecycle (draft → in review →
published → archived), and the usage / "helped" counts (feedback and wrap-up links).

Who may do what: anyone creates a draft (an agent may propose one from an interaction they
handled, once it is in wrap-up or closed); agents edit and submit **their own drafts**;
KB editors (leads and admins) edit any article, publish, reject, archive and mark reviewed.

An article's ``change_no`` moves only when what agents' KB holds of it changes: a version
is published, it is archived, or a count crosses a step (1, 2, 4, 8, … — counts are a
ranking signal, and so feedback does not send every article to every client on every
click). Drafts, reviews and review dates change the article without a new number (the
``kb`` event still tells editors' lists to refresh).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import exists, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..protocol.codes import ErrorCode
from ..protocol.enums import ArticleState, InteractionState
from ..protocol.kb import ArticleView, KbArticleAction, KbFeedback, KbSaveArticle
from . import kb_counter
from .errors import CommandError, forbidden, invalid_state, not_found
from .kb_views import (
    agent_name,
    article_view,
    clean_tags,
    is_editor,
    new_id,
    state_text,
    today,
)
from .models import Agent, Interaction, KbArticle, KbArticleVersion, Transition
from .tx import Tx

if TYPE_CHECKING:
    from ..protocol.base import Command
    from .lifecycle import Handler, Settings

A = ArticleState
#: Days from publishing (or a "reviewed" check) to the next review date.
REVIEW_DAYS = 180
_EDITORS = "KB editors (leads and admins)"


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


def get_article(tx: Tx, article_id: str) -> KbArticle:
    a = tx.session.get(KbArticle, article_id)
    if a is None:
        raise not_found(f"article {article_id}")
    return a


def latest(tx: Tx, a: KbArticle) -> KbArticleVersion:
    v = tx.session.get(KbArticleVersion, (a.id, a.version))
    assert v is not None, f"article {a.id} has no version {a.version}"
    return v


def view(tx: Tx, a: KbArticle) -> ArticleView:
    """The article as its editors see it: the latest version."""
    return article_view(a, latest(tx, a), author=agent_name(tx.session, a.author_id),
                        reviewer=agent_name(tx.session, a.reviewer_id))


def _future(tx: Tx, due: date) -> date:
    if due <= today(tx.now):
        raise _invalid(f"review_due {due.isoformat()} must be after today "
                       f"({today(tx.now).isoformat()})")
    return due


def _next_review(tx: Tx, due: date | None) -> date:
    return _future(tx, due) if due is not None else today(tx.now) + timedelta(REVIEW_DAYS)


# ---- saving ---------------------------------------------------------------------------------

def _check_source(tx: Tx, actor: Agent, interaction_id: int) -> None:
    """An article proposed from an interaction: it exists, is resolved (in wrap-up or
    closed) and, for agents, was handled by them."""
    inter = tx.session.get(Interaction, interaction_id)
    if inter is None:
        raise not_found(f"interaction {interaction_id}")
    if inter.state not in (InteractionState.WRAP_UP, InteractionState.CLOSED):
        raise invalid_state(f"interaction {interaction_id} is {state_text(inter.state)}: "
                            "propose an article from it once it is resolved")
    if is_editor(actor) or inter.assigned_agent_id == actor.id:
        return
    handled = tx.session.execute(select(exists().where(
        Transition.interaction_id == interaction_id, Transition.agent_id == actor.id,
        Transition.to_state == InteractionState.ASSIGNED))).scalar()
    if not handled:
        raise forbidden(f"you did not handle interaction {interaction_id}: propose articles "
                        "from your own interactions")


def _may_edit(actor: Agent, a: KbArticle) -> None:
    if is_editor(actor):
        return
    if a.author_id != actor.id:
        raise forbidden(f"article {a.id} is not yours: only its author and {_EDITORS} may "
                        "edit it")
    if a.state != A.DRAFT:
        raise forbidden(f"article {a.id} is {state_text(a.state)}: only {_EDITORS} may "
                        "change it now")


def save_article(tx: Tx, actor: Agent, cmd: KbSaveArticle, cfg: Settings) -> dict[str, Any]:
    title = " ".join(cmd.title.split())
    if not title:
        raise _invalid("kb_save_article: title is empty")
    if cmd.review_due is not None:
        if not is_editor(actor):
            raise forbidden(f"review dates are set by {_EDITORS}")
        _future(tx, cmd.review_due)
    product = (cmd.product or "").strip() or None
    if cmd.article_id is None:
        if cmd.source_interaction_id is not None:
            _check_source(tx, actor, cmd.source_interaction_id)
        number = kb_counter.take(tx.session)  # unique, so the new id is too
        a = KbArticle(id=new_id(tx.session, KbArticle, title, number, "kb"), version=1,
                      author_id=actor.id, source_interaction_id=cmd.source_interaction_id,
                      usage_count=0, helped_count=0, change_no=0, review_note="",
                      created_at=tx.now)
        tx.session.add(a)
        kb_counter.mark(tx, number)
    else:
        a = get_article(tx, cmd.article_id)
        _may_edit(actor, a)
        if cmd.base_version is not None and cmd.base_version != a.version:
            who = agent_name(tx.session, latest(tx, a).editor_id) or "someone"
            raise invalid_state(
                f"article {a.id} was saved meanwhile by {who} as version {a.version} (you "
                f"started from version {cmd.base_version}): nothing was saved; open the "
                "latest version and apply your changes to it")
        a.version += 1
        kb_counter.mark(tx)
    a.language, a.product = cmd.language, product
    a.state = A.IN_REVIEW if cmd.submit else A.DRAFT
    if cmd.review_due is not None:
        a.review_due = cmd.review_due
    a.updated_at = tx.now
    tx.session.add(KbArticleVersion(
        article_id=a.id, version=a.version, title=title, body=cmd.body,
        tags=clean_tags(cmd.tags), language=cmd.language, product=product,
        editor_id=actor.id, created_at=tx.now, note=""))
    tx.session.flush()
    return _result(tx, a)


def _result(tx: Tx, a: KbArticle) -> dict[str, Any]:
    result: dict[str, Any] = msgspec.to_builtins(view(tx, a))
    return result


# ---- the lifecycle ----------------------------------------------------------------------------

def _editor_only(actor: Agent, what: str) -> None:
    if not is_editor(actor):
        raise forbidden(f"only {_EDITORS} may {what} articles")


def _require(a: KbArticle, states: tuple[str, ...], action: str, needs: str) -> None:
    if a.state not in states:
        raise invalid_state(f"cannot {action} article {a.id}: it is {state_text(a.state)} "
                            f"({needs})")


def article_action(tx: Tx, actor: Agent, cmd: KbArticleAction, cfg: Settings
                   ) -> dict[str, Any]:
    a = get_article(tx, cmd.article_id)
    note = cmd.note.strip()
    if cmd.action == "submit":
        if not is_editor(actor) and a.author_id != actor.id:
            raise forbidden(f"article {a.id} is not yours: only its author and {_EDITORS} "
                            "may submit it")
        _require(a, (A.DRAFT,), "submit", "only a draft is submitted for review")
        a.state = A.IN_REVIEW
        kb_counter.mark(tx)
    elif cmd.action == "publish":
        _editor_only(actor, "publish")
        _require(a, (A.DRAFT, A.IN_REVIEW), "publish", "a draft or an article in review is "
                 "published")
        if not latest(tx, a).body.strip():
            raise _invalid(f"cannot publish article {a.id}: its body is empty")
        a.review_due = _next_review(tx, cmd.review_due)
        a.state, a.published_version = A.PUBLISHED, a.version
        a.reviewer_id, a.review_note = actor.id, note
        a.change_no = kb_counter.visible(tx)
    elif cmd.action == "reject":
        _editor_only(actor, "reject")
        _require(a, (A.IN_REVIEW,), "reject", "only an article in review is rejected")
        if not note:
            raise _invalid("reject needs a note saying what to change")
        a.state, a.reviewer_id, a.review_note = A.DRAFT, actor.id, note
        kb_counter.mark(tx)
    elif cmd.action == "archive":
        _editor_only(actor, "archive")
        _require(a, (A.DRAFT, A.IN_REVIEW, A.PUBLISHED), "archive", "it is archived already")
        was_visible = a.published_version is not None
        a.state, a.published_version = A.ARCHIVED, None
        if note:
            a.review_note = note
        if was_visible:
            a.change_no = kb_counter.visible(tx)
        else:
            kb_counter.mark(tx)
    else:  # reviewed
        _editor_only(actor, "review")
        if a.published_version is None:
            raise invalid_state(f"cannot mark article {a.id} reviewed: it is "
                                f"{state_text(a.state)} (only a published article is)")
        a.review_due = _next_review(tx, cmd.review_due)
        a.reviewer_id = actor.id
        if note:
            a.review_note = note
        kb_counter.mark(tx)
    a.updated_at = tx.now
    tx.session.flush()
    return _result(tx, a)


# ---- usage and "helped" counts ----------------------------------------------------------------

def _is_step(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def count(tx: Tx, a: KbArticle, *, used: int, helped: int) -> None:
    """Add to the counts (in SQL, so concurrent writers add up); a new change number when a
    count reaches a step (1, 2, 4, 8, …)."""
    table = KbArticle.__table__
    usage, help_ = tx.session.execute(
        update(table).where(table.c.id == a.id)  # type: ignore[arg-type]
        .values(usage_count=table.c.usage_count + used,
                helped_count=table.c.helped_count + helped)
        .returning(table.c.usage_count, table.c.helped_count)).one()
    set_committed_value(a, "usage_count", int(usage))  # what the row holds now
    set_committed_value(a, "helped_count", int(help_))
    stepped = (used and _is_step(a.usage_count)) or (helped and _is_step(a.helped_count))
    if stepped and a.published_version is not None:
        a.change_no = kb_counter.visible(tx)
    tx.session.flush()


def feedback(tx: Tx, actor: Agent, cmd: KbFeedback, cfg: Settings) -> dict[str, Any]:
    a = get_article(tx, cmd.article_id)
    if a.published_version is None:
        raise invalid_state(f"article {a.id} is {state_text(a.state)}: feedback counts only "
                            "for published articles")
    if cmd.interaction_id is not None and tx.session.get(Interaction,
                                                         cmd.interaction_id) is None:
        raise not_found(f"interaction {cmd.interaction_id}")
    count(tx, a, used=int(cmd.kind == "used"), helped=int(cmd.kind == "helped"))
    return {"usage_count": a.usage_count, "helped_count": a.helped_count}


def count_wrap_up_links(tx: Tx, article_ids: list[str]) -> None:
    """Articles linked in a wrap-up were used and helped (ids that do not exist are kept on
    the interaction but count for nothing)."""
    if not article_ids:
        return
    rows = tx.session.execute(select(KbArticle).where(KbArticle.id.in_(article_ids))
                              .order_by(KbArticle.id)).scalars().all()
    for a in rows:
        count(tx, a, used=1, helped=1)


HANDLERS: dict[type[Command], Handler] = {
    KbSaveArticle: save_article, KbArticleAction: article_action, KbFeedback: feedback,
}
