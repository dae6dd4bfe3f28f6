"""Email content on the server: received raw messages (a 20 MB one with attachments,
malformed MIME, unreadable input) and the stored content within the frame limit; replies,
reply-all and forwards with their headers and checked addresses; HTML sanitised."""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from email.message import EmailMessage
from email.parser import BytesParser

import msgspec

from agent_desk.channels.email import AttachmentInfo, ParsedEmail
from agent_desk.protocol import messages as m
from agent_desk.protocol.codes import ErrorCode
from agent_desk.server.connectors import InboundAttachment, InboundContact
from agent_desk.server.email_in import MAX_TEXT_CHARS, MAX_VIEW_BYTES, prepare
from agent_desk.server.email_in import _from_parsed as prepare_parsed
from agent_desk.server.models import Attachment, Interaction, Message
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient


def _raw(*, text: str = "Hello, please see the files.", html: str | None = None,
         files: Sequence[tuple[str, bytes]] = (), cc: str | None = "eve@example.com",
         inline: bytes | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Carol Smith <carol@example.com>"
    msg["To"] = "support@agentdesk.example, Dave <dave@example.com>"
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = "Broken order"
    msg["Message-ID"] = "<order-1@customer.example>"
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
        if inline is not None:
            html_part = msg.get_payload()[1]  # type: ignore[index]
            assert isinstance(html_part, EmailMessage)
            html_part.add_related(inline, "image", "png", cid="<logo@x>")
    for name, data in files:
        msg.add_attachment(data, maintype="application", subtype="octet-stream",
                           filename=name)
    return msg.as_bytes()


async def _inbound(world: World, raw: bytes) -> int:
    return await world.server.inbound_contact(InboundContact(
        channel="email", identity_kind="email", identity="", queue="General", raw_mime=raw))


async def _accepted(world: World, ann: WsClient, iid: int) -> None:
    await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                         and d.change == "offered" and d.interaction.id == iid)
    assert (await ann.cmd(m.Accept, interaction_id=iid)).ok


async def _download(c: WsClient, attachment_id: int) -> bytes:
    out, offset = bytearray(), 0
    while True:
        ack = await c.request(m.GetAttachment(attachment_id=attachment_id, offset=offset))
        assert ack.ok, ack.error
        out += base64.b64decode(ack.result["data"])
        offset = len(out)
        if ack.result["eof"]:
            return bytes(out)


async def test_a_20_mb_email_with_attachments(world: World) -> None:
    ann = await world.login("ann", available=True)
    files = [(f"scan-{i}.bin", os.urandom(6_500_000)) for i in range(3)]
    text = "Line of the customer's long story.\n" * 9_000  # ~315,000 characters
    html = "<p>" + "A very long <b>HTML</b> body &amp; more. " * 30_000 + "</p>"  # ~1.2 MB
    raw = _raw(text=text, html=html, files=files, inline=b"\x89PNG fake image")
    assert len(raw) > 20_000_000
    iid = await _inbound(world, raw)
    await _accepted(world, ann, iid)

    detail = await ann.request(m.GetInteraction(interaction_id=iid))
    assert detail.ok
    assert len(msgspec.json.encode(detail.result)) < m.MAX_FRAME_BYTES  # the frame fits
    view = detail.result["interaction"]
    assert view["subject"] == "Broken order" and view["customer"]["name"] == "Carol Smith"
    [first] = detail.result["messages"]
    assert len(msgspec.json.encode(first)) <= MAX_VIEW_BYTES
    assert first["from_addr"] == "carol@example.com"
    assert first["message_id"] == "<order-1@customer.example>"
    assert first["cc"] == ["eve@example.com"]
    assert len(first["body"]) <= MAX_TEXT_CHARS and "[The text was cut" in first["body"]
    assert first["body"].startswith("Line of the customer's long story.")
    assert first["html"].startswith("<p>A very long <b>HTML</b>")
    assert first["html"].endswith("were received.]</em></p>")
    listed = {a["filename"]: a for a in first["attachments"]}
    assert {n: listed[n]["size"] for n, _ in files} == {n: len(d) for n, d in files}
    [logo] = [a for a in first["attachments"] if a["content_id"]]
    assert logo["content_id"] == "logo@x" and logo["content_type"] == "image/png"
    assert await _download(ann, listed["scan-1.bin"]["id"]) == files[1][1]
    assert await _download(ann, logo["id"]) == b"\x89PNG fake image"


