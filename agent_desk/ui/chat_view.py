"""The chat conversation in a workspace tab: the live transcript (history from
``get_interaction``, then live messages and notes, a flood coalesced into batches), the
customer's typing indicator and "seen" state, the collision bar, and the composer (Enter
sends, Shift+Enter new line; note-only for whoever is not the assignee; drafts autosaved).
Transfer, Escalate and End chat; the wrap-up panel once the chat is in wrap-up.

``ChatDesk`` (one per workspace) keeps the open chats' unread counts and marks the chat
whose customer has waited longest for a reply, on the workspace's tabs."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from ..channels.chat import Chat, ChatWorkspace, InboundCoalescer, Turn, turn_from_message
from ..client.connection import Connection
from ..client.status import ConnectionStatus, Status
from ..protocol import messages as m
from ..protocol import views as v
from .chat_composer import ChatComposer
from .chat_transcript import TranscriptModel, note_turn
from .chat_transcript_view import TranscriptView
from .collision_bar import CollisionBar
from .labels import interaction_state_text, tier_text
from .shortcut_expander import ReplyAids
from .tasks import TaskSet
from .text_style import emphasize, mute, notice_label
from .view_context import ViewContext
from .workspace import Workspace

MAX_BODY = 200_000
FINAL = ("closed", "abandoned")


class ChatDesk(QObject):
    """The chats open in one workspace: focus follows the current tab, unread badges and
    the "waited longest" highlight go to ``Workspace.set_badge``."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.chats = ChatWorkspace(capacity=1000)  # the server enforces the real capacity
        workspace.tabs.currentChanged.connect(self._current_changed)

    @classmethod
    def of(cls, workspace: Workspace) -> ChatDesk:
        desk = workspace.findChild(ChatDesk)
        return desk if desk is not None else cls(workspace)

    def add(self, view: ChatView) -> None:
        iid = view.interaction_id
        self.chats.open(view.chat)
        view.destroyed.connect(lambda *_: self.remove(iid))
        self._current_changed()

    def remove(self, interaction_id: int) -> None:
        self.chats.close(interaction_id)
        if isValid(self) and isValid(self.workspace) and isValid(self.workspace.tabs):
            self._current_changed()  # (not while the whole window is being destroyed)

    @Slot()
    def _current_changed(self, *_args: object) -> None:
        w = self.workspace.tabs.currentWidget() if self.workspace.tabs.count() else None
        iid = w.interaction_id if isinstance(w, ChatView) else None
        self.chats.focus(iid if iid is not None else -1)
        self.changed()

    def changed(self) -> None:
        longest = self.chats.longest_waiting()
        for iid, unread in self.chats.unread_counts().items():
            self.workspace.set_badge(int(iid), unread, iid == longest)


def _find_workspace(w: QObject | None) -> Workspace | None:
    while w is not None and not isinstance(w, Workspace):
        w = w.parent()
    return w


