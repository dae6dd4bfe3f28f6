"""One entry of an email thread: a message card (from, to, cc, date, subject, the body in a
``SafeBrowser``, attachments with their size and a Save… button) or an internal-note card
(tinted, marked "Internal note — not sent to the customer"). A large HTML body shown
without its table layout says so, with a button for the original layout."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, QSizeF, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..channels.email import SafeHtml
from ..protocol import views as v
from .safe_browser import SafeBrowser
from .text_style import emphasize, mute

#: Tallest a message body grows before it scrolls on its own (pixels).
MAX_BODY_HEIGHT = 420
CARD_STYLE = {
    "inbound": "QFrame#emailCard { background: palette(base); border: 1px solid #d0d7de; "
               "border-radius: 6px; }",
    "outbound": "QFrame#emailCard { background: #f3f8ff; border: 1px solid #c8daf5; "
                "border-radius: 6px; }",
    "note": "QFrame#emailCard { background: #fff8e1; border: 1px dashed #e0b84c; "
            "border-radius: 6px; }",
}


def size_text(n: int) -> str:
    """1 234 567 -> "1.2 MB" (the locale's decimal point)."""
    return QLocale().formattedDataSize(max(0, n), 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def when_text(at: datetime) -> str:
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(at.timestamp())),
                              QLocale.FormatType.ShortFormat)


class _Card(QFrame):
    def __init__(self, style: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("emailCard")
        self.setStyleSheet(CARD_STYLE[style])
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(12, 8, 12, 10)
        self.lay.setSpacing(6)


class EmailMessageWidget(_Card):
    """Signals:
        sig_save(object): Save… was clicked for this ``AttachmentView``.
        sig_notice(str): a message for the status bar (a link that was not opened...).
    """

    sig_save = Signal(object)
    sig_notice = Signal(str)

    def __init__(self, msg: v.MessageView, parent: QWidget | None = None, *,
                 safe: SafeHtml | None = None) -> None:
        super().__init__("outbound" if str(msg.direction) == "outbound" else "inbound", parent)
        self.message = msg
        self.setAccessibleName(self.tr("Message from %1").replace("%1", msg.author))
        head = QHBoxLayout()
        who = msg.author + (f" <{msg.from_addr}>" if msg.from_addr else "")
        self.from_label = emphasize(QLabel(who, self))
        self.from_label.setTextFormat(Qt.TextFormat.PlainText)
        self.from_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date = mute(QLabel(when_text(msg.at), self))
        head.addWidget(self.from_label, 1)
        head.addWidget(self.date)
        self.lay.addLayout(head)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.fields: dict[str, QLabel] = {}
        rows = [("to", self.tr("To:"), ", ".join(msg.to)),
                ("cc", self.tr("Cc:"), ", ".join(msg.cc)),
                ("subject", self.tr("Subject:"), msg.subject or "")]
        for row, (key, label, value) in enumerate(r for r in rows if r[2]):
            name = mute(QLabel(label, self))
            val = QLabel(value, self)
            val.setTextFormat(Qt.TextFormat.PlainText)
            val.setWordWrap(True)
            val.setAccessibleName(label.rstrip(":"))
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(val, row, 1)
            self.fields[key] = val
        grid.setColumnStretch(1, 1)
        self.lay.addLayout(grid)
        self.body = SafeBrowser(self)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.body.sig_notice.connect(self.sig_notice)
        self.body.sig_hover.connect(self.sig_notice)
        self.body.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.body.show_message(msg.html, msg.body, safe)
        self.layout_bar: QWidget | None = None
        self.full_layout_button: QPushButton | None = None
        if self.body.simplified:
            self._add_layout_bar()
        self.lay.addWidget(self.body)
        self.save_buttons: list[QPushButton] = []
        inline = set(safe.cid_images if safe is not None else ())
        files = [a for a in msg.attachments if not (a.content_id and
                                                   a.content_id.strip("<>") in inline)]
        if files:
            box = QVBoxLayout()
            box.setSpacing(2)
            title = mute(QLabel(self.tr("Attachments (%n)", "", len(files)), self))
            box.addWidget(title)
            for a in files:
                box.addLayout(self._attachment_row(a))
            self.lay.addLayout(box)

    def _add_layout_bar(self) -> None:
        """Above a body shown without its table layout: what happened, and the way back."""
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        note = mute(QLabel(self.tr("This large message is shown without its table layout so "
                                   "that it opens quickly; all of its text is here."), bar))
        note.setWordWrap(True)
        button = QPushButton(self.tr("Show original layout"), bar)
        button.setToolTip(self.tr("Lay the message out as it was sent (this can take a few "
                                  "seconds)"))
        button.clicked.connect(self.show_full_layout)
        row.addWidget(note, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.lay.addWidget(bar)
        self.layout_bar, self.full_layout_button = bar, button

    def show_full_layout(self) -> None:
        """The body with its original (table) layout; the note goes away."""
        self.body.show_full_layout()
        if self.layout_bar is not None:
            self.layout_bar.hide()

    def _attachment_row(self, a: v.AttachmentView) -> QHBoxLayout:
        row = QHBoxLayout()
        name = QLabel(a.filename, self)
        name.setTextFormat(Qt.TextFormat.PlainText)
        name.setToolTip(a.content_type)
        size = mute(QLabel(size_text(a.size), self))
        save = QPushButton(self.tr("Save…"), self)
        save.setAccessibleName(self.tr("Save %1 to a file").replace("%1", a.filename))
        save.setToolTip(self.tr("Save the file to a place you choose (it is not opened)"))
        save.setProperty("attachment_id", a.id)
        save.clicked.connect(lambda: self.sig_save.emit(a))
        self.save_buttons.append(save)
        row.addWidget(name, 1)
        row.addWidget(size)
        row.addWidget(save)
        return row

    def _fit(self, size: QSizeF) -> None:
        """The body as tall as its text, up to ``MAX_BODY_HEIGHT``. ``size`` is what the
        layout knows so far: asking the document for its size would lay a large one out
        in full at once (Qt lays it out a piece at a time)."""
        h = int(size.height()) + 8
        self.body.setFixedHeight(max(40, min(h, MAX_BODY_HEIGHT)))


class NoteWidget(_Card):
    """An internal note in the thread (never sent to the customer)."""

    def __init__(self, note: v.NoteView, parent: QWidget | None = None) -> None:
        super().__init__("note", parent)
        self.note = note
        self.setAccessibleName(self.tr("Internal note by %1").replace("%1", note.author))
        head = QHBoxLayout()
        self.tag = emphasize(QLabel(self.tr("Internal note — not sent to the customer"), self),
                             0.9)
        self.tag.setStyleSheet("QLabel { color: #7a5a00; }")
        who = mute(QLabel(f"{note.author} · {when_text(note.at)}", self))
        head.addWidget(self.tag, 1)
        head.addWidget(who)
        self.lay.addLayout(head)
        self.text = QLabel(note.body, self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lay.addWidget(self.text)