def test_a_received_message_is_parsed_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The attachments' bytes come from the parse that read the rest (a 20 MB message was
    read twice: half the ingest time)."""
    calls: list[int] = []
    real = BytesParser.parsebytes

    def counted(self, text, headersonly=False):  # type: ignore[no-untyped-def]
        calls.append(len(text))
        return real(self, text, headersonly)
    monkeypatch.setattr(BytesParser, "parsebytes", counted)
    files = [("a.bin", os.urandom(3000)), ("b.bin", b"")]
    raw = _raw(html="<p>Hi <img src='cid:logo@x'></p>", files=files, inline=b"\x89PNG logo")
    got = prepare(InboundContact(channel="email", identity_kind="email", identity="",
                                 queue="General", raw_mime=raw))
    assert calls == [len(raw)]
    assert got.raw_mime is None and got.identity == "carol@example.com"
    assert [(a.filename, a.data, a.content_id) for a in got.attachments] == [
        ("part-3", b"\x89PNG logo", "logo@x"), ("a.bin", files[0][1], None),
        ("b.bin", b"", None)]


def test_an_unreadable_part_is_named_and_the_others_kept() -> None:
    infos = [AttachmentInfo("fwd.eml", 0, "message/rfc822", index=1),
             AttachmentInfo("x.pdf", 3, "application/pdf", index=2)]
    parsed = ParsedEmail(subject="s", from_addr="c@example.com", text="body",
                         attachments=infos, parts=[None, b"pdf"])
    got = prepare_parsed(InboundContact(channel="email", identity_kind="email",
                                        identity="", queue="General"), parsed)
    assert [(a.filename, a.data) for a in got.attachments] == [("x.pdf", b"pdf")]
    assert got.body == "body\n\n[the attachment 'fwd.eml' could not be read]"


async def test_malformed_and_unreadable_mime_still_make_interactions(world: World) -> None:
    broken = (b"From: Carol <carol@example.com>\r\nSubject: half a message\r\n"
              b"Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\n"
              b"Content-Type: text/plain\r\n\r\nThe order never came\r\n--zz\r\n"
              b"Content-Type: application/pdf; name=\"x.pdf\"\r\n"
              b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!not-base64")
    iid = await _inbound(world, broken)
    empty = await _inbound(world, b"   \r\n")

    def stored(s):  # type: ignore[no-untyped-def]
        out = {}
        for i in (iid, empty):
            inter = s.get(Interaction, i)
            msg = s.query(Message).filter_by(interaction_id=i).one()
            files = [(a.filename, a.size) for a in s.query(Attachment).filter_by(
                interaction_id=i)]
            out[i] = (inter.state, inter.subject, inter.customer.name, msg.body, files)
        return out

    got = world.server.store.run_sync(stored)
    state, subject, who, body, files = got[iid]
    assert (state, subject, who) == ("queued", "half a message", "Carol Smith")
    assert "The order never came" in body and "[malformed MIME" in body
    assert [f[0] for f in files] == ["x.pdf"]
    state, subject, who, body, files = got[empty]
    assert state == "queued" and "could not be read" in body
    assert files == [("message.eml", 5)]  # the original is kept


async def test_customer_reply_with_html_and_attachment(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await world.contact("email", subject="Invoice", body="Send the invoice")
    await _accepted(world, ann, iid)
    await world.server.customer_message(
        iid, "Here is the photo", html="<p>Here is <img src='cid:p1'></p>",
        attachments=[InboundAttachment("photo.jpg", "image/jpeg", b"jpegdata", "p1")])
    ev = await ann.wait_event(lambda d: isinstance(d, m.MessageAdded)
                              and d.message.direction == "inbound")
    assert isinstance(ev.data, m.MessageAdded)
    msg = ev.data.message
    assert msg.html == "<p>Here is <img src='cid:p1'></p>" and msg.in_reply_to
    [att] = msg.attachments
    assert (att.filename, att.size, att.content_id) == ("photo.jpg", 8, "p1")
    assert await _download(ann, att.id) == b"jpegdata"


async def test_reply_all_forward_addresses_and_html(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await _inbound(world, _raw())
    await _accepted(world, ann, iid)

    async def sent(**fields: object) -> m.MessageView:
        ack = await ann.cmd(m.SendMessage, interaction_id=iid, **fields)
        assert ack.ok, ack.error
        ev = await ann.wait_event(lambda d: isinstance(d, m.MessageAdded)
                                  and d.message.id == ack.result["message_id"])
        assert isinstance(ev.data, m.MessageAdded)
        return ev.data.message

    plain = await sent(body="We are on it.")
    assert plain.to == ["carol@example.com"] and plain.cc == []
    assert plain.subject == "Re: Broken order"
    assert plain.in_reply_to == "<order-1@customer.example>"
    assert plain.references == ["<order-1@customer.example>"]

    everyone = await sent(body="Replying to all.", mode="reply_all")
    assert everyone.to == ["carol@example.com", "Dave <dave@example.com>"]
    assert everyone.cc == ["eve@example.com"]  # our own address is left out
    assert everyone.in_reply_to == plain.message_id  # the thread's newest message

    chosen = await sent(body="To Carol, the rest in copy.", mode="reply_all",
                        to=["carol@example.com"])
    assert chosen.to == ["carol@example.com"]
    assert chosen.cc == ["Dave <dave@example.com>", "eve@example.com"]

    no_to = await ann.cmd(m.SendMessage, interaction_id=iid, body="fyi", mode="forward")
    assert not no_to.ok and no_to.error and no_to.error.code == ErrorCode.INVALID
    assert "forward needs a recipient" in no_to.error.message
    fwd = await sent(body="FYI, see below.", mode="forward", to=["boss@example.org"])
    assert fwd.subject == "Fwd: Broken order" and fwd.to == ["boss@example.org"]
    assert fwd.in_reply_to is None and fwd.references == []
    named = await sent(body="FYI", mode="forward", to=["boss@example.org"], subject="Look")
    assert named.subject == "Look"

    for field, value in (("to", ["not an address"]), ("cc", ["ok@example.com", "x@y"])):
        bad = await ann.cmd(m.SendMessage, interaction_id=iid, body="x", **{field: value})
        assert not bad.ok and bad.error and bad.error.code == ErrorCode.INVALID
        assert repr(value[-1]) in bad.error.message and field in bad.error.message

    rich = await sent(body="Formatted", html=(
        "<p onclick='steal()'>Hi <b>there</b><script>alert(1)</script>"
        "<img src='https://tracker.example/p.gif'><a href='javascript:evil()'>x</a></p>"))
    assert rich.html is not None and "<b>there</b>" in rich.html
    for bad_part in ("script", "alert", "onclick", "tracker.example", "javascript:"):
        assert bad_part not in rich.html
    stored = world.server.store.run_sync(lambda s: s.get_one(Message, rich.id).html)
    assert stored == rich.html

    chat_html = await world.login("bob", available=True)
    await ann.cmd(m.SetState, state="away", reason="break")
    chat = await world.contact("chat", body="hi")
    await _accepted(world, chat_html, chat)
    refused = await chat_html.cmd(m.SendMessage, interaction_id=chat, body="x", html="<b>x</b>")
    assert not refused.ok and refused.error and refused.error.code == ErrorCode.INVALID
