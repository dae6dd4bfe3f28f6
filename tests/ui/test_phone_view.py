"""The call panel against the real backend (server in a thread, the app in a qasync loop):
answer → hold → resume → mute → warm transfer (consult Bob, conference, back) → hang up →
wrap-up with the server's state checked after every step and the buttons following it; a
completed warm transfer and a refused consultation that keeps the dialog's choice; the DTMF
pad; call notes surviving the view being closed (new ``DraftStore`` on the same file); a
callback request and the callback's own view; a lead seeing someone else's call read-only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from shiboken6 import isValid

from agent_desk.client.drafts import DraftStore
from agent_desk.protocol import messages as m
from agent_desk.server.connectors import InboundContact
from agent_desk.server.models import Interaction, Message
from agent_desk.ui.channel_views import register_channel_views
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.phone_view import PhoneView
from agent_desk.ui.transfer_dialog import TransferDialog
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

IVR = {"menu": "Billing > Invoice", "verified": "yes", "order_number": "A1043"}


def row(server: ServerThread, iid: int) -> dict[str, Any]:
    """The interaction's row on the server, as plain values."""
    def read(s: Any) -> dict[str, Any]:
        i = s.get(Interaction, iid)
        s.refresh(i)
        return {"state": i.state, "muted": i.muted, "consult": i.consult_state,
                "assigned": i.assigned_agent_id, "held": i.hold_started_at is not None,
                "disposition": i.disposition}
    return server.sync(read)


async def call(server: ServerThread, who: str = "+15550001", **kw: Any) -> int:
    return await server.acall(lambda w: w.server.inbound_contact(InboundContact(
        channel="phone", identity_kind="phone", identity=who, queue="General",
        subject="Invoice", ivr_data=kw.pop("ivr", IVR), **kw)))


async def open_call(client: Any, server: ServerThread, drafts: Path | None = None, *,
                    user: str = "ann") -> tuple[asyncio.Future[int], MainWindow]:
    register_channel_views()
    task, win = await signed_in(client, server, user)
    if drafts is not None:
        win.context.drafts = DraftStore(drafts)
    if user != "lead":
        win.selector.choose("available")
        await until(lambda: win.selector.button.text() == "Available", what="available")
    return task, win


async def offered_view(win: MainWindow, iid: int) -> PhoneView:
    st = win.state
    await until(lambda: iid in st.interactions
                and st.interactions[iid].offered_agent_id == st.my_id, what="the offer")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    assert isinstance(view, PhoneView)
    return view


async def bob_available(server: ServerThread) -> Any:
    return await server.acall(lambda w: w.login("bob", available=True))


async def choose(view: PhoneView, kind: str, tid: int) -> TransferDialog:
    dlg = view.transfer_dialog
    assert dlg is not None
    await until(lambda: dlg.loaded, what="transfer targets")
    assert not dlg.ok.isEnabled()  # nothing chosen yet
    assert dlg.select(kind, tid)
    return dlg


def closed(dialog: Any) -> bool:
    return not isValid(dialog) or not dialog.isVisible()


def controls(view: PhoneView) -> dict[str, bool]:
    names = ("answer", "hold", "mute", "keypad", "hang_up", "transfer", "consult", "callback",
             "escalate", "complete", "conference", "cancel_consult")
    return {n: getattr(view, n).isEnabled() for n in names}


