"""Garbage-collector policy for the long-running server process.

CPython's full (generation 2) collection walks every tracked object. A server with 1,000
connections holds ~200,000 of them (imported modules, SQLAlchemy's metadata and caches, and
~130 objects per websocket connection), so each full collection stopped both the event loop
and the store thread for ~50-90 ms, several times a minute (every login while agents sign
in): that pause was the tail of the fan-out latency.

Now the survivors of every full collection are moved to the permanent generation
(``gc.freeze()``), so the next one only walks what was created since: start-up state and
long-lived connections are walked once. Reference counting still frees frozen objects as
usual; only reference *cycles* among frozen objects wait for the next complete collection
(``gc.unfreeze()`` + ``gc.collect()``), which runs every ``full_s`` seconds: one long
pause per interval instead of several a minute."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

log = logging.getLogger("agent_desk.server.gc")


class GcTuner:
    def __init__(self, full_s: float = 3600.0) -> None:
        self.full_s = full_s
        self._task: asyncio.Task[None] | None = None

    @staticmethod
    def _after_collection(phase: str, info: dict[str, Any]) -> None:
        # right after a full collection every survivor is in the oldest generation and
        # the younger ones are empty: freeze exactly the survivors (safe inside a callback:
        # it only moves list heads)
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()

    def start(self) -> None:
        """Freeze what start-up created (modules, metadata), then after each full
        collection; collect frozen cycles every ``full_s`` seconds."""
        gc.collect()
        gc.freeze()
        if self._after_collection not in gc.callbacks:
            gc.callbacks.append(self._after_collection)
        self._task = asyncio.create_task(self._run(), name="gc-tuner")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)
        gc.unfreeze()

    def full(self) -> None:
        """Collect everything, frozen cycles that died included (the callback freezes the
        survivors again)."""
        gc.unfreeze()
        gc.collect()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.full_s)
            t0 = time.perf_counter()
            try:
                self.full()
            except Exception:  # pragma: no cover - defensive: never kill the server
                log.exception("garbage collection failed")
                continue
            log.info("full garbage collection in %.0f ms, %d objects frozen",
                     (time.perf_counter() - t0) * 1000.0, gc.get_freeze_count())
