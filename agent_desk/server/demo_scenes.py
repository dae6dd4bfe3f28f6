"""Scripted demo scenes: one phone call, email or chat of a known demo customer, in English
or Chinese, with content that shows the workspace at its best (IVR data, an HTML email with
a blocked remote image, a disguised link and an attachment; a chat with a few turns).

``SceneConnector`` is a connector like the simulator: it creates its contact (urgent, so it
is offered first) and plays the customer's side of the chat. Used by
``agent-desk demo --open CHANNEL`` (the documentation screenshots)."""

from __future__ import annotations

import asyncio
import logging
import struct
import zlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .connectors import Connector, ContactSink, InboundContact, OutboundMessage

log = logging.getLogger("agent_desk.demo_scenes")

SUPPORT = "support@agentdesk.example"
def _logo_png(width: int = 96, height: int = 24) -> bytes:
    """A small two-colour banner PNG (the customer's inline ``cid:`` image in the scene)."""
    rows = b"".join(b"\x00" + b"".join(
        (b"\x1f\x6f\xd0" if x < width * 2 // 3 else b"\x2e\xa0\x5a") for x in range(width))
        for _y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


#: Proof that the message's own cid: images render while remote images do not.
LOGO_PNG = _logo_png()

TEXTS: dict[str, dict[str, object]] = {
    "en": {
        "subject": "Order A1043 arrived damaged — refund or replacement?",
        "email_text": ("Hello,\n\nmy order A1043 (a table lamp) arrived today with a cracked "
                       "base. I attached a photo of the receipt. Can you send a replacement "
                       "before Friday, or refund me?\n\nThanks,\n{name}"),
        "email_html": ("<p>Hello,</p><p>my order <b>A1043</b> (a table lamp) arrived today "
                       "with a <span style='color:#b00020'>cracked base</span>. I attached a "
                       "photo of the receipt.</p><p>Tracking says delivered: "
                       "<a href='http://track.evil.example/a1043'>https://www.dhl.com/track"
                       "</a></p><p><img src='https://tracker.example/pixel.gif' width=1>"
                       "</p><p><img src='cid:logo@customer'></p>"
                       "<p>Can you send a replacement before "
                       "Friday, or refund me?</p><p>Thanks,<br>{name}</p>"),
        "chat": ["Hi, my parcel A1043 has not moved for three days.",
                 "The tracking page just says 'in transit'. I need it by Friday.",
                 "OK, thank you! Can you message me when it moves?"],
        "call_subject": "Delivery question: order A1043",
        "ivr": {"menu": "Orders > Delivery", "order": "A1043", "verified": "yes (PIN)"},
    },
    "zh": {
        "subject": "订单 A1043 到货破损，退款还是换货？",
        "email_text": ("您好：\n\n我的订单 A1043（台灯）今天到货，底座有裂痕。附件是收据照片。"
                       "能在周五前补发一台吗？或者给我退款。\n\n谢谢，\n{name}"),
        "email_html": ("<p>您好：</p><p>我的订单 <b>A1043</b>（台灯）今天到货，"
                       "<span style='color:#b00020'>底座有裂痕</span>。附件是收据照片。</p>"
                       "<p>物流显示已签收：<a href='http://track.evil.example/a1043'>"
                       "https://www.sf-express.com/track</a></p>"
                       "<p><img src='https://tracker.example/pixel.gif' width=1>"
                       "</p><p><img src='cid:logo@customer'></p>"
                       "<p>能在周五前补发一台吗？或者给我退款。</p>"
                       "<p>谢谢，<br>{name}</p>"),
        "chat": ["你好，我的包裹 A1043 已经三天没有物流更新了。",
                 "物流页面一直显示“运输中”，我周五之前需要收到。",
                 "好的，谢谢！有更新能通知我吗？"],
        "call_subject": "物流咨询：订单 A1043",
        "ivr": {"菜单": "订单 > 物流", "订单": "A1043", "已验证": "是（PIN）"},
    },
}


def scene_language(ui_language: str | None) -> str:
    return "zh" if (ui_language or "").lower().startswith("zh") else "en"


def email_mime(name: str, address: str, language: str) -> bytes:
    t = TEXTS[language]
    msg = EmailMessage()
    msg["From"] = f"{name} <{address}>"
    msg["To"] = SUPPORT
    msg["Subject"] = str(t["subject"])
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="customer.example")
    msg.set_content(str(t["email_text"]).format(name=name))
    msg.add_alternative(str(t["email_html"]).format(name=name), subtype="html")
    html_part = msg.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(LOGO_PNG, maintype="image", subtype="png", cid="<logo@customer>")
    msg.add_attachment(b"%PDF-1.4\n% demo receipt for order A1043\n", maintype="application",
                       subtype="pdf", filename="receipt-A1043.pdf")
    return msg.as_bytes()


class SceneConnector(Connector):
    """Creates one scripted contact of ``channel`` and plays its customer."""

    name = "scene"

    def __init__(self, channel: str, language: str = "en") -> None:
        self.channel = channel
        self.language = language if language in TEXTS else "en"
        self.sink: ContactSink | None = None
        self.interaction_id: int | None = None
        self._turn = 1
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, sink: ContactSink) -> None:
        self.sink = sink

    async def stop(self) -> None:
        for t in list(self._tasks):
            t.cancel()

    async def _customer(self) -> dict[str, str]:
        assert self.sink is not None
        people = await self.sink.customer_identities(500)
        want = "zh" if self.language == "zh" else "en"
        fits = [p for p in people if p.get("language") == want and "phone" in p
                and "email" in p and "chat" in p]
        fits.sort(key=lambda p: p["name"])
        return fits[0] if fits else (people[0] if people else {"name": "Demo Customer"})

    async def create(self) -> int:
        """Create the scene's contact (urgent, so it is offered before anything else)."""
        assert self.sink is not None
        who = await self._customer()
        t = TEXTS[self.language]
        name = who.get("name", "Demo Customer")
        if self.channel == "email":
            address = who.get("email", "customer@example.com")
            contact = InboundContact(channel="email", identity_kind="email", identity=address,
                                     customer_name=name, language=self.language,
                                     priority="urgent",
                                     raw_mime=email_mime(name, address, self.language))
        elif self.channel == "chat":
            lines = list(t["chat"])  # type: ignore[call-overload]
            contact = InboundContact(channel="chat", identity_kind="chat",
                                     identity=who.get("chat", "visitor-demo"),
                                     customer_name=name, language=self.language,
                                     priority="urgent", subject=str(lines[0])[:80],
                                     body=str(lines[0]))
        else:
            number = who.get("phone", "+15550100")
            ivr = {"caller": number, **dict(t["ivr"])}  # type: ignore[call-overload]
            contact = InboundContact(channel="phone", identity_kind="phone", identity=number,
                                     customer_name=name, language=self.language,
                                     priority="urgent", subject=str(t["call_subject"]),
                                     ivr_data=ivr)
        self.interaction_id = await self.sink.inbound_contact(contact)
        return self.interaction_id

    async def deliver(self, message: OutboundMessage) -> None:
        if message.interaction_id != self.interaction_id or self.channel != "chat":
            return
        lines = list(TEXTS[self.language]["chat"])  # type: ignore[call-overload]
        if self._turn >= len(lines):
            return
        line = str(lines[self._turn])
        self._turn += 1
        task = asyncio.ensure_future(self._say(line))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _say(self, line: str) -> None:
        sink, iid = self.sink, self.interaction_id
        if sink is None or iid is None:
            return
        try:
            await sink.customer_seen(iid)
            await sink.customer_typing(iid, True)
            await asyncio.sleep(1.0)  # the customer types (a demo, not a test)
            await sink.customer_message(iid, line)
            await sink.customer_typing(iid, False)
        except Exception:  # the demo goes on without this line
            log.exception("demo scene: customer line failed")
