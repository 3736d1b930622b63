"""Support plans in the Excel export and import: the sheets written, and what re-importing them changes."""

from __future__ import annotations

import openpyxl
import pytest

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.export_excel import export_excel
from gnbv_desktop.jobs.import_excel import ImportRefused, preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.households import get_household
from gnbv_desktop.store.plans import expected_result, helpers_of, list_helpers, plan_items
from gnbv_desktop.store.villages import find_village
from tests.io.workbooks import simple_list


def _hid(db, code):
    return db.execute("SELECT id FROM households WHERE code = ? AND deleted = 0", [code]).fetchone()[0]


def _rows(ws, header_row):
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=header_row + 1)]


def _export(db, tmp_path):
    path = tmp_path / "xuat.xlsx"
    run_to_end(export_excel(db, path, 2026))
    return path


def test_export_writes_plan_items_goals_and_helpers_as_users_read_them(demo_db, tmp_path):
    wb = openpyxl.load_workbook(_export(demo_db, tmp_path))
    assert wb.sheetnames == ["Danh sách hộ", "Kế hoạch hỗ trợ", "Người giúp đỡ"]
    households = _rows(wb["Danh sách hộ"], 5)
    goals = {r["Mã hộ"]: r["Kết quả dự kiến"] for r in households if r["Quan hệ với chủ hộ"] == "Chủ hộ"}
    labels = {"escape_poverty": "Thoát nghèo", "poor_to_near_poor": "Thoát nghèo (còn cận nghèo)",
              "escape_near_poor": "Thoát cận nghèo", "fewer_deprivations": "Giảm thiếu hụt", "": None}
    assert goals == {code: labels[expected_result(demo_db, _hid(demo_db, code), 2026)[0]] for code in goals}

    ws = wb["Kế hoạch hỗ trợ"]
    assert ws["A1"].value == "KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2026"
    items = _rows(ws, 3)
    assert len(items) == 90 and [r["STT"] for r in items] == list(range(1, 91))
    done = next(r for r in items if r["Trạng thái"] == "Hoàn thành")
    recorded = next(i for i in plan_items(demo_db, _hid(demo_db, done["Mã hộ"]), 2026) if i.status == "done")
    assert done["Giải pháp hỗ trợ"] == "Vay vốn tín dụng ưu đãi Ngân hàng Chính sách xã hội"
    assert (done["Kinh phí dự kiến (đồng)"], done["Kinh phí đã thực hiện (đồng)"]) == (
        recorded.expected_amount, recorded.actual_amount)
    y, m, d = recorded.actual_date.split("-")
    assert done["Ngày thực hiện"] == f"{d}/{m}/{y}"
    assert done["Nguồn kinh phí"] == "Vốn vay Ngân hàng Chính sách xã hội"

    helpers = _rows(wb["Người giúp đỡ"], 3)
    toan = [r for r in helpers if r["Người/tổ chức giúp đỡ"] == "Đinh Văn Toàn"]
    assert toan[0]["Loại"] == "Cá nhân" and toan[0]["Chức vụ"] == "Đảng viên, Bí thư chi bộ thôn"
    assert toan[0]["Đơn vị công tác"] == "Đảng ủy xã"
    assert sorted(r["Mã hộ"] for r in toan) == sorted(
        code for code in goals if "Đinh Văn Toàn" in [h.name for h in helpers_of(demo_db, _hid(demo_db, code), 2026)])
    with_household = [r for r in helpers if r["Mã hộ"]]
    assert len(with_household) == 47
    # helpers helping nobody this year are listed once, without a household, so they survive a round trip
    alone = {r["Người/tổ chức giúp đỡ"] for r in helpers if not r["Mã hộ"]}
    assert alone == {h.name for h in list_helpers(demo_db)} - {r["Người/tổ chức giúp đỡ"] for r in with_household}


