"""The email thread: message cards and internal-note cards in time order, oldest first
(newest at the bottom) or newest first, in one scroll area."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget
from shiboken6 import isValid

from ..channels.email import SafeHtml
from ..protocol import views as v
from .email_message_widget import EmailMessageWidget, NoteWidget
from .text_style import mute

#: (time, 0 = message / 1 = note, id): the order of the thread
Key = tuple[float, int, int]


class EmailThread(QScrollArea):
    """Signals:
        sig_save(object): Save… was clicked for an ``AttachmentView``.
        sig_notice(str): a message for the status bar (from a message's viewer).
    """

    sig_save = Signal(object)
    sig_notice = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, newest_first: bool = False) -> None:
        super().__init__(parent)
        self.newest_first = newest_first
        self.messages: dict[int, v.MessageView] = {}
        self.notes: dict[int, v.NoteView] = {}
        self.cards: list[QWidget] = []
        self._keys: dict[QWidget, Key] = {}
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Email thread"))
        self.box = QWidget(self)
        self.lay = QVBoxLayout(self.box)
        self.lay.setContentsMargins(0, 0, 4, 0)
        self.lay.setSpacing(8)
        self.status = mute(QLabel(self.tr("Loading the thread…"), self.box))
        self.status.setWordWrap(True)
        self.lay.addWidget(self.status)
        self.lay.addStretch(1)
        self.setWidget(self.box)

    def _entries(self) -> list[QWidget]:
        return [w for w in self.cards if isValid(w)]

    def _insert(self, widget: QWidget, key: Key) -> None:
        self._keys[widget] = key
        cards = self._entries()
        index = sum(1 for c in cards if self._keys[c] <= key)
        if self.newest_first:
            index = len(cards) - index
        self.cards.insert(index, widget)
        self.lay.insertWidget(index + 1, widget)  # after the status label

    def add_message(self, msg: v.MessageView, safe: SafeHtml | None = None
                    ) -> EmailMessageWidget | None:
        """Add a message card (None when it is already shown)."""
        if msg.id in self.messages:
            return None
        self.messages[msg.id] = msg
        card = EmailMessageWidget(msg, self.box, safe=safe)
        card.sig_save.connect(self.sig_save)
        card.sig_notice.connect(self.sig_notice)
        self._insert(card, (msg.at.timestamp(), 0, msg.id))
        return card

    def add_note(self, note: v.NoteView) -> bool:
        if note.id in self.notes:
            return False
        self.notes[note.id] = note
        self._insert(NoteWidget(note, self.box), (note.at.timestamp(), 1, note.id))
        return True

    def set_newest_first(self, on: bool) -> None:
        self.newest_first = on
        cards = sorted(self._entries(), key=self._keys.__getitem__, reverse=on)
        for c in cards:
            self.lay.removeWidget(c)
        self.cards = []
        for n, c in enumerate(cards):
            self.cards.append(c)
            self.lay.insertWidget(n + 1, c)

    def scroll_to_newest(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.minimum() if self.newest_first else bar.maximum())

    def order(self) -> list[int]:
        """Message ids in display order (tests, screen readers)."""
        return [c.message.id for c in self._entries() if isinstance(c, EmailMessageWidget)]
