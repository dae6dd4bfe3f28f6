"""The article editor against the real backend: an agent turns a resolved chat into an
article (names replaced by variables), saves it and submits it for review but cannot
publish; a lead finds it under "In review", previews it (nothing remote loaded), returns it
with a note, publishes the next version; a save based on an old version is refused and the
text kept; the list flags articles whose review date has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from agent_desk.client.connection import Connection
from agent_desk.protocol import kb
from agent_desk.protocol import messages as m
from agent_desk.protocol.enums import ArticleState
from agent_desk.ui.article_editor import ArticleEditor
from agent_desk.ui.article_list_model import OVERDUE_ROLE, ArticleListModel, is_overdue
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
from tests.ui.test_customer_panel import offered_to_me
from tests.ui.test_main_window import signed_in


async def resolved_chat(win: MainWindow, server: ServerThread) -> int:
    iid = await offered_to_me(win, server, "chat", "Refund for a broken kettle")
    for cmd in (m.SendMessage(key=Connection.new_key(), interaction_id=iid,
                              body="Carol, I have refunded order A-1001 to your card today."),
                m.Close(key=Connection.new_key(), interaction_id=iid),
                m.WrapUp(key=Connection.new_key(), interaction_id=iid,
                         disposition="refund_issued", resolved_first_contact=True)):
        ack = await win.controller.send(cmd, "failed")
        assert ack is not None and ack.ok, ack
    return iid


def test_agent_proposes_and_lead_reviews_and_publishes(qloop, server, ui_env, qapp) -> None:
    agent_app = ui_env.client(qapp)

    async def agent_part() -> str:
        task, win = await signed_in(agent_app, server)
        await win.controller.set_state("available")
        iid = await resolved_chat(win, server)
        past = win.customer.open_past(iid, "Refund for a broken kettle")
        await until(lambda: past.detail is not None, what="the transcript")
        proposal = past.proposal()
        assert proposal is not None
        title, body, language = proposal
        assert title == "Refund for a broken kettle" and language == "en"
        assert "{customer.first_name}, I have refunded" in body and "Carol" not in body
        assert "refunded order" in body and "**Question:**" in body
        assert past.btn_propose.isVisible() and past.btn_propose.isEnabled()
        past.btn_propose.click()  # the window's editor opens with the draft
        editor = win.knowledge.editor
        assert editor is not None and editor.isVisible()
        assert editor.title.text() == title and editor.body.toPlainText() == body
        assert str(iid) in editor.status.text()
        past.close()
        assert not editor.btn_publish.isVisible()  # agents do not publish
        editor.tags.setText("refund, 退款")
        editor.save()
        await until(lambda: editor.current is not None, what="saved draft")
        art = editor.current
        assert art is not None and art.state == ArticleState.DRAFT
        assert art.source_interaction_id == iid and art.tags == ["refund", "退款"]
        await until(lambda: editor.btn_submit.isEnabled(), what="submit enabled")
        editor.btn_submit.click()
        await until(lambda: editor.current is not None
                    and editor.current.state == ArticleState.IN_REVIEW, what="in review")
        editor.close()
        assert await stop_client(agent_app, task) == 0
        return art.id

    lead_app = ui_env.client(qapp)

    async def lead_part(article_id: str) -> None:
        task, win = await signed_in(lead_app, server, "lead")
        win.act_articles.trigger()  # Knowledge ▸ Articles… (Ctrl+Shift+J)
        editor = win.knowledge.editor
        assert isinstance(editor, ArticleEditor) and editor.isVisible()
        editor.filter.setCurrentIndex(editor.filter.findData("in_review"))
        await until(lambda: editor.model.row_of(article_id) is not None, what="listed")
        editor.table.selectRow(editor.model.row_of(article_id) or 0)
        await until(lambda: editor.current is not None and editor.current.id == article_id,
                    what="opened")
        assert editor.btn_publish.isVisible() and editor.btn_publish.isEnabled()
        assert editor.versions.count() == 1
        editor.body.setPlainText(editor.body.toPlainText()
                                 + "\n\n![tracker](http://example.com/t.png)")
        editor.tabs.setCurrentWidget(editor.preview)
        assert "refunded order" in editor.preview.toPlainText()
        assert editor.preview.resource_requests <= 1  # asked for, and refused (None)
        editor.save()  # a second version, still in review → saved as draft
        await until(lambda: editor.current is not None and editor.current.version == 2,
                    what="version 2")
        editor.act("publish")
        await until(lambda: editor.current is not None
                    and editor.current.state == ArticleState.PUBLISHED, what="published")
        assert editor.current.published_version == 2
        assert editor.current.reviewer_name

        # someone else saves meanwhile: a save from the old version is refused, text kept
        ack = await win.controller.send(kb.KbSaveArticle(
            key=Connection.new_key(), article_id=article_id, base_version=2,
            title="Refunds for broken items", body="Newer text", language="en"), "failed")
        assert ack is not None and ack.ok, ack
        editor.body.setPlainText("My edit from version 2")
        editor.save()
        await until(lambda: editor.banner.isVisible(), what="conflict shown")
        assert editor.body.toPlainText() == "My edit from version 2"
        editor._dirty = False
        editor.close()
        win.act_templates.trigger()  # Knowledge ▸ Reply templates…
        templates = win.knowledge.templates
        assert templates is not None and templates.isVisible()
        templates.close()
        assert await stop_client(lead_app, task) == 0

    async def scenario() -> None:
        article_id = await agent_part()
        await lead_part(article_id)

    run(qloop, scenario(), timeout=120)


def test_review_overdue_is_flagged_in_the_list(qapp) -> None:
    now = datetime.now(UTC)
    overdue = kb.ArticleView(id="a1", title="Old", language="en",
                             state=ArticleState.PUBLISHED, version=1,
                             review_due=date.today() - timedelta(days=1), updated_at=now)
    fine = kb.ArticleView(id="a2", title="Fresh", language="zh",
                          state=ArticleState.PUBLISHED, version=1,
                          review_due=date.today() + timedelta(days=30), updated_at=now)
    draft = kb.ArticleView(id="a3", title="Draft", language="en", state=ArticleState.DRAFT,
                           version=1, review_due=date.today() - timedelta(days=9),
                           updated_at=now)
    assert is_overdue(overdue) and not is_overdue(fine) and not is_overdue(draft)
    model = ArticleListModel()
    model.set_articles([overdue, fine, draft])
    assert [model.index(r, 0).data(OVERDUE_ROLE) for r in range(3)] == [True, False, False]
    # narrowing and reordering keeps rows by id (no reset)
    removed: list[int] = []
    model.rowsRemoved.connect(lambda _p, first, _last: removed.append(first))
    model.set_articles([draft, overdue])
    assert [model.article(r).id for r in range(2)] == ["a3", "a1"]  # type: ignore[union-attr]
    assert removed == [1]


def test_wrap_up_turns_the_answer_into_an_article(qloop, server, ui_env, qapp) -> None:
    client = ui_env.client(qapp)

    async def scenario() -> None:
        task, win = await signed_in(client, server)
        await win.controller.set_state("available")
        iid = await offered_to_me(win, server, "chat", "Where is my parcel")
        win.open_interaction(iid)
        for cmd in (m.SendMessage(key=Connection.new_key(), interaction_id=iid,
                                  body="Your parcel left our warehouse today; tracking "
                                       "updates within 24 hours."),
                    m.Close(key=Connection.new_key(), interaction_id=iid)):
            ack = await win.controller.send(cmd, "failed")
            assert ack is not None and ack.ok, ack
        view = win.workspace.view(iid)
        await until(lambda: getattr(view, "wrap_up", None) is not None
                    and view.wrap_up.isVisible(), what="wrap-up panel")
        panel = view.wrap_up
        assert panel.propose_button.isVisible()
        panel.propose_button.click()
        await until(lambda: win.knowledge.editor is not None
                    and win.knowledge.editor.isVisible(), what="editor with the draft")
        editor = win.knowledge.editor
        assert editor.title.text() == "Where is my parcel"
        assert "tracking updates within 24 hours" in editor.body.toPlainText()
        assert str(iid) in editor.status.text()
        editor._dirty = False
        editor.close()
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), timeout=90)
