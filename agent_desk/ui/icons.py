"""The application's SVG icons, loaded from ``resources/icons/`` (installed as the
``agent_desk.resources`` package) through ``importlib.resources``, so they work from an
installed wheel too, and rendered once per
size and device-pixel ratio.

``pixmap()`` is what painting code (delegates) calls on every paint: it is a dict lookup
after the first call. ``icon()`` gives a ``QIcon`` for buttons and actions."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

#: Every icon shipped (file name without ``.svg``).
ICON_NAMES = (
    "channel-phone", "channel-email", "channel-chat",
    "tier-gold", "tier-vip",
    "sla-on-track", "sla-at-risk", "sla-breached",
    "offer", "accept", "decline",
    "priority-urgent", "priority-high", "priority-low",
)

_pixmaps: dict[tuple[str, int, float], QPixmap] = {}


@cache
def svg_bytes(name: str) -> bytes:
    """The SVG source of icon ``name`` (raises ``FileNotFoundError`` for unknown names)."""
    return resources.files("agent_desk.resources").joinpath(f"icons/{name}.svg").read_bytes()


@cache
def _renderer(name: str) -> QSvgRenderer:
    renderer = QSvgRenderer(QByteArray(svg_bytes(name)))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG")
    return renderer


def pixmap(name: str, size: int, dpr: float = 1.0) -> QPixmap:
    """Icon ``name`` as a ``size`` × ``size`` (logical pixels) pixmap for a device-pixel
    ratio of ``dpr``; cached."""
    key = (name, size, dpr)
    pm = _pixmaps.get(key)
    if pm is None:
        side = max(1, round(size * dpr))
        pm = QPixmap(side, side)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _renderer(name).render(painter, QRectF(0, 0, side, side))
        painter.end()
        pm.setDevicePixelRatio(dpr)
        _pixmaps[key] = pm
    return pm


@cache
def icon(name: str) -> QIcon:
    """Icon ``name`` as a ``QIcon`` (16, 20, 24 and 32 px, at 1× and 2×)."""
    ic = QIcon()
    for size in (16, 20, 24, 32):
        for dpr in (1.0, 2.0):
            ic.addPixmap(pixmap(name, size, dpr))
    return ic


__all__ = ["ICON_NAMES", "icon", "pixmap", "svg_bytes"]
