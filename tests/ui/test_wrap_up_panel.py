"""The wrap-up panel against the real backend: a disposition is required (Done disabled,
Ctrl+Enter explains), notes / first-contact flag / KB ids reach the server, a code removed
on the server meanwhile keeps the panel with an inline message and a refreshed list, the
timer turns amber near the limit, and a wrap-up the server times out says so."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_desk.client.connection import Connection
from agent_desk.protocol import messages as m
from agent_desk.server.models import CodeLabelRow, Interaction
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.wrap_up_panel import WrapUpPanel, codes_from_refusal
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


async def in_wrap_up(win: MainWindow, server: ServerThread, channel: str = "phone") -> int:
    """A contact offered to the signed-in agent, accepted and ended: now in wrap-up."""
    iid = await server.acall(lambda w: w.contact(channel))
    me = win.state.my_id
    await until(lambda: iid in win.state.interactions
                and win.state.interactions[iid].offered_agent_id == me, what="the offer")
    assert (await win.controller.accept(iid)).ok  # type: ignore[union-attr]
    end = m.HangUp if channel == "phone" else m.Close
    ack = await win.controller.send(end(key=Connection.new_key(), interaction_id=iid), "end")
    assert ack is not None and ack.ok, ack
    await until(lambda: str(win.state.interactions[iid].state) == "wrap_up", what="wrap-up")
    return iid


def signal_log(panel: WrapUpPanel) -> list[bool]:
    """``sig_done`` emissions (awaited with ``until``: a nested Qt loop would stall qasync)."""
    seen: list[bool] = []
    panel.sig_done.connect(lambda: seen.append(True))
    return seen


def server_row(server: ServerThread, iid: int) -> tuple[str | None, str | None, bool | None,
                                                      str]:
    return server.sync(lambda s: (lambda i: (i.disposition, i.wrap_up_notes,
                                             i.resolved_first_contact, i.state))(
        s.get(Interaction, iid)))


def test_disposition_required_then_sent(qloop, server, ui_env, qapp, qtbot) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        iid = await in_wrap_up(win, server)
        panel = WrapUpPanel(win.context, win.state.interactions[iid])
        qtbot.addWidget(panel)
        panel.show()
        panel.activateWindow()
        await until(panel.isActiveWindow, what="the panel's window active")
        panel.set_notes("Caller asked about the invoice.")
        assert not panel.done_button.isEnabled()
        assert panel.disposition.currentIndex() == -1  # nothing preselected
        assert "resolved" in [panel.disposition.itemData(n)
                              for n in range(panel.disposition.count())]
        panel.notes.setFocus()
        QTest.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: panel.message.isVisible(), what="the hint")
        assert panel.message.text() == "Choose a disposition first."
        assert server_row(server, iid)[3] == "wrap_up"  # nothing was sent
        panel.disposition.setCurrentIndex(panel.disposition.findData("info_provided"))
        assert panel.done_button.isEnabled()
        panel.resolved.setChecked(True)
        panel.kb.setText("KB-12, KB-40 ,")
        assert panel.kb_ids() == ["KB-12", "KB-40"]
        panel.set_notes("ignored: the agent's notes stay")
        done = signal_log(panel)
        panel.done_button.click()
        await until(lambda: done, what="sig_done")
        assert server_row(server, iid) == ("info_provided", "Caller asked about the invoice.",
                                           True, "closed")
        assert server.sync(lambda s: s.get(Interaction, iid).kb_article_ids) == ["KB-12",
                                                                               "KB-40"]
        assert panel.message.text() == "Wrapped up: Information provided."
        assert not panel.done_button.isEnabled() and not panel.disposition.isEnabled()
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_removed_code_keeps_the_panel_and_refreshes_the_list(qloop, server, ui_env, qapp,
                                                             qtbot) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        iid = await in_wrap_up(win, server, "chat")
        panel = WrapUpPanel(win.context, win.state.interactions[iid])
        qtbot.addWidget(panel)
        panel.notes.setPlainText("Customer wants a call next week.")
        panel.disposition.setCurrentIndex(panel.disposition.findData("spam"))
        server.sync(lambda s: s.query(CodeLabelRow).filter_by(kind="wrap_up", code="spam")
                    .delete())
        panel.done_button.click()
        await until(lambda: "no longer exists" in panel.message.text(), what="inline error")
        assert not panel.done
        assert panel.disposition.findData("spam") == -1  # the list follows the server
        assert panel.disposition.findData("resolved") >= 0
        assert panel.disposition.currentIndex() == -1 and not panel.done_button.isEnabled()
        assert panel.notes.toPlainText() == "Customer wants a call next week."  # kept
        assert server_row(server, iid)[3] == "wrap_up"
        panel.disposition.setCurrentIndex(panel.disposition.findData("callback_scheduled"))
        done = signal_log(panel)
        panel.submit()
        await until(lambda: done, what="sig_done")
        assert server_row(server, iid)[0] == "callback_scheduled"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_timer_turns_amber_and_a_server_timeout_is_explained(qloop, server, ui_env, qapp,
                                                             qtbot) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        iid = await in_wrap_up(win, server, "email")
        inter = win.state.interactions[iid]
        assert inter.wrap_up_at is not None
        limit = win.state.wrap_up_limit_s
        start = inter.wrap_up_at.timestamp()
        clock = [start + 30]
        ctx = dataclasses.replace(win.context, now=lambda: clock[0])
        panel = WrapUpPanel(ctx, inter)
        qtbot.addWidget(panel)
        assert panel.timer_label.text() == f"0:30 of {limit // 60}:{limit % 60:02d}"
        assert not panel.is_amber()
        clock[0] = start + limit - 10
        panel.tick()
        assert panel.is_amber() and panel.bar.value() > 900
        done = signal_log(panel)
        await server.acall(lambda w: w.advance(limit + 5))
        await until(lambda: done, what="sig_done")
        assert "time ran out" in panel.message.text()
        assert not panel.done_button.isEnabled()
        assert server_row(server, iid)[0] is None
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_codes_named_by_a_refusal() -> None:
    msg = "unknown disposition 'spam'; one of: duplicate, resolved, refund_issued"
    assert codes_from_refusal(msg) == ["duplicate", "resolved", "refund_issued"]
    assert codes_from_refusal("something else") is None
