"""Taking work yourself from the queue (Ctrl+Shift+P, "Take it"): an agent takes a waiting
email; a lead takes the follow-up task a low satisfaction score opened (routing never
offers those). Real backend on 127.0.0.1, real widgets offscreen."""

from __future__ import annotations

from agent_desk.protocol import messages as m
from agent_desk.ui.app import ClientApp
from tests.helpers.world import World
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    UiEnv,
    qloop_fixture,
    run,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)
from tests.ui.test_main_window import signed_in


async def _low_csat_follow_up(w: World) -> int:
    """Bob handles an email, wraps it up; the customer answers CSAT 1: a follow-up task."""
    iid = await w.contact("email", subject="Broken blender")
    bob = await w.login("bob")
    for cmd, fields in ((m.Pick, {}), (m.Close, {}), (m.WrapUp, {"disposition": "resolved"})):
        ack = await bob.cmd(cmd, interaction_id=iid, **fields)
        assert ack.ok, ack
    await w.server.survey_answer(iid, csat=1, comment="nobody helped")
    return iid


def test_an_agent_takes_a_waiting_email(qloop, server: ServerThread, ui_env: UiEnv,
                                        qapp) -> None:
    client: ClientApp = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, "ann")
        chat = await server.acall(lambda w: w.contact("chat", subject="Chat waits"))
        email = await server.acall(lambda w: w.contact("email", subject="Invoice copy"))
        await until(lambda: win.queue.counts()["all"] == 2, what="both waiting")
        win.bridge.flush()
        assert win.queue.select_id(chat)
        assert not win.act_take.isEnabled()  # chats are offered by routing, not taken
        assert win.queue.select_id(email)
        await until(win.act_take.isEnabled, what="take enabled for the email")
        win.act_take.trigger()
        await until(lambda: win.state.interactions[email].assigned_agent_id
                    == win.state.my_id, what="the email is mine")
        await until(lambda: email in win.workspace.open_ids(), what="its tab")
        assert not win.act_take.isEnabled()
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_a_lead_takes_the_follow_up_of_a_low_score(qloop, server: ServerThread,
                                                   ui_env: UiEnv, qapp) -> None:
    client: ClientApp = ui_env.client(qapp)

    async def scenario() -> None:
        origin = await server.acall(_low_csat_follow_up)
        task, win = await signed_in(client, server, "lead")
        follow = [i for i in win.state.interactions.values() if str(i.kind) == "follow_up"]
        assert len(follow) == 1 and follow[0].parent_id == origin
        assert follow[0].state == "queued" and follow[0].offered_agent_id is None
        win.bridge.flush()
        assert win.queue.select_id(follow[0].id)
        await until(win.act_take.isEnabled, what="take enabled for the follow-up")
        win.act_take.trigger()
        await until(lambda: win.state.interactions[follow[0].id].assigned_agent_id
                    == win.state.my_id, what="the follow-up is the lead's")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())
