"""Dialogs that fit the screen they open on and remember the size the official gave them.

Commune laptops are often 1366×768 with a task bar: a dialog's preferred size is only a wish,
bounded by the screen's available geometry; it opens inside that geometry, stays resizable, and
the size it had when closed is used next time (kept in ``giao-dien.ini`` in the data folder, so
tests and portable installs keep it beside their data).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from gnbv_desktop.paths import user_data_dir

SETTINGS_FILE = "giao-dien.ini"


def ui_settings() -> QSettings:
    return QSettings(str(user_data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


def available_geometry(widget: QWidget) -> QRect:
    """The usable area (without task bars) of the screen the widget is on, or of its parent's."""
    anchor = widget.parentWidget() or widget
    screen = anchor.screen() if anchor.screen() is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def bounded(size: QSize, area: QRect, margin: int = 24) -> QSize:
    return QSize(min(size.width(), area.width() - margin), min(size.height(), area.height() - 2 * margin))


def move_inside(widget: QWidget, area: QRect) -> None:
    """Shift the window (frame included) so all of it lies inside ``area``."""
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(widget.x() + x - frame.x(), widget.y() + y - frame.y())


class _SizeKeeper(QObject):
    def __init__(self, widget: QWidget, key: str):
        super().__init__(widget)
        self.key = key

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget):
            area = available_geometry(obj)
            obj.resize(bounded(obj.size(), area))
            move_inside(obj, area)
        elif event.type() == QEvent.Type.Hide and isinstance(obj, QWidget):
            ui_settings().setValue(f"{self.key}/size", obj.size())
        return False


def remember_size(widget: QWidget, key: str, preferred: QSize) -> None:
    """Resize ``widget`` to its remembered size (or ``preferred``), bounded by the screen; on
    every show it is moved inside the screen's available geometry; on hide its size is kept."""
    saved = ui_settings().value(f"{key}/size")
    size = saved if isinstance(saved, QSize) and saved.isValid() else preferred
    widget.resize(bounded(size, available_geometry(widget)))
    widget.installEventFilter(_SizeKeeper(widget, key))
