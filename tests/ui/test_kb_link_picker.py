"""The wrap-up's article picker on a real KB file: typing shows matching published articles
in a popup, Enter links the highlighted one, typed ids are accepted (also without a KB),
words that are no id are not, pre-linked articles come once, Delete removes, and the old
line edit's ``setText``/``text`` still work."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_desk.ui.kb_link_picker import MAX_LINKED, KbLinkPicker, split_ids
from agent_desk.ui.kb_search_worker import KbSearchWorker
from tests.ui.test_kb_panel import make_kb


@pytest.fixture
def worker(qapp, tmp_path: Path):  # type: ignore[no-untyped-def]
    w = KbSearchWorker(make_kb(tmp_path / "kb.db"))
    yield w
    w.stop()


@pytest.fixture
def picker(qtbot, worker: KbSearchWorker) -> KbLinkPicker:
    p = KbLinkPicker(worker=worker)
    qtbot.addWidget(p)
    p.resize(420, 200)
    p.show()
    p.activateWindow()
    qtbot.waitUntil(p.isActiveWindow)
    p.edit.setFocus()
    p.answered = []  # type: ignore[attr-defined]
    worker.sig_results.connect(lambda t, _h: p.answered.append(t))  # type: ignore[attr-defined]
    return p


def wait_answer(qtbot, picker: KbLinkPicker) -> None:  # type: ignore[no-untyped-def]
    token = picker._token
    qtbot.waitUntil(lambda: token in picker.answered, timeout=10_000)  # type: ignore[attr-defined]


def test_typing_offers_articles_and_enter_links_the_best(qtbot, picker) -> None:
    QTest.keyClicks(picker.edit, "warranty")
    qtbot.waitUntil(lambda: picker.popup.isVisible() and bool(picker.suggestions()),
                    timeout=5000)
    ids = [i for i, _t in picker.suggestions()]
    assert ids[0] == "warranty-coverage-en" and "warranty-claim-en" in ids
    assert picker.popup.currentIndex().row() == 0  # the best one is highlighted
    QTest.keyClick(picker.popup, Qt.Key.Key_Down)
    second = picker.suggestions()[1]
    QTest.keyClick(picker.popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.ids() == [second[0]], timeout=5000)
    assert picker.titles() == [second[1]]
    assert picker.edit.text() == "" and not picker.popup.isVisible()
    # the chosen one is not offered again
    QTest.keyClicks(picker.edit, "warranty")
    qtbot.waitUntil(lambda: bool(picker.suggestions()), timeout=5000)
    assert second[0] not in [i for i, _t in picker.suggestions()]
    assert picker.pick(0)
    assert picker.ids() == [second[0], "warranty-coverage-en"]


def test_typed_ids_are_accepted_words_are_not(qtbot, picker) -> None:
    QTest.keyClicks(picker.edit, "how do I do it")  # words: whatever it offers, ...
    wait_answer(qtbot, picker)
    if picker.popup.isVisible():
        QTest.keyClick(picker.popup, Qt.Key.Key_Escape)  # ... the agent closes the list
    assert not picker.popup.isVisible()
    QTest.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picker.ids() == []
    assert picker.hint.isVisible() and "type its id" in picker.hint.text()
    picker.edit.clear()
    QTest.keyClicks(picker.edit, "KB-12, KB-40")
    wait_answer(qtbot, picker)
    if picker.popup.isVisible():
        QTest.keyClick(picker.popup, Qt.Key.Key_Escape)
    QTest.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picker.ids() == ["KB-12", "KB-40"] and not picker.hint.isVisible()
    assert picker.edit.text() == ""


def test_without_a_knowledge_base_ids_still_work(qtbot) -> None:
    p = KbLinkPicker()
    qtbot.addWidget(p)
    QTest.keyClicks(p.edit, "refund-policy-en")
    QTest.keyClick(p.edit, Qt.Key.Key_Return)
    assert p.ids() == ["refund-policy-en"]
    assert p.suggestions() == []


def test_prelink_once_remove_and_delete_key(qtbot, picker) -> None:
    changed: list[int] = []
    picker.sig_changed.connect(lambda: changed.append(1))
    assert picker.prelink("refund-policy-en", "Refund policy")
    assert not picker.prelink("refund-policy-en", "Refund policy")  # already there
    assert picker.prelink("tracking-en", "Tracking")
    assert picker.chosen.isVisible() and picker.remove_button.isVisible()
    picker.chosen.setCurrentRow(0)
    picker.chosen.setFocus()
    QTest.keyClick(picker.chosen, Qt.Key.Key_Delete)
    assert picker.ids() == ["tracking-en"]
    assert not picker.prelink("refund-policy-en", "Refund policy")  # the agent removed it
    picker.chosen.setCurrentRow(0)
    picker.remove_button.click()
    assert picker.ids() == [] and not picker.chosen.isVisible()
    assert len(changed) == 4


def test_line_edit_api_and_limits(qtbot) -> None:
    p = KbLinkPicker()
    qtbot.addWidget(p)
    p.setText("KB-12, KB-40 ,，KB-12")
    assert p.ids() == ["KB-12", "KB-40"] and p.text() == "KB-12, KB-40"
    p.setText(",".join(f"a{n}" for n in range(30)))
    assert len(p.ids()) == MAX_LINKED and not p.edit.isEnabled()
    assert not p.add("one-more")
    p.setText("")
    assert p.ids() == [] and p.edit.isEnabled()
    assert split_ids(" x ,, y，z ") == ["x", "y", "z"]
    assert len(split_ids("k" * 2000)[0]) == 500


@pytest.mark.parametrize("query", ["x" * 10_000, '"*NEAR-()', "🙂 退款"])
def test_bad_input_is_harmless(qtbot, picker, worker, query) -> None:
    errors: list[object] = []
    worker.sig_error.connect(lambda *a: errors.append(a))
    picker.edit.setText(query)
    picker.edit.textEdited.emit(query)
    wait_answer(qtbot, picker)
    assert not errors
    picker.confirm()
    assert len(picker.ids()) <= 1
