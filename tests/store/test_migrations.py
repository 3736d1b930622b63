"""Opening files: new, current, older (upgraded after a backup), newer (refused), foreign."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from gnbv_desktop.store import migrations
from gnbv_desktop.store.database import DatabaseError, open_database

FIXTURES = Path(__file__).parent / "fixtures"


def test_new_database_is_at_latest_version_with_wal(db_path):
    db = open_database(db_path)
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_v1_file_upgrades_keeping_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", path)
    db = open_database(path)
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 5
    backups = list(tmp_path.glob("old.sqlite3.bak-v1-*"))
    if migrations.LATEST_VERSION > 1:
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 5
        old.close()
    else:
        assert backups == []
    db.close()


def test_newer_file_is_refused_unchanged(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="mới hơn"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_foreign_or_corrupt_file_refused(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError, match="không phải"):
        open_database(junk)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(DatabaseError, match="không phải"):
        open_database(other)
