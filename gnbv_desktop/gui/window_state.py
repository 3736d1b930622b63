"""Windows that fit the screen they open on and come back the way the user left them.

A commune laptop is often 1366×768: a window that opens taller than the screen hides its buttons
and status bar. Windows therefore open inside the screen's available geometry (maximised on small
screens); the geometry and splitter positions the user chose are kept in ``giao-dien.ini`` in the
data folder (not the registry, so a portable copy and the tests keep theirs apart) and restored
only if the window would still be on a connected screen.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

from gnbv_desktop.paths import user_data_dir

SETTINGS_FILE = "giao-dien.ini"
SMALL_SCREEN = (1440, 900)  # below this, maximise instead of a floating window


def ui_settings() -> QSettings:
    return QSettings(str(user_data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


def available_geometry(widget: QWidget | None = None) -> QRect:
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def on_a_screen(rect: QRect) -> bool:
    """True when the rectangle's title-bar area lies on some connected screen's available area."""
    probe = QRect(rect.left() + 20, rect.top(), max(rect.width() - 40, 1), 30)
    return any(s.availableGeometry().intersects(probe) for s in QGuiApplication.screens())


def restore_geometry(widget: QWidget, key: str) -> bool:
    """Restore ``key``'s saved geometry when it is still on a screen; False leaves the widget as it was."""
    data = ui_settings().value(f"{key}/geometry")
    if not isinstance(data, QByteArray) or data.isEmpty():
        return False
    before = widget.saveGeometry()
    if widget.restoreGeometry(data) and on_a_screen(widget.geometry()):
        return True
    widget.restoreGeometry(before)
    return False


def save_geometry(widget: QWidget, key: str) -> None:
    ui_settings().setValue(f"{key}/geometry", widget.saveGeometry())


def fit_into_screen(widget: QWidget, width: int, height: int) -> bool:
    """Size ``widget`` to at most ``width``×``height`` inside the available area, centred.

    On a small screen it takes the whole available area and True is returned: the caller should
    also maximise it (a window manager that ignores maximising still leaves it filling the screen).
    """
    area = available_geometry(widget)
    frame_extra = 40  # title bar and borders drawn by the window manager
    small = area.width() < SMALL_SCREEN[0] or area.height() < SMALL_SCREEN[1]
    w = area.width() if small else min(width, area.width())
    h = area.height() - frame_extra if small else min(height, area.height() - frame_extra)
    widget.resize(w, h)
    widget.move(area.left() + (area.width() - w) // 2, area.top() + max((area.height() - h - frame_extra) // 2, 0))
    return small


def splitters_of(widget: QWidget) -> list[QSplitter]:
    return widget.findChildren(QSplitter)


def save_splitter(splitter: QSplitter, key: str) -> None:
    ui_settings().setValue(key, splitter.saveState())


def restore_splitter(splitter: QSplitter, key: str) -> None:
    state = ui_settings().value(key)
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)


def save_splitters(widget: QWidget, key: str) -> None:
    """Every splitter inside ``widget`` (a page), numbered in the order Qt finds them."""
    for i, splitter in enumerate(splitters_of(widget)):
        save_splitter(splitter, f"{key}/splitter{i}")


def restore_splitters(widget: QWidget, key: str) -> None:
    for i, splitter in enumerate(splitters_of(widget)):
        restore_splitter(splitter, f"{key}/splitter{i}")
