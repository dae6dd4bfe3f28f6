"""The customer 360 panel against the real backend (client in the qasync loop, server in its
thread): the timeline after contacts on all three channels (channel icons, dispositions,
newest first), a survey answer appearing live as CSAT, the past transcript a key press
away, cached history with the offline notice when the server is gone (and fresh again
after it returns), linking an ambiguous and a new contact (candidate button, search
dialog, create dialog), and the escalation entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_desk.client.connection import Connection, Status
from agent_desk.protocol import messages as m
from agent_desk.server.connectors import InboundContact
from agent_desk.server.models import Customer, Interaction, Queue
from agent_desk.ui.customer_timeline import COL_AGENT, COL_CSAT, HISTORY_CHANNEL_ROLE
from agent_desk.ui.main_window import MainWindow
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


async def offered_to_me(win: MainWindow, server: ServerThread, channel: str,
                        subject: str) -> int:
    iid = await server.acall(lambda w: w.contact(channel, subject=subject))
    me = win.state.my_id
    await until(lambda: iid in win.state.interactions
                and win.state.interactions[iid].offered_agent_id == me, what="the offer")
    ack = await win.controller.accept(iid)
    assert ack is not None and ack.ok, ack
    return iid


async def handled(win: MainWindow, server: ServerThread, channel: str, subject: str,
                  disposition: str) -> int:
    """A contact of Carol's on ``channel``: accepted, ended and wrapped up."""
    iid = await offered_to_me(win, server, channel, subject)
    end = m.HangUp if channel == "phone" else m.Close
    for cmd in (end(key=Connection.new_key(), interaction_id=iid),
                m.WrapUp(key=Connection.new_key(), interaction_id=iid,
                         disposition=disposition)):
        ack = await win.controller.send(cmd, "failed")
        assert ack is not None and ack.ok, ack
    return iid


def rows(win: MainWindow) -> dict[str, tuple[str, str, str, str]]:
    """Timeline rows by subject: (channel, disposition, agent, csat)."""
    h = win.customer.history
    out = {}
    for n in range(h.topLevelItemCount()):
        it = h.topLevelItem(n)
        assert not it.icon(0).isNull()
        out[it.text(1)] = (it.data(0, HISTORY_CHANNEL_ROLE), it.text(2), it.text(COL_AGENT),
                           it.text(COL_CSAT))
    return out


def test_timeline_on_all_channels_survey_transcript_and_offline_cache(
        qloop, server, ui_env, qapp, qtbot) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        phone = await handled(win, server, "phone", "Call about delivery", "info_provided")
        await handled(win, server, "email", "Invoice copy", "resolved")
        chat = await handled(win, server, "chat", "Refund status", "refund_issued")
        current = await offered_to_me(win, server, "email", "New question")
        win.open_interaction(current)
        await until(lambda: win.customer.stack.currentIndex() == 1
                    and win.customer.name.text() == "Carol Smith", what="customer record")
        got = rows(win)
        assert got["Call about delivery"] == ("Phone", "Information provided", "Ann", "")
        assert got["Invoice copy"] == ("Email", "Resolved", "Ann", "")
        assert got["Refund status"] == ("Chat", "Refund issued", "Ann", "")
        assert got["New question"][1] == "Open"
        assert win.customer.history.interaction_ids()[:4][0] == current  # newest first
        assert win.customer.history_title.text() == "Past interactions (4)"
        assert "first reply within" in win.customer.sla.text()  # Standard — … for email
        assert not win.customer.prompt.isVisible()  # matched by identity

        # the survey answer arrives live and shows as CSAT in the timeline
        await server.acall(lambda w: w.server.survey_answer(chat, 5, 9, 2))
        await until(lambda: rows(win)["Refund status"][3] == "★ 5", what="CSAT in timeline")
        labels = [win.customer.form.itemAt(r, win.customer.form.ItemRole.LabelRole)
                  .widget().text() for r in range(win.customer.form.rowCount())]
        assert "Last survey" in labels

        # Enter on a row opens the transcript of that past interaction
        h = win.customer.history
        item = next(h.topLevelItem(n) for n in range(h.topLevelItemCount())
                    if h.topLevelItem(n).text(1) == "Refund status")
        h.setCurrentItem(item)
        h.setFocus()
        QTest.keyClick(h, Qt.Key.Key_Return)
        await until(lambda: getattr(win.customer, "past_dialog", None) is not None
                    and win.customer.past_dialog.detail is not None, what="transcript")
        dlg = win.customer.past_dialog
        assert dlg.interaction_id == chat
        assert "Hello, I need help" in dlg.transcript.toPlainText()
        assert "Refund issued" in dlg.meta.text() and "CSAT 5 of 5" in dlg.meta.text()
        dlg.close()

        # server gone: the cached history is shown with the stale notice
        await server.kill()
        await until(lambda: win.controller.status.status == Status.RECONNECTING)
        win.customer.refresh()
        await until(lambda: win.customer.stale.isVisible(), what="stale notice")
        assert win.customer.stale.text().startswith("Offline — showing history from ")
        assert rows(win)["Refund status"][3] == "★ 5"  # the same history, from the cache
        past = win.customer.open_past(chat, "Refund status")  # read before: cached
        await until(lambda: past.detail is not None, what="cached transcript of the chat")
        assert past.stale.isVisible() and past.stale.text().startswith("Offline — showing")
        assert "Hello, I need help" in past.transcript.toPlainText()
        past.close()
        never = win.customer.open_past(phone, "Call about delivery")  # never read: not there
        await until(lambda: never.message.text().startswith("Offline"), what="offline text")
        assert never.detail is None
        never.close()
        await server.restart()
        await until(lambda: not win.customer.stale.isVisible(), 15, what="fresh again")
        assert win.customer.name.text() == "Carol Smith"
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), timeout=90)


