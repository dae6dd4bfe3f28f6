"""A stand-in for the server's ``kb_sync`` (for ``test_kb_sync_client``): one KB change counter,
the current state of every article, template and reply example with the number of its last
change, pages of at most ``limit`` changes in counter order, and hooks to make a query
fail or wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import msgspec

from agent_desk.client.status import NotConnected
from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import ErrorCode
from agent_desk.protocol.enums import ArticleState
from agent_desk.protocol.kb import (
    ArticleView,
    KBChanges,
    KbSync,
    ReplyExampleView,
    TemplateView,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)
Item = ArticleView | TemplateView | ReplyExampleView


class FakeKB:
    def __init__(self, epoch: str = "") -> None:
        self.epoch = epoch  # the server KB's identity ("": an older server that does not say)
        self.counter = 0
        self.items: dict[tuple[str, str], tuple[int, Item]] = {}
        self.queries: list[KbSync] = []
        #: called with the query before it is answered; may raise or wait
        self.before: Callable[[KbSync], object] | None = None

    def _put(self, kind: str, key: str, item: Item) -> int:
        self.counter += 1
        self.items[(kind, key)] = (self.counter, item)
        return self.counter

    def article(self, id: str, title: str, body: str, *, language: str = "en",
                state: ArticleState = ArticleState.PUBLISHED, version: int = 1,
                tags: list[str] | None = None, usage: int = 0) -> int:
        return self._put("a", id, ArticleView(
            id=id, title=title, body=body, language=language, state=state, version=version,
            tags=tags or [], usage_count=usage, updated_at=NOW))

    def template(self, id: str, title: str, body: str, *, language: str = "en",
                 shortcut: str | None = None, active: bool = True, version: int = 1,
                 refusal: bool = False) -> int:
        return self._put("t", id, TemplateView(
            id=id, title=title, body=body, language=language, shortcut=shortcut,
            active=active, version=version, refusal=refusal, updated_at=NOW))

    def reply(self, id: int, customer: str, reply: str, *, language: str = "en",
              active: bool = True) -> int:
        return self._put("r", str(id), ReplyExampleView(
            id=id, customer_text=customer, reply_text=reply, language=language,
            channel="chat", active=active))

    def changes(self, since: int, limit: int) -> KBChanges:
        after = sorted(((n, it) for n, it in self.items.values() if n > since),
                       key=lambda x: x[0])
        page = after[:limit]
        out = KBChanges(cursor=page[-1][0] if page else self.counter,
                        more=len(after) > limit, epoch=self.epoch)
        for _n, item in page:
            if isinstance(item, ArticleView):
                out.articles.append(item)
            elif isinstance(item, TemplateView):
                out.templates.append(item)
            else:
                out.replies.append(item)
        return out

    async def query(self, q: m.Query) -> m.Ack:
        assert isinstance(q, KbSync), q
        self.queries.append(q)
        if self.before is not None:
            r = self.before(q)
            if asyncio.iscoroutine(r):
                await r
        return m.Ack(re=q.id, ok=True,
                     result=msgspec.to_builtins(self.changes(q.since, q.limit)))


def fail_after(fake: FakeKB, pages: int, exc: BaseException | None = None
               ) -> Callable[[KbSync], None]:
    """A ``before`` hook: answer ``pages`` queries, then raise ``exc`` (connection lost)."""
    def hook(_q: KbSync) -> None:
        if len(fake.queries) > pages:
            raise exc if exc is not None else NotConnected("connection lost")
    return hook


def refused(_q: m.Query) -> m.Ack:
    return m.Ack(ok=False, error=m.ErrorBody(code=ErrorCode.FORBIDDEN, message="no"))
