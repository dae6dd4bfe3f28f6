"""Every conversation view fits a 1600 × 900 window beside the queue and the customer panel,
whatever state it is shown in (waiting in the queue, offered to me, mine, in wrap-up), with
a long subject: nothing may force the window wider than the screen the agents have (the
offer bar once did, with a long subject)."""

from __future__ import annotations

from agent_desk.client.connection import Connection
from agent_desk.protocol import messages as m
from agent_desk.ui.app import ClientApp
from agent_desk.ui.main_window import MainWindow
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

MAX_WINDOW_WIDTH = 1600
SUBJECT = "A long subject that goes on and on, as customers' subjects do " * 3


def _width(win: MainWindow) -> int:
    win.bridge.flush()
    return win.minimumSizeHint().width()


def test_views_fit_beside_the_queue_in_every_state(qloop, server: ServerThread,
                                                   ui_env: UiEnv, qapp) -> None:
    client: ClientApp = ui_env.client(qapp)
    widths: dict[str, int] = {}

    async def scenario() -> None:
        task, win = await signed_in(client, server, "ann")  # ann starts offline
        ctl = client.controller
        for ch in ("phone", "email", "chat"):
            iid = await server.acall(lambda w, c=ch: w.contact(c, subject=SUBJECT))
            await until(lambda i=iid: i in win.state.interactions, what=f"{ch} waiting")
            win.open_interaction(iid)
            widths[f"{ch} waiting"] = _width(win)
            win.selector.choose("available")
            await until(lambda i=iid: win.state.interactions[i].offered_agent_id
                        == win.state.my_id, what=f"{ch} offered")
            widths[f"{ch} offered"] = _width(win)
            assert (await ctl.accept(iid)) is not None
            await until(lambda i=iid: win.state.interactions[i].state == "assigned",
                        what=f"{ch} mine")
            widths[f"{ch} mine"] = _width(win)
            end = m.HangUp if ch == "phone" else m.Close
            await ctl.send(end(key=Connection.new_key(), interaction_id=iid), "end")
            await until(lambda i=iid: win.state.interactions[i].state == "wrap_up",
                        what=f"{ch} wrap-up")
            widths[f"{ch} wrap-up"] = _width(win)
            await ctl.send(m.WrapUp(key=Connection.new_key(), interaction_id=iid,
                                    disposition="resolved"), "wrap up")
            await until(lambda i=iid: i not in win.state.interactions, what=f"{ch} closed")
            await ctl.set_state("offline")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())
    too_wide = {k: w for k, w in widths.items() if w > MAX_WINDOW_WIDTH}
    assert len(widths) == 12
    assert not too_wide, f"views that force the window wider than {MAX_WINDOW_WIDTH}: {too_wide}"
