"""A damaged file left with unsaved pages in its WAL (the app was killed, then the disk failed):
refusing it at start must not copy those pages into it. The last writable connection to a WAL
file does that as it closes, so the file opened to show the list before its check must be
closed without it."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from gnbv_desktop import app
from gnbv_desktop.store import migrations
from gnbv_desktop.store.database import DamagedDatabase, open_database
from gnbv_desktop.store.integrity import BackgroundCheck
from tests.hostile.kit import commune_template, copy_of, damage_table

pytestmark = pytest.mark.gui


def _killed_mid_session(path) -> None:
    """Pages written to the WAL by a process that ended without closing (nothing checkpointed)."""
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute('CREATE TABLE con_lai (a)')\n"
        "c.execute(\"INSERT INTO con_lai VALUES ('chưa ghi vào tệp')\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)


def _folder(path) -> dict[str, str]:
    """Every file of the folder by its sha256 but the WAL's shared-memory index (SQLite's, rebuilt
    from the WAL) and the app's own lock file."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.rglob("*")) if p.is_file() and not p.name.endswith(("-shm", ".lock"))}


def _press_on_damage_box(press: str) -> QTimer:
    def tick() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                next(b for b in w.findChildren(QPushButton) if b.text() == press).click()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    return timer


@pytest.mark.parametrize("table", ["households", "audit_log"])
def test_refusing_a_damaged_file_at_start_leaves_it_and_its_wal_as_they_were(qapp, qtbot, tmp_path, table):
    (tmp_path / "xa").mkdir()
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa" / "xa.sqlite3")
    _killed_mid_session(db_path)
    damage_table(db_path, table)
    before = _folder(db_path)
    assert f"{db_path.name}-wal" in before
    timer = _press_on_damage_box("Thoát")
    assert app.main(["--db", str(db_path), "--year", "2026"]) == 1
    timer.stop()
    assert _folder(db_path) == before


def test_a_damaged_file_to_upgrade_refused_at_open_keeps_its_wal(tmp_path):
    (tmp_path / "xa").mkdir()
    db_path = copy_of(commune_template(tmp_path), tmp_path / "xa" / "xa.sqlite3")
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION - 1}")  # as the previous version left it
    conn.close()
    _killed_mid_session(db_path)
    damage_table(db_path, "audit_log")
    before = _folder(db_path)
    with pytest.raises(DamagedDatabase):
        open_database(db_path, check=BackgroundCheck(db_path, start=False), read_first=True)
    assert _folder(db_path) == before
