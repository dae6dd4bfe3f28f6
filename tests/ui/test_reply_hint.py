"""The "decline → reason → alternative" hint line under a reply composer (real widgets,
offscreen): it appears a moment after the agent stops typing a bare refusal, in English and
in Chinese, and disappears once a reason and an alternative are there; a promise the policy
does not allow is quoted; template variables left in the draft are listed until filled;
internal notes are not checked; the hint is only a label, so nothing about sending
changes (the chat view test in ``test_suggestions`` sends with a hint showing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from agent_desk.ui.chat_composer import ChatComposer
from agent_desk.ui.reply_hint import ReplyHint

DECLINE = ("Saying no? Give the reason and offer an alternative "
           "(decline → reason → alternative).")


def make(qtbot: Any, language: str | None = "en", edit: Any = None, **kw: Any
         ) -> tuple[QWidget, QPlainTextEdit | QTextEdit, ReplyHint]:
    box = QWidget()
    qtbot.addWidget(box)
    lay = QVBoxLayout(box)
    edit = edit if edit is not None else QPlainTextEdit(box)
    lay.addWidget(edit)
    hint = ReplyHint(edit, lambda: language, box, delay_ms=50, **kw)
    lay.addWidget(hint)
    box.show()
    return box, edit, hint


def test_decline_hint_appears_and_goes_when_fixed(qtbot: Any) -> None:
    _box, edit, hint = make(qtbot)
    assert hint.isHidden()
    QTest.keyClicks(edit, "Unfortunately we cannot refund this.")
    assert hint.isHidden()  # not while typing: after a quiet moment
    qtbot.waitUntil(lambda: not hint.isHidden(), timeout=2000)
    assert hint.lines() == [DECLINE]
    assert hint.label.styleSheet().startswith("QLabel { background: #fff4e5")  # amber
    QTest.keyClicks(edit, " The return window closed 30 days ago, because of our policy.")
    qtbot.wait(0)
    assert hint.check_now() == [DECLINE]  # a reason, but no alternative yet
    QTest.keyClicks(edit, " Instead, we can repair it under warranty.")
    qtbot.waitUntil(hint.isHidden, timeout=2000)
    assert hint.lines() == []


def test_chinese_draft(qtbot: Any) -> None:
    _box, edit, hint = make(qtbot, "zh")
    edit.setPlainText("很抱歉，我们无法退款。")
    qtbot.waitUntil(lambda: not hint.isHidden(), timeout=2000)
    assert hint.lines() == [DECLINE]
    edit.setPlainText("很抱歉，根据公司退货政策，超过30天无法退款，不过我们可以为您安排免费维修。")
    qtbot.waitUntil(hint.isHidden, timeout=2000)


def test_forbidden_promise_is_quoted(qtbot: Any) -> None:
    _box, edit, hint = make(qtbot)
    edit.setPlainText("Your parcel is guaranteed tomorrow!")
    qtbot.waitUntil(lambda: not hint.isHidden(), timeout=2000)
    assert hint.lines() == ["“guaranteed tomorrow” is a promise our policy does not allow."]
    edit.setPlainText("Your parcel should arrive within two days.")
    qtbot.waitUntil(hint.isHidden, timeout=2000)


def test_template_variables_are_listed_until_filled(qtbot: Any) -> None:
    _box, edit, hint = make(qtbot, edit=QTextEdit())
    edit.setPlainText("Your order {order.number} ships with code {loyalty.code}.")
    hint.expect([("order.number", "missing"), ("loyalty.code", "unknown")])
    assert hint.lines() == [
        "{order.number} has no value — fill it in before sending.",
        "{loyalty.code} is not a variable we know — replace it before sending."]
    edit.setPlainText("Your order A1043 ships with code {loyalty.code}.")
    qtbot.waitUntil(lambda: len(hint.lines()) == 1, timeout=2000)
    edit.setPlainText("Your order A1043 ships with code 7.")
    qtbot.waitUntil(hint.isHidden, timeout=2000)
    edit.setPlainText("Your order {order.number}.")  # forgotten: not flagged again
    assert hint.check_now() == []


def test_notes_are_not_checked_and_sending_is_not_blocked(qtbot: Any) -> None:
    composer = ChatComposer()
    qtbot.addWidget(composer)
    hint = ReplyHint(composer.edit, lambda: "en", composer, delay_ms=50,
                     active=lambda: not composer.is_note())
    composer.add_hint(hint)
    composer.note.toggled.connect(hint.schedule)  # as the chat view does
    composer.show()
    sent: list[tuple[str, bool]] = []
    composer.sig_submit.connect(lambda text, note: sent.append((text, note)))
    composer.set_text("Unfortunately we cannot refund this.")
    qtbot.waitUntil(lambda: not hint.isHidden(), timeout=2000)
    composer.send.click()
    assert sent == [("Unfortunately we cannot refund this.", False)]
    composer.set_note(True)  # an internal note is not checked
    qtbot.waitUntil(hint.isHidden, timeout=2000)
    composer.set_note(False)
    qtbot.waitUntil(lambda: not hint.isHidden(), timeout=2000)
