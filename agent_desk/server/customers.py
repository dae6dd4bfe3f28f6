"""Customers: link an interaction to a customer and create customers, for when the screen pop
found none or several."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..channels.email import AddressInvalid, parse_address
from ..channels.errors import InvalidInput
from ..channels.phone import validate_callback_number
from ..protocol import messages as m
from ..protocol.codes import ErrorCode
from ..protocol.enums import FINAL_STATES, CustomerMatch
from .errors import CommandError, forbidden, not_found
from .lifecycle import Handler, Settings, apply_sla, get_interaction, is_supervisor
from .models import Agent, Customer, CustomerIdentity, Interaction, Order, Survey
from .tx import Before, Tx

IDENTITY_KINDS = ("phone", "email", "chat")
MAX_IDENTITY = 320
#: A customer record the screen pop created for one contact (removable once linked away).
PROVISIONAL = frozenset({CustomerMatch.NEW, CustomerMatch.AMBIGUOUS})


def _invalid(message: str) -> CommandError:
    return CommandError(ErrorCode.INVALID, message)


def _linkable(tx: Tx, actor: Agent, interaction_id: int) -> Interaction:
    inter = get_interaction(tx, interaction_id)
    if actor.id not in (inter.assigned_agent_id, inter.offered_agent_id) and not is_supervisor(
            actor):
        raise forbidden(f"interaction {interaction_id} is not assigned or offered to you")
    return inter


def _source_identities(inter: Interaction) -> list[CustomerIdentity]:
    """The identity the contact came from, when its customer was created for it: the
    provisional record's identities of the channel's kind."""
    if inter.customer_match not in PROVISIONAL:
        return []
    return [i for i in inter.customer.identities if i.kind == inter.channel]


def _referenced(tx: Tx, customer_id: int) -> bool:
    for model in (Interaction, Order, Survey):
        n = tx.session.execute(select(func.count()).select_from(model).where(
            model.customer_id == customer_id)).scalar_one()
        if n:
            return True
    return False


def link(tx: Tx, inter: Interaction, target: Customer) -> None:
    """Move ``inter`` (with its survey, and the identity it came from when its customer was
    provisional) to ``target``; a provisional record left unused is deleted."""
    before = Before.of(inter)
    old = inter.customer
    provisional = inter.customer_match in PROVISIONAL and old.id != target.id
    for ident in _source_identities(inter) if old.id != target.id else []:
        old.identities.remove(ident)
        target.identities.append(ident)
    inter.customer_id = target.id
    inter.customer = target
    inter.customer_match = CustomerMatch.LINKED
    inter.match_candidates = []
    for survey in tx.session.execute(select(Survey).where(
            Survey.interaction_id == inter.id)).scalars():
        survey.customer_id = target.id
    tx.session.flush()
    if inter.state not in FINAL_STATES:
        apply_sla(tx, inter)  # the tier (and so the SLA targets) may have changed
    # only a record made for this contact alone goes: nothing refers to it any more and
    # it has no identity left (deleting it must never take data with it)
    if provisional and not old.identities and not _referenced(tx, old.id):
        tx.session.delete(old)
        tx.session.flush()
    tx.interaction_changed(inter, "customer_linked", before)


def link_customer(tx: Tx, actor: Agent, cmd: m.LinkCustomer, cfg: Settings) -> dict[str, Any]:
    inter = _linkable(tx, actor, cmd.interaction_id)
    target = tx.session.get(Customer, cmd.customer_id)
    if target is None:
        raise not_found(f"customer {cmd.customer_id}")
    link(tx, inter, target)
    return {"customer_id": target.id}


def _identity(kind: str, value: str) -> str:
    """The identity's stored form; ``invalid`` naming the problem."""
    if kind not in IDENTITY_KINDS:
        raise _invalid(f"identity kind {kind!r} is not one of: {', '.join(IDENTITY_KINDS)}")
    if kind == "email":
        try:
            return parse_address(value).addr.lower()
        except AddressInvalid as exc:
            raise _invalid(f"email identity {exc}") from None
    if kind == "phone":
        try:
            return validate_callback_number(value)
        except InvalidInput as exc:
            raise _invalid(f"phone identity: {exc}") from None
    chat = value.strip()
    if not chat or len(chat) > MAX_IDENTITY:
        raise _invalid(f"chat identity must be 1 to {MAX_IDENTITY} characters")
    return chat


def create_customer(tx: Tx, actor: Agent, cmd: m.CreateCustomer,
                    cfg: Settings) -> dict[str, Any]:
    name = cmd.name.strip()
    if not name:
        raise _invalid("create_customer: name is empty")
    inter = _linkable(tx, actor, cmd.interaction_id) if cmd.interaction_id else None
    # the identities the contact came from may be given again: they move with the link
    own = {(i.kind, i.value) for i in _source_identities(inter)} if inter else set()
    wanted: list[tuple[str, str]] = []
    for ident in cmd.identities:
        key = (ident.kind, _identity(ident.kind, ident.value))
        if key in wanted:
            raise _invalid(f"{key[0]} identity {key[1]!r} is given twice")
        if key in own:
            continue
        value_col = (func.lower(CustomerIdentity.value) if key[0] == "email"
                     else CustomerIdentity.value)
        holder = tx.session.execute(select(Customer.name).join(
            CustomerIdentity, CustomerIdentity.customer_id == Customer.id).where(
            CustomerIdentity.kind == key[0], value_col == key[1]).limit(1)).scalar()
        if holder is not None:
            raise _invalid(f"{key[0]} identity {key[1]!r} already belongs to customer "
                           f"{holder!r}")
        wanted.append(key)
    cust = Customer(name=name, language=cmd.language.strip(), tier=str(cmd.tier),
                    notes=cmd.notes, created_at=tx.now)
    cust.identities = [CustomerIdentity(kind=k, value=v) for k, v in wanted]
    tx.session.add(cust)
    tx.session.flush()
    if inter is not None:
        link(tx, inter, cust)
    return {"customer_id": cust.id}


HANDLERS: dict[type[m.Command], Handler] = {
    m.LinkCustomer: link_customer, m.CreateCustomer: create_customer,
}
