"""Screen pop matching, linking an interaction to a customer and creating customers, through
real websocket clients on a real server."""

from __future__ import annotations

from typing import Any

from agent_desk.protocol import messages as m
from agent_desk.protocol import views as pv
from agent_desk.server.connectors import InboundContact
from agent_desk.server.models import Customer, CustomerIdentity, Interaction
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient


async def _contact(world: World, channel: str, identity: str, name: str) -> int:
    return await world.server.inbound_contact(InboundContact(
        channel=channel, identity_kind=channel, identity=identity, customer_name=name,
        queue="General", subject="Question", body="" if channel == "phone" else "Hi"))


def _view(world: World, iid: int) -> pv.InteractionView:
    from agent_desk.server.views import interaction_view

    return world.server.store.run_sync(
        lambda s: interaction_view(s.get(Interaction, iid)))  # type: ignore[arg-type]


def _customers(world: World) -> dict[str, list[tuple[str, str]]]:
    """Every customer by name with its identities."""
    def get(s):  # type: ignore[no-untyped-def]
        return {c.name: sorted((i.kind, i.value) for i in c.identities)
                for c in s.query(Customer)}
    return world.server.store.run_sync(get)


def _customer_id(world: World, name: str) -> int:
    """The first customer of that name (the known one, not a provisional namesake)."""
    return world.server.store.run_sync(
        lambda s: s.query(Customer.id).filter_by(name=name).order_by(Customer.id).limit(1).scalar())


async def _accepted(world: World, agent: WsClient, iid: int) -> None:
    await agent.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                           and d.interaction.id == iid and d.interaction.state == "offered")
    assert (await agent.cmd(m.Accept, interaction_id=iid)).ok


async def test_screen_pop_matches_by_identity_else_by_name_else_new(world: World) -> None:
    known = _view(world, await _contact(world, "phone", "+15550001", "whoever"))
    assert known.customer.name == "Carol Smith" and known.customer_match == "identity"
    assert known.match_candidates == []

    maybe = _view(world, await _contact(world, "email", "c.smith@elsewhere.example",
                                        "  carol SMITH "))
    assert maybe.customer_match == "ambiguous"
    assert [(c.id, c.name, c.tier, c.language) for c in maybe.match_candidates] == [
        (_customer_id(world, "Carol Smith"), "Carol Smith", "standard", "en")]
    assert maybe.customer.id != _customer_id(world, "Carol Smith")  # a provisional record

    new = _view(world, await _contact(world, "chat", "chat:zoe", "Zoe Park"))
    assert new.customer_match == "new" and new.match_candidates == []
    assert new.customer.name == "Zoe Park" and _customers(world)["Zoe Park"] == [
        ("chat", "chat:zoe")]
    nameless = _view(world, await _contact(world, "chat", "chat:anon", ""))
    assert nameless.customer_match == "new" and nameless.customer.name == "chat:anon"


async def test_link_customer_moves_the_interaction_and_identity_and_drops_the_provisional(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    bob = await world.login("bob")
    iid = await _contact(world, "email", "c.smith@elsewhere.example", "Carol Smith")
    await _accepted(world, ann, iid)
    carol = _customer_id(world, "Carol Smith")
    provisional = _view(world, iid).customer.id

    refused = await bob.cmd(m.LinkCustomer, interaction_id=iid, customer_id=carol)
    assert not refused.ok and refused.error and refused.error.code == "forbidden"
    missing = await ann.cmd(m.LinkCustomer, interaction_id=iid, customer_id=99_999)
    assert not missing.ok and missing.error and missing.error.code == "not_found"

    ack = await ann.cmd(m.LinkCustomer, interaction_id=iid, customer_id=carol)
    assert ack.ok and ack.result == {"customer_id": carol}
    ev = await ann.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                              and d.change == "customer_linked")
    assert isinstance(ev.data, m.InteractionChanged)
    view = ev.data.interaction
    assert view.customer.id == carol and view.customer_match == "linked"
    assert view.match_candidates == []
    assert ("email", "c.smith@elsewhere.example") in _customers(world)["Carol Smith"]
    gone = world.server.store.run_sync(lambda s: s.get(Customer, provisional))
    assert gone is None
    # the next contact from that address is Carol's at once
    again = _view(world, await _contact(world, "email", "c.smith@elsewhere.example", "C"))
    assert again.customer.id == carol and again.customer_match == "identity"


