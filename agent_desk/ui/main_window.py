"""The main window: the unified queue on the left, the workspace tabs in the centre, the
side column on the right (customer and knowledge-base tabs, suggested replies below); the
agent-state selector in the toolbar; connection, state and counts in the status bar.
Actions go through the ``Controller``; every handler that waits for the server disables its
control and re-enables it in ``finally``."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QSplitter, QToolBar, QWidget
from qasync import asyncSlot

from ..client.connection import Connection, ConnectionStatus, Status
from ..protocol import messages as m
from ..protocol import views as v
from . import icons
from . import settings as opts
from .bridge import ClientBridge
from .channel_views import register_channel_views
from .channel_views import shortcuts as conversation_shortcuts
from .controller import Controller
from .kb_panel import KnowledgePanel
from .kb_search_worker import KbSearchWorker
from .kb_wiring import KnowledgeWiring
from .queue_pane import QueuePane
from .settings import Settings
from .side_column import SideColumn
from .state_selector import StateSelector
from .status_bar import StatusBar
from .tray import TrayNotifier
from .view_context import ViewContext
from .workspace import Workspace

#: (keys, description) of the main window's own shortcuts (the queue pane lists its own).
SHORTCUTS: tuple[tuple[str, object], ...] = (
    ("F1", QT_TRANSLATE_NOOP("MainWindow", "Show the keyboard shortcuts")),
    ("Ctrl+1", QT_TRANSLATE_NOOP("MainWindow", "Go to the queue")),
    ("Ctrl+2", QT_TRANSLATE_NOOP("MainWindow", "Go to the open interactions")),
    ("Ctrl+3", QT_TRANSLATE_NOOP("MainWindow", "Go to the customer panel")),
    ("Ctrl+4", QT_TRANSLATE_NOOP("MainWindow", "Search the knowledge base")),
    ("Ctrl+Shift+J", QT_TRANSLATE_NOOP("MainWindow", "Knowledge-base articles (write, "
                                                     "review, publish)")),
    ("Ctrl+Tab", QT_TRANSLATE_NOOP("MainWindow", "Next interaction tab")),
    ("Ctrl+Shift+Tab", QT_TRANSLATE_NOOP("MainWindow", "Previous interaction tab")),
    ("Ctrl+W", QT_TRANSLATE_NOOP("MainWindow", "Close the interaction tab")),
    ("Ctrl+Shift+S", QT_TRANSLATE_NOOP("MainWindow", "Change your state")),
    ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("MainWindow",
                                       "Take the selected email or follow-up task")),
    ("Alt+1", QT_TRANSLATE_NOOP("MainWindow", "Insert suggested reply 1 (Alt+2 … Alt+5: "
                                              "the others)")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "Reconnect now")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("MainWindow", "Quit")),
)
#: Language codes and their names in their own language (never translated).
LANGUAGES = (("en", "English"), ("zh_CN", "中文（简体）"))


class MainWindow(QMainWindow):
    """Signals:
        sig_sign_out_requested: the agent chose "Sign out".
        sig_sign_in_requested: the agent chose "Sign in again" (after being signed out).
        sig_quit_requested: the agent chose "Quit" or closed the window.
    """

    sig_sign_out_requested = Signal()
    sig_sign_in_requested = Signal()
    sig_quit_requested = Signal()

    def __init__(self, controller: Controller, bridge: ClientBridge, settings: Settings, *,
                 app_icon: QIcon | None = None, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.controller = controller
        self.bridge = bridge
        self.state = bridge.state
        self.settings = settings
        self._now = now
        self._closing = False
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Agent Desk"))
        if app_icon is not None:
            self.setWindowIcon(app_icon)
        server_now: Callable[[], float] = lambda: now() + self.state.server_offset_s  # noqa: E731
        self.queue = QueuePane(bridge, self, now=server_now)
        register_channel_views()
        self.context = ViewContext(controller, bridge, settings, self._queue_name, server_now,
                                   drafts=controller.drafts(), kb_path=controller.kb_path())
        self.workspace = Workspace(self._queue_name, self, my_id=lambda: self.state.my_id,
                                   context=self.context)
        # one knowledge-base search thread for the window (KB panel, wrap-up pickers)
        self.kb_search = KbSearchWorker(self.context.kb_path, self)
        self.context.kb_search = self.kb_search  # the wrap-up article pickers search with it
        self.side = SideColumn(self.context, self, worker=self.kb_search)
        self.customer = self.side.customer
        self.kb: KnowledgePanel = self.side.kb
        self.suggestions = self.side.suggestions
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for w, stretch in ((self.queue, 6), (self.workspace, 4), (self.side, 3)):
            self.splitter.addWidget(w)
            self.splitter.setStretchFactor(self.splitter.indexOf(w), stretch)
        self.splitter.setSizes([700, 540, 360])
        self.setCentralWidget(self.splitter)
        self.selector = StateSelector(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.tray = TrayNotifier(settings, app_icon or QIcon(), self)
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._connect_signals()
        self._restore()
        self._on_reset()
        counts = self.queue.counts()  # the pane counted its rows before we listened
        self.status.set_counts(counts)
        self.tray.set_counts(counts)
        self.status.set_status(controller.status)
        self.status.set_remembered(controller.remembered_text)

    # ---- construction ---------------------------------------------------------------------

    def _action(self, text: str, keys: str | None = None,
                slot: Callable[..., object] | None = None, *, checkable: bool = False
                ) -> QAction:
        act = QAction(text, self)
        if keys:
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_help = self._action(self.tr("&Keyboard shortcuts"), "F1", self.show_help)
        self.act_queue = self._action(self.tr("Go to the &queue"), "Ctrl+1",
                                      lambda: self.queue.view.setFocus())
        self.act_work = self._action(self.tr("Go to the &interactions"), "Ctrl+2",
                                     self._focus_workspace)
        self.act_cust = self._action(self.tr("Go to the &customer"), "Ctrl+3",
                                     self._show_customer)
        self.act_kb = self._action(self.tr("Search the &knowledge base"), "Ctrl+4",
                                   self._show_knowledge)
        self.act_articles = self._action(self.tr("&Articles…"), "Ctrl+Shift+J",
                                         lambda: self.knowledge.open_editor())
        self.act_articles.setToolTip(self.tr("Write, review and publish knowledge-base "
                                             "articles (Ctrl+Shift+J)"))
        self.act_templates = self._action(self.tr("Reply &templates…"), None,
                                          lambda: self.knowledge.open_templates())
        self.act_templates.setToolTip(self.tr("The reply templates and their #shortcuts "
                                              "(leads and admins edit them)"))
        self.act_next = self._action(self.tr("&Next tab"), "Ctrl+Tab", lambda: self._step(1))
        self.act_prev = self._action(self.tr("&Previous tab"), "Ctrl+Shift+Tab",
                                     lambda: self._step(-1))
        self.act_state = self._action(self.tr("Change your &state…"), "Ctrl+Shift+S",
                                      self.selector.button.showMenu)
        self.act_reconnect = self._action(self.tr("&Reconnect now"), "F5",
                                          self.controller.reconnect_now)
        self.act_quit = self._action(self.tr("&Quit"), "Ctrl+Q", self.sig_quit_requested.emit)
        self.act_sign_out = self._action(self.tr("Sign &out"), None,
                                         self.sig_sign_out_requested.emit)
        self.act_sign_in = self._action(self.tr("Sign &in again…"), None,
                                        self.sig_sign_in_requested.emit)
        self.act_sign_in.setVisible(False)
        self.act_urgent = self._action(self.tr("Next most urgent"), None,
                                       self.queue.select_next_most_urgent)
        self.act_urgent.setIcon(icons.icon("priority-urgent"))
        self.act_urgent.setToolTip(self.tr("Select the most urgent interaction (Ctrl+Shift+N)"))
        self.act_take = self._action(self.tr("&Take it"), "Ctrl+Shift+P", self._take)
        self.act_take.setIcon(icons.icon("accept"))
        self.act_take.setToolTip(self.tr("Take the selected waiting email or follow-up task "
                                         "yourself (Ctrl+Shift+P)"))
        self.act_take.setEnabled(False)
        self.act_panel = self._action(self.tr("Customer &panel"), None, self._toggle_panel,
                                      checkable=True)
        self.act_panel.setChecked(self.settings.get(opts.SHOW_CUSTOMER_PANEL))
        self.side.setVisible(self.act_panel.isChecked())

    def _build_toolbar(self) -> None:
        tb = QToolBar(self.tr("Main toolbar"), self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setFloatable(False)
        tb.setIconSize(QSize(18, 18))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setAccessibleName(self.tr("Main toolbar"))
        caption = QLabel(self.tr("State:"), tb)
        caption.setContentsMargins(6, 0, 2, 0)
        tb.addWidget(caption)
        tb.addWidget(self.selector)
        tb.addSeparator()
        tb.addAction(self.act_urgent)
        tb.addAction(self.act_take)
        spacer = QWidget(tb)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.user_label = QLabel(tb)
        self.user_label.setAccessibleName(self.tr("Signed in as"))
        self.user_label.setContentsMargins(8, 0, 8, 0)
        tb.addWidget(self.user_label)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        app = bar.addMenu(self.tr("&Agent Desk"))
        app.addActions([self.act_sign_in, self.act_sign_out])
        app.addSeparator()
        app.addAction(self.act_quit)
        view = bar.addMenu(self.tr("&View"))
        view.addActions([self.act_queue, self.act_work, self.act_cust])
        view.addSeparator()
        view.addActions([self.act_next, self.act_prev])
        view.addSeparator()
        view.addAction(self.act_panel)
        kb_menu = bar.addMenu(self.tr("&Knowledge"))
        kb_menu.addActions([self.act_kb, self.act_articles, self.act_templates])
        agent = bar.addMenu(self.tr("&Work"))
        agent.addActions([self.act_state, self.act_urgent, self.act_take, self.act_reconnect])
        prefs = bar.addMenu(self.tr("&Settings"))
        lang = prefs.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        current = self.settings.get(opts.LANGUAGE)
        for code, name in (("", self.tr("System default")), *LANGUAGES):
            act = lang.addAction(name)
            act.setCheckable(True)
            act.setChecked(code == current)
            act.triggered.connect(lambda _c=False, c=code: self.settings.set(opts.LANGUAGE, c))
            group.addAction(act)
        prefs.addSeparator()
        for opt, text in ((opts.NOTIFY_OFFERS, self.tr("Notify me of &offers")),
                          (opts.NOTIFY_SLA, self.tr("Notify me when my work nears its &SLA")),
                          (opts.SOUND, self.tr("&Ring for incoming calls")),
                          (opts.EMAIL_NEWEST_FIRST,
                           self.tr("Show the &newest email of a thread first"))):
            act = prefs.addAction(text)
            act.setCheckable(True)
            act.setChecked(self.settings.get(opt))
            act.toggled.connect(lambda on, o=opt: self.settings.set(o, on))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_help)

    def _connect_signals(self) -> None:
        b = self.bridge
        b.sig_reset.connect(self._on_reset)
        b.sig_me_changed.connect(self._on_me)
        b.sig_status_changed.connect(self._on_status)
        b.sig_interactions_changed.connect(self.workspace.apply)
        # slots of the window (not lambdas): disconnected when the window goes
        b.sig_interactions_changed.connect(self._update_take)
        self.queue.view.selectionModel().currentRowChanged.connect(self._update_take)
        b.sig_offered.connect(self.tray.offer)
        b.sig_sla_alert.connect(self._on_sla_alert)
        q = self.queue
        q.sig_open_requested.connect(self.open_interaction)
        q.sig_accept_requested.connect(self._accept)
        q.sig_decline_requested.connect(self._decline)
        q.sig_counts_changed.connect(self.status.set_counts)
        q.sig_counts_changed.connect(self.tray.set_counts)
        self.selector.sig_state_requested.connect(self._set_state)
        self.workspace.sig_current_changed.connect(self._on_current)
        self.knowledge = KnowledgeWiring(self)
        self.status.sig_reconnect_requested.connect(self.controller.reconnect_now)
        self.controller.sig_notice.connect(self.status.show_notice)
        self.controller.sig_remembered.connect(self.status.set_remembered)
        self.tray.sig_activated.connect(self.bring_to_front)
        self.tray.sig_quit_requested.connect(self.sig_quit_requested)

    # ---- state from the bridge ------------------------------------------------------------

    def _queue_name(self, queue_id: int) -> str:
        q = self.state.queues.get(queue_id)
        return q.name if q else "—"

    @Slot()
    def _on_reset(self) -> None:
        self._on_me(self.state.me)

    @Slot(object)
    def _on_me(self, me: v.AgentView | None) -> None:
        self.selector.set_agent(me, self.state.away_reasons, self.state.server_offset_s)
        self.status.set_agent(me, self.state.server_offset_s)
        if me is None:
            self.user_label.setText("")
            self.setWindowTitle(self.tr("Agent Desk"))
        else:
            self.user_label.setText(self.tr("%1 (%2)").replace("%1", me.name).replace(
                "%2", me.username))
            self.setWindowTitle(self.tr("%1 — Agent Desk").replace("%1", me.name))

    @Slot(object)
    def _on_status(self, status: ConnectionStatus) -> None:
        self.status.set_status(status)
        signed_out = status.status == Status.SIGNED_OUT
        self.act_sign_in.setVisible(signed_out)
        if status.status == Status.CONNECTED and self.customer.offline_shown():
            self.customer.refresh()

    @Slot(object)
    def _on_sla_alert(self, alert: m.SlaAlert) -> None:
        i = self.state.interactions.get(alert.interaction_id)
        me = self.state.my_id
        if alert.level == "warning" and i is not None and me is not None \
                and i.assigned_agent_id == me:
            self.tray.sla_warning(i)

    @Slot(object)
    def _on_current(self, i: v.InteractionView | None) -> None:
        self.customer.show_interaction(i)
        self.side.set_interaction(i)
        if i is not None:
            self.knowledge.push_links([i], [])

    # ---- actions --------------------------------------------------------------------------

    @Slot(int)
    def open_interaction(self, interaction_id: int) -> None:
        i = self.state.interactions.get(interaction_id)
        if i is not None:
            self.workspace.open(i)

    @asyncSlot(int)
    async def _accept(self, interaction_id: int) -> None:
        ack = await self.controller.accept(interaction_id)
        if ack is not None and ack.ok and not self._closing:
            self.open_interaction(interaction_id)

    def _takeable(self) -> v.InteractionView | None:
        """The selected interaction if you may take it: a waiting email (or a lead's
        follow-up task, any channel) in one of your queues."""
        iid = self.queue.selected_id()
        i = self.state.interactions.get(iid) if iid is not None else None
        me = self.state.me
        if i is None or me is None or str(i.state) != "queued" \
                or i.queue_id not in me.queue_ids:
            return None
        return i if str(i.channel) == "email" or str(i.kind) == "follow_up" else None

    @Slot()
    def _update_take(self, *_args: object) -> None:
        if not self._closing:
            self.act_take.setEnabled(self._takeable() is not None)

    @asyncSlot()
    async def _take(self) -> None:
        i = self._takeable()
        if i is None:
            return
        self.act_take.setEnabled(False)
        try:
            ack = await self.controller.send(m.Pick(key=Connection.new_key(),
                                                    interaction_id=i.id),
                                             self.tr("Could not take it"))
        finally:
            if not self._closing:
                self._update_take()
        if ack is not None and ack.ok and not self._closing:
            self.open_interaction(i.id)

    @asyncSlot(int, str)
    async def _decline(self, interaction_id: int, reason: str) -> None:
        await self.controller.decline(interaction_id, reason)

    @asyncSlot(str, str)
    async def _set_state(self, state: str, reason: str) -> None:
        self.selector.set_pending(True)
        try:
            await self.controller.set_state(state, reason or None)
        finally:
            if not self._closing:  # the window may have closed meanwhile
                self.selector.set_pending(False)

    @Slot()
    def show_help(self) -> None:
        from .help_dialog import HelpDialog

        mine = [(k, QCoreApplication.translate("MainWindow", str(text))) for k, text in SHORTCUTS]
        dlg = HelpDialog([(self.tr("Window"), mine), (self.tr("Queue"), QueuePane.shortcuts()),
                          (self.tr("Conversation"), conversation_shortcuts()),
                          (self.tr("Knowledge base"), KnowledgePanel.shortcuts())], self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._help = dlg

    def _focus_workspace(self) -> None:
        w = self.workspace.tabs.currentWidget() if self.workspace.tabs.count() else None
        (w or self.workspace).setFocus()

    def _step(self, delta: int) -> None:
        tabs = self.workspace.tabs
        if tabs.count():
            tabs.setCurrentIndex((tabs.currentIndex() + delta) % tabs.count())

    def _toggle_panel(self, on: bool) -> None:
        self.side.setVisible(on)
        self.settings.set(opts.SHOW_CUSTOMER_PANEL, on)

    def _show_side(self) -> None:
        if not self.side.isVisible():
            self.act_panel.setChecked(True)
            self._toggle_panel(True)

    def _show_customer(self) -> None:
        self._show_side()
        self.side.show_customer()

    def _show_knowledge(self) -> None:
        self._show_side()
        self.side.show_knowledge()

    @Slot()
    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def set_signed_out(self, signed_out: bool) -> None:
        self.act_sign_in.setVisible(signed_out)

    # ---- geometry -------------------------------------------------------------------------

    def _restore(self) -> None:
        geo = self.settings.get(opts.WINDOW_GEOMETRY)
        if not geo or not self.restoreGeometry(QByteArray(geo)):
            avail = self.screen().availableGeometry()
            self.resize(min(1600, max(1100, int(avail.width() * .9))),
                        min(940, max(700, int(avail.height() * .9))))
        state = self.settings.get(opts.WINDOW_STATE)
        if state:
            self.restoreState(QByteArray(state))
        split = self.settings.get(opts.SPLITTER_STATE)
        if split:
            self.splitter.restoreState(QByteArray(split))

    def save_geometry(self) -> None:
        self.settings.set(opts.WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        self.settings.set(opts.WINDOW_STATE, bytes(self.saveState().data()))
        self.settings.set(opts.SPLITTER_STATE, bytes(self.splitter.saveState().data()))

    def dispose(self) -> None:
        """Close without asking the app to quit (sign-out, language switch)."""
        self._closing = True
        self.close()
        self.kb_search.stop()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_geometry()
        self.tray.hide()
        self.side.shutdown()
        self.kb_search.stop()
        if not self._closing:
            self._closing = True
            self.sig_quit_requested.emit()
        event.accept()
