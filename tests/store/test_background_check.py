"""The quick check started before the window loads guards the open exactly as the check at open:
a damaged file is refused before any write, a sound one opens, a check of another file is not used."""

from __future__ import annotations

import sqlite3

import pytest

from gnbv_desktop.store.database import DamagedDatabase, DatabaseError, open_database
from gnbv_desktop.store.integrity import BackgroundCheck
from tests.store.test_backup import damage


def test_a_damaged_file_is_refused_unchanged(demo_db, db_path):
    demo_db.close()
    damage(db_path)
    before = db_path.read_bytes()
    check = BackgroundCheck(db_path)
    with pytest.raises(DamagedDatabase) as err:
        open_database(db_path, check=check)
    assert err.value.findings == check.findings() != []
    assert db_path.read_bytes() == before


def test_a_sound_file_opens_with_its_check(demo_db, db_path):
    households = demo_db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    demo_db.close()
    check = BackgroundCheck(db_path)
    db = open_database(db_path, check=check)
    assert check.findings() == []
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == households
    db.close()


def test_a_check_of_another_file_is_not_taken_for_this_one(demo_db, db_path, tmp_path):
    demo_db.close()
    sound = tmp_path / "khac.sqlite3"
    sqlite3.connect(sound).execute("CREATE TABLE t (x)").connection.close()
    damage(db_path)
    with pytest.raises(DamagedDatabase):
        open_database(db_path, check=BackgroundCheck(sound))


def test_not_a_database_is_said_in_vietnamese(tmp_path):
    path = tmp_path / "gnbv.sqlite3"
    path.write_bytes(b"khong phai co so du lieu" * 100)
    with pytest.raises(DatabaseError) as err:
        open_database(path, check=BackgroundCheck(path))
    assert "không phải cơ sở dữ liệu GNBV" in str(err.value)
