"""The template editor's form: a reply template's fields (title, language, tags,
``#shortcut``, refusal flag, body with ``{variables}``), the live check line and what a
customer would read — the body filled with sample values (a sample customer of the
template's language, order ``ORD-1001``, the signed-in agent, the server's company name).

- **Problems block saving**: unknown variables (customers would read ``{custmer.name}``
  as written; ``{{`` / ``}}`` write literal braces) and a shortcut agents could not type
  (letters, digits, ``_`` and ``-`` only, at most 40 — what the composer expands after
  ``#``; so also no spaces, ``#``, ``{`` or ``}`` as the protocol requires).
- **Advice never blocks**: a known variable with no value on this server, a shortcut
  another listed template of the same language already uses (the server decides), a
  refusal without a reason or an alternative, promises the policy does not allow
  (``kb.tone.check_reply`` on the filled text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..kb.template_store import Template
from ..kb.templates import KNOWN_VARIABLES, MAX_SHORTCUT_LEN, canonical, fill, make_values
from ..kb.templates import variables as used_variables
from ..kb.tone import DECLINE_NO_ALTERNATIVE, DECLINE_NO_REASON, FORBIDDEN_PROMISE, check_reply
from .language_combo import LanguageCombo
from .reply_hint import notice_line
from .reply_values import TIER_WORDS, date_text, primary_language
from .template_list_model import primary
from .text_style import mute, problem_label
from .view_context import ViewContext

#: what the composer expands after ``#`` (``kb.templates.shortcut_at``)
SHORTCUT_RE = re.compile(rf"[\w-]{{1,{MAX_SHORTCUT_LEN}}}")
LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")
#: the preview's sample, by primary language (content the customer reads, so in the
#: template's language, not translated): name, e-mail, phone, order status, subject
SAMPLES = {"en": ("Carol Smith", "carol@example.com", "+1 555 0100", "shipped",
                  "Refund for a broken kettle"),
           "zh": ("王芳", "wangfang@example.cn", "+86 138 0000 0003", "已发货", "水壶破损退款")}
SAMPLE_ORDER = "ORD-1001"
_UNFILLED = QColor("#ffe08a")


def variable_button(parent: QWidget, insert: Callable[[str], object]) -> QToolButton:
    """"Insert variable" with a menu of the known variables (``insert(name)``)."""
    button = QToolButton(parent)
    button.setText(QCoreApplication.translate("TemplateForm", "Insert &variable"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for name in sorted(KNOWN_VARIABLES):
        menu.addAction("{" + name + "}", functools.partial(insert, name))
    button.setMenu(menu)
    return button


class TemplateForm(QWidget):
    """Signals:
        sig_edited(): the user changed a field (not emitted by ``fill``).

    ``others`` gives the listed templates (for a shortcut clash) and ``own_id`` is the
    shown template's id (None: a new one); ``blocking`` and ``advice`` hold the texts of
    the last check."""

    sig_edited = Signal()

    def __init__(self, ctx: ViewContext, others: Callable[[], Iterable[Template]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.others = others
        self.own_id: str | None = None
        self.blocking: list[str] = []
        self.advice: list[str] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.title = QLineEdit(self)
        self.title.setMaxLength(300)
        self.language = LanguageCombo(self)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText(self.tr("refund, returns, 退款"))
        self.shortcut = QLineEdit(self)
        self.shortcut.setPlaceholderText(self.tr("refund (agents type #refund)"))
        self.shortcut.textEdited.connect(self._strip_hash)
        hash_row = QHBoxLayout()
        hash_row.addWidget(QLabel("#", self))
        hash_row.addWidget(self.shortcut, 1)
        rows: tuple[tuple[str, QWidget | QLayout, QWidget], ...] = (
            (self.tr("&Title"), self.title, self.title),
            (self.tr("&Language"), self.language, self.language),
            (self.tr("Ta&gs"), self.tags, self.tags),
            (self.tr("Short&cut"), hash_row, self.shortcut))
        for label, row, field in rows:
            form.addRow(label, row)
            lbl = form.labelForField(row)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(field)
            field.setAccessibleName(label.replace("&", ""))
        self.refusal = QCheckBox(self.tr("&Refusal: says no (decline → reason → alternative)"),
                                 self)
        form.addRow("", self.refusal)
        lay.addLayout(form)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Text"), self), 1)
        self.btn_variable = variable_button(self, self._insert_variable)
        head.addWidget(self.btn_variable)
        lay.addLayout(head)
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(self.tr("Template text"))
        self.body.setPlaceholderText(self.tr("Hi {customer.first_name}, … — {agent.name}"))
        lay.addWidget(self.body, 3)
        self.problem_line = problem_label(self, self.tr("Template problems"))
        self.advice_line = notice_line(self)
        self.advice_line.setAccessibleName(self.tr("Template advice"))
        self.variables_line = mute(QLabel(self))
        self.variables_line.setWordWrap(True)
        self.caption = mute(QLabel(self))
        self.caption.setWordWrap(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("What the customer reads"))
        for w in (self.problem_line, self.advice_line, self.variables_line, self.caption):
            lay.addWidget(w)
        lay.addWidget(self.preview, 2)
        for line in (self.title, self.tags, self.shortcut):
            line.textEdited.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.language.currentIndexChanged.connect(self._edited)
        self.refusal.toggled.connect(self._edited)

    # ---- fields ------------------------------------------------------------------------

    def set_editable(self, on: bool, editor: bool) -> None:
        """``on``: a template is shown; ``editor``: it may be changed (else read-only)."""
        for w in (self.title, self.tags, self.shortcut):
            w.setEnabled(on)
            w.setReadOnly(not editor)
        self.body.setEnabled(on)
        self.body.setReadOnly(not editor)
        for c in (self.language, self.refusal, self.btn_variable):
            c.setEnabled(on and editor)

    def fill(self, t: Template) -> None:
        """Show ``t`` (no ``sig_edited``)."""
        self.own_id = t.id or None
        widgets = (self.title, self.body, self.language, self.refusal, self.shortcut)
        for w in widgets:
            w.blockSignals(True)
        self.title.setText(t.title)
        self.body.setPlainText(t.body)
        self.language.set_code(t.language)
        self.refusal.setChecked(t.refusal)
        self.shortcut.setText(t.shortcut or "")
        self.tags.setText(", ".join(t.tags))
        for w in widgets:
            w.blockSignals(False)
        self.update_check()

    def values(self) -> dict[str, Any]:
        """The fields as ``kb.KbSaveTemplate`` arguments."""
        parts = self.tags.text().replace("，", ",").split(",")
        return {"title": self.title.text().strip()[:300], "body": self.body.toPlainText(),
                "language": self.language.code(),
                "tags": [p.strip()[:60] for p in parts if p.strip()][:30],
                "shortcut": self.shortcut.text().strip() or None,
                "refusal": self.refusal.isChecked()}

    def problems(self) -> list[str]:
        """What stops saving (the check line's problems are pointed to, not repeated)."""
        out = []
        if not self.title.text().strip():
            out.append(self.tr("Give the template a title."))
        body = self.body.toPlainText()
        if not body.strip():
            out.append(self.tr("Write the template's text."))
        elif len(body) > 20_000:
            out.append(self.tr("The text is too long (at most 20,000 characters)."))
        if not LANGUAGE_RE.fullmatch(self.language.code()):
            out.append(self.tr("Choose the template's language (en, zh, …)."))
        self.update_check()
        if self.blocking:
            out.append(self.tr("Fix the problems marked in red under the text."))
        return out

    def _edited(self, *_a: Any) -> None:
        self.update_check()
        self.sig_edited.emit()

    def _strip_hash(self, text: str) -> None:
        """Typing ``#refund`` means ``refund``: the ``#`` is shown beside the field."""
        if text.startswith(("#", "＃")):
            self.shortcut.setText(text.lstrip("#＃"))

    def _insert_variable(self, name: str) -> None:
        self.body.insertPlainText("{" + name + "}")
        self.body.setFocus()

    # ---- the check line and the preview ------------------------------------------------

    def sample_values(self, language: str) -> dict[str, str]:
        """What the preview fills the variables with."""
        lang = primary_language(language)
        name, email, phone, status, subject = SAMPLES.get(lang, SAMPLES["en"])
        me = self.ctx.state.me
        return make_values(
            customer_name=name, customer_email=email, customer_phone=phone,
            customer_tier=TIER_WORDS.get(lang, TIER_WORDS["en"])["gold"],
            order_number=SAMPLE_ORDER, order_status=status,
            agent_name=me.name if me is not None else None, interaction_subject=subject,
            company_name=self.ctx.state.company_name or None,
            today=date_text(date.today(), lang))

    def update_check(self) -> None:
        """Re-check the fields: problems, advice, the variables used, the preview."""
        body = self.body.toPlainText()
        language = self.language.code()
        shortcut = self.shortcut.text().strip()
        blocking: list[str] = []
        advice: list[str] = []
        unknown = [n for n in used_variables(body) if canonical(n) not in KNOWN_VARIABLES]
        if unknown:
            blocking.append(self.tr("Unknown variables: %1 — customers would read them as "
                                    "written. Use Insert variable, or write {{ and }} for "
                                    "braces.").replace("%1", ", ".join(
                                        "{" + n + "}" for n in unknown)))
        if shortcut and not SHORTCUT_RE.fullmatch(shortcut):
            blocking.append(self.tr("A shortcut is up to %1 letters, digits, _ or - (no "
                                    "spaces, #, { or }): what agents type after #.")
                            .replace("%1", str(MAX_SHORTCUT_LEN)))
        elif shortcut:
            clash = next((o for o in self.others() if o.id != self.own_id
                          and (o.shortcut or "").casefold() == shortcut.casefold()
                          and primary(o.language) == primary(language)), None)
            if clash is not None:
                advice.append(self.tr("#%1 is already the shortcut of “%2”.")
                              .replace("%1", shortcut).replace("%2", clash.title))
        values = self.sample_values(language)
        filled = fill(body, values)
        for name in dict.fromkeys(p.name for p in filled.problems if p.problem == "missing"):
            advice.append(self.tr("{%1} has no value on this server: agents fill it in by "
                                  "hand.").replace("%1", name))
        hints = check_reply(filled.text, language or None)
        kinds = {h.kind for h in hints}
        if self.refusal.isChecked() and DECLINE_NO_REASON in kinds:
            advice.append(self.tr("A refusal should say why (decline → reason → "
                                  "alternative)."))
        if self.refusal.isChecked() and DECLINE_NO_ALTERNATIVE in kinds:
            advice.append(self.tr("A refusal should offer an alternative (decline → reason "
                                  "→ alternative)."))
        for h in hints:
            if h.kind == FORBIDDEN_PROMISE:
                advice.append(self.tr("“%1” is a promise our policy does not allow.")
                              .replace("%1", h.phrase))
        self.blocking, self.advice = blocking, list(dict.fromkeys(advice))
        self.problem_line.setText("\n".join(self.blocking))
        self.problem_line.setVisible(bool(self.blocking))
        self.advice_line.setText("\n".join(self.advice))
        self.advice_line.setVisible(bool(self.advice))
        used = used_variables(body)
        self.variables_line.setText(
            "" if not body.strip() else self.tr("No variables.") if not used
            else self.tr("Variables: %1").replace("%1", ", ".join("{" + n + "}" for n in used)))
        self.caption.setText(
            self.tr("What the customer reads — sample: %1, order %2, agent %3").replace(
                "%1", values["customer.name"]).replace("%2", SAMPLE_ORDER).replace(
                "%3", values.get("agent.name", "—")))
        self._show_preview(filled.text, [(p.start, p.end) for p in filled.problems])

    def _show_preview(self, text: str, unfilled: list[tuple[int, int]]) -> None:
        self.preview.setPlainText(text)
        fmt = QTextCharFormat()
        fmt.setBackground(_UNFILLED)
        marks = []
        for start, end in unfilled:  # variables left as written: highlighted
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.preview.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor, sel.format = cursor, fmt  # type: ignore[misc]
            marks.append(sel)
        self.preview.setExtraSelections(marks)
