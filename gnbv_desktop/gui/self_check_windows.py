"""The windows part of ``--self-check``: every form and every page is built offscreen.

A bundle can hold every Python module and still miss a Qt plugin, a Designer form or a font;
building the real windows is what shows it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.paths import ui_path
from gnbv_desktop.store.database import open_database

# The offscreen platform says so for every top-level window; it is not a fault of the copy.
OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints()"


def _quiet_offscreen_notice(kind: QtMsgType, _context, message: str) -> None:
    if message != OFFSCREEN_NOTICE:
        print(message, file=sys.stderr)


def build_windows(db_path: Path, year: int = 2026) -> str:
    """Load every ``.ui`` form and show every page of the main window on ``db_path``."""
    previous = qInstallMessageHandler(_quiet_offscreen_notice)
    try:
        return _build_windows(db_path, year)
    finally:
        qInstallMessageHandler(previous)


def _build_windows(db_path: Path, year: int) -> str:
    app = QApplication.instance() or QApplication(["gnbv-desktop"])
    forms = sorted(ui_path("").glob("*.ui"))
    for form in forms:
        load_ui(form.name).deleteLater()
    db = open_database(db_path)
    ctx = AppContext(db, db_path, year)
    window = MainWindow(ctx)
    try:
        window.show()
        for title in window.titles:
            window.show_page(title)
            app.processEvents()
        pages = len(window.titles)
    finally:
        window.close()
        ctx.runner.wait()
        window.deleteLater()
        app.processEvents()
        db.close()
    return f"{len(forms)} biểu mẫu, {pages} trang, nền tảng {app.platformName()}"
