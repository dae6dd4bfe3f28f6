"""The gentle line under a reply composer: "decline → reason → alternative", promises the
policy does not allow, and template variables still to fill in.

``ReplyHint`` watches a text edit and, ~300 ms after the agent stops typing, runs
``kb.tone.check_reply(draft, language)`` (the customer's language; well under a
millisecond) and shows what it found as one amber line:

- a draft that says no without a reason or an alternative: the pattern;
- a phrase the policy does not allow ("guaranteed tomorrow"), quoted;
- a ``{variable}`` a template left in the draft (unknown, or with no value) while it is
  still there (``expect`` tells it which ones to look for).

It is advice only: it never blocks or delays sending, and it hides as soon as the draft is
fixed (or emptied). Internal notes are not checked (``active`` says when to check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ..kb.templates import KNOWN_VARIABLES, canonical
from ..kb.tone import FORBIDDEN_PROMISE, check_reply
from .text_style import notice_label

#: Quiet time after the last keystroke before the draft is checked, ms.
DELAY_MS = 300
#: At most this many lines are shown at once.
MAX_LINES = 3


class ReplyHint(QWidget):
    """The hint line (hidden while there is nothing to say)."""

    def __init__(self, edit: QPlainTextEdit | QTextEdit, language: Callable[[], str | None],
                 parent: QWidget | None = None, *,
                 active: Callable[[], bool] = lambda: True, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.edit = edit
        self._language = language
        self._active = active
        self._expected: dict[str, str] = {}  # variable name -> "unknown" | "missing"
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = notice_line(self)
        self.label.setAccessibleName(self.tr("Reply hint"))
        self.label.show()
        lay.addWidget(self.label)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.check_now)
        edit.textChanged.connect(self._timer.start)

    @Slot()
    def schedule(self) -> None:
        """Check again after the quiet time (e.g. the note/reply mode changed)."""
        self._timer.start()

    def expect(self, problems: Iterable[tuple[str, str]]) -> None:
        """Flag these ``(variable name, "unknown" | "missing")`` while ``{name}`` is in the
        draft (a template just inserted left them)."""
        for name, problem in problems:
            self._expected[name] = problem
        self.check_now()

    def lines(self) -> list[str]:
        """What the hint says now (after ``check_now``)."""
        return self.label.text().splitlines() if not self.isHidden() else []

    @Slot()
    def check_now(self) -> list[str]:
        self._timer.stop()
        text = self.edit.toPlainText()
        out = self._messages(text) if text.strip() and self._active() else []
        self.label.setText("\n".join(out[:MAX_LINES]))
        self.setVisible(bool(out))
        return out

    def _messages(self, text: str) -> list[str]:
        out: list[str] = []
        promises: list[str] = []
        declined = False
        for hint in check_reply(text, self._language()):
            if hint.kind == FORBIDDEN_PROMISE:
                if hint.phrase not in promises:
                    promises.append(hint.phrase)
            else:
                declined = True
        if declined:
            out.append(self.tr("Saying no? Give the reason and offer an alternative "
                               "(decline → reason → alternative)."))
        for phrase in promises:
            out.append(self.tr("“%1” is a promise our policy does not allow.")
                       .replace("%1", phrase))
        for name in list(self._expected):
            if "{" + name + "}" not in text:
                del self._expected[name]  # filled in (or deleted): no longer a problem
        for name, problem in self._expected.items():
            out.append(variable_problem_text(name, problem))
        return out


def variable_problem_text(name: str, problem: str) -> str:
    """"{order.number} has no value — fill it in before sending" (translated)."""
    shown = "{" + name + "}"
    if problem == "unknown" and canonical(name) not in KNOWN_VARIABLES:
        return QCoreApplication.translate(
            "ReplyHint", "%1 is not a variable we know — replace it before sending.").replace(
                "%1", shown)
    return QCoreApplication.translate(
        "ReplyHint", "%1 has no value — fill it in before sending.").replace("%1", shown)


def notice_line(parent: QWidget) -> QLabel:
    """A compact amber line like the hint's (for the suggestions panel's notes)."""
    label = notice_label(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(label.styleSheet().replace("padding: 6px 8px", "padding: 3px 6px"))
    return label
