"""The reply-template editor against the real backend and the real local KB file: a lead
writes a template with a shortcut — an unknown variable is shown and blocks saving (the
customer would read it as written), the preview shows what the customer reads, a refusal
without a reason or alternative and a forbidden promise are flagged; the saved template
shows at once, then comes back with the sync and ``TemplateStore.by_shortcut`` finds it in
the local file; an edit makes version 2; a duplicate shortcut is refused by the server and
shown with the text kept; a retired template leaves the list and the local file's
shortcuts. An agent sees the templates read-only. The list model and its filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from agent_desk.kb.store import KBStore
from agent_desk.kb.template_store import Template, TemplateStore
from agent_desk.protocol import kb
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.template_editor import TemplateEditor
from agent_desk.ui.template_list_model import (
    COL_REFUSAL,
    COL_SHORTCUT,
    TemplateFilter,
    TemplateListModel,
)
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    qloop_fixture,
    run,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)
from tests.ui.test_main_window import signed_in

SHOT = Path("/tmp/template_editor.png")


def local_by_shortcut(path: Path, shortcut: str, language: str = "en") -> Template | None:
    store = KBStore(path, create=False)
    try:
        return TemplateStore(store).by_shortcut(shortcut, language)
    finally:
        store.close()


async def open_editor(win: MainWindow) -> TemplateEditor:
    """The editor over the window's local KB once the first sync completed."""
    await until(lambda: win.controller.kb_syncer is not None
                and win.controller.kb_syncer.status.synced_at is not None, what="first sync")
    editor = TemplateEditor(win.context, win)
    listed: list[int] = []
    editor.sig_listed.connect(lambda: listed.append(1))
    editor.reload()
    await until(lambda: listed, what="the list")
    editor.show()
    return editor


def test_lead_writes_saves_edits_and_retires_templates(qloop, server, ui_env, qapp) -> None:
    app = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(app, server, "lead")
        editor = await open_editor(win)
        path = win.context.kb_path
        assert path is not None and editor.model.rowCount() == 0
        assert editor.btn_new.isVisible() and not editor.read_only_note.isVisible()
        saved: list[kb.TemplateView] = []
        failed: list[str] = []
        editor.sig_saved.connect(saved.append)
        editor.sig_failed.connect(failed.append)

        # a new template with a shortcut typed with its "#" and an unknown variable
        editor.new_template()
        editor.form.title.setText("Broken on arrival")
        editor.form.shortcut.setText("#broken")
        editor.form.shortcut.textEdited.emit("#broken")  # what typing does
        assert editor.form.shortcut.text() == "broken"
        editor.form.body.setPlainText("Hi {customer.first_name}, order {order.number}: "
                                      "{foo}. — {agent.name}")
        assert editor.form.blocking and "{foo}" in editor.form.blocking[0]
        assert editor.form.problem_line.isVisibleTo(editor)
        preview = editor.form.preview.toPlainText()
        assert preview == "Hi Carol, order ORD-1001: {foo}. — Lead"
        assert "Carol Smith" in editor.form.caption.text()
        editor.save()  # blocked: the customer would read "{foo}"
        assert failed and "marked in red" in failed[-1] and editor.banner.isVisibleTo(editor)
        assert not saved and editor.current is None

        # a bad shortcut blocks too; a refusal without reason/alternative is advised
        editor.form.shortcut.setText("bro ken")
        editor.form.body.setPlainText("Unfortunately we cannot refund this.")
        editor.form.update_check()
        assert any("shortcut" in p for p in editor.form.blocking)
        editor.form.refusal.setChecked(True)
        assert any("say why" in a for a in editor.form.advice)
        assert any("alternative" in a for a in editor.form.advice)
        editor.form.body.setPlainText("We can't refund opened items because of hygiene "
                                      "rules, but we can offer you a replacement. Delivery "
                                      "is guaranteed tomorrow.")
        assert not any("say why" in a or "offer an alternative" in a
                       for a in editor.form.advice), editor.form.advice
        assert any("guaranteed tomorrow" in a for a in editor.form.advice)

        # a valid template: saved, shown at once, then synced into the local file
        editor.form.refusal.setChecked(False)
        editor.form.shortcut.setText("broken")
        editor.form.tags.setText("damaged, 损坏")
        editor.form.body.setPlainText("Hi {customer.first_name}, I'm sorry order "
                                      "{order.number} arrived broken. — {agent.name}")
        editor.form.update_check()
        assert not editor.form.blocking
        editor.save()
        await until(lambda: saved, what="saved")
        tid = saved[0].id
        assert saved[0].version == 1 and saved[0].shortcut == "broken"
        assert editor.current is not None and editor.current.id == tid
        assert editor.model.row_of(tid) is not None  # from the server's answer
        await until(lambda: not editor.unsynced, what="the sync brought it")
        assert editor.model.row_of(tid) is not None
        found = local_by_shortcut(path, "#Broken")
        assert found is not None and found.id == tid and found.tags == ["damaged", "损坏"]
        row = editor.model.row_of(tid) or 0
        assert editor.model.index(row, COL_SHORTCUT).data() == "#broken"

        # edit and save: version 2, in the local file after the sync
        body = editor.form.body
        body.setPlainText(body.toPlainText() + "\nA replacement is on its way.")
        assert editor.btn_save.isEnabled()
        editor.save()
        await until(lambda: len(saved) == 2, what="version 2")
        assert saved[1].version == 2 and saved[1].id == tid
        await until(lambda: not editor.unsynced, what="version 2 synced")
        found = local_by_shortcut(path, "broken")
        assert found is not None and found.version == 2 and "replacement" in found.body
        assert "Version 2" in editor.status.text()

        # the same shortcut in the same language: refused by the server, the text kept
        editor.new_template()
        editor.form.title.setText("Another broken item")
        editor.form.shortcut.setText("broken")
        editor.form.body.setPlainText("Hello {customer.name}, sorry about that.")
        editor.form.update_check()
        assert any("#broken" in a for a in editor.form.advice)  # advice, not a block
        n_failed = len(failed)
        editor.save()
        await until(lambda: len(failed) > n_failed, what="refusal")
        assert "already used" in failed[-1] and editor.banner.isVisibleTo(editor)
        assert editor.form.body.toPlainText() == "Hello {customer.name}, sorry about that."
        assert editor.current is None and len(saved) == 2

        # picking the template in the list: unsaved text is not lost without asking
        answers = [False, True]
        editor.confirm_discard = lambda: answers.pop(0)  # type: ignore[method-assign]
        editor.table.selectRow(0)
        await until(lambda: not editor.table.selectionModel().hasSelection(), what="kept")
        assert editor.current is None
        assert editor.form.body.toPlainText() == "Hello {customer.name}, sorry about that."
        editor.table.selectRow(0)
        assert editor.current is not None and editor.current.id == tid and not answers
        del editor.confirm_discard  # asks again (nothing unsaved from here on)
        assert editor.form.shortcut.text() == "broken" and not editor.banner.isVisible()
        SHOT.unlink(missing_ok=True)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        editor.grab().save(str(SHOT))
        assert SHOT.stat().st_size > 0

        # retire (confirmed): gone at once and, after the sync, from the local shortcuts
        asked: list[str] = []
        editor.confirm_retire = lambda t: asked.append(t.id) or True  # type: ignore[method-assign]
        editor.retire()
        await until(lambda: len(saved) == 3, what="retired")
        assert asked == [tid] and saved[2].active is False
        assert editor.model.row_of(tid) is None and editor.current is None
        await until(lambda: not editor.unsynced, what="retirement synced")
        assert editor.model.row_of(tid) is None
        assert local_by_shortcut(path, "broken") is None
        editor.close()
        assert await stop_client(app, task) == 0

    run(qloop, scenario(), timeout=90)


