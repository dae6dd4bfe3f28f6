"""Publishing knowledge-base content straight into the backend's database: articles (JSON
Lines or a Markdown folder, read as ``agent-desk kb import`` reads them), reply templates and
reply examples (JSON Lines). Used by ``agent-desk kb publish`` (production) and by the demo.

Every line is checked against the protocol's limits (ids, titles, bodies of at most 300,000
characters, tags, languages, shortcuts); a line that fails is reported as ``FILE:LINE:
reason`` and skipped. Articles are **published**: a new article becomes version 1, an
existing one gets a new published version when its content differs (unchanged ones are
left alone, so importing the same file twice changes nothing). Each changed row takes a
KB change number; a running server notices them on its next tick and tells every client.

Template lines: ``{"id", "title", "body", "language", "tags", "shortcut", "refusal",
"active"}``. Reply example lines: ``{"customer_text", "reply_text", "language", "channel",
"score"}`` (already anonymised; an ``id`` is ignored: the server numbers them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..kb.importer import ImportReport, read_jsonl, read_markdown_folder
from ..protocol.enums import ArticleState
from ..protocol.kb import ArticleBody, ArticleId, Language, Shortcut, Tags, TemplateBody, Title
from . import kb_counter
from .kb_articles import REVIEW_DAYS
from .kb_views import clean_tags, today
from .models import KbArticle, KbArticleVersion, KbReplyExample, KbTemplate


class ArticleLine(msgspec.Struct, kw_only=True):
    id: ArticleId
    title: Title
    body: ArticleBody
    language: Language
    tags: Tags = []
    product: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    usage_count: Annotated[int, msgspec.Meta(ge=0)] = 0
    helped_count: Annotated[int, msgspec.Meta(ge=0)] = 0


class TemplateLine(msgspec.Struct, kw_only=True):
    id: ArticleId
    title: Title
    body: TemplateBody
    language: Language
    tags: Tags = []
    shortcut: Shortcut | None = None
    refusal: bool = False
    active: bool = True


class ReplyLine(msgspec.Struct, kw_only=True):
    customer_text: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    reply_text: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    language: Language
    channel: Annotated[str, msgspec.Meta(pattern=r"^(chat|email|phone)$")] = "chat"
    score: Annotated[float, msgspec.Meta(ge=0)] = 1.0


@dataclass
class PublishReport:
    published: int = 0  # new articles or new versions
    unchanged: int = 0
    templates: int = 0
    replies: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)  # "FILE:LINE: reason" (skipped)
    warnings: list[str] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.errors.append(f"{where}: {reason}")
        self.skipped += 1


def _checked(cls: type[Any], data: dict[str, Any], where: str, report: PublishReport) -> Any:
    try:
        return msgspec.convert(data, cls)
    except msgspec.ValidationError as exc:
        report.skip(where, str(exc))
        return None


# ---- reading ------------------------------------------------------------------------------------

def read_articles(path: Path, report: PublishReport) -> list[tuple[str, ArticleLine]]:
    """The valid articles of a JSON Lines file or Markdown folder (later ids win)."""
    base = ImportReport()
    found = read_markdown_folder(path, base) if path.is_dir() else read_jsonl(path, base)
    out: dict[str, tuple[str, ArticleLine]] = {}
    for where, art in found:
        line = _checked(ArticleLine, {
            "id": art.id, "title": art.title, "body": art.body, "language": art.language,
            "tags": art.tags, "product": art.product, "usage_count": art.usage_count,
            "helped_count": art.helped_count}, where, report)
        if line is not None:
            if line.id in out:
                report.warnings.append(f"{where}: id {line.id!r} also at {out[line.id][0]}; "
                                       "the later one wins")
            out[line.id] = (where, line)
    base.finish()
    report.errors += base.errors
    report.skipped += base.skipped
    report.warnings += base.warnings
    return list(out.values())


def read_lines(path: Path, cls: type[Any], report: PublishReport) -> Iterator[Any]:
    """Each valid line of a JSON Lines file as ``cls`` (unknown fields are ignored)."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            where = f"{path.name}:{number}"
            try:
                text = raw.decode("utf-8-sig")
                if not text.strip():
                    continue
                data = json.loads(text)
            except UnicodeDecodeError as exc:
                report.skip(where, f"not UTF-8 text (byte {exc.start + 1})")
                continue
            except json.JSONDecodeError as exc:
                report.skip(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            except RecursionError:
                report.skip(where, "invalid JSON: nested too deeply")
                continue
            if not isinstance(data, dict):
                report.skip(where, "expected a JSON object")
                continue
            if cls is ReplyLine:  # the short names are accepted too
                data.setdefault("customer_text", data.get("customer"))
                data.setdefault("reply_text", data.get("reply"))
            line = _checked(cls, data, where, report)
            if line is not None:
                yield line


# ---- publishing ---------------------------------------------------------------------------------

def _content(v: KbArticleVersion) -> tuple[Any, ...]:
    return (v.title, v.body, list(v.tags or []), v.language, v.product)


def publish_articles(session: Session, lines: Iterable[tuple[str, ArticleLine]],
                     report: PublishReport, *, now: float, author_id: int | None,
                     review_due: date | None = None) -> list[KbArticle]:
    """Publish each article (new, or a new version when its content changed)."""
    due = review_due or today(now) + timedelta(REVIEW_DAYS)
    todo: list[tuple[KbArticle | None, ArticleLine]] = []
    for where, line in lines:
        a = session.get(KbArticle, line.id)
        if a is not None and a.published_version == a.version:
            v = session.get(KbArticleVersion, (a.id, a.version))
            new = (" ".join(line.title.split()), line.body, clean_tags(line.tags),
                   line.language, line.product)
            if v is not None and _content(v) == new:
                report.unchanged += 1
                continue
        elif a is not None and a.state in (ArticleState.DRAFT, ArticleState.IN_REVIEW):
            report.warnings.append(f"{where}: article {a.id} had unpublished changes "
                                   f"(version {a.version}); they stay in its history")
        todo.append((a, line))
    if not todo:
        return []
    first = kb_counter.take(session, len(todo)) - len(todo) + 1
    out = []
    for i, (a, line) in enumerate(todo):
        if a is None:
            a = KbArticle(id=line.id, version=0, author_id=author_id, review_note="",
                          usage_count=line.usage_count, helped_count=line.helped_count,
                          created_at=now)
            session.add(a)
        a.version += 1
        a.language, a.product = line.language, line.product
        a.state, a.published_version = ArticleState.PUBLISHED, a.version
        a.reviewer_id, a.review_due, a.updated_at = author_id, due, now
        a.change_no = first + i
        session.add(KbArticleVersion(
            article_id=a.id, version=a.version, title=" ".join(line.title.split()),
            body=line.body, tags=clean_tags(line.tags), language=line.language,
            product=line.product, editor_id=author_id, created_at=now, note="imported"))
        out.append(a)
        report.published += 1
    session.flush()
    return out


def publish_templates(session: Session, lines: Iterable[TemplateLine],
                      report: PublishReport, *, now: float, editor_id: int | None) -> None:
    todo = list(lines)
    if not todo:
        return
    first = kb_counter.take(session, len(todo)) - len(todo) + 1
    for i, line in enumerate(todo):
        shortcut = line.shortcut
        if shortcut and line.active:
            clash = session.execute(select(KbTemplate.id).where(
                func.lower(KbTemplate.shortcut) == shortcut.lower(),
                KbTemplate.language == line.language, KbTemplate.active.is_(True),
                KbTemplate.id != line.id).limit(1)).scalar()
            if clash is not None:
                report.warnings.append(f"template {line.id}: shortcut #{shortcut} is already "
                                       f"used by {clash}; left out")
                shortcut = None
        t = session.get(KbTemplate, line.id)
        if t is None:
            t = KbTemplate(id=line.id, version=0, created_at=now)
            session.add(t)
        t.version += 1
        t.title, t.body, t.language = " ".join(line.title.split()), line.body, line.language
        t.tags, t.shortcut, t.refusal = clean_tags(line.tags), shortcut, line.refusal
        t.active, t.editor_id, t.updated_at = line.active, editor_id, now
        t.change_no = first + i
        session.flush()  # the next line's shortcut check sees this one
        report.templates += 1


def add_replies(session: Session, lines: Iterable[ReplyLine], report: PublishReport, *,
                now: float) -> None:
    todo = list(lines)
    if not todo:
        return
    first = kb_counter.take(session, len(todo)) - len(todo) + 1
    session.add_all(KbReplyExample(
        interaction_id=None, customer_text=r.customer_text.strip(),
        reply_text=r.reply_text.strip(), language=r.language, channel=r.channel,
        score=r.score, active=True, change_no=first + i, created_at=now)
        for i, r in enumerate(todo))
    session.flush()
    report.replies += len(todo)


__all__ = ["ArticleLine", "PublishReport", "ReplyLine", "TemplateLine", "add_replies",
           "publish_articles", "publish_templates", "read_articles", "read_lines"]
