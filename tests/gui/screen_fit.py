"""Checks that a window fits a commune laptop's screen (1366×768, taskbar included)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QWidget

# 1366×768 less a 40-pixel taskbar: the available geometry of the most common commune laptop.
LAPTOP_AVAILABLE = QRect(0, 0, 1366, 728)


def visible_buttons(widget: QWidget) -> list[QAbstractButton]:
    return [b for b in widget.findChildren(QAbstractButton) if b.isVisibleTo(widget) and b.isVisible()]


def assert_buttons_inside(widget: QWidget, rect: QRect) -> None:
    """Every visible button of ``widget`` lies wholly inside ``rect`` (global coordinates)."""
    outside = []
    for button in visible_buttons(widget):
        top_left = button.mapToGlobal(QPoint(0, 0))
        area = QRect(top_left, button.size())
        if not rect.contains(area):
            outside.append(f"{button.text() or button.objectName() or type(button).__name__} at {area.getRect()}")
    assert not outside, f"buttons outside {rect.getRect()}: {outside}"
