"""The email workspace view: the thread (oldest first, or newest first per the
``email_newest_first`` setting) with internal notes in between, actions (Reply Ctrl+R,
Reply all Ctrl+Shift+R, Forward Ctrl+Shift+F, Internal note Ctrl+Shift+N, Transfer,
Escalate, Close), the composer (assignee only; others get the note box), the collision
bar on top and the wrap-up panel once the interaction is in wrap-up.

History is loaded with ``get_interaction`` without blocking (HTML is sanitised on a worker
thread while the message's inline images are fetched, so a message is normally laid out
once, with its images); live messages and notes arrive through the bridge. Attachments are
saved to a place the agent chooses, never opened."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..channels.email import (
    EmailError,
    SafeHtml,
    attribution_template,
    reply,
    sanitize_html,
)
from ..client.attachment_transfer import TransferError, download_attachment
from ..client.connection import Connection
from ..protocol import messages as m
from ..protocol import views as v
from . import settings as opts
from .collision_bar import CollisionBar
from .email_composer import EmailComposer
from .email_inline import InlineImages
from .email_thread import EmailThread
from .labels import interaction_state_text
from .safe_browser import prepare_html
from .shortcut_expander import ReplyAids
from .tasks import TaskSet
from .text_style import emphasize, mute, notice_label
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.email_view")


class EmailView(QWidget):
    def __init__(self, interaction: v.InteractionView, ctx: ViewContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = interaction
        self.iid = interaction.id
        self.loaded = False
        self.wrap_up: Any = None
        self._tasks = TaskSet("email view task")
        self.inline = InlineImages(ctx, self._tasks)
        self._dialog: Any = None
        self.setAccessibleName(self.tr("Email conversation"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(6)
        self.collision = CollisionBar(ctx, self.iid, self)
        lay.addWidget(self.collision)
        self.banner = notice_label(self)
        lay.addWidget(self.banner)
        head = QHBoxLayout()
        self.heading = emphasize(QLabel(self), 1.25)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = mute(QLabel(self))
        head.addWidget(self.heading, 1)
        head.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        actions = QHBoxLayout()
        actions.setSpacing(4)
        self.reply_button = self._button(self.tr("&Reply"), self.tr("Reply"), "Ctrl+R",
                                         lambda: self.start_reply("reply"))
        self.reply_all_button = self._button(self.tr("Reply &all"), self.tr("Reply to all"),
                                             "Ctrl+Shift+R",
                                             lambda: self.start_reply("reply_all"))
        self.forward_button = self._button(self.tr("&Forward"), self.tr("Forward"),
                                           "Ctrl+Shift+F", lambda: self.start_reply("forward"))
        self.note_button = self._button(self.tr("Internal &note"), self.tr("Add internal note"),
                                        "Ctrl+Shift+I", self.show_note_box)
        for b in (self.reply_button, self.reply_all_button, self.forward_button,
                  self.note_button):
            actions.addWidget(b)
        actions.addStretch(1)
        lay.addLayout(actions)
        actions = QHBoxLayout()  # a second row: the view stays narrow enough beside the queue
        actions.setSpacing(4)
        self.transfer_button = self._button(self.tr("&Transfer…"), self.tr("Transfer"),
                                            "Ctrl+Shift+T",
                                            lambda: self.open_transfer("transfer"))
        self.escalate_button = self._button(self.tr("&Escalate…"), self.tr("Escalate"),
                                            "Ctrl+Shift+L",
                                            lambda: self.open_transfer("escalate"))
        self.close_button = self._button(self.tr("C&lose"), self.tr("Close the conversation"),
                                         "Ctrl+Shift+E", self.close_conversation)
        for b in (self.transfer_button, self.escalate_button, self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setChildrenCollapsible(False)
        self.thread_view = EmailThread(self.split, newest_first=bool(
            ctx.settings.get(opts.EMAIL_NEWEST_FIRST)))
        self.thread_view.sig_save.connect(self.save_attachment)
        self.thread_view.sig_notice.connect(ctx.controller.sig_notice)
        self.messages = self.thread_view.messages
        self.status = self.thread_view.status
        bottom = QWidget(self.split)
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        self.composer = EmailComposer(ctx, self.iid, bottom)
        self.composer.hide()
        self.composer.sig_sent.connect(self._sent)
        self.composer.sig_discarded.connect(self.composer.hide)
        self.composer.sig_typing.connect(self.collision.keystroke)
        self.aids = ReplyAids(ctx, self.composer.body, lambda: self.interaction,
                              self.composer.editor)
        self.composer.editor.add_hint(self.aids.hint)
        bl.addWidget(self.composer)
        self.note_box = QWidget(bottom)
        nl = QHBoxLayout(self.note_box)
        nl.setContentsMargins(0, 0, 0, 0)
        self.note_edit = QPlainTextEdit(self.note_box)
        self.note_edit.setPlaceholderText(self.tr("Internal note for colleagues (never sent to "
                                                  "the customer)"))
        self.note_edit.setAccessibleName(self.tr("Internal note"))
        self.note_edit.setMaximumHeight(70)
        self.note_edit.textChanged.connect(self.collision.keystroke)
        self.add_note_button = self._button(self.tr("A&dd note"), self.tr("Add the note"), "",
                                            self.add_note)
        nl.addWidget(self.note_edit, 1)
        nl.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.note_box.hide()
        bl.addWidget(self.note_box)
        self.split.addWidget(self.thread_view)
        self.split.addWidget(bottom)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        lay.addWidget(self.split, 1)
        self.wrap_up_slot = QVBoxLayout()
        lay.addLayout(self.wrap_up_slot)
        ctx.bridge.sig_message.connect(self._on_message)
        ctx.bridge.sig_note.connect(self._on_note)
        ctx.settings.changed.connect(self._setting_changed)
        self.update_interaction(interaction)
        saved = ctx.drafts.load(f"{self.iid}:email") if ctx.drafts is not None else None
        if saved and self.can_send() and self.composer.restore(saved):
            self.composer.show()
        self._spawn(self.load())

    def _button(self, text: str, name: str, keys: str, slot: Any) -> QPushButton:
        b = QPushButton(text, self)
        b.setAccessibleName(name)
        if keys:
            b.setShortcut(QKeySequence(keys))
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            b.setToolTip(f"{name} ({native})")
        b.clicked.connect(slot)
        return b

    # ---- the workspace protocol -------------------------------------------------------------

    def update_interaction(self, i: v.InteractionView) -> None:
        self.interaction = i
        self.heading.setText(i.subject or self.tr("(no subject)"))
        state = str(i.state)
        self.state_label.setText(interaction_state_text(state, self._mine()))
        sendable = self.can_send()
        for b in (self.reply_button, self.reply_all_button, self.forward_button):
            b.setEnabled(sendable)
            b.setToolTip(b.toolTip() if sendable else self.tr(
                "Only the assigned agent can reply; you can add internal notes."))
        active = state in ("assigned", "on_hold") and self._mine()
        self.close_button.setEnabled(active)
        self.transfer_button.setEnabled(active)
        self.escalate_button.setEnabled(active or state in ("queued", "offered"))
        if not sendable and self.composer.isVisible():
            self.composer.autosaver.flush()
            self.composer.hide()
        if state == "wrap_up" and self._mine():
            self._show_wrap_up()
        elif self.wrap_up is not None:
            self.wrap_up.update_interaction(i)

    def insert_reply_text(self, text: str) -> bool:
        """Insert ``text`` at the reply's cursor, opening a reply (like Reply) if none is
        open. False when this agent cannot reply."""
        if not self.can_send() or (self.composer.isHidden() and not self.start_reply("reply")):
            return False
        return self.aids.insert(text)

    def set_gone(self, gone: bool) -> None:
        self.banner.setText(self.tr("This interaction is no longer in your queue."))
        self.banner.setVisible(gone)

    def _mine(self) -> bool:
        return self.ctx.my_id is not None and self.interaction.assigned_agent_id == self.ctx.my_id

    def can_send(self) -> bool:
        """Only the assignee, while the conversation is open, writes to the customer."""
        return self._mine() and str(self.interaction.state) == "assigned"

    def _show_wrap_up(self) -> None:
        if self.wrap_up is not None:
            self.wrap_up.update_interaction(self.interaction)
            return
        from .wrap_up_panel import WrapUpPanel

        self.wrap_up = WrapUpPanel(self.ctx, self.interaction, self)
        self.wrap_up_slot.addWidget(self.wrap_up)
        self.composer.hide()

    # ---- lifecycle --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.collision.set_open(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.composer.autosaver.flush()
        super().hideEvent(event)

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    # ---- loading ----------------------------------------------------------------------------

    async def load(self) -> None:
        from .controller import QueryFailed

        try:
            detail = await self.ctx.controller.ask(
                m.GetInteraction(interaction_id=self.iid), v.InteractionDetail,
                self.tr("Offline — the thread will load when the connection returns."))
        except QueryFailed as exc:
            if isValid(self):
                self.status.setText(exc.text)
            return
        if not isValid(self):
            return
        early = {x.id: self.inline.prefetch(x) for x in detail.messages}
        safe = await self._sanitize_all(detail.messages)
        if not isValid(self):
            return
        await self.inline.wait(early.values())
        if not isValid(self):
            return
        self.status.hide()
        for msg in detail.messages:
            self.inline.add_message(self.thread_view, msg, safe.get(msg.id), early.get(msg.id))
        for note in detail.notes:
            self.thread_view.add_note(note)
        self.loaded = True
        self.thread_view.scroll_to_newest()

    async def _sanitize_all(self, msgs: list[v.MessageView]) -> dict[int, SafeHtml]:
        placeholder = self.tr("image not loaded")
        todo = [(x.id, x.html) for x in msgs if x.html and x.html.strip()]

        def work() -> dict[int, SafeHtml]:
            return {mid: prepare_html(sanitize_html(html, image_placeholder=placeholder))
                    for mid, html in todo}
        return await asyncio.to_thread(work) if todo else {}

    @Slot(object)
    def _on_message(self, msg: v.MessageView) -> None:
        if msg.interaction_id == self.iid and self.loaded:
            if msg.html:
                self._spawn(self._add_live(msg))
            else:
                self.inline.add_message(self.thread_view, msg)
                self.thread_view.scroll_to_newest()

    async def _add_live(self, msg: v.MessageView) -> None:
        early = self.inline.prefetch(msg)
        safe = await self._sanitize_all([msg])
        if isValid(self):
            await self.inline.wait([early])
        if isValid(self):
            self.inline.add_message(self.thread_view, msg, safe.get(msg.id), early)
            self.thread_view.scroll_to_newest()

    @Slot(object)
    def _on_note(self, note: v.NoteView) -> None:
        if note.interaction_id == self.iid and self.loaded:
            self.thread_view.add_note(note)
            self.thread_view.scroll_to_newest()

    @Slot(str)
    def _setting_changed(self, name: str) -> None:
        if name == opts.EMAIL_NEWEST_FIRST.name:
            self.thread_view.set_newest_first(bool(self.ctx.settings.get(opts.EMAIL_NEWEST_FIRST)))

    def thread_order(self) -> list[int]:
        """Message ids in display order (tests, screen readers)."""
        return self.thread_view.order()

    # ---- actions ----------------------------------------------------------------------------

    def start_reply(self, mode: str) -> bool:
        if not self.can_send():
            return False
        thread = sorted(self.messages.values(), key=lambda x: (x.at, x.id))
        ours = our_addresses(thread)
        signature = ""
        if self.ctx.drafts is not None:
            signature = str((self.ctx.drafts.load("signature") or {}).get("text", ""))
        try:
            draft = reply(thread, mode, ours, signature,  # type: ignore[arg-type]
                          attribution_template=attribution_template(
                              self.interaction.customer.language))
        except EmailError:
            self.ctx.controller.sig_notice.emit(self.tr("There is no message to answer yet."))
            return False
        if self.composer.isVisible() and self.composer.plain_text().strip():
            # already writing: switch the mode and recipients, keep the text
            self.composer.mode = mode
            self.composer.draft = draft
            self.composer.to.setText(", ".join(draft.to))
            self.composer.cc.setText(", ".join(draft.cc))
            self.composer.subject.setText(draft.subject)
            self.composer._show_title()
            self.composer.autosaver.touch()
        else:
            self.composer.start(draft)
        self.composer.show()
        (self.composer.to if mode == "forward" else self.composer.body).setFocus()
        return True

    @Slot()
    def _sent(self) -> None:
        self.composer.hide()

    def show_note_box(self) -> None:
        self.note_box.show()
        self.note_edit.setFocus()

    @asyncSlot()
    async def add_note(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if not text:
            return
        self.add_note_button.setEnabled(False)
        try:
            ack = await self.ctx.controller.send(
                m.AddNote(key=Connection.new_key(), interaction_id=self.iid, body=text),
                self.tr("Could not add the note"))
        finally:
            if isValid(self):
                self.add_note_button.setEnabled(True)
        if ack is not None and ack.ok and isValid(self):
            self.note_edit.clear()
            self.note_box.hide()

    @asyncSlot()
    async def close_conversation(self) -> None:
        self.composer.autosaver.flush()
        self.close_button.setEnabled(False)
        try:
            await self.ctx.controller.send(m.Close(key=Connection.new_key(),
                                                   interaction_id=self.iid),
                                           self.tr("Could not close"))
        finally:
            if isValid(self):
                self.update_interaction(self.interaction)

    def open_transfer(self, mode: str) -> None:
        from .transfer_dialog import TransferDialog

        async def submit(kind: str, target: int, note: str) -> bool:
            agent, queue = (target, None) if kind == "agent" else (None, target)
            cmd: m.Command
            if mode == "escalate":
                cmd = m.Escalate(key=Connection.new_key(), interaction_id=self.iid,
                                 to_agent_id=agent, to_queue_id=queue, reason=note)
                failed = self.tr("Could not escalate")
            else:
                cmd = m.Transfer(key=Connection.new_key(), interaction_id=self.iid,
                                 to_agent_id=agent, to_queue_id=queue, note=note or None)
                failed = self.tr("Could not transfer")
            self.composer.autosaver.flush()
            ack = await self.ctx.controller.send(cmd, failed)
            return ack is not None and ack.ok

        self._dialog = TransferDialog(self.ctx, "email", mode=mode, parent=self, submit=submit)
        self._dialog.open()

    @asyncSlot(object)
    async def save_attachment(self, a: v.AttachmentView, path: str | None = None) -> bool:
        """Save an attachment where the agent chooses (never opened or executed)."""
        from .controller import QueryFailed

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment"), a.filename)
        if not path:
            return False
        try:
            await download_attachment(self.ctx.controller, a.id, path, expected_size=a.size,
                                      offline_text=self.tr("Offline — try again when the "
                                                           "connection returns."))
        except (QueryFailed, TransferError) as exc:
            text = exc.text if isinstance(exc, QueryFailed) else self.tr(
                "%1 could not be saved.").replace("%1", a.filename)
            self.ctx.controller.sig_notice.emit(text)
            return False
        self.ctx.controller.sig_notice.emit(self.tr("Saved %1").replace("%1", a.filename))
        return True


def our_addresses(thread: list[v.MessageView]) -> set[str]:
    """The support mailbox's addresses, so replies never go to ourselves: the sender of our
    outbound messages, and the first recipient of each customer email (the address the
    customer wrote to). The protocol does not name the mailbox itself."""
    from email.utils import getaddresses

    ours = {x.from_addr for x in thread if str(x.direction) == "outbound" and x.from_addr}
    for x in thread:
        if str(x.direction) == "inbound" and x.to:
            ours.update(addr for _name, addr in getaddresses(x.to[:1]) if addr)
    return ours
