"""The email composer: reply, reply all or forward, with To/Cc/Subject checked as you type,
plain or simple rich text (bold, italic, list, link), the quoted message and the agent's
signature from ``channels.email.compose.reply``, attachments (limit checked on adding,
uploaded piece by piece on sending), and a draft autosaved every few seconds (key
``"<interaction id>:email"``) that survives a crash and is deleted once the email is sent.

Send (Ctrl+Enter): the attachments are uploaded, then ``send_message`` goes out with the
mode, recipients, subject, plain text and (when formatted) the HTML. Anything that fails
keeps the draft and says why next to the field or above the buttons."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from ..channels.email import (
    MAX_ATTACHMENTS_BYTES,
    Attachment,
    AttachmentError,
    Draft,
    add_attachment,
    check_addresses,
    split_addresses,
)
from ..client.attachment_transfer import TransferError, guess_type, upload_file
from ..client.connection import Connection
from ..protocol import messages as m
from .autosave import Autosaver
from .email_body_editor import BodyEditor
from .email_message_widget import size_text
from .tasks import TaskSet
from .text_style import ERROR_STYLE
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.email_composer")
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class EmailComposer(QFrame):
    """Signals:
        sig_sent(): the email was accepted by the server (the draft is gone).
        sig_discarded(): the agent threw the draft away.
        sig_typing(): the agent typed (for the collision bar's ``keystroke``).
    """

    sig_sent = Signal()
    sig_discarded = Signal()
    sig_typing = Signal()

    def __init__(self, ctx: ViewContext, interaction_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction_id = interaction_id
        self.mode = "reply"
        self.draft = Draft(mode="reply")
        self.limit = MAX_ATTACHMENTS_BYTES
        self._loading = False
        self.busy = False
        self._tasks = TaskSet("email send")
        self.setObjectName("emailComposer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Email composer"))
        self.autosaver = Autosaver(ctx.drafts, f"{interaction_id}:email", self.to_dict,
                                   parent=self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(6)
        self.title = QLabel(self)
        f = QFont(self.title.font())
        f.setBold(True)
        self.title.setFont(f)
        lay.addWidget(self.title)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(4)
        self.to = self._line(self.tr("To"))
        self.to_error = self._error_label()
        self.cc = self._line(self.tr("Cc"))
        self.cc_error = self._error_label()
        self.subject = self._line(self.tr("Subject"))
        self.subject.setMaxLength(500)
        for label, edit, err in ((self.tr("&To:"), self.to, self.to_error),
                                 (self.tr("&Cc:"), self.cc, self.cc_error),
                                 (self.tr("Su&bject:"), self.subject, None)):
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(edit)
            if err is not None:
                cell.addWidget(err)
            lbl = QLabel(label, self)
            lbl.setBuddy(edit)
            form.addRow(lbl, cell)
        lay.addLayout(form)
        self.to.textChanged.connect(lambda: self._check_field(self.to, self.to_error, "to"))
        self.cc.textChanged.connect(lambda: self._check_field(self.cc, self.cc_error, "cc"))
        self.editor = BodyEditor(self)
        self.body = self.editor.edit
        self.editor.sig_edited.connect(self._edited)
        self.editor.sig_problem.connect(self._fail)
        self.signature = QPushButton(self.tr("Si&gnature…"), self)
        self.signature.setAccessibleName(self.tr("Edit your signature"))
        self.signature.clicked.connect(self._edit_signature)
        self.editor.tools.addWidget(self.signature)
        lay.addWidget(self.editor, 1)
        self.attachments = QListWidget(self)
        self.attachments.setAccessibleName(self.tr("Attachments"))
        self.attachments.setMaximumHeight(64)
        self.attachments.hide()
        lay.addWidget(self.attachments)
        self.attach = QPushButton(self.tr("&Attach…"), self)
        self.attach.setAccessibleName(self.tr("Attach files"))
        self.attach.clicked.connect(self._choose_files)
        self.remove = QPushButton(self.tr("Re&move"), self)
        self.remove.setAccessibleName(self.tr("Remove the selected attachment"))
        self.remove.clicked.connect(self._remove_selected)
        self.remove.hide()
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Upload progress"))
        self.progress.setRange(0, 1000)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.error = self._error_label()
        self.error.setAccessibleName(self.tr("Problem"))
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        self.saved = QLabel(self)
        self.saved.setAccessibleName(self.tr("Draft status"))
        buttons.addWidget(self.attach)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.saved, 1)
        self.discard = QPushButton(self.tr("&Discard"), self)
        self.discard.setAccessibleName(self.tr("Discard the draft"))
        self.discard.clicked.connect(self._discard)
        self.send = QPushButton(self.tr("&Send"), self)
        self.send.setAccessibleName(self.tr("Send the email"))
        self.send.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send.setDefault(True)
        self.send.clicked.connect(self.send_now)
        buttons.addWidget(self.discard)
        buttons.addWidget(self.send)
        lay.addLayout(buttons)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.send_now)
        for edit in (self.to, self.cc, self.subject):
            edit.textEdited.connect(self._edited)
        self.autosaver.sig_saved.connect(lambda _k: self.saved.setText(self.tr("Draft saved")))
        self.autosaver.sig_failed.connect(lambda _r: self.saved.setText(
            self.tr("The draft could not be saved on this computer.")))

    # ---- building ---------------------------------------------------------------------------

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        return edit

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.hide()
        return label

    # ---- content ----------------------------------------------------------------------------

    def start(self, draft: Draft) -> None:
        """Fill the composer from a draft made by ``compose.reply`` (cursor at the top)."""
        self.draft = draft
        self.mode = draft.mode if draft.mode != "new" else "reply"
        self._loading = True
        try:
            self.to.setText(", ".join(draft.to))
            self.cc.setText(", ".join(draft.cc))
            self.subject.setText(draft.subject)
            self.editor.set_plain(draft.body)
            self._set_attachments(list(draft.attachments))
        finally:
            self._loading = False
        self._show_title()
        self.error.hide()
        cursor = self.body.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.body.setTextCursor(cursor)
        self.autosaver.touch()

    def restore(self, data: dict[str, Any]) -> bool:
        """Bring back an autosaved draft; False when it cannot be read (nothing changes)."""
        try:
            draft = Draft.from_dict(data)
        except Exception as exc:  # EmailError, or anything a damaged file holds
            log.warning("ignored an unreadable draft: %s", exc)
            return False
        self.start(draft)
        html = data.get("html")
        if isinstance(html, str) and html:
            self.editor.set_html(html)
        self.autosaver.flush()
        return True

    def to_dict(self) -> dict[str, Any]:
        d = self.current_draft().to_dict()
        d["mode"] = self.mode
        if self.editor.rich:
            d["html"] = self.editor.raw_html()
        return d

    def current_draft(self) -> Draft:
        return Draft(mode=self.mode,  # type: ignore[arg-type]
                     to=tuple(split_addresses(self.to.text())),
                     cc=tuple(split_addresses(self.cc.text())), subject=self.subject.text(),
                     body=self.plain_text(), in_reply_to=self.draft.in_reply_to,
                     references=self.draft.references, attachments=self._attachment_list(),
                     forwarded_message_id=self.draft.forwarded_message_id)

    def plain_text(self) -> str:
        return self.editor.plain_text()

    def html(self) -> str | None:
        return self.editor.html()

    def _show_title(self) -> None:
        self.title.setText({"reply": self.tr("Reply"), "reply_all": self.tr("Reply to all"),
                            "forward": self.tr("Forward")}.get(self.mode, self.tr("Reply")))
        self.to.setPlaceholderText(self.tr("Recipient addresses, separated by commas")
                                   if self.mode == "forward"
                                   else self.tr("The customer's address"))

    @Slot()
    def _edited(self) -> None:
        if self._loading:
            return
        self.autosaver.touch()
        self.saved.setText("")
        self.sig_typing.emit()

    # ---- checks -----------------------------------------------------------------------------

    def _check_field(self, edit: QLineEdit, label: QLabel, field: str) -> bool:
        _good, problems = check_addresses(split_addresses(edit.text()), field)
        if problems:
            shown = ", ".join(p.value[:60] for p in problems[:3])
            label.setText(self.tr("Not a valid address: %1 (use name@example.com)")
                          .replace("%1", shown))
        label.setVisible(bool(problems))
        return not problems

    def problems(self) -> list[str]:
        """Everything that stops sending, as translated sentences (also shown inline)."""
        out: list[str] = []
        if not self._check_field(self.to, self.to_error, "to"):
            out.append(self.to_error.text())
        if not self._check_field(self.cc, self.cc_error, "cc"):
            out.append(self.cc_error.text())
        if self.mode == "forward" and not split_addresses(self.to.text()):
            self.to_error.setText(self.tr("A forward needs at least one recipient in To."))
            self.to_error.show()
            out.append(self.to_error.text())
        if not self.plain_text().strip():
            out.append(self.tr("Write a message first."))
        if any(c in self.subject.text() for c in "\r\n\x00"):
            out.append(self.tr("The subject cannot contain line breaks."))
        return out

    def _edit_signature(self) -> None:
        store = self.ctx.drafts
        current = (store.load("signature") or {}).get("text", "") if store else ""
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Signature"), self.tr("Your signature (added to new replies):"),
            str(current))
        if ok and store is not None:
            store.save("signature", {"text": text[:2000]})

    # ---- attachments ------------------------------------------------------------------------

    def _attachment_list(self) -> tuple[Attachment, ...]:
        out = []
        for n in range(self.attachments.count()):
            item = self.attachments.item(n)
            a = item.data(PATH_ROLE)
            out.append(Attachment(a["name"], a["size"], a["content_type"], a["path"]))
        return tuple(out)

    def _set_attachments(self, items: list[Attachment]) -> None:
        self.attachments.clear()
        for a in items:
            self._add_item(a)
        self._attachments_changed()

    def _add_item(self, a: Attachment) -> None:
        item = QListWidgetItem(f"{a.name} ({size_text(a.size)})")
        item.setData(PATH_ROLE, {"name": a.name, "size": a.size,
                                 "content_type": a.content_type, "path": a.path})
        self.attachments.addItem(item)

    def _attachments_changed(self) -> None:
        has = self.attachments.count() > 0
        self.attachments.setVisible(has)
        self.remove.setVisible(has)

    def add_files(self, paths: list[str]) -> list[str]:
        """Attach files; returns the translated problems (also shown inline). A file over
        the limit is named with the limit; the others are still attached."""
        problems: list[str] = []
        draft = self.current_draft()
        for p in paths:
            path = Path(p)
            try:
                size = path.stat().st_size
                if not path.is_file():
                    raise IsADirectoryError(p)
            except OSError:
                problems.append(self.tr("%1 cannot be read.").replace("%1", path.name))
                continue
            att = Attachment(path.name, size, guess_type(path), str(path))
            try:
                draft = add_attachment(draft, att, self.limit)
            except AttachmentError:
                problems.append(self.tr("%1 (%2) was not attached: attachments may total at "
                                        "most %3.").replace("%1", path.name)
                                .replace("%2", size_text(size))
                                .replace("%3", size_text(self.limit)))
                continue
            self._add_item(att)
        self._attachments_changed()
        self.error.setText("\n".join(problems))
        self.error.setVisible(bool(problems))
        self._edited()
        return problems

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        if files:
            self.add_files(files)

    def _remove_selected(self) -> None:
        for item in self.attachments.selectedItems():
            self.attachments.takeItem(self.attachments.row(item))
        self._attachments_changed()
        self._edited()

    # ---- sending ----------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.send, self.discard, self.attach, self.remove):
            w.setEnabled(not busy)

    @asyncSlot()
    async def send_now(self) -> bool:
        """Upload the attachments and send. True when the server accepted the email."""
        if self.busy:
            return False
        self.autosaver.flush()  # whatever happens next, the draft is on disk
        problems = self.problems()
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return False
        self.error.hide()
        self._set_busy(True)
        queued = False
        try:
            sent = await self._send()
            queued = sent is None
            return bool(sent)
        finally:
            if not queued:  # a queued email keeps Send off until its answer arrives
                self._set_busy(False)

    async def _send(self) -> bool | None:
        """True: sent; False: not sent (the reason is shown); None: queued (offline) — the
        answer is awaited in the background and Send stays off, so it is not sent twice."""
        ids: list[int] = []
        attachments = self._attachment_list()
        total = max(1, sum(a.size for a in attachments))
        done_before = 0
        self.progress.setVisible(bool(attachments))
        for a in attachments:
            def progress(done: int, _size: int, base: int = done_before) -> None:
                self.progress.setValue(int(1000 * (base + done) / total))
            try:
                ids.append(await upload_file(
                    self.ctx.controller, self.interaction_id, a.path or "",
                    failed_text=self.tr("Could not upload %1").replace("%1", a.name),
                    filename=a.name, content_type=a.content_type, progress=progress))
            except TransferError as exc:
                log.warning("upload failed: %s", exc)
                self.progress.hide()
                self._fail(self.tr("%1 could not be uploaded; nothing was sent and your draft "
                                   "is kept.").replace("%1", a.name))
                return False
            done_before += a.size
        self.progress.hide()
        d = self.current_draft()
        cmd = m.SendMessage(key=Connection.new_key(), interaction_id=self.interaction_id,
                            body=d.body, subject=d.subject or None, to=list(d.to),
                            cc=list(d.cc), mode=self.mode,  # type: ignore[arg-type]
                            html=self.html(), attachment_ids=ids)
        ack, pending = await self.ctx.controller.send_tracked(
            cmd, self.tr("Could not send the email"))
        if pending is not None:
            self._fail(self.tr("Not sent yet: it goes out when the connection returns. "
                               "Your draft is kept until then."))
            self._tasks.spawn(self._await_late(pending))
            return None
        return self._answered(ack)

    def _answered(self, ack: m.Ack | None) -> bool:
        if ack is None or not ack.ok:
            self._fail(self.tr("The email was not sent; your draft is kept."))
            return False
        self.error.hide()
        self.autosaver.discard()
        self.editor.set_plain("")
        self.sig_sent.emit()
        return True

    async def _await_late(self, pending: asyncio.Future[m.Ack]) -> None:
        try:
            ack: m.Ack | None = await pending
        except (asyncio.CancelledError, Exception):  # the session ended: the draft stays
            ack = None
        if isValid(self):
            self._set_busy(False)
            if ack is not None:  # else still queued (the session stopped): the note stays
                self._answered(ack)

    @Slot(str)
    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _discard(self) -> None:
        self.autosaver.discard()
        self.sig_discarded.emit()

