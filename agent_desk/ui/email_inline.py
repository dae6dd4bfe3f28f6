"""Inline (``cid:``) images of email messages: fetched while the HTML is sanitised, handed
to the message's ``SafeBrowser`` before its first layout when they arrive in time
(``INLINE_WAIT_S``), else added afterwards without laying the whole message out again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from shiboken6 import isValid

from ..channels.email import SafeHtml
from ..client.attachment_transfer import TransferError, fetch_bytes
from ..protocol import views as v
from .email_message_widget import EmailMessageWidget
from .email_thread import EmailThread
from .safe_browser import MAX_INLINE_IMAGE
from .tasks import TaskSet
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.email_view")
# How long showing a message waits (after sanitising) for its inline images; later ones
# are added to the shown message without laying the whole document out again.
INLINE_WAIT_S = 0.3
# Inline parts fetched so far, by content id (None: could not be fetched).
Parts = dict[str, bytes | None]


def _cid(a: v.AttachmentView) -> str:
    return (a.content_id or "").strip("<>")


class InlineImages:
    def __init__(self, ctx: ViewContext, tasks: TaskSet) -> None:
        self.ctx = ctx
        self._tasks = tasks

    def prefetch(self, msg: v.MessageView) -> asyncio.Future[Parts] | None:
        """Start fetching the parts ``msg``'s HTML appears to show inline (small, with a
        Content-ID it names), while it is sanitised; which are shown is decided after."""
        html = msg.html or ""
        parts = [a for a in msg.attachments if a.content_id and a.size <= MAX_INLINE_IMAGE
                 and "cid:" + a.content_id.strip("<>") in html]
        return self._tasks.spawn(self._fetch_parts(parts)) if parts else None

    @staticmethod
    async def wait(fetches: Iterable[asyncio.Future[Parts] | None]) -> None:
        """Wait a moment for inline images still on their way (never longer)."""
        pending = [f for f in fetches if f is not None and not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=INLINE_WAIT_S)

    async def _fetch_parts(self, parts: list[v.AttachmentView]) -> Parts:
        """The message's own inline images in memory (best effort: one that fails stays a
        placeholder)."""
        from .controller import QueryFailed

        async def one(a: v.AttachmentView) -> bytes | None:
            try:
                return await fetch_bytes(self.ctx.controller, a.id, MAX_INLINE_IMAGE)
            except (QueryFailed, TransferError) as exc:
                log.info("inline image %s not shown: %s", a.id, exc)
                return None
        got = await asyncio.gather(*(one(a) for a in parts))
        return {(a.content_id or "").strip("<>"): data for a, data in zip(parts, got,
                                                                           strict=True)}

    def add_message(self, thread: EmailThread, msg: v.MessageView, safe: SafeHtml | None = None,
                     early: asyncio.Future[Parts] | None = None) -> None:
        card = thread.add_message(msg, safe)
        wanted = set(safe.cid_images) if safe is not None else set()
        inline = [a for a in msg.attachments if a.content_id and a.size <= MAX_INLINE_IMAGE
                  and a.content_id.strip("<>") in wanted]
        if card is None or not inline:
            if early is not None:
                early.cancel()
            return
        got: Parts = {}
        if early is not None and early.done():
            if not early.cancelled() and early.exception() is None:
                got = early.result()
            early = None  # done (after a failure its parts are fetched again below)
        if self._set_parts(card, inline, got) and any(
                r[:4].lower() == "cid:" for r in card.body.resource_requests):
            card.body.show_cid_parts()  # (normally the body has not been laid out yet)
        if early is not None or any(_cid(a) not in got for a in inline):
            self._tasks.spawn(self._inline_images(card, inline, got, early))

    @staticmethod
    def _set_parts(card: EmailMessageWidget, parts: list[v.AttachmentView],
                   got: Parts) -> bool:
        """Hand ``card``'s body the fetched ``parts``; True when one of them is usable."""
        shown = False
        for a in parts:
            data = got.get(_cid(a))
            if data is not None:
                shown = card.body.set_cid_part(_cid(a), data) or shown
        return shown

    async def _inline_images(self, card: EmailMessageWidget, parts: list[v.AttachmentView],
                             got: Parts, early: asyncio.Future[Parts] | None = None) -> None:
        """Inline images that were not there when ``card`` was shown: fetched (or waited
        for), then shown without laying the whole message out again."""
        got = dict(got)
        if early is not None:
            got.update(await early)
        missing = [a for a in parts if _cid(a) not in got]
        if missing:
            got.update(await self._fetch_parts(missing))
        if isValid(card) and self._set_parts(card, parts, got):
            card.body.show_cid_parts()
