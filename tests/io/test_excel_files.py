"""Files that cannot be imported get a clear message and change nothing; export reads back unchanged."""

from __future__ import annotations

import dataclasses
import zipfile

import openpyxl
import pytest

from gnbv_desktop.io.excel_reader import WorkbookError
from gnbv_desktop.jobs.export_excel import export_excel
from gnbv_desktop.jobs.import_excel import preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import get_assessment, get_household
from gnbv_desktop.store.plans import expected_result, helpers_of, list_helpers, plan_items

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _preview(db, path):
    return run_to_end(preview_import(db, path, year=2026))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cu.xls", OLE, "tệp hỏng hoặc không phải bảng tính"),
        ("matkhau.xlsx", OLE, "được đặt mật khẩu"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "không phải tệp Excel .xlsx hợp lệ hoặc đã hỏng"),
        ("rong.xlsx", b"", "rỗng (0 byte)"),
    ],
)
def test_unreadable_files_are_refused_clearly(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        _preview(db, path)
    assert db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 0


def test_truncated_xlsx_is_refused(db, tmp_path):
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên chủ hộ", "Thôn"])
    wb.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if "sheet1" not in item.filename:
                dst.writestr(item, src.read(item))
    with pytest.raises(WorkbookError, match="Không đọc được"):
        _preview(db, broken)


def test_empty_sheet_and_missing_header(db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Trống"
    wb.create_sheet("Ghi chép").append(["Danh sách này chưa có cột nào"])
    path = tmp_path / "e.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError, match="Trang tính 'Trống' trống"):
        _preview(db, path)
    with pytest.raises(WorkbookError, match="Không tìm thấy dòng tiêu đề cột"):
        run_to_end(preview_import(db, path, year=2026, sheet="Ghi chép"))
    with pytest.raises(WorkbookError, match="không có trang tính 'Khác'"):
        run_to_end(preview_import(db, path, year=2026, sheet="Khác"))


def _without_ids(obj) -> dict:
    d = dataclasses.asdict(obj)
    d.pop("id")
    d.pop("uuid")
    return d


def _snapshot(db, year):
    """Households by mã hộ with members, assessment, plan items, expected result and helpers;
    plus every helper of the commune."""
    out = {"helpers": sorted((_without_ids(h) for h in list_helpers(db)), key=lambda h: (h["kind"], h["name"]))}
    for (hid,) in db.execute("SELECT id FROM households WHERE deleted = 0"):
        h = dataclasses.asdict(get_household(db, hid))
        a = get_assessment(db, hid, year)
        village = db.execute("SELECT name, area FROM villages WHERE id = ?", [h.pop("village_id")]).fetchone()
        for key in ("id", "uuid"):
            h.pop(key)
        for m in h["members"]:
            m.pop("id")
            m.pop("uuid")
        a = dataclasses.asdict(a) if a else None
        if a:
            a.pop("id")
            a.pop("uuid")
        plan = ([_without_ids(i) for i in plan_items(db, hid, year)], expected_result(db, hid, year),
                [_without_ids(x) for x in helpers_of(db, hid, year)])
        out[h["code"]] = (h, village, a, plan)
    return out


def test_round_trip_export_then_import_into_empty_database(demo_db, tmp_path):
    demo_db.execute("UPDATE households SET head_birth_date = '1961-09-02', head_birth_year = 1961, "
                    "address = 'Số 5, đường Lê Lợi', note = 'Ghi chú; có dấu chấm phẩy' WHERE id = 1")
    demo_db.execute("UPDATE plan_items SET status = 'cancelled', result = 'Hộ đã chuyển đi nơi khác' WHERE id = "
                    "(SELECT MIN(id) FROM plan_items WHERE year = 2026 AND status = 'planned')")
    path = tmp_path / "xuat.xlsx"
    assert run_to_end(export_excel(demo_db, path, 2026)) == 60
    sheet = openpyxl.load_workbook(path)["Danh sách hộ"]
    assert sheet["A1"].value == "XÃ IA GRAI"
    assert sheet["A2"].value == "DANH SÁCH HỘ GIA ĐÌNH VÀ THÀNH VIÊN NĂM 2026"
    header = [c.value for c in sheet[5]]
    assert header[:6] == ["STT hộ", "STT thành viên", "Mã hộ", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh"]
    first = {h: c.value for h, c in zip(header, sheet[6], strict=False)}
    assert (first["Quan hệ với chủ hộ"], first["Năm sinh"], first["Ghi chú"]) == (
        "Chủ hộ", "02/09/1961", "Ghi chú; có dấu chấm phẩy")
    empty = open_database(tmp_path / "empty.sqlite3")
    preview = _preview(empty, path)
    assert not preview.invalid
    summary = run_to_end(run_import(empty, preview))
    assert (summary.imported, summary.updated) == (60, 0)
    assert (summary.plan_items, len(summary.helpers_created)) == (90, 18)
    source = _snapshot(demo_db, 2026)
    assert _snapshot(empty, 2026) == source
    # the comparison covers real plans: items in every status, goals, people and organisations
    plans = [v[3] for k, v in source.items() if k != "helpers"]
    assert {i["status"] for items, _, _ in plans for i in items} == {"planned", "in_progress", "done", "cancelled"}
    assert sum(1 for _, goal, _ in plans if goal[0]) == 36
    assert {h["kind"] for _, _, helpers in plans for h in helpers} == {"organisation", "person"}
    # and again into the source: every household, item and helper is recognised, nothing duplicated or touched
    before = {t: demo_db.execute(f"SELECT COUNT(*), MAX(rev) FROM {t}").fetchone()
              for t in ("helpers", "plan_items", "helper_assignments", "household_plans")}
    again = run_to_end(run_import(demo_db, _preview(demo_db, path)))
    assert (again.imported, again.updated, again.unchanged, again.helpers_created) == (0, 0, 60, [])
    assert demo_db.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 60
    assert {t: demo_db.execute(f"SELECT COUNT(*), MAX(rev) FROM {t}").fetchone() for t in before} == before
    assert _snapshot(demo_db, 2026) == source
    empty.close()