def test_answer_hold_resume_warm_transfer_hang_up_wrap_up(qloop, server, ui_env: UiEnv, qapp,
                                                          tmp_path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await open_call(client, server, tmp_path / "drafts.db")
        iid = await call(server)
        view = await offered_view(win, iid)
        assert view.answer.isVisible() and view.answer.isEnabled()
        assert not any(v for k, v in controls(view).items() if k != "answer")
        await until(lambda: view.info.number_label.text() == "+15550001", what="number")
        await until(lambda: not view.busy)
        assert "Carol Smith" in view.info.customer.text()
        assert view.info.ivr.rowCount() == 3 and view.info.state.text() == "Ringing"
        # answer
        view.answer.click()
        await until(lambda: view.hold.isEnabled(), what="answered")
        await until(lambda: not view.busy)
        assert row(server, iid)["state"] == "assigned"
        assert not view.answer.isVisible() and view.hang_up.isEnabled()
        assert view.info.state.text() == "Connected" and view.info.timer.text() == "00:00"
        assert not view.consult_row.isVisible()
        # hold, resume
        view.hold.click()
        await until(lambda: view.hold.text() == "Res&ume", what="on hold")
        await until(lambda: not view.busy)
        assert row(server, iid)["state"] == "on_hold" and row(server, iid)["held"]
        assert not view.keypad.isEnabled()  # no DTMF to a held caller
        assert view.info.hold_timer.text().startswith("On hold")
        view.hold.click()
        await until(lambda: view.hold.text() == "&Hold", what="resumed")
        await until(lambda: not view.busy)
        assert row(server, iid)["state"] == "assigned" and not row(server, iid)["held"]
        # mute, unmute
        view.mute.click()
        await until(lambda: view.mute.text() == "Un&mute", what="muted")
        await until(lambda: not view.busy)
        assert row(server, iid)["muted"] and "muted" in view.info.state.text()
        view.mute.click()
        await until(lambda: view.mute.text() == "&Mute", what="unmuted")
        await until(lambda: not view.busy)
        assert not row(server, iid)["muted"]
        view.notes.edit.setPlainText("Invoice A1043 charged twice; refund agreed.")
        # warm transfer: consult Bob, who has just become available
        await bob_available(server)
        bob = server.world.agent_id("bob")
        view.consult.click()
        dlg = await choose(view, "agent", bob)
        assert ("agent", server.world.agent_id("li")) not in dlg.usable()  # offline: greyed
        dlg.ok.click()
        await until(lambda: view.consult_row.isVisible(), what="consulting")
        await until(lambda: not view.busy)
        await until(lambda: closed(dlg), what="dialog closed")
        r = row(server, iid)
        assert (r["state"], r["consult"]) == ("on_hold", "consulting")
        assert view.info.state.text() == "Consulting Bob…"
        c = controls(view)
        assert c["complete"] and c["conference"] and c["cancel_consult"]
        assert not c["hold"] and not c["consult"] and not c["transfer"] and not c["hang_up"]
        view.conference.click()
        await until(lambda: view.info.state.text() == "Conference with Bob", what="conference")
        await until(lambda: not view.busy)
        r = row(server, iid)
        assert (r["state"], r["consult"]) == ("assigned", "conference")
        assert not view.conference.isEnabled() and view.cancel_consult.isEnabled()
        view.cancel_consult.click()
        await until(lambda: not view.consult_row.isVisible(), what="back to the caller")
        await until(lambda: not view.busy)
        assert row(server, iid)["consult"] is None and view.hold.isEnabled()
        # hang up -> wrap-up with the call notes
        view.hang_up.click()
        await until(lambda: view.wrap_up is not None, what="wrap-up panel")
        await until(lambda: not view.busy)
        assert row(server, iid)["state"] == "wrap_up"
        assert view.info.state.text() == "Call ended — wrap-up"
        assert not any(controls(view)[k] for k in ("hold", "mute", "hang_up", "consult"))
        assert view.callback.isEnabled()  # a callback may still be arranged
        wrap = view.wrap_up
        assert wrap is not None
        assert wrap.notes.toPlainText() == "Invoice A1043 charged twice; refund agreed."
        assert win.context.drafts is not None
        assert win.context.drafts.load(f"{iid}:call_notes") is not None  # flushed on hang-up
        wrap.disposition.setCurrentIndex(wrap.disposition.findData("refund_issued"))
        wrap.done_button.click()
        await until(lambda: wrap.done, what="wrapped up")
        assert row(server, iid)["state"] == "closed"
        assert row(server, iid)["disposition"] == "refund_issued"
        assert win.context.drafts.load(f"{iid}:call_notes") is None  # done: draft dropped
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 90)


