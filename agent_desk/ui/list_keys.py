"""Keyboard for a search box above a result list: Up / Down / Page Up / Page Down in the box
move the list's current row (the typing stays in the box), Enter in either activates the
current row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

_STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5,
          Qt.Key.Key_PageDown: 5}
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ListKeys(QObject):
    def __init__(self, box: QLineEdit, view: QAbstractItemView,
                 activate: Callable[[], object]) -> None:
        super().__init__(box)
        self.box = box
        self.view = view
        self.activate = activate
        box.installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key in _ENTER_KEYS and mods == Qt.KeyboardModifier.NoModifier:
                self.activate()
                return True
            model = self.view.model()
            if obj is self.box and key in _STEPS and model is not None and model.rowCount():
                self.move(_STEPS[Qt.Key(key)])
                return True
        return super().eventFilter(obj, event)

    def move(self, step: int) -> None:
        model = self.view.model()
        cur = self.view.currentIndex().row()
        target = min(model.rowCount() - 1, max(0, (cur if cur >= 0 else -1) + step))
        self.view.setCurrentIndex(model.index(target, 0))
        self.view.scrollTo(model.index(target, 0))
