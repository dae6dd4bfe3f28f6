"""``#refund`` + Space/Tab in the reply composers, against the real backend and a real
knowledge-base file: the template with that shortcut replaces it, variables filled from the
customer 360 and the agent, in the customer's language (王芳 gets the Chinese one); Ctrl+Z
brings ``#refund`` back; an unknown shortcut types its Space as usual; a variable with no
value stays visible, selected and listed in the hint line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_desk.ui import paths
from agent_desk.ui.channel_views import register_channel_views
from agent_desk.ui.email_view import EmailView
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.workspace import VIEW_FACTORIES
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
from tests.ui.test_suggestions import make_kb, my_chat, take

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def channel_views() -> Iterator[None]:
    saved = dict(VIEW_FACTORIES)
    register_channel_views()
    try:
        yield
    finally:
        VIEW_FACTORIES.clear()
        VIEW_FACTORIES.update(saved)


async def ready(client: Any, server: ServerThread, user: str) -> tuple[Any, MainWindow]:
    make_kb(paths.kb_file(server.url, user))
    task, win = await signed_in(client, server, user)
    win.selector.choose("available")
    await until(lambda: win.selector.button.text() == "Available", what="available")
    return task, win


def test_chat_refund_space_expands_and_undo_restores(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await ready(client, server, "ann")
        _iid, view = await my_chat(win, server, "My blender arrived broken.")
        worker = view.aids.worker
        assert worker is not None
        await until(lambda: worker.shortcuts_loaded, what="shortcut table")
        edit = view.composer.edit
        QTest.keyClicks(edit, "#nothing")
        QTest.keyClick(edit, Qt.Key.Key_Space)
        assert edit.toPlainText() == "#nothing "  # unknown: just a space
        edit.clear()
        QTest.keyClicks(edit, "Hi! #refund")
        QTest.keyClick(edit, Qt.Key.Key_Space)
        text = edit.toPlainText()
        assert text == ("Hi! Hello Carol Smith, I'm sorry your item arrived broken. I have "
                        "started a full refund to your original payment method; you will see "
                        "it within 3 business days.\nAnn")
        assert edit.textCursor().position() == len(text)
        QTest.keyClick(edit, Qt.Key.Key_Z, CTRL)
        assert edit.toPlainText() == "Hi! #refund"
        # a template whose variables cannot all be filled: visible, selected, listed
        edit.clear()
        QTest.keyClicks(edit, "#loyalty")
        QTest.keyClick(edit, Qt.Key.Key_Space)
        assert edit.toPlainText() == ("Dear Carol Smith, your loyalty code is {loyalty.code}. "
                                      "Use it with order {order.number}.")
        assert edit.textCursor().selectedText() == "{loyalty.code}"
        assert view.aids.hint.lines() == [
            "{loyalty.code} is not a variable we know — replace it before sending.",
            "{order.number} has no value — fill it in before sending."]
        QTest.keyClicks(edit, "LC-77")  # typed over the selected variable
        await until(lambda: len(view.aids.hint.lines()) == 1, what="one left")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_chinese_customer_gets_the_chinese_template(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await ready(client, server, "li")
        iid = await server.acall(lambda w: w.contact("chat", who="wang", queue="Chinese",
                                                     body="商品破损了，我要退款"))
        await take(win, iid)
        win.open_interaction(iid)
        view = win.workspace.view(iid)
        worker = view.aids.worker  # type: ignore[union-attr]
        await until(lambda: worker.shortcuts_loaded, what="shortcut table")
        edit = view.composer.edit  # type: ignore[union-attr]
        QTest.keyClicks(edit, "#refund")
        QTest.keyClick(edit, Qt.Key.Key_Space)
        assert edit.toPlainText() == ("王芳您好，很抱歉商品破损。"
                                      "我已为您申请全额退款，3个工作日内原路退回。")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_email_refund_tab_expands_and_undo_restores(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await ready(client, server, "ann")
        eid = await server.acall(lambda w: w.contact("email", subject="Broken kettle",
                                                     body="My kettle arrived broken."))
        await take(win, eid)
        win.open_interaction(eid)
        view = win.workspace.view(eid)
        assert isinstance(view, EmailView)
        await until(lambda: view.loaded, what="thread")
        assert view.start_reply("reply")
        worker = view.aids.worker
        assert worker is not None
        await until(lambda: worker.shortcuts_loaded, what="shortcut table")
        body = view.composer.body
        QTest.keyClicks(body, "#refund")
        QTest.keyClick(body, Qt.Key.Key_Tab)
        text = view.composer.plain_text()
        assert text.startswith("Hello Carol Smith, I'm sorry your item arrived broken.")
        assert "\t" not in text and "#refund" not in text
        assert "> My kettle arrived broken." in text  # the quote below is untouched
        QTest.keyClick(body, Qt.Key.Key_Z, CTRL)
        assert view.composer.plain_text().startswith("#refund")
        QTest.keyClick(body, Qt.Key.Key_Space)  # expands with Space too
        assert view.composer.plain_text().startswith("Hello Carol Smith")
        # the hint line works in the email composer too
        body.selectAll()
        QTest.keyClicks(body, "Unfortunately we cannot refund this.")
        await until(lambda: not view.aids.hint.isHidden(), what="hint")
        assert view.aids.hint.lines()[0].startswith("Saying no?")
        assert view.composer.send.isEnabled()
        assert await stop_client(client, task) == 0

    run(qloop, scenario())
