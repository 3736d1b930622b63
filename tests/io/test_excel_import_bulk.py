"""A large import sets the per-row insert triggers aside inside its transaction: what it writes, what
the audit trail holds and the triggers themselves end up exactly as in a small import, and a
cancelled or failing large import leaves the triggers (and everything else) as they were. An import
into a table small against what it brings drops the table's indexes and builds them again (the
rule of ``store.index_rebuild``); they end word for word as before, holding every row, and a
cancelled import leaves them as they were."""

from __future__ import annotations

import pytest

import gnbv_desktop.jobs.import_excel as import_excel
from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import Progress, run_to_end
from gnbv_desktop.store.accounts import VIEWER
from gnbv_desktop.store.audit import pause_insert_triggers, start_session, suspend_row_audit
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.index_rebuild import indexes_suspended
from tests.io.workbooks import simple_list

HEADER = ["STT", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Thu nhập", "Phân loại", "Nguyên nhân nghèo"]
ROWS = [[i, f"Nguyễn Văn {chr(65 + i % 26)}{i}", 1950 + i % 40, f"0640{50 + i % 40}{i:06d}", f"Thôn {1 + i % 3}",
         700_000 + 1000 * i, "Nghèo" if i % 2 else "Cận nghèo", "Thiếu vốn sản xuất, kinh doanh"]
        for i in range(1, 13)]
_BOOKKEEPING = {"uuid", "created_at", "updated_at"}


def _triggers(db) -> list[tuple[str, str]]:
    return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()


def _content(db) -> dict[str, list[tuple]]:
    """Every row of the written tables without the per-record random/time values; the audit log
    without its time and description."""
    out = {}
    for table in ("villages", "households", "members", "assessments"):
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] not in _BOOKKEEPING]
        out[table] = db.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    out["audit_log"] = db.execute("SELECT action, table_name, row_id, field FROM audit_log ORDER BY id").fetchall()
    return out


def _commune(path):
    db = open_database(path)
    ensure_demo_commune(db)
    return db


def test_large_import_writes_what_a_small_one_writes(tmp_path, monkeypatch):
    xlsx = simple_list(tmp_path / "ds.xlsx", ROWS, HEADER)
    results = []
    for bulk, name in ((10**9, "small"), (1, "large")):
        monkeypatch.setattr(import_excel, "BULK_ROWS", bulk)
        db = _commune(tmp_path / f"{name}.sqlite3")
        triggers = _triggers(db)
        summary = run_to_end(run_import(db, run_to_end(preview_import(db, xlsx, year=2026))))
        assert summary.imported == 12
        assert _triggers(db) == triggers  # every trigger back, word for word
        results.append(_content(db))
        db.close()
    small, large = results
    assert large == small
    assert len(large["households"]) == 12 + len(_commune(tmp_path / "empty.sqlite3").execute(
        "SELECT id FROM households").fetchall())
    assert [r[0] for r in large["audit_log"]].count("job") == 1


def test_cancelled_large_import_keeps_triggers_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(import_excel, "BULK_ROWS", 1)
    monkeypatch.setattr(import_excel, "CHUNK", 5)
    db = _commune(tmp_path / "c.sqlite3")
    triggers, before = _triggers(db), _content(db)
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026))
    job = run_import(db, preview)
    seen = [next(job) for _ in range(3)]  # the backup step, then two chunks written inside the transaction
    assert all(isinstance(p, Progress) for p in seen) and seen[-1].done == 10
    job.close()  # the user pressed Hủy
    assert _triggers(db) == triggers
    assert _content(db) == before


def test_failing_large_import_rolls_back_the_dropped_triggers(tmp_path, monkeypatch):
    monkeypatch.setattr(import_excel, "BULK_ROWS", 1)

    def broken(*_args, **_kw):
        raise OSError("disk full")

    monkeypatch.setattr(import_excel, "write_household_plans", broken)
    db = _commune(tmp_path / "f.sqlite3")
    triggers, indexes, before = _triggers(db), _indexes(db), _content(db)
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026))
    with pytest.raises(OSError):
        run_to_end(run_import(db, preview))
    assert _triggers(db) == triggers
    assert _indexes(db) == indexes  # dropped for the first import, back with the rollback
    assert _content(db) == before


