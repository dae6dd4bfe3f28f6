"""The reply-template editor for KB editors (leads, admins): the templates of the account's
local knowledge base on the left (read off the GUI thread; filter by language and text),
the selected one on the right in ``TemplateForm`` (fields, the live check line, what the
customer reads; unknown variables block saving, advice never does). Saving and retiring go
through the server (``kb_save_template``); its refusals (a shortcut already taken) are
shown in a banner with the text kept. The list follows the local copy: a saved template
shows at once from the server's answer, and the synced copy replaces it when the sync
brings it (``bridge.sig_kb_changed``). Agents and trainers may read the templates only."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..client.connection import Connection
from ..client.kb_local import to_template
from ..kb.template_store import Template
from ..protocol import kb
from .editor_commands import send_for_result
from .tasks import TaskSet
from .template_form import TemplateForm
from .template_list_model import (
    COL_TITLE,
    TEMPLATE_ID_ROLE,
    TemplateFilter,
    TemplateListModel,
    primary,
    read_templates,
)
from .text_style import mute, notice_label
from .view_context import ViewContext

log = logging.getLogger("agent_desk.ui.template_editor")
EDITOR_ROLES = ("lead", "admin")


class TemplateEditor(QDialog):
    """Signals:
        sig_listed(): the list was (re)loaded from the local file.
        sig_shown(str): a template is in the form (its id).
        sig_saved(object): the server saved (or retired) a template (``kb.TemplateView``).
        sig_failed(str): a load, save or retire failed (the text is also in the banner).
    """

    sig_listed = Signal()
    sig_shown = Signal(str)
    sig_saved = Signal(object)
    sig_failed = Signal(str)

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._tasks = TaskSet("template editor")
        self.current: Template | None = None
        #: saved here, newer than the local copy (id → template): listed until synced
        self._pending: dict[str, Template] = {}
        self._load_gen = 0
        self._have_file = True  # the local KB file exists (else: not synced yet)
        self._dirty = False
        self._form_on = False
        self.setWindowTitle(self.tr("Reply templates"))
        self.setAccessibleName(self.tr("Template editor"))
        self.resize(1100, 720)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(self._build_filters())
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_list())
        split.addWidget(self._build_form())
        split.setSizes([480, 620])
        lay.addWidget(split, 1)
        self._set_form_enabled(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        ctx.bridge.sig_kb_changed.connect(self.reload)  # a sync applied changes

    # ---- construction ------------------------------------------------------------------

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.lang_filter = QComboBox(self)
        self.lang_filter.setAccessibleName(self.tr("Language"))
        self.lang_filter.addItem(self.tr("All languages"), "")
        self.lang_filter.currentIndexChanged.connect(lambda _i: self._refilter())
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find in title, shortcut, tags or text…"))
        self.search.setAccessibleName(self.tr("Find templates"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.count = mute(QLabel(self))
        self.btn_new = QPushButton(self.tr("&New template"), self)
        self.btn_new.clicked.connect(lambda: self.new_template())
        row.addWidget(self.lang_filter)
        row.addWidget(self.search, 1)
        row.addWidget(self.count)
        row.addWidget(self.btn_new)
        return row

    def _build_list(self) -> QWidget:
        self.model = TemplateListModel(self)
        self.proxy = TemplateFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Templates"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        return self.table

    def _build_form(self) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 0, 0, 0)
        self.banner = notice_label(box, self.tr("Template editor notice"))
        self.read_only_note = mute(QLabel(self.tr(
            "Reply templates are managed by KB editors (team leads and admins); you can "
            "read and preview them here."), box))
        self.read_only_note.setWordWrap(True)
        self.status = mute(QLabel(box))
        self.status.setAccessibleName(self.tr("Template state"))
        self.form = TemplateForm(self.ctx, self.model.templates, box)
        self.form.sig_edited.connect(self._edited)
        for w in (self.banner, self.read_only_note, self.status):
            lay.addWidget(w)
        lay.addWidget(self.form, 1)
        buttons = QHBoxLayout()
        self.btn_save = QPushButton(self.tr("&Save"), box)
        self.btn_save.setToolTip(QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText))
        self.btn_retire = QPushButton(self.tr("Re&tire…"), box)
        self.btn_retire.setToolTip(self.tr("Agents no longer get this template"))
        self.btn_save.clicked.connect(self.save)
        self.btn_retire.clicked.connect(self.retire)
        buttons.addWidget(self.btn_save)
        buttons.addWidget(self.btn_retire)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        return box

    # ---- roles and state ---------------------------------------------------------------

    @property
    def is_editor(self) -> bool:
        me = self.ctx.state.me
        return me is not None and str(me.role) in EDITOR_ROLES

    @property
    def unsynced(self) -> set[str]:
        """Templates saved here that the local copy does not have yet."""
        return set(self._pending)

    def _set_form_enabled(self, on: bool) -> None:
        self._form_on = on
        self.form.set_editable(on, self.is_editor)
        self.read_only_note.setVisible(not self.is_editor)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editor = self.is_editor
        for b in (self.btn_new, self.btn_save, self.btn_retire):
            b.setVisible(editor)
        self.btn_save.setEnabled(editor and self._form_on
                                 and (self._dirty or self.current is None))
        self.btn_retire.setEnabled(editor and self._form_on and self.current is not None)

    def _edited(self) -> None:
        if self._form_on and self.is_editor:
            self._dirty = True
            self._update_buttons()

    # ---- the list ----------------------------------------------------------------------

    def reload(self, *_a: Any) -> None:
        """Re-read the templates from the local knowledge-base file (off the GUI thread)."""
        self._load_gen += 1
        self._tasks.spawn(self._load(self._load_gen))

    async def _load(self, gen: int) -> None:
        path = self.ctx.kb_path
        try:
            found = None if path is None else await asyncio.to_thread(read_templates,
                                                                      Path(path))
        except (sqlite3.Error, OSError) as exc:
            log.warning("could not read the local templates: %s", exc)
            self._fail(self.tr("Could not read the templates on this computer: %1")
                       .replace("%1", str(exc)))
            return
        if gen != self._load_gen:
            return  # a newer reload is on its way
        synced = {t.id: t for t in found or []}
        for tid, saved in list(self._pending.items()):
            local = synced.get(tid)
            if local is not None and local.version >= saved.version:
                del self._pending[tid]  # the sync brought it (or something newer)
            else:
                synced[tid] = saved
        rows = sorted((t for t in synced.values() if t.active), key=lambda t: (t.title, t.id))
        self.model.set_templates(rows)
        have = {self.lang_filter.itemData(i) for i in range(self.lang_filter.count())}
        for code in sorted({primary(t.language) for t in rows} | {"en", "zh"}):
            if code and code not in have:
                self.lang_filter.addItem(code, code)
        self._have_file = found is not None
        self._update_count()
        cur = self.current
        fresh = synced.get(cur.id) if cur is not None else None
        if cur is not None and fresh is not None and fresh.version > cur.version \
                and not self._dirty:
            self._show(fresh)  # someone else saved a newer version
        elif cur is not None:
            self._show_status()
        self.sig_listed.emit()

    def _refilter(self) -> None:
        self.proxy.set_filter(str(self.lang_filter.currentData() or ""), self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            self.tr("Not synced to this computer yet") if not (self._have_file or total)
            else self.tr("Templates: %1").replace("%1", str(total)) if shown == total
            else self.tr("%1 of %2 templates").replace("%1", str(shown)).replace(
                "%2", str(total)))

    def _row_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        template_id = cur.data(TEMPLATE_ID_ROLE) if cur.isValid() else None
        if template_id and (self.current is None or self.current.id != template_id):
            if self.confirm_discard():
                self.open_template(str(template_id))
            else:  # keep editing: the selection goes back (once the view has moved it)
                keep = self.current.id if self.current is not None else None
                QTimer.singleShot(0, self, lambda: self._select(keep))

    def confirm_discard(self) -> bool:
        """Whether unsaved changes may go (asks; tests override it)."""
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("This template has changes that are not saved. Discard them?"))
        return answer == QMessageBox.StandardButton.Yes

    def confirm_retire(self, t: Template) -> bool:
        """Whether to retire ``t`` (asks; tests override it)."""
        answer = QMessageBox.question(
            self, self.tr("Retire template"),
            self.tr("Retire “%1”? Agents no longer get it in suggestions or with its "
                    "shortcut after their next sync.").replace("%1", t.title))
        return answer == QMessageBox.StandardButton.Yes

    # ---- one template ------------------------------------------------------------------

    def open_template(self, template_id: str) -> bool:
        """Show a listed template in the form (False: not in the list)."""
        row = self.model.row_of(template_id)
        t = self.model.template(row) if row is not None else None
        if t is None:
            self._fail(self.tr("This template is not on this computer (yet)."))
            return False
        self._show(t)
        return True

    def new_template(self, language: str = "") -> None:
        """An empty form for a new template (editors only)."""
        if not self.is_editor or not self.confirm_discard():
            return
        self.current = None
        self._select(None)
        self.form.fill(Template(id="", title="", body="", language=language or "en"))
        self.banner.hide()
        self._dirty = False
        self.status.setText(self.tr("New template — not saved yet"))
        self._set_form_enabled(True)
        self.form.title.setFocus()

    def _show(self, t: Template) -> None:
        self.current = t
        self.form.fill(t)
        self.banner.hide()
        self._dirty = False
        self._show_status()
        self._set_form_enabled(True)
        self._select(t.id)
        self.sig_shown.emit(t.id)

    def _select(self, template_id: str | None) -> None:
        """Select the template's row (none: clear) without opening it again."""
        row = self.model.row_of(template_id) if template_id else None
        view_row = self.proxy.mapFromSource(self.model.index(row, 0)).row() \
            if row is not None else -1
        sel = self.table.selectionModel()
        sel.blockSignals(True)
        if view_row >= 0:
            self.table.selectRow(view_row)
        else:
            self.table.clearSelection()
            sel.clearCurrentIndex()
        sel.blockSignals(False)

    def _show_status(self) -> None:
        t = self.current
        if t is None:
            return
        text = self.tr("Version %1 · %2").replace("%1", str(t.version)).replace("%2", t.id)
        if t.id in self._pending:
            text += " · " + self.tr("saved; agents get it with their next sync")
        self.status.setText(text)

    # ---- saving and retiring -----------------------------------------------------------

    def save(self) -> None:
        """Send the form to the server (editors; not while a problem blocks it)."""
        if not (self._form_on and self.is_editor):
            return
        problems = self.form.problems()
        if problems:
            self._fail(self.tr("Not saved: %1").replace("%1", " ".join(problems)))
            return
        t = self.current
        cmd = kb.KbSaveTemplate(key=Connection.new_key(), template_id=t.id if t else None,
                                **self.form.values())
        self._tasks.spawn(self._run(cmd, self.tr("Could not save the template"), t))

    def retire(self) -> None:
        """Retire the shown template as it was saved (after a confirmation)."""
        t = self.current
        if t is None or not self.is_editor or not self.confirm_retire(t):
            return
        cmd = kb.KbSaveTemplate(
            key=Connection.new_key(), template_id=t.id, title=t.title, body=t.body,
            language=t.language, tags=list(t.tags), shortcut=t.shortcut, refusal=t.refusal,
            active=False)
        self._tasks.spawn(self._run(cmd, self.tr("Could not retire the template"), t))

    async def _run(self, cmd: kb.KbSaveTemplate, failed: str, origin: Template | None
                   ) -> None:
        self.btn_save.setEnabled(False)
        self.btn_retire.setEnabled(False)
        try:
            await self._send(cmd, failed, origin)
        finally:
            self._update_buttons()

    async def _send(self, cmd: kb.KbSaveTemplate, failed: str, origin: Template | None
                    ) -> None:
        """Send a save or a retirement; the form shows the result if it still holds the
        template it was sent from (``origin``; None: a new one)."""
        view = await send_for_result(self.ctx, cmd, kb.TemplateView, failed, self._fail)
        if view is None:
            return
        saved = to_template(view)
        self._pending[saved.id] = saved
        self.model.upsert(saved)
        self._update_count()
        if self.current is not origin:
            pass  # another template was opened meanwhile: only the list changes
        elif saved.active:
            self._show(saved)
        else:
            self.current = None
            self._dirty = False
            self._select(None)
            self.form.fill(Template(id="", title="", body="", language=saved.language))
            self._set_form_enabled(False)
            self.status.setText(self.tr("“%1” is retired; agents lose it with their next "
                                        "sync.").replace("%1", saved.title))
        self.sig_saved.emit(view)
        self.reload()  # the sync may have brought it already

    def _fail(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.sig_failed.emit(text)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self.confirm_discard():
            event.ignore()
            return
        self._tasks.cancel_all()
        super().closeEvent(event)