def test_reimport_replaces_plan_items_and_matches_helpers_by_name(demo_db, tmp_path):
    path = _export(demo_db, tmp_path)
    planned, helped = _hid(demo_db, "00054"), _hid(demo_db, "00007")
    kept = plan_items(demo_db, planned, 2026)[0]
    untouched = _hid(demo_db, "00049")
    other_items = plan_items(demo_db, untouched, 2026)
    wb = openpyxl.load_workbook(path)
    ws = wb["Kế hoạch hỗ trợ"]
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == "00054"]
    ws.cell(rows[0], 11, "Hoàn thành")
    ws.cell(rows[0], 12, "2,5 triệu")
    ws.cell(rows[0], 13, "15/04/2026")
    ws.cell(rows[0], 14, "Đã mua 2 con bò giống")
    for r in reversed(rows[1:]):
        ws.delete_rows(r)
    ws.append([None, "00054", None, None, "Thẻ BHYT", "Cấp thẻ BHYT cho 4 người", "3.200.000", "NSTW", "UBND xã"])
    hs = wb["Người giúp đỡ"]
    for r in range(hs.max_row, 3, -1):
        name = hs.cell(r, 5).value
        if hs.cell(r, 2).value == "00007" and name == "Đinh Văn Toàn":
            hs.delete_rows(r)
        elif name == "Hội Nông dân xã Ia Grai":
            hs.cell(r, 5, "hội nông dân  xã ia grai")  # case and spacing differ: the same helper
            hs.cell(r, 9, "0914000111")
    hs.append([None, "00007", None, None, "Nguyễn Thị Mới", "Cá nhân", "Chi hội trưởng", "Hội Liên hiệp Phụ nữ xã",
               912345678])
    wb.save(path)

    preview = run_to_end(preview_import(demo_db, path, year=2026))
    assert not preview.invalid
    summary = run_to_end(run_import(demo_db, preview))
    assert summary.helpers_created == ["Nguyễn Thị Mới"]

    items = plan_items(demo_db, planned, 2026)
    assert [(i.measure_code, i.content, i.expected_amount, i.funding_source, i.lead_organisation, i.status)
            for i in items] == [
        (kept.measure_code, kept.content, kept.expected_amount, kept.funding_source, kept.lead_organisation, "done"),
        ("bhyt", "Cấp thẻ BHYT cho 4 người", 3_200_000, "ngan_sach_tw", "UBND xã", "planned"),
    ]
    assert (items[0].id, items[0].actual_amount, items[0].actual_date, items[0].result) == (
        kept.id, 2_500_000, "2026-04-15", "Đã mua 2 con bò giống")
    assert demo_db.execute("SELECT COUNT(*) FROM plan_items WHERE household_id = ? AND year = 2026 AND deleted = 1",
                           [planned]).fetchone()[0] == 3
    assert plan_items(demo_db, untouched, 2026) == other_items

    assert [h.name for h in helpers_of(demo_db, helped, 2026)] == ["Hội Nông dân xã Ia Grai", "Nguyễn Thị Mới"]
    everyone = list_helpers(demo_db)
    assert len(everyone) == 19 and [h.name for h in everyone].count("Hội Nông dân xã Ia Grai") == 1
    farmers = next(h for h in everyone if h.name == "Hội Nông dân xã Ia Grai")
    new = next(h for h in everyone if h.name == "Nguyễn Thị Mới")
    assert farmers.phone == "0914000111"
    assert (new.kind, new.position, new.organisation, new.phone) == (
        "person", "Chi hội trưởng", "Hội Liên hiệp Phụ nữ xã", "0912345678")


