"""The bulk write of an Excel import as the database sees it: the bookkeeping every new row shares
(written once into the INSERT rather than bound on each row), UUIDs drawn from one buffer, new
households of a file that also holds recorded ones given ids and codes in the file's order, and the
connection's page cache as it was after the write, whether it succeeded or failed. Oracles are SQL
reads of the file written."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.io.workbooks import simple_list

HEADER = ["STT chủ hộ", "STT thành viên hộ", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Thôn", "Thu nhập",
          "Phân loại"]


def _head(no: int, name: str, year: int) -> list:
    return [no, None, name, "Chủ hộ", year, "Thôn 1", 900_000, "Hộ nghèo"]


def _member(no: int, name: str, relation: str, year: int) -> list:
    return [None, no, name, relation, year, None, None, None]


FIRST = [_head(1, "Rơ Châm Hiên", 1960), _member(1, "Rơ Châm Ly", "Con", 1990),
         _head(2, "Nay Y Blơ", 1961), _member(1, "Nay H'Dơ", "Vợ", 1963),
         _head(3, "Siu Hà", 1962), _member(1, "Siu Tâm", "Con", 1992)]
# recorded households between new ones, a member added to a recorded one
SECOND = [_head(1, "Rơ Châm Hiên", 1960), _member(1, "Rơ Châm Ly", "Con", 1990),
          _head(4, "Đinh  Văn  Mới", 1970), _member(1, "Đinh Thị Một", "Vợ", 1972), _member(2, "Đinh Văn Hai", "Con", 1995),
          _head(2, "Nay Y Blơ", 1961), _member(1, "Nay H'Dơ", "Vợ", 1963),
          _head(5, "Ksor Ba", 1975), _member(1, "Ksor Bốn", "Con", 2000),
          _head(3, "Siu Hà", 1962), _member(1, "Siu Tâm", "Con", 1992), _member(2, "Siu Út", "Con", 2010)]


def _import(db, path):
    return run_to_end(run_import(db, run_to_end(preview_import(db, path, year=2026))))


def test_new_rows_of_a_mixed_file_share_one_stamp_and_get_ids_codes_and_uuids_in_file_order(tmp_path):
    db = open_database(tmp_path / "w.sqlite3")
    ensure_demo_commune(db)
    _import(db, simple_list(tmp_path / "1.xlsx", FIRST, HEADER))
    before_max = db.execute("SELECT MAX(id), MAX(CAST(code AS INTEGER)) FROM households").fetchone()
    summary = _import(db, simple_list(tmp_path / "2.xlsx", SECOND, HEADER))
    assert (summary.imported, summary.updated) == (2, 1)
    rev = int(db.execute("SELECT value FROM settings WHERE key = 'last_rev'").fetchone()[0])
    new = db.execute("SELECT id, code, head_name FROM households WHERE rev = ? AND change_counter = 1 ORDER BY id",
                     [rev]).fetchall()
    assert [n for _i, _c, n in new] == ["Đinh Văn Mới", "Ksor Ba"]  # file order, name tidied
    assert [i for i, _c, _n in new] == [before_max[0] + 1, before_max[0] + 2]
    assert [int(c) for _i, c, _n in new] == [before_max[1] + 1, before_max[1] + 2]
    members = db.execute("SELECT m.full_name, m.sort_order FROM members m JOIN households h ON h.id = m.household_id "
                         "WHERE m.rev = ? ORDER BY m.id", [rev]).fetchall()
    assert members == [("Đinh Thị Một", 0), ("Đinh Văn Hai", 1), ("Ksor Bốn", 0), ("Siu Út", 1)]
    stamps, uuids = set(), []
    for table in ("households", "members", "assessments"):
        for u, created, updated, counter, deleted in db.execute(
                f"SELECT uuid, created_at, updated_at, change_counter, deleted FROM {table} "
                "WHERE rev = ? AND change_counter = 1", [rev]):
            uuids.append(u)
            stamps.add((created, updated, counter, deleted))
            assert created == updated
    assert len(uuids) == 2 + 4 + 2  # the new households, members, assessments
    assert len(stamps) == 1 and next(iter(stamps))[2:] == (1, 0)
    assert all(str(uuid.UUID(u)) == u and uuid.UUID(u).version == 4 for u in uuids)
    every = [r[0] for t in ("households", "members", "assessments") for r in db.execute(f"SELECT uuid FROM {t}")]
    assert len(set(every)) == len(every)
    assert db.execute("SELECT typeof(rev), typeof(created_at) FROM households WHERE rev = ? LIMIT 1",
                      [rev]).fetchone() == ("integer", "text")
    db.close()


def _dump(db) -> list:
    return [tuple(r) for t in ("households", "members", "assessments", "villages", "settings")
            for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")]


def test_page_cache_of_the_connection_as_before_after_an_import_and_after_one_refused_by_a_lock(tmp_path):
    path = tmp_path / "c.sqlite3"
    db = open_database(path)
    ensure_demo_commune(db)
    db.execute("PRAGMA cache_size = -1234")
    _import(db, simple_list(tmp_path / "1.xlsx", FIRST, HEADER))
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -1234
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "2.xlsx", SECOND, HEADER), year=2026))
    before = _dump(db)
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    db.execute("PRAGMA busy_timeout = 100")
    with pytest.raises(sqlite3.OperationalError):
        run_to_end(run_import(db, preview))
    other.rollback()
    other.close()
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -1234
    assert not db.conn.in_transaction
    assert _dump(db) == before
    assert run_to_end(run_import(db, preview)).imported == 2
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -1234
    db.close()
