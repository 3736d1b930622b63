"""Does a window fit a 1366×768 commune laptop? Every visible button must lie on the screen.

``assert_buttons_inside(widget, rect)`` checks the window frame and every visible
``QAbstractButton`` of a shown top-level widget against ``rect`` (global coordinates, normally
the screen's available geometry). The GUI tests run on an offscreen screen of exactly
``LAPTOP`` (see ``conftest.py``), so a dialog that sizes itself from the screen is measured
against the screen it would really get.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QWidget

LAPTOP = QRect(0, 0, 1366, 768)
# Less a 40-pixel taskbar: the available geometry the main window gets on such a laptop.
LAPTOP_AVAILABLE = QRect(0, 0, 1366, 728)


def offscreen_config(folder: Path) -> Path:
    """A configuration file for Qt's offscreen platform with one LAPTOP-sized screen."""
    path = folder / "offscreen-1366x768.json"
    path.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": LAPTOP.x(), "y": LAPTOP.y(), "width": LAPTOP.width(), "height": LAPTOP.height(),
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
    }]}), encoding="utf-8")
    return path


def _global_rect(w: QWidget) -> QRect:
    return QRect(w.mapToGlobal(QPoint(0, 0)), w.size())


def buttons_outside(widget: QWidget, rect: QRect) -> list[str]:
    """Descriptions of the window frame and the visible buttons not entirely inside ``rect``."""
    out = []
    if not rect.contains(widget.frameGeometry()):
        out.append(f"cửa sổ {widget.windowTitle()!r} {widget.frameGeometry()}")
    for b in widget.findChildren(QAbstractButton):
        if not b.isVisible() or b.window() is not widget or b.visibleRegion().isEmpty():
            continue  # hidden, in another window, or scrolled out of view inside a scroll area
        r = _global_rect(b)
        if not rect.contains(r):
            out.append(f"nút {b.text() or b.toolTip() or b.objectName()!r} {r}")
    return out


def assert_buttons_inside(widget: QWidget, rect: QRect) -> None:
    """Fail naming every visible button of the shown top-level ``widget`` that lies outside ``rect``."""
    assert widget.isWindow() and widget.isVisible(), "the window must be shown to be measured"
    outside = buttons_outside(widget, rect)
    assert not outside, "ngoài màn hình: " + "; ".join(outside)
