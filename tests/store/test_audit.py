"""Audit trail: every kind of change is recorded with who, when, table, field, old and new value."""

from __future__ import annotations

import sqlite3

from openpyxl import load_workbook

from gnbv_desktop.core.plans import Helper, PlanItem
from gnbv_desktop.io.audit_xlsx import write_audit_xlsx
from gnbv_desktop.store import audit
from gnbv_desktop.store.households import delete_household, get_assessment, get_household, save_assessment, save_household
from gnbv_desktop.store.plans import save_helper, save_plan_items, set_household_helpers, support_measures
from gnbv_desktop.store.settings import load_settings, save_settings


def _log(db, **where) -> list[tuple]:
    sql = "SELECT user, source, action, table_name, household_id, field, old_value, new_value FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return db.execute(sql + " ORDER BY id", list(where.values())).fetchall()


def test_demo_writes_one_entry_not_one_per_row(demo_db):
    rows = _log(demo_db)
    assert len(rows) == 1
    user, source, action, table, _hh, field, _old, new = rows[0]
    assert (action, table, field) == ("job", "job", "Tạo dữ liệu mẫu")
    assert '"hộ mới": 60' in new
    assert demo_db.execute("SELECT bulk FROM audit_session").fetchone()[0] == 0


def test_household_member_assessment_changes(demo_db):
    audit.start_session(demo_db, audit.SOURCE_GUI, "can-bo-xa")
    h = get_household(demo_db, 1)
    old_name, old_phone = h.head_name, h.phone
    h.head_name, h.phone = "Nguyễn Văn Mới", "0912345678"
    removed = h.members.pop()
    save_household(demo_db, h)
    changes = {(r[5], r[6], r[7]) for r in _log(demo_db, table_name="households", action="update")}
    assert changes == {("head_name", old_name, "Nguyễn Văn Mới"), ("phone", old_phone, "0912345678")}
    member_rows = _log(demo_db, table_name="members")
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in member_rows] == [("update", 1, "deleted", "0", "1")]
    assert removed.full_name
    assert all(r[0] == "can-bo-xa" and r[1] == "giao diện" for r in _log(demo_db)[1:])

    a = get_assessment(demo_db, 1, 2026)
    a.income = (a.income or 0) + 1000
    save_assessment(demo_db, 1, a)
    (row,) = _log(demo_db, table_name="assessments", field="income")
    assert row[4] == 1 and int(row[7]) == int(row[6]) + 1000

    delete_household(demo_db, 2)
    assert [(r[5], r[6], r[7]) for r in _log(demo_db, table_name="households", household_id=2)] == [("deleted", "0", "1")]


def test_plans_helpers_assignments_and_settings(demo_db):
    code = support_measures(demo_db)[0].code
    save_plan_items(demo_db, 3, 2026, [PlanItem(code, "Hỗ trợ bò giống", 15_000_000)])
    inserted = _log(demo_db, table_name="plan_items", action="insert", household_id=3)
    assert inserted and "Hỗ trợ bò giống" in inserted[-1][7]
    helper = save_helper(demo_db, Helper("Hội Phụ nữ xã"))
    set_household_helpers(demo_db, 3, 2026, [helper.id])
    assert _log(demo_db, table_name="helpers", action="insert")
    assert _log(demo_db, table_name="helper_assignments", action="insert", household_id=3)
    s = load_settings(demo_db)
    old = s.commune_name
    s.commune_name = "Xã Ia Hrung"
    save_settings(demo_db, s)
    assert [(r[5], r[6], r[7]) for r in _log(demo_db, table_name="settings")] == [("commune_name", old, "Xã Ia Hrung")]


def test_import_is_one_entry_with_file_name_and_counts(demo_db, tmp_path):
    from gnbv_desktop.jobs.import_excel import preview_import, run_import
    from gnbv_desktop.jobs.progress import run_to_end
    from tests.jobs.test_kill_loop import _excel

    before = demo_db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    preview = run_to_end(preview_import(demo_db, _excel(tmp_path / "ds.xlsx", 25), year=2026))
    run_to_end(run_import(demo_db, preview))
    rows = demo_db.execute("SELECT action, field, new_value FROM audit_log WHERE id > ?", [before]).fetchall()
    assert len(rows) == 1
    assert rows[0][:2] == ("job", "Nhập Excel")
    assert "ds.xlsx" in rows[0][2] and '"hộ mới": 25' in rows[0][2]


def test_writes_from_any_connection_are_audited(demo_db, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE households SET note = 'sửa bằng công cụ khác' WHERE id = 4")
    conn.commit()
    conn.close()
    assert [(r[5], r[7]) for r in _log(demo_db, household_id=4)] == [("note", "sửa bằng công cụ khác")]


def test_triggers_follow_a_column_added_later(demo_db):
    demo_db.execute("ALTER TABLE households ADD COLUMN email TEXT NOT NULL DEFAULT ''")
    assert audit.install_triggers(demo_db) == 3
    assert audit.install_triggers(demo_db) == 0
    demo_db.execute("UPDATE households SET email = 'a@b.vn' WHERE id = 5")
    assert [(r[5], r[7]) for r in _log(demo_db, household_id=5)] == [("email", "a@b.vn")]


def test_failed_bulk_job_leaves_row_auditing_on(demo_db):
    try:
        with demo_db.atomic():
            audit.suspend_row_audit(demo_db)
            raise ValueError("hỏng giữa chừng")
    except ValueError:
        pass
    assert demo_db.execute("SELECT bulk FROM audit_session").fetchone()[0] == 0


def test_export_to_xlsx(demo_db, tmp_path):
    h = get_household(demo_db, 6)
    h.phone = "0987654321"
    save_household(demo_db, h)
    path = tmp_path / "lich-su.xlsx"
    n = write_audit_xlsx(audit.entries(demo_db, 6), path, "Lịch sử thay đổi của hộ")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Lịch sử thay đổi của hộ"
    assert rows[1][:4] == ("Thời điểm", "Người dùng", "Nguồn", "Thay đổi")
    assert n == 1 and rows[2][3] == "Sửa hộ gia đình" and rows[2][4] == "Điện thoại" and rows[2][6] == "0987654321"
