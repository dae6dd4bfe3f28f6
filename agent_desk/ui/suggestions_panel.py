"""The suggested-replies panel: the best 3–5 templates, KB answers and team replies for the
customer's latest message, each with why it was suggested; a click or ``Alt+1``…``Alt+5``
inserts it, variables filled, into the current conversation's reply.

**When it asks** (``SuggestWorker``, off the GUI thread; latest request wins):

- the current interaction changes: its latest customer message from
  ``controller.interaction_detail`` (the subject when there is none yet);
- a customer message arrives for it (``bridge.sig_message``, direction ``inbound``): at
  once, so the list changes within a blink of the message;
- a phone call: the agent's call notes, :data:`NOTES_DELAY_MS` after they stop typing;
- a sync changed the local knowledge base (``bridge.sig_kb_changed``): the same again.

**Inserting** fills the variables (``templates.fill``) from the customer 360, the agent and
the interaction (``reply_values``); what has no value stays visible, is selected in the
composer and named under the list ("{order.number} has no value — fill it in before
sending"). An inserted article counts as used, locally (``KBStore.record_use``) and on the
server (``kb_feedback``), and is announced (``sig_article_used``). ``attach(workspace)``
wires the panel to a workspace: it follows the current tab, inserts through
``Workspace.insert_reply`` and installs the shortcuts (the main window wires these itself).

**Shortcuts**: ``Alt+1``…``Alt+5`` with ``WidgetWithChildrenShortcut`` context on the panel
and on the workspace: the queue's ``Alt+1``…``Alt+4`` filters only work while the queue has
the focus, so a key is never claimed twice at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..kb.templates import fill
from ..protocol import views as v
from .reply_hint import notice_line, variable_problem_text
from .reply_values import ReplyValues
from .suggest_worker import SuggestWorker
from .suggestion_card import SuggestionCard
from .tasks import TaskSet
from .text_style import emphasize, mute
from .view_context import ViewContext

if TYPE_CHECKING:
    from ..kb.suggest import Suggestion
    from .workspace import Workspace

log = logging.getLogger("agent_desk.ui.suggestions_panel")

#: How many suggestions are shown (and have an Alt+N shortcut).
SHOWN = 5
#: Quiet time after the last keystroke in the call notes before asking again, ms.
NOTES_DELAY_MS = 400
#: The end of the call notes used as the "message" (the latest topic), characters.
NOTES_TAIL = 600
def call_topic(i: v.InteractionView) -> str:
    """What an interaction is about before the customer wrote anything (a call): the IVR's
    answers (topic, menu; ``invoice_copy`` → "invoice copy"), then the subject."""
    ivr = [i.ivr_data.get(k, "").replace("_", " ") for k in ("topic", "menu", "reason")]
    return " ".join(p for p in (*ivr, i.subject) if p)


class SuggestionsPanel(QWidget):
    """Signals:
        sig_insert(str): insert this text (a suggestion with its variables filled) into the
            current reply. ``attach`` does that through the workspace already.
        sig_customer_text(str): the latest customer message of the current interaction
            (its subject when there is none), e.g. for the KB panel's search.
        sig_suggestions_changed(): a new list is shown (or it was cleared).
        sig_article_used(int, str, str): an article suggestion was inserted (interaction id,
            article id, title), e.g. to pre-link it in the wrap-up.
    """

    sig_insert = Signal(str)
    sig_customer_text = Signal(str)
    sig_suggestions_changed = Signal()
    sig_article_used = Signal(int, str, str)

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction: v.InteractionView | None = None
        self.customer_text = ""
        self._pending_text: str | None = None  # customer text announced after its cards
        self._iid: int | None = None
        self._token = -1
        self._asked: tuple[str, str] | None = None  # the last (text, context) asked for
        self._shown: list[Suggestion] = []
        self._workspace: Workspace | None = None
        self._notes: Any = None  # the phone view's CallNotes being watched
        self._tasks = TaskSet("suggestions", level=logging.INFO)
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())
        self.values = ReplyValues.of(ctx)
        self.worker = SuggestWorker.shared(ctx, self)
        self.setAccessibleName(self.tr("Suggested replies"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(6)
        head = QHBoxLayout()
        self.heading = emphasize(QLabel(self.tr("Suggested replies"), self))
        head.addWidget(self.heading)
        head.addStretch(1)
        self.keys = mute(QLabel(self.tr("Alt+1…%1 inserts").replace("%1", str(SHOWN)), self))
        head.addWidget(self.keys)
        lay.addLayout(head)
        self.status = mute(QLabel(self))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Suggestions status"))
        lay.addWidget(self.status)
        self.note = notice_line(self)
        self.note.setAccessibleName(self.tr("Inserted suggestion"))
        lay.addWidget(self.note)
        # the cards scroll: five long ones never make the window taller than the screen
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget(scroll)
        cards = QVBoxLayout(holder)
        cards.setContentsMargins(0, 0, 0, 0)
        cards.setSpacing(6)
        self.cards: list[SuggestionCard] = []
        for n in range(1, SHOWN + 1):
            card = SuggestionCard(n, holder)
            card.sig_activated.connect(self.insert)
            card.hide()
            cards.addWidget(card)
            self.cards.append(card)
        cards.addStretch(1)
        scroll.setWidget(holder)
        lay.addWidget(scroll, 1)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_DELAY_MS)
        self._notes_timer.timeout.connect(self._ask_notes)
        self._shortcuts: list[QShortcut] = []
        self.install_shortcuts(self)
        ctx.bridge.sig_message.connect(self._on_message)
        ctx.bridge.sig_kb_changed.connect(self._kb_changed)
        self.values.sig_loaded.connect(self._customer_loaded)
        if self.worker is not None:
            self.worker.sig_suggestions.connect(self._got)
            self.worker.sig_failed.connect(self._failed)
        self._say(self.tr("Open a conversation to see suggested replies."))

    # ---- wiring ----------------------------------------------------------------------------

    def attach(self, workspace: Workspace) -> None:
        """Follow ``workspace``'s current tab, insert into it (``sig_insert`` →
        ``Workspace.insert_reply``, with a note when it cannot take the text), and give it
        the shortcuts. (Or wire those three yourself, as the main window does.)"""
        self._workspace = workspace
        workspace.sig_current_changed.connect(self.set_interaction)
        self.sig_insert.connect(self._deliver)
        self.install_shortcuts(workspace)
        self.set_interaction(workspace.current_interaction())

    @Slot(str)
    def _deliver(self, text: str) -> None:
        ws = self._find_workspace()
        if ws is not None and not ws.insert_reply(text):
            self.note.setText(self.tr("Open a conversation you can reply in to insert a "
                                      "suggestion."))
            self.note.show()

    def _find_workspace(self) -> Workspace | None:
        """The workspace the panel serves (``attach``, else the one in its window)."""
        if self._workspace is None or not isValid(self._workspace):
            from .workspace import Workspace

            found = self.window().findChild(Workspace)
            self._workspace = found if isinstance(found, Workspace) else None
        return self._workspace

    def install_shortcuts(self, widget: QWidget) -> None:
        """``Alt+1``…``Alt+5`` insert suggestion 1…5 while the focus is in ``widget``."""
        for n in range(1, SHOWN + 1):
            sc = QShortcut(QKeySequence(f"Alt+{n}"), widget)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda n=n: self.insert(n))
            # the panel inside the widget (or the reverse) would claim a key twice
            sc.activatedAmbiguously.connect(lambda n=n: self.insert(n))
            self._shortcuts.append(sc)

    def suggestions(self) -> list[Suggestion]:
        """What is shown, best first."""
        return list(self._shown)

    # ---- what to suggest for ---------------------------------------------------------------

    @Slot(object)
    def set_interaction(self, i: v.InteractionView | None) -> None:
        """Suggest for ``i``'s latest customer message (None: nothing is open)."""
        if i is None:
            self._iid = self.interaction = self._asked = None
            self._watch_notes(None)
            self._show([])
            self._say(self.tr("Open a conversation to see suggested replies."))
            return
        self.interaction = i
        if i.id == self._iid:
            return
        self._iid = i.id
        self._asked = None
        self.customer_text = ""
        self.note.hide()
        self._show([])
        self._say(self.tr("Looking for suggestions…"))
        self._watch_notes(i)
        if self.values.customer(i.customer.id) is None:
            self._tasks.spawn(self.values.load(i.customer.id))
        self._tasks.spawn(self._load(i))

    async def _load(self, i: v.InteractionView) -> None:
        from .controller import QueryFailed

        text = ""
        try:
            detail = (await self.ctx.controller.interaction_detail(i.id)).value
            inbound = [x for x in detail.messages if str(x.direction) == "inbound"
                       and x.body.strip()]
            text = inbound[-1].body if inbound else ""
        except QueryFailed as exc:
            log.info("no history for suggestions: %s", exc.text)
        if not isValid(self) or self._iid != i.id or self.customer_text:
            return  # another interaction now, or a live message came first
        notes = self._notes.text().strip() if self._notes is not None else ""
        if notes and not text:
            self._ask_notes()
            return
        self._set_customer_text(text or call_topic(i))
        self._ask(self.customer_text)

    @Slot(object)
    def _on_message(self, msg: v.MessageView) -> None:
        if msg.interaction_id == self._iid and str(msg.direction) == "inbound" \
                and msg.body.strip():
            self._set_customer_text(msg.body)
            self._ask(msg.body)

    def _watch_notes(self, i: v.InteractionView | None) -> None:
        if self._notes is not None and isValid(self._notes):
            self._notes.sig_edited.disconnect(self._notes_timer.start)
        self._notes = None
        self._notes_timer.stop()
        ws = self._find_workspace() if i is not None else None
        view = ws.view(i.id) if ws is not None and i is not None else None
        notes = getattr(view, "notes", None) if i is not None and str(i.channel) == "phone" \
            else None
        if notes is not None and hasattr(notes, "sig_edited"):
            self._notes = notes
            notes.sig_edited.connect(self._notes_timer.start)

    @Slot()
    def _ask_notes(self) -> None:
        notes = self._notes
        if notes is None or not isValid(notes) or self.interaction is None:
            return
        text = notes.text().strip()[-NOTES_TAIL:]
        if text:
            self._ask(text, context=self.interaction.subject)

    def _set_customer_text(self, text: str) -> None:
        """The new customer text; announced (for the KB panel's search) once its
        suggestions are shown, so the two searches do not compete for the CPU while the
        agent waits for the suggestions (``bench/kb_ui.py``: ~30 ms of the 68)."""
        self.customer_text = text
        self._pending_text = text

    def _announce_text(self) -> None:
        text, self._pending_text = self._pending_text, None
        if text is not None:
            self.sig_customer_text.emit(text)

    def _ask(self, text: str, *, context: str = "") -> None:
        i = self.interaction
        if self.worker is None or i is None:
            self._show([])
            self._say(self.tr("There is no knowledge base on this computer yet."))
            self._announce_text()
            return
        if not text.strip():
            self._show([])
            self._say(self.tr("Suggestions appear when the customer writes."))
            self._announce_text()
            return
        self._asked = (text, context)
        self._token = self.worker.request(text, i.customer.language or None, SHOWN,
                                          context=context)

    @Slot(int)
    def _kb_changed(self, _cursor: int) -> None:
        """A sync changed the knowledge base: ask again for what is shown."""
        if self._asked is not None and self.interaction is not None:
            self._ask(self._asked[0], context=self._asked[1])

    # ---- answers ---------------------------------------------------------------------------

    @Slot(int, list)
    def _got(self, token: int, found: list[Any]) -> None:
        if token != self._token:
            return
        self._show(found[:SHOWN])
        if not found:
            self._say(self.tr("No suggestions for this message — search the knowledge base "
                              "instead."))
        else:
            self._say("")
        self._announce_text()

    @Slot(int, str)
    def _failed(self, token: int, why: str) -> None:
        if token != self._token:
            return
        self._show([])
        self._say(self.tr("The knowledge base is not on this computer yet; it arrives "
                          "after sign-in.") if why == "missing" else
                  self.tr("Suggestions are not available right now."))
        self._announce_text()

    def _show(self, found: list[Suggestion]) -> None:
        self._shown = list(found)
        self._render()
        self.sig_suggestions_changed.emit()

    def _render(self) -> None:
        values = self.values.values(self.interaction) if self.interaction is not None else {}
        for card, s in zip(self.cards, self._shown, strict=False):
            card.show_suggestion(s, fill(s.text, values).text, self._kind_text(s.kind),
                                 self._why(s), self.tr("Refusal — decline, reason, "
                                                       "alternative") if s.refusal else "")
            card.show()
        for card in self.cards[len(self._shown):]:
            card.hide()

    @Slot(int)
    def _customer_loaded(self, customer_id: int) -> None:
        if self.interaction is not None and self.interaction.customer.id == customer_id:
            self._render()  # the previews gain the order number and the like

    def _kind_text(self, kind: str) -> str:
        return {"template": self.tr("Template"), "article": self.tr("Article"),
                "reply": self.tr("Team reply")}.get(kind, kind)

    def _why(self, s: Suggestion) -> str:
        if not s.matched:
            return ""
        return self.tr("Matches: %1").replace("%1", self.tr(", ").join(s.matched))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ---- inserting -------------------------------------------------------------------------

    @Slot(int)
    def insert(self, number: int) -> bool:
        """Insert suggestion ``number`` (1-based), variables filled, through ``sig_insert``.
        False when there is no such suggestion."""
        if not 1 <= number <= len(self._shown) or self.interaction is None:
            return False
        s = self._shown[number - 1]
        filled = fill(s.text, self.values.values(self.interaction))
        problems = list(dict.fromkeys((p.name, p.problem) for p in filled.problems))
        self.note.setText("\n".join(variable_problem_text(n, p) for n, p in problems[:3]))
        self.note.setVisible(bool(problems))
        self.sig_insert.emit(filled.text)  # (``_deliver`` may replace the note)
        if s.kind == "article":
            self._record_use(s)
        return True

    def _record_use(self, s: Suggestion) -> None:
        """Announced; the window counts it once per interaction, locally and on the server
        (``kb_feedback.UseRecorder``, shared with the KB panel)."""
        if self._iid is not None:
            self.sig_article_used.emit(self._iid, s.ref_id, s.title)
