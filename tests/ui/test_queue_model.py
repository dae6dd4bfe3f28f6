"""QueueModel: incremental updates without resets, urgency order, header sorting, filters and
counts, pinned offers, SLA status at 80 % / 100 % with a controllable clock, and a burst of
5,000 upserts. State is built the real way: protocol structs → ``ClientState`` → bridge.

The builders at the top are also used by ``test_queue_pane.py``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from agent_desk.client.state import ClientState
from agent_desk.protocol import messages as m
from agent_desk.protocol import views as v
from agent_desk.protocol.enums import Channel, SlaStatus, SlaTarget
from agent_desk.ui.bridge import ClientBridge
from agent_desk.ui.queue_delegate import QueueDelegate, row_tint
from agent_desk.ui.queue_model import (
    COL_CUSTOMER,
    COL_PRIORITY,
    COL_SLA,
    COL_STATE,
    COL_WAITING,
    IdRole,
    QueueModel,
    RowRole,
)
from agent_desk.ui.queue_sla import format_countdown, format_duration, sla_clock, sla_status

T0 = 1_750_000_000.0  # the tests' "now" (server clock), seconds
ME = 7
QUEUES = [v.QueueView(id=1, name="General"), v.QueueView(id=2, name="Billing"),
          v.QueueView(id=3, name="Chinese")]


class Clock:
    """A controllable server clock."""

    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def agent(role: str = "agent") -> v.AgentView:
    return v.AgentView(id=ME, username="ann", name="Ann", role=role, state="available",
                       state_since=dt(T0 - 600), queue_ids=[1, 2, 3])


def inter(iid: int, *, channel: str = "chat", state: str = "queued", name: str = "Carol Smith",
          tier: str = "standard", queue_id: int = 1, priority: str = "normal",
          age_s: float = 60, fr_s: float = 600, res_s: float = 7200,
          offered_to: int | None = None, assigned_to: int | None = None,
          responded: bool = False, subject: str = "", preview: str = "", version: int = 1,
          offer_left_s: float | None = None) -> v.InteractionView:
    """An interaction created ``age_s`` ago with first-response/resolution targets of
    ``fr_s``/``res_s`` seconds from creation."""
    created = T0 - age_s
    return v.InteractionView(
        id=iid, channel=channel, state=state, queue_id=queue_id, priority=priority,
        customer=v.CustomerBrief(id=1000 + iid, name=name, tier=tier, language="en"),
        subject=subject, preview=preview, created_at=dt(created),
        first_response_at=dt(created + 5) if responded else None,
        first_response_due_at=dt(created + fr_s), resolution_due_at=dt(created + res_s),
        offered_agent_id=offered_to, assigned_agent_id=assigned_to,
        offer_expires_at=dt(T0 + offer_left_s) if offer_left_s is not None else None,
        version=version)


def snapshot(interactions: list[v.InteractionView], role: str = "agent") -> m.Snapshot:
    return m.Snapshot(seq=1, agent=agent(role), agents=[], queues=QUEUES,
                      interactions=interactions, settable_states=[], away_reasons=[],
                      wrap_up_codes=[], sla_policies=[], server_time=dt(T0))


class World:
    """ClientState + ClientBridge fed with protocol structs, the way the connection does."""

    def __init__(self, interactions: list[v.InteractionView], role: str = "agent") -> None:
        self.state = ClientState()
        self.bridge = ClientBridge(self.state)
        self.state.apply_snapshot(snapshot(interactions, role))

    def event(self, change: str, view: v.InteractionView) -> None:
        seq = self.state.seq + 1
        self.state.apply_event(m.Event(seq=seq, prev=seq - 1, at=dt(T0),
                                       data=m.InteractionChanged(change=change,
                                                                 interaction=view)))

    def flush(self) -> None:
        self.bridge.flush()


def mixed(n: int = 6) -> list[v.InteractionView]:
    """A few interactions with distinct urgency: due in 100·k seconds, various channels."""
    channels = ["phone", "email", "chat"]
    return [inter(i, channel=channels[i % 3], name=f"Customer {i}", fr_s=60 + 100 * (n - i),
                  subject=f"Subject {i}") for i in range(1, n + 1)]


def ids(model: QueueModel) -> list[int]:
    return [model.data(model.index(r, 0), IdRole) for r in range(model.rowCount())]


@pytest.fixture
def clock() -> Clock:  # overrides the server ManualClock fixture for these tests
    return Clock()


def make(qapp: Any, interactions: list[v.InteractionView], clock: Clock,
         role: str = "agent") -> tuple[World, QueueModel]:
    w = World(interactions, role)
    model = QueueModel(w.state, now=clock)
    w.bridge.sig_reset.connect(model.reset_from_state)
    w.bridge.sig_interactions_changed.connect(model.apply_batch)
    model.reset_from_state()
    return w, model


# ---- model tester ---------------------------------------------------------------------------


@pytest.mark.qt_log_level_fail("WARNING")
def test_model_tester_on_populated_model_and_through_changes(qapp, qtmodeltester, clock):
    w, model = make(qapp, mixed(12), clock)
    qtmodeltester.check(model)  # the C++ tester stays attached: changes below are checked
    w.event("priority", inter(3, channel="phone", priority="urgent", fr_s=30, version=2))
    w.event("created", inter(50, channel="email", fr_s=5))
    w.event("closed", inter(5, state="closed", version=2))
    w.flush()
    model.set_text_filter("customer 1")
    model.sort(COL_CUSTOMER, Qt.SortOrder.DescendingOrder)
    model.set_text_filter("")


def test_python_model_tester(qapp, qtmodeltester, clock):
    _, model = make(qapp, mixed(8), clock)
    qtmodeltester.check(model, force_py=True)


# ---- incremental updates ------------------------------------------------------------------


def test_updates_are_incremental_never_a_reset(qapp, qtbot, clock):
    w, model = make(qapp, mixed(6), clock)
    resets: list[object] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    model.layoutAboutToBeChanged.connect(lambda *a: resets.append("layout-only-ok"))
    # a new interaction → rowsInserted, no reset
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        w.event("created", inter(20, name="New Person", fr_s=5000))
        w.flush()
    assert 20 in ids(model)
    # a preview change (not a sort key) → dataChanged only, rows stay in place
    before = ids(model)
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as blocker:
        w.event("customer_replied", inter(2, channel="chat", name="Customer 2", fr_s=460,
                                          preview="Any news?", version=2))
        w.flush()
    assert ids(model) == before
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.row() <= model.row_of(2) <= bottom.row()
    assert model.data(model.index(model.row_of(2), 2)) == "Any news?"
    # a removal → rowsRemoved
    with qtbot.waitSignal(model.rowsRemoved, timeout=1000):
        w.event("closed", inter(20, state="closed", version=2))
        w.flush()
    assert 20 not in ids(model)
    assert 1 not in resets


def test_selection_follows_its_row_when_the_order_changes(qapp, clock):
    w, model = make(qapp, mixed(6), clock)
    from PySide6.QtCore import QPersistentModelIndex

    p = QPersistentModelIndex(model.index(model.row_of(6), 0))
    w.event("priority", inter(6, fr_s=5000, version=2))  # now least urgent
    w.flush()
    assert ids(model)[-1] == 6
    assert p.isValid() and p.row() == model.row_of(6)


# ---- order ----------------------------------------------------------------------------------


def test_default_order_is_most_urgent_first(qapp, clock):
    same_due = dict(fr_s=300)
    views = [
        inter(1, fr_s=900),  # due last
        inter(2, priority="low", **same_due),
        inter(3, priority="urgent", **same_due),  # same due: priority breaks the tie
        inter(4, priority="urgent", age_s=200, fr_s=440),  # same due, waiting longer
        inter(5, fr_s=100),  # due first
    ]
    _, model = make(qapp, views, clock)
    assert ids(model) == [5, 4, 3, 2, 1]
    assert model.sort_column() == COL_SLA


def test_header_sorting_toggles_and_keeps_offers_on_top(qapp, clock):
    views = [inter(1, name="Bob"), inter(2, name="alice"), inter(3, name="Chen"),
             inter(4, name="Zed", state="offered", offered_to=ME, offer_left_s=20)]
    _, model = make(qapp, views, clock)
    model.sort(COL_CUSTOMER, Qt.SortOrder.AscendingOrder)
    assert ids(model) == [4, 2, 1, 3]
    model.sort(COL_CUSTOMER, Qt.SortOrder.DescendingOrder)
    assert ids(model) == [4, 3, 1, 2]
    model.sort(COL_WAITING, Qt.SortOrder.DescendingOrder)  # longest waiting first
    assert ids(model)[0] == 4


def test_priority_change_moves_the_row(qapp, clock):
    w, model = make(qapp, [inter(1, fr_s=300), inter(2, fr_s=300, age_s=61)], clock)
    model.sort(COL_PRIORITY, Qt.SortOrder.DescendingOrder)
    w.event("priority", inter(1, fr_s=300, priority="urgent", version=2))
    w.flush()
    assert ids(model) == [1, 2]
    assert model.data(model.index(0, COL_PRIORITY)) == "Urgent"


# ---- filters and counts ---------------------------------------------------------------------


def test_channel_counts_and_text_filter(qapp, qtbot, clock):
    views = [inter(1, channel="phone", name="王芳", queue_id=3),
             inter(2, channel="email", subject="Refund for order 1234", queue_id=2),
             inter(3, channel="email", name="Victor Vip", tier="vip"),
             inter(4, channel="chat", name="Carol"),
             inter(5, channel="chat", state="assigned", assigned_to=ME),
             inter(6, channel="phone", state="offered", offered_to=ME, offer_left_s=15)]
    w, model = make(qapp, views, clock)
    assert model.counts() == {"all": 6, "phone": 2, "email": 2, "chat": 2, "offers": 1,
                              "mine": 1}
    model.set_channel_filter(Channel.EMAIL)
    assert sorted(ids(model)) == [2, 3, 6]  # the offer to me always shows
    assert model.counts()["all"] == 6  # channel filter does not change counts
    with qtbot.waitSignal(model.sig_counts_changed, timeout=1000) as blocker:
        model.set_text_filter("REFUND")
    assert blocker.args[0] == {"all": 2, "phone": 1, "email": 1, "chat": 0, "offers": 1,
                               "mine": 1}
    assert sorted(ids(model)) == [2, 6]
    model.set_channel_filter(None)
    model.set_text_filter("王")  # Chinese names match
    assert sorted(ids(model)) == [1, 6]
    model.set_text_filter("billing refund")  # queue name + subject: every word must match
    assert sorted(ids(model)) == [2, 6]
    model.set_text_filter("")
    w.event("created", inter(7, channel="chat"))
    w.flush()
    assert model.counts()["chat"] == 3 and model.counts()["all"] == 7


# ---- offers ---------------------------------------------------------------------------------


def test_offer_is_pinned_and_goes_away_on_timeout(qapp, qtbot, clock):
    w, model = make(qapp, mixed(5), clock)
    offered = inter(9, channel="phone", state="offered", offered_to=ME, fr_s=5000,
                    offer_left_s=20)
    with qtbot.waitSignal(model.sig_offers_changed, timeout=1000):
        w.event("offered", offered)
        w.flush()
    assert ids(model)[0] == 9 and [r.iid for r in model.offers()] == [9]
    row = model.row_at(0)
    assert model.data(model.index(0, COL_STATE)) == "Offered to you"
    assert row_tint(row, 0.0) is not None  # highlighted
    with qtbot.waitSignal(model.sig_offers_changed, timeout=1000):
        w.event("offer_timeout", inter(9, channel="phone", fr_s=5000, version=2))
        w.flush()
    assert model.offers() == []
    assert ids(model)[-1] == 9  # back in the queue, in urgency order
    assert model.data(model.index(model.row_of(9), COL_STATE)) == "In queue"
    # offered to someone else: it leaves my view entirely when it is not in my queues
    w.event("offered", inter(9, channel="phone", state="offered", offered_to=99,
                             queue_id=42, version=3))
    w.flush()
    assert model.row_of(9) is None and model.counts()["offers"] == 0


# ---- SLA ------------------------------------------------------------------------------------


def test_sla_status_thresholds():
    assert sla_status(0, 100, 79.9) == SlaStatus.ON_TRACK
    assert sla_status(0, 100, 80) == SlaStatus.WARNING
    assert sla_status(0, 100, 99.9) == SlaStatus.WARNING
    assert sla_status(0, 100, 100) == SlaStatus.BREACHED
    assert format_countdown(59.2) == "1:00" and format_countdown(-61.5) == "\u22121:01"
    assert format_duration(3725) == "1:02:05" and format_duration(2 * 86400 + 7200) == "2 d 2 h"


def test_sla_clock_switches_to_resolution_after_first_response():
    assert sla_clock(inter(1, fr_s=100)).target == SlaTarget.FIRST_RESPONSE
    c = sla_clock(inter(1, fr_s=100, res_s=1000, responded=True))
    assert c.target == SlaTarget.RESOLUTION and c.due_ts == T0 - 60 + 1000


def test_sla_colour_and_icon_change_with_the_clock(qapp, clock):
    # created 60 s ago, first response due 100 s after creation: 80 % at T0+20, due T0+40
    _, model = make(qapp, [inter(1, age_s=60, fr_s=100)], clock)
    delegate = QueueDelegate(model)
    row = model.data(model.index(0, 0), RowRole)
    seen = []
    for t in (T0, T0 + 19, T0 + 20, T0 + 39, T0 + 40, T0 + 100):
        clock.t = t
        cell = delegate.paint_inputs(row, COL_SLA, clock())
        seen.append((cell.icon, cell.color.name(), cell.note, cell.text))
    assert seen == [
        ("sla-on-track", "#2e7d32", "", "0:40"),
        ("sla-on-track", "#2e7d32", "", "0:21"),
        ("sla-at-risk", "#a35200", "at risk", "0:20"),
        ("sla-at-risk", "#a35200", "at risk", "0:01"),
        ("sla-breached", "#c62828", "breached", "0:00"),
        ("sla-breached", "#c62828", "breached", "\u22121:00"),
    ]
    assert "at risk" not in model.data(model.index(0, COL_SLA), Qt.ItemDataRole.ToolTipRole)
    assert "breached" in model.data(model.index(0, COL_SLA), Qt.ItemDataRole.ToolTipRole)
    # ticking texts are computed on request, from the same clock
    assert model.data(model.index(0, COL_WAITING)) == "2:40"
    clock.t = T0 + 101
    assert model.data(model.index(0, COL_WAITING)) == "2:41"


def test_offer_countdown_in_state_cell(qapp, clock):
    _, model = make(qapp, [inter(1, state="offered", offered_to=ME, offer_left_s=12)], clock)
    cell = QueueDelegate(model).paint_inputs(model.row_at(0), COL_STATE, clock())
    assert (cell.text, cell.trailing, cell.icon) == ("Offered to you", "0:12", "offer")
    clock.t += 2.5
    assert QueueDelegate(model).paint_inputs(model.row_at(0), COL_STATE, clock()).trailing \
        == "0:10"
    assert model.data(model.index(0, COL_STATE), Qt.ItemDataRole.AccessibleTextRole) == (
        "Offered to you, 0:10 left")


# ---- burst ----------------------------------------------------------------------------------


def test_burst_of_5000_upserts_in_one_batch_without_reset(qapp, qtbot, clock):
    w, model = make(qapp, mixed(50), clock)
    resets: list[int] = []
    batches: list[int] = []
    inserted: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append(b - a + 1))
    w.bridge.sig_interactions_changed.connect(lambda ups, rem: batches.append(len(ups)))
    channels = ["phone", "email", "chat"]
    for i in range(5000):
        iid = 1 + (i * 7919) % 6000  # new rows and updates of existing ones, scrambled
        w.event("created", inter(iid, channel=channels[iid % 3], fr_s=30 + iid % 977,
                                 priority=("low", "normal", "high")[iid % 3],
                                 version=2 + i))
    with qtbot.waitSignal(w.bridge.sig_interactions_changed, timeout=2000):
        pass  # the bridge's own batching timer delivers the burst
    assert len(batches) == 1 and not resets
    assert model.rowCount() == len(w.state.interactions)
    assert sum(inserted) == model.rowCount() - 50
    keys = [model.row_at(r).k_urgency for r in range(model.rowCount())]
    assert keys == sorted(keys)
    assert model.index(model.rowCount(), 0) == QModelIndex()
