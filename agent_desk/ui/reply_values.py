"""What a reply template's ``{variables}`` are filled with, and where the values come from.

``reply_values`` maps one interaction, its customer's 360 record, the agent and the date to
the variables of ``kb.templates.KNOWN_VARIABLES``:

=======================  ====================================================================
``customer.name``        the 360 record's name (else the interaction's customer name)
``customer.first_name``  ``templates.first_name``: "Carol"; a CJK name whole (王芳)
``customer.tier``        the tier in the *customer's* language (Gold / 金卡会员)
``customer.email``       the customer's first e-mail identity
``customer.phone``       the customer's first phone identity
``order.number``         the number of the customer's latest order (by ``placed_at``)
``order.status``         that order's status as the order system gives it
``agent.name``           the signed-in agent's name (``agent.first_name`` likewise)
``interaction.subject``  the interaction's subject
``company.name``         the server's ``company_name`` (snapshot)
``today``                today's date in the customer's language (12 March 2025 / 2025年3月12日)
=======================  ====================================================================

``company.name`` comes from the server (``snapshot.company_name``, set with
``agent-desk server --company``); a server without one leaves it visible and flagged. A
variable with no value is left out of the mapping (``templates.fill`` then leaves it
visible and lists it as missing), never filled with an empty string.

The values go into what the *customer* reads, so the tier word and the date follow the
customer's language, not the agent's interface language (they are content, not ``tr()``
texts). ``ReplyValues`` (one per session, a child of the bridge) caches the 360 records
so a ``#shortcut`` expands at once; ``load`` refreshes one from the server.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from ..kb.templates import make_values
from ..protocol import views as v

if TYPE_CHECKING:
    from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.reply_values")

#: The tier as the customer reads it, by the primary language subtag.
TIER_WORDS = {
    "en": {"standard": "Standard", "gold": "Gold", "vip": "VIP"},
    "zh": {"standard": "普通会员", "gold": "金卡会员", "vip": "VIP会员"},
}
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^\W\d]\w*(?:\.\w+)*)\}(?!\})")


def primary_language(language: str | None) -> str:
    return (language or "en").replace("_", "-").split("-")[0].lower() or "en"


def date_text(day: date, language: str | None) -> str:
    if primary_language(language) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def latest_order(orders: list[v.OrderView]) -> v.OrderView | None:
    return max(orders, key=lambda o: o.placed_at) if orders else None


def _identity(customer: v.Customer360 | None, kind: str) -> str | None:
    if customer is None:
        return None
    return next((i.value for i in customer.identities if i.kind == kind and i.value), None)


def reply_values(interaction: v.InteractionView | None, customer: v.Customer360 | None,
                 agent_name: str, today: date | None = None, company: str = ""
                 ) -> dict[str, str]:
    """The variables with a value (see the module's table)."""
    brief = interaction.customer if interaction is not None else None
    src = customer or brief
    lang = src.language if src is not None else "en"
    tier = str(src.tier) if src is not None else ""
    order = latest_order(customer.orders) if customer is not None else None
    day = today or datetime.now(UTC).astimezone().date()
    return make_values(
        customer_name=src.name if src is not None else None,
        customer_tier=TIER_WORDS.get(primary_language(lang), TIER_WORDS["en"]).get(tier, tier),
        customer_email=_identity(customer, "email"),
        customer_phone=_identity(customer, "phone"),
        order_number=order.number if order is not None else None,
        order_status=order.status if order is not None else None,
        agent_name=agent_name if agent_name != "—" else None,
        interaction_subject=interaction.subject if interaction is not None else None,
        company_name=company or None,
        today=date_text(day, lang))


def placeholders(text: str) -> list[tuple[int, int, str]]:
    """``{name}`` spans left in ``text`` (not ``{{``-escaped): (start, end, name)."""
    return [(m.start(), m.end(), m.group(1)) for m in _PLACEHOLDER.finditer(text)]


class ReplyValues(QObject):
    """The session's Customer 360 records for filling templates (a child of the bridge).

    Signals:
        sig_loaded(int): the record of this customer id was (re)loaded.
    """

    sig_loaded = Signal(int)

    def __init__(self, ctx: ViewContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._customers: dict[int, v.Customer360] = {}
        self._loading: set[int] = set()

    @classmethod
    def of(cls, ctx: ViewContext) -> ReplyValues:
        """The session's instance (made on first use)."""
        found = ctx.bridge.findChild(ReplyValues)
        if isinstance(found, ReplyValues):
            found.ctx = ctx  # the newest window's context (the same session)
            return found
        return cls(ctx, ctx.bridge)

    def customer(self, customer_id: int) -> v.Customer360 | None:
        return self._customers.get(customer_id)

    def values(self, interaction: v.InteractionView | None) -> dict[str, str]:
        """The values for ``interaction`` now (the customer's record if loaded)."""
        cust = self._customers.get(interaction.customer.id) if interaction is not None else None
        now = datetime.fromtimestamp(self.ctx.now(), UTC).astimezone().date()
        return reply_values(interaction, cust, self.ctx.agent_name(self.ctx.my_id), now,
                            self.ctx.state.company_name)

    async def load(self, customer_id: int) -> v.Customer360 | None:
        """Fetch the record (offline: the cached copy); None when it cannot be had."""
        from .controller import QueryFailed

        if customer_id in self._loading:
            return self._customers.get(customer_id)
        self._loading.add(customer_id)
        try:
            cached = await self.ctx.controller.customer(customer_id)
        except QueryFailed as exc:
            log.info("customer %s not loaded for reply values: %s", customer_id, exc.text)
            return self._customers.get(customer_id)
        finally:
            self._loading.discard(customer_id)
        self._customers[customer_id] = cached.value
        if isValid(self):
            self.sig_loaded.emit(customer_id)
        return cached.value
