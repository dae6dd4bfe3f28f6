"""The traffic simulator's new contacts: who writes or calls, and what they say.

Draws the customer (VIP-tier ones with their share), the queue (Chinese speakers to
``CHINESE_QUEUE``, most VIPs to ``VIP_QUEUE``, the others by the topic's category), the
priority, the story's details (order number, product, amount, date, coupon) and builds the
``InboundContact`` of a phone call (with its IVR data), an email or a chat from a
``simulator_texts.Topic``. Every draw comes from the simulator's seeded random generator,
in a fixed order, so a seed always gives the same traffic. Pure functions: no state, no
asyncio, no Qt."""

from __future__ import annotations

import random
import uuid

from ..protocol.enums import Channel, Priority
from . import simulator_texts as texts
from .connectors import InboundContact

SUPPORT_ADDRESS = "support@agentdesk.example"
#: Queue per topic category; Chinese-speaking customers go to ``CHINESE_QUEUE`` and VIP
#: customers mostly to ``VIP_QUEUE``.
CATEGORY_QUEUES: dict[str, str] = {
    "billing": "Billing", "technical": "Technical", "orders": "General", "general": "General",
}
CHINESE_QUEUE = "Chinese"
VIP_QUEUE = "VIP"


def pick_customer(rng: random.Random, pool: list[dict[str, str]],
                  vip_share: float) -> dict[str, str]:
    """One customer of ``pool`` (the built-in synthetic ones when it is empty); a VIP-tier
    one with probability ``vip_share`` when the pool has both kinds."""
    pool = pool or list(texts.SYNTHETIC_CUSTOMERS)
    vips = [c for c in pool if c.get("tier") == "vip"]
    others = [c for c in pool if c.get("tier") != "vip"]
    if vips and others:
        pool = vips if rng.random() < vip_share else others
    return rng.choice(pool)


def queue_for(rng: random.Random, customer: dict[str, str], language: str,
              topic: texts.Topic, vip_queue_share: float) -> str:
    if language == "zh":
        return CHINESE_QUEUE
    if customer.get("tier") == "vip" and rng.random() < vip_queue_share:
        return VIP_QUEUE
    return CATEGORY_QUEUES[topic.category]


def priority_for(rng: random.Random, channel: str, urgent_share: float, high_share: float,
                 low_share: float) -> str:
    """``urgent``/``high`` with their shares; ``low`` (emails only) with its share."""
    r = rng.random()
    if r < urgent_share:
        return Priority.URGENT.value
    r -= urgent_share
    if r < high_share:
        return Priority.HIGH.value
    r -= high_share
    if channel == Channel.EMAIL and r < low_share:
        return Priority.LOW.value
    return Priority.NORMAL.value


def story_values(rng: random.Random, language: str) -> dict[str, str]:
    """The fields of the topic's templates (see ``simulator_texts``), in ``language``."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    cents = rng.choice((0, 50, 90, 99))
    if language == "zh":
        amount = f"¥{rng.randint(49, 4999)}.{cents:02d}"
        date = f"{month}月{day}日"
    else:
        amount = f"${rng.randint(9, 899)}.{cents:02d}"
        date = f"{texts.MONTHS[month - 1]} {day}"
    return {
        "order": f"ORD-{rng.randint(1000, 99999)}",
        "product": rng.choice(texts.PRODUCTS).lang(language),
        "amount": amount,
        "date": date,
        "coupon": rng.choice(texts.COUPONS),
    }


def email_text(rng: random.Random, body: texts.B, language: str, values: dict[str, str],
               name: str) -> str:
    """An email's text: a greeting, ``body`` filled in, a sign-off and the sender's name."""
    greeting = rng.choice(texts.GREETINGS).lang(language)
    sign_off = rng.choice(texts.SIGN_OFFS).lang(language)
    text = body.lang(language).format_map(values)
    return f"{greeting}\n\n{text}\n\n{sign_off}\n{name}".rstrip()


def compose(rng: random.Random, channel: str, customer: dict[str, str], language: str,
            topic: texts.Topic, values: dict[str, str], *, queue: str,
            priority: str) -> InboundContact:
    """The contact ``customer`` makes on ``channel`` about ``topic``: an email with its
    Message-ID, a chat with its opening line, or a call with what the caller entered in the
    IVR (verified with an order number most of the time)."""
    contact = InboundContact(
        channel=channel, identity_kind=channel, identity=customer[channel],
        customer_name=customer.get("name", ""), language=language, queue=queue,
        priority=priority,
    )
    ref = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if channel == Channel.EMAIL:
        contact.subject = topic.subject.lang(language).format_map(values)
        contact.body = email_text(rng, topic.email_body, language, values,
                                  customer.get("name", ""))
        contact.external_ref = f"<{ref}@customer.example>"
        contact.to = [SUPPORT_ADDRESS]
    elif channel == Channel.CHAT:
        contact.subject = topic.subject.lang(language).format_map(values)
        contact.body = topic.chat_opening.lang(language).format_map(values)
        contact.external_ref = f"chat-{ref}"
    else:
        menu, label = texts.IVR_MENUS[topic.category]
        contact.subject = texts.CALL_SUBJECT.lang(language).format(menu=label.lang(language))
        contact.external_ref = f"call-{ref}"
        contact.ivr_data = {"menu": menu, "language": language, "topic": topic.key}
        if rng.random() < 0.7:
            contact.ivr_data |= {"verified": "yes", "order_number": values["order"]}
        else:
            contact.ivr_data["verified"] = "no"
    return contact