def test_completed_warm_transfer_and_a_refused_consultation_keeps_the_choice(
        qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await open_call(client, server)
        iid = await call(server)
        view = await offered_view(win, iid)
        view.answer.click()
        await until(lambda: view.consult.isEnabled(), what="answered")
        await until(lambda: not view.busy)
        bob_ws = await bob_available(server)
        bob = server.world.agent_id("bob")
        view.consult.click()
        dlg = await choose(view, "agent", bob)
        # Bob goes away before the agent confirms: the server refuses, nothing changes
        ack = await server.acall(lambda w: bob_ws.cmd(m.SetState, state="away", reason="break"))
        assert ack.ok
        dlg.ok.click()
        await until(lambda: dlg.error.isVisible(), what="the refusal in the dialog")
        assert dlg.isVisible() and dlg.choice() == ("agent", bob)  # choice kept
        assert "cannot take it now" in dlg.error.text()
        assert row(server, iid)["consult"] is None and row(server, iid)["state"] == "assigned"
        dlg.retry.click()  # "Refresh": Bob is greyed out now, the refusal stays shown
        await until(lambda: dlg.loads == 2, what="list refreshed")
        assert ("agent", bob) not in dlg.usable()
        assert dlg.error.isVisible() and not dlg.ok.isEnabled()
        await server.acall(lambda w: bob_ws.cmd(m.SetState, state="available"))
        dlg.retry.click()
        await until(lambda: ("agent", bob) in dlg.usable(), what="Bob available again")
        assert dlg.select("agent", bob)
        dlg.ok.click()
        await until(lambda: view.complete.isEnabled(), what="consulting")
        await until(lambda: not view.busy)
        view.complete.click()
        await until(lambda: row(server, iid)["assigned"] == bob, what="Bob has the call")
        await until(lambda: view.gone, what="the call left my view")
        await until(lambda: not view.busy)
        assert view.banner.isVisible()
        assert not any(controls(view).values())
        assert row(server, iid)["state"] == "assigned"
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 90)


def test_dtmf_pad_sends_digits_and_refuses_bad_ones(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await open_call(client, server)
        iid = await call(server)
        view = await offered_view(win, iid)
        view.answer.click()
        await until(lambda: view.keypad.isEnabled(), what="answered")
        await until(lambda: not view.busy)
        view.keypad.click()
        pad = view.pad
        assert pad is not None and pad.isVisible()
        pad.send_button.click()  # nothing typed
        assert "first" in pad.message()
        for key in ("1", "2", "#"):
            pad.keys[key].click()
        assert pad.digits.text() == "12#"
        pad.send_button.click()
        await until(lambda: "3 digit" in pad.message(), what="digits sent")
        assert pad.isVisible()  # open for more digits
        assert pad.digits.text() == "" and pad.send_button.isEnabled()
        bodies = server.sync(lambda s: [x.body for x in s.query(Message).filter_by(
            interaction_id=iid)])
        assert "DTMF sent (3 digits)" in bodies
        pad.digits.setText("9" * 40)
        pad.send_button.click()
        assert "At most 32 digits" in pad.message()
        count = server.sync(lambda s: s.query(Message).filter_by(interaction_id=iid).count())
        assert count == len(bodies)  # refused locally: nothing sent
        view.hold.click()  # no DTMF on hold: the pad closes with the keypad button
        await until(lambda: not view.keypad.isEnabled() and not pad.isVisible())
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 60)


