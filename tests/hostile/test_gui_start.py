"""The desktop app at start: unusable received standards give a warning and the app still runs
on the shipped ones; a second window on the same database is refused politely."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gnbv_desktop import app
from gnbv_desktop.gui.environment import acquire_instance_lock
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.store.database import open_database
from tests.hostile.kit import commune_template

pytestmark = pytest.mark.gui


def _answer_boxes(qtbot, seen: list[str], then_close: bool) -> QTimer:
    """Read every message box that appears and press its own OK button; once the main window
    shows with no box left, close it (as the official would) so ``app.main`` returns."""

    def tick() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.text())
                qtbot.mouseClick(w.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
                return
        if then_close:
            for w in QApplication.topLevelWidgets():
                if isinstance(w, MainWindow) and w.isVisible():
                    w.close()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(100)
    return timer


def test_unusable_received_standards_warn_and_the_app_starts(qapp, qtbot, tmp_path):
    db_path = commune_template(tmp_path)
    db = open_database(db_path)
    db.execute("INSERT INTO catalog_entries (catalog, code, name, data, sort_order, uuid, created_at, updated_at, "
               "change_counter, rev, deleted) VALUES ('standards', 'x', 'x', '{}', 0, 'u', '', '', 1, 1, 0)")
    db.close()
    seen: list[str] = []
    timer = _answer_boxes(qtbot, seen, then_close=True)
    assert app.main(["--db", str(db_path), "--year", "2026"]) == 0
    timer.stop()
    assert len(seen) == 1 and "Chuẩn nghèo nhận từ cấp trên không dùng được" in seen[0]
    assert "chuẩn nghèo có sẵn" in seen[0]


def test_a_second_window_on_the_same_database_is_refused(qapp, qtbot, tmp_path):
    db_path = commune_template(tmp_path)
    first = acquire_instance_lock(db_path)  # the window already open
    assert first is not None
    seen: list[str] = []
    timer = _answer_boxes(qtbot, seen, then_close=False)
    assert app.main(["--db", str(db_path)]) == 1
    timer.stop()
    assert len(seen) == 1 and "đang được mở trong một cửa sổ GNBV Desktop khác" in seen[0]
    first.unlock()
    assert acquire_instance_lock(db_path) is not None  # free again once the first window closes


def test_a_database_on_a_read_only_drive_opens_and_says_once_that_it_is_read_only(qapp, qtbot, tmp_path):
    import hashlib
    import shutil

    from tests.read_only_drive import read_only_drive

    template = commune_template(tmp_path)
    with read_only_drive(tmp_path / "usb", lambda d: shutil.copy(template, d / "xa.sqlite3")) as usb:
        db_path = usb / "xa.sqlite3"
        before = hashlib.sha256(db_path.read_bytes()).hexdigest()
        seen: list[str] = []
        timer = _answer_boxes(qtbot, seen, then_close=True)
        assert app.main(["--db", str(db_path), "--year", "2026"]) == 0
        timer.stop()
        assert len(seen) == 1 and "chỉ cho đọc" in seen[0] and "xa.sqlite3" in seen[0]
        assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
