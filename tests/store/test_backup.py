"""Backups: round trip, rotation, damaged files detected and left alone, restore of a damaged file."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import subprocess
import sys

import pytest

from gnbv_desktop.store import migrations
from gnbv_desktop.store.backup import (
    BackupError,
    backed_up_today,
    backup_folder,
    list_backups,
    make_backup,
    restore,
    rotate,
)
from gnbv_desktop.store.database import DamagedDatabase, DatabaseError, open_database
from gnbv_desktop.store.integrity import full_check, quick_check


def _count(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0]
    finally:
        conn.close()


def damage(path) -> None:
    """Overwrite 64 bytes at the start of the members table's root page (a b-tree page header)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'members'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek(page_size * (root - 1))
        f.write(b"\xa5" * 64)


def test_round_trip_while_the_database_is_open(demo_db, db_path):
    before = _count(db_path)
    backup = make_backup(db_path, "thu-cong")
    assert backup.parent == backup_folder(db_path)
    assert quick_check(backup) == []
    demo_db.execute("UPDATE households SET deleted = 1 WHERE id <= 10")
    assert _count(db_path) == before - 10
    safety = restore(db_path, backup)
    # the open connection sees the restored data; the state just replaced was kept
    assert demo_db.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0] == before
    assert _count(safety) == before - 10
    infos = list_backups(db_path)
    assert [i.reason for i in infos] == ["truoc-khoi-phuc", "thu-cong"]
    assert infos[1].households == before and infos[1].commune == "Xã Ia Grai"
    assert infos[1].size == backup.stat().st_size
    assert infos[1].schema_version == migrations.LATEST_VERSION


def test_backup_to_another_folder_is_not_rotated(demo_db, db_path, tmp_path):
    usb = tmp_path / "usb"
    target = make_backup(db_path, folder=usb)
    assert target.parent == usb and _count(target) == _count(db_path)
    assert list_backups(db_path) == []


def test_rotation_keeps_last_ten_and_one_per_month_for_a_year(demo_db, db_path):
    now = _dt.datetime(2026, 12, 1, 9, 0, 0)
    stamps = [now - _dt.timedelta(days=d) for d in range(600, 0, -5)]  # every five days for twenty months
    for stamp in stamps:
        make_backup(db_path, "mo-phan-mem", now=stamp)
    left = backup_folder(db_path) / f"{db_path.stem}-20261130-000000-thu-cong.sqlite3.part"
    left.write_bytes(b"half")  # a copy cut short two hours ago …
    two_hours_ago = _dt.datetime.now().timestamp() - 7200
    os.utime(left, (two_hours_ago, two_hours_ago))
    running = backup_folder(db_path) / f"{db_path.stem}-20261201-085959-thu-cong-x1.part"
    running.write_bytes(b"being written")  # … and another program's copy being written now
    rotate(db_path, now=now)
    newest_first = sorted(stamps, reverse=True)
    last_year = {(2026, m) for m in range(1, 13)}  # December 2026 back to January 2026; no December backup yet
    expected = set(newest_first[:10])
    for month in last_year:
        expected |= set([s for s in newest_first if (s.year, s.month) == month][:1])
    assert len(expected) == 10 + 9  # the last ten span October and November; January–September add one each
    assert {k.created for k in list_backups(db_path)} == expected
    assert list(backup_folder(db_path).glob("*.part")) == [running]


_BACKUPS_IN_ONE_SECOND = """
import datetime, sys
from gnbv_desktop.store.backup import make_backup
for _ in range(5):
    make_backup(sys.argv[1], "nhap-excel", now=datetime.datetime(2026, 12, 1, 9, 0, 0))
"""


