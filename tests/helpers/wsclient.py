"""A small protocol client for tests: a real websocket connection to the real server.
Frames are decoded with the protocol's own schemas; acks are matched by ``re``."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from agent_desk.protocol import messages as m
from agent_desk.protocol.codec import decode_server_frame, encode

_ids = itertools.count(1)


def new_key() -> str:
    return str(uuid.uuid4())


class WsClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[m.ServerFrame] = []
        self.events: list[m.Event] = []
        self.last_seq = 0
        self.gaps: list[tuple[int, int]] = []
        self._acks: dict[str, asyncio.Future[m.Ack]] = {}
        self._cond = asyncio.Condition()
        self.closed: ConnectionClosed | None = None
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, first: m.ClientFrame | None = None,
                   **kw: Any) -> WsClient:
        ws = await connect(url, compression=None, max_size=16 * 1024 * 1024, **kw)
        client = cls(ws)
        resume_from = getattr(first, "resume_from", None)
        if resume_from is not None:
            client.last_seq = resume_from  # a resuming client continues its own chain
        if first is not None:
            await client.send(first)
        return client

    @classmethod
    async def login(cls, url: str, username: str, password: str,
                    resume_from: int | None = None) -> WsClient:
        c = await cls.open(url, m.Login(id="login", username=username, password=password,
                                        resume_from=resume_from))
        await c.wait_for(lambda f: isinstance(f, (m.Snapshot, m.ReplayDone, m.Error)))
        return c

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = decode_server_frame(raw)
                if isinstance(frame, m.Event):
                    if frame.seq <= self.last_seq:
                        continue
                    if frame.prev != self.last_seq:
                        self.gaps.append((self.last_seq, frame.prev))
                    self.last_seq = frame.seq
                    self.events.append(frame)
                elif isinstance(frame, m.Snapshot):
                    self.last_seq = frame.seq
                elif isinstance(frame, m.ReplayDone):
                    self.last_seq = max(self.last_seq, frame.seq)
                elif isinstance(frame, m.Ack) and frame.re in self._acks:
                    fut = self._acks.pop(frame.re)
                    if not fut.done():
                        fut.set_result(frame)
                async with self._cond:
                    self.frames.append(frame)
                    self._cond.notify_all()
        except ConnectionClosed as exc:
            self.closed = exc
        finally:
            async with self._cond:
                self._cond.notify_all()
            for fut in self._acks.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("connection closed"))

    async def send(self, frame: m.ClientFrame | bytes | str) -> None:
        data = frame if isinstance(frame, (bytes, str)) else encode(frame)
        await self.ws.send(data.decode() if isinstance(data, bytes) else data)

    async def request(self, frame: m.ClientFrame, timeout: float = 10) -> m.Ack:
        if frame.id is None:
            frame = msgspec.structs.replace(frame, id=f"r{next(_ids)}")
        assert frame.id is not None
        fut: asyncio.Future[m.Ack] = asyncio.get_running_loop().create_future()
        self._acks[frame.id] = fut
        try:
            await self.send(frame)
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(frame.id, None)
            if fut.done() and not fut.cancelled():
                fut.exception()  # retrieved: no "never retrieved" warning

    async def cmd(self, cls: type[m.Command], **fields: Any) -> m.Ack:
        return await self.request(cls(key=new_key(), **fields))

    async def wait_for(self, pred: Callable[[m.ServerFrame], bool], timeout: float = 10
                       ) -> m.ServerFrame:
        """The first frame received so far (or later) that matches ``pred``."""
        async def scan() -> m.ServerFrame:
            seen = 0
            async with self._cond:
                while True:
                    for f in self.frames[seen:]:
                        if pred(f):
                            return f
                    seen = len(self.frames)
                    if self.closed is not None:
                        raise ConnectionError(f"closed: {self.closed}")
                    await self._cond.wait()
        return await asyncio.wait_for(scan(), timeout)

    async def wait_event(self, pred: Callable[[Any], bool], timeout: float = 10) -> m.Event:
        f = await self.wait_for(lambda f: isinstance(f, m.Event) and pred(f.data), timeout)
        assert isinstance(f, m.Event)
        return f

    async def wait_closed(self, timeout: float = 10) -> ConnectionClosed:
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        assert self.closed is not None
        return self.closed

    def first(self, cls: type[Any]) -> Any:
        return next(f for f in self.frames if isinstance(f, cls))

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.gather(self._reader, return_exceptions=True)
