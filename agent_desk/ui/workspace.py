"""The workspace: one tab per open interaction.

Each tab holds a view made by the factory registered for the interaction's channel
(``register_view``). Until the conversation views arrive (issue 4), every channel gets the
``SummaryView`` placeholder (subject, customer, state). A view only has to be a QWidget
with ``update_interaction(view)`` and ``set_gone(bool)``; the workspace keeps a tab open
when its interaction leaves the queue, so nothing the agent typed there is lost. A view
that can take reply text (suggestions, KB passages) also has ``insert_reply_text(text) ->
bool``, used by ``Workspace.insert_reply``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..protocol import views as v
from .labels import (
    channel_icon,
    channel_text,
    interaction_state_text,
    priority_text,
    tier_text,
)
from .text_style import emphasize, mute, notice_label
from .view_context import ViewContext


class InteractionView(Protocol):
    def update_interaction(self, interaction: v.InteractionView) -> None: ...
    def set_gone(self, gone: bool) -> None: ...


#: (interaction, context, parent) -> a QWidget implementing ``InteractionView``.
ViewFactory = Callable[[v.InteractionView, ViewContext, QWidget], QWidget]
VIEW_FACTORIES: dict[str, ViewFactory] = {}


def register_view(channel: str, factory: ViewFactory) -> None:
    """Issue 4 registers the phone, email and chat views here."""
    VIEW_FACTORIES[channel] = factory


class SummaryView(QWidget):
    """Placeholder view for any channel: what the interaction is about, at a glance."""

    def __init__(self, interaction: v.InteractionView, queue_name: Callable[[int], str],
                 parent: QWidget | None = None, *, my_id: int | None = None) -> None:
        super().__init__(parent)
        self._queue_name = queue_name
        self._my_id = my_id
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 14)
        lay.setSpacing(10)
        self.banner = notice_label(self)
        lay.addWidget(self.banner)
        self.heading = emphasize(QLabel(self), 1.3)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(6)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("channel", self.tr("Channel")), ("customer", self.tr("Customer")),
                           ("state", self.tr("State")), ("queue", self.tr("Queue")),
                           ("priority", self.tr("Priority")), ("preview", self.tr("Last message"))):
            val = QLabel(self)
            val.setWordWrap(True)
            val.setAccessibleName(label)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = val
            self.form.addRow(label, val)
        lay.addLayout(self.form)
        self.hint = mute(QLabel(self.tr("The conversation will appear here."), self))
        lay.addWidget(self.hint)
        lay.addStretch(1)
        self.update_interaction(interaction)

    def update_interaction(self, i: v.InteractionView) -> None:
        self.interaction = i
        mine = self._my_id is not None and self._my_id in (i.assigned_agent_id,
                                                           i.offered_agent_id)
        self.heading.setText(i.subject or self.tr("(no subject)"))
        self.fields["channel"].setText(channel_text(str(i.channel)))
        self.fields["customer"].setText(
            f"{i.customer.name} · {tier_text(str(i.customer.tier))}")
        self.fields["state"].setText(interaction_state_text(str(i.state), mine))
        self.fields["queue"].setText(self._queue_name(i.queue_id))
        self.fields["priority"].setText(priority_text(str(i.priority)))
        self.fields["preview"].setText(i.preview or "—")

    def set_gone(self, gone: bool) -> None:
        self.banner.setText(self.tr("This interaction is no longer in your queue."))
        self.banner.setVisible(gone)


class Workspace(QWidget):
    """Signals:
        sig_current_changed(object): the interaction of the current tab (or None).
    """

    sig_current_changed = Signal(object)

    def __init__(self, queue_name: Callable[[int], str], parent: QWidget | None = None, *,
                 my_id: Callable[[], int | None] = lambda: None,
                 context: ViewContext | None = None) -> None:
        super().__init__(parent)
        self._queue_name = queue_name
        self._my_id = my_id
        self.context = context
        self._views: dict[int, QWidget] = {}
        self._badges: dict[int, tuple[int, bool]] = {}  # unread, waited longest
        self.setAccessibleName(self.tr("Workspace"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        lay.addWidget(self.stack)
        self.empty = QLabel(self.tr("No interaction open.\n\nSelect one in the queue and press "
                                    "Enter, or double-click it."), self.stack)
        mute(self.empty)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)
        self.tabs = QTabWidget(self.stack)
        self.tabs.setAccessibleName(self.tr("Open interactions"))
        self.tabs.tabBar().setAccessibleName(self.tr("Interaction tabs"))
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._current_changed)
        self.stack.addWidget(self.tabs)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.setContext(Qt.ShortcutContext.WindowShortcut)
        close.activated.connect(lambda: self.close_tab(self.tabs.currentIndex()))

    # ---- tabs -----------------------------------------------------------------------------

    def open(self, i: v.InteractionView) -> None:
        """Open (or focus) the tab of ``i``."""
        view = self._views.get(i.id)
        if view is None:
            factory = VIEW_FACTORIES.get(str(i.channel))
            if factory is not None and self.context is not None:
                view = factory(i, self.context, self.tabs)
            else:
                view = SummaryView(i, self._queue_name, self.tabs, my_id=self._my_id())
            view.setProperty("interaction_id", i.id)
            self._views[i.id] = view
            index = self.tabs.addTab(view, channel_icon(str(i.channel)), self._title(i))
            self.tabs.setTabToolTip(index, self.tr("%1: %2").replace(
                "%1", channel_text(str(i.channel))).replace("%2", i.subject))
            for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
                button = self.tabs.tabBar().tabButton(index, side)
                if button is not None:  # the close button (left on macOS)
                    button.setAccessibleName(self.tr("Close the interaction tab"))
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentWidget(view)
        view.setFocus()

    @staticmethod
    def _title(i: v.InteractionView) -> str:
        name = i.customer.name
        return name if len(name) <= 22 else name[:21] + "…"

    def set_badge(self, interaction_id: int, unread: int, highlight: bool) -> None:
        """Show ``unread`` new messages on the tab ("Carol Smith (3)"); ``highlight`` marks
        the chat whose customer has waited longest for a reply (a dot and amber text)."""
        view = self._views.get(interaction_id)
        if view is None or self._badges.get(interaction_id, (0, False)) == (unread, highlight):
            return
        self._badges[interaction_id] = (unread, highlight)
        i: v.InteractionView | None = getattr(view, "interaction", None)
        index = self.tabs.indexOf(view)
        if i is not None:
            self.tabs.setTabText(index, self._tab_text(i))
        bar = self.tabs.tabBar()
        bar.setTabTextColor(index, QColor("#b45309") if highlight else QColor())
        tip = self.tr("%1: %2").replace("%1", channel_text(str(i.channel)) if i else "").replace(
            "%2", i.subject if i else "")
        if highlight:
            tip += "\n" + self.tr("This customer has waited longest for a reply.")
        self.tabs.setTabToolTip(index, tip)

    def badge(self, interaction_id: int) -> tuple[int, bool]:
        """(unread count, highlighted) of a tab."""
        return self._badges.get(interaction_id, (0, False))

    def _tab_text(self, i: v.InteractionView) -> str:
        unread, highlight = self._badges.get(i.id, (0, False))
        text = self._title(i)
        if unread:
            text = self.tr("%1 (%2)").replace("%1", text).replace("%2", str(unread))
        return "● " + text if highlight else text

    @Slot(int)
    def close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        if view is None:
            return
        iid = view.property("interaction_id")
        self._views.pop(int(iid), None)
        self._badges.pop(int(iid), None)
        self.tabs.removeTab(index)
        view.deleteLater()
        if not self.tabs.count():
            self.stack.setCurrentIndex(0)
            self.sig_current_changed.emit(None)

    def open_ids(self) -> list[int]:
        views = (self.tabs.widget(n) for n in range(self.tabs.count()))
        return [int(w.property("interaction_id")) for w in views if w is not None]

    def current_interaction(self) -> v.InteractionView | None:
        view = self.tabs.currentWidget()
        return getattr(view, "interaction", None) if self.tabs.count() else None

    def view(self, interaction_id: int) -> QWidget | None:
        return self._views.get(interaction_id)

    @Slot(str)
    def insert_reply(self, text: str) -> bool:
        """Insert ``text`` at the cursor of the current conversation's reply — the chat
        composer, the email reply (opened like Reply when none is open), the call notes —
        and focus it. False when no conversation is open or it is read-only for you."""
        view = self.tabs.currentWidget() if self.tabs.count() else None
        insert = getattr(view, "insert_reply_text", None)
        return bool(text) and callable(insert) and bool(insert(text))

    # ---- updates from the bridge ----------------------------------------------------------

    @Slot(list, list)
    def apply(self, upserted: list[v.InteractionView], removed: list[int]) -> None:
        """A batch from ``ClientBridge.sig_interactions_changed``: refresh open tabs."""
        if not self._views:
            return
        current = self.current_interaction()
        for i in upserted:
            view = self._views.get(i.id)
            if view is not None:
                view.update_interaction(i)  # type: ignore[attr-defined]
                view.set_gone(False)  # type: ignore[attr-defined]
                index = self.tabs.indexOf(view)
                self.tabs.setTabText(index, self._tab_text(i))
        for iid in removed:
            view = self._views.get(iid)
            if view is not None:
                view.set_gone(True)  # type: ignore[attr-defined]
        after = self.current_interaction()
        if after is not None and after is not current:
            self.sig_current_changed.emit(after)

    @Slot(int)
    def _current_changed(self, _index: int) -> None:
        self.sig_current_changed.emit(self.current_interaction())
