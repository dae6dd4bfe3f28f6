"""The knowledge-base panel and its search thread, on a real KB file (the sample articles
imported with ``agent_desk.kb.importer``): typos and two-character Chinese words find their
article, every keystroke is answered, the selection stays on its article as the query
narrows, Insert / Insert link / Copy / This helped (counted in the file), prefill waits
while the agent types, a missing file says so (and is picked up once it appears), bad
input never errors, the results model passes the model tester, and the thread stops."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from agent_desk.kb.importer import import_path
from agent_desk.kb.store import Article, KBStore
from agent_desk.protocol import views as v
from agent_desk.protocol.enums import Channel, InteractionState, Tier
from agent_desk.ui import kb_search_worker
from agent_desk.ui.kb_panel import TYPING_GRACE_S, KnowledgePanel, article_link, trim_message
from agent_desk.ui.kb_results_model import KbResultsModel, ResultRow
from agent_desk.ui.kb_search_worker import KbSearchWorker, answer_text
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    qloop_fixture,
    server_fixture,
    ui_env_fixture,
)

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "kb" / "sample_articles.jsonl"


def make_kb(path: Path) -> Path:
    with KBStore(path) as store:
        report = import_path(store, SAMPLES)
        assert report.imported == 60 and not report.errors
    return path


def counts(path: Path, article_id: str) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT usage_count, helped_count FROM kb_article WHERE id=?",
                           (article_id,)).fetchone()
    return int(row[0]), int(row[1])


def interaction(iid: int = 7, language: str = "en", preview: str = "") -> v.InteractionView:
    now = datetime.now(UTC)
    return v.InteractionView(
        id=iid, channel=Channel.CHAT, state=InteractionState.ASSIGNED, queue_id=1,
        preview=preview,
        customer=v.CustomerBrief(id=3, name="王芳", tier=Tier.GOLD, language=language),
        created_at=now, first_response_due_at=now, resolution_due_at=now)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    return make_kb(tmp_path / "kb.db")


@pytest.fixture
def worker(qapp, kb_file: Path):  # type: ignore[no-untyped-def]
    w = KbSearchWorker(kb_file)
    yield w
    w.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def panel(qtbot, worker: KbSearchWorker, clock: Clock) -> KnowledgePanel:
    p = KnowledgePanel(None, worker=worker, now=clock)
    qtbot.addWidget(p)
    p.resize(380, 680)
    p.show()
    return p


def ime_commit(widget: QWidget, text: str) -> None:
    """What an input method does when the agent picks ``text`` (QTest can only type ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def answered(panel: KnowledgePanel) -> bool:
    return not panel._issued and panel._answered


def search(qtbot, panel: KnowledgePanel, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    panel.set_query(text)
    qtbot.waitUntil(lambda: answered(panel), timeout=5000)
    return panel.model.ids()


def test_typo_and_two_chinese_characters_find_the_refund_article(qtbot, panel) -> None:
    panel.search.setFocus()
    QTest.keyClicks(panel.search, "refnd")
    qtbot.waitUntil(lambda: answered(panel) and panel.query() == "refnd", timeout=5000)
    assert panel.model.ids()[0] == "refund-policy-en"
    assert panel.stack.currentWidget() is panel.results
    assert panel.results.currentIndex().row() == 0  # the best one is selected ...
    qtbot.waitUntil(lambda: panel._doc is not None, timeout=5000)  # ... and previewed
    assert panel.preview_title.text().startswith("Refund policy")
    assert "original payment method" in panel.preview.toPlainText()
    assert "<span" in str(panel.model.index(0).data(Qt.ItemDataRole.UserRole + 2))  # marked
    panel.search.clear()
    ime_commit(panel.search, "退")  # as a Chinese input method types, a character at a time
    ime_commit(panel.search, "款")
    qtbot.waitUntil(lambda: answered(panel) and panel.query() == "退款", timeout=5000)
    assert panel.model.ids()[0] == "refund-policy-zh"


def test_every_keystroke_is_answered(qtbot, panel, worker) -> None:
    seen: list[int] = []
    worker.sig_results.connect(lambda token, _hits: seen.append(token))
    panel.search.setFocus()
    for n, ch in enumerate("refund", 1):
        QTest.keyClicks(panel.search, ch)
        token = panel._issued[-1]
        qtbot.waitUntil(lambda t=token: t in seen, timeout=5000)  # this keystroke's answer
        assert answered(panel)
        if n >= 3:  # "ref", "refu" (prefix), "refun", "refund"
            assert "refund-policy-en" in panel.model.ids()[:3], panel.query()


def test_selection_survives_narrowing_and_the_model_is_sound(qtbot, panel,
                                                             qtmodeltester) -> None:
    qtmodeltester.check(panel.model)  # stays attached: every change below is checked
    ids = search(qtbot, panel, "refund")
    assert "refund-status-en" in ids and ids[0] != "refund-status-en"
    resets: list[int] = []
    panel.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    assert panel.select("refund-status-en")
    panel.search.setFocus()
    for ch in " sta":
        QTest.keyClicks(panel.search, ch)
        qtbot.waitUntil(lambda: answered(panel), timeout=5000)
        assert panel.current_id() == "refund-status-en", panel.query()
    assert panel.model.ids()[0] == "refund-status-en"  # it moved up; the selection followed
    assert panel.results.selectionModel().isRowSelected(0)
    assert not resets  # rows removed, moved and inserted: never a reset


def test_model_diff_keeps_order_and_content(qapp, qtmodeltester) -> None:
    model = KbResultsModel()
    qtmodeltester.check(model, force_py=True)

    def rows(*ids: str) -> list[ResultRow]:
        return [ResultRow(i, f"T {i}", "", "en", (), i, i) for i in ids]

    for order in (("a", "b", "c"), ("c", "a", "x", "y"), ("y",), (), ("b", "a", "b"),
                  ("e", "d", "c", "b", "a"), ("a", "c", "e", "f")):
        model.set_rows(rows(*order))
        assert model.ids() == list(dict.fromkeys(order))


def test_insert_link_and_keyboard(qtbot, panel) -> None:
    search(qtbot, panel, "refund")
    qtbot.waitUntil(lambda: panel._doc is not None, timeout=5000)
    with qtbot.waitSignal(panel.sig_insert, timeout=5000) as sig:
        panel.insert_button.click()
    text = sig.args[0]
    assert text.startswith("Once we receive and check a returned item")
    assert "**" not in text and "- Card payments" in text  # Markdown marks gone, lists kept
    with qtbot.waitSignal(panel.sig_insert, timeout=5000) as sig:
        panel.link_button.click()
    assert sig.args[0] == ("Refund policy: how and when you get your money back — "
                           "https://help.example.com/kb/refund-policy-en")
    # Down in the search box moves the selection; Enter inserts that article's answer
    panel.search.setFocus()
    QTest.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.current_id() == panel.model.ids()[1]
    with qtbot.waitSignal(panel.sig_insert, timeout=5000) as sig:
        QTest.keyClick(panel.search, Qt.Key.Key_Return)
    assert sig.args[0].startswith("If the customer says the refund has not arrived")


def test_clearing_and_searching_again_shows_the_preview_again(qtbot, panel) -> None:
    search(qtbot, panel, "refund")
    qtbot.waitUntil(lambda: panel._doc is not None, timeout=5000)
    panel.set_query("")  # cleared: nothing to ask
    assert panel.model.ids() == []
    assert panel.message.text() == "Type to search the knowledge base"
    assert not panel.preview_box.isVisible()
    search(qtbot, panel, "refund")
    qtbot.waitUntil(lambda: panel._doc is not None and panel.preview_box.isVisible(),
                    timeout=5000)
    assert panel.insert_button.isEnabled()


def test_copy_fills_the_clipboard(qtbot, panel) -> None:
    QGuiApplication.clipboard().setText("")
    search(qtbot, panel, "warranty")
    assert panel.current_id() == "warranty-coverage-en"
    panel.copy_button.click()  # may wait for the article's text
    qtbot.waitUntil(lambda: bool(QGuiApplication.clipboard().text()), timeout=5000)
    assert QGuiApplication.clipboard().text() == panel._doc.answer
    assert "Copied" in panel.note.text()


def test_this_helped_is_counted_in_the_file(qtbot, panel, worker, kb_file) -> None:
    panel.set_interaction(interaction(7))
    search(qtbot, panel, "lost parcel")
    article = panel.current_id()
    assert article == "lost-parcel-en"
    before = counts(kb_file, article)
    used: list[tuple[int, str, str]] = []
    panel.sig_used.connect(lambda *a: used.append(a))
    with qtbot.waitSignal(worker.sig_recorded, timeout=5000) as sig:
        panel.helped_button.click()
    assert sig.args == [article, True]
    assert counts(kb_file, article) == (before[0] + 1, before[1] + 1)
    assert not panel.helped_button.isEnabled()  # once per article and interaction
    panel.helped_button.click()
    assert used == [(7, article, panel.model.row(0).title)]
    # an insert counts a use (once per interaction), not a "helped"
    with qtbot.waitSignal(worker.sig_recorded, timeout=5000) as sig:
        panel.act("link")
    assert sig.args == [article, False]
    panel.act("link")
    qtbot.waitUntil(lambda: counts(kb_file, article) == (before[0] + 2, before[1] + 1))


def test_prefill_never_clobbers_what_the_agent_types(qtbot, panel, clock) -> None:
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    assert panel.prefill("Hello, I want my money back for order 1234 please. " * 10)
    assert panel.query() == trim_message("Hello, I want my money back for order 1234 please. "
                                         * 10) and len(panel.query()) <= 200
    qtbot.waitUntil(lambda: answered(panel), timeout=5000)
    assert panel.model.ids()  # "money back" is a synonym of refund
    panel.search.setFocus()
    panel.search.selectAll()
    QTest.keyClicks(panel.search, "warr")
    assert not panel.prefill("Where is my parcel?")  # typing right now: left alone
    assert panel.query() == "warr"
    clock.t += TYPING_GRACE_S + 1  # the agent stopped typing a while ago
    assert panel.prefill("Where is my parcel?")
    assert panel.query() == "Where is my parcel?"
    panel.results.setFocus()  # not in the box: prefill at once
    assert panel.prefill("发票")
    assert panel.query() == "发票"


def test_language_and_query_follow_the_interaction(qtbot, panel) -> None:
    panel.set_interaction(interaction(1, "zh"))
    assert search(qtbot, panel, "refund")[0].endswith("-zh")  # the customer's language first
    panel.set_interaction(interaction(2, "en", preview="my invoice is wrong"))
    assert panel.query() == "my invoice is wrong"  # a new interaction: its last message
    qtbot.waitUntil(lambda: answered(panel), timeout=5000)
    assert panel.model.ids()[0] == "invoice-correction-en"
    panel.set_interaction(interaction(1, "zh"))
    assert panel.query() == "refund"  # what was searched for that interaction comes back


def test_missing_file_says_so_and_is_picked_up_when_it_appears(qtbot, tmp_path, monkeypatch
                                                                ) -> None:
    monkeypatch.setattr(kb_search_worker, "POLL_MS", 50)
    path = tmp_path / "later.db"
    path.write_bytes(b"")  # created but not synced yet
    worker = KbSearchWorker(path)
    try:
        p = KnowledgePanel(None, worker=worker)
        qtbot.addWidget(p)
        p.show()
        assert p.message.text() == "The knowledge base is not available offline yet"
        p.set_query("refund")
        qtbot.waitUntil(lambda: not p._issued, timeout=5000)
        assert worker.status == "missing"
        assert p.stack.currentWidget() is p.message
        assert p.message.text() == "The knowledge base is not available offline yet"
        path.unlink()
        make_kb(path)  # the first sync wrote it
        qtbot.waitUntil(lambda: p.model.rowCount() > 0, timeout=5000)
        assert p.model.ids()[0] == "refund-policy-en"
        assert worker.status == "ready"
    finally:
        worker.stop()


def test_the_empty_state_follows_the_file(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(kb_search_worker, "POLL_MS", 50)
    path = tmp_path / "kb.db"
    worker = KbSearchWorker(path)
    try:
        p = KnowledgePanel(None, worker=worker)
        qtbot.addWidget(p)
        p.show()  # the first show asks the worker whether there is a file
        assert p.message.text() == "The knowledge base is not available offline yet"
        qtbot.waitUntil(lambda: worker.status == "missing", timeout=5000)
        make_kb(path)
        qtbot.waitUntil(lambda: p.message.text() == "Type to search the knowledge base",
                        timeout=5000)
    finally:
        worker.stop()


def test_no_file_at_all(qtbot) -> None:
    p = KnowledgePanel(None)  # no context: no file, its own worker
    qtbot.addWidget(p)
    p.set_query("refund")
    qtbot.waitUntil(lambda: not p._issued, timeout=5000)
    assert p.message.text() == "The knowledge base is not available offline yet"
    assert not p.insert_button.isEnabled() and not p.act("insert")
    p.shutdown()
    assert not p.worker.is_running()


def test_a_changed_file_refreshes_the_results(qtbot, panel, kb_file, monkeypatch) -> None:
    assert search(qtbot, panel, "teleporter") == []
    assert panel.message.text() == "No articles match “teleporter”."
    with KBStore(kb_file) as other:  # another connection (the sync) adds an article
        other.upsert(Article(id="teleporter-en", title="Teleporter returns",
                             body="Teleporters can be returned within 14 days.",
                             language="en", tags=["teleporter"]))
    qtbot.waitUntil(lambda: panel.model.ids() == ["teleporter-en"], timeout=8000)


@pytest.mark.parametrize("query", ["x" * 10_000, '"*NEAR-()', "退款 🙂 refund NEAR(a b) -x",
                                   "🙂🙂🙂", "AND OR NOT", "\u200b\u0000\ufffd", "  "])
def test_bad_input_shows_no_error(qtbot, panel, worker, query) -> None:
    errors: list[tuple[int, str]] = []
    worker.sig_error.connect(lambda t, m: errors.append((t, m)))
    panel.set_query(query)
    qtbot.waitUntil(lambda: not panel._issued, timeout=10_000)
    assert not errors and not panel._error and worker.status != "error"
    assert "could not" not in panel.message.text()
    assert search(qtbot, panel, "refund")  # still searching


def test_latest_request_wins_and_the_thread_stops(qtbot, worker) -> None:
    got: list[tuple[int, int]] = []
    worker.sig_results.connect(lambda t, hits: got.append((t, len(hits))))
    tokens = [worker.request("refund"[: 1 + n % 6], None, 10, True, lane="t")
              for n in range(50)]
    qtbot.waitUntil(lambda: bool(got) and got[-1][0] == tokens[-1], timeout=10_000)
    assert len(got) + worker.dropped == 50  # every request answered or replaced
    assert [t for t, _ in got] == sorted(t for t, _ in got)
    thread = worker._thread
    assert thread is not None and thread.isRunning()
    worker.stop()
    assert not thread.isRunning() and not worker.is_running()
    worker.stop()  # idempotent
    worker.request("refund")  # after stop: ignored, no crash


def test_preview_loads_nothing_remote(qtbot, panel, kb_file) -> None:
    with KBStore(kb_file) as store:
        store.upsert(Article(
            id="tracker-en", title="Tracker pixel article",
            body="Look: ![x](https://evil.example/x.png) <img src='http://evil.example/y'>"
                 " [site](javascript:alert(1)) <script>alert(1)</script>",
            language="en", tags=["tracker"]))
    search(qtbot, panel, "tracker pixel")
    qtbot.waitUntil(lambda: panel._doc is not None and panel._doc.article.id == "tracker-en",
                    timeout=5000)
    browser = panel.preview
    assert browser.served == [] and browser.navigations == []
    assert "<script>" in browser.toPlainText() or "alert" in browser.toPlainText()  # as text
    assert not browser.open_link("javascript:alert(1)")


def test_answer_text_and_link_helpers() -> None:
    md = ("# Heading\n\nUse **bold** and *emphasis* and `code`.\n\n* one\n+ two\n"
          "1. first\n\n> quoted\n\nSee [the guide](https://example.com/g) or [here](/rel).\n"
          "snake_case_name stays")
    assert answer_text(md) == ("Heading\n\nUse bold and emphasis and code.\n\n- one\n- two\n"
                               "1. first\n\nquoted\n\nSee the guide (https://example.com/g) or"
                               " here.\nsnake_case_name stays")
    assert article_link("A/B", "x y", "https://kb.example/{id}") == \
        "A/B — https://kb.example/x%20y"
    assert article_link("T", "id", "no placeholder").endswith("help.example.com/kb/id")
    assert trim_message("  a\n b  ") == "a b"


# ---- in the signed-in main window -----------------------------------------------------------


def test_knowledge_tab_in_the_main_window_inserts_and_prelinks(qloop, server, ui_env, qapp
                                                                ) -> None:
    """The Knowledge tab beside the Customer tab, Ctrl+4 to its search box, Insert into the
    chat composer, and the used article pre-linked in the chat's wrap-up (sent with it)."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit

    from agent_desk.client.connection import Connection
    from agent_desk.protocol import messages as m
    from agent_desk.server.models import Interaction
    from tests.ui.test_app_support import run, stop_client, until
    from tests.ui.test_main_window import signed_in

    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        assert win.context.kb_path is not None
        make_kb(win.context.kb_path)  # what the sync brought (the test server has no KB)
        side = win.side
        assert [side.tabs.tabText(n) for n in range(side.tabs.count())] == ["Customer",
                                                                          "Knowledge"]
        assert win.customer is side.customer and win.kb is side.kb
        assert win.suggestions is not None  # the suggested replies below the tabs
        win.activateWindow()
        await until(win.isActiveWindow, what="the window active")
        QTest.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: win.kb.search.hasFocus(), what="Ctrl+4: the KB search box")
        assert side.tabs.currentWidget() is win.kb
        win.kb.set_query("refund")
        await until(lambda: answered(win.kb) and win.kb._doc is not None, what="results")
        controls = [w for cls in (QAbstractButton, QLineEdit, QAbstractItemView)
                    for w in side.findChildren(cls) if w.isVisibleTo(win)]
        assert controls and not [type(w).__name__ for w in controls if not w.accessibleName()]
        win.show_help()
        rows = dict(win._help.rows())
        assert rows["Ctrl+4"] == "Search the knowledge base"
        assert "insert the selected article" in rows["Enter"]
        win._help.close()
        win.status.notice.setText("")
        win.kb.insert_button.click()  # no conversation open: told so
        await until(lambda: "Open a conversation" in win.status.notice.text(), what="notice")
        # a chat of mine: Insert reaches its composer
        win.selector.choose("available")
        await until(lambda: win.selector.button.text() == "Available", what="available")
        iid = await server.acall(lambda w: w.contact("chat", subject="Money back?"))
        await until(lambda: win.queue.counts()["offers"] == 1, what="the offer")
        win.queue.accept_offer()
        await until(lambda: win.workspace.view(iid) is not None, what="the chat tab")
        view: Any = win.workspace.view(iid)
        await until(lambda: view.composer.isVisible() and view.composer.can_reply(),
                    what="the composer, mine to reply")
        assert win.kb.interaction is not None and win.kb.interaction.id == iid
        win.kb.set_query("refund")
        await until(lambda: answered(win.kb) and win.kb.current_id() == "refund-policy-en",
                    what="the refund article")
        win.kb.insert_button.click()
        await until(lambda: "original payment method" in view.composer.text(),
                    what="the answer in the composer")
        # the chat ends: its wrap-up has the article linked already
        ack = await win.controller.send(m.Close(key=Connection.new_key(), interaction_id=iid),
                                        "close")
        assert ack is not None and ack.ok, ack
        await until(lambda: view.wrap_up is not None, what="the wrap-up panel")
        panel = view.wrap_up
        await until(lambda: panel.kb_ids() == ["refund-policy-en"], what="pre-linked")
        assert panel.kb.worker is win.kb_search  # the window's search thread
        panel.kb.edit.setText("warranty")
        panel.kb.edit.textEdited.emit("warranty")
        await until(lambda: bool(panel.kb.suggestions()), what="articles offered")
        assert panel.kb.pick(0)
        assert panel.kb_ids() == ["refund-policy-en", "warranty-coverage-en"]
        panel.disposition.setCurrentIndex(panel.disposition.findData("resolved"))
        panel.done_button.click()
        await until(lambda: panel.done, what="wrapped up")
        assert server.sync(lambda s: s.get(Interaction, iid).kb_article_ids) == [
            "refund-policy-en", "warranty-coverage-en"]
        assert await stop_client(client, task) == 0
        assert not win.kb_search.is_running()  # the window stopped the search thread

    run(qloop, scenario())