def test_agent_sees_templates_read_only(qloop, server, ui_env, qapp) -> None:
    async def seed() -> str:
        lead = await server.acall(lambda w: w.login("lead"))
        ack = await server.acall(lambda w: lead.cmd(
            kb.KbSaveTemplate, title="Delivery delayed", language="en",
            body="Hi {customer.first_name}, your parcel is delayed.", shortcut="late"))
        assert ack.ok, ack
        return str(ack.result["id"])  # type: ignore[index]

    app = ui_env.client(qapp)

    async def scenario() -> None:
        tid = await seed()
        task, win = await signed_in(app, server, "ann")
        editor = await open_editor(win)
        await until(lambda: editor.model.row_of(tid) is not None, what="listed")
        editor.search.setText("parcel")  # the text filter finds it by its body
        assert editor.proxy.rowCount() == 1 and "1" in editor.count.text()
        editor.table.selectRow(0)
        assert editor.current is not None and editor.current.id == tid
        assert editor.read_only_note.isVisible()
        for b in (editor.btn_new, editor.btn_save, editor.btn_retire):
            assert not b.isVisible()
        assert editor.form.title.isReadOnly() and editor.form.body.isReadOnly()
        assert not editor.form.language.isEnabled() and not editor.form.refusal.isEnabled()
        assert editor.form.preview.toPlainText() == "Hi Carol, your parcel is delayed."
        failed: list[str] = []
        editor.sig_failed.connect(failed.append)
        editor.save()  # nothing happens
        editor.new_template()
        assert not failed and editor.current is not None and editor.current.id == tid
        editor.close()
        assert await stop_client(app, task) == 0

    run(qloop, scenario(), timeout=60)


def test_list_model_and_filter(qapp, qtmodeltester) -> None:
    model = TemplateListModel()
    rows = [Template(id="a", title="Refund", body="money back {order.number}", language="en",
                     shortcut="refund", refusal=True, tags=["refund"]),
            Template(id="b", title="退款说明", body="退款 {customer.name}", language="zh-CN"),
            Template(id="c", title="Greeting", body="Hello", language="en", shortcut="hi")]
    model.set_templates(rows)
    qtmodeltester.check(model)
    assert model.index(0, COL_SHORTCUT).data() == "#refund"
    assert model.index(0, COL_REFUSAL).data() == "Refusal"
    assert model.index(1, COL_SHORTCUT).data() == ""
    proxy = TemplateFilter()
    proxy.setSourceModel(model)
    proxy.set_filter("zh", "")
    assert proxy.rowCount() == 1
    proxy.set_filter("", "#HI")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Greeting"
    proxy.set_filter("en", "money")
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    model.upsert(Template(id="a", title="Refund", body="x", language="en", active=False))
    assert model.row_of("a") is None and model.rowCount() == 2
