"""The collision bar against the real backend: my activity reaches the server (open, typing,
stopped after idle, closed, re-sent after a reconnect); other people's presence is shown with
their role and hidden again; the customer's typing is passed on; role names."""

from __future__ import annotations

from typing import Any

from agent_desk.client.connection import Status
from agent_desk.protocol import messages as m
from agent_desk.protocol import views as v
from agent_desk.ui.collision_bar import CollisionBar, role_name
from agent_desk.ui.main_window import MainWindow
from tests.helpers.world import World
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    qloop_fixture,
    run,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)
from tests.ui.test_main_window import signed_in


async def ann_chat(win: MainWindow, server: ServerThread) -> int:
    """A chat assigned to ann (the signed-in user), without opening a view for it."""
    win.selector.choose("available")
    await until(lambda: win.selector.button.text() == "Available")
    iid = await server.acall(lambda w: w.contact("chat"))
    await until(lambda: iid in win.state.interactions
                and win.state.interactions[iid].offered_agent_id == win.state.my_id)
    ack = await win.controller.accept(iid)
    assert ack is not None and ack.ok
    await until(lambda: win.state.interactions[iid].assigned_agent_id == win.state.my_id)
    return iid


def viewers(server: ServerThread, iid: int) -> list[tuple[str, bool]]:
    async def read(w: World) -> list[v.ViewerView]:
        return w.server.presence.viewers(iid)

    return [(x.name, x.typing) for x in server.call(read)]


def test_my_activity_reaches_the_server(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid = await ann_chat(win, server)
        bar = CollisionBar(win.context, iid, win)
        bar.throttle.idle = 0.3  # "stopped" after 0.3 s without a key (5 s in the app)
        assert viewers(server, iid) == []
        bar.set_open(True)
        await until(lambda: viewers(server, iid) == [("Ann", False)], what="viewing")
        bar.keystroke()
        assert bar.is_typing()
        await until(lambda: viewers(server, iid) == [("Ann", True)], what="typing")
        await until(lambda: not bar.is_typing(), what="idle stop")
        await until(lambda: viewers(server, iid) == [("Ann", False)], what="stopped")
        bar.keystroke()
        await until(lambda: viewers(server, iid) == [("Ann", True)])
        bar.text_cleared()  # the composer was emptied: stopped at once
        await until(lambda: viewers(server, iid) == [("Ann", False)])
        bar.set_open(False)
        await until(lambda: viewers(server, iid) == [], what="closed")
        bar.set_open(True)
        await until(lambda: viewers(server, iid) == [("Ann", False)])
        bar.deleteLater()  # a closed tab: the bar says goodbye as it is destroyed
        await until(lambda: viewers(server, iid) == [], what="gone with the widget")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_others_are_shown_with_their_role_and_customer_typing(qloop, server, ui_env, qapp
                                                              ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid = await ann_chat(win, server)
        bar = CollisionBar(win.context, iid, win)
        customer: list[bool] = []
        others: list[list[Any]] = []
        bar.sig_customer_typing.connect(customer.append)
        bar.sig_others_changed.connect(others.append)
        bar.set_open(True)
        assert bar.isHidden()

        async def two_open(w: World) -> tuple[Any, Any]:
            lead, li = await w.login("lead"), await w.login("li")
            await lead.send(m.Activity(interaction_id=iid, viewing=True, typing=True))
            await li.send(m.Activity(interaction_id=iid, viewing=True))  # not her queue
            return lead, li

        lead, li = await server.acall(two_open)
        await until(lambda: bar.text() == "Lead is typing…", what="lead typing")
        assert not bar.isHidden() and [o.name for o in bar.others()] == ["Lead"]
        err = await server.acall(lambda w: li.wait_for(lambda f: isinstance(f, m.Error)))
        assert err.code == "not_found"  # li may not see a chat of a queue not hers
        await server.acall(lambda w: w.server.customer_typing(iid, True))
        await until(lambda: customer == [True], what="customer typing")
        assert bar.customer_typing()
        await server.acall(lambda w: w.server.customer_message(iid, "hi"))
        await until(lambda: customer == [True, False], what="their message ends it")
        await server.acall(lambda w: lead.close())
        await until(lambda: bar.isHidden(), what="lead disconnected")
        assert others[-1] == []
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_activity_is_sent_again_after_a_reconnect(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid = await ann_chat(win, server)
        bar = CollisionBar(win.context, iid, win)
        bar.set_open(True)
        await until(lambda: viewers(server, iid) == [("Ann", False)])
        await server.kill()
        await until(lambda: win.controller.status.status == Status.RECONNECTING)
        await server.restart()  # a new process: it knows nothing of who watches what
        await until(lambda: win.controller.status.status == Status.CONNECTED, 15)
        await until(lambda: viewers(server, iid) == [("Ann", False)], what="re-sent")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_role_names() -> None:
    def viewer(name: str, role: str) -> v.ViewerView:
        return v.ViewerView(agent_id=1, name=name, role=role)  # type: ignore[arg-type]

    assert role_name(viewer("Liu", "lead")) == "Lead Liu"
    assert role_name(viewer("Lead", "lead")) == "Lead"  # not "Lead Lead"
    assert role_name(viewer("Bob", "agent")) == "Bob"
    assert role_name(viewer("Root", "admin")) == "Admin Root"
