"""Opening to read before the quick check ends (the app shows the list first): nothing is written
until the check has passed, a damaged file is still refused before any write, and an open that
must write at once checks first. The app's reads do not load sqlite-utils; its writes do, on the
same connection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gnbv_desktop.store import migrations
from gnbv_desktop.store.database import DamagedDatabase, DatabaseError, check_before_writing, open_database
from gnbv_desktop.store.integrity import BackgroundCheck
from tests.store.test_backup import damage

ROOT = Path(__file__).resolve().parents[2]


def test_a_sound_file_is_read_before_its_check_runs(demo_db, db_path):
    households = demo_db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    demo_db.close()
    check = BackgroundCheck(db_path, start=False)
    db = open_database(db_path, check=check, read_first=True)
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == households
    check_before_writing(db_path, check)  # the caller runs it before writing: sound
    assert check.findings() == []
    db.close()


def test_a_damaged_file_opened_to_read_is_refused_before_the_first_write(demo_db, db_path):
    demo_db.close()
    damage(db_path)  # the members table's root page: the file still opens
    before = db_path.read_bytes()
    check = BackgroundCheck(db_path, start=False)
    db = open_database(db_path, check=check, read_first=True)
    with pytest.raises(DamagedDatabase) as err:
        check_before_writing(db_path, check)
    assert err.value.findings == check.findings() != []
    db.close()
    assert db_path.read_bytes() == before


def test_a_damaged_file_that_must_be_upgraded_is_refused_at_open(demo_db, db_path):
    demo_db.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION - 1}")  # as left by the previous version
    demo_db.close()
    damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabase):
        open_database(db_path, check=BackgroundCheck(db_path, start=False), read_first=True)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.bak-*"))  # no copy before an upgrade that did not happen


def test_not_a_database_opened_to_read_is_said_in_vietnamese(tmp_path):
    path = tmp_path / "gnbv.sqlite3"
    path.write_bytes(b"khong phai co so du lieu" * 100)
    with pytest.raises(DatabaseError) as err:
        open_database(path, check=BackgroundCheck(path, start=False), read_first=True)
    assert "không phải cơ sở dữ liệu GNBV" in str(err.value)


def test_the_check_runs_once(demo_db, db_path):
    demo_db.close()
    check = BackgroundCheck(db_path, start=False)
    check.start()
    check.start()
    assert check.wait(30) and check.findings() == []


def test_reads_at_start_do_not_load_sqlite_utils_and_writes_do(demo_db, db_path):
    """In a fresh process, as the app starts: open, the list, accounts, audit — then a save."""
    demo_db.close()
    script = """
import sys
from gnbv_desktop.store.accounts import has_accounts
from gnbv_desktop.store.audit import is_audited
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.household_list import list_columns
from gnbv_desktop.store.households import get_household, save_household
db = open_database(sys.argv[1])
rows = list_columns(db, 2026)
assert len(rows) == 60 and not has_accounts(db) and is_audited(db)
print("sqlite_utils" in sys.modules)
household = get_household(db, rows.ids[0])
household.note = "Đã kiểm tra"
save_household(db, household)
print("sqlite_utils" in sys.modules)
print(db.execute("SELECT note FROM households WHERE id = ?", [rows.ids[0]]).fetchone()[0])
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script, str(db_path)], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split("\n")
    assert out[:3] == ["False", "True", "Đã kiểm tra"]