def test_plan_sheet_problems_name_sheet_row_and_column(demo_db, tmp_path):
    path = _export(demo_db, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Kế hoạch hỗ trợ"]
    ws.append([None, "00054", None, None, "Hỗ trợ mua xe máy", None, None, None, None, None, "Dự kiến"])
    bad_measure = ws.max_row
    ws.append([None, "00049", None, None, "Nhà tiêu HVS", None, "5 triệu", None, None, None, "Hoàn thành"])
    no_date = ws.max_row
    ws.append([None, "99999", None, None, "Nhà tiêu HVS"])
    orphan = ws.max_row
    wb.save(path)
    before = demo_db.execute("SELECT COUNT(*), MAX(rev) FROM plan_items").fetchone()

    preview = run_to_end(preview_import(demo_db, path, year=2026))
    found = {str(p) for p in preview.problems}
    assert (f"Trang 'Kế hoạch hỗ trợ', dòng {bad_measure}, cột E (Giải pháp hỗ trợ): Không có giải pháp "
            "'Hỗ trợ mua xe máy' trong danh mục giải pháp hỗ trợ.") in found
    assert (f"Trang 'Kế hoạch hỗ trợ', dòng {no_date}, cột M (Ngày thực hiện): Giải pháp đã hoàn thành cần có "
            "ngày thực hiện.") in found
    assert (f"Trang 'Kế hoạch hỗ trợ', dòng {orphan}: Không có hộ mã 99999 trong trang danh sách hộ; "
            "bỏ qua dòng này.") in found
    assert sorted(ph.household.code for ph in preview.invalid) == ["00049", "00054"]
    with pytest.raises(ImportRefused):
        run_to_end(run_import(demo_db, preview))
    assert demo_db.execute("SELECT COUNT(*), MAX(rev) FROM plan_items").fetchone() == before


def test_hand_made_plan_sheet_matched_by_head_name_and_village(db, tmp_path):
    ensure_demo_commune(db)
    path = simple_list(tmp_path / "ds.xlsx", [
        [1, "Hà Văn Một", 1970, None, "Thôn 1", "1.000.000", "Nghèo"],
        [2, "Hà Văn Hai", 1975, None, "Thôn 2", "1.100.000", "Cận nghèo"],
    ])
    wb = openpyxl.load_workbook(path)
    kh = wb.create_sheet("KH 2026")
    kh.append(["Kế hoạch hỗ trợ năm 2026"])
    kh.append(["TT", "Họ và tên chủ hộ", "Thôn", "Giải pháp", "Kinh phí", "Trạng thái"])
    kh.append([1, "HÀ VĂN MỘT", "thôn 1", "Hỗ trợ nhà ở", "40 triệu", "Đang thực hiện"])
    gd = wb.create_sheet("Giúp đỡ")
    gd.append(["STT", "Họ và tên chủ hộ", "Thôn", "Người giúp đỡ", "Chức vụ"])
    gd.append([1, "Hà Văn Hai", "Thôn 2", "Lò Văn Giúp", "Trưởng thôn"])
    wb.save(path)
    preview = run_to_end(preview_import(db, path, year=2026))
    assert preview.plan_sheets == ["KH 2026", "Giúp đỡ"]
    run_to_end(run_import(db, preview))
    one = db.execute("SELECT id FROM households WHERE head_name = 'Hà Văn Một'").fetchone()[0]
    two = db.execute("SELECT id FROM households WHERE head_name = 'Hà Văn Hai'").fetchone()[0]
    assert [(i.measure_code, i.expected_amount, i.status) for i in plan_items(db, one, 2026)] == [
        ("nha_o", 40_000_000, "in_progress")]
    assert plan_items(db, two, 2026) == []
    assert [(h.name, h.kind, h.position) for h in helpers_of(db, two, 2026)] == [
        ("Lò Văn Giúp", "person", "Trưởng thôn")]


def test_default_village_for_rows_without_one(db, tmp_path):
    ensure_demo_commune(db)
    header = ["STT", "Họ tên chủ hộ", "Năm sinh", "Thu nhập", "Phân loại"]
    path = simple_list(tmp_path / "ds.xlsx", [[1, "Hà Văn Một", 1970, "1.000.000", "Nghèo"],
                                              [2, "Hà Văn Hai", 1975, "1.100.000", "Cận nghèo"]], header=header)
    preview = run_to_end(preview_import(db, path, year=2026))
    assert [str(p) for p in preview.problems if p.error] == [
        f"Dòng {n}: Chưa có thôn của hộ (không có cột Thôn, không có dòng nhóm thôn ở trên và chưa chọn thôn "
        "mặc định)." for n in (2, 3)]
    preview = run_to_end(preview_import(db, path, year=2026, default_village="  thôn 2 "))
    assert not preview.invalid and not preview.new_villages
    run_to_end(run_import(db, preview))
    village = find_village(db, "Thôn 2").id
    assert [get_household(db, hid).village_id for (hid,) in db.execute("SELECT id FROM households")] == [
        village, village]
