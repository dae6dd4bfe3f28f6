"""QueuePane: offers with Accept / Decline (buttons, shortcuts, reason menu, "Other…"),
keyboard use (Enter opens, next most urgent, filter shortcuts), live counts, accessible
names, the once-a-second repaint and the ringing pulse."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from agent_desk.protocol.enums import Channel
from agent_desk.ui.queue_model import COL_CUSTOMER
from agent_desk.ui.queue_pane import QueuePane
from tests.ui.test_queue_model import ME, T0, Clock, World, inter, mixed

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_pane(qtbot: Any, views: list, clock: Clock) -> tuple[World, QueuePane]:
    w = World(views)
    pane = QueuePane(w.bridge, now=clock)
    qtbot.addWidget(pane)
    pane.resize(1000, 600)
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow, timeout=2000)
    return w, pane


def offer(iid: int, channel: str = "phone", **kw: Any) -> Any:
    return inter(iid, channel=channel, state="offered", offered_to=ME, offer_left_s=20, **kw)


def test_offer_bar_appears_with_the_offer_and_accept_button(qtbot, clock):
    w, pane = make_pane(qtbot, mixed(5), clock)
    assert pane.offer_bar.isHidden()
    w.event("offered", offer(9, name="王芳"))
    w.flush()
    assert pane.offer_bar.isVisible()
    assert "王芳" in pane.offer_bar.headline.text()
    assert pane.model.row_at(0).iid == 9  # pinned
    assert pane.offer_bar.countdown.text() == "Expires in 0:20"
    with qtbot.waitSignal(pane.sig_accept_requested, timeout=1000) as blocker:
        qtbot.mouseClick(pane.offer_bar.accept_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [9]
    # the offer times out: the bar goes away
    w.event("offer_timeout", inter(9, channel="phone", name="王芳", version=2))
    w.flush()
    assert pane.offer_bar.isHidden()
    assert pane.counts()["offers"] == 0


def test_accept_shortcut_acts_on_the_selected_offer(qtbot, clock):
    w, pane = make_pane(qtbot, [*mixed(3), offer(8, fr_s=50), offer(9, fr_s=900)], clock)
    assert [r.iid for r in pane.model.offers()] == [8, 9]
    with qtbot.waitSignal(pane.sig_accept_requested, timeout=1000) as blocker:
        qtbot.keyClick(pane.view, Qt.Key.Key_A, CTRL_SHIFT)
    assert blocker.args == [8]  # nothing selected: the most urgent offer
    assert pane.select_id(9)
    with qtbot.waitSignal(pane.sig_accept_requested, timeout=1000) as blocker:
        qtbot.keyClick(pane.view, Qt.Key.Key_A, CTRL_SHIFT)
    assert blocker.args == [9]
    assert pane.offer_bar.offer().iid == 9  # the bar follows the selected offer


def test_decline_shortcut_asks_for_a_reason(qtbot, clock):
    w, pane = make_pane(qtbot, [*mixed(3), offer(8)], clock)
    qtbot.keyClick(pane.view, Qt.Key.Key_D, CTRL_SHIFT)
    menu = pane.offer_bar.decline_menu
    qtbot.waitUntil(menu.isVisible, timeout=1000)
    texts = [a.text() for a in pane.offer_bar.reason_actions()]
    assert texts[0] == "Busy with another customer" and texts[-1] == "Other…"
    with qtbot.waitSignal(pane.sig_decline_requested, timeout=1000) as blocker:
        qtbot.keyClick(menu, Qt.Key.Key_Return)  # the first reason is active
    assert blocker.args == [8, "busy"]


def test_decline_other_reason_from_the_button_menu(qtbot, clock):
    w, pane = make_pane(qtbot, [*mixed(3), offer(8)], clock)
    pane.decline_offer()
    other = pane.offer_bar.reason_actions()[-1]
    other.trigger()
    dlg = pane.offer_bar.other_dialog
    assert dlg is not None
    qtbot.waitUntil(dlg.isVisible, timeout=1000)
    with qtbot.waitSignal(pane.sig_decline_requested, timeout=1000) as blocker:
        dlg.setTextValue("  Customer asked for a callback tomorrow  ")
        dlg.accept()
    assert blocker.args == [8, "Customer asked for a callback tomorrow"]


def test_no_decline_once_the_offer_has_gone(qtbot, clock):
    w, pane = make_pane(qtbot, [*mixed(3), offer(8)], clock)
    pane.decline_offer()
    w.event("offer_timeout", inter(8, channel="phone", version=2))
    w.flush()
    declined: list[tuple] = []
    pane.sig_decline_requested.connect(lambda *a: declined.append(a))
    pane.offer_bar.reason_actions()[0].trigger()
    assert declined == []


def test_enter_and_double_click_open(qtbot, clock):
    w, pane = make_pane(qtbot, mixed(5), clock)
    pane.view.setFocus()
    pane.select_id(3)
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    expected = pane.model.row_at(pane.model.row_of(3) + 1).iid
    with qtbot.waitSignal(pane.sig_open_requested, timeout=1000) as blocker:
        qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert blocker.args == [expected]
    rect = pane.view.visualRect(pane.model.index(0, COL_CUSTOMER))
    with qtbot.waitSignal(pane.sig_open_requested, timeout=1000) as blocker:
        qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [pane.model.row_at(0).iid]


def test_next_most_urgent_walks_the_urgency_order(qtbot, clock):
    w, pane = make_pane(qtbot, mixed(5), clock)  # most urgent: 5, 4, 3, …
    pane.model.sort(COL_CUSTOMER, Qt.SortOrder.AscendingOrder)  # the view order differs
    qtbot.keyClick(pane.view, Qt.Key.Key_N, CTRL_SHIFT)
    assert pane.selected_id() == 5
    qtbot.keyClick(pane.view, Qt.Key.Key_N, CTRL_SHIFT)
    assert pane.selected_id() == 4
    pane.select_id(1)  # the agent went elsewhere: start again from the most urgent
    pane.select_next_most_urgent()
    assert pane.selected_id() == 5 and pane.view.hasFocus()


def test_filters_counts_and_keyboard(qtbot, clock):
    views = [inter(1, channel="phone", name="王芳"), inter(2, channel="email", name="Bob"),
             inter(3, channel="email", name="Bobby"), inter(4, channel="chat", name="Carol")]
    w, pane = make_pane(qtbot, views, clock)
    bar = pane.filter_bar
    assert [b.text() for b in bar.buttons()] == ["All 4", "Phone 1", "Email 2", "Chat 1"]
    qtbot.mouseClick(bar.button("email"), Qt.MouseButton.LeftButton)
    assert pane.model.rowCount() == 2
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # email
    qtbot.keyClick(pane.view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # all
    assert pane.model.channel_filter() is None and pane.model.rowCount() == 4
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.text_edit.hasFocus()
    with qtbot.waitSignal(pane.sig_counts_changed, timeout=1000):
        qtbot.keyClicks(bar.text_edit, "bob")
    assert pane.model.rowCount() == 2
    assert [b.text() for b in bar.buttons()] == ["All 2", "Phone 0", "Email 2", "Chat 0"]
    qtbot.keyClick(bar.text_edit, Qt.Key.Key_Escape)
    assert bar.text_edit.text() == "" and pane.view.hasFocus()
    assert pane.model.rowCount() == 4
    with qtbot.waitSignal(pane.sig_counts_changed, timeout=1000) as blocker:
        w.event("created", inter(5, channel="chat"))
        w.flush()
    assert blocker.args[0]["chat"] == 2 and bar.button("chat").text() == "Chat 2"
    bar.set_channel(Channel.PHONE)
    assert bar.button("phone").isChecked() and pane.model.rowCount() == 1


def test_every_control_has_an_accessible_name(qtbot, clock):
    w, pane = make_pane(qtbot, [*mixed(3), offer(8)], clock)
    controls = [c for c in pane.findChildren(QWidget)
                if c.focusPolicy() != Qt.FocusPolicy.NoFocus
                and (isinstance(c, QAbstractButton | QLineEdit) or c is pane.view)]
    assert len(controls) == 8  # 4 channel buttons, text filter, accept, decline, table
    assert [c for c in controls if not c.accessibleName()] == []
    # Tab order follows the layout: the checked channel button (arrows move between them,
    # like radio buttons) → text filter → offer buttons → table
    bar = pane.filter_bar
    expected = [bar.button("all"), bar.text_edit, pane.offer_bar.accept_button,
                pane.offer_bar.decline_button, pane.view]
    assert _tab_order(expected[0], len(expected)) == expected
    bar.button("all").setFocus()
    qtbot.keyClick(bar.button("all"), Qt.Key.Key_Right)
    assert bar.button("phone").hasFocus() and bar.button("phone").isChecked()
    assert pane.model.channel_filter() == Channel.PHONE


def _tab_order(start: QWidget, n: int) -> list[QWidget]:
    out, w = [start], start
    while len(out) < n:
        w = w.nextInFocusChain()
        if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            out.append(w)
    return out


def test_shortcut_list_for_the_help_dialog():
    shortcuts = QueuePane.shortcuts()
    keys = dict(shortcuts)
    assert keys["Ctrl+Shift+A"] == "Accept the offer"
    assert "Ctrl+Shift+D" in keys and "Ctrl+Shift+N" in keys
    assert all(text for _, text in shortcuts)


class _PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_viewport_repaints_every_second_and_calls_pulse(qtbot, clock):
    w, pane = make_pane(qtbot, mixed(3), clock)
    counter = _PaintCounter()
    pane.view.viewport().installEventFilter(counter)
    qtbot.waitUntil(lambda: counter.paints >= 1, timeout=2500)  # the 1 Hz tick
    assert not pane._ring_timer.isActive()
    w.event("offered", offer(9))
    w.flush()
    assert pane._ring_timer.isActive()
    before = counter.paints
    qtbot.waitUntil(lambda: counter.paints >= before + 3, timeout=1000)  # ~12 fps pulse
    w.event("accepted", inter(9, channel="phone", state="assigned", assigned_to=ME,
                              responded=True, version=2))
    w.flush()
    assert not pane._ring_timer.isActive()
    assert pane.counts()["mine"] == 1


def test_chinese_rows_render(qtbot, clock, tmp_path):
    w, pane = make_pane(qtbot, [inter(1, name="王芳", preview="您好，我的订单还没有到",
                                      tier="gold")], clock)
    assert pane.model.data(pane.model.index(0, 2)) == "您好，我的订单还没有到"
    assert not pane.grab().isNull()


def test_clock_passing_the_due_time_changes_the_painted_sla(qtbot, clock):
    w, pane = make_pane(qtbot, [inter(1, age_s=60, fr_s=100)], clock)
    idx = pane.model.index(0, 6)
    assert "on track" in pane.model.data(idx, Qt.ItemDataRole.AccessibleTextRole)
    clock.t = T0 + 21
    assert "at risk" in pane.model.data(idx, Qt.ItemDataRole.AccessibleTextRole)
    clock.t = T0 + 41
    assert "breached" in pane.model.data(idx, Qt.ItemDataRole.AccessibleTextRole)
