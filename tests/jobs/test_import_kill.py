"""Killing the importing process mid-way leaves a clean database: nothing or everything imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from gnbv_desktop.store.database import open_database
from tests.killing import kill_when

ROOT = Path(__file__).resolve().parents[2]
N = 6000


def _big_list(path: Path) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Thu nhập", "Phân loại"])
    for i in range(1, N + 1):
        ws.append([i, f"Người Thứ {i}", 1950 + i % 50, f"Thôn {i % 4 + 1}", 1_000_000 + i, "Nghèo"])
    wb.save(path)
    return path


def test_kill_during_import_leaves_nothing_half_written(tmp_path):
    """``Popen.kill`` is SIGKILL on POSIX and TerminateProcess on Windows: either way the process
    gets no chance to clean up, as when the laptop's power is cut."""
    path = _big_list(tmp_path / "big.xlsx")
    db_path = tmp_path / "kill.sqlite3"
    db = open_database(db_path)  # import-excel fills an existing database
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    db.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gnbv_desktop", "--db", str(db_path), "import-excel", str(path), "--year", "2026"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    kill_when(proc, proc.stderr, "Đã ghi 1.000 hộ")  # inside the transaction, 5,000 rows still to go
    db = open_database(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        households = db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
        assessments = db.execute("SELECT COUNT(*) FROM assessments").fetchone()[0]
        assert (households, assessments) in ((0, 0), (N, N))
        assert households == 0  # killed before the commit: the whole import rolled back
        assert db.execute("SELECT COUNT(*) FROM villages").fetchone()[0] == 0
        # a large import sets the per-row insert triggers aside inside its transaction: back with the rollback
        assert db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() == \
            triggers
        # and, into an empty commune, the indexes of households and assessments (rebuilt at the end)
        assert db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall() == \
            indexes
    finally:
        db.close()
