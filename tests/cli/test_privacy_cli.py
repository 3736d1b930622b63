"""Personal data requests: everything about one household exported; a deleted household erased for good."""

from __future__ import annotations

import sqlite3

from openpyxl import load_workbook

from gnbv_desktop.store.integrity import full_check
from tests.cli.helpers import run_cli


def _setup(capsys, tmp_path):
    db = tmp_path / "xa.sqlite3"
    assert run_cli(capsys, db, "demo", "--households", "8", "--year", "2026")[0] == 0
    conn = sqlite3.connect(db)
    hid, name, cccd = conn.execute("SELECT id, head_name, head_cccd FROM households WHERE code = '00002'").fetchone()
    conn.execute("UPDATE households SET phone = '0977000111' WHERE id = ?", [hid])  # an audited change
    conn.commit()
    conn.close()
    return db, hid, name, cccd


def test_household_data_export_holds_every_table(capsys, tmp_path):
    db, hid, name, cccd = _setup(capsys, tmp_path)
    out = tmp_path / "ho.xlsx"
    code, text, err = run_cli(capsys, db, "household-data", "00002", "--out", str(out))
    assert code == 0, err
    wb = load_workbook(out)
    assert {"Hộ gia đình", "Thành viên", "Kết quả rà soát", "Lịch sử thay đổi"} <= set(wb.sheetnames)
    values = {v for ws in wb for row in ws.iter_rows(values_only=True) for v in row}
    assert name in values and cccd in values and "0977000111" in values
    conn = sqlite3.connect(db)
    members = conn.execute("SELECT COUNT(*) FROM members WHERE household_id = ?", [hid]).fetchone()[0]
    conn.close()
    assert wb["Thành viên"].max_row == 2 + members


def test_erase_needs_a_deleted_household_and_confirmation_then_leaves_nothing(capsys, tmp_path):
    db, hid, name, cccd = _setup(capsys, tmp_path)
    code, _, err = run_cli(capsys, db, "household-erase", "00002", "--yes")
    assert code == 1 and "chưa bị xóa" in err
    conn = sqlite3.connect(db)
    conn.execute("UPDATE households SET deleted = 1 WHERE id = ?", [hid])
    conn.commit()
    conn.close()
    code, _, err = run_cli(capsys, db, "household-erase", "00002")
    assert code == 1 and "--yes" in err
    code, out, err = run_cli(capsys, db, "household-erase", "00002", "--yes")
    assert code == 0, err
    conn = sqlite3.connect(db)
    for table in ("households", "members", "assessments", "plan_items", "household_plans", "helper_assignments"):
        column = "id" if table == "households" else "household_id"
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", [hid]).fetchone()[0] == 0, table
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert name not in dump and cccd not in dump and "0977000111" not in dump
    assert "Xóa vĩnh viễn hộ" in dump
    assert full_check(db) == []


def test_erase_with_accounts_needs_an_admin(capsys, tmp_path):
    db, hid, _name, _cccd = _setup(capsys, tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE households SET deleted = 1 WHERE id = ?", [hid])
    conn.commit()
    conn.close()
    admin_pw, editor_pw = tmp_path / "a.txt", tmp_path / "e.txt"
    admin_pw.write_text("quan-tri-123", encoding="utf-8")
    editor_pw.write_text("nhap-lieu-123", encoding="utf-8")
    assert run_cli(capsys, db, "account-add", "admin", "--role", "quan-tri", "--new-password-file", str(admin_pw))[0] == 0
    login = ["--user", "admin", "--user-password-file", str(admin_pw)]
    assert run_cli(capsys, db, *login, "account-add", "an", "--role", "nhap-lieu",
                   "--new-password-file", str(editor_pw))[0] == 0
    code, _, err = run_cli(capsys, db, "--user", "an", "--user-password-file", str(editor_pw),
                           "household-erase", "00002", "--yes")
    assert code == 1 and "quản trị" in err
    assert run_cli(capsys, db, *login, "household-erase", "00002", "--yes")[0] == 0