def test_call_notes_survive_closing_and_reopening_the_view(qloop, server, ui_env, qapp,
                                                           tmp_path) -> None:
    client = ui_env.client(qapp)
    path = tmp_path / "drafts.db"

    async def scenario() -> None:
        task, win = await open_call(client, server, path)
        iid = await call(server)
        view = await offered_view(win, iid)
        view.answer.click()
        await until(lambda: view.hold.isEnabled(), what="answered")
        await until(lambda: not view.busy)
        view.notes.edit.setPlainText("Caller wants a paper invoice.")
        assert view.notes.saver.dirty  # saved within a few seconds, not per keystroke
        win.workspace.close_tab(win.workspace.tabs.indexOf(view))
        await until(lambda: win.workspace.view(iid) is None)
        fresh = DraftStore(path)  # as after a restart: a new store on the same file
        assert fresh.load(f"{iid}:call_notes") == {"text": "Caller wants a paper invoice."}
        win.context.drafts = fresh
        win.open_interaction(iid)
        again = win.workspace.view(iid)
        assert isinstance(again, PhoneView) and again is not view
        assert again.notes.text() == "Caller wants a paper invoice."
        assert again.notes.status.text() == "Restored from this computer"
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 60)


def test_request_callback_validates_inline_and_creates_the_callback(qloop, server, ui_env,
                                                                     qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await open_call(client, server)
        iid = await call(server)
        view = await offered_view(win, iid)
        view.answer.click()
        await until(lambda: view.callback.isEnabled(), what="answered")
        await until(lambda: not view.busy)
        await until(lambda: view.info.number() == "+15550001", what="the customer's number")
        view.callback.click()
        dlg = view.callback_dialog
        assert dlg is not None and dlg.number.text() == "+15550001"
        start, end = dlg.chosen_window()
        assert 7100 <= (end - start).total_seconds() <= 7200  # the next two hours
        dlg.number.setText("12ab")
        dlg.ok.click()
        await until(lambda: dlg.error.isVisible())
        assert "only digits" in dlg.error.text() and dlg.isVisible()
        dlg.number.setText("+1 555 0001")
        dlg.end.setDateTime(dlg.start.dateTime().addSecs(5 * 60))
        dlg.ok.click()
        await until(lambda: dlg.error.isVisible())
        assert "at least 10 minutes" in dlg.error.text()
        dlg.end.setDateTime(dlg.start.dateTime().addSecs(3600))
        dlg.note.setText("after lunch")
        dlg.ok.click()
        await until(lambda: closed(dlg), what="callback requested")
        cb = server.sync(lambda s: [(x.id, x.kind, x.state) for x in s.query(Interaction)
                                    .filter_by(parent_id=iid)])
        assert len(cb) == 1 and cb[0][1] == "callback"
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 60)


def test_a_lead_sees_the_call_read_only_and_can_escalate(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await open_call(client, server, user="lead")
        ann = await server.acall(lambda w: w.login("ann", available=True))
        iid = await call(server)
        offer = await server.acall(lambda w: ann.wait_event(
            lambda d: isinstance(d, m.InteractionChanged)
            and d.interaction.offered_agent_id is not None))
        assert offer.data.interaction.id == iid
        await server.acall(lambda w: ann.cmd(m.Accept, interaction_id=iid))
        st = win.state
        await until(lambda: iid in st.interactions
                    and st.interactions[iid].state == "assigned", what="Ann answered")
        win.open_interaction(iid)
        view = win.workspace.view(iid)
        assert isinstance(view, PhoneView)
        c = controls(view)
        assert c.pop("escalate")  # leads may escalate anyone's interaction
        assert not any(c.values())
        assert "Ann has this call (read only)" in view.info.state.text()
        assert view.notes.edit.isReadOnly()
        view.escalate.click()
        dlg = view.transfer_dialog
        assert dlg is not None
        await until(lambda: dlg.loaded)
        # only team leads and admins are escalation targets (and not oneself)
        assert {a for k, a in dlg.listed() if k == "agent"} == {server.world.agent_id("admin")}
        queues = [tid for k, tid in dlg.usable() if k == "queue"]
        assert dlg.select("queue", queues[0])
        assert not dlg.ok.isEnabled()  # the reason is required
        dlg.note_edit.setText("Customer threatens to cancel")
        assert dlg.ok.isEnabled()
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), 60)