async def unknown_contact(server: ServerThread, name: str, ident: str) -> int:
    return await server.acall(lambda w: w.server.inbound_contact(InboundContact(
        channel="chat", identity_kind="chat", identity=ident, customer_name=name,
        language="zh", queue="General", subject="你好", body="我的订单")))


def test_linking_an_ambiguous_and_a_new_contact(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, "lead")
        wang = server.sync(lambda s: s.query(Customer).filter_by(name="王芳").one().id)
        victor = server.sync(lambda s: s.query(Customer).filter_by(name="Victor Vip").one().id)
        panel = win.customer

        # ambiguous: a candidate button links at once
        amb = await unknown_contact(server, "王芳", "chat:someone-new-1")
        await until(lambda: amb in win.state.interactions)
        assert str(win.state.interactions[amb].customer_match) == "ambiguous"
        win.open_interaction(amb)
        await until(lambda: panel.prompt.isVisible(), what="the ambiguity prompt")
        assert panel.prompt.text.text() == "Several customers are called 王芳 — is it one of them?"
        assert not panel.prompt.keep_button.isVisible()
        button = panel.prompt.candidate_buttons[0]
        assert "王芳" in button.text()
        button.click()
        await until(lambda: server.sync(lambda s: s.get(Interaction, amb).customer_id) == wang,
                    what="linked on the server")
        await until(lambda: not panel.prompt.isVisible() and panel.customer_id == wang,
                    what="panel follows the link")

        # new: search and link an existing customer in the dialog
        new = await unknown_contact(server, "Nobody Known", "chat:someone-new-2")
        await until(lambda: new in win.state.interactions)
        win.open_interaction(new)
        await until(lambda: panel.prompt.isVisible() and panel.prompt.keep_button.isVisible(),
                    what="the new-customer prompt")
        assert panel.prompt.text.text() == "New customer — link to an existing one or keep it."
        panel.prompt.find_button.click()
        dlg = panel.link_dialog
        assert not dlg.link_button.isEnabled() and not dlg.create_button.isEnabled()
        dlg.query.setText("victor@example")
        await until(lambda: dlg.results.count() == 1, what="search results")
        assert dlg.results.item(0).text().startswith("Victor Vip")
        assert dlg.link_button.isEnabled()
        dlg.link_button.click()
        await until(lambda: dlg.customer_id == victor, what="linked in the dialog")
        await until(lambda: panel.customer_id == victor and panel.name.text() == "Victor Vip",
                    what="the panel shows Victor")

        # new again: create the customer from the dialog
        third = await unknown_contact(server, "Zed Zhang", "chat:someone-new-3")
        await until(lambda: third in win.state.interactions)
        win.open_interaction(third)
        await until(lambda: panel.prompt.isVisible(), what="prompt for the third")
        dlg = panel.open_link_dialog()
        dlg.new_name.setText("Zed Zhang")
        dlg.new_tier.setCurrentIndex(dlg.new_tier.findData("gold"))
        dlg.create_button.click()
        await until(lambda: dlg.customer_id is not None, what="created")
        created = dlg.customer_id
        await until(lambda: panel.customer_id == created and panel.tier.text() == "Gold",
                    what="the panel shows the new customer")
        assert server.sync(lambda s: s.get(Interaction, third).customer_id) == created
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), timeout=90)


def test_escalation_entry_sends_it_to_another_queue_with_a_reason(qloop, server, ui_env,
                                                                  qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        iid = await offered_to_me(win, server, "chat", "Angry about fees")
        await until(lambda: str(win.state.interactions[iid].state) == "assigned")
        win.open_interaction(iid)
        panel = win.customer
        await until(lambda: panel.stack.currentIndex() == 1, what="customer record")
        assert panel.escalate.isVisible()
        billing = server.sync(lambda s: s.query(Queue).filter_by(name="Billing").one().id)
        dlg = panel.open_escalation()
        await until(lambda: dlg.loaded, what="targets")
        assert dlg.select("queue", billing)
        assert not dlg.ok.isEnabled()  # the reason is required
        dlg.note_edit.setText("Wants a fee refund above my limit")
        assert dlg.ok.isEnabled()
        dlg.ok.click()
        await until(lambda: server.sync(lambda s: s.get(Interaction, iid).escalated),
                    what="escalated on the server")
        row = server.sync(lambda s: (lambda i: (i.queue_id, i.escalation_reason))(
            s.get(Interaction, iid)))
        assert row == (billing, "Wants a fee refund above my limit")
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), timeout=60)
