"""Re-importing a list is exact: unchanged values write nothing, members keep their identity."""

from __future__ import annotations

import openpyxl

from gnbv_desktop.core.household import Household, Member
from gnbv_desktop.jobs.export_excel import export_excel
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.households import save_household
from gnbv_desktop.store.sync_outbox import count_changes, plan_export, record_export
from gnbv_desktop.store.villages import find_village


def _dump(db) -> str:
    return "\n".join(db.conn.iterdump())


def _reimport(db, path):
    preview = run_to_end(preview_import(db, path, year=2026))
    assert not preview.invalid
    return run_to_end(run_import(db, preview))


def test_unchanged_export_reimported_changes_nothing_and_the_next_package_is_empty(demo_db, tmp_path):
    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(demo_db, path, 2026))
    record_export(demo_db, plan_export(demo_db, full=True), "goi-1.gnbv", {}, "0" * 64, False)
    before = _dump(demo_db)
    summary = _reimport(demo_db, path)
    assert (summary.imported, summary.updated, summary.unchanged) == (0, 0, 60)
    assert "0 hộ thay đổi (cập nhật), 60 hộ không đổi" in summary.lines()
    assert _dump(demo_db) == before
    assert count_changes(demo_db, plan_export(demo_db)) == 0


def test_namesake_members_are_matched_stably_not_recreated(demo_db, tmp_path):
    village = find_village(demo_db, "Thôn 1") or find_village(demo_db, "Làng Dư")
    h = save_household(demo_db, Household(
        head_name="Rơ Mah Blơng", village_id=village.id, head_birth_year=1970,
        members=[Member("Rơ Mah H'Lim", "Con", 2005), Member("Rơ Mah H'Lim", "Con", 2005),
                 Member("Rơ Mah Thu", "Vợ", 1972)]), validate=False)
    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(demo_db, path, 2026))
    ids = [r[0] for r in demo_db.execute("SELECT id FROM members WHERE household_id = ? ORDER BY id", [h.id])]
    total = demo_db.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    for _ in range(2):
        _reimport(demo_db, path)
        assert demo_db.execute("SELECT COUNT(*) FROM members").fetchone()[0] == total
        assert [r[0] for r in demo_db.execute("SELECT id FROM members WHERE household_id = ? AND deleted = 0 "
                                              "ORDER BY id", [h.id])] == ids
    # one twin's birth year corrected in the file: that row changes, nobody is deleted
    wb = openpyxl.load_workbook(path)
    ws = wb["Danh sách hộ"]
    header = [c.value for c in ws[5]]
    name_col, year_col = header.index("Họ và tên") + 1, header.index("Năm sinh") + 1
    twin = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, name_col).value == "Rơ Mah H'Lim")
    ws.cell(twin + 1, year_col).value = 2006
    wb.save(path)
    summary = _reimport(demo_db, path)
    assert (summary.updated, summary.unchanged) == (1, 60)
    rows = demo_db.execute("SELECT id, birth_year, deleted FROM members WHERE household_id = ? ORDER BY id",
                           [h.id]).fetchall()
    assert [(r[0], r[2]) for r in rows] == [(i, 0) for i in ids]
    assert sorted(r[1] for r in rows) == [1972, 2005, 2006]


def test_a_write_between_preview_and_import_is_matched_again(demo_db, tmp_path):
    from tests.io.workbooks import simple_list

    path = simple_list(tmp_path / "m.xlsx", [[1, "Hà Văn Mới", 1970, "064070000999", "Thôn 1", "1.000.000",
                                              "Cận nghèo"]])
    preview = run_to_end(preview_import(demo_db, path, year=2026))
    assert preview.counts()["new"] == 1
    village = find_village(demo_db, "Thôn 1") or find_village(demo_db, "Làng Dư")
    save_household(demo_db, Household(head_name="Hà Văn Mới", village_id=village.id, head_birth_year=1970,
                                       head_cccd="064070000999"), validate=False)
    summary = run_to_end(run_import(demo_db, preview))
    assert (summary.imported, summary.unchanged + summary.updated) == (0, 1)  # the new record is found, not doubled
    assert demo_db.execute("SELECT COUNT(*) FROM households WHERE head_cccd = '064070000999'").fetchone()[0] == 1


def test_summary_counts_only_the_plan_items_it_wrote(demo_db, tmp_path):
    """Re-importing the unchanged export wrote no plan item, so the summary must not claim it wrote
    every item of the file; changing one household's items counts that household's list only."""
    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(demo_db, path, 2026))
    summary = _reimport(demo_db, path)
    assert summary.plan_items == 0
    assert "Giải pháp hỗ trợ đã ghi: 0" in summary.lines()
    wb = openpyxl.load_workbook(path)
    ws = wb["Kế hoạch hỗ trợ"]
    header_row = next(r for r in range(1, 10) if "Mã hộ" in [c.value for c in ws[r]])
    header = [c.value for c in ws[header_row]]
    code_col, content_col = header.index("Mã hộ") + 1, header.index("Nội dung hỗ trợ") + 1
    first = header_row + 1
    code = ws.cell(first, code_col).value
    ws.cell(first, content_col).value = "Nội dung đã sửa khi rà soát"
    wb.save(path)
    last_rev = int(demo_db.execute("SELECT value FROM settings WHERE key = 'last_rev'").fetchone()[0])
    summary = _reimport(demo_db, path)
    hid = demo_db.execute("SELECT id FROM households WHERE code = ?", [code]).fetchone()[0]
    live = demo_db.execute("SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND year = 2026 AND deleted = 0",
                           [hid]).fetchone()[0]
    touched = demo_db.execute("SELECT COUNT(DISTINCT household_id) FROM plan_items WHERE rev > ?", [last_rev]).fetchone()[0]
    assert touched == 1
    assert summary.plan_items == live
