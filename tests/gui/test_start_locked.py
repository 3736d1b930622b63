"""The app's start while another program holds a write on the data file longer than the app waits
(a database tool left with an open transaction): the session cannot be named, which is said in
Vietnamese and ends the app — no traceback, and nothing of the file changed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from gnbv_desktop import app
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.store import database
from tests.hostile.kit import canonical_dump, commune_template, copy_of

pytestmark = pytest.mark.gui

_HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE households SET note = 'chưa lưu' WHERE id = 1")
print("giữ", flush=True)
time.sleep(120)
"""


def test_a_file_another_program_is_writing_is_said_not_a_traceback(qapp, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.5)
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa.sqlite3")
    before = canonical_dump(db_path)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "giữ"
        seen: list[str] = []

        def tick() -> None:
            for w in QApplication.topLevelWidgets():
                if isinstance(w, QMessageBox) and w.isVisible():
                    seen.append(w.windowTitle() + "\n" + w.text())
                    w.findChildren(QPushButton)[0].click()  # its one button
                    return
            for w in QApplication.topLevelWidgets():
                if isinstance(w, MainWindow) and w.isVisible() and seen:
                    w.close()

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(50)
        assert app.main(["--db", str(db_path), "--year", "2026"]) == 1
        timer.stop()
    finally:
        holder.kill()
        holder.wait()
    assert len(seen) == 1 and "đang được một chương trình GNBV khác ghi" in seen[0], seen
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert canonical_dump(db_path) == before
