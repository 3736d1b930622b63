"""Every field of a parsed household lands under its own name.

The parser builds households and parsed households by position over whole columns (a loop with
keywords over 20,000 rows cost several times as much): a field added to ``Household`` or
``ParsedHousehold`` without its column there would shift the values after it. Each column of this
list has a value no other field could take, read back by field name."""

from __future__ import annotations

from dataclasses import fields

from gnbv_desktop.core.household import Household
from gnbv_desktop.io.excel_parser import ParsedHousehold
from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import preview_import
from gnbv_desktop.jobs.progress import run_to_end
from tests.io.workbooks import simple_list

HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn", "Địa chỉ",
          "Điện thoại", "Thu nhập BQ (đồng/người/tháng)", "Số nhân khẩu", "Chỉ số thiếu hụt", "Phân loại",
          "Nguyên nhân nghèo", "Nhu cầu hỗ trợ", "Ghi chú", "Kết quả dự kiến"]
ROWS = [
    [7, "H123", "Rơ Mah Blơng", "12/03/1975", "Nữ", "064175012345", "Jrai", "Thôn 1", "Làng Dư, xã Ia Grai",
     "0912345678", 1_200_000, 5, "1.1, 4.1", "Cận nghèo", "Thiếu vốn sản xuất, kinh doanh", "Tín dụng ưu đãi (vay vốn)",
     "Ghi chú một", "Thoát cận nghèo"],
    [8, "H124", "Nguyễn Văn Hùng", "01/02/1980", "Nam", "064080012346", "Kinh", "Thôn 2", "Thôn 2, xã Ia Grai",
     "0987654321", 3_000_000, 3, "", "", "", "", "Ghi chú hai", ""],
]


def test_each_column_of_a_list_is_read_into_its_own_field(db, tmp_path):
    ensure_demo_commune(db)
    path = simple_list(tmp_path / "ds.xlsx", ROWS, HEADER)
    preview = run_to_end(preview_import(db, path, year=2026))
    first, second = preview.households
    assert [(f.name, getattr(first.household, f.name)) for f in fields(Household)] == [
        ("head_name", "Rơ Mah Blơng"), ("village_id", None), ("code", "H123"), ("head_cccd", "064175012345"),
        ("head_birth_year", 1975), ("head_birth_date", "1975-03-12"), ("head_sex", "nu"), ("ethnicity_name", "Gia-rai"),
        ("ethnicity_code", "10"), ("ethnicity_list", "QĐ 121-TCTK/PPCĐ (1979)"), ("address", "Làng Dư, xã Ia Grai"),
        ("phone", "0912345678"), ("categories", []), ("note", "Ghi chú một"), ("members", []), ("id", None),
        ("uuid", ""), ("declared_size", 5)]
    assert (second.household.head_name, second.household.code, second.household.head_birth_year,
            second.household.head_sex, second.household.phone, second.household.note,
            second.household.declared_size) == ("Nguyễn Văn Hùng", "H124", 1980, "nam", "0987654321", "Ghi chú hai", 3)
    parsed = {f.name: getattr(first, f.name) for f in fields(ParsedHousehold)}
    assert parsed.pop("household") is first.household
    assert {"household_size", "deprived", "causes", "needs", "expected_result", "note"} <= parsed.pop("present")
    assert parsed.pop("problems") == []
    assert parsed == {"row": 2, "village": "Thôn 1", "area": "rural", "income": 1_200_000, "deprived": ["1.1", "4.1"],
                      "file_classification": "near_poor", "computed_classification": "near_poor",
                      "causes": ["thieu_von"], "needs": ["tin_dung"], "expected_result": "escape_near_poor",
                      "plan_items": None, "helper_keys": None, "members_present": False, "last_row": 2}
    assert (second.row, second.village, second.income, second.deprived, second.expected_result, second.last_row) == (
        3, "Thôn 2", 3_000_000, [], None, 3)
