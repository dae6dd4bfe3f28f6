"""The shell's widgets on their own: status-bar texts (live reconnect countdown, queued
actions), the state selector (server reasons, server-driven states read-only), the
customer panel (loading without blocking, offline, history), the workspace tabs, tray
notifications and the sign-in dialog's checks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from agent_desk.client.connection import ConnectionStatus, Status
from agent_desk.protocol import views as v
from agent_desk.ui import settings as opts
from agent_desk.ui.controller import QueryFailed
from agent_desk.ui.customer_panel import HISTORY_CHANNEL_ROLE, CustomerPanel
from agent_desk.ui.login_dialog import LoginDialog
from agent_desk.ui.state_selector import StateSelector, fmt_duration
from agent_desk.ui.status_bar import StatusBar
from agent_desk.ui.tray import TrayNotifier
from agent_desk.ui.workspace import Workspace
from tests.ui.test_app_support import qloop_fixture, run, ui_env_fixture, until  # noqa: F401

T0 = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
REASONS = [v.CodeLabel(code=c, label=c.title()) for c in
           ("break", "lunch", "training", "meeting", "missed_offer")]


def agent(state: str = "available", reason: str | None = None) -> v.AgentView:
    return v.AgentView(id=1, username="ann", name="Ann", role="agent",  # type: ignore[arg-type]
                       state=state, away_reason=reason, state_since=T0)  # type: ignore[arg-type]


def interaction(iid: int = 7, state: str = "assigned", **kw: Any) -> v.InteractionView:
    return v.InteractionView(
        id=iid, channel=kw.get("channel", "chat"), state=state,  # type: ignore[arg-type]
        customer=v.CustomerBrief(id=3, name="王芳", tier="gold", language="zh"),  # type: ignore[arg-type]
        queue_id=1, subject=kw.get("subject", "退款"), created_at=T0,
        first_response_due_at=T0, resolution_due_at=T0, assigned_agent_id=1)


def test_status_bar_counts_down_and_shows_queued_actions(qtbot: Any) -> None:
    mono = [100.0]
    bar = StatusBar(monotonic=lambda: mono[0], now=lambda: T0.timestamp() + 65)
    qtbot.addWidget(bar)
    bar.set_status(ConnectionStatus(status=Status.CONNECTED))
    assert bar.connection_text() == "Connected"
    bar.set_status(ConnectionStatus(status=Status.RECONNECTING, retry_at=105.0))
    assert bar.connection_text() == "Reconnecting in 5 s"
    assert bar.reconnect.isVisibleTo(bar)
    mono[0] = 102.2
    bar._tick()
    assert bar.conn_label.text() == "Reconnecting in 3 s"
    bar.set_status(ConnectionStatus(status=Status.RECONNECTING, retry_at=105.0, queued=2))
    assert bar.connection_text() == "Reconnecting in 3 s — actions queued: 2"
    bar.set_status(ConnectionStatus(status=Status.OFFLINE, queued=3))
    assert bar.connection_text() == "Offline — actions queued: 3"
    assert not bar.reconnect.isVisibleTo(bar)
    bar.set_agent(agent("away", "lunch"))
    assert bar.agent_label.text() == "Ann · Away · Lunch 1:05"
    bar.set_counts({"phone": 1, "email": 12, "chat": 5, "offers": 1, "mine": 2})
    assert bar.counts.text() == "Phone 1 · Email 12 · Chat 5 · Offers 1 · Mine 2"
    with qtbot.waitSignal(bar.sig_reconnect_requested, timeout=1000):
        bar.set_status(ConnectionStatus(status=Status.RECONNECTING, retry_at=200.0))
        bar.reconnect.click()


def test_state_selector_reasons_and_read_only_server_states(qtbot: Any) -> None:
    sel = StateSelector(now=lambda: T0.timestamp() + 3725)
    qtbot.addWidget(sel)
    assert not sel.button.isEnabled()  # nobody signed in
    sel.set_agent(agent("available"), REASONS)
    assert sel.button.text() == "Available" and sel.elapsed.text() == "1:02:05"
    assert sel.choices() == [("available", ""), ("away", "break"), ("away", "lunch"),
                             ("away", "training"), ("away", "meeting"), ("offline", "")]
    with qtbot.waitSignal(sel.sig_state_requested, timeout=1000) as blocker:
        sel.choose("away", "meeting")
    assert blocker.args == ["away", "meeting"]
    sel.set_agent(agent("busy"), REASONS)
    first = sel.menu.actions()[0]
    assert first.text() == "Busy (set by the server)" and not first.isEnabled()
    assert sel.button.text() == "Busy"
    sel.set_agent(agent("away", "missed_offer"), REASONS)
    assert sel.button.text() == "Away · Missed an offer"
    assert ("away", "missed_offer") not in sel.choices()
    assert fmt_duration(59) == "0:59" and fmt_duration(3600) == "1:00:00"


def test_customer_panel_loads_in_the_background(qloop: Any, qtbot: Any) -> None:
    gate = asyncio.Event()
    calls: list[int] = []

    async def loader(cid: int) -> v.Customer360:
        calls.append(cid)
        if cid == 9:
            raise QueryFailed("Offline — customer history is not available right now.",
                              offline=True)
        await gate.wait()
        return v.Customer360(
            id=cid, name="王芳", tier="gold", language="zh",  # type: ignore[arg-type]
            identities=[v.IdentityView(kind="email", value="wf@example.cn")],
            interactions=[v.PastInteraction(id=1, channel="email", state="closed",  # type: ignore[arg-type]
                                            subject="发票", created_at=T0,
                                            disposition="refund_issued")])

    panel = CustomerPanel(None, loader=loader)
    qtbot.addWidget(panel)

    async def scenario() -> None:
        panel.show_customer(v.CustomerBrief(id=3, name="王芳", tier="gold", language="zh"))  # type: ignore[arg-type]
        assert panel.message.text() == "Loading 王芳…"  # returned at once: not blocking
        gate.set()
        await until(lambda: panel.stack.currentIndex() == 1)
        assert panel.name.text() == "王芳" and panel.tier.text() == "Gold"
        item = panel.history.topLevelItem(0)
        assert [item.text(c) for c in range(3)] == ["2027-01-15", "发票", "Refund issued"]
        assert item.data(0, HISTORY_CHANNEL_ROLE) == "Email" and not item.icon(0).isNull()
        assert panel.history_title.text() == "Past interactions (1)"
        panel.show_customer(v.CustomerBrief(id=9, name="Bob", tier="vip", language="en"))  # type: ignore[arg-type]
        await until(panel.offline_shown)
        assert panel.message.text().startswith("Offline")
        panel.show_customer(v.CustomerBrief(id=3, name="王芳", tier="gold", language="zh"))  # type: ignore[arg-type]
        assert panel.stack.currentIndex() == 1 and calls == [3, 9]  # cached

    run(qloop, scenario())


def test_workspace_tabs_follow_the_queue_and_keep_closed_ones(qtbot: Any) -> None:
    ws = Workspace(lambda qid: "General", my_id=lambda: 1)
    qtbot.addWidget(ws)
    assert ws.stack.currentIndex() == 0  # the empty hint
    seen: list[Any] = []
    ws.sig_current_changed.connect(seen.append)
    ws.open(interaction(7))
    ws.open(interaction(8, channel="phone", subject="Call"))
    ws.open(interaction(7))  # focus, no second tab
    assert ws.open_ids() == [7, 8] and ws.current_interaction().id == 7
    view = ws.view(7)
    assert view.fields["state"].text() == "Mine" and view.fields["queue"].text() == "General"
    ws.apply([interaction(7, state="wrap_up")], [8])
    assert view.fields["state"].text() == "Wrap-up"
    assert ws.view(8).banner.isVisibleTo(ws.view(8))  # gone from the queue, tab kept
    ws.close_tab(0)
    ws.close_tab(0)
    assert ws.open_ids() == [] and ws.stack.currentIndex() == 0 and seen[-1] is None


def test_tray_notifications_follow_the_settings(ui_env: Any, qtbot: Any) -> None:
    tray = TrayNotifier(ui_env.settings, qtbot_icon())
    got: list[tuple[str, str]] = []
    tray.sig_notified.connect(lambda t, x: got.append((t, x)))
    tray.offer(interaction(7, state="offered", channel="phone", subject="Call"))
    tray.sla_warning(interaction(8))
    assert got == [("Incoming call offered to you", "王芳 — Call"),
                   ("SLA at risk", "王芳 — 退款 is close to its service-level target.")]
    ui_env.settings.set(opts.NOTIFY_OFFERS, False)
    tray.offer(interaction(9, state="offered"))
    assert len(got) == 2
    tray.set_counts({"phone": 1, "email": 2, "chat": 3, "offers": 1, "mine": 4})
    assert "Phone 1 · Email 2 · Chat 3" in tray.tooltip and "Mine 4" in tray.tooltip


def qtbot_icon() -> Any:
    from PySide6.QtGui import QIcon

    return QIcon()


def test_login_dialog_checks_input_and_never_keeps_the_password(ui_env: Any, qtbot: Any
                                                                ) -> None:
    dlg = LoginDialog(ui_env.settings)
    qtbot.addWidget(dlg)
    submitted: list[tuple[Any, ...]] = []
    dlg.sig_submitted.connect(lambda *a: submitted.append(a))
    dlg.username.setText("ann")
    dlg.submit()
    assert submitted == [] and "Enter your password" in dlg.error.text()
    dlg.password.setText("ann-pw")
    dlg.remember.setChecked(True)
    dlg.submit()
    assert submitted == [(opts.DEFAULT_SERVER_URL, "ann", "ann-pw", True)]
    dlg.set_busy(True)
    assert not dlg.sign_in.isEnabled() and dlg.progress.isVisibleTo(dlg)
    dlg.set_store_persistent(False)
    assert dlg.remember_hint.isVisibleTo(dlg)
    dlg.accept()
    assert dlg.password.text() == ""
