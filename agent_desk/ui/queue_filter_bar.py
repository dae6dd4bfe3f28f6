"""The queue's filter bar: channel toggle buttons with live counts and a text filter.

What the counts mean is decided by ``QueueModel`` (see its module docstring): each channel
button shows how many rows that channel would show with the current text filter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ..protocol.enums import Channel
from . import icons

#: Button order: (channel or None for "all", key in the counts dict).
FILTERS: tuple[tuple[Channel | None, str], ...] = (
    (None, "all"), (Channel.PHONE, "phone"), (Channel.EMAIL, "email"), (Channel.CHAT, "chat"))

_STYLE = """
QToolButton#channelFilter {
    padding: 3px 9px; border: 1px solid palette(mid); border-radius: 4px;
    background: palette(base);
}
QToolButton#channelFilter:hover { background: palette(alternate-base); }
QToolButton#channelFilter:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
"""


class QueueFilterBar(QWidget):
    """Signals:
        sig_channel_changed(object): a channel button was chosen (``Channel`` or ``None``).
        sig_text_changed(str): the filter text changed.
        sig_escape_pressed(): Escape in the text filter (after clearing it, if it had text).
    """

    sig_channel_changed = Signal(object)
    sig_text_changed = Signal(str)
    sig_escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QToolButton] = {}
        self._counts: dict[str, int] = dict.fromkeys((k for _, k in FILTERS), 0)
        for i, (channel, key) in enumerate(FILTERS):
            b = QToolButton(self)
            b.setObjectName("channelFilter")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if channel is not None:
                b.setIcon(icons.icon(f"channel-{channel.value}"))
            self._group.addButton(b, i)
            self._buttons[key] = b
            layout.addWidget(b)
        self._buttons["all"].setChecked(True)
        layout.addSpacing(8)
        self.text_edit = QLineEdit(self)
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setMinimumWidth(160)
        self.text_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text_edit.installEventFilter(self)
        layout.addWidget(self.text_edit, 1)
        self._group.idClicked.connect(self._on_button)
        self.text_edit.textChanged.connect(self.sig_text_changed)
        self.retranslate()

    def buttons(self) -> list[QToolButton]:
        """The channel buttons in order (all, phone, email, chat)."""
        return [self._buttons[k] for _, k in FILTERS]

    def button(self, key: str) -> QToolButton:
        return self._buttons[key]

    def retranslate(self) -> None:
        self.text_edit.setPlaceholderText(self.tr("Filter by customer, subject or queue"))
        self.text_edit.setAccessibleName(self.tr("Filter the queue"))
        self.text_edit.setToolTip(
            self.tr("Show only interactions whose customer, subject, last message or queue "
                    "contain every word typed here (Ctrl+F)"))
        self.set_counts(self._counts)

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = {k: counts.get(k, 0) for k, _ in self._counts.items()}
        c = self._counts
        texts = {  # self.tr (not an alias) so that lupdate files them under this class
            "all": (self.tr("All %1"), self.tr("Show every channel: %1 interactions")),
            "phone": (self.tr("Phone %1"), self.tr("Show only phone calls: %1")),
            "email": (self.tr("Email %1"), self.tr("Show only emails: %1")),
            "chat": (self.tr("Chat %1"), self.tr("Show only chats: %1")),
        }
        for key, (label, name) in texts.items():
            b = self._buttons[key]
            b.setText(label.replace("%1", str(c[key])))
            b.setAccessibleName(name.replace("%1", str(c[key])))
            b.setToolTip(name.replace("%1", str(c[key])))

    def set_channel(self, channel: Channel | None) -> None:
        """Choose a channel button as if clicked."""
        for i, (ch, _) in enumerate(FILTERS):
            if ch == channel:
                self._group.button(i).setChecked(True)
                self._on_button(i)

    def channel(self) -> Channel | None:
        return FILTERS[max(0, self._group.checkedId())][0]

    @Slot(int)
    def _on_button(self, button_id: int) -> None:
        self.sig_channel_changed.emit(FILTERS[button_id][0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.text_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape):
            self.text_edit.clear()
            self.sig_escape_pressed.emit()
            return True
        return super().eventFilter(watched, event)


__all__ = ["FILTERS", "QueueFilterBar"]
