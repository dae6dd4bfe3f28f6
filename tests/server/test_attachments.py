"""Email attachments through real websocket connections: a chunked upload, sent with a
reply, downloaded by another agent byte for byte; and every refusal (order, base64, size,
ownership, channel) clear, with nothing stored."""

from __future__ import annotations

import asyncio
import base64
import os

import msgspec
import pytest

from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import ErrorCode
from agent_desk.server import attachments
from agent_desk.server.connectors import Connector, OutboundMessage
from agent_desk.server.models import Attachment, AttachmentChunk
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient, new_key

CHUNK = m.MAX_CHUNK_BYTES


async def _take(world: World, agent: WsClient, channel: str = "email") -> int:
    iid = await world.contact(channel, subject="Invoice", body="Please send the invoice")
    await agent.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                           and d.change == "offered" and d.interaction.id == iid)
    assert (await agent.cmd(m.Accept, interaction_id=iid)).ok
    return iid


def _chunk(iid: int, upload_id: str, data: bytes, offset: int, total: int,
           name: str = "report.pdf") -> m.UploadChunk:
    return m.UploadChunk(key=new_key(), interaction_id=iid, upload_id=upload_id,
                         filename=name, content_type="application/pdf", total_size=total,
                         offset=offset, data=base64.b64encode(data).decode())


async def _upload(c: WsClient, iid: int, upload_id: str, data: bytes) -> int:
    acks = []
    for offset in range(0, max(len(data), 1), CHUNK):
        ack = await c.request(_chunk(iid, upload_id, data[offset:offset + CHUNK], offset,
                                     len(data)))
        assert ack.ok, ack.error
        acks.append(ack.result)
    assert acks[-1]["complete"] and acks[-1]["received"] == len(data)
    assert all(not a["complete"] and a["attachment_id"] is None for a in acks[:-1])
    return int(acks[-1]["attachment_id"])


async def _download(c: WsClient, attachment_id: int, length: int = CHUNK) -> bytes:
    out, offset = bytearray(), 0
    while True:
        ack = await c.request(m.GetAttachment(attachment_id=attachment_id, offset=offset,
                                              length=length))
        assert ack.ok, ack.error
        piece = base64.b64decode(ack.result["data"])
        assert ack.result["offset"] == offset
        out += piece
        offset += len(piece)
        if ack.result["eof"]:
            assert offset == ack.result["size"]
            return bytes(out)


class _Mailer(Connector):
    def __init__(self) -> None:
        self.got: asyncio.Queue[OutboundMessage] = asyncio.Queue()

    async def start(self, sink: object) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, message: OutboundMessage) -> None:
        await self.got.put(message)


def _stored(world: World) -> tuple[int, int]:
    return world.server.store.run_sync(
        lambda s: (s.query(Attachment).count(), s.query(AttachmentChunk).count()))