def test_read_only_role_keeps_its_guard(tmp_path):
    db = _commune(tmp_path / "v.sqlite3")
    start_session(db, "dòng lệnh", "xem", role=VIEWER)
    with db.atomic():
        suspend_row_audit(db)
        assert pause_insert_triggers(db, ["households"]) == []
        db.execute("UPDATE audit_session SET bulk = 0 WHERE id = 1")
    assert "audit_households_guard_insert" in {name for name, _sql in _triggers(db)}


def _indexes(db) -> list[tuple[str, str, str]]:
    return db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()


def _dropped_indexes(db, job) -> list[str]:
    """Run ``job`` to its end and return the indexes it dropped, from the statements SQLite ran."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        run_to_end(job)
    finally:
        db.conn.set_trace_callback(None)
    return [s.split("[")[1].rstrip("]") for s in statements if s.startswith("DROP INDEX")]


def test_first_import_rebuilds_the_indexes_and_they_end_as_before(tmp_path):
    db = _commune(tmp_path / "i.sqlite3")
    indexes = _indexes(db)
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026))
    dropped = _dropped_indexes(db, run_import(db, preview))
    declared = {name for name, table, sql in indexes if sql and table in ("households", "assessments")}
    # an empty commune: building them once is cheaper — but for the partial indexes of deleted
    # households and of assessments under review, which no new row enters: kept, as they are
    not_entered = {"households_deleted", "assessments_under_review"}
    assert not_entered < declared and set(dropped) == declared - not_entered
    assert _indexes(db) == indexes  # every index back, word for word
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # and holding every row
    assert db.execute("SELECT COUNT(*) FROM households WHERE deleted = 0").fetchone()[0] == 12


def test_a_kept_partial_index_a_row_enters_after_all_is_maintained(tmp_path):
    db = _commune(tmp_path / "p.sqlite3")
    run_to_end(run_import(db, run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026))))
    with db.atomic(), indexes_suspended(db, {"households": 50}, kept=["households_deleted"]):
        names = {name for name, _t, _s in _indexes(db)}
        assert "households_deleted" in names and "households_cccd" not in names
        db.execute("UPDATE households SET deleted = 1 WHERE id = (SELECT MIN(id) FROM households)")
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("SELECT COUNT(*) FROM households INDEXED BY households_deleted WHERE deleted != 0").fetchone() == (1,)


def test_small_import_into_a_large_commune_keeps_the_indexes(tmp_path):
    db = _commune(tmp_path / "k.sqlite3")
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026))
    run_to_end(run_import(db, preview))
    rows = [[i + 100, *r[1:3], f"0640{50 + i % 40}{i + 100:06d}", *r[4:]] for i, r in enumerate(ROWS[:3])]
    for r in rows:
        r[1] = r[1].replace("Nguyễn", "Trần")
    preview = run_to_end(preview_import(db, simple_list(tmp_path / "ba.xlsx", rows, HEADER), year=2026))
    assert preview.counts()["new"] == 3
    assert _dropped_indexes(db, run_import(db, preview)) == []  # 15 held, 3 coming: maintained row by row
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_cancelled_first_import_keeps_the_indexes(tmp_path, monkeypatch):
    monkeypatch.setattr(import_excel, "CHUNK", 5)
    db = _commune(tmp_path / "x.sqlite3")
    indexes, before = _indexes(db), _content(db)
    job = run_import(db, run_to_end(preview_import(db, simple_list(tmp_path / "ds.xlsx", ROWS, HEADER), year=2026)))
    for _ in range(3):
        next(job)  # two chunks written, the indexes set aside
    job.close()
    assert _indexes(db) == indexes
    assert _content(db) == before
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
