"""Background coroutines started from widgets and the controller: kept referenced until
they finish (asyncio holds tasks only weakly), failures logged instead of lost, and
nothing started while the loop is shutting down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("agent_desk.ui.tasks")


class TaskSet:
    def __init__(self, what: str = "background task", *, level: int = logging.ERROR) -> None:
        self.what = what
        self.level = level
        self._tasks: set[asyncio.Future[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any] | None:
        """Run ``coro``; None (and the coroutine closed) when there is no running loop."""
        try:
            task = asyncio.ensure_future(coro)
        except RuntimeError:  # no event loop (the app is shutting down)
            coro.close()
            return None
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.log(self.level, "%s failed", self.what, exc_info=task.exception())

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def __len__(self) -> int:
        return len(self._tasks)
