"""The client shell against the real backend on 127.0.0.1 (server in a background thread,
client in a qasync loop on the main thread, as in the app): sign-in good and bad, the main
window's areas, offer → accept → mine, decline with a reason, the customer panel, the state
selector, and a server killed and restarted mid-session."""

from __future__ import annotations

import asyncio

from agent_desk.client.connection import Status
from agent_desk.server.models import Agent, AgentStateLog, CommandRecord, Transition
from agent_desk.ui.app import ClientApp
from agent_desk.ui.main_window import MainWindow
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    UiEnv,
    qloop_fixture,
    run,
    self_signed_tls,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)


async def signed_in(client: ClientApp, server: ServerThread, user: str = "ann"
                    ) -> tuple[asyncio.Future[int], MainWindow]:
    """Start the app, fill in the sign-in dialog and wait for the connected main window."""
    task = asyncio.ensure_future(client.run())
    await until(lambda: client.dialog is not None, what="sign-in dialog")
    dlg = client.dialog
    dlg.url.setText(server.url)
    dlg.username.setText(user)
    dlg.password.setText(f"{user}-pw")
    dlg.sign_in.click()
    await until(lambda: client.window is not None and client.dialog is None, what="window")
    win: MainWindow = client.window
    await until(lambda: win.status.connection_text() == "Connected", what="connected")
    return task, win


