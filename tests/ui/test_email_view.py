"""The email view against the real backend (server thread on 127.0.0.1, client in the
qasync loop as in the app): the thread loads, reply threading headers, reply-all cc,
forward needs a recipient, internal notes, drafts surviving a restart (flushed on close,
and kill-style: only the autosave timer wrote), attachments over the limit, and the
upload → send → download round trip."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from agent_desk.client.connection import Connection
from agent_desk.client.drafts import DraftStore
from agent_desk.protocol import messages as m
from agent_desk.server.models import Message, Note
from agent_desk.ui import settings as opts
from agent_desk.ui.channel_views import register_channel_views
from agent_desk.ui.email_message_widget import EmailMessageWidget, NoteWidget
from agent_desk.ui.email_view import EmailView
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


async def my_email(server: ServerThread, win: MainWindow, drafts: DraftStore, *,
                   subject: str = "Invoice question", cc: list[str] | None = None
                   ) -> tuple[int, EmailView]:
    """An email from Carol, picked by the signed-in agent and opened in the workspace."""
    register_channel_views()
    win.context.drafts = drafts
    iid = await server.acall(lambda w: w.contact("email", subject=subject,
                                                 body="My invoice 4411 is wrong."))
    if cc:
        def add_cc(s: Any) -> None:
            msg = s.query(Message).filter_by(interaction_id=iid).one()
            msg.to_addrs = ["support@agentdesk.example"]
            msg.cc_addrs = cc
            s.commit()
        server.sync(add_cc)
    await until(lambda: iid in win.state.interactions, what="the email in the queue")
    ack = await win.controller.send(m.Pick(key=Connection.new_key(), interaction_id=iid), "x")
    assert ack is not None and ack.ok, ack
    await until(lambda: win.state.interactions[iid].assigned_agent_id == win.state.my_id,
                what="mine")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    assert isinstance(view, EmailView)
    await until(lambda: view.loaded, what="the thread")
    return iid, view


async def finish(client: Any, task: Any, win: MainWindow) -> None:
    """Close the open tabs (their "no longer viewing" goes out while the loop runs), then
    quit the app."""
    activities = []
    for iid in win.workspace.open_ids():
        view = win.workspace.view(iid)
        if isinstance(view, EmailView):
            activities.append(view.collision._activity)
        if view is not None:
            win.workspace.close_tab(win.workspace.tabs.indexOf(view))
    await until(lambda: all(not a.open and not a.tasks for a in activities),
                what="activity sent")
    assert await stop_client(client, task) == 0


def drafts(win: MainWindow) -> DraftStore:
    assert win.context.drafts is not None
    return win.context.drafts


def stored(server: ServerThread, iid: int) -> list[Message]:
    def read(s: Any) -> list[Message]:
        rows = s.query(Message).filter_by(interaction_id=iid, direction="outbound").all()
        s.expunge_all()
        return rows
    return server.sync(read)


def test_reply_threads_and_the_view_shows_it(qloop, server, ui_env: UiEnv, qapp, qtbot,
                                             tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        (card,) = [c for c in view.thread_view.cards if isinstance(c, EmailMessageWidget)]
        assert "carol@example.com" in card.from_label.text()
        assert "My invoice 4411 is wrong." in card.body.toPlainText()
        assert card.body.resource_requests == [] and card.body.navigations == []
        assert view.reply_button.isEnabled() and view.note_button.isEnabled()
        assert view.collision.is_open()
        assert view.start_reply("reply")
        c = view.composer
        assert c.isVisible() and c.subject.text() == "Re: Invoice question"
        assert c.to.text() == "carol@example.com"
        assert "> My invoice 4411 is wrong." in c.body.toPlainText()
        qtbot.keyClicks(c.body, "We corrected invoice 4411. ")
        assert await c.send_now()
        await until(lambda: len(view.thread_order()) == 2, what="the reply in the thread")
        (sent,) = stored(server, iid)
        assert sent.subject == "Re: Invoice question"
        assert sent.in_reply_to == "<first@customer.example>"
        assert sent.references == ["<first@customer.example>"]
        assert sent.body.startswith("We corrected invoice 4411.")
        assert sent.to_addrs == ["carol@example.com"]
        assert not c.isVisible() and drafts(win).load(f"{iid}:email") is None
        await finish(client, task, win)

    run(qloop, scenario())


def test_reply_all_keeps_the_cc_and_forward_needs_a_recipient(qloop, server, ui_env, qapp,
                                                              tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"),
                                   cc=["Dan <dan@carol-family.example>"])
        view.start_reply("reply_all")
        c = view.composer
        assert c.title.text() == "Reply to all"
        assert c.cc.text() == "Dan <dan@carol-family.example>"
        c.cc.setText("Dan <dan@carol-family.example>, not-an-address")
        assert c.cc_error.isVisible() and "not-an-address" in c.cc_error.text()
        assert not await c.send_now()
        assert stored(server, iid) == []  # nothing sent with a bad address
        c.cc.setText("Dan <dan@carol-family.example>")
        assert not c.cc_error.isVisible()
        c.body.setPlainText("Copying Dan as asked.\n\n" + c.body.toPlainText())
        assert await c.send_now()
        (sent,) = stored(server, iid)
        assert sent.cc_addrs == ["Dan <dan@carol-family.example>"]
        assert sent.to_addrs == ["carol@example.com"]
        # forward: no recipient yet -> a clear inline error, nothing sent, the draft kept
        view.start_reply("forward")
        assert c.subject.text() == "Fwd: Invoice question" and c.to.text() == ""
        assert "---------- Forwarded message ----------" in c.body.toPlainText()
        c.body.setPlainText("FYI, billing.\n\n" + c.body.toPlainText())
        assert not await c.send_now()
        assert c.to_error.isVisible() and "needs at least one recipient" in c.to_error.text()
        assert len(stored(server, iid)) == 1
        assert (drafts(win).load(f"{iid}:email") or {}).get("mode") == "forward"
        c.to.setText("billing@partner.example")
        assert await c.send_now()
        forwarded = stored(server, iid)[-1]
        assert forwarded.to_addrs == ["billing@partner.example"]
        assert forwarded.subject == "Fwd: Invoice question"
        assert forwarded.in_reply_to is None
        await finish(client, task, win)

    run(qloop, scenario())


def test_internal_note_is_separate_and_shown_distinctly(qloop, server, ui_env, qapp,
                                                        tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        view.note_button.click()
        assert view.note_box.isVisible()
        view.note_edit.setPlainText("Customer is upset; refund approved by Li.")
        await view.add_note()
        cards = view.thread_view.cards
        await until(lambda: any(isinstance(c, NoteWidget) for c in cards), what="note")
        notes = server.sync(lambda s: [n.body for n in s.query(Note).filter_by(
            interaction_id=iid)])
        assert notes == ["Customer is upset; refund approved by Li."]
        assert stored(server, iid) == []  # nothing went to the customer
        note = next(c for c in view.thread_view.cards if isinstance(c, NoteWidget))
        assert "not sent to the customer" in note.tag.text()
        await finish(client, task, win)

    run(qloop, scenario())


def test_draft_survives_a_restart_and_a_crash(qloop, server, ui_env, qapp, qtbot,
                                              tmp_path: Path) -> None:
    client = ui_env.client(qapp)
    path = tmp_path / "drafts.db"

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(path))
        view.start_reply("reply")
        qtbot.keyClicks(view.composer.body, "Half-written answer")
        # close the tab (hiding flushes), then a new store on the same file: restored
        win.workspace.close_tab(win.workspace.tabs.indexOf(view))
        drafts(win).close()
        win.context.drafts = DraftStore(path)
        win.open_interaction(iid)
        view2 = win.workspace.view(iid)
        assert isinstance(view2, EmailView) and view2 is not view
        assert view2.composer.isVisible()
        assert view2.composer.body.toPlainText().startswith("Half-written answer")
        assert view2.composer.subject.text() == "Re: Invoice question"
        # kill-style: only the autosave timer writes (no flush on close)
        view2.composer.autosaver._timer.setInterval(50)
        qtbot.keyClicks(view2.composer.body, " plus more")
        saves = view2.composer.autosaver.saves
        await until(lambda: view2.composer.autosaver.saves > saves, what="the timer's save")
        crashed = DraftStore(path)  # what a restarted app would read right now
        body = (crashed.load(f"{iid}:email") or {})["body"]
        assert "plus more" in body and "Half-written answer" in body
        await finish(client, task, win)

    run(qloop, scenario())


def test_attachment_over_the_limit_is_refused_and_the_draft_kept(
        qloop, server, ui_env, qapp, tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        view.start_reply("reply")
        c = view.composer
        c.limit = 1000  # the real limit is 25 MB; the rule is the same
        small = tmp_path / "receipt.txt"
        small.write_bytes(b"r" * 600)
        big = tmp_path / "scan.pdf"
        big.write_bytes(b"%PDF" + b"x" * 700)
        c.body.setPlainText("See attached.")
        problems = c.add_files([str(small), str(big), str(tmp_path / "missing.doc")])
        assert len(problems) == 2
        assert "scan.pdf" in problems[0] and "1.0 kB" in problems[0]
        assert "missing.doc" in problems[1]
        assert c.error.isVisible() and "scan.pdf" in c.error.text()
        assert [a.name for a in c.current_draft().attachments] == ["receipt.txt"]
        assert c.body.toPlainText() == "See attached."
        c.autosaver.flush()
        kept = drafts(win).load(f"{iid}:email") or {}
        assert kept["body"] == "See attached." and kept["attachments"][0]["name"] == "receipt.txt"
        await finish(client, task, win)

    run(qloop, scenario())


def test_thread_order_setting(qloop, server, ui_env, qapp, tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        view.start_reply("reply")
        view.composer.body.setPlainText("First answer")
        await server.acall(lambda w: w.advance(60))
        assert await view.composer.send_now()
        await until(lambda: len(view.thread_order()) == 2, what="two messages")
        first, second = view.thread_order()
        assert view.messages[first].at <= view.messages[second].at  # newest at the bottom
        ui_env.settings.set(opts.EMAIL_NEWEST_FIRST, True)
        assert view.thread_order() == [second, first]
        await finish(client, task, win)

    run(qloop, scenario())


def test_upload_send_and_download_round_trip(qloop, server, ui_env, qapp,
                                             tmp_path: Path) -> None:
    client = ui_env.client(qapp)
    if "not implemented" in Path("agent_desk/server/attachments.py").read_text():
        pytest.skip("the backend's upload_chunk/get_attachment handlers are placeholders")

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        view.start_reply("reply")
        c = view.composer
        payload = bytes(range(256)) * 5000  # 1.28 MB: three pieces
        src = tmp_path / "statement.bin"
        src.write_bytes(payload)
        assert c.add_files([str(src)]) == []
        c.body.setPlainText("Your statement is attached.")
        assert await c.send_now()
        await until(lambda: len(view.thread_order()) == 2, what="the reply")
        mine = view.messages[view.thread_order()[-1]]
        (att,) = mine.attachments
        assert att.filename == "statement.bin" and att.size == len(payload)
        dest = tmp_path / "saved" / "statement.bin"
        dest.parent.mkdir()
        assert await view.save_attachment(att, str(dest))
        assert dest.read_bytes() == payload
        assert [p.name for p in dest.parent.iterdir()] == ["statement.bin"]  # no temp left
        await finish(client, task, win)

    run(qloop, scenario(), timeout=120)


def test_someone_else_gets_a_note_only_view(qloop, server, ui_env, qapp,
                                            tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, user="lead")
        register_channel_views()
        win.context.drafts = DraftStore(tmp_path / "drafts.db")
        iid = await server.acall(lambda w: w.contact("email", subject="Where is it"))
        await until(lambda: iid in win.state.interactions, what="the email")
        win.open_interaction(iid)
        view = win.workspace.view(iid)
        assert isinstance(view, EmailView)
        await until(lambda: view.loaded, what="thread")
        assert not view.reply_button.isEnabled() and not view.forward_button.isEnabled()
        assert not view.start_reply("reply") and not view.composer.isVisible()
        assert view.note_button.isEnabled()
        await asyncio.sleep(0)
        await finish(client, task, win)

    run(qloop, scenario())


def _newsletter(rows: int = 2_200) -> bytes:
    """A customer email whose HTML is one large layout table (over the viewer's table
    limit once sanitised) with an inline logo given without a size."""
    from email.message import EmailMessage

    from tests.ui.test_safe_browser import _png

    row = ('<tr><td width="30%"><b>Order {n}</b></td><td><p>Your parcel {n} left the '
           'warehouse. <a href="https://shop.example/t/{n}">Track it</a></p></td></tr>')
    html = ('<p><img src="cid:logo@shop.example" alt="Shop logo"></p><table width="100%">'
            + "".join(row.format(n=n) for n in range(rows)) + "</table><p>Kind regards</p>")
    msg = EmailMessage()
    msg["From"] = "Carol Smith <carol@example.com>"
    msg["To"] = "support@agentdesk.example"
    msg["Subject"] = "Newsletter-sized order list"
    msg["Message-ID"] = "<newsletter-1@customer.example>"
    msg.set_content("Your orders are listed below.")
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]  # type: ignore[index]
    html_part.add_related(_png(), "image", "png", cid="<logo@shop.example>")
    return msg.as_bytes()


async def _open_newsletter(server: ServerThread, win: MainWindow) -> EmailView:
    from agent_desk.server.connectors import InboundContact

    register_channel_views()
    raw = _newsletter()
    iid = await server.acall(lambda w: w.server.inbound_contact(InboundContact(
        channel="email", identity_kind="email", identity="", queue="General", raw_mime=raw)))
    await until(lambda: iid in win.state.interactions, what="the email in the queue")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    assert isinstance(view, EmailView)
    await until(lambda: view.loaded, what="the thread")
    return view


def _count_set_html(monkeypatch) -> dict[object, int]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTextBrowser

    from agent_desk.ui.safe_browser import SafeBrowser

    calls: dict[object, int] = {}

    def counted(self, html: str) -> None:  # type: ignore[no-untyped-def]
        calls[self] = calls.get(self, 0) + 1
        QTextBrowser.setHtml(self, html)
    monkeypatch.setattr(SafeBrowser, "setHtml", counted)
    return calls


def test_a_large_html_email_opens_simplified_with_its_inline_image(
        qloop, server, ui_env, qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = ui_env.client(qapp)
    set_html = _count_set_html(monkeypatch)

    async def scenario() -> None:
        task, win = await signed_in(client, server, user="lead")
        win.context.drafts = DraftStore(tmp_path / "drafts.db")
        view = await _open_newsletter(server, win)
        (card,) = [c for c in view.thread_view.cards if isinstance(c, EmailMessageWidget)]
        body = card.body
        # the logo was fetched while the HTML was sanitised: in before the first layout
        assert "logo@shop.example" in body._cids and set_html[body] == 1
        assert body.simplified and card.layout_bar is not None
        assert card.layout_bar.isVisibleTo(card) and card.save_buttons == []
        assert "Your parcel 2199 left" in body.toPlainText()
        await until(lambda: "cid:logo@shop.example" in body.served, what="the logo shown")
        assert set_html[body] == 1  # the message was laid out once
        assert [u for u in body.resource_requests if not u.startswith("cid:")] == []
        assert card.full_layout_button is not None
        card.full_layout_button.click()
        assert not body.simplified and not card.layout_bar.isVisibleTo(card)
        assert set_html[body] == 2 and "Your parcel 2199 left" in body.toPlainText()
        await finish(client, task, win)

    run(qloop, scenario())


def test_a_slow_inline_image_is_added_without_a_new_layout(
        qloop, server, ui_env, qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import agent_desk.ui.email_inline as email_inline

    client = ui_env.client(qapp)
    set_html = _count_set_html(monkeypatch)
    real = email_inline.fetch_bytes
    released = asyncio.Event()

    async def slow(*args: Any, **kw: Any) -> bytes:
        await released.wait()
        return await real(*args, **kw)
    monkeypatch.setattr(email_inline, "fetch_bytes", slow)
    monkeypatch.setattr(email_inline, "INLINE_WAIT_S", 0.05)

    async def scenario() -> None:
        task, win = await signed_in(client, server, user="lead")
        win.context.drafts = DraftStore(tmp_path / "drafts.db")
        view = await _open_newsletter(server, win)
        (card,) = [c for c in view.thread_view.cards if isinstance(c, EmailMessageWidget)]
        body = card.body
        await until(lambda: "cid:logo@shop.example" in body.resource_requests,
                    what="the text shown without the logo")
        assert body.served == [] and "Your parcel 2199 left" in body.toPlainText()
        released.set()
        await until(lambda: "cid:logo@shop.example" in body.served, what="the logo shown")
        assert set_html[body] == 1 and body.simplified  # added in place, not set again
        await finish(client, task, win)

    run(qloop, scenario())


def test_a_reply_sent_offline_goes_once_and_send_stays_off_meanwhile(
        qloop, server, ui_env, qapp, qtbot, tmp_path: Path) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        iid, view = await my_email(server, win, DraftStore(tmp_path / "drafts.db"))
        assert view.start_reply("reply")
        c = view.composer
        qtbot.keyClicks(c.body, "Sent while the network was down. ")
        await server.kill()
        await until(lambda: win.status.connection_text().startswith("Reconnecting"),
                    what="offline")
        assert await c.send_now() is False  # not sent yet: queued in the outbox
        assert "connection returns" in c.error.text()
        assert not c.send.isEnabled()  # so the agent cannot send it a second time
        assert drafts(win).load(f"{iid}:email") is not None  # kept until it is answered
        await server.restart()
        await until(lambda: len(stored(server, iid)) == 1, 20, what="delivered once")
        await until(lambda: drafts(win).load(f"{iid}:email") is None, what="draft dropped")
        assert c.send.isEnabled() and len(stored(server, iid)) == 1
        await finish(client, task, win)

    run(qloop, scenario())
