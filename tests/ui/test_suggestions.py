"""The suggested-replies panel against the real backend (server thread, qasync client as in
the app) and a real knowledge-base file (the sample articles through the importer, reply
templates through ``TemplateStore``): suggestions for the customer's chat message that
change when a new one arrives, Alt+2 from the chat composer inserting suggestion 2 filled
with the customer's name, an unknown variable left visible and flagged, the refusal
marker, the call notes as the "message" of a phone call, ``Workspace.insert_reply`` for
chat, email and phone; and the worker alone (latest request wins, no file yet, stop)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from agent_desk.kb.importer import import_path
from agent_desk.kb.store import KBStore
from agent_desk.kb.template_store import Template, TemplateStore
from agent_desk.server.connectors import InboundContact
from agent_desk.ui import paths
from agent_desk.ui.channel_views import register_channel_views
from agent_desk.ui.chat_view import ChatView
from agent_desk.ui.email_view import EmailView
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.phone_view import PhoneView
from agent_desk.ui.suggest_worker import MISSING, SuggestWorker
from agent_desk.ui.suggestions_panel import SuggestionsPanel
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

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "kb" / "sample_articles.jsonl"
TEMPLATES = [
    Template(id="refund-broken-en", title="Refund for a broken item", language="en",
             tags=["refund", "broken", "damaged"], shortcut="refund",
             body="Hello {customer.name}, I'm sorry your item arrived broken. I have started a "
                  "full refund to your original payment method; you will see it within 3 "
                  "business days.\n{agent.name}"),
    Template(id="refund-broken-zh", title="商品破损退款", language="zh", tags=["退款", "破损"],
             shortcut="refund",
             body="{customer.name}您好，很抱歉商品破损。我已为您申请全额退款，3个工作日内原路退回。"),
    Template(id="replace-broken-en", title="Replacement for a broken item", language="en",
             tags=["replacement", "broken", "damaged"],
             body="Hi {customer.first_name}, sorry the item arrived broken! We can send a "
                  "replacement today, free of charge."),
    Template(id="refund-refusal-en", title="Refund after the return window", language="en",
             tags=["refund", "late", "return window"], shortcut="norefund", refusal=True,
             body="I'm sorry, {customer.name}, we cannot refund this order because the 30-day "
                  "return window has closed. Instead, we can offer a repair under warranty."),
    Template(id="loyalty-en", title="Loyalty code for an order", language="en",
             tags=["loyalty", "points", "code"], shortcut="loyalty",
             body="Dear {customer.name}, your loyalty code is {loyalty.code}. Use it with order "
                  "{order.number}."),
]


def make_kb(path: Path) -> Path:
    """A knowledge-base file with the sample articles and :data:`TEMPLATES`."""
    store = KBStore(path)
    try:
        import_path(store, SAMPLES)
        templates = TemplateStore(store)
        for t in TEMPLATES:
            templates.upsert_template(t)
    finally:
        store.close()
    return path


@pytest.fixture(autouse=True)
def channel_views() -> Iterator[None]:
    saved = dict(VIEW_FACTORIES)
    register_channel_views()
    try:
        yield
    finally:
        VIEW_FACTORIES.clear()
        VIEW_FACTORIES.update(saved)


async def start(client: Any, server: ServerThread, user: str = "ann"
                ) -> tuple[asyncio.Future[int], MainWindow, SuggestionsPanel]:
    """Sign in with a knowledge base on disk, available, with a suggestions panel following
    the workspace (the window's own once it has one)."""
    make_kb(paths.kb_file(server.url, user))
    task, win = await signed_in(client, server, user)
    panel = win.findChild(SuggestionsPanel)
    if panel is None:
        panel = SuggestionsPanel(win.context, win)
        panel.attach(win.workspace)
    win.selector.choose("available")
    await until(lambda: win.selector.button.text() == "Available", what="available")
    win.activateWindow()
    await until(lambda: QApplication.activeWindow() is win, what="active window")
    return task, win, panel


async def my_chat(win: MainWindow, server: ServerThread, body: str, who: str = "carol"
                  ) -> tuple[int, ChatView]:
    iid = await server.acall(lambda w: w.contact("chat", who=who, body=body,
                                                 subject="Broken blender"))
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


async def take(win: MainWindow, iid: int) -> None:
    """Accept the interaction once it is offered to the (available) agent."""
    me = win.state.my_id
    await until(lambda: iid in win.state.interactions
                and win.state.interactions[iid].offered_agent_id == me, what="the offer")
    ack = await win.controller.accept(iid)
    assert ack is not None and ack.ok, ack
    await until(lambda: win.state.interactions[iid].assigned_agent_id == me, what="mine")
    win.bridge.flush()  # the open views learn it now


def ids(panel: SuggestionsPanel) -> list[str]:
    return [s.ref_id for s in panel.suggestions()]


def test_chat_suggestions_follow_messages_and_insert(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win, panel = await start(client, server)
        texts: list[str] = []
        panel.sig_customer_text.connect(texts.append)
        iid, view = await my_chat(win, server, "My blender arrived broken, I want a refund.")
        await until(lambda: ids(panel)[:1] == ["refund-broken-en"], what="suggestions")
        assert 3 <= len(panel.suggestions()) <= 5
        assert texts[-1] == "My blender arrived broken, I want a refund."
        card = panel.cards[0]
        assert card.isVisibleTo(panel) and card.badge.text() == "1"
        assert card.kind.text() == "Template" and card.title.text() == "Refund for a broken item"
        assert card.preview.text().startswith("Hello Carol Smith, I'm sorry")  # as inserted
        assert card.why.text().startswith("Matches: ") and "broken" in card.why.text()
        kinds = {s.kind for s in panel.suggestions()}
        assert "article" in kinds
        # a new customer message: the list changes within a blink
        before = ids(panel)
        t0 = time.monotonic()
        await server.acall(lambda w: w.server.customer_message(
            iid, "The parcel arrived broken and damaged"))
        await until(lambda: ids(panel) != before, what="new suggestions")
        assert time.monotonic() - t0 < 2.0
        assert texts[-1] == "The parcel arrived broken and damaged"
        assert panel.customer_text == texts[-1]
        second = panel.suggestions()[1]
        assert "{customer.name}" in second.text, [s.ref_id for s in panel.suggestions()]
        # Alt+2 with the focus in the chat composer (no clash with other Alt+2 shortcuts)
        edit = view.composer.edit
        edit.setFocus()
        await until(edit.hasFocus, what="composer focus")
        ambiguous: list[int] = []
        for sc in panel._shortcuts:
            sc.activatedAmbiguously.connect(lambda: ambiguous.append(1))
        QTest.keyClick(edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
        await until(lambda: "Carol Smith" in edit.toPlainText(), what="inserted")
        assert ambiguous == []  # exactly one Alt+2 applies in the composer
        assert "{customer.name}" not in edit.toPlainText()
        assert edit.toPlainText().startswith(second.text.split("{customer.name}")[0] +
                                             "Carol Smith")
        assert edit.hasFocus() and not panel.note.isVisibleTo(panel)
        # an unknown variable and a missing value stay visible, selected and named
        edit.clear()
        await server.acall(lambda w: w.server.customer_message(
            iid, "I want my loyalty code for the points"))
        await until(lambda: ids(panel)[:1] == ["loyalty-en"], what="loyalty suggestion")
        assert panel.insert(1)
        text = edit.toPlainText()
        assert text.startswith("Dear Carol Smith, your loyalty code is {loyalty.code}.")
        assert "{order.number}" in text  # Carol has no orders
        assert edit.textCursor().selectedText() == "{loyalty.code}"
        notes = panel.note.text()
        assert "{loyalty.code} is not a variable we know" in notes
        assert "{order.number} has no value — fill it in before sending." in notes
        hint = view.aids.hint
        await until(lambda: "{order.number} has no value" in hint.label.text(), what="hint")
        # sending is never blocked by a hint: the text goes out as it is
        await server.acall(lambda w: w.advance(1))
        QTest.keyClick(edit, Qt.Key.Key_Return)
        await until(lambda: edit.toPlainText() == "", what="sent")
        await until(hint.isHidden, what="hint gone with the text")
        assert panel.worker is not None and view.aids.worker is panel.worker  # one thread
        thread = panel.worker._thread
        assert await stop_client(client, task) == 0
        await until(lambda: not thread.isRunning(), what="the worker stopped with the window")

    run(qloop, scenario())


def test_refusal_marker_and_insert_reply_per_channel(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win, panel = await start(client, server)
        ws = win.workspace
        assert not ws.insert_reply("Hello")  # nothing open
        assert not panel.insert(1)
        # chat: at the composer's cursor
        iid, view = await my_chat(win, server, "Can I still get a refund? The return window "
                                               "closed, it is late")
        await until(lambda: "refund-refusal-en" in ids(panel), what="refusal template")
        n = ids(panel).index("refund-refusal-en")
        assert panel.cards[n].refusal.text() == "Refusal — decline, reason, alternative"
        assert all(not c.refusal.isVisibleTo(c) for i, c in enumerate(panel.cards) if i != n)
        view.composer.set_text("Hi! ")
        assert ws.insert_reply("Thanks for waiting.")
        assert view.composer.text() == "Hi! Thanks for waiting."
        # email: Reply opens with the text at the top
        eid = await server.acall(lambda w: w.contact("email", subject="Invoice",
                                                     body="Please send my invoice."))
        await until(lambda: eid in win.state.interactions
                    and win.state.interactions[eid].offered_agent_id == win.state.my_id,
                    what="the email offered")
        win.open_interaction(eid)
        assert not ws.insert_reply("x")  # offered, not accepted: not yours to answer yet
        await take(win, eid)
        email = ws.view(eid)
        assert isinstance(email, EmailView)
        await until(email.can_send, what="the view knows it is mine")
        await until(lambda: email.loaded, what="thread")
        await until(lambda: "invoice-request-en" in ids(panel), what="invoice article")
        assert email.composer.isHidden()
        assert panel.insert(ids(panel).index("invoice-request-en") + 1)
        assert not email.composer.isHidden()
        body = email.composer.plain_text()
        article = next(s for s in panel.suggestions() if s.ref_id == "invoice-request-en")
        assert body.startswith(article.text[:40])
        assert email.composer.body.hasFocus()
        # phone: the call notes; typing in them asks again
        pid = await server.acall(lambda w: w.server.inbound_contact(InboundContact(
            channel="phone", identity_kind="phone", identity="+15550002", queue="General",
            subject="Call")))
        me = win.state.my_id
        await until(lambda: pid in win.state.interactions
                    and win.state.interactions[pid].offered_agent_id == me, what="call")
        win.open_interaction(pid)
        phone = ws.view(pid)
        assert isinstance(phone, PhoneView)
        ack = await win.controller.accept(pid)
        assert ack is not None and ack.ok
        await until(lambda: phone.is_mine(), what="answered")
        QTest.keyClicks(phone.notes.edit, "Customer says the parcel arrived broken, wants "
                                          "a refund")
        await until(lambda: ids(panel)[:1] == ["refund-broken-en"], what="notes suggestions")
        assert ws.insert_reply(" Offered a refund.")
        assert phone.notes.text().endswith("wants a refund Offered a refund.")
        assert await stop_client(client, task) == 0

    run(qloop, scenario())


def test_worker_latest_wins_shortcuts_and_stop(qtbot: Any, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    missing = SuggestWorker(tmp_path / "none.db", parent)
    with qtbot.waitSignal(missing.sig_failed, timeout=5000) as failed:
        token = missing.request("refund", "en")
    assert failed.args == [token, MISSING]
    missing.stop()
    worker = SuggestWorker(make_kb(tmp_path / "kb.db"), parent)
    answers: list[int] = []
    worker.sig_suggestions.connect(lambda t, _found: answers.append(t))
    worker.request("where is my parcel", "en")
    with qtbot.waitSignal(worker.sig_suggestions, timeout=5000) as got:
        last = worker.request("My blender arrived broken, I want a refund.", "en")
    assert got.args[0] == last and answers == [last]
    assert got.args[1][0].ref_id == "refund-broken-en"
    qtbot.waitUntil(lambda: worker.shortcuts_loaded, timeout=5000)
    assert worker.shortcut("#Refund", "zh_CN").id == "refund-broken-zh"  # type: ignore[union-attr]
    assert worker.shortcut("refund", "en").id == "refund-broken-en"  # type: ignore[union-attr]
    assert worker.shortcut("refund", None) is not None
    assert worker.shortcut("nothing", "en") is None
    # a template arriving by sync (another connection) is found after ``refresh``
    store = KBStore(tmp_path / "kb.db")
    TemplateStore(store).upsert_template(Template(
        id="thanks-en", title="Thanks", body="Thank you, {customer.first_name}!",
        language="en", shortcut="thanks"))
    store.close()
    with qtbot.waitSignal(worker.sig_shortcuts_changed, timeout=5000):
        worker.refresh()
    assert worker.shortcut("thanks").id == "thanks-en"  # type: ignore[union-attr]
    thread = worker._thread
    worker.stop()
    assert not thread.isRunning()
    assert worker.request("refund", "en") > last  # ignored once stopped, never raises


def test_reply_values_from_the_customer_360() -> None:
    from datetime import UTC, date, datetime

    from agent_desk.protocol import views as pv
    from agent_desk.ui.reply_values import reply_values

    def order(number: str, day: int, status: str) -> pv.OrderView:
        return pv.OrderView(number=number, placed_at=datetime(2025, 3, day, tzinfo=UTC),
                            status=status, total="10.00", currency="CNY")

    cust = pv.Customer360(id=3, name="王芳", tier="gold", language="zh", identities=[
        pv.IdentityView(kind="phone", value="+8613800000003"),
        pv.IdentityView(kind="email", value="wangfang@example.cn")],
        orders=[order("A1", 2, "delivered"), order("A7", 9, "shipped"), order("A3", 5, "x")])
    values = reply_values(None, cust, "Li Na", date(2025, 3, 12))
    assert values == {
        "customer.name": "王芳", "customer.first_name": "王芳", "customer.tier": "金卡会员",
        "customer.email": "wangfang@example.cn", "customer.phone": "+8613800000003",
        "order.number": "A7", "order.status": "shipped", "agent.name": "Li Na",
        "agent.first_name": "Li", "today": "2025年3月12日"}
    bare = reply_values(None, None, "—", date(2025, 3, 12))
    assert bare == {"today": "12 March 2025"}  # nothing known: every other variable flagged