async def test_upload_in_three_chunks_send_and_download(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await _take(world, ann)
    data = os.urandom(2 * CHUNK + 12_345)
    first = _chunk(iid, "upload-report-1", data[:CHUNK], 0, len(data))
    aid = None
    ack = await ann.request(first)
    assert ack.ok and ack.result == {"received": CHUNK, "complete": False,
                                     "attachment_id": None}
    again = await ann.request(first)  # resent after a reconnect: answered, not applied
    assert again.ok and again.duplicate and again.result == ack.result
    for offset in (CHUNK, 2 * CHUNK):
        ack = await ann.request(_chunk(iid, "upload-report-1", data[offset:offset + CHUNK],
                                       offset, len(data)))
        assert ack.ok, ack.error
    assert ack.result["complete"] and ack.result["received"] == len(data)
    aid = ack.result["attachment_id"]
    assert _stored(world) == (1, 3)

    mailer = _Mailer()  # what an email connector is given to send
    world.server.connectors.append(mailer)
    sent = await ann.cmd(m.SendMessage, interaction_id=iid, body="The report is attached.",
                         html="<p>The <b>report</b> is attached.<script>x()</script></p>",
                         attachment_ids=[aid])
    assert sent.ok, sent.error
    out_msg = await asyncio.wait_for(mailer.got.get(), 5)
    assert out_msg.attachment_ids == [aid] and out_msg.html is not None
    assert "<b>report</b>" in out_msg.html and "script" not in out_msg.html
    assert out_msg.in_reply_to and out_msg.references[-1] == out_msg.in_reply_to
    ev = await ann.wait_event(lambda d: isinstance(d, m.MessageAdded)
                              and d.message.direction == "outbound")
    assert isinstance(ev.data, m.MessageAdded)
    [att] = ev.data.message.attachments
    assert (att.id, att.filename, att.size, att.content_type) == (
        aid, "report.pdf", len(data), "application/pdf")
    again = await ann.cmd(m.SendMessage, interaction_id=iid, body="Once more",
                          attachment_ids=[aid])
    assert not again.ok and again.error and again.error.code == ErrorCode.INVALID
    assert "already sent" in again.error.message

    bob = await world.login("bob")  # any signed-in user may read the thread
    assert await _download(bob, aid) == data
    assert await _download(bob, aid, length=100_000) == data  # pieces across chunk rows
    mid = await bob.request(m.GetAttachment(attachment_id=aid, offset=CHUNK - 10, length=20))
    assert base64.b64decode(mid.result["data"]) == data[CHUNK - 10:CHUNK + 10]
    detail = await bob.request(m.GetInteraction(interaction_id=iid))
    out = [x for x in detail.result["messages"] if x["direction"] == "outbound"]
    assert [a["id"] for a in out[0]["attachments"]] == [aid]

    missing = await bob.request(m.GetAttachment(attachment_id=987_654))
    assert not missing.ok and missing.error and missing.error.code == ErrorCode.NOT_FOUND
    past = await bob.request(m.GetAttachment(attachment_id=aid, offset=len(data) + 1))
    assert not past.ok and past.error and past.error.code == ErrorCode.INVALID


async def test_refused_uploads_store_nothing(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await _take(world, ann)
    bob = await world.login("bob")

    async def refused(c: WsClient, frame: m.UploadChunk, code: ErrorCode, word: str) -> None:
        ack = await c.request(frame)
        assert not ack.ok and ack.error is not None, ack
        assert ack.error.code == code and word in ack.error.message, ack.error

    await refused(ann, _chunk(iid, "upload-ooo-1", b"x" * 100, 100, 1000), ErrorCode.INVALID,
                  "expected the piece at offset 0")
    bad = msgspec.structs.replace(_chunk(iid, "upload-b64-1", b"x", 0, 10), data="not base64!")
    await refused(ann, bad, ErrorCode.INVALID, "base64")
    huge = m.MAX_ATTACHMENTS_BYTES + 1
    await refused(ann, _chunk(iid, "upload-big-1", b"x" * 10, 0, huge),
                  ErrorCode.LIMIT_EXCEEDED, "25.0 MiB")
    await refused(bob, _chunk(iid, "upload-bob-1", b"x" * 10, 0, 10), ErrorCode.FORBIDDEN,
                  "not assigned to you")
    await refused(ann, _chunk(iid, "upload-over-1", b"x" * 20, 0, 10), ErrorCode.INVALID,
                  "exceed total_size")
    await refused(ann, _chunk(987_654, "upload-none-1", b"x", 0, 1), ErrorCode.NOT_FOUND,
                  "987654")
    assert _stored(world) == (0, 0)

    # a started upload: a gap or a different file under the same id is refused too
    assert (await ann.request(_chunk(iid, "upload-part-1", b"a" * 10, 0, 30))).ok
    await refused(ann, _chunk(iid, "upload-part-1", b"c" * 10, 20, 30), ErrorCode.INVALID,
                  "expected the piece at offset 10")
    await refused(ann, _chunk(iid, "upload-part-1", b"b" * 10, 10, 30, name="other.txt"),
                  ErrorCode.INVALID, "another file")
    assert _stored(world) == (1, 1)
    # an incomplete upload cannot be sent
    part_id = world.server.store.run_sync(lambda s: s.query(Attachment).one().id)
    ack = await ann.cmd(m.SendMessage, interaction_id=iid, body="x", attachment_ids=[part_id])
    assert not ack.ok and ack.error and "not completely uploaded" in ack.error.message

    # uploads on a chat are refused
    bob_chat = await world.login("bob", available=True)
    await ann.cmd(m.SetState, state="away", reason="break")
    chat = await _take(world, bob_chat, "chat")
    await refused(bob_chat, _chunk(chat, "upload-chat-1", b"x", 0, 1), ErrorCode.INVALID_STATE,
                  "chat")
    ack = await bob_chat.cmd(m.SendMessage, interaction_id=chat, body="x",
                             attachment_ids=[part_id])
    assert not ack.ok and ack.error and ack.error.code == ErrorCode.INVALID
    assert _stored(world) == (1, 1)


async def test_someone_elses_upload_and_the_total_limit(world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ann = await world.login("ann", available=True)
    mine = await _take(world, ann)
    await ann.cmd(m.SetState, state="away", reason="break")
    bob = await world.login("bob", available=True)
    his = await _take(world, bob)
    bobs = await _upload(bob, his, "upload-bob-file", b"b" * 1000)
    ack = await ann.cmd(m.SendMessage, interaction_id=mine, body="x", attachment_ids=[bobs])
    assert not ack.ok and ack.error and ack.error.code == ErrorCode.INVALID
    assert "not an upload of yours" in ack.error.message
    ack = await ann.cmd(m.SendMessage, interaction_id=mine, body="x", attachment_ids=[987_654])
    assert not ack.ok and ack.error and ack.error.code == ErrorCode.INVALID

    monkeypatch.setattr(attachments, "LIMIT", 1500)  # a small limit: two files exceed it
    a1 = await _upload(ann, mine, "upload-ann-1", b"1" * 800)
    a2 = await _upload(ann, mine, "upload-ann-2", b"2" * 800)
    ack = await ann.cmd(m.SendMessage, interaction_id=mine, body="x", attachment_ids=[a1, a2])
    assert not ack.ok and ack.error and ack.error.code == ErrorCode.LIMIT_EXCEEDED
    assert ack.error.message == ("the attachments together are 1.6 KiB: attachments may "
                                 "total at most 1.5 KiB")
    dup = await ann.cmd(m.SendMessage, interaction_id=mine, body="x", attachment_ids=[a1, a1])
    assert not dup.ok and dup.error and "twice" in dup.error.message
    ok = await ann.cmd(m.SendMessage, interaction_id=mine, body="x", attachment_ids=[a1])
    assert ok.ok
    linked = world.server.store.run_sync(lambda s: sorted(
        (a.id, a.message_id is not None) for a in s.query(Attachment)))
    assert linked == sorted([(bobs, False), (a1, True), (a2, False)])
