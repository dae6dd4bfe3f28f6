"""The controller keeps the signed-in account's local KB in step (the real backend in a
thread, the client in a qasync loop as in the app): the first sync on connecting, a
published article arriving through the ``kb`` event with ``sig_kb_changed`` and
``sig_kb_status``, the file in the account's data folder written off the GUI thread, and
the syncer stopped (file closed) on signing out; a second sign-in of another account gets
its own file."""

from __future__ import annotations

import threading
from typing import Any

from agent_desk.client.kb_sync import KBSyncStatus, SyncState
from agent_desk.kb.store import KBStore
from agent_desk.protocol.kb import KbArticleAction, KbSaveArticle
from agent_desk.ui import paths
from agent_desk.ui.controller import Controller
from tests.helpers.world import World
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    UiEnv,
    qloop_fixture,
    run,
    server_fixture,
    ui_env_fixture,
    until,
)


def publish(server: ServerThread, title: str, body: str) -> str:
    async def go(w: World) -> str:
        lead = await w.login("lead")
        ack = await lead.cmd(KbSaveArticle, title=title, body=body, language="en")
        assert ack.ok, ack
        article_id = str(ack.result["id"])
        ack = await lead.cmd(KbArticleAction, article_id=article_id, action="publish")
        assert ack.ok, ack
        await lead.close()
        w.clients.remove(lead)
        return article_id
    return server.call(go)


def local_ids(path: Any) -> list[str]:
    with KBStore(path) as store:
        return [str(r[0]) for r in store.conn.execute("SELECT id FROM kb_article ORDER BY id")]


def test_controller_syncs_the_accounts_kb_and_stops_on_sign_out(
        qloop: Any, server: ServerThread, ui_env: UiEnv, qapp: Any) -> None:
    first = publish(server, "Refund rules", "Refunds within five days.")
    controller: Controller = ui_env.controller()
    changed: list[int] = []
    statuses: list[KBSyncStatus] = []
    threads: set[str] = set()

    async def scenario() -> None:
        await controller.sign_in(server.url, "ann", "ann-pw", False)
        bridge = controller.bridge
        assert bridge is not None
        bridge.sig_kb_changed.connect(changed.append)
        bridge.sig_kb_status.connect(statuses.append)
        kb_path = paths.kb_file(server.url, "ann")
        await until(lambda: controller.kb_syncer is not None
                    and controller.kb_syncer.status.state == SyncState.IDLE
                    and controller.kb_syncer.status.cursor, what="first sync")
        syncer = controller.kb_syncer
        assert syncer is not None and syncer.path == kb_path
        assert local_ids(kb_path) == [first]
        # the file is written on the syncer's worker thread only
        assert syncer._executor is not None
        syncer._executor.submit(lambda: threads.add(threading.current_thread().name)).result()

        second = publish(server, "Invoice copies", "Download invoices in your account.")
        await until(lambda: second in local_ids(kb_path), what="synced after the kb event")
        await until(lambda: bool(changed) and statuses[-1].state == SyncState.IDLE,
                    what="signals")
        assert changed[-1] == syncer.cursor
        assert local_ids(kb_path) == sorted([first, second])

        await controller.sign_out()
        assert controller.kb_syncer is None
        assert not syncer._executor  # stopped, the file closed
        publish(server, "Warranty", "Two years.")  # not synced any more
        assert local_ids(kb_path) == sorted([first, second])

        await controller.sign_in(server.url, "bob", "bob-pw", False)  # another account
        other = paths.kb_file(server.url, "bob")
        assert other != kb_path
        await until(lambda: other.exists() and len(local_ids(other)) == 3,
                    what="bob's own KB")
        await controller.shutdown()

    run(qloop, scenario())
    assert threads and not threads & {threading.current_thread().name}
