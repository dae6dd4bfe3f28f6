"""The chat view against the real backend (server thread, qasync client as in the app): two
chats at once with typing indicators, unread badges and the "waited longest" highlight;
Enter vs Shift+Enter; a flood of 100 messages; a lead in the same chat (collision); a
non-assignee limited to notes; end chat → wrap-up; transfer with a note; drafts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from agent_desk.channels.chat import Chat, Speaker, Turn
from agent_desk.protocol import messages as m
from agent_desk.server.models import Interaction, Message, Note, Queue
from agent_desk.ui.channel_views import register_channel_views
from agent_desk.ui.chat_transcript import BubbleDelegate, TranscriptModel
from agent_desk.ui.chat_transcript_view import TranscriptView
from agent_desk.ui.chat_view import ChatView
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.workspace import VIEW_FACTORIES
from tests.helpers.world import World
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


@pytest.fixture(autouse=True)
def channel_views() -> Iterator[None]:
    saved = dict(VIEW_FACTORIES)
    register_channel_views()
    try:
        yield
    finally:
        VIEW_FACTORIES.clear()
        VIEW_FACTORIES.update(saved)


async def available(win: MainWindow) -> None:
    win.selector.choose("available")
    await until(lambda: win.selector.button.text() == "Available", what="available")


async def my_chat(win: MainWindow, server: ServerThread, who: str = "carol",
                  subject: str = "Where is my order") -> tuple[int, ChatView]:
    """A chat offered to the signed-in agent, accepted and open in its tab."""
    iid = await server.acall(lambda w: w.contact("chat", who=who, subject=subject))
    me = win.state.my_id
    await until(lambda: iid in win.state.interactions
                and win.state.interactions[iid].offered_agent_id == me, what="offer")
    ack = await win.controller.accept(iid)
    assert ack is not None and ack.ok
    await until(lambda: win.state.interactions[iid].assigned_agent_id == me, what="mine")
    win.open_interaction(iid)
    view = win.workspace.view(iid)
    assert isinstance(view, ChatView)
    await until(lambda: view.loaded, what="history")
    return iid, view


def outbound(server: ServerThread, iid: int) -> list[str]:
    return server.sync(lambda s: [x.body for x in s.query(Message).filter_by(
        interaction_id=iid, direction="outbound").order_by(Message.id)])


def test_two_chats_typing_badges_and_highlight(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        a, va = await my_chat(win, server, "carol")
        await server.acall(lambda w: w.advance(2))
        b, vb = await my_chat(win, server, "victor", "Refund")
        ws = win.workspace
        assert ws.tabs.currentWidget() is vb
        assert [t.text for t in va.chat] == ["Hello, I need help"]  # history, not unread
        assert ws.badge(a) == (0, True)  # Carol has waited longest
        assert ws.badge(b) == (0, False)
        # both customers type: each tab shows its own
        await server.acall(lambda w: w.server.customer_typing(a, True))
        await until(va.customer_is_typing, what="Carol typing")
        assert va.typing.text() == "Carol is typing…" and not vb.customer_is_typing()
        await server.acall(lambda w: w.server.customer_typing(b, True))
        await until(vb.customer_is_typing, what="Victor typing")
        assert vb.typing.text() == "Victor is typing…" and va.customer_is_typing()
        # Carol's message arrives while her tab is in the background: unread, typing ends
        await server.acall(lambda w: w.server.customer_message(a, "Are you there?"))
        await until(lambda: ws.badge(a) == (1, True), what="unread badge")
        assert not va.customer_is_typing()
        index = ws.tabs.indexOf(va)
        assert ws.tabs.tabText(index) == "● Carol Smith (1)"
        assert "waited longest" in ws.tabs.tabToolTip(index)
        # focusing clears it; answering her moves the highlight to Victor
        ws.tabs.setCurrentWidget(va)
        assert ws.badge(a) == (0, True) and ws.tabs.tabText(index) == "● Carol Smith"
        await server.acall(lambda w: w.advance(1))
        assert await va.submit("Yes, looking at it now", False)
        await until(lambda: ws.badge(b) == (0, True) and ws.badge(a) == (0, False),
                    what="highlight moved")
        await server.acall(lambda w: w.server.customer_message(b, "Hello?"))
        await until(lambda: ws.badge(b) == (1, True), what="Victor's unread")
        assert ws.badge(a) == (0, False)
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_enter_sends_shift_enter_adds_a_line_and_seen(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        iid, view = await my_chat(win, server)
        edit = view.composer.edit
        QTest.keyClick(edit, Qt.Key.Key_Return)  # empty: nothing happens
        QTest.keyClicks(edit, "Hello")
        QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(edit, "there")
        assert edit.toPlainText() == "Hello\nthere"
        assert view.collision.is_typing()  # the customer is told the agent types
        await server.acall(lambda w: w.advance(1))
        QTest.keyClick(edit, Qt.Key.Key_Return)
        await until(lambda: outbound(server, iid) == ["Hello\nthere"], what="stored")
        await until(lambda: view.composer.text() == "", what="composer cleared")
        await until(lambda: view.model.rowCount() == 2, what="my message shown")
        mine = view.model.chat[1]
        assert (mine.speaker, mine.text) == (Speaker.AGENT, "Hello\nthere")
        assert not view.collision.is_typing()
        assert view.model.seen_row() is None
        await server.acall(lambda w: w.advance(1))
        await server.acall(lambda w: w.server.customer_seen(iid))
        await until(lambda: view.model.seen_row() == 1, what="seen")
        assert view.model.index(1).data().endswith("Seen")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_flood_of_100_messages_all_shown_ui_responsive(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        iid, view = await my_chat(win, server)
        inserts: list[int] = []
        view.model.rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
        gaps: list[float] = []
        last = [time.monotonic()]

        def beat() -> None:
            now = time.monotonic()
            gaps.append(now - last[0])
            last[0] = now

        probe = QTimer()
        probe.setInterval(10)
        probe.timeout.connect(beat)
        probe.start()

        async def flood(w: World) -> None:
            for n in range(100):
                await w.server.customer_message(iid, f"flood {n}")

        await server.acall(flood)
        await until(lambda: view.model.rowCount() == 101, 20, what="all 100 shown")
        probe.stop()
        texts = [t.text for t in view.chat]
        assert texts[1:] == [f"flood {n}" for n in range(100)]  # in order, none lost
        assert sum(inserts) == 100 and len(inserts) < 100  # coalesced into batches
        assert max(gaps) < 1.0, max(gaps)  # the GUI thread kept running

        async def two_then_typing(w: World) -> None:  # the typing comes after the messages
            await w.server.customer_message(iid, "one more")
            await w.server.customer_message(iid, "and another")
            await w.server.customer_typing(iid, True)

        await server.acall(two_then_typing)
        await until(lambda: view.model.rowCount() == 103, what="the last two")
        await until(view.customer_is_typing, what="typing after the held batch")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_a_lead_opening_the_chat_shows_in_the_collision_bar(qloop, server, ui_env, qapp
                                                            ) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        iid, view = await my_chat(win, server)
        bar = view.collision
        assert bar.isHidden()  # alone, and the assignee: nothing to say

        async def lead_opens(w: World) -> Any:
            lead = await w.login("lead")
            await lead.send(m.Activity(interaction_id=iid, viewing=True))
            return lead

        lead = await server.acall(lead_opens)
        await until(lambda: bar.text() == "Lead is viewing", what="lead viewing")
        assert bar.isVisibleTo(view)
        await server.acall(lambda w: lead.send(m.Activity(interaction_id=iid, typing=True)))
        await until(lambda: bar.text() == "Lead is typing…", what="lead typing")
        await server.acall(lambda w: lead.send(m.Activity(interaction_id=iid, viewing=False)))
        await until(lambda: bar.isHidden() and not bar.others(), what="lead gone")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_non_assignee_cannot_send_but_can_add_a_note(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server, "lead")

        async def ann_takes_it(w: World) -> tuple[int, Any]:
            ann = await w.login("ann", available=True)
            iid = await w.contact("chat", subject="Broken parcel")
            ack = await ann.cmd(m.Accept, interaction_id=iid)
            assert ack.ok, ack
            await ann.send(m.Activity(interaction_id=iid, viewing=True))
            return iid, ann

        iid, _ann = await server.acall(ann_takes_it)
        ann_id = server.world.agent_id("ann")
        await until(lambda: iid in win.state.interactions
                    and win.state.interactions[iid].assigned_agent_id == ann_id)
        win.open_interaction(iid)
        view = win.workspace.view(iid)
        assert isinstance(view, ChatView)
        await until(lambda: view.loaded)
        composer = view.composer
        assert composer.is_note() and not composer.note.isEnabled()
        assert composer.send.text() == "Add &note"
        assert not view.end_button.isEnabled()
        await until(lambda: "Ann is viewing" in view.collision.text(), what="ann in the bar")
        assert "Only Ann can reply; you can add internal notes." in view.collision.text()
        # sending to the customer is refused by the server; the text stays
        composer.set_text("Dear customer")
        assert not await view.submit("Dear customer", False)
        assert composer.text() == "Dear customer" and outbound(server, iid) == []
        composer.clear()
        QTest.keyClicks(composer.edit, "Check the courier first")
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
        await until(lambda: server.sync(lambda s: [n.body for n in s.query(Note).filter_by(
            interaction_id=iid)]) == ["Check the courier first"], what="note stored")
        await until(lambda: any(t.speaker == Speaker.NOTE for t in view.chat), what="shown")
        await until(lambda: composer.text() == "", what="composer cleared after the ack")
        assert outbound(server, iid) == []
        # a lead may still escalate it (with the required reason)
        assert view.escalate_button.isEnabled()
        billing = server.sync(lambda s: s.query(Queue).filter_by(name="Billing").one().id)
        assert await view.escalate("queue", billing, "Asks for a manager")
        await until(lambda: win.state.interactions[iid].escalated, what="escalated")
        assert win.state.interactions[iid].escalation_reason == "Asks for a manager"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_end_chat_shows_wrap_up_and_transfer_keeps_a_note(qloop, server, ui_env, qapp
                                                           ) -> None:
    from agent_desk.ui.transfer_dialog import TransferDialog

    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        iid, view = await my_chat(win, server)
        other, ov = await my_chat(win, server, "victor", "Invoice")
        # the second chat goes to the Billing queue with a note for the colleague
        billing = server.sync(lambda s: s.query(Queue).filter_by(name="Billing").one().id)
        ov.transfer_button.click()
        dlg = ov.findChild(TransferDialog)
        assert dlg is not None
        await until(lambda: dlg.loaded, what="targets")
        assert dlg.select("queue", billing)
        dlg.note_edit.setText("Wants the invoice split")
        dlg.ok.click()
        await until(lambda: server.sync(lambda s: s.get(Interaction, other).queue_id)
                    == billing, what="transferred")
        notes = server.sync(lambda s: [n.body for n in s.query(Note).filter_by(
            interaction_id=other)])
        assert any("Wants the invoice split" in n for n in notes)
        # ending the first one: wrap-up replaces the composer
        win.workspace.tabs.setCurrentWidget(view)
        view.end_button.click()
        await until(lambda: view.wrap_up is not None, what="wrap-up panel")
        panel = view.wrap_up
        assert panel is not None and panel.isVisibleTo(view) and view.composer.isHidden()
        assert not view.end_button.isEnabled() and not view.transfer_button.isEnabled()
        assert server.sync(lambda s: s.get(Interaction, iid).state) == "wrap_up"
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_draft_is_kept_when_the_tab_closes_and_dropped_once_sent(qloop, server, ui_env, qapp,
                                                                 tmp_path) -> None:
    from agent_desk.client.drafts import DraftStore

    client = ui_env.client(qapp)
    store = DraftStore(tmp_path / "drafts.db")

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        win.context.drafts = store
        await available(win)
        iid, view = await my_chat(win, server)
        QTest.keyClicks(view.composer.edit, "Half a thought")
        win.workspace.close_tab(win.workspace.tabs.indexOf(view))
        assert store.load(f"{iid}:chat") == {"text": "Half a thought", "note": False}
        win.open_interaction(iid)
        again = win.workspace.view(iid)
        assert isinstance(again, ChatView) and again is not view
        assert again.composer.text() == "Half a thought"
        QTest.keyClick(again.composer.edit, Qt.Key.Key_Return)
        await until(lambda: outbound(server, iid) == ["Half a thought"], what="sent")
        await until(lambda: store.load(f"{iid}:chat") is None, what="draft dropped")
        assert await stop_client(client, task) == 0

    try:
        run(qloop, scenario())
    finally:
        store.close()


# ---- the transcript view alone (no server) ----------------------------------------------

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
SAMPLES = [(Speaker.SYSTEM, "Chat started", ""),
           (Speaker.CUSTOMER, "Hi, my parcel never arrived and the tracking page is blank",
            "Carol Smith"),
           (Speaker.AGENT, "Hello Carol, let me check that for you.", "Ann"),
           (Speaker.NOTE, "Courier says it was left with a neighbour; ask for the number.", "Ann"),
           (Speaker.CUSTOMER, "https://example.com/track/" + "A" * 70, "Carol Smith"),
           (Speaker.AGENT, "Could you tell me your house number?\nAnd the postcode.", "Ann"),
           (Speaker.CUSTOMER, "ok", "Carol Smith")]


def test_a_line_sent_offline_goes_once_and_leaves_the_composer(qloop, server, ui_env,
                                                               qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await available(win)
        iid, view = await my_chat(win, server)
        await server.kill()
        await until(lambda: win.status.connection_text().startswith("Reconnecting"),
                    what="offline")
        QTest.keyClicks(view.composer.edit, "Still here, checking")
        QTest.keyClick(view.composer.edit, Qt.Key.Key_Return)
        # queued in the outbox: it will go once, so it must not stay to be sent again
        await until(lambda: view.composer.text() == "", what="composer cleared")
        await server.restart()
        await until(lambda: outbound(server, iid) == ["Still here, checking"], 20,
                    what="delivered once")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def sample_turns(first: int, last: int) -> list[Turn]:
    out = []
    for i in range(first, last):
        speaker, text, author = SAMPLES[i % len(SAMPLES)]
        out.append(Turn(str(i), speaker, f"{text} ({i})", T0 + timedelta(seconds=30 * i),
                        author))
    return out


class CountingDelegate(BubbleDelegate):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hints = 0

    def sizeHint(self, option: Any, index: Any) -> Any:  # noqa: N802
        self.hints += 1
        return super().sizeHint(option, index)


def transcript(qapp: Any, width: int = 520, height: int = 420
               ) -> tuple[TranscriptModel, TranscriptView, CountingDelegate]:
    model = TranscriptModel(Chat(1))
    view = TranscriptView(model)
    delegate = CountingDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(width, height)
    view.show()
    qapp.processEvents()
    return model, view, delegate


def settle(qapp: Any) -> None:
    QTest.qWait(120)  # past QListView's delayed (100 ms) layout after a resize
    qapp.processEvents()


def test_a_flood_batch_costs_the_same_however_long_the_transcript(qapp) -> None:
    """Rows appended to a long transcript are measured once: the view does not lay every
    row out again (QListView asks the delegate for every row's size on each insert)."""
    model, view, delegate = transcript(qapp)
    bar = view.verticalScrollBar()
    per_batch: list[int] = []
    layouts_at_half = 0
    for n in range(0, 1200, 10):
        if n == 600:
            settle(qapp)
            layouts_at_half = view.full_layouts
        delegate.hints = 0
        model.add(sample_turns(n, n + 10))
        qapp.processEvents()
        per_batch.append(delegate.hints)
        assert bar.value() == bar.maximum() > 0 or n < 20  # it follows the newest turn
    late = per_batch[60:]  # 600 .. 1200 rows
    assert max(late) <= 10 + 2, late  # each new row once (and row 0 for the scroll step)
    assert view.full_layouts == layouts_at_half
    # and the geometry is right: rows touch, the last one ends at the viewport's bottom
    rects = [view.visualRect(model.index(r)) for r in range(1190, 1200)]
    assert all(a.bottom() + 1 == b.top() for a, b in zip(rects, rects[1:], strict=False))
    assert rects[-1].bottom() == view.viewport().height() - 1
    assert view.indexAt(rects[3].center()).row() == 1193


def test_only_the_rows_the_seen_tick_leaves_and_reaches_are_laid_out_again(qapp) -> None:
    model, view, delegate = transcript(qapp)
    model.add(sample_turns(0, 300))
    settle(qapp)
    agent_rows = [r for r in range(300) if model.chat[r].speaker == Speaker.AGENT]
    a, b = agent_rows[-4], agent_rows[-2]
    h_a = view.visualRect(model.index(a)).height()
    model.mark_seen(model.chat[a].at)
    qapp.processEvents()
    assert view.visualRect(model.index(a)).height() > h_a  # room for "Seen"
    before = delegate.computed
    model.mark_seen(model.chat[b].at)
    qapp.processEvents()
    assert delegate.computed - before <= 2  # the row it left is cached, the new one is not
    assert view.visualRect(model.index(a)).height() == h_a
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # it was at the bottom: it stays there
    row_b = view.visualRect(model.index(b))
    assert view.visualRect(model.index(b + 1)).top() == row_b.bottom() + 1


def on_screen(qapp: Any, w: QWidget) -> QImage:
    """What the window shows (its backing store): rows left unpainted after a scroll or an
    insert show here, not in ``grab()``, which paints the whole widget afresh."""
    shown = qapp.primaryScreen().grabWindow(w.winId()).toImage()
    fresh = w.grab().toImage()
    return shown.copy(0, 0, fresh.width(), fresh.height()).convertToFormat(fresh.format())


def test_the_view_paints_and_navigates_as_a_plain_list_view(qapp) -> None:
    """The same pixels on screen and the same keyboard moves as ``QListView`` with the same
    delegate (its own layout of every row): at the bottom while turns arrive, scrolled up
    while they arrive, with the "Seen" tick, a row selected, narrower, after a reset."""
    model, view, _delegate = transcript(qapp)
    plain = QListView()
    plain.setModel(model)
    plain.setItemDelegate(BubbleDelegate(plain))
    plain.setResizeMode(QListView.ResizeMode.Adjust)
    plain.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    plain.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    plain.setWordWrap(True)
    plain.setFrameShape(QListView.Shape.NoFrame)
    plain.resize(view.size())
    plain.show()
    views = (view, plain)

    def same(what: str, relayout: bool = False) -> None:
        if relayout:  # QListView does not lay out again when a row's height changes
            plain.doItemsLayout()
        settle(qapp)
        mine = on_screen(qapp, view)
        assert mine == view.grab().toImage(), f"{what}: rows left unpainted"
        assert mine == on_screen(qapp, plain), what
        assert view.verticalScrollBar().maximum() == plain.verticalScrollBar().maximum(), what
        assert view.verticalScrollBar().value() == plain.verticalScrollBar().value(), what

    for first in range(0, 40, 4):  # at the bottom: both follow
        model.add(sample_turns(first, first + 4))
        qapp.processEvents()
        plain.scrollToBottom()
        same(f"{first + 4} rows")
    for w in views:
        w.verticalScrollBar().setValue(300)
    model.add(sample_turns(40, 44))  # scrolled up: nothing moves
    same("scrolled up")
    for w in views:
        w.scrollToBottom()
    model.mark_seen(model.chat[40].at)
    qapp.processEvents()
    plain.scrollToBottom()
    same("seen", relayout=True)
    for w in views:
        w.setFocus()
        w.setCurrentIndex(model.index(20))
        w.scrollTo(model.index(18), QAbstractItemView.ScrollHint.PositionAtTop)
    same("scrolled, a row selected")
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_Up,
                Qt.Key.Key_PageUp, Qt.Key.Key_End, Qt.Key.Key_Home):
        for w in views:
            QTest.keyClick(w, key)
        assert view.currentIndex().row() == plain.currentIndex().row(), key
        same(f"after {key}")
    for w in views:
        w.resize(300, 380)
    settle(qapp)
    for w in views:
        w.scrollToBottom()
    same("narrow")
    late = sample_turns(44, 45)[0]
    model.add([Turn("older", late.speaker, late.text, T0 - timedelta(seconds=1), late.author)])
    plain.scrollToBottom()  # (the transcript follows: it was at the bottom)
    same("reset: a turn older than the others")
    row = view.visualRect(model.index(38))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert view.currentIndex().row() == 38 and view.selectionModel().isSelected(model.index(38))
    plain.close()
