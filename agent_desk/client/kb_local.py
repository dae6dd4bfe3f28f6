"""The local KB file as the sync writes it (``client/kb_sync.py``): one ``kb_sync`` page and
its cursor in one transaction, the wipe of a schema reset, the stored cursor. Used on one
thread only (the syncer's worker): the store is opened there, on first use.

Applying: an article in state ``published`` is added or replaced (``KBStore.upsert`` with
the server's version and counts; an older version than the stored one is ignored), any
other state removes it; a template is stored as sent (``active: false``: kept inactive,
never found, its version still guards against an older copy); a reply example with
``active: false`` is removed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ..kb.store import PUBLISHED, Article, KBStore
from ..kb.template_store import ReplyExample, Template, TemplateStore
from ..protocol.kb import ArticleView, KBChanges, ReplyExampleView, TemplateView

log = logging.getLogger("agent_desk.client.kb_sync")

CURSOR_KEY = "sync_cursor"  # in ``kb_meta``: the server cursor the file is synced to
EPOCH_KEY = "sync_epoch"  # in ``kb_meta``: the server KB's identity the file came from

#: A schema reset empties the articles, templates and reply examples and their indexes
#: (``delete-all`` of a contentless FTS5 table; the published count follows by trigger).
_WIPE = (
    "DELETE FROM kb_article",
    "INSERT INTO kb_fts(kb_fts) VALUES('delete-all')",
    "DELETE FROM kb_template",
    "INSERT INTO kb_template_fts(kb_template_fts) VALUES('delete-all')",
    "DELETE FROM kb_reply",
    "INSERT INTO kb_reply_fts(kb_reply_fts) VALUES('delete-all')",
)


def to_article(a: ArticleView) -> Article:
    return Article(id=a.id, title=a.title, body=a.body, language=a.language,
                   tags=list(a.tags), product=a.product, state=PUBLISHED, version=a.version,
                   usage_count=a.usage_count, helped_count=a.helped_count)


def to_template(t: TemplateView) -> Template:
    return Template(id=t.id, title=t.title, body=t.body, language=t.language,
                    tags=list(t.tags), shortcut=t.shortcut, refusal=t.refusal,
                    version=t.version, active=t.active)


def to_reply(r: ReplyExampleView) -> ReplyExample:
    return ReplyExample(id=r.id, customer_text=r.customer_text, reply_text=r.reply_text,
                        language=r.language, channel=r.channel, score=r.score)


class LocalKB:
    """The account's KB file: opened on first use, on the worker thread, and used there."""

    def __init__(self, path: Path, open_store: Callable[[Path], KBStore]) -> None:
        self.path = path
        self._open_store = open_store
        self.store: KBStore | None = None
        self.templates: TemplateStore | None = None

    def _open(self) -> tuple[KBStore, TemplateStore]:
        if self.store is None or self.templates is None:
            store = self._open_store(self.path)
            try:
                templates = TemplateStore(store)
            except BaseException:
                store.close()
                raise
            self.store, self.templates = store, templates
        return self.store, self.templates

    def cursor(self) -> int:
        store, _ = self._open()
        value = store.meta(CURSOR_KEY)
        try:
            return max(int(value), 0) if value is not None else 0
        except ValueError:
            log.warning("local KB cursor %r unreadable: syncing from 0", value)
            return 0

    def epoch(self) -> str:
        """The server KB identity the file was synced from ("" when not known)."""
        store, _templates = self._open()
        return store.meta(EPOCH_KEY) or ""

    def apply(self, page: KBChanges, wipe: bool) -> tuple[int, int, int]:
        """One page and its cursor in one transaction (``wipe``: empty the KB first).
        Returns how many articles, templates and replies changed."""
        store, templates = self._open()
        articles = tpls = replies = 0
        with store.transaction():
            if wipe:
                for sql in _WIPE:
                    store.conn.execute(sql)
            for a in page.articles:
                if a.state == PUBLISHED:
                    articles += store.upsert(to_article(a))
                else:
                    articles += store.delete(a.id)
            for t in page.templates:
                tpls += templates.upsert_template(to_template(t))
            for r in page.replies:
                if r.active:
                    templates.upsert_reply(to_reply(r))
                    replies += 1
                else:
                    replies += templates.remove_reply(r.id)
            store.set_meta(CURSOR_KEY, str(page.cursor))
            if page.epoch:
                store.set_meta(EPOCH_KEY, page.epoch)
        return articles, tpls, replies

    def close(self) -> None:
        store, self.store, self.templates = self.store, None, None
        if store is not None:
            store.close()