def test_two_programs_backing_up_in_the_same_second_keep_every_copy(demo_db, db_path):
    """Two imports started together both back up first; same-second names never collide."""
    runs = [subprocess.Popen([sys.executable, "-c", _BACKUPS_IN_ONE_SECOND, str(db_path)], stderr=subprocess.PIPE)
            for _ in range(2)]
    errors = [run.communicate(timeout=120)[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    backups = list_backups(db_path)
    assert len(backups) == 10  # all kept: rotation keeps the last ten
    assert all(_count(b.path) == _count(db_path) for b in backups)
    assert not list(backup_folder(db_path).glob("*.part"))


def test_backed_up_today(demo_db, db_path):
    assert not backed_up_today(db_path, "mo-phan-mem")
    make_backup(db_path, "mo-phan-mem")
    assert backed_up_today(db_path, "mo-phan-mem")
    assert not backed_up_today(db_path, "dong-phan-mem")


def test_damaged_file_detected_left_identical_and_restored(demo_db, db_path):
    good = make_backup(db_path, "thu-cong")
    households = _count(db_path)
    demo_db.close()
    damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabase) as err:
        open_database(db_path)
    assert "bị hỏng" in str(err.value) and "khôi phục" in str(err.value)
    assert full_check(db_path)
    assert db_path.read_bytes() == before
    safety = restore(db_path, good, current_damaged=True)
    assert safety.read_bytes() == before  # the damaged file itself is kept, byte for byte
    db = open_database(db_path)
    assert db.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0] == households
    db.close()
    assert full_check(db_path) == []


def test_restore_refuses_bad_backups(demo_db, db_path, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 200)
    before = _count(db_path)
    with pytest.raises(BackupError, match="không phải"):
        restore(db_path, junk)
    broken = make_backup(db_path, folder=tmp_path / "x")
    damage(broken)
    with pytest.raises(BackupError, match="bị hỏng"):
        restore(db_path, broken)
    newer = make_backup(db_path, folder=tmp_path / "y")
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(BackupError, match="mới hơn"):
        restore(db_path, newer)
    assert _count(db_path) == before


@pytest.mark.parametrize("version", [-1, 2])
def test_inconsistent_schema_version_gives_a_message(demo_db, db_path, version):
    demo_db.execute(f"PRAGMA user_version = {version}")
    demo_db.close()
    with pytest.raises(DatabaseError) as err:
        open_database(db_path)
    assert "lược đồ" in str(err.value) and "sao lưu" in str(err.value)


def test_hot_rollback_journal_is_recovered_not_reported_as_damage(tmp_path):
    """A rollback-journal file (a backup copied back by hand, then a crash mid-write) is SQLite's
    normal recovery, not damage."""
    import subprocess
    import sys

    path = tmp_path / "cu.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    code = (f"import sqlite3, os; c = sqlite3.connect({str(path)!r}); c.execute('PRAGMA cache_size = 1'); "
            "c.execute('BEGIN'); c.execute('INSERT INTO t SELECT randomblob(500) FROM (WITH RECURSIVE n(i) AS "
            "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i FROM n)'); os._exit(9)")
    subprocess.run([sys.executable, "-c", code], check=False)
    assert (tmp_path / "cu.sqlite3-journal").stat().st_size > 0
    assert quick_check(path) == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
    conn.close()


def test_rotation_removes_the_journal_of_an_abandoned_part_file(demo_db, db_path):
    """A backup killed mid-copy leaves its part file and the copy's rollback journal
    (``….part-journal``); both go once abandoned (the journal used to stay for ever)."""
    make_backup(db_path, "mo-phan-mem")
    left = backup_folder(db_path) / f"{db_path.stem}-20261130-000000-thu-cong-ab12.part"
    journal = left.with_name(left.name + "-journal")
    two_hours_ago = _dt.datetime.now().timestamp() - 7200
    for path in (left, journal):
        path.write_bytes(b"half")
        os.utime(path, (two_hours_ago, two_hours_ago))
    rotate(db_path)
    assert not left.exists() and not journal.exists()
    assert len(list_backups(db_path)) == 1