def test_sign_in_shows_the_main_window(qloop, server, ui_env: UiEnv, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        assert win.isVisible()
        assert "Ann" in win.user_label.text()
        assert win.selector.button.text() == "Offline"  # ann starts offline
        iid = await server.acall(lambda w: w.contact("email", subject="Invoice question"))
        await until(lambda: win.queue.counts()["email"] == 1, what="the email in the queue")
        assert win.status.counts.text().startswith("Phone 0 · Email 1 · Chat 0")
        win.open_interaction(iid)
        view = win.workspace.view(iid)
        assert view is not None and view.heading.text() == "Invoice question"
        await until(lambda: win.customer.stack.currentIndex() == 1, what="customer record")
        assert win.customer.name.text() == "Carol Smith"
        assert win.customer.history.topLevelItemCount() >= 1
        assert ui_env.settings.get("username") == "ann"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_wrong_password_keeps_the_dialog_and_what_was_typed(qloop, server, ui_env, qapp
                                                            ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task = asyncio.ensure_future(client.run())
        await until(lambda: client.dialog is not None)
        dlg = client.dialog
        dlg.url.setText(server.url)
        dlg.username.setText("ann")
        dlg.password.setText("not-her-password")
        dlg.sign_in.click()
        await until(lambda: dlg.error.isVisible() and dlg.sign_in.isEnabled(), what="error")
        assert "Wrong username or password." in dlg.error.text()
        assert client.window is None
        assert dlg.username.text() == "ann" and dlg.password.text() == "not-her-password"
        assert dlg.password.selectedText() == "not-her-password"  # typing replaces it
        dlg.password.setText("ann-pw")
        dlg.sign_in.click()
        await until(lambda: client.window is not None, what="window after retry")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_unreachable_server_and_bad_address_are_explained(qloop, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task = asyncio.ensure_future(client.run())
        await until(lambda: client.dialog is not None)
        dlg = client.dialog
        dlg.url.setText("ws://127.0.0.1:9")  # nothing listens there
        dlg.username.setText("ann")
        dlg.password.setText("ann-pw")
        dlg.sign_in.click()
        await until(lambda: dlg.error.isVisible() and dlg.sign_in.isEnabled())
        assert "Cannot reach the server" in dlg.error.text()
        dlg.url.setText("http://example.com")
        dlg.sign_in.click()
        await until(lambda: "not valid" in dlg.error.text())
        assert dlg.password.text() == "ann-pw"  # nothing typed is lost
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_certificate_failure_is_fatal_and_explained(qloop, ui_env, qapp, tmp_path) -> None:
    """A ``wss://`` server with an untrusted certificate: no retry loop, the user is told."""
    from websockets.asyncio.server import serve

    ctx = self_signed_tls(tmp_path)
    client = ui_env.client(qapp)

    async def scenario() -> None:
        async with serve(lambda ws: ws.wait_closed(), "127.0.0.1", 0, ssl=ctx) as tls:
            port = next(iter(tls.sockets)).getsockname()[1]
            task = asyncio.ensure_future(client.run())
            await until(lambda: client.dialog is not None)
            dlg = client.dialog
            dlg.url.setText(f"wss://127.0.0.1:{port}")
            dlg.username.setText("ann")
            dlg.password.setText("ann-pw")
            dlg.sign_in.click()
            await until(lambda: dlg.error.isVisible() and dlg.sign_in.isEnabled())
            assert "certificate" in dlg.error.text()
            assert client.controller.session is None  # stopped: not retrying
            assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_offer_accept_becomes_mine_and_opens_a_tab(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        win.selector.choose("available")
        await until(lambda: win.selector.button.text() == "Available", what="available")
        assert win.selector.button.isEnabled()  # re-enabled after the command
        notified: list[tuple[str, str]] = []
        win.tray.sig_notified.connect(lambda t, x: notified.append((t, x)))
        iid = await server.acall(lambda w: w.contact("chat", subject="Where is my order"))
        await until(lambda: win.queue.counts()["offers"] == 1, what="the offer")
        assert notified and notified[0][0] == "Chat offered to you"
        win.queue.accept_offer()
        state = win.state
        await until(lambda: iid in state.interactions
                    and state.interactions[iid].assigned_agent_id == state.my_id, what="mine")
        await until(lambda: win.queue.counts()["mine"] == 1)
        assert win.workspace.open_ids() == [iid]  # accepting opens it: the chat view
        view = win.workspace.view(iid)
        await until(lambda: view.composer.isVisible() and not view.composer.is_note(),
                    what="the chat composer, mine to reply")
        await until(lambda: "Busy" in win.selector.button.text(), what="busy (server)")
        # my chat nears its first-response target: a desktop notification
        i = state.interactions[iid]
        target = (i.first_response_due_at - i.created_at).total_seconds()
        await server.acall(lambda w: w.advance(target * 0.85))
        await until(lambda: any(t == "SLA at risk" for t, _x in notified), what="SLA warning")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_decline_with_a_reason(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        win.selector.choose("available")
        await until(lambda: win.selector.button.text() == "Available")
        iid = await server.acall(lambda w: w.contact("phone"))
        await until(lambda: win.queue.counts()["offers"] == 1)
        win.queue.sig_decline_requested.emit(iid, "language")
        await until(lambda: win.queue.counts()["offers"] == 0, what="offer gone")
        reasons = server.sync(lambda s: [t.reason for t in s.query(Transition).filter_by(
            interaction_id=iid, to_state="queued")])
        assert "language" in reasons
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_state_selector_offers_the_server_reasons(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        choices = win.selector.choices()
        assert ("available", "") in choices and ("offline", "") in choices
        assert {r for s, r in choices if s == "away"} == {"break", "lunch", "training",
                                                          "meeting"}
        win.selector.choose("away", "lunch")
        await until(lambda: win.selector.button.text() == "Away · Lunch")
        assert "Away · Lunch" in win.status.agent_label.text()
        agent = server.sync(lambda s: s.query(Agent).filter_by(username="ann").one())
        assert agent.away_reason == "lunch"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_server_restart_reconnects_and_flushes_the_outbox_once(qloop, server, ui_env, qapp
                                                               ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        texts: list[str] = []
        win.bridge.sig_status_changed.connect(lambda _s: texts.append(
            win.status.connection_text()))
        await server.kill()
        await until(lambda: win.status.connection_text().startswith("Reconnecting"),
                    what="reconnecting")
        assert win.status.reconnect.isVisible()
        win.selector.choose("away", "break")  # an action while offline: queued
        await until(lambda: "actions queued: 1" in win.status.connection_text(), what="queued")
        assert win.selector.button.isEnabled()  # the control is back: the action is saved
        await server.restart()
        await until(lambda: win.controller.status.status == Status.CONNECTED, 15,
                    what="reconnected")
        await until(lambda: win.controller.status.queued == 0, what="outbox flushed")
        await until(lambda: win.selector.button.text() == "Away · Break")
        assert win.status.connection_text() == "Connected"
        assert any(t.startswith("Reconnecting in") for t in texts)
        records = server.sync(lambda s: s.query(CommandRecord).filter_by(type="set_state")
                              .count())
        breaks = server.sync(lambda s: s.query(AgentStateLog).filter_by(reason="break")
                             .count())
        assert (records, breaks) == (1, 1)  # delivered exactly once
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_status_bar_and_tray_count_what_was_queued_before_sign_in(qloop, server, ui_env, qapp
                                                                ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        for channel in ("phone", "email", "email"):
            await server.acall(lambda w, c=channel: w.contact(c))
        task, win = await signed_in(client, server, "lead")
        assert win.queue.counts()["all"] == 3
        assert win.status.counts.text().startswith("Phone 1 · Email 2 · Chat 0")
        assert "Phone 1 · Email 2 · Chat 0" in win.tray.tooltip
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_customer_panel_says_offline_and_recovers(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, "lead")
        iid = await server.acall(lambda w: w.contact("chat", who="wang"))
        await until(lambda: iid in win.state.interactions)
        await server.kill()
        await until(lambda: win.controller.status.status == Status.RECONNECTING)
        win.open_interaction(iid)
        await until(lambda: win.customer.offline_shown(), what="offline message")
        assert "Offline" in win.customer.message.text()
        await server.restart()
        await until(lambda: win.customer.stack.currentIndex() == 1, 15, what="loaded again")
        assert win.customer.name.text() == "王芳"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_help_lists_every_shortcut(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        win.show_help()
        rows = dict(win._help.rows())
        assert rows["F1"] == "Show the keyboard shortcuts"
        for keys, what in win.queue.shortcuts():
            assert rows[keys] == what
        win._help.close()
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_accessible_names_on_every_control(qloop, server, ui_env, qapp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QTabBar,
    )

    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid = await server.acall(lambda w: w.contact("email"))
        await until(lambda: iid in win.state.interactions)
        win.open_interaction(iid)  # the tab bar and the customer history are shown too
        await until(lambda: win.customer.stack.currentIndex() == 1, what="customer record")
        views = [w for cls in (QTabBar, QAbstractItemView) for w in win.findChildren(cls)
                 if w.focusPolicy() != Qt.FocusPolicy.NoFocus]  # not the header views
        controls = [w for cls in (QAbstractButton, QLineEdit, QComboBox)
                    for w in win.findChildren(cls)] + views
        missing = [w for w in controls
                   if w.isVisibleTo(win) and not (w.accessibleName() or w.text() if
                                                  hasattr(w, "text") else w.accessibleName())]
        assert not missing, [type(w).__name__ for w in missing]
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_language_switch_rebuilds_the_window_in_chinese(qloop, server, ui_env, qapp) -> None:
    from PySide6.QtCore import QCoreApplication, QLocale

    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, "lead")
        iid = await server.acall(lambda w: w.contact("chat", who="wang"))
        await until(lambda: iid in win.state.interactions)
        win.open_interaction(iid)
        ui_env.settings.set("language", "zh_CN")  # Settings ▸ Language ▸ 中文
        try:
            assert client.window is not win and client.window.bridge is win.bridge
            assert client.window.workspace.open_ids() == [iid]  # the tabs come back
            assert QLocale().name() == "zh_CN"
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        finally:
            ui_env.settings.set("language", "en")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_sign_out_forgets_the_session_and_shows_the_dialog(qloop, server, ui_env, qapp
                                                          ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        win.sig_sign_out_requested.emit()
        await until(lambda: client.window is None and client.dialog is not None)
        assert client.controller.session is None
        assert ui_env.keyring.entries == {} and not ui_env.settings.get("remember_me")
        assert client.dialog.username.text() == "ann" and client.dialog.password.text() == ""
        assert await stop_client(client, task) == 0

    run(qloop, scenario())