class ChatView(QWidget):
    def __init__(self, interaction: v.InteractionView, ctx: ViewContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self.interaction_id = iid = interaction.id
        self.chat = Chat(iid, now=ctx.now)
        self.model = TranscriptModel(self.chat, self)
        self.loaded = False
        self._load_failed = False
        self._tasks = TaskSet("chat view task")
        self._coalescer: InboundCoalescer[Turn] = InboundCoalescer(now=time.monotonic)
        self.wrap_up: QWidget | None = None
        self._typing_on = False  # the last presence said the customer is typing
        self.setAccessibleName(self.tr("Chat with %1").replace("%1", interaction.customer.name))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        lay.addLayout(self._build_header())
        self.banner = notice_label(self)
        lay.addWidget(self.banner)
        self.collision = CollisionBar(ctx, iid, self)
        lay.addWidget(self.collision)
        self.transcript = TranscriptView(self.model, self)
        lay.addWidget(self.transcript, 1)
        self.status = mute(QLabel(self.tr("Loading the conversation…"), self))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Conversation status"))
        lay.addWidget(self.status)
        self.typing = mute(QLabel(self))
        self.typing.setAccessibleName(self.tr("Customer typing"))
        self.typing.hide()
        lay.addWidget(self.typing)
        self.wrap_slot = QVBoxLayout()
        lay.addLayout(self.wrap_slot)
        self.composer = ChatComposer(self)
        lay.addWidget(self.composer)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.timeout.connect(self._refresh_typing)
        self._autosave = self.composer.keep_drafts(ctx.drafts, f"{iid}:chat")
        self.aids = ReplyAids(ctx, self.composer.edit, lambda: self.interaction, self.composer,
                              active=lambda: not self.composer.is_note())
        self.composer.add_hint(self.aids.hint)
        self.composer.note.toggled.connect(self.aids.hint.schedule)
        b = ctx.bridge
        b.sig_message.connect(self._on_message)
        b.sig_note.connect(self._on_note)
        b.sig_status_changed.connect(self._on_status)
        self.collision.sig_customer_typing.connect(self._customer_typing)
        self.composer.sig_submit.connect(self._on_submit)
        self.composer.sig_keystroke.connect(self.collision.keystroke)
        self.composer.sig_cleared.connect(self.collision.text_cleared)
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())
        ws = _find_workspace(parent)
        self.desk = ChatDesk.of(ws) if ws is not None else None
        if self.desk is not None:
            self.desk.add(self)
        self.update_interaction(interaction)
        self.collision.set_open(True)
        self.setFocusProxy(self.composer.edit)
        self._spawn(self.load())

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.title = emphasize(QLabel(self), 1.15)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setAccessibleName(self.tr("Customer"))
        self.state_label = mute(QLabel(self))
        self.state_label.setAccessibleName(self.tr("State"))
        row.addWidget(self.title)
        row.addWidget(self.state_label)
        row.addStretch(1)
        self.transfer_button = self._button(self.tr("&Transfer…"), self.tr("Transfer the chat"),
                                            "Ctrl+Shift+T", self.open_transfer)
        self.escalate_button = self._button(self.tr("Esca&late…"), self.tr("Escalate the chat"),
                                            "Ctrl+Shift+L", self.open_escalate)
        self.end_button = self._button(self.tr("&End chat"), self.tr("End the chat"),
                                       "Ctrl+Shift+E", self.end_chat)
        for btn in (self.transfer_button, self.escalate_button, self.end_button):
            row.addWidget(btn)
        return row

    def _button(self, text: str, name: str, keys: str, slot: Any) -> QPushButton:
        btn = QPushButton(text, self)
        btn.setAccessibleName(name)
        seq = QKeySequence(keys)
        btn.setShortcut(seq)  # replaces the mnemonic: say both in the tooltip
        btn.setToolTip(self.tr("%1 (%2)").replace("%1", name).replace(
            "%2", seq.toString(QKeySequence.SequenceFormat.NativeText)))
        btn.setAutoDefault(False)
        btn.clicked.connect(slot)
        return btn

    # ---- tasks -----------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    # ---- the workspace's view protocol ---------------------------------------------------------

    def update_interaction(self, i: v.InteractionView) -> None:
        if i.id != self.interaction_id:
            return
        self.interaction = i
        me = self.ctx.my_id
        mine = me is not None and i.assigned_agent_id == me
        role = self.ctx.state.me.role if self.ctx.state.me is not None else "agent"
        lead = str(role) in ("lead", "admin")
        state = str(i.state)
        self.title.setText(self.tr("%1 · %2").replace("%1", i.customer.name).replace(
            "%2", tier_text(str(i.customer.tier))))
        self.state_label.setText(interaction_state_text(
            state, mine or (me is not None and i.offered_agent_id == me)))
        live = state not in FINAL and state != "wrap_up"
        self.composer.set_note_only(not (mine and state == "assigned"))
        self.composer.setVisible(live or not mine)
        self.end_button.setEnabled(mine and state == "assigned")
        can_move = live and (lead or (mine and state == "assigned"))
        self.transfer_button.setEnabled(can_move)
        self.escalate_button.setEnabled(can_move)
        if i.customer_seen_at is not None:
            self.model.mark_seen(i.customer_seen_at)
        self._show_wrap_up(state == "wrap_up" and (mine or lead))

    def insert_reply_text(self, text: str) -> bool:
        """Insert ``text`` at the composer's cursor (False: no reply can be written)."""
        return self.composer.can_reply() and self.aids.insert(text)

    def set_gone(self, gone: bool) -> None:
        self.banner.setText(self.tr("This chat is no longer in your queue. What you typed "
                                    "is kept."))
        self.banner.setVisible(gone)

    def _show_wrap_up(self, on: bool) -> None:
        if on and self.wrap_up is None:
            from .wrap_up_panel import WrapUpPanel

            panel = WrapUpPanel(self.ctx, self.interaction, self)
            panel.sig_done.connect(self._wrap_up_done)
            self.wrap_slot.addWidget(panel)
            self.wrap_up = panel
            panel.setFocus()
        elif self.wrap_up is not None:
            self.wrap_up.update_interaction(self.interaction)  # type: ignore[attr-defined]

    @Slot()
    def _wrap_up_done(self) -> None:
        if self.wrap_up is not None:
            self.wrap_up.hide()
        self.status.setText(self.tr("The chat is closed."))
        self.status.show()

    # ---- the transcript ------------------------------------------------------------------------

    async def load(self) -> None:
        """History from ``get_interaction`` (messages and notes)."""
        from .controller import QueryFailed

        self.status.setText(self.tr("Loading the conversation…"))
        self.status.show()
        try:
            detail = await self.ctx.controller.ask(
                m.GetInteraction(interaction_id=self.interaction_id), v.InteractionDetail,
                self.tr("Offline — the conversation will load when the connection returns."))
        except QueryFailed as exc:
            if isValid(self):
                self._load_failed = True
                self.status.setText(exc.text)
            return
        if not isValid(self):
            return
        self._load_failed = False
        unread = self.chat.unread  # history is not news: only live turns count as unread
        self.model.add([*(turn_from_message(x) for x in detail.messages),
                        *(note_turn(n) for n in detail.notes)])
        self.chat.unread = unread
        self.loaded = True
        self.status.hide()
        self.update_interaction(detail.interaction)
        self._changed()

    @Slot(object)
    def _on_message(self, msg: v.MessageView) -> None:
        if msg.interaction_id == self.interaction_id:
            self._push(turn_from_message(msg))

    @Slot(object)
    def _on_note(self, note: v.NoteView) -> None:
        if note.interaction_id == self.interaction_id:
            self._push(note_turn(note))

    def _push(self, turn: Turn) -> None:
        if self._coalescer.push(turn):
            self._flush()
        elif not self._flush_timer.isActive():
            due = self._coalescer.next_flush_at() or time.monotonic()
            self._flush_timer.start(max(0, int((due - time.monotonic()) * 1000) + 1))

    @Slot()
    def _flush(self) -> None:
        batch = self._coalescer.drain()
        if not batch:
            return
        change = self.model.add(batch)
        if change.new_customer_turns:
            self._typing_on = False  # their message ends their typing
        if change.inserted or change.reset:
            self._refresh_typing()
            self._changed()

    def _changed(self) -> None:
        if self.desk is not None:
            self.desk.changed()

    @Slot(object)
    def _on_status(self, status: ConnectionStatus) -> None:
        if status.status == Status.CONNECTED and self._load_failed:
            self._spawn(self.load())

    # ---- the customer's typing -----------------------------------------------------------------

    @Slot(bool)
    def _customer_typing(self, typing: bool) -> None:
        self._flush()  # turns still held by the coalescer came first: they must not end this
        self._typing_on = typing
        self.chat.customer_typing(typing)
        self._refresh_typing()

    @Slot()
    def _refresh_typing(self) -> None:
        if self._typing_on and not self.chat.customer_is_typing():
            self.chat.customer_typing(True)  # the server still says so (it expires it)
        until = self.chat.typing_expires_at()
        if until is None:
            self._typing_timer.stop()
            self.typing.hide()
            return
        first = self.interaction.customer.name.split()[0] if self.interaction.customer.name \
            else self.tr("The customer")
        self.typing.setText(self.tr("%1 is typing…").replace("%1", first))
        self.typing.show()
        self._typing_timer.start(max(50, int((until - self.ctx.now()) * 1000) + 50))

    def customer_is_typing(self) -> bool:
        """The indicator is up (also while the tab is in the background)."""
        return not self.typing.isHidden() and self.chat.customer_is_typing()

    # ---- sending -------------------------------------------------------------------------------

    @Slot(str, bool)
    def _clear_composer(self, sent: str) -> None:
        if self.composer.text().strip("\n") == sent:
            self.composer.clear()
            self._autosave.discard()

    def _on_submit(self, text: str, note: bool) -> None:
        self._spawn(self.submit(text, note))

    async def submit(self, text: str, note: bool) -> bool:
        """Send ``text`` to the customer (or as an internal note). The composer keeps the
        text unless the server stored it. True when it did."""
        if len(text) > MAX_BODY:
            self.ctx.controller.sig_notice.emit(self.tr(
                "The message is too long (at most %1 characters); nothing was sent.").replace(
                    "%1", f"{MAX_BODY:,}"))
            return False
        iid, key = self.interaction_id, Connection.new_key()
        if note:
            cmd: m.Command = m.AddNote(key=key, interaction_id=iid, body=text)
            failed = self.tr("Could not add the note")
        else:
            cmd = m.SendMessage(key=key, interaction_id=iid, body=text)
            failed = self.tr("Could not send the message")
        self.composer.set_busy(True)
        try:
            ack, pending = await self.ctx.controller.send_tracked(cmd, failed)
        finally:
            if isValid(self):
                self.composer.set_busy(False)
        if not isValid(self):
            return False
        if pending is not None:  # queued offline: it goes out once when the connection
            self._clear_composer(text)  # returns, so it must not stay to be sent again
            return False
        if ack is None or not ack.ok:
            return False  # refused, or not saved: the text stays where it was
        self._clear_composer(text)
        if not note:
            self.collision.message_sent()
        return True

    # ---- transfer, escalate, end ---------------------------------------------------------------

    @Slot()
    def open_transfer(self) -> None:
        self._open_dialog("transfer")

    @Slot()
    def open_escalate(self) -> None:
        self._open_dialog("escalate")

    def _open_dialog(self, mode: str) -> Any:
        from .transfer_dialog import TransferDialog

        submit = self.transfer if mode == "transfer" else self.escalate
        dlg = TransferDialog(self.ctx, "chat", mode=mode, parent=self, submit=submit)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    async def transfer(self, kind: str, target_id: int, note: str) -> bool:
        agent, queue = (target_id, None) if kind == "agent" else (None, target_id)
        ack = await self.ctx.controller.send(m.Transfer(
            key=Connection.new_key(), interaction_id=self.interaction_id, to_agent_id=agent,
            to_queue_id=queue, note=note or None), self.tr("Could not transfer the chat"))
        return ack is not None and ack.ok

    async def escalate(self, kind: str, target_id: int, reason: str) -> bool:
        agent, queue = (target_id, None) if kind == "agent" else (None, target_id)
        ack = await self.ctx.controller.send(m.Escalate(
            key=Connection.new_key(), interaction_id=self.interaction_id, to_agent_id=agent,
            to_queue_id=queue, reason=reason), self.tr("Could not escalate the chat"))
        return ack is not None and ack.ok

    @Slot()
    def end_chat(self) -> None:
        self._spawn(self.close_chat())

    async def close_chat(self) -> bool:
        self.end_button.setEnabled(False)
        try:
            ack = await self.ctx.controller.send(
                m.Close(key=Connection.new_key(), interaction_id=self.interaction_id),
                self.tr("Could not end the chat"))
        finally:
            if isValid(self):
                self.update_interaction(self.interaction)
        return ack is not None and ack.ok

    def flush_draft(self) -> bool:
        """Write the composer's draft now (True when it is safe on disk, or clean)."""
        return bool(self._autosave.flush())

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        self.flush_draft()  # switching tabs or closing: keep what was typed
        super().hideEvent(event)
