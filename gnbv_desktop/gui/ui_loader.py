"""Load Qt Designer forms from ``ui/`` (source tree or bundle) with QUiLoader."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from gnbv_desktop.paths import ui_path


def load_ui(name: str, parent: QWidget | None = None, custom: tuple[type[QWidget], ...] = ()) -> QWidget:
    """The form ``ui/<name>``; ``custom`` lists the app's own widget classes the form uses (the
    .ui names them in ``<customwidgets>``, so Designer shows them as promoted widgets)."""
    path = ui_path(name)
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"Không mở được giao diện {path}")
    loader = QUiLoader()
    for cls in custom:
        loader.registerCustomWidget(cls)
    try:
        widget = loader.load(f, parent)
    finally:
        f.close()
    if widget is None:
        raise RuntimeError(f"Tệp giao diện {path} không hợp lệ")
    return widget
