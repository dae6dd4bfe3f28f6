"""A small Agent Desk client written only from docs/protocol.md (no project imports).

It signs in, applies the snapshot, applies events by the seq/prev rule (§5), keeps a local
interaction list by the visibility rule of §10, sends commands with UUID idempotency keys
(§6) and queries (§7), refreshes tokens (§3) and reconnects with ``resume_from`` (§4).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

Frame = dict[str, Any]
GONE = ("closed", "abandoned")


class ProtocolGap(Exception):
    """An event's ``prev`` did not match the last applied ``seq`` (§5)."""


class DocClient:
    def __init__(self, url: str, username: str, password: str) -> None:
        self.url, self.username, self.password = url, username, password
        self.ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[Frame]] = {}
        self._changed = asyncio.Condition()
        # Session state.
        self.welcome: Frame | None = None
        self.snapshot: Frame | None = None
        self.access_token: str | None = None
        self.refresh_token: str | None = None
        self.last: int | None = None            # seq of the last applied event (§5)
        self.agent: Frame | None = None
        self.agents: dict[int, Frame] = {}
        self.interactions: dict[int, Frame] = {}
        self.messages: dict[int, list[Frame]] = {}
        self.events: list[Frame] = []           # every applied event, in order
        self.duplicates: list[Frame] = []       # events ignored because seq <= last
        self.gaps: list[Frame] = []             # events whose prev did not match
        self.errors: list[Frame] = []           # error frames
        self.replay_done: Frame | None = None
        self.outbox: dict[str, Frame] = {}      # key -> command not yet acked (§6)
        self.close_code: int | None = None
        self.log: list[str] = []                # type of every frame received
        self.flushed: list[Frame] = []          # acks of outbox commands resent on resume

    # ----------------------------------------------------------------- connection
    async def login(self, resume_from: int | None = None) -> Frame:
        auth = {"type": "login", "username": self.username, "password": self.password}
        return await self._open(auth, resume_from)

    async def resume(self, resume_from: int | None = None) -> Frame:
        """Reconnect with the stored refresh token and ``resume_from = last`` (§4, §13)."""
        assert self.refresh_token, "no refresh token: log in first"
        auth = {"type": "refresh", "refresh_token": self.refresh_token}
        return await self._open(auth, self.last if resume_from is None else resume_from)

    async def _open(self, auth: Frame, resume_from: int | None, timeout: float = 5) -> Frame:
        await self.drop()
        self.welcome = self.snapshot = self.replay_done = None
        self.close_code = None
        if resume_from is not None:
            auth["resume_from"] = resume_from
        self.ws = await connect(self.url, compression=None, max_size=16 * 2**20)
        self._reader = asyncio.create_task(self._read(self.ws))
        welcome = await self._request(auth, timeout)
        if welcome["type"] != "welcome":
            return welcome  # a fatal error frame; the server closes
        # §4: exactly one of snapshot, or replayed events + replay_done, follows.
        start = await self.wait_for(lambda: self.snapshot or self.replay_done, timeout)
        if start["type"] == "replay_done":
            self.flushed = await self.flush_outbox()
        return welcome

    async def drop(self, abort: bool = False) -> None:
        """Close the connection; ``abort`` cuts the TCP connection like a network failure."""
        if self.ws is not None:
            if abort:
                self.ws.transport.abort()
            else:
                await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self.ws = self._reader = None

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self._handle(json.loads(raw))
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            self.close_code = ws.close_code
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError(f"closed {ws.close_code}"))
            self._pending.clear()
            async with self._changed:
                self._changed.notify_all()

    # ----------------------------------------------------------------- frames
    def _handle(self, f: Frame) -> None:
        kind = f.get("type")
        self.log.append(str(kind))
        if kind == "welcome":
            self.welcome, self.agent = f, f["agent"]
            self._store_tokens(f)
        elif kind == "tokens":
            self._store_tokens(f)
        elif kind == "snapshot":
            self._apply_snapshot(f)
        elif kind == "event":
            self._apply_event(f)
        elif kind == "replay_done":
            self.replay_done = f
        elif kind == "error":
            self.errors.append(f)
            if f.get("code") == "resume_too_old":   # §4: discard local state
                self.interactions.clear()
                self.last = None
        fut = self._pending.pop(f.get("re") or "", None)
        if fut is not None and not fut.done():
            fut.set_result(f)

    def _store_tokens(self, f: Frame) -> None:
        if f.get("refresh_token"):
            self.access_token, self.refresh_token = f["access_token"], f["refresh_token"]

    def _apply_snapshot(self, s: Frame) -> None:
        self.snapshot, self.last, self.agent = s, s["seq"], s["agent"]
        self.agents = {a["id"]: a for a in s["agents"]}
        self.interactions = {}
        for view in s["interactions"]:
            self._upsert(view)

    def _apply_event(self, e: Frame) -> None:
        if self.last is not None and e["seq"] <= self.last:
            self.duplicates.append(e)
            return
        if e["prev"] != self.last:
            # §5: we missed something; close and reconnect with resume_from = last.
            self.gaps.append(e)
            if self.ws is not None:
                asyncio.get_running_loop().create_task(self.ws.close())
            return
        self.last = e["seq"]
        self.events.append(e)
        d = e["data"]
        if d["kind"] == "interaction":
            self._upsert(d["interaction"])
        elif d["kind"] == "message":
            self.messages.setdefault(d["message"]["interaction_id"], []).append(d["message"])
        elif d["kind"] == "agent":
            self.agents[d["agent"]["id"]] = d["agent"]
            if self.agent is not None and d["agent"]["id"] == self.agent["id"]:
                self.agent = d["agent"]

    def visible(self, view: Frame) -> bool:
        """§10: queued/offered in one of my queues, or offered/assigned to me and open.

        Leads/admins see every open interaction (§4 snapshot); §10 does not say so, but
        applying its rule literally would drop the others' work from a lead's view."""
        assert self.agent is not None
        if self.agent["role"] in ("lead", "admin"):
            return view["state"] not in GONE
        me = self.agent["id"]
        if view["state"] in ("queued", "offered") and view["queue_id"] in self.agent["queue_ids"]:
            return True
        mine = me in (view.get("offered_agent_id"), view.get("assigned_agent_id"))
        return mine and view["state"] not in GONE

    def _upsert(self, view: Frame) -> None:
        old = self.interactions.get(view["id"])
        if old is not None and old.get("version", 0) > view.get("version", 0):
            return  # higher version wins (§10)
        if self.visible(view):
            self.interactions[view["id"]] = view
        else:
            self.interactions.pop(view["id"], None)

    # ----------------------------------------------------------------- requests
    async def _request(self, frame: Frame, timeout: float = 5) -> Frame:
        assert self.ws is not None
        frame = {"v": 1, **frame, "id": f"c{next(self._ids)}"}
        fut: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self._pending[frame["id"]] = fut
        await self.ws.send(json.dumps(frame))
        return await asyncio.wait_for(fut, timeout)

    async def command(self, type_: str, key: str | None = None, **fields: Any) -> Frame:
        """Send a command with an idempotency key; the matching ``ack`` is returned."""
        frame = {"type": type_, "key": key or str(uuid.uuid4()), **fields}
        self.outbox[frame["key"]] = frame
        ack = await self._request(frame)
        if ack["type"] == "ack":
            self.outbox.pop(frame["key"], None)
        return ack

    async def flush_outbox(self) -> list[Frame]:
        return [await self.command(f["type"], **{k: v for k, v in f.items() if k != "type"})
                for f in list(self.outbox.values())]

    async def query(self, type_: str, **fields: Any) -> Frame:
        return await self._request({"type": type_, **fields})

    async def refresh(self) -> Frame:
        """In-band refresh (§3): answered by ``tokens``."""
        assert self.refresh_token
        return await self._request({"type": "refresh", "refresh_token": self.refresh_token})

    async def send_raw(self, text: str) -> None:
        assert self.ws is not None
        await self.ws.send(text)

    async def wait_for(self, pred: Callable[[], Any], timeout: float = 5) -> Any:
        async def waiter() -> Any:
            async with self._changed:
                while not (result := pred()):
                    await self._changed.wait()
                return result
        return await asyncio.wait_for(waiter(), timeout)

    async def wait_closed(self, timeout: float = 5) -> int | None:
        if self._reader is not None:
            await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code

    def event_kinds(self, kind: str) -> list[Frame]:
        return [e["data"] for e in self.events if e["data"]["kind"] == kind]
