"""Counting the use of knowledge-base articles: an article inserted, linked or copied is
*used*, "This helped" says it *helped*. Each is counted once per article and interaction,
locally (``KBStore.record_use`` in the search thread, so the local ranking follows at once)
and on the server (``kb_feedback`` through the outbox: delivered once, also after a
reconnect or a restart). That is bookkeeping the agent is not told about: offline, or
refused for an article the server has archived since, it is only logged."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from ..client.connection import Connection
from ..protocol.kb import KbFeedback
from .kb_search_worker import KbSearchWorker
from .tasks import TaskSet
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.kb_feedback")
USED: Final = "used"
HELPED: Final = "helped"


def _log_refusal(fut: asyncio.Future[Any]) -> None:
    if fut.cancelled():
        return
    exc = fut.exception()
    ack = fut.result() if exc is None else None
    if ack is None or not getattr(ack, "ok", True):
        log.info("kb_feedback refused: %s", getattr(ack, "error", None) or exc)


class UseRecorder:
    def __init__(self, worker: KbSearchWorker, ctx: ViewContext | None) -> None:
        self.worker = worker
        self.ctx = ctx
        self._counted: set[tuple[int | None, str, str]] = set()
        self._tasks = TaskSet("knowledge-base feedback")

    def counted(self, interaction_id: int | None, article_id: str, kind: str) -> bool:
        return (interaction_id, article_id, kind) in self._counted

    def record(self, interaction_id: int | None, article_id: str, kind: str) -> bool:
        """Count it (False: already counted for this interaction)."""
        if self.counted(interaction_id, article_id, kind):
            return False
        self._counted.add((interaction_id, article_id, kind))
        self.worker.record_use(article_id, helped=kind == HELPED)
        if self.ctx is not None:
            self._tasks.spawn(self._send(article_id, kind, interaction_id))
        return True

    async def _send(self, article_id: str, kind: str, interaction_id: int | None) -> None:
        conn = self.ctx.controller.connection if self.ctx is not None else None
        if conn is None:
            return
        cmd = KbFeedback(key=Connection.new_key(), article_id=article_id,
                         kind=HELPED if kind == HELPED else USED,
                         interaction_id=interaction_id)
        try:
            ack = await conn.command(cmd)
        except Exception:  # the outbox could not be written
            log.warning("kb_feedback for %s not saved", article_id, exc_info=True)
            return
        ack.add_done_callback(_log_refusal)
