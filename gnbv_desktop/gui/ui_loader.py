"""Load Qt Designer forms from ``ui/`` (source tree or bundle) with QUiLoader."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from gnbv_desktop.paths import ui_path


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    path = ui_path(name)
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"Không mở được giao diện {path}")
    try:
        widget = QUiLoader().load(f, parent)
    finally:
        f.close()
    if widget is None:
        raise RuntimeError(f"Tệp giao diện {path} không hợp lệ")
    return widget
