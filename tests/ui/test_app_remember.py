"""Remember me: only the refresh token, only through the credential store (an in-memory
keyring backend here), never in the settings file; a restart resumes without the dialog; a
refused or expired token brings the dialog back with the reason; without an OS store the
token is kept for this session only and the UI says so; actions queued before a restart
are delivered once after it."""

from __future__ import annotations

import asyncio

import keyring
from keyring.backends import fail

from agent_desk.client.connection import Status
from agent_desk.client.credentials import SERVICE, SecretStore, account_key
from agent_desk.server.auth import REFRESH_TTL_S
from agent_desk.server.models import AgentStateLog
from agent_desk.ui import paths
from agent_desk.ui.app import ClientApp
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


async def sign_in_remembered(client: ClientApp, server: ServerThread, remember: bool = True
                             ) -> asyncio.Future[int]:
    task = asyncio.ensure_future(client.run())
    await until(lambda: client.dialog is not None, what="sign-in dialog")
    dlg = client.dialog
    dlg.url.setText(server.url)
    dlg.username.setText("ann")
    dlg.password.setText("ann-pw")
    dlg.remember.setChecked(remember)
    dlg.sign_in.click()
    await until(lambda: client.window is not None
                and client.window.status.connection_text() == "Connected", what="signed in")
    return task


def settings_text(env: UiEnv) -> str:
    env.settings.sync()
    return paths.settings_file().read_text(encoding="utf-8")


def test_remembered_sign_in_resumes_without_the_dialog(qloop, server, ui_env, qapp) -> None:
    key = (SERVICE, account_key(server.url, "ann"))

    async def scenario() -> None:
        first = ui_env.client(qapp)
        task = await sign_in_remembered(first, server)
        token = first.controller.connection.refresh_token
        await until(lambda: ui_env.keyring.entries.get(key) == token, what="token stored")
        await until(lambda: first.window.status.remembered.text() != "")
        assert first.window.status.remembered.text() == "Remembered on this computer"
        assert await stop_client(first, task) == 0
        text = settings_text(ui_env)
        assert token not in text and "ann-pw" not in text
        assert "remember_me=true" in text and "username=ann" in text

        again = ui_env.client(qapp)  # the app restarts
        task = asyncio.ensure_future(again.run())
        await until(lambda: again.window is not None and again.controller.status.status
                    == Status.CONNECTED, what="resumed")
        assert again.dialog is None  # no sign-in dialog
        await until(lambda: ui_env.keyring.entries.get(key) not in (None, token),
                    what="rotated token stored")
        assert ui_env.keyring.entries[key] == again.controller.connection.refresh_token
        assert await stop_client(again, task) == 0
        text = settings_text(ui_env)
        assert again.controller.secrets is not None
        for secret in ui_env.keyring.entries.values():
            assert secret not in text
        for f in ui_env.root.rglob("*.log"):
            assert "ann-pw" not in f.read_text(encoding="utf-8", errors="replace")

    run(qloop, scenario())


def test_not_remembered_leaves_nothing_behind(qloop, server, ui_env, qapp) -> None:
    async def scenario() -> None:
        client = ui_env.client(qapp)
        task = await sign_in_remembered(client, server, remember=False)
        assert await stop_client(client, task) == 0
        assert ui_env.keyring.entries == {}
        assert "remember_me=false" in settings_text(ui_env)

    run(qloop, scenario())


def test_refused_token_brings_the_dialog_back_with_the_reason(qloop, server, ui_env, qapp
                                                              ) -> None:
    ui_env.settings.set("server_url", server.url)
    ui_env.settings.set("username", "ann")
    ui_env.settings.set("remember_me", True)
    key = (SERVICE, account_key(server.url, "ann"))
    ui_env.keyring.entries[key] = "revoked-or-made-up-token"

    async def scenario() -> None:
        client = ui_env.client(qapp)
        task = asyncio.ensure_future(client.run())
        await until(lambda: client.dialog is not None and client.dialog.reason.isVisible(),
                    what="dialog with a reason")
        assert "no longer valid" in client.dialog.reason.text()
        assert client.dialog.username.text() == "ann"
        await until(lambda: key not in ui_env.keyring.entries, what="token forgotten")
        dlg = client.dialog
        dlg.password.setText("ann-pw")
        dlg.sign_in.click()
        await until(lambda: client.controller.status.status == Status.CONNECTED)
        await until(lambda: client.dialog is None)
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_expired_refresh_token_asks_to_sign_in_again(qloop, server, ui_env, qapp) -> None:
    async def scenario() -> None:
        first = ui_env.client(qapp)
        task = await sign_in_remembered(first, server)
        assert await stop_client(first, task) == 0
        server.clock.advance(REFRESH_TTL_S + 60)  # away for longer than a refresh token lives
        again = ui_env.client(qapp)
        task = asyncio.ensure_future(again.run())
        await until(lambda: again.dialog is not None and again.dialog.reason.isVisible(),
                    what="dialog with a reason")
        assert "sign in again" in again.dialog.reason.text()
        assert again.window is not None  # shown at once, then the server said no
        assert await stop_client(again, task) == 0

    run(qloop, scenario())


def test_without_an_os_store_it_is_remembered_for_this_session_only(qloop, server, ui_env,
                                                                     qapp) -> None:
    keyring.set_keyring(fail.Keyring())
    secrets = SecretStore(extra_allowed=())  # the real allowlist: fail.Keyring is refused

    async def scenario() -> None:
        client = ui_env.client(qapp, ui_env.controller(secrets))
        task = asyncio.ensure_future(client.run())
        await until(lambda: client.dialog is not None)
        dlg = client.dialog
        dlg.remember.setChecked(True)
        await until(lambda: dlg.remember_hint.isVisible(), what="the dialog's warning")
        assert "this session only" in dlg.remember_hint.text()
        dlg.url.setText(server.url)
        dlg.username.setText("ann")
        dlg.password.setText("ann-pw")
        dlg.sign_in.click()
        await until(lambda: client.window is not None
                    and client.window.status.remembered.text() != "", what="status bar")
        assert client.window.status.remembered.text() == "Remembered for this session only"
        assert not secrets.persistent
        assert await stop_client(client, task) == 0
        assert client.controller.secrets._memory  # kept in memory, nowhere else
        text = settings_text(ui_env)
        for secret in client.controller.secrets._memory.values():
            assert secret not in text

    run(qloop, scenario())


def test_actions_queued_before_a_restart_are_delivered_once(qloop, server, ui_env, qapp
                                                            ) -> None:
    async def scenario() -> None:
        first = ui_env.client(qapp)
        task = await sign_in_remembered(first, server)
        await server.kill()
        await until(lambda: first.controller.status.status == Status.RECONNECTING)
        first.window.selector.choose("away", "training")
        await until(lambda: first.controller.status.queued == 1, what="queued")
        assert await stop_client(first, task) == 0  # quit with the action still queued

        await server.restart()
        again = ui_env.client(qapp)
        task = asyncio.ensure_future(again.run())
        await until(lambda: again.controller.status.status == Status.CONNECTED
                    and again.controller.status.queued == 0, 15, what="flushed")
        await until(lambda: again.window.selector.button.text() == "Away · Training")
        n = server.sync(lambda s: s.query(AgentStateLog).filter_by(reason="training").count())
        assert n == 1
        assert await stop_client(again, task) == 0

    run(qloop, scenario())
