"""Text roles shared by the widgets: headings, secondary text, inline problems, banners."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

#: An inline problem (red, readable on light backgrounds): validation errors, refusals.
ERROR_STYLE = "QLabel { color: #b3261e; }"
#: A notice about the whole view (offline copy, no longer yours): amber, like the offer bar.
BANNER_STYLE = ("QLabel { background: #fff4e5; color: #7a4100; border: 1px solid #f0b46c; "
                "border-radius: 4px; padding: 6px 8px; }")


def emphasize(label: QLabel, scale: float = 1.0, *, bold: bool = True) -> QLabel:
    """Make ``label`` a heading: bold and ``scale`` times the base font size."""
    f = QFont(label.font())
    f.setBold(bold)
    if scale != 1.0:
        f.setPointSizeF(f.pointSizeF() * scale)
    label.setFont(f)
    return label


def mute(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour (readable in light and dark)."""
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(pal)
    return label


def problem_label(parent: QWidget, accessible_name: str) -> QLabel:
    """A hidden, word-wrapped label for an inline problem (show it with the text)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setAccessibleName(accessible_name)
    label.hide()
    return label


def notice_label(parent: QWidget, accessible_name: str = "") -> QLabel:
    """A hidden, word-wrapped banner for a notice about the whole view (show it with the
    text)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    if accessible_name:
        label.setAccessibleName(accessible_name)
    label.hide()
    return label