async def test_lead_may_link_and_a_known_customer_keeps_its_identity(world: World) -> None:
    lead = await world.login("lead")
    iid = await _contact(world, "phone", "+15550001", "Carol Smith")  # Carol's own number
    victor = _customer_id(world, "Victor Vip")
    ack = await lead.cmd(m.LinkCustomer, interaction_id=iid, customer_id=victor)
    assert ack.ok
    assert _view(world, iid).customer.tier == "vip"
    people = _customers(world)
    assert ("phone", "+15550001") in people["Carol Smith"]  # not taken from a real customer
    assert "Carol Smith" in people


async def _create(agent: WsClient, **fields: Any) -> m.Ack:
    idents = [pv.IdentityView(kind=k, value=v) for k, v in fields.pop("identities", [])]
    return await agent.cmd(m.CreateCustomer, identities=idents, **fields)


async def test_create_customer_validates_identities_and_refuses_duplicates(
        world: World) -> None:
    ann = await world.login("ann")
    before = _customers(world)
    for idents, words in [
        ([("email", "Carol@Example.com")], ["email", "carol@example.com", "Carol Smith"]),
        ([("phone", "+1 555-0002")], ["+15550002", "Victor Vip"]),
        ([("email", "not-an-address")], ["email identity"]),
        ([("phone", "call me maybe")], ["phone identity"]),
        ([("chat", "   ")], ["chat identity"]),
        ([("fax", "123")], ["fax"]),
        ([("email", "a@b.example"), ("email", "A@b.example")], ["twice"]),
    ]:
        ack = await _create(ann, name="Somebody", identities=idents)
        assert not ack.ok and ack.error and ack.error.code == "invalid", idents
        assert all(w in ack.error.message for w in words), ack.error.message
    assert _customers(world) == before  # nothing half-created

    ack = await _create(ann, name=" Dana Cruz ", language="en", tier="gold", notes="Met at fair",
                        identities=[("email", "Dana@Cruz.example"),
                                    ("phone", "+44 (20) 7946-0000"), ("chat", "chat:dana")])
    assert ack.ok
    dana = world.server.store.run_sync(lambda s: s.get(Customer, ack.result["customer_id"]))
    assert dana is not None
    assert (dana.name, dana.tier, dana.notes) == ("Dana Cruz", "gold", "Met at fair")
    assert _customers(world)["Dana Cruz"] == [("chat", "chat:dana"),
                                             ("email", "dana@cruz.example"),
                                             ("phone", "+442079460000")]
    found = await ann.request(m.SearchCustomers(query="cruz"))
    assert [c["name"] for c in found.result["customers"]] == ["Dana Cruz"]


async def test_create_customer_and_link_the_interaction(world: World) -> None:
    ann = await world.login("ann", available=True)
    iid = await _contact(world, "chat", "chat:zoe", "Zoe")
    await _accepted(world, ann, iid)
    provisional = _view(world, iid).customer.id
    ack = await _create(ann, name="Zoe Park", interaction_id=iid,
                        identities=[("chat", "chat:zoe"), ("email", "zoe@park.example")])
    assert ack.ok, ack
    zoe = ack.result["customer_id"]
    view = _view(world, iid)
    assert view.customer.id == zoe and view.customer_match == "linked"
    assert _customers(world)["Zoe Park"] == [("chat", "chat:zoe"), ("email", "zoe@park.example")]
    assert world.server.store.run_sync(lambda s: s.get(Customer, provisional)) is None
    assert world.server.store.run_sync(
        lambda s: s.query(CustomerIdentity).filter_by(value="chat:zoe").count()) == 1

    other = await world.login("bob")
    refused = await _create(other, name="Zoe Again", interaction_id=iid)
    assert not refused.ok and refused.error and refused.error.code == "forbidden"
    assert "Zoe Again" not in _customers(world)


async def test_the_timeline_lists_the_200_most_recent_and_says_how_many_in_all(
        world: World) -> None:
    first = last = 0
    for n in range(201):
        iid = await world.contact("chat", "carol", subject=f"Question {n}")
        first, last = first or iid, iid
    cid = _view(world, first).customer.id
    ann = await world.login("ann")
    ack = await ann.request(m.GetCustomer(customer_id=cid))
    assert ack.ok, ack.error
    past = [p["id"] for p in ack.result["interactions"]]
    assert len(past) == 200 and ack.result["interactions_total"] == 201
    assert past[0] == last and first not in past  # newest first; the oldest is left out
