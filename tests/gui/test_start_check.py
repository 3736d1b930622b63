"""The desktop app at start with a damaged data file: the list may show first (the quick check runs
once it is painted), but the damage is reported before anything is written, in Vietnamese, with
the newest sound backup offered; a sound file starts as before."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from gnbv_desktop import app
from gnbv_desktop.gui.main_window import MainWindow
from gnbv_desktop.store.backup import list_backups, make_backup
from tests.hostile.kit import commune_template, copy_of, damage_table

pytestmark = pytest.mark.gui


def _official(qtbot, seen: list[str], press: str) -> QTimer:
    """Read the damage box when it appears and press ``press`` on it; close the main window once it
    shows with no box left (so ``app.main`` returns)."""

    def tick() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is not None:
            seen.append(box.windowTitle() + "\n" + box.text())
            next(b for b in box.findChildren(QPushButton) if b.text() == press).click()
            return
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(f"cửa sổ chính: {w.households.model.rowCount()} hộ")
                w.close()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    return timer


def _checkpointed(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.mark.parametrize("table", ["households", "audit_log"])
def test_a_damaged_file_is_reported_before_any_write(qapp, qtbot, tmp_path, table):
    """``households``: the list cannot be read; ``audit_log``: the list shows, the check finds it."""
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa.sqlite3")
    _checkpointed(db_path)
    damage_table(db_path, table)
    before = db_path.read_bytes()
    seen: list[str] = []
    timer = _official(qtbot, seen, "Thoát")
    assert app.main(["--db", str(db_path), "--year", "2026"]) == 1
    timer.stop()
    boxes = [s for s in seen if not s.startswith("cửa sổ chính")]
    assert len(boxes) == 1 and boxes[0].startswith("Tệp dữ liệu bị hỏng")
    assert "Phần mềm chưa ghi gì vào tệp này" in boxes[0]
    if table == "households":
        assert boxes == seen  # no list to show
    assert db_path.read_bytes() == before
    assert not list_backups(db_path)  # not even the copy of the day's first start


def test_the_newest_sound_backup_is_restored_and_the_list_shows(qapp, qtbot, tmp_path):
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa.sqlite3")
    households = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
    make_backup(db_path, "thu-cong")
    _checkpointed(db_path)
    damage_table(db_path, "audit_log")
    seen: list[str] = []
    timer = _official(qtbot, seen, "Khôi phục bản sao lưu này")
    assert app.main(["--db", str(db_path), "--year", "2026"]) == 0
    timer.stop()
    assert seen[0].startswith("Tệp dữ liệu bị hỏng") and seen[1:] == [f"cửa sổ chính: {households} hộ"]
    from gnbv_desktop.store.integrity import quick_check

    assert quick_check(db_path) == []


def test_a_sound_file_starts_with_its_list(qapp, qtbot, tmp_path):
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa.sqlite3")
    seen: list[str] = []
    timer = _official(qtbot, seen, "Thoát")
    assert app.main(["--db", str(db_path), "--year", "2026"]) == 0
    timer.stop()
    assert seen == ["cửa sổ chính: 12 hộ"]
    assert sorted(b.reason for b in list_backups(db_path)) == ["dong-phan-mem", "mo-phan-mem"]
